"""The import's write table and the parameter check it leans on, without a database."""

from __future__ import annotations

import math
import re
from collections import OrderedDict

import pytest

from tracker.graph.schema import UID_LABELS
from tracker.graph.store import check_params
from tracker.packages import ids
from tracker.packages.plan import WRITES, Planner
from tracker.packages.validate import Parsed

# -- the write table -------------------------------------------------------------------------


def test_every_write_is_a_write_statement_listed_once():
    names = [w.query.name for w in WRITES]
    assert len(names) == len(set(names))
    assert all(w.query.mode == "w" for w in WRITES)
    assert all((w.fallback is None or w.fallback.mode == "w") for w in WRITES)


def test_labels_in_the_table_are_known():
    for w in WRITES:
        assert w.needs <= set(UID_LABELS), w.query.name
        assert w.makes <= set(UID_LABELS), w.query.name


def test_everything_waits_for_the_network_node():
    for w in WRITES:
        if "Network" in w.makes:
            assert not w.needs, w.query.name
        else:
            assert "Network" in w.needs, w.query.name


def test_a_label_is_made_before_anything_that_needs_it():
    made: set[str] = set()
    for w in WRITES:
        assert w.needs <= made, w.query.name
        made |= w.makes


def test_node_creates_have_a_merge_twin_and_relationship_creates_do_not_need_one():
    for w in WRITES:
        if not w.query.name.startswith("package.create_"):
            assert w.fallback is None, w.query.name
            continue
        if w.makes and "Network" not in w.makes:
            assert w.fallback is not None, w.query.name
            text = w.fallback.text.replace("ON CREATE", "")
            assert "MERGE" in text and "CREATE" not in text, w.fallback.name
        else:
            # The network itself (a race is refused), and relationships, which are only
            # CREATEd in a network the same import has just created.
            assert w.fallback is None, w.query.name


# -- check_params: the fast path ---------------------------------------------------------------


def test_plain_rows_are_passed_on_without_a_copy():
    rows = [{"uid": "a", "n": 1, "f": 0.5, "ok": True, "none": None, "tags": ["x", "y"]}]
    params = {"rows": rows, "now": 1}
    checked = check_params(params)
    assert checked == params
    assert checked["rows"] is rows


def test_tuples_deep_inside_become_lists_and_the_callers_rows_are_untouched():
    row = {"uid": "a", "levels": ("pupil", "adult")}
    checked = check_params({"rows": [row]})
    assert checked == {"rows": [{"uid": "a", "levels": ["pupil", "adult"]}]}
    assert row["levels"] == ("pupil", "adult")


def test_other_mappings_become_plain_dicts():
    checked = check_params({"m": OrderedDict(a=1, b=[OrderedDict(c=2)])})
    assert checked == {"m": {"a": 1, "b": [{"c": 2}]}}
    assert type(checked["m"]) is dict and type(checked["m"]["b"][0]) is dict


@pytest.mark.parametrize(
    ("bad", "where"),
    [
        (math.inf, "rows[2].props.size"),
        (2**63, "rows[2].props.size"),
        ({1, 2}, "rows[2].props.size"),
    ],
)
def test_a_bad_value_among_many_is_named_by_its_path(bad, where):
    rows = [{"uid": str(i), "props": {"size": i}} for i in range(3)]
    rows[2]["props"]["size"] = bad
    with pytest.raises(TypeError, match=re.escape(f"parameter {where}:")):
        check_params({"rows": rows})


def test_attendance_uids_are_the_generic_relationship_uids():
    planner = Planner(None, Parsed(), None)  # type: ignore[arg-type]  (no store needed)
    planner.plan.network_uid = "0b7d4f0e-52a1-4c55-9d1e-6a2f3c9e8b71"
    person, session = "p-1", "s-1"
    expected = ids.relationship_uid(planner.plan.network_uid, "ATTENDED", person, session)
    assert planner.attended_uid(person, session) == expected
