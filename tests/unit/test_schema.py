"""Schema DDL for both backends, rendered from data: every uid label is covered, no injection."""

from __future__ import annotations

import pytest

from tracker.graph.schema import SCHEMA, UID_LABELS, Schema, render_falkordb, render_neo4j


@pytest.mark.parametrize("label", UID_LABELS)
def test_falkordb_indexes_and_constrains_uid_of_every_label(label: str) -> None:
    statements, unique = render_falkordb(SCHEMA)
    assert f"CREATE INDEX FOR (n:{label}) ON (n.uid)" in statements
    # FalkorDB's unique constraint needs the index above to exist first.
    assert (label, "uid") in unique


@pytest.mark.parametrize("label", UID_LABELS)
def test_neo4j_constrains_uid_of_every_label(label: str) -> None:
    statements = render_neo4j(SCHEMA)
    assert (
        f"CREATE CONSTRAINT {label.lower()}_uid_unique IF NOT EXISTS "
        f"FOR (n:{label}) REQUIRE n.uid IS UNIQUE"
    ) in statements


def test_lookup_indexes_are_rendered_for_both_backends() -> None:
    falkor, _ = render_falkordb(SCHEMA)
    neo = render_neo4j(SCHEMA)
    for label, prop in SCHEMA.indexed:
        assert f"CREATE INDEX FOR (n:{label}) ON (n.{prop})" in falkor
        assert (
            f"CREATE INDEX {label.lower()}_{prop}_index IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"
        ) in neo


def test_every_neo4j_statement_is_safe_to_repeat_and_named_once() -> None:
    statements = render_neo4j(SCHEMA)
    assert all(" IF NOT EXISTS " in s for s in statements)
    names = [s.split()[2] for s in statements]
    assert len(names) == len(set(names))


def test_falkordb_index_statements_are_not_duplicated() -> None:
    both = Schema(unique=(("Person", "uid"),), indexed=(("Person", "uid"), ("Person", "name")))
    statements, unique = render_falkordb(both)
    assert statements == [
        "CREATE INDEX FOR (n:Person) ON (n.name)",
        "CREATE INDEX FOR (n:Person) ON (n.uid)",
    ]
    assert unique == [("Person", "uid")]


def test_schema_labels_lists_every_label_once() -> None:
    assert SCHEMA.labels() >= set(UID_LABELS)


UNSAFE = [
    "Person) DETACH DELETE (n",
    "Person`",
    "Person:Admin",
    "Person {uid: 1}",
    "uid IS UNIQUE //",
    "1Person",
    "_Person",
    "Per son",
    "Person\n",
    "",
]


@pytest.mark.parametrize("name", UNSAFE)
@pytest.mark.parametrize("where", ["label", "property"])
@pytest.mark.parametrize("kind", ["unique", "indexed"])
@pytest.mark.parametrize("render", [render_falkordb, render_neo4j], ids=["falkordb", "neo4j"])
def test_unsafe_identifiers_are_refused(name: str, where: str, kind: str, render) -> None:  # type: ignore[no-untyped-def]
    pair = (name, "uid") if where == "label" else ("Person", name)
    schema = Schema(**{kind: (pair,)})
    with pytest.raises(ValueError, match="unsafe identifier"):
        render(schema)
