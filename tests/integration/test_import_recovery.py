"""Imports that are cut short or raced: running again always converges on the same graph.

The importer writes new rows with CREATE while it is still planning (tracker/packages/
importer.py); these tests hold it to the promise that this is as safe as MERGE everywhere:
an import stopped after any number of statements and run again gives exactly the graph of a
clean import, and an import whose plan went stale under a concurrent one neither duplicates
anything nor loses anything.
"""

from __future__ import annotations

import gc
import itertools
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.conftest import make_app, stores_state
from tracker.extensions import db, graph
from tracker.graph.queries import maintenance
from tracker.graph.store import Query, StoreUnavailable
from tracker.models import AuditEntry
from tracker.packages import PackageError, import_package
from tracker.packages.importer import Writer, write_threads
from tracker.packages.plan import make_plan
from tracker.packages.reader import Limits, read_package
from tracker.packages.synthetic import write_package
from tracker.packages.validate import check

BATCH = 7  # rows per statement: the small package below takes about thirty statements
TIMESTAMPS = {"updated_at", "created_at"}


def _package(folder: Path, **options: Any) -> Path:
    write_package(folder, seed=7, schools=3, staff_scale=0.15, activity_scale=0.2, **options)
    return folder


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _package(tmp_path_factory.mktemp("recovery") / "package")


def graph_of(app: Flask) -> tuple[list[Any], list[Any]]:
    """Every node and relationship, without the write times (they differ between runs)."""
    with app.app_context():
        nodes = graph.store.run(maintenance.DUMP_NODES)
        rels = graph.store.run(maintenance.DUMP_RELATIONSHIPS)

    def plain(props: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
        return tuple(sorted((k, repr(v)) for k, v in props.items() if k not in TIMESTAMPS))

    return (
        sorted((tuple(n["labels"]), plain(n["props"])) for n in nodes),
        sorted((r["source"], r["type"], r["target"], plain(r["props"])) for r in rels),
    )


@pytest.fixture(scope="module")
def clean(
    package: Path, tmp_path_factory: pytest.TempPathFactory, graph_dir: str, migrated_db: Path
) -> tuple[list[Any], list[Any]]:
    """The graph a clean import of ``package`` makes (uids do not depend on the run)."""
    app = make_app(tmp_path_factory.mktemp("clean"), graph_dir, migrated_db)
    try:
        with app.app_context():
            assert import_package(package).ok
        return graph_of(app)
    finally:
        with app.app_context():
            graph.store.drop_graph()
            graph.close(app)
            db.engine.dispose()


@pytest.fixture
def small_batches(app: Flask) -> Flask:
    app.config["PACKAGE_BATCH_ROWS"] = BATCH
    return app


class Outage:
    """The store goes away after ``n`` write statements: counts what was attempted and done."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.attempts = itertools.count()
        self.done: Counter[str] = Counter()

    def wrap(self, run: Any) -> Any:
        def failing(query: Query, params: Any = None) -> list[dict[str, Any]]:
            if query.mode == "w":
                if next(self.attempts) >= self.n:
                    raise StoreUnavailable("graph store (FalkorDB) unreachable: test")
                self.done[query.name] += 1
            return run(query, params)

        return failing


@pytest.fixture
def outage(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``outage(n)``: the app's store fails every write statement after the first ``n``."""

    def arm(n: int) -> Outage:
        with app.app_context():
            store = graph.store
        cut = Outage(n)
        monkeypatch.setattr(store, "run", cut.wrap(store.run))
        return cut

    yield arm
    monkeypatch.undo()


def _counts(app: Flask) -> Counter[str]:
    nodes, rels = graph_of(app)
    return Counter(label for labels, _ in nodes for label in labels) + Counter(
        kind for _, kind, _, _ in rels
    )


@pytest.mark.parametrize("statements", [0, 1, 2, 5, 12, 25])
def test_an_import_cut_short_is_finished_by_running_it_again(
    small_batches, package, clean, outage, monkeypatch, statements
):
    app = small_batches
    cut = outage(statements)
    with pytest.raises(StoreUnavailable), app.app_context():
        import_package(package)
    assert gc.isenabled()  # the importer's collector pause ends on failure too
    assert cut.done.total() == statements
    if statements:
        assert _counts(app), "the first attempt wrote part of the package"
    monkeypatch.undo()

    with app.app_context():
        again = import_package(package)
    assert again.ok
    assert graph_of(app) == clean
    # A third run finds everything in place.
    before = stores_state(app)
    with app.app_context():
        third = import_package(package)
    assert not third.changed and third.written == 0
    assert stores_state(app) == before


def _stale_plan(app: Flask, path: Path) -> Any:
    with app.app_context():
        parsed, problems = check(read_package(path, Limits()))
        assert not problems
        return make_plan(graph.store, parsed, None)


def _write(app: Flask, plan: Any) -> int:
    with app.app_context():
        writer = Writer(graph.store, size=BATCH, workers=2)
        try:
            for write, rows in plan.batches():
                writer.send(plan.network_uid, write, rows)
            return writer.finish(None, plan.total)
        finally:
            writer.close()


def test_a_failed_statement_stops_the_import(small_batches, package, outage):
    app = small_batches
    statements = sum(-(-len(rows) // BATCH) for _, rows in _stale_plan(app, package).batches())
    cut = outage(3)
    with pytest.raises(StoreUnavailable), app.app_context():
        import_package(package)
    assert cut.done.total() == 3
    assert cut.done["package.create_network"] == 1  # the network goes first
    # Past the failure at most the batches already on their way in other threads are tried.
    with app.app_context():
        threads = write_threads(graph.store)
    assert next(cut.attempts) <= 3 + threads < statements


def test_of_two_first_imports_at_once_the_later_writes_nothing(app, package, clean, monkeypatch):
    send = Writer.send

    def other_import_first(writer: Writer, *args: Any) -> None:
        # The first write of this import is about to go out, its plan made against a graph
        # without the network: another import of the same package runs start to finish.
        monkeypatch.setattr(Writer, "send", send)
        assert import_package(package).ok
        send(writer, *args)

    monkeypatch.setattr(Writer, "send", other_import_first)
    with app.app_context():
        with pytest.raises(PackageError, match="another import created this network"):
            import_package(package)
        imports = db.session.scalars(db.select(AuditEntry).filter_by(action="import")).all()
    assert len(imports) == 1
    assert graph_of(app) == clean


def test_a_stale_plan_for_an_existing_network_merges_instead_of_duplicating(app, package, tmp_path):
    with app.app_context():
        assert import_package(package).ok
    # The same network a term later: a new teacher, who names a colleague in the survey.
    grown = tmp_path / "grown"
    shutil.copytree(package, grown)
    people = (package / "people.csv").read_text().splitlines()
    colleague, school = people[1].split(",")[0], people[1].split(",")[2]
    with open(grown / "people.csv", "a", encoding="utf-8") as handle:
        handle.write(f"EXTRA1,Gus New,{school},teacher,Teacher,no,2025-01-06,\n")
    with open(grown / "advice.csv", "a", encoding="utf-8") as handle:
        handle.write(f"EXTRA1,{colleague},curriculum,weekly,3,2025-03-07\n")
    stale = _stale_plan(app, grown)  # both rows are new to this plan
    assert not stale.network_created and stale.total == 2
    with app.app_context():
        assert import_package(grown).ok  # meanwhile another import writes them
    nodes_before, rels_before = graph_of(app)

    assert _write(app, stale) == 2  # the CREATE meets EXTRA1's uid: its MERGE twin runs
    nodes, rels = graph_of(app)
    assert len(nodes) == len(nodes_before) and len(rels) == len(rels_before)
    with app.app_context():
        everyone = graph.store.run(maintenance.DUMP_NODES)
        ties = graph.store.run(maintenance.DUMP_RELATIONSHIPS)
    extra = [n["props"] for n in everyone if n["props"].get("key") == "EXTRA1"]
    assert len(extra) == 1 and extra[0]["version"] == 2  # merged, not duplicated
    named = [t for t in ties if t["type"] == "SEEKS_ADVICE" and t["source"] == extra[0]["uid"]]
    assert len(named) == 1
