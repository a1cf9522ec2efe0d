"""How fast does ``import_package`` load a large network package, next to the raw store?

Writes a synthetic package of at least 200,000 rows, starts its own embedded FalkorDB in a
temporary folder (unix socket only: no network), then measures in the same run:

(a) raw: the same number of rows -- the package's own CSV rows as property maps -- written
    with ``UNWIND $rows AS r CREATE (n:Bench) SET n = r`` in batches of the importer's
    batch size, straight through the FalkorDB client;
(b) import: ``import_package`` end to end (read, validate, plan against the graph, write),
    then the same package again (a re-import that finds nothing to change).

Prints rows per second for both and their ratio (the target is import >= 80% of raw).
Everything runs in a temporary folder that is removed afterwards, and the run stops itself
after ``--timeout`` seconds.

    .venv/bin/python benchmarks/import_bench.py [--profile] [--json results.json]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import csv
import io
import json
import os
import platform
import pstats
import shutil
import signal
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from falkordb import FalkorDB  # noqa: E402

from tracker import create_app  # noqa: E402
from tracker.extensions import db, graph  # noqa: E402
from tracker.graph import falkor as falkor_module  # noqa: E402
from tracker.graph.connect import embedded_server  # noqa: E402
from tracker.graph.schema import SCHEMA  # noqa: E402
from tracker.graph.store import registered_queries  # noqa: E402
from tracker.packages import import_package  # noqa: E402
from tracker.packages import importer as importer_module  # noqa: E402
from tracker.packages.synthetic import BENCHMARK, COLUMNS, write_package  # noqa: E402

RAW_QUERY = "UNWIND $rows AS r CREATE (n:Bench) SET n = r"
TARGET = 0.8


class Stopped(Exception):
    """The time limit passed, or the run was interrupted: clean up and stop."""


def _stop(signum: int, frame: Any) -> None:
    raise Stopped(signal.Signals(signum).name)


def _package_rows(folder: Path) -> list[dict[str, str]]:
    """Every data row of the package as a property map (the raw load writes these)."""
    rows: list[dict[str, str]] = []
    for name in COLUMNS:
        with open(folder / name, encoding="utf-8", newline="") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def raw_load(
    socket: str, password: str, rows: list[dict[str, str]], batch: int, threads: int = 1
) -> tuple[float, float]:
    """Seconds to write ``rows`` as plain nodes in batches of ``batch``, and of that the
    server's own execution time (as FalkorDB reports it). With ``threads`` > 1 that many
    batches are in flight at once, as the importer sends them."""
    client = FalkorDB(unix_socket_path=socket, password=password)
    target = client.select_graph(f"bench_raw_{threads}")
    batches = [rows[start : start + batch] for start in range(0, len(rows), batch)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(lambda b: target.query(RAW_QUERY, {"rows": b}), batches))
    elapsed = time.perf_counter() - started
    server_ms = sum(result.run_time_ms for result in results)
    written = target.ro_query("MATCH (n:Bench) RETURN count(n)").result_set[0][0]
    if written != len(rows):
        raise RuntimeError(f"raw load wrote {written} nodes, expected {len(rows)}")
    client.connection.close()
    return elapsed, server_ms / 1000


class Stopwatch:
    """Seconds spent in named functions, by wrapping them for the length of a block.

    Measurement only: the wrapped functions are the importer's own stages and the graph
    client's calls, restored afterwards, so the breakdown needs no profiler overhead.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.server = 0.0
        # per statement name: [calls, rows, seconds, server seconds]
        self.statements: dict[str, list[float]] = {}
        self._names = {q.text: q.name for q in registered_queries().values()}

    def wrap(self, owner: Any, name: str, label: str, *, server: bool = False) -> Any:
        original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                result = original(*args, **kwargs)
            finally:
                self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - started
                self.calls[label] = self.calls.get(label, 0) + 1
            if server:
                seconds = time.perf_counter() - started
                self.server += result.run_time_ms / 1000
                text = args[0] if args else kwargs.get("q", "")
                params = args[1] if len(args) > 1 else kwargs.get("params") or {}
                entry = self.statements.setdefault(self._names.get(text, "other"), [0, 0, 0, 0])
                entry[0] += 1
                entry[1] += len(params.get("rows") or []) if isinstance(params, dict) else 0
                entry[2] += seconds
                entry[3] += result.run_time_ms / 1000
            return result

        setattr(owner, name, timed)
        return original

    @contextlib.contextmanager
    def around(self, store: Any):  # type: ignore[no-untyped-def]
        targets = [
            (importer_module, "read_package", "read"),
            (importer_module, "check", "check"),
            (importer_module, "make_plan", "plan"),
            (falkor_module, "check_params", "check_params"),
            (store._graph, "query", "graph_write", True),
            (store._graph, "ro_query", "graph_read", True),
        ]
        saved = []
        for owner, name, label, *server in targets:
            saved.append((owner, name, self.wrap(owner, name, label, server=bool(server))))
        try:
            yield self
        finally:
            for owner, name, original in saved:
                if owner is store._graph:
                    delattr(owner, name)  # back to the class's method
                else:
                    setattr(owner, name, original)


def _app(folder: Path, graph_dir: Path, batch: int | None) -> Any:
    instance = folder / "instance"
    instance.mkdir(mode=0o700)
    app = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": "benchmark",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'tracker.db'}",
            "TRACKER_GRAPH_URL": "embedded",
            "TRACKER_EMBEDDED_DIR": str(graph_dir),
            "TRACKER_GRAPH_NAME": "bench_import",
            **({"PACKAGE_BATCH_ROWS": batch} if batch else {}),
        }
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=app.extensions["migrate"].directory)
        graph.store.ensure_schema(SCHEMA)
    return app


def timed_import(app: Any, package: Path, profile: cProfile.Profile | None) -> dict[str, Any]:
    """Import once; the first progress call marks the end of reading, checking and planning."""
    marks: dict[str, float] = {}

    def progress(done: int, total: int) -> None:
        marks.setdefault("writing", time.perf_counter())

    watch = Stopwatch()
    with app.app_context(), watch.around(graph.store):
        started = time.perf_counter()
        if profile:
            profile.enable()
        report = import_package(package, actor="benchmark", progress=progress)
        if profile:
            profile.disable()
        finished = time.perf_counter()
        db.session.remove()
    if not report.ok:
        raise RuntimeError("the package was refused: " + "; ".join(map(str, report.problems[:5])))
    writing_from = marks.get("writing", finished)
    spent = watch.seconds
    graph_calls = spent.get("graph_write", 0.0) + spent.get("graph_read", 0.0)
    return {
        "seconds": finished - started,
        "prepare_seconds": writing_from - started,
        "write_seconds": finished - writing_from,
        "rows": report.rows,
        "written": report.written,
        **report.totals(),
        "breakdown": {
            "read_csv": spent.get("read", 0.0),
            "validate": spent.get("check", 0.0),
            "plan_including_graph_reads": spent.get("plan", 0.0),
            "graph_reads": spent.get("graph_read", 0.0),
            "graph_writes": spent.get("graph_write", 0.0),
            "server_execution": watch.server,
            "client_serialise_and_transfer": graph_calls - watch.server,
            "check_params": spent.get("check_params", 0.0),
            "statements": watch.calls.get("graph_write", 0) + watch.calls.get("graph_read", 0),
        },
        "by_statement": {
            name: {"calls": c, "rows": r, "seconds": t, "server_seconds": srv}
            for name, (c, r, t, srv) in sorted(
                watch.statements.items(), key=lambda item: -item[1][2]
            )
        },
    }


def _breakdown(result: dict[str, Any]) -> str:
    b = result["breakdown"]
    return (
        f"read CSV {b['read_csv']:.2f} s, validate {b['validate']:.2f} s, "
        f"plan {b['plan_including_graph_reads']:.2f} s (graph reads {b['graph_reads']:.2f} s), "
        f"graph writes {b['graph_writes']:.2f} s; of all graph calls: server execution "
        f"{b['server_execution']:.2f} s, client serialising and transfer "
        f"{b['client_serialise_and_transfer']:.2f} s; check_params {b['check_params']:.2f} s; "
        f"{b['statements']} statements (times summed over calls, which overlap when the "
        "importer writes from several threads)"
    )


def _statements(result: dict[str, Any], top: int = 10) -> None:
    print(f"          {'statement':<28} {'calls':>5} {'rows':>8} {'seconds':>8} {'server':>8}")
    for name, s in list(result["by_statement"].items())[:top]:
        print(
            f"          {name:<28} {s['calls']:>5} {s['rows']:>8,} "
            f"{s['seconds']:>8.2f} {s['server_seconds']:>8.2f}"
        )


def _rounded(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return round(value, 2) if isinstance(value, float) else value


def run(args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    server = None
    try:
        package = folder / "package"
        started = time.perf_counter()
        counts = write_package(package, **BENCHMARK)
        generated = time.perf_counter() - started
        total = sum(counts.values())
        print(f"package: {total:,} rows in {len(counts)} files, written in {generated:.1f} s")

        graph_dir = folder / "graph"
        server = embedded_server(str(graph_dir))
        address = server.start()
        app = _app(folder, graph_dir, args.batch)
        batch = int(app.config.get("PACKAGE_BATCH_ROWS", importer_module.BATCH_ROWS))
        threads = int(app.config.get("PACKAGE_WRITE_THREADS", 2))

        rows = _package_rows(package)
        assert len(rows) == total
        raw_seconds, raw_server = raw_load(address.unix_socket_path, address.password, rows, batch)
        raw_rate = total / raw_seconds
        print(
            f"raw:      {total:,} rows in {raw_seconds:.2f} s = {raw_rate:,.0f} rows/s "
            f"(server execution {raw_server:.2f} s, batches of {batch:,})"
        )
        threaded_seconds, _ = raw_load(
            address.unix_socket_path, address.password, rows, batch, threads
        )
        print(
            f"raw, {threads} threads: {total / threaded_seconds:,.0f} rows/s "
            f"(as many batches in flight as the importer uses)"
        )

        profile = cProfile.Profile() if args.profile else None
        first = timed_import(app, package, profile)
        import_rate = first["rows"] / first["seconds"]
        print(
            f"import:   {first['rows']:,} rows in {first['seconds']:.2f} s = "
            f"{import_rate:,.0f} rows/s (read+check+plan {first['prepare_seconds']:.2f} s, "
            f"write {first['write_seconds']:.2f} s, {first['written']:,} rows written)"
        )
        print(f"          {_breakdown(first)}")
        _statements(first)
        again = timed_import(app, package, None)
        print(
            f"re-import: {again['rows']:,} rows in {again['seconds']:.2f} s, "
            f"{again['created']} created, {again['updated']} updated"
        )
        print(f"          {_breakdown(again)}")
        _statements(again)
        ratio = import_rate / raw_rate
        verdict = "meets" if ratio >= TARGET else "misses"
        print(f"ratio:    import / raw = {ratio:.2f} ({verdict} the {TARGET:.0%} target)")
        threaded_ratio = import_rate * threaded_seconds / total
        print(f"          import / raw with {threads} threads = {threaded_ratio:.2f}")
        results = {
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
            },
            "batch_rows": batch,
            "write_threads": threads,
            "rows": total,
            "files": counts,
            "generate_seconds": round(generated, 2),
            "raw": {
                "seconds": round(raw_seconds, 2),
                "server_execution_seconds": round(raw_server, 2),
                "rows_per_second": round(raw_rate),
                "threaded_rows_per_second": round(total / threaded_seconds),
            },
            "import": {**_rounded(first), "rows_per_second": round(import_rate)},
            "reimport": _rounded(again),
            "ratio": round(ratio, 3),
            "ratio_to_threaded_raw": round(threaded_ratio, 3),
            "target": TARGET,
        }
        if profile:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
            print(out.getvalue())
            results["profile"] = out.getvalue()
        with app.app_context():
            graph.close(app)
            db.engine.dispose()
        return results
    finally:
        if server is not None:
            with contextlib.suppress(Exception):
                server.stop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"kept {folder}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", action="store_true", help="cProfile the first import")
    parser.add_argument("--top", type=int, default=40, help="profile lines to print")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--batch", type=int, help="rows per statement for both loads (default: the importer's)"
    )
    parser.add_argument("--timeout", type=int, default=1800, help="give up after N seconds")
    args = parser.parse_args()
    # The embedded server is a daemon: stop it on every way out, not only on success.
    for signum in (signal.SIGALRM, signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _stop)
    signal.alarm(args.timeout)
    try:
        results = run(args)
    except Stopped as exc:
        print(f"stopped ({exc}) before finishing; limit {args.timeout} s", file=sys.stderr)
        return 2
    finally:
        signal.alarm(0)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0 if results["ratio"] >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
