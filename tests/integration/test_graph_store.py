"""The GraphStore contract on real backends: the embedded FalkorDB always, Neo4j when configured.

Set NEO4J_TEST_URI (with NEO4J_USER / NEO4J_PASSWORD, optionally NEO4J_TEST_DATABASE) to run
every test here on Neo4j as well. That database is emptied before and after each test.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from typing import Any

import pytest

import tracker.graph.queries  # noqa: F401  (registers every named query)
from tracker.extensions import graph
from tracker.graph import store as store_module
from tracker.graph.queries import health, maintenance, network, person, school
from tracker.graph.schema import SCHEMA, UID_LABELS
from tracker.graph.store import Conflict, GraphStore, Query, QueryRefused, registered_queries


def shipped_queries() -> dict[str, Query]:
    """Registered queries defined in the application (not ones a test module made up)."""
    defined = {
        id(value)
        for name, module in list(sys.modules.items())
        if name == "tracker" or name.startswith("tracker.")
        for value in vars(module).values()
        if isinstance(value, Query)
    }
    return {name: q for name, q in registered_queries().items() if id(q) in defined}


READ_QUERIES = {name: q for name, q in shipped_queries().items() if q.mode == "r"}


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    if request.param == "falkordb":
        request.getfixturevalue("ctx")  # a fresh graph with the schema, dropped afterwards
        yield graph.store
        return
    uri = os.environ.get("NEO4J_TEST_URI")
    if not uri:
        pytest.skip("NEO4J_TEST_URI not set: Neo4j backend not tested")
    from tracker.graph.neo4j import Neo4jStore

    neo = Neo4jStore(
        uri=uri,
        user=os.environ.get("NEO4J_USER", "neo4j"),
        password=os.environ.get("NEO4J_PASSWORD", ""),
        database=os.environ.get("NEO4J_TEST_DATABASE", "neo4j"),
    )
    try:
        neo.drop_graph()
        neo.ensure_schema(SCHEMA)
        yield neo
    finally:
        neo.drop_graph()
        neo.close()


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, Query]:
    """A scratch registry, so the queries a test makes up vanish after it."""
    scratch = dict(store_module._REGISTRY)
    monkeypatch.setattr(store_module, "_REGISTRY", scratch)
    return scratch


def everything(store: GraphStore) -> tuple[list[str], list[str]]:
    nodes = store.run(maintenance.DUMP_NODES)
    rels = store.run(maintenance.DUMP_RELATIONSHIPS)
    return sorted(map(repr, nodes)), sorted(map(repr, rels))


def seed(store: GraphStore) -> dict[str, str]:
    """One network, one school in it, one person working there (through the named queries)."""
    store.run(
        network.CREATE,
        {
            "uid": "net-1",
            "props": {"name": "Net", "kind": "learning_network", "priorities": ["Reading"]},
            "now": 1,
        },
    )
    store.run(
        school.CREATE_IN_NETWORK,
        {
            "network_uid": "net-1",
            "uid": "school-1",
            "props": {"name": "School", "urn": "100001", "lat": 51.5},
            "membership_uid": "member-1",
            "joined": "2024-09-01",
            "left": None,
            "now": 1,
        },
    )
    store.run(
        person.CREATE,
        {"network_uid": "net-1", "uid": "person-1", "props": {"name": "Ann"}, "now": 1},
    )
    store.run(
        person.START_WORK,
        {
            "uid": "person-1",
            "school_uid": "school-1",
            "works_uid": "works-1",
            "from": "2020-09-01",
            "to": None,
        },
    )
    return {"network": "net-1", "school": "school-1", "person": "person-1"}


def test_ensure_schema_is_safe_to_repeat(store: GraphStore, registry: dict[str, Query]) -> None:
    store.ensure_schema(SCHEMA)
    store.ensure_schema(SCHEMA)
    assert store.run(health.PING) == [{"ok": 1}]
    create = Query("test.create_network", "CREATE (n:Network) SET n.uid = $uid", "w")
    store.run(create, {"uid": "same"})
    with pytest.raises(Conflict):
        store.run(create, {"uid": "same"})


@pytest.mark.parametrize("label", UID_LABELS)
def test_second_node_with_the_same_uid_is_a_conflict(
    store: GraphStore, registry: dict[str, Query], label: str
) -> None:
    create = Query(
        f"test.create_{label}",
        f"CREATE (n:{label}) SET n.uid = $uid, n.name = $name RETURN n.uid AS uid",
        "w",
    )
    count = Query(
        f"test.count_{label}",
        f"MATCH (n:{label}) WHERE n.uid = $uid RETURN count(n) AS nodes, collect(n.name) AS names",
    )
    assert store.run(create, {"uid": "u-1", "name": "first"}) == [{"uid": "u-1"}]
    with pytest.raises(Conflict):
        store.run(create, {"uid": "u-1", "name": "second"})
    assert store.run(count, {"uid": "u-1"}) == [{"nodes": 1, "names": ["first"]}]


@pytest.mark.parametrize(
    "text",
    [
        "CREATE (n:Network) SET n.uid = $uid RETURN n.uid AS uid",
        "MERGE (n:Network {uid: $uid}) RETURN n.uid AS uid",
        "MATCH (n:Network) SET n.name = $uid RETURN n.uid AS uid",
        "MATCH (n) DETACH DELETE n",
    ],
    ids=["create", "merge", "set", "delete"],
)
def test_a_write_sent_down_the_read_path_is_refused(
    store: GraphStore, registry: dict[str, Query], text: str
) -> None:
    seed(store)
    before = everything(store)
    sneaky = Query("test.sneaky_write", text, "r")
    with pytest.raises(QueryRefused):
        store.run(sneaky, {"uid": "intruder"})
    assert everything(store) == before


def _assert_plain(value: Any, where: str) -> None:
    if type(value) is dict:
        for key, item in value.items():
            assert type(key) is str, f"{where}: key {key!r}"
            _assert_plain(item, f"{where}.{key}")
    elif type(value) is list:
        for i, item in enumerate(value):
            _assert_plain(item, f"{where}[{i}]")
    else:
        assert value is None or type(value) in (bool, int, float, str), (
            f"{where}: {type(value).__name__}"
        )


def test_rows_are_plain_dicts_and_lists(store: GraphStore) -> None:
    uids = seed(store)
    rows = store.run(person.LIST_IN_NETWORK, {"network_uid": uids["network"]})
    assert type(rows) is list
    assert rows[0]["person"]["name"] == "Ann"
    assert rows[0]["works"][0]["school_name"] == "School"
    got = store.run(network.GET, {"uid": uids["network"]})
    assert got[0]["network"]["priorities"] == ["Reading"]
    schools = store.run(
        school.LIST_IN_NETWORK, {"network_uid": uids["network"], "today": "2025-01-01"}
    )
    assert schools[0]["school"]["lat"] == 51.5
    assert schools[0]["staff"] == 1
    for name, result in (("person", rows), ("network", got), ("school", schools)):
        for i, row in enumerate(result):
            assert type(row) is dict, f"{name}[{i}] is a {type(row).__name__}"
            _assert_plain(row, f"{name}[{i}]")


DATE_PARAMS = {"today", "from", "to", "joined", "left", "started", "date", "since", "until"}


def plausible_params(text: str) -> dict[str, Any]:
    """A value of the right shape for every ``$name`` in a query."""
    params: dict[str, Any] = {}
    for name in set(re.findall(r"\$(\w+)", text)):
        if name == "all":
            params[name] = True
        elif name in ("uids", "rows") or name.endswith("_uids"):
            params[name] = []
        elif name == "version":
            params[name] = 1
        elif name == "now":
            params[name] = 0
        elif name in ("props", "params"):
            params[name] = {}
        elif name in DATE_PARAMS or name.endswith(("_on", "_date")):
            params[name] = "2025-01-01"
        elif name in ("limit", "skip", "offset"):
            params[name] = 10
        else:
            params[name] = "x"
    return params


def test_plausible_params_cover_the_shapes() -> None:
    text = "MATCH (n) WHERE $all OR n.uid IN $uids AND n.v = $version AND n.d > $today SKIP $skip"
    assert plausible_params(text + " RETURN $uid, $now") == {
        "all": True,
        "uids": [],
        "version": 1,
        "today": "2025-01-01",
        "skip": 10,
        "uid": "x",
        "now": 0,
    }


@pytest.mark.parametrize("name", sorted(READ_QUERIES))
def test_every_read_query_runs_on_an_empty_graph(store: GraphStore, name: str) -> None:
    query = READ_QUERIES[name]
    rows = store.run(query, plausible_params(query.text))
    assert type(rows) is list
    for row in rows:
        assert type(row) is dict
        _assert_plain(row, name)


def test_drop_graph_empties_the_graph(store: GraphStore) -> None:
    seed(store)
    assert store.run(health.COUNT_NODES)[0]["nodes"] == 3
    assert store.run(health.COUNT_RELATIONSHIPS)[0]["relationships"] == 3
    store.drop_graph()
    assert store.run(health.COUNT_NODES) == [{"nodes": 0}]
    assert store.run(health.COUNT_RELATIONSHIPS) == [{"relationships": 0}]
    assert store.run(network.GET, {"uid": "net-1"}) == []
    store.drop_graph()  # dropping an empty graph is fine too
    assert store.run(health.COUNT_NODES) == [{"nodes": 0}]
