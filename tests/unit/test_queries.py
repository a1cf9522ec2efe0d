"""Named queries and parameters, checked without a database.

The lint holds every query the application ships to ``docs/cypher-portability.md``, so a text
that would only run on one engine (or splice a value into Cypher) fails here, not in production.
"""

from __future__ import annotations

import math
import re
import sys
from typing import Any

import pytest

import tracker.graph.queries  # noqa: F401  (registers every named query)
from tracker.graph import store as store_module
from tracker.graph.store import INT64_MAX, INT64_MIN, Query, check_params, registered_queries


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


QUERIES = shipped_queries()


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, Query]:
    """A scratch registry, so the queries a test makes up vanish after it."""
    scratch = dict(store_module._REGISTRY)
    monkeypatch.setattr(store_module, "_REGISTRY", scratch)
    return scratch


# -- check_params ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        "",
        "Ümlaut and emoji ✓",
        0,
        INT64_MAX,
        INT64_MIN,
        1.5,
        -0.0,
        [],
        ["a", 1, 2.5, None, True],
        {"name": "x", "n": 1, "nested": {"list": [1, 2], "none": None}},
        [{"uid": "a", "props": {"name": "b"}}],
    ],
)
def test_check_params_accepts_portable_values(value: Any) -> None:
    assert check_params({"p": value}) == {"p": value}


def test_check_params_turns_tuples_into_lists() -> None:
    assert check_params({"uids": ("a", "b"), "m": {"t": (1,)}}) == {
        "uids": ["a", "b"],
        "m": {"t": [1]},
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (INT64_MAX + 1, "int64"),
        (INT64_MIN - 1, "int64"),
        (10**30, "int64"),
        (math.nan, "finite"),
        (math.inf, "finite"),
        (-math.inf, "finite"),
        ({"a", "b"}, "set"),
        (frozenset(), "frozenset"),
        (object(), "object"),
        (b"bytes", "bytes"),
        ({1: "one"}, "keys must be strings"),
        ({("a",): 1}, "keys must be strings"),
    ],
    ids=lambda v: repr(v)[:24] if isinstance(v, int | float | str) else type(v).__name__,
)
def test_check_params_rejects_values_the_backends_treat_differently(
    value: Any, message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        check_params({"p": value})


def test_check_params_names_the_bad_value_deep_inside() -> None:
    rows = [{"uid": "a", "props": {"size": 3}}, {"uid": "b", "props": {"size": math.nan}}]
    with pytest.raises(TypeError, match=re.escape("parameter rows[1].props.size")):
        check_params({"rows": rows})


# -- Query -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "MATCH (n) RETURN n.uid AS uid; MATCH (m) DETACH DELETE m",
        "CREATE (n:Person);CREATE (m:Person)",
        "MATCH (n) RETURN 1 AS one;\n;",
    ],
)
def test_query_refuses_statement_chains(registry: dict[str, Query], text: str) -> None:
    with pytest.raises(ValueError, match="one statement per query"):
        Query("test.chain", text)
    assert "test.chain" not in registry


def test_query_allows_a_single_trailing_semicolon(registry: dict[str, Query]) -> None:
    query = Query("test.trailing", "RETURN 1 AS one;")
    assert registry["test.trailing"] is query


def test_query_refuses_an_unknown_mode(registry: dict[str, Query]) -> None:
    with pytest.raises(ValueError, match="mode"):
        Query("test.mode", "RETURN 1 AS one", "rw")  # type: ignore[arg-type]
    assert "test.mode" not in registry


def test_query_name_cannot_be_reused_for_different_text(registry: dict[str, Query]) -> None:
    first = Query("test.same_name", "RETURN 1 AS one")
    with pytest.raises(ValueError, match="registered twice"):
        Query("test.same_name", "RETURN 2 AS two")
    assert registry["test.same_name"] is first


def test_query_redefined_with_same_text_is_fine(registry: dict[str, Query]) -> None:
    Query("test.again", "RETURN 1 AS one")
    again = Query("test.again", "RETURN 1 AS one")
    assert registry["test.again"] == again


def test_shipped_queries_are_registered_under_their_own_names() -> None:
    assert len(QUERIES) >= 20
    assert all(name == query.name for name, query in QUERIES.items())


# -- portability lint over every shipped query -----------------------------------------------

FORBIDDEN = [
    (r"=~", "regular expressions (rule 9)"),
    (r"\bEXISTS\s*\{", "EXISTS {} subquery (rule 7)"),
    (r"\bCOUNT\s*\{", "COUNT {} subquery (rule 7)"),
    (r"\bCOLLECT\s*\{", "COLLECT {} subquery (rule 7)"),
    (r"\bCALL\s*\{", "CALL {} subquery (rule 7)"),
    (r"\bIS\s*::", "type predicate (rule 7)"),
    (r"\bexists\s*\(", "exists() (rule 7: use IS NOT NULL)"),
    (r"\bid\s*\(", "id() (rule 10)"),
    (r"\belementId\s*\(", "elementId() (rule 10)"),
    (r"\b(?:date|datetime|localdatetime|localtime|time|duration)\s*\(", "temporal values (13)"),
    (r"'", "a quoted literal: values are parameters (rule 2)"),
    (r'"', "a quoted literal: values are parameters (rule 2)"),
    (r"\bLOAD\s+CSV\b", "LOAD CSV"),
    (r"\b(?:SKIP|LIMIT)\s+(?!\$\w+\b|\d+\b)", "SKIP/LIMIT take a literal or $param (rule 4)"),
    (r"\b(?:SKIP|LIMIT)\s+(?:\$\w+|\d+)\s*[-+*/]", "SKIP/LIMIT expression (rule 4)"),
]

WRITE_CLAUSE = re.compile(r"\b(?:CREATE|MERGE|SET|DELETE|REMOVE)\b", re.IGNORECASE)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_text_is_portable(name: str) -> None:
    text = QUERIES[name].text
    found = [
        reason for pattern, reason in FORBIDDEN if re.search(pattern, text, flags=re.IGNORECASE)
    ]
    assert not found, f"{name}: {found}"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_mode_matches_its_text(name: str) -> None:
    query = QUERIES[name]
    writes = bool(WRITE_CLAUSE.search(query.text))
    assert query.mode == ("w" if writes else "r"), f"{name} is marked {query.mode!r}"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_mixes_no_union_kinds(name: str) -> None:
    text = QUERIES[name].text.upper()
    all_unions = len(re.findall(r"\bUNION\s+ALL\b", text))
    unions = len(re.findall(r"\bUNION\b", text))
    assert all_unions in (0, unions), f"{name} mixes UNION and UNION ALL (rule 6)"


def test_lint_catches_what_it_claims_to() -> None:
    """The lint patterns must fire on the constructs the portability rules forbid."""
    bad = [
        "MATCH (n) WHERE n.name =~ $p RETURN n.uid AS uid",
        "MATCH (n) WHERE EXISTS { (n)-->() } RETURN n.uid AS uid",
        "MATCH (n) RETURN COUNT { (n)-->() } AS c",
        "MATCH (n) CALL { WITH n RETURN 1 AS x } RETURN x",
        "MATCH (n) WHERE exists(n.name) RETURN n.uid AS uid",
        "MATCH (n) RETURN id(n) AS i",
        "MATCH (n) RETURN elementId(n) AS i",
        "MATCH (n) WHERE n.d > date($d) RETURN n.uid AS uid",
        "RETURN datetime() AS now",
        "MATCH (n {name: 'Ann'}) RETURN n.uid AS uid",
        "MATCH (n) RETURN n.uid AS uid LIMIT $n + 1",
        "MATCH (n) RETURN n.uid AS uid SKIP toInteger($n)",
    ]
    for text in bad:
        assert any(re.search(p, text, flags=re.IGNORECASE) for p, _ in FORBIDDEN), text
    fine = "MATCH (p:Person {uid: $uid}) RETURN p.uid AS uid, p.created_at AS at LIMIT $limit"
    assert not any(re.search(p, fine, flags=re.IGNORECASE) for p, _ in FORBIDDEN)
    assert not WRITE_CLAUSE.search(fine)
