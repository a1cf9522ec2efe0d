"""``tracker demo``: a year of believable activity in every category; loading twice is a no-op."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from typing import Any

from flask import Flask

from tests.conftest import stores_state
from tracker.extensions import graph
from tracker.graph.queries import maintenance
from tracker.services import demo


def _year() -> tuple[str, str]:
    """The demonstration's period: the last complete school year and this one so far."""
    start, months = demo.period()
    first = dt.date.fromisoformat(start)
    year, month = divmod(first.month - 1 + months, 12)
    return start, (dt.date(first.year + year, month + 1, 1) - dt.timedelta(days=1)).isoformat()


def _load(runner) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["demo", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _graph(app: Flask) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    with app.app_context():
        return graph.store.run(maintenance.DUMP_NODES), graph.store.run(
            maintenance.DUMP_RELATIONSHIPS
        )


def _by_label(nodes: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node in nodes:
        for label in node["labels"]:
            out[label].append(node["props"])
    return out


def _by_type(rels: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rel in rels:
        out[rel["type"]].append(rel)
    return out


def test_every_category_arrives_and_matches_the_counts_printed(app, runner):
    body = _load(runner)
    nodes, rels = _graph(app)
    labels, types = _by_label(nodes), _by_type(rels)

    assert body["network"]["name"] == "Riverside Learning Network"
    assert [n["uid"] for n in labels["Network"]] == [body["network"]["uid"]]
    assert len(labels["School"]) == body["schools"] == 10
    assert len(labels["Person"]) == body["people"] >= 150
    # Every category of the network's life, each with the number the command printed.
    expected = {
        "FundingPeriod": body["funding_periods"],
        "EnquiryGroup": body["groups"],
        "GroupSession": body["group_sessions"],
        "Outcome": body["outcomes"],
        "CoachingPair": body["coaching_pairs"],
        "Role": body["roles"],
        "Activity": body["activities"],
        "Response": body["responses"],
    }
    assert {label: len(labels[label]) for label in expected} == expected
    assert min(expected.values()) >= 1
    assert len(types["MEMBER_OF_GROUP"]) == body["group_memberships"]
    assert len(types["TRAINED"]) == body["trained"]
    assert len(types["SEEKS_ADVICE"]) == body["advice_nominations"]
    assert len(types["ADOPTED_BY"]) == body["transfers"]
    assert len(types["IN_PAIR"]) == 2 * body["coaching_pairs"]
    assert labels["Practice"], "knowledge transfer needs practices"
    for kind in ("OF_GROUP", "HOLDS", "HOSTED_BY", "DECIDED_BY", "SHARED", "ATTENDED"):
        assert types[kind], kind
    # Sessions of groups and activities are both attended.
    session_uids = {s["uid"] for s in labels["GroupSession"]}
    activity_uids = {a["uid"] for a in labels["Activity"]}
    attended = [r["target"] for r in types["ATTENDED"]]
    assert sum(t in activity_uids for t in attended) == body["attendance"]
    assert any(t in session_uids for t in attended)

    assert {a["kind"] for a in labels["Activity"]} == {
        "learning_forum",
        "meeting",
        "visit",
        "workshop",
        "training",
    }
    assert {r["props"]["stage"] for r in types["ADOPTED_BY"]} == {"heard", "trialled", "embedded"}
    assert {m["props"]["role"] for m in types["MEMBER_OF_GROUP"]} == {"lead", "member"}
    assert {o["kind"] for o in labels["Outcome"]} <= {
        "artefact",
        "practice_change",
        "policy",
        "report",
    }
    assert {r["origin"] for r in labels["Role"]} == {"design", "default", "desperation"}
    assert any(r.get("to") for r in labels["Role"]), "a role handed over is closed, not overwritten"

    # A year of it: every dated record falls inside the demonstration year.
    dates = (
        [s["date"] for s in labels["GroupSession"]]
        + [o["date"] for o in labels["Outcome"]]
        + [a["date"] for a in labels["Activity"]]
        + [r["props"]["date"] for r in types["ADOPTED_BY"] + types["TRAINED"]]
        + [d for p in labels["CoachingPair"] for d in p["sessions"]]
    )
    first, last = _year()
    assert first <= min(dates) and max(dates) <= last <= dt.date.today().isoformat()
    months = Counter(d[:7] for d in dates)
    autumn, summer = f"{first[:4]}-1", f"{int(first[:4]) + 1}-04"
    assert any(m.startswith(autumn) for m in months) and any(m >= summer for m in months)


def test_a_second_load_changes_nothing_but_the_audit_log(app, runner):
    first = _load(runner)
    assert first["changes"]["created"] > 0
    before_graph, before_tables = stores_state(app)
    second = _load(runner)
    after_graph, after_tables = stores_state(app)

    assert after_graph == before_graph
    assert {k: v for k, v in after_tables.items() if k != "audit_log"} == {
        k: v for k, v in before_tables.items() if k != "audit_log"
    }
    assert second["changes"]["created"] == second["changes"]["updated"] == 0
    assert second["changes"]["unchanged"] == first["changes"]["created"]
    assert second["logins"] == first["logins"]
    assert {k: v for k, v in second.items() if k != "changes"} == {
        k: v for k, v in first.items() if k != "changes"
    }


def test_the_year_has_the_shape_the_sources_describe(app, runner):
    _load(runner)
    nodes, rels = _graph(app)
    labels, types = _by_label(nodes), _by_type(rels)
    people = {p["uid"]: p for p in labels["Person"]}
    school_of = {r["source"]: r["target"] for r in types["WORKS_AT"]}
    schools = {s["uid"]: s for s in labels["School"]}

    # A head in every school, and three staff layers in realistic proportions.
    heads = {
        school_of[uid]
        for uid, p in people.items()
        if p["job_title"] in {"Headteacher", "Principal"}
    }
    assert heads == set(schools)
    layers = Counter(p["layer"] for p in people.values())
    assert set(layers) == {"senior", "teacher", "support"}
    assert layers["teacher"] > layers["support"] > layers["senior"]

    # Enquiry groups are led from more than one school.
    leads: dict[str, set[str]] = defaultdict(set)
    for rel in types["MEMBER_OF_GROUP"]:
        if rel["props"]["role"] == "lead":
            leads[rel["target"]].add(school_of[rel["source"]])
    assert sum(len(s) >= 2 for s in leads.values()) >= len(labels["EnquiryGroup"]) // 2

    # The Oldham cascade: two trained per school by one trainer, who then coach at home.
    p4c = [r for r in types["TRAINED"] if r["props"]["practice"] == "Philosophy for Children"]
    trainers = Counter(r["source"] for r in p4c)
    root, first_wave = trainers.most_common(1)[0]
    trained_first = [r["target"] for r in p4c if r["source"] == root]
    assert Counter(school_of[t] for t in trained_first) == dict.fromkeys(schools, 2)
    assert first_wave == 20
    home = [r for r in p4c if r["source"] in trained_first]
    assert home and all(school_of[r["source"]] == school_of[r["target"]] for r in home)
    pair_schools = defaultdict(set)
    for rel in types["IN_PAIR"]:
        pair_schools[rel["target"]].add(school_of[rel["source"]])
    assert any(len(s) == 2 for s in pair_schools.values())  # across schools
    assert any(len(s) == 1 for s in pair_schools.values())  # at home

    # Learning forums are hosted by the schools in turn.
    forums = {a["uid"] for a in labels["Activity"] if a["kind"] == "learning_forum"}
    hosts = [r["target"] for r in types["HOSTED_BY"] if r["source"] in forums]
    assert len(set(hosts)) == len(hosts) >= 3

    # School links and lead learners are designated by their own school's head.
    holds = {r["target"]: r["source"] for r in types["HOLDS"]}
    for role in labels["Role"]:
        if role["title"] in {"school_link", "lead_learner"} and role.get("designated_by"):
            holder, head = holds[role["uid"]], role["designated_by"]
            assert people[head]["job_title"] in {"Headteacher", "Principal"}
            assert school_of[head] == school_of[holder]

    # Advice stays mostly inside schools and goes up the hierarchy (Torrance).
    advice = types["SEEKS_ADVICE"]
    inside = sum(school_of[r["source"]] == school_of[r["target"]] for r in advice)
    assert 0.6 < inside / len(advice) < 0.95
    to_seniors = sum(people[r["target"]]["layer"] == "senior" for r in advice) / len(advice)
    assert to_seniors > 2 * layers["senior"] / len(people)


def test_the_demo_package_is_the_same_every_time(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert demo.write(first) == demo.write(second)
    for path in sorted(first.iterdir()):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_the_demo_is_the_last_complete_school_year_and_this_one_so_far():
    assert demo.period(dt.date(2026, 11, 23)) == ("2025-09-01", 14)
    assert demo.period(dt.date(2026, 9, 1)) == ("2025-09-01", 12)
    assert demo.period(dt.date(2026, 8, 31)) == ("2024-09-01", 23)
    assert demo.period(dt.date(2025, 9, 30)) == ("2024-09-01", 12)
