"""``import_package``: read safely, check everything, compare with the graph, then write.

Nothing is written unless the whole package is valid. Writes go in batches of
``PACKAGE_BATCH_ROWS`` rows (``UNWIND $rows``) in dependency order; every statement is an
idempotent MERGE, so an import cut short (store down) is finished by running it again.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from flask import current_app

from tracker.extensions import db, graph
from tracker.graph.store import GraphStore, NotFound
from tracker.models import Grant, User
from tracker.packages.plan import Plan, make_plan
from tracker.packages.reader import Limits, read_package
from tracker.packages.report import ImportReport, PackageError
from tracker.packages.validate import check
from tracker.services import audit, now_ms

BATCH_ROWS = 2000
SURVEY_PREFIX = "import:"  # advice from a package without a survey round: import:<date>
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


def _target(network: str | None) -> dict[str, Any] | None:
    if network is None:
        return None
    from tracker.services import networks

    try:
        return networks.resolve(network)
    except NotFound:
        raise PackageError(f"no network with uid or name “{network}”") from None


def _write(store: GraphStore, plan: Plan, progress: Progress | None) -> int:
    """Send the plan's rows in batches, kind after kind; report rows written as they go.

    On FalkorDB two batches are in flight at once, so the client prepares one while the
    server runs the other (the server still applies writes one at a time). Each kind
    finishes before the next starts, so relationships always find their nodes.
    """
    config = current_app.config
    size = int(config.get("PACKAGE_BATCH_ROWS", BATCH_ROWS))
    workers = int(config.get("PACKAGE_WRITE_THREADS", 2 if store.backend == "falkordb" else 1))
    params = {"network_uid": plan.network_uid, "now": now_ms(), "survey_prefix": SURVEY_PREFIX}
    total, done = plan.total, 0
    if progress:
        progress(0, total)
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="import") as pool:
        for query, rows in plan.batches():
            batches = [rows[start : start + size] for start in range(0, len(rows), size)]
            futures = [pool.submit(store.run, query, {**params, "rows": b}) for b in batches]
            try:
                for future, batch in zip(futures, batches, strict=True):
                    future.result()
                    done += len(batch)
                    if progress:
                        progress(done, total)
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
    return done


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
        return report

    store = graph.store
    plan = make_plan(store, parsed, target)
    report.network_uid, report.network_name = plan.network_uid, plan.network_name
    if plan.problems:
        report.problems = plan.problems
        return report
    for name, counts in plan.counts.items():
        report.created[name] = counts["created"]
        report.updated[name] = counts["updated"]
        report.unchanged[name] = counts["unchanged"]
    if dry_run or not plan.total:
        return report

    done = _write(store, plan, progress)
    report.written = done
    if done >= int(current_app.config.get("PACKAGE_COMPACT_ROWS", COMPACT_AFTER_ROWS)):
        compact = getattr(store, "compact", None)
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
