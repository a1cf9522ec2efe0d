"""``import_package``: read safely, check everything, compare with the graph, then write.

Nothing is written unless the whole package is valid. Writes go in batches of
``PACKAGE_BATCH_ROWS`` rows (``UNWIND $rows``) in dependency order, starting while the rest of
the package is still being compared with the graph.

Rows the plan finds new are written with ``CREATE``, changed ones with ``MERGE``, and that
stays idempotent:

- An import cut short (store down, process killed) is finished by running it again. Each
  statement is atomic and every write waits for the network node, so the graph holds whole
  batches of a network that exists; the next plan reads them back and sends only the rest.
- A new node whose uid exists after all (another import of the same network running at the
  same time) fails its whole statement on the uid's uniqueness rule; its ``MERGE`` twin is
  sent instead.
- Relationships have no uniqueness rule, so they are CREATEd only in a network this import
  creates: its first statement CREATEs the network node, which fails for every import but
  one when two create the same network at once, and a failed batch stops the rest. Into an
  existing network, new relationships are MERGEd.

See docs/benchmarks.md for the measurements behind these choices.
"""

from __future__ import annotations

import gc
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import current_app

from tracker.extensions import db, graph
from tracker.graph.store import Conflict, GraphStore, NotFound
from tracker.models import Grant, User
from tracker.packages.format import SURVEY_PREFIX
from tracker.packages.plan import Plan, Write, make_plan
from tracker.packages.reader import Limits, read_package
from tracker.packages.report import ImportReport, PackageError
from tracker.packages.validate import check
from tracker.services import audit, now_ms

BATCH_ROWS = 2000
# Batches in flight on FalkorDB: the server applies writes one at a time, but while it runs
# one, the client prepares the next ones (in Python, sharing the interpreter with the plan).
# With two the server still waited for the client about a tenth of the time; three keep it busy.
FALKORDB_WRITE_THREADS = 3
COMPACT_AFTER_ROWS = 50_000

Progress = Callable[[int, int], None]


def limits() -> Limits:
    """Package size limits from the app's configuration (``PACKAGE_MAX_*``)."""
    defaults = Limits()
    config = current_app.config
    return Limits(
        max_files=int(config.get("PACKAGE_MAX_FILES", defaults.max_files)),
        max_file_bytes=int(config.get("PACKAGE_MAX_FILE_BYTES", defaults.max_file_bytes)),
        max_total_bytes=int(config.get("PACKAGE_MAX_TOTAL_BYTES", defaults.max_total_bytes)),
    )


def write_threads(store: GraphStore) -> int:
    """Batches in flight (``PACKAGE_WRITE_THREADS``; one on Neo4j, whose writes to the same
    nodes from two transactions would wait on each other's locks)."""
    default = FALKORDB_WRITE_THREADS if store.backend == "falkordb" else 1
    return max(1, int(current_app.config.get("PACKAGE_WRITE_THREADS", default)))


def _target(network: str | None) -> dict[str, Any] | None:
    if network is None:
        return None
    from tracker.services import networks

    try:
        return networks.resolve(network)
    except NotFound:
        raise PackageError(f"no network with uid or name “{network}”") from None


class _Stopped(Exception):
    """A batch not sent because an earlier one failed (the first failure is reported)."""


class Writer:
    """Sends the plan's rows in batches while the plan is still being made.

    Batches go to a small thread pool (``write_threads``): the client prepares batches while
    the server runs another (it applies writes one at a time). A batch waits
    for every earlier batch that makes nodes it looks up (``Write.needs``/``makes``), so a
    relationship always finds its ends. Progress is reported from the calling thread, in the
    order batches were sent, once the plan's total is known (``finish``).
    """

    def __init__(self, store: GraphStore, size: int, workers: int):
        self.store, self.size = store, size
        self.params: dict[str, Any] = {}
        self.pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="import")
        self.batches: list[tuple[Future[None], int]] = []
        self.makers: dict[str, list[Future[None]]] = defaultdict(list)
        self.error: BaseException | None = None
        self.lock = threading.Lock()

    def send(self, network_uid: str, write: Write, rows: list[dict[str, Any]]) -> None:
        """Queue ``rows`` in batches; raise at once if an earlier batch has failed."""
        if self.error is not None:
            raise self.error
        if not self.params:
            self.params = {
                "network_uid": network_uid,
                "now": now_ms(),
                "survey_prefix": SURVEY_PREFIX,
            }
        waits = [future for label in write.needs for future in self.makers.get(label, ())]
        for start in range(0, len(rows), self.size):
            batch = rows[start : start + self.size]
            future = self.pool.submit(self._run, write, batch, waits)
            for label in write.makes:
                self.makers[label].append(future)
            self.batches.append((future, len(batch)))

    def _run(self, write: Write, batch: list[dict[str, Any]], waits: list[Future[None]]) -> None:
        # Tasks start in the order they were queued and wait only on earlier ones: no deadlock.
        for future in waits:
            future.result()
        if self.error is not None:
            raise _Stopped
        params = {**self.params, "rows": batch}
        try:
            try:
                self.store.run(write.query, params)
            except Conflict:
                if write.fallback is None:
                    raise
                self.store.run(write.fallback, params)
        except BaseException as exc:
            with self.lock:
                self.error = self.error or exc
            raise

    def finish(self, progress: Progress | None, total: int) -> int:
        """Wait for every batch, reporting rows written; raise the first failure."""
        done = 0
        if progress:
            progress(0, total)
        try:
            for future, rows in self.batches:
                try:
                    future.result()
                except BaseException as exc:
                    # Report the batch that failed first, not one that stopped because of it.
                    error = self.error or exc
                    if error is exc:
                        raise
                    raise error from error.__cause__
                done += rows
                if progress:
                    progress(done, total)
        except BaseException:
            self.pool.shutdown(wait=True, cancel_futures=True)
            raise
        return done

    def close(self) -> None:
        """Stop: batches not started are dropped, the ones being written are waited for."""
        self.pool.shutdown(wait=True, cancel_futures=True)


class _GcPause:
    """Switch the cyclic garbage collector off while imports run (reentrant across threads).

    Reading, checking and planning a large package allocate millions of small containers,
    none of them in reference cycles; the collector's passes over them took half the time of
    reading and checking. Reference counting still frees everything as usual.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.was_enabled = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self.lock:
            if self.depth == 0:
                self.was_enabled = gc.isenabled()
                gc.disable()
            self.depth += 1
        try:
            yield
        finally:
            with self.lock:
                self.depth -= 1
                if self.depth == 0 and self.was_enabled:
                    gc.enable()


gc_paused = _GcPause()


def _import(
    path: str | Path, target: dict[str, Any] | None, dry_run: bool, progress: Progress | None
) -> tuple[ImportReport, Plan | None, int]:
    """Read, check, plan and (unless ``dry_run``) write; the rows written, 0 when none."""
    package = read_package(path, limits())
    parsed, problems = check(package)
    report = ImportReport(dry_run=dry_run, rows=sum(parsed.rows.values()))
    for name in parsed.files:
        report.created[name] = report.updated[name] = report.unchanged[name] = 0
    network_rows = parsed["network.csv"]
    if network_rows:
        report.network_name = network_rows[0]["props"].get("name")
    if target is not None:
        report.network_uid = target["uid"]
    if problems:
        report.problems = problems
        return report, None, 0

    store = graph.store
    writer = None
    if not dry_run:
        size = int(current_app.config.get("PACKAGE_BATCH_ROWS", BATCH_ROWS))
        writer = Writer(store, size=size, workers=write_threads(store))
    try:
        if writer is None:
            plan = make_plan(store, parsed, target)
        else:
            plan = make_plan(store, parsed, target, writer.send, writer.size)
        report.network_uid, report.network_name = plan.network_uid, plan.network_name
        if plan.problems:
            report.problems = plan.problems
            return report, None, 0
        for name, counts in plan.counts.items():
            report.created[name] = counts["created"]
            report.updated[name] = counts["updated"]
            report.unchanged[name] = counts["unchanged"]
        done = writer.finish(progress, plan.total) if writer and plan.total else 0
    except Conflict as exc:
        # Only CREATE_NETWORK has no MERGE twin: another import created the network first.
        raise PackageError(
            "another import created this network while this one was running; nothing of this "
            "one was written: run it again to bring in anything the other did not"
        ) from exc
    finally:
        if writer is not None:
            writer.close()
    return report, plan, done


def import_package(
    path: str | Path,
    *,
    network: str | None = None,
    dry_run: bool = False,
    actor: User | str = "cli",
    progress: Progress | None = None,
) -> ImportReport:
    """Import the package at ``path`` (a folder or a .zip) into the network it names.

    ``network`` (a uid or exact name) imports into that network instead of the one named in
    ``network.csv``. With ``dry_run`` the report says what would change and nothing is written.
    """
    target = _target(network)
    with gc_paused():
        report, plan, done = _import(path, target, dry_run, progress)
    if plan is None or not done:
        return report
    report.written = done
    if done >= int(current_app.config.get("PACKAGE_COMPACT_ROWS", COMPACT_AFTER_ROWS)):
        compact = getattr(graph.store, "compact", None)
        if compact is not None:
            compact()  # replaying a huge raw append-only file on restart is very slow
    if plan.network_created and isinstance(actor, User):
        db.session.add(Grant(user_id=actor.id, role="coordinator", network_uid=plan.network_uid))
    audit.record(
        actor,
        "import",
        "package",
        plan.network_uid,
        network_uid=plan.network_uid,
        after={
            "source": Path(path).name,
            "rows": report.rows,
            "written": done,
            **report.totals(),
            "files": {
                name: {
                    "created": report.created[name],
                    "updated": report.updated[name],
                    "unchanged": report.unchanged[name],
                }
                for name in report.files
            },
        },
    )
    return report
