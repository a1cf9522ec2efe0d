"""The fifteen warning signs on hand-built snapshots: each holds where the source says it
should, stays quiet on a near miss, says "insufficient data" when it cannot judge, and a
healthy network raises none of the twelve signs the issue names (pure, no I/O)."""

from __future__ import annotations

import json
import warnings
from dataclasses import replace
from types import ModuleType
from typing import Any

import pytest

from tests.unit.snapshot_builder import PRIORITIES, SCHOOLS, Net, healthy, uid, without
from tracker import signs
from tracker.analysis.snapshot import OutcomeRow, Snapshot
from tracker.signs import (
    contrived,
    cosy,
    designated_not_recognised,
    distance_barrier,
    dominance,
    fragile_broker,
    head_dependence,
    inertia,
    layer_dislocation,
    low_connectedness,
    low_trust,
    no_knowledge_transfer,
    overload,
    recognised_not_designated,
    weak_consistency,
)
from tracker.signs import evidence as ev
from tracker.signs.base import Finding, Threshold

HEALTHY_QUIET = (
    "low_connectedness",
    "no_knowledge_transfer",
    "contrived",
    "cosy",
    "inertia",
    "dominance",
    "head_dependence",
    "fragile_broker",
    "layer_dislocation",
    "low_trust",
    "weak_consistency",
    "overload",
)


def run(sign: ModuleType, s: Snapshot, **overrides: Any) -> Finding | None:
    """One sign with its default thresholds, some overridden."""
    return sign.evaluate(s, {**signs.DEFAULT_THRESHOLDS[sign.ID], **overrides})


def holds(sign: ModuleType, s: Snapshot, severity: str, **overrides: Any) -> Finding:
    finding = run(sign, s, **overrides)
    assert finding is not None, f"{sign.ID} should hold"
    assert not finding.insufficient, finding.evidence
    assert (finding.id, finding.severity) == (sign.ID, severity), finding.explanation
    _check_shape(finding, s)
    return finding


def insufficient(sign: ModuleType, s: Snapshot) -> str:
    finding = run(sign, s)
    assert finding is not None and finding.insufficient, finding
    assert finding.severity == "info"
    assert finding.as_json()["evidence"] == {
        "insufficient_data": finding.evidence["insufficient_data"]
    }
    return finding.evidence["insufficient_data"]


def _check_shape(finding: Finding, s: Snapshot) -> None:
    """interfaces.md's shape, JSON-ready, and people's names only inside person references."""
    data = finding.as_json()
    assert list(data) == ["id", "severity", "title", "explanation", "source", "evidence",
                          "suggestion"]  # fmt: skip
    json.dumps(data)
    names = [p.name for p in s.people]
    prose = " ".join((finding.title, finding.explanation, finding.source, finding.suggestion))
    assert not [n for n in names if n in prose]
    assert finding.suggestion and finding.source

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            if set(value) >= {"uid", "name", "school"}:
                assert set(value) - {"uid", "name", "school"} <= {"roles", "nominations"}
            for k, v in value.items():
                if k != "name":
                    walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            assert value not in names, f"a name outside a person reference under {key!r}"

    walk(data["evidence"])


@pytest.fixture(scope="module")
def base() -> Snapshot:
    return healthy().build()


# -- the healthy network -----------------------------------------------------------------


@pytest.mark.parametrize("at", ["2026-07-31", "2026-05-01", "2026-01-10", "2025-12-20"])
def test_a_healthy_network_raises_none_of_the_twelve(at: str) -> None:
    net = healthy()
    findings = signs.evaluate_all(net.build(at))
    raised = {f.id for f in findings if not f.insufficient}
    assert not raised & set(HEALTHY_QUIET), [f.explanation for f in findings]
    assert not [f for f in findings if f.insufficient and f.id in HEALTHY_QUIET]


def test_evaluate_all_lists_findings_in_registry_order(base: Snapshot) -> None:
    s = without(base, schools=(*base.schools[:5], replace(base.schools[5], lat=None)))
    ids = [f.id for f in signs.evaluate_all(s)]
    order = [m.ID for m in signs.SIGNS]
    assert ids == sorted(ids, key=order.index)
    assert "recognised_not_designated" not in ids  # advice spread evenly: nobody stands out


# -- low connectedness -------------------------------------------------------------------


def test_low_connectedness_an_isolated_school() -> None:
    net = healthy()
    net.school("G")
    net.staff("G")
    f = holds(low_connectedness, net.build(), "warning")
    assert f.evidence["isolated_schools"] == [{"uid": "u-G", "name": "School G"}]
    assert f.evidence["components"] == 2
    assert "School G has no tie to, or shared activity with, another school" in f.explanation


def test_low_connectedness_a_school_linked_only_by_a_transfer_is_still_cut_off() -> None:
    net = healthy()
    net.school("G")
    net.staff("G")
    net.transfer("A", "G", "2026-03-01")
    f = holds(low_connectedness, net.build(), "warning")
    assert f.evidence["components"] == 2  # a transfer joins no parts either
    assert f.evidence["isolated_schools"] == [{"uid": "u-G", "name": "School G"}]


def test_low_connectedness_near_miss_one_visit_links_the_school() -> None:
    net = healthy()
    net.school("G")
    net.staff("G")
    net.activity("2026-03-10", "A", ["GT1", "AT1"], kind="visit")
    assert run(low_connectedness, net.build()) is None


def test_low_connectedness_two_separate_parts_is_a_concern() -> None:
    net = healthy()
    net.groups.clear()
    net.coaching.clear()
    net.activities.clear()
    net.transfers.clear()
    net.advice.clear()
    net.trained.clear()
    for n, day in enumerate(("2026-02-05", "2026-05-14")):
        net.activity(day, "A", [f"{k}T{n + 1}" for k in "ABC"])
        net.activity(day, "D", [f"{k}T{n + 1}" for k in "DEF"])
    net.transfer("A", "D", "2026-03-01")  # a practice sent across is not a link between parts
    f = holds(low_connectedness, net.build(), "concern")
    assert f.evidence["components"] == 2
    assert "2 separate parts with no tie or shared activity between them" in f.explanation
    assert [[x["uid"] for x in part] for part in f.evidence["parts"]] == [
        ["u-A", "u-B", "u-C"], ["u-D", "u-E", "u-F"]]  # fmt: skip


def test_low_connectedness_inward_looking_ties_and_the_threshold_flips() -> None:
    net = Net()
    for key in "ABC":
        net.school(key)
        people = net.staff(key, teachers=5, support=2)
        for i, person in enumerate(people):
            net.nominate(person, *(p for p in people[i + 1 : i + 4]))
    net.activity("2026-02-05", "A", ["AT1", "BT1", "CT1"])
    net.activity("2025-10-05", "B", ["AT1", "BT1"])
    f = holds(low_connectedness, net.build(), "warning")
    assert f.evidence["isolated_schools"] == [] and f.evidence["components"] == 1
    assert f.evidence["ei_index"] < -0.8
    assert f.evidence["cross_school_ties"] == 3
    assert run(low_connectedness, net.build(), min_ei=-0.95) is None


def test_low_connectedness_cannot_judge_one_school_or_a_new_network() -> None:
    one = Net()
    one.school("A")
    one.staff("A")
    assert "fewer than two schools" in insufficient(low_connectedness, one.build())
    new = healthy()
    assert run(low_connectedness, new.build("2024-11-01")) is None  # linked from the start
    new.school("G")
    new.staff("G")
    assert "not yet completed a term" in insufficient(low_connectedness, new.build("2024-11-01"))


# -- no knowledge transfer ---------------------------------------------------------------


def _without_transfers_since(net: Net, day: str, keep: int = 0) -> Net:
    recent = [t for t in net.transfers if t.date and t.date >= day]
    net.transfers[:] = [t for t in net.transfers if t.date and t.date < day] + recent[:keep]
    return net


def test_no_knowledge_transfer_none_in_two_terms_is_a_concern() -> None:
    s = _without_transfers_since(healthy(), "2026-01-01").build()
    f = holds(no_knowledge_transfer, s, "concern")
    assert f.evidence["period"] == {"from": "2026-01-01", "to": "2026-07-31"}
    assert f.evidence["adoptions_in_period"] == 0
    assert f.evidence["last_adoption"] == "2025-11-18"


def test_no_knowledge_transfer_a_quiet_school() -> None:
    # Spring 2026 keeps E -> F only: B and C neither share nor adopt from September on.
    net = _without_transfers_since(healthy(), "2026-01-01", keep=1)
    f = holds(no_knowledge_transfer, net.build(), "warning")
    assert [x["uid"] for x in f.evidence["quiet_schools"]] == ["u-B", "u-C"]
    assert f.evidence["adoptions_in_period"] == 1


def test_no_knowledge_transfer_a_school_that_joined_in_january_has_not_had_a_year() -> None:
    net = healthy()
    net.school("G", lat=54.66, lon=-1.24)
    net.staff("G")
    # G joined in January: it came to the spring forum and answered the questionnaire, but
    # has not shared or adopted anything yet. Not a year's silence.
    forum = next(i for i, a in enumerate(net.activities) if a.date == "2026-02-05")
    net.activities[forum] = replace(
        net.activities[forum], attendees=(*net.activities[forum].attendees, uid("GT1"))
    )
    net.nominate("GT1", "GT2", "AT1", date="2026-02-10")
    assert run(no_knowledge_transfer, net.build()) is None
    # Over a one-term window (summer) G has been in the network throughout, and is quiet.
    f = run(no_knowledge_transfer, net.build(), school_terms=1)
    assert f is not None and uid("G") in [x["uid"] for x in f.evidence["quiet_schools"]]
    # A member with nothing at all recorded is quiet by any reading.
    net.school("H")
    f = holds(no_knowledge_transfer, net.build(), "warning")
    assert [x["uid"] for x in f.evidence["quiet_schools"]] == ["u-H"]
    assert [x["uid"] for x in f.evidence["new_schools"]] == ["u-G"]


def test_no_knowledge_transfer_near_miss_a_heard_step_counts(base: Snapshot) -> None:
    assert run(no_knowledge_transfer, base) is None
    net = _without_transfers_since(healthy(), "2026-01-01")
    for n, key in enumerate(SCHOOLS):
        net.transfer(key, SCHOOLS[(n + 1) % 6], "2026-05-01", stage="heard")
    assert run(no_knowledge_transfer, net.build()) is None


def test_every_sign_copes_with_an_empty_network() -> None:
    empty = Net()
    for key in "AB":
        empty.school(key)
    findings = signs.evaluate_all(empty.build())
    assert [f.id for f in findings if not f.insufficient] == []
    # Nothing to lose, nothing pending, one network each: these three simply do not hold.
    assert {m.ID for m in signs.SIGNS} - {f.id for f in findings} == {
        "fragile_broker", "inertia", "overload"}  # fmt: skip
    nothing = signs.evaluate_all(Net(started=None).build())
    assert all(f.insufficient for f in nothing)
    assert {m.ID for m in signs.SIGNS} - {f.id for f in nothing} == {"inertia"}


def test_no_knowledge_transfer_needs_two_terms_of_history_to_find_none() -> None:
    assert run(no_knowledge_transfer, healthy().build("2024-12-20")) is None
    s = _without_transfers_since(healthy(), "2024-01-01").build("2024-12-20")
    assert "1 complete term" in insufficient(no_knowledge_transfer, s)


# -- contrived -------------------------------------------------------------------------


def _forums(counts: dict[str, int], start: str = "2024-09-01") -> Net:
    """Three schools meeting ``n`` times in each term (term start date -> n)."""
    net = Net(started=start)
    for key in "ABC":
        net.school(key)
        net.staff(key, teachers=3, support=1)
    for first, n in counts.items():
        year, month = int(first[:4]), int(first[5:7])
        for i in range(n):
            net.activity(f"{year}-{month + 1:02d}-{i + 1:02d}", "ABC"[i % 3],
                         ["AT1", "BT1", "CT1"])  # fmt: skip
    return net


def test_contrived_latest_term_below_half_the_average_is_a_concern() -> None:
    net = healthy()
    summer = ("2026-04-01", "2026-08-31")
    net.activities[:] = [a for a in net.activities if not summer[0] <= a.date <= summer[1]]
    net.coaching[:] = [replace(c, sessions=tuple(d for d in c.sessions if d < summer[0]))
                       for c in net.coaching]  # fmt: skip
    net.groups[:] = [replace(g, sessions=tuple(x for x in g.sessions if x.date < summer[0]))
                     for g in net.groups]  # fmt: skip
    net.transfers[:] = [t for t in net.transfers if t.date and t.date < summer[0]]
    f = holds(contrived, net.build(), "concern")
    assert f.evidence["latest_term"] == "2026-summer"
    assert f.evidence["latest_events"] == 0
    assert f.evidence["average_before"] == 16.2  # the launch term had six trainings
    assert f.evidence["below_average"] is True


def test_contrived_falling_two_terms_and_the_threshold_flips() -> None:
    s = _forums({"2024-09-01": 9, "2025-01-01": 6, "2025-04-01": 4}).build("2025-07-31")
    f = holds(contrived, s, "warning")
    assert [row["events"] for row in f.evidence["activity_by_term"]] == [9, 6, 4]
    assert (f.evidence["falling"], f.evidence["below_average"]) == (True, False)
    assert run(contrived, s, min_fall=0.6) is None


def test_contrived_near_miss_a_gentle_dip() -> None:
    s = _forums({"2024-09-01": 9, "2025-01-01": 8, "2025-04-01": 7}).build("2025-07-31")
    assert run(contrived, s) is None


def test_contrived_the_term_under_way_is_not_judged() -> None:
    # Mid-May: summer is under way with one forum so far; spring is the latest closed term.
    net = _forums({"2024-09-01": 6, "2025-01-01": 6, "2025-04-01": 1})
    assert run(contrived, net.build("2025-05-20")) is None


def test_contrived_activity_stops_when_the_funding_ends() -> None:
    net = _forums({"2024-09-01": 6, "2025-01-01": 6, "2025-04-01": 6, "2025-09-01": 6})
    net.fund("2024-09-01", "2025-12-31", "Partnership grant")
    f = holds(contrived, net.build("2026-03-20"), "concern")
    assert f.evidence["funding"]["events_after"] == 0
    assert f.evidence["funding"]["days_after"] == 79
    assert "Partnership grant ended on 2025-12-31" in f.explanation
    # Too soon after the end to say it stopped.
    assert run(contrived, net.build("2026-01-20")) is None


def test_contrived_needs_two_terms_of_history() -> None:
    s = _forums({"2024-09-01": 6}).build("2024-12-20")
    assert "needs 2" in insufficient(contrived, s)


# -- cosy -------------------------------------------------------------------------------


def test_cosy_the_same_people_in_every_group() -> None:
    net = healthy()
    g1 = net.groups[0]
    net.groups[1] = replace(net.groups[1], members=g1.members)
    f = holds(cosy, net.build(), "warning")
    assert f.evidence["group_overlap"] == {"holds": True, "mean_jaccard": 1.0, "groups": 2}
    assert f.evidence["participation"]["holds"] is False


def test_cosy_near_miss_groups_overlap_a_little() -> None:
    net = healthy()
    g1, g2 = net.groups
    net.groups[1] = replace(g2, members=g2.members + g1.members[:3])
    assert run(cosy, net.build()) is None


def test_cosy_a_few_people_carry_the_cross_school_work_and_one_pair_of_schools() -> None:
    net = Net()
    for key in "ABCDE":
        net.school(key)
        net.staff(key, teachers=4, support=1)
    for n in range(14):  # the same four friends from two schools, again and again
        net.activity(f"2026-0{2 + n % 4}-{10 + n}", "A", ["AT1", "BT1", "AT2", "BT2"],
                     kind="visit")  # fmt: skip
    for a, b in (("AT3", "BT3"), ("AT4", "BT4"), ("AS1", "BS1")):
        net.coach(a, b)
    pairs = (("CT1", "DT1"), ("CT2", "ET1"), ("DT2", "ET2"), ("CT3", "DT3"), ("ET3", "CT4"),
             ("DT4", "ET4"))  # fmt: skip
    for n, pair in enumerate(pairs):  # everyone else once
        net.activity(f"2026-05-0{n + 1}", pair[0][0], list(pair), kind="visit")
    f = holds(cosy, net.build(), "concern")
    part = f.evidence["participation"]
    assert (part["participants"], part["top_people"], part["participations"]) == (16, 4, 68)
    assert part["share"] == 0.824 and part["holds"]
    assert [p["uid"] for p in part["core_people"]] == ["u-AT1", "u-AT2", "u-BT1", "u-BT2"]
    pair = f.evidence["school_pair"]
    assert [x["uid"] for x in pair["schools"]] == ["u-A", "u-B"]
    assert (pair["ties"], pair["cross_school_ties"], pair["holds"]) == (7, 13, True)
    assert run(cosy, net.build(), top_share=0.9, pair_share=0.6) is None


def test_cosy_cannot_judge_without_enough_to_count() -> None:
    net = Net()
    for key in "AB":
        net.school(key)
        net.staff(key)
    net.activity("2026-02-02", "A", ["AT1", "BT1"])
    assert "too little cross-school participation" in insufficient(cosy, net.build())


# -- inertia ----------------------------------------------------------------------------


def test_inertia_a_group_with_no_outcome_in_two_years() -> None:
    net = healthy()
    net.groups[0] = replace(net.groups[0], outcomes=())
    f = holds(inertia, net.build(), "concern")
    assert [g["uid"] for g in f.evidence["groups_without_outcome"]] == ["u-G1"]
    assert f.evidence["groups_without_outcome"][0]["terms"] == 6
    assert f.evidence["groups_older"] == 2


def test_inertia_near_miss_a_young_group_has_time() -> None:
    net = healthy()
    net.groups[0] = replace(net.groups[0], outcomes=(), started="2026-01-10")
    assert run(inertia, net.build()) is None
    # The same group judged a term later, once summer has closed... it is two terms old.
    net.groups[0] = replace(net.groups[0], started="2025-09-15")
    assert run(inertia, net.build("2026-05-01")) is None
    assert run(inertia, net.build("2026-07-20")) is not None


def test_inertia_activities_without_outcomes_and_the_threshold_flips() -> None:
    net = healthy()
    net.activities[:] = [replace(a, has_outcome=False, has_decision=False,
                                 decided_by_school_uid=None) for a in net.activities]  # fmt: skip
    net.activities[0] = replace(net.activities[0], date="2026-02-01", has_outcome=True)
    f = holds(inertia, net.build(), "warning")
    assert (f.evidence["activities"], f.evidence["activities_with_outcome"]) == (10, 1)
    assert run(inertia, net.build(), outcome_share=0.1) is None
    # A package records a decision as the school that took it (decided_by_school_id); the
    # free-text decision column is optional, so the school alone counts as a decision.
    net.activities[-4:] = [replace(a, decided_by_school_uid="u-A") for a in net.activities[-4:]]
    assert run(inertia, net.build()) is None


def test_inertia_cannot_judge_a_new_network_without_outcomes_yet() -> None:
    assert "no enquiry group is older" in insufficient(inertia, healthy().build("2024-12-20"))
    net = healthy()
    net.groups[:] = [replace(g, outcomes=(OutcomeRow("report", "2024-12-01"),))
                     for g in net.groups]  # fmt: skip
    assert run(inertia, net.build("2024-12-20")) is None  # outcomes already: nothing pending


# -- dominance --------------------------------------------------------------------------


def test_dominance_one_school_hosts_and_decides_everything() -> None:
    net = healthy()
    net.activities[:] = [replace(a, host_school_uid=uid("A"), decided_by_school_uid=uid("A"),
                                 has_decision=True) for a in net.activities]  # fmt: skip
    f = holds(dominance, net.build(), "concern")
    assert f.evidence["hosting"]["school"] == {"uid": "u-A", "name": "School A"}
    assert (f.evidence["hosting"]["n"], f.evidence["hosting"]["total"]) == (9, 9)
    assert f.evidence["decisions"]["share"] == 1.0
    assert f.evidence["roles"]["holds"] is False


def test_dominance_most_roles_in_one_school_and_the_threshold_flips() -> None:
    net = healthy()
    for person in ("AT2", "AT3", "AT5", "AT6", "AS2", "AS3", "AH", "AT4", "AS1"):
        net.role(person, "strand_leader", designated_by="AH")
    f = holds(dominance, net.build(), "warning")
    assert (f.evidence["roles"]["n"], f.evidence["roles"]["total"]) == (12, 23)
    assert "School A holds 12 of the network's 23 roles" in f.explanation
    assert run(dominance, net.build(), role_share=0.6) is None


def test_dominance_near_miss_exactly_half_is_not_most() -> None:
    net = healthy()
    for person in ("AT2", "AT3", "AT5", "AT6", "AS2", "AS3", "AH"):
        net.role(person, "strand_leader", designated_by="AH")
    assert run(dominance, net.build()) is None  # 10 of 20


def test_dominance_a_hub_school() -> None:
    net = Net()
    for key in "ABCDE":
        net.school(key)
        net.staff(key, teachers=3, support=1)
    for n, key in enumerate("BCDE"):
        for m in range(2):
            net.activity(f"2026-0{2 + m}-1{n}", "A", ["AT1", f"{key}T1"], kind="visit")
    f = holds(dominance, net.build(), "concern")
    assert f.evidence["school_degree_centralisation"] == 1.0
    assert f.evidence["hub_schools"] == [{"uid": "u-A", "name": "School A"}]


def test_dominance_cannot_judge_a_partnership_of_two() -> None:
    net = Net()
    for key in "AB":
        net.school(key)
        net.staff(key)
    assert "fewer than 3 schools" in insufficient(dominance, net.build())


# -- in the gift of the headteacher ------------------------------------------------------


def _advice_net(senior: int, teachers: int) -> Net:
    """One survey: ``senior`` nominations to the heads, ``teachers`` to teachers (each from a
    different person, at most six per school)."""
    net = Net()
    for key in "AB":
        net.school(key)
        net.staff(key, teachers=6, support=2)
    for i in range(senior):
        school, n = "AB"[i // 6], 1 + i % 6
        net.nominate(f"{school}T{n}", f"{school}H")
    for i in range(teachers):
        school, n = "AB"[i // 6], 1 + i % 6
        net.nominate(f"{school}S{1 + n % 2}", f"{school}T{n}")
    return net


def test_head_dependence_most_advice_goes_to_heads() -> None:
    f = holds(head_dependence, _advice_net(10, 2).build(), "concern")
    assert (f.evidence["nominations"], f.evidence["senior_share"]) == (12, 0.833)
    assert f.evidence["nominations_by_layer"] == {"senior": 10, "teacher": 2}
    assert (f.evidence["senior_staff"], f.evidence["staff"]) == (4, 20)


def test_head_dependence_near_miss_forty_percent_is_not_more_than_forty() -> None:
    assert run(head_dependence, _advice_net(4, 6).build()) is None
    f = holds(head_dependence, _advice_net(5, 5).build(), "warning")
    assert f.evidence["senior_share"] == 0.5
    assert run(head_dependence, _advice_net(5, 5).build(), senior_share=0.5) is None


def test_head_dependence_heads_are_the_only_brokers() -> None:
    net = _advice_net(2, 10)
    net.school("C")
    net.staff("C")
    for m in (2, 3, 5):  # only heads meet across schools
        net.activity(f"2026-0{m}-05", "A", ["AH", "BH", "CH"], kind="meeting")
    net.activity("2026-03-09", "A", ["AT1", "AS1"], kind="workshop")
    f = holds(head_dependence, net.build(), "warning")
    assert [x["uid"] for x in f.evidence["head_only_schools"]] == ["u-A", "u-B", "u-C"]
    assert [p["uid"] for p in f.evidence["head_brokers"]] == ["u-AH", "u-BH", "u-CH"]
    net.activity("2026-05-20", "B", ["BT3", "CT3"], kind="visit")  # teachers cross too
    assert run(head_dependence, net.build()) is None


def test_head_dependence_cannot_judge_without_a_survey() -> None:
    net = healthy()
    net.clear_survey()
    assert "no questionnaire" in insufficient(head_dependence, net.build())
    assert "needs 10" in insufficient(head_dependence, _advice_net(3, 3).build())


# -- fragile broker ---------------------------------------------------------------------


def _three_schools(c_people: list[str]) -> Net:
    net = Net()
    for key in "ABC":
        net.school(key)
        net.staff(key, teachers=4, support=1)
    for day in ("2026-02-05", "2026-05-14"):
        net.activity(day, "A", ["AT1", "AT2", "BT1", "BT2", *c_people])
    return net


def test_fragile_broker_one_person_links_a_school() -> None:
    f = holds(fragile_broker, _three_schools(["CT1"]).build(), "concern")
    assert f.evidence["fragile"] == [
        {"school": {"uid": "u-C", "name": "School C"},
         "person": {"uid": "u-CT1", "name": "Person CT1", "school": "u-C"},
         "partners": 2, "lost": 2, "disconnects": True,
         "partner_schools_lost": [{"uid": "u-A", "name": "School A"},
                                  {"uid": "u-B", "name": "School B"}]}
    ]  # fmt: skip
    assert "School C is linked to other schools through one person only" in f.explanation


def test_fragile_broker_a_school_in_its_first_term_is_not_judged_yet() -> None:
    net = _three_schools([])
    net.activity("2026-05-14", "A", ["AT1", "BT1", "CT1"])  # C's first appearance
    assert run(fragile_broker, net.build("2026-06-10")) is None  # summer still under way
    f = holds(fragile_broker, net.build("2026-07-31"), "concern")  # a closed term later
    assert [row["school"]["uid"] for row in f.evidence["fragile"]] == ["u-C"]


def test_fragile_broker_near_miss_two_people_share_the_link() -> None:
    assert run(fragile_broker, _three_schools(["CT1", "CT2"]).build()) is None


def test_fragile_broker_one_person_carries_most_links_and_the_threshold_flips() -> None:
    net = _three_schools(["CT1", "CT2"])
    net.school("D")
    net.staff("D", teachers=2, support=0)
    net.activity("2026-03-03", "D", ["DT1", "AT3"], kind="visit")
    net.activity("2026-03-04", "D", ["DT1", "BT3"], kind="visit")
    net.activity("2026-03-05", "D", ["DT2", "CT3"], kind="visit")
    f = holds(fragile_broker, net.build(), "warning")
    row = next(r for r in f.evidence["fragile"] if r["school"]["uid"] == "u-D")
    assert (row["person"]["uid"], row["partners"], row["lost"]) == ("u-DT1", 3, 2)
    assert run(fragile_broker, net.build(), lost_share=0.7) is None


# -- designated but not recognised ---------------------------------------------------------


def _staffroom(named: int) -> Net:
    """One school whose staff all answer; the lead learner (AT1) is named ``named`` times."""
    net = Net()
    for key in "AB":
        net.school(key)
        net.staff(key, teachers=5, support=2)
    net.role("AT1", "lead_learner", start="2025-09-01", designated_by="AH")
    others = ["AT2", "AT3", "AT4", "AT5", "AS1", "AS2"]
    for i, person in enumerate(others):
        net.nominate(person, *(["AT1"] if i < named else []), "AD", "AH")
        net.respond(person)
    return net


def test_designated_not_recognised_a_role_holder_nobody_names() -> None:
    f = holds(designated_not_recognised, _staffroom(1).build(), "warning")
    assert f.evidence["role_holders"] == [
        {"uid": "u-AT1", "name": "Person AT1", "school": "u-A", "roles": ["lead_learner"],
         "nominations": 1}
    ]  # fmt: skip
    assert (f.evidence["role_holders_judged"], f.evidence["survey_closed"]) == (1, "2026-02-10")
    assert "1 of 1 role holders" in f.explanation and "at School A" in f.explanation


def test_designated_not_recognised_near_miss_named_by_peers() -> None:
    assert run(designated_not_recognised, _staffroom(2).build()) is None
    assert run(designated_not_recognised, _staffroom(2).build(), max_nominations=2) is not None


def test_designated_not_recognised_a_role_given_after_the_round_is_not_judged() -> None:
    net = _staffroom(0)
    net.roles[:] = [replace(r, start="2026-03-01") for r in net.roles]
    assert run(designated_not_recognised, net.build()) is None


def test_designated_not_recognised_cannot_judge_where_nobody_answered() -> None:
    net = _staffroom(0)
    net.role("BT1", "school_link")
    net.roles[:] = [r for r in net.roles if r.person_uid == uid("BT1")]
    assert "enough colleagues answered" in insufficient(designated_not_recognised, net.build())
    net.clear_survey()
    assert "no questionnaire" in insufficient(designated_not_recognised, net.build())


# -- recognised but not designated ---------------------------------------------------------


def _recognised(top: str) -> Net:
    net = Net()
    for key in "AB":
        net.school(key)
        net.staff(key, teachers=5, support=2)
    for person in ("AT2", "AT3", "AT4", "AS1", "AS2", "BT1"):
        net.nominate(person, top)
    for person, other in (("AT5", "AT4"), ("BT2", "BT3"), ("BT4", "BT5"), ("BS1", "BS2")):
        net.nominate(person, other)
    return net


def test_recognised_not_designated_a_teacher_peers_go_to() -> None:
    f = holds(recognised_not_designated, _recognised("AT1").build(), "warning")
    assert f.evidence["people"] == [
        {"uid": "u-AT1", "name": "Person AT1", "school": "u-A", "nominations": 6}
    ]
    assert (f.evidence["top_cutoff"], f.evidence["nominations"]) == (6, 10)


def test_recognised_not_designated_near_miss_a_role_holder_or_a_head() -> None:
    net = _recognised("AT1")
    net.role("AT1", "enquiry_advocate")
    assert run(recognised_not_designated, net.build()) is None
    assert run(recognised_not_designated, _recognised("AH").build()) is None


def test_recognised_not_designated_cannot_judge_a_thin_round() -> None:
    net = _recognised("AT1")
    net.advice[:] = net.advice[:4]
    assert "needs 10" in insufficient(recognised_not_designated, net.build())


# -- layer dislocation ----------------------------------------------------------------------


def _no_support_leaders(net: Net) -> Net:
    """The healthy network with its support staff's roles and group leads taken away."""
    support = {p.uid for p in net.people if p.layer == "support"}
    net.roles[:] = [r for r in net.roles if r.person_uid not in support]
    for n, g in enumerate(net.groups):
        members = [replace(m, role="member") if m.person_uid in support else m
                   for m in g.members]  # fmt: skip
        net.groups[n] = replace(g, members=tuple(members))
    return net


def test_layer_dislocation_support_staff_lead_nothing() -> None:
    f = holds(layer_dislocation, _no_support_leaders(healthy()).build(), "warning")
    assert (f.evidence["support_staff"], f.evidence["support_staff_leading"]) == (18, 0)
    assert f.evidence["ei_index_to_teachers"] > 0


def test_layer_dislocation_near_miss_one_support_role() -> None:
    net = _no_support_leaders(healthy())
    net.role("CS3", "Family learning champion", designated_by="CH")
    assert run(layer_dislocation, net.build()) is None


def test_layer_dislocation_support_staff_only_talk_to_each_other() -> None:
    net = Net()
    net.school("A")
    net.school("B")
    for key in "AB":
        people = net.staff(key, teachers=3, support=3)
        supports = [p for p in people if "S" in p[1:]]
        for p in supports:
            net.nominate(p, *(q for q in supports if q != p))
    net.role("AT1", "school_link")
    f = holds(layer_dislocation, net.build(), "concern")
    assert (f.evidence["ties_to_teachers"], f.evidence["ties_among_support"]) == (0, 6)
    assert f.evidence["ei_index_to_teachers"] == -1.0
    net.nominate("AS1", "AT1", "AT2")
    net.role("BS1", "lead_learner")
    assert run(layer_dislocation, net.build(), min_ei=-1.0) is None


def test_layer_dislocation_cannot_judge_without_support_staff() -> None:
    net = Net()
    net.school("A")
    net.person("AT1", "A")
    assert "no support staff" in insufficient(layer_dislocation, net.build())


# -- low trust ----------------------------------------------------------------------------


def _trust(values: list[int]) -> Snapshot:
    net = Net()
    net.school("A")
    for i, value in enumerate(values):
        net.person(f"AT{i}", "A")
        net.respond(f"AT{i}", trust=value)
    return net.build()


def test_low_trust_below_three() -> None:
    f = holds(low_trust, _trust([2, 3, 2, 3, 2, 2]), "warning")
    assert (f.evidence["answers"], f.evidence["mean_trust"]) == (6, 2.33)
    assert f.evidence["distribution"] == {"2": 4, "3": 2}
    assert f.evidence["schools"] == [{"uid": "u-A", "name": "School A", "answers": 6,
                                      "mean_trust": 2.33}]  # fmt: skip
    assert holds(low_trust, _trust([1, 1, 2, 1, 1]), "concern").evidence["mean_trust"] == 1.2


def test_low_trust_near_miss_exactly_three_and_small_cells_hidden() -> None:
    assert run(low_trust, _trust([3, 3, 4, 2, 3])) is None
    f = holds(low_trust, _trust([3, 3, 4, 2, 3]), "warning", min_mean=3.5)
    assert f.evidence["schools"] == [{"uid": "u-A", "name": "School A", "answers": 5,
                                      "mean_trust": 3.0}]  # fmt: skip
    f = holds(low_trust, _trust([1, 2, 1, 2, 1, None]), "concern", min_answers=5)  # type: ignore[list-item]
    assert f.evidence["answers"] == 5


def test_low_trust_cannot_judge_four_answers() -> None:
    assert "4 trust answers" in insufficient(low_trust, _trust([1, 1, 1, 1]))
    assert "no questionnaire" in insufficient(low_trust, Net().build())


# -- weak consistency ----------------------------------------------------------------------


def test_weak_consistency_groups_off_the_priorities() -> None:
    net = healthy()
    net.groups[:] = [replace(g, priority=None) for g in net.groups]
    net.group("G3", ["AT6", "BT6"], priority="Marking workload")
    f = holds(weak_consistency, net.build(), "concern")
    assert (f.evidence["groups"], f.evidence["groups_serving_a_priority"]) == (3, 0)
    assert [g["uid"] for g in f.evidence["groups_off_priority"]] == ["u-G1", "u-G2", "u-G3"]


def test_weak_consistency_one_in_three_is_a_warning_half_is_not_a_sign() -> None:
    net = healthy()
    net.groups[1] = replace(net.groups[1], priority=None)
    assert run(weak_consistency, net.build()) is None  # 1 of 2
    net.group("G3", ["AT6", "BT6"], priority="Marking workload")
    f = holds(weak_consistency, net.build(), "warning")
    assert f.evidence["share"] == 0.333
    assert run(weak_consistency, net.build(), min_share=0.3) is None


def test_weak_consistency_matches_a_short_name_of_a_priority() -> None:
    net = healthy()
    net.groups[:] = [replace(g, priority="  EARLY reading ") for g in net.groups]
    net.priorities = ("Early reading: closing the gap before Year 2",)
    assert run(weak_consistency, net.build()) is None


def test_weak_consistency_cannot_judge_without_priorities_or_groups() -> None:
    net = healthy()
    net.priorities = ()
    assert "no recorded priorities" in insufficient(weak_consistency, net.build())
    net = healthy()
    net.groups.clear()
    assert "no enquiry group" in insufficient(weak_consistency, net.build())


# -- overload ----------------------------------------------------------------------------


def test_overload_a_school_in_four_networks() -> None:
    net = healthy()
    net.schools[2] = replace(net.schools[2], networks=4)
    f = holds(overload, net.build(), "warning")
    assert f.evidence["schools"] == [
        {"uid": "u-C", "name": "School C", "networks": 4, "concurrent_groups": 1, "staff": 11,
         "groups_allowed": 2, "too_many_networks": True, "too_many_groups": False}
    ]  # fmt: skip
    assert run(overload, net.build(), max_networks=4) is None


def _whole_staff(net: Net, extra: int = 2) -> Net:
    """``healthy()`` lists hardly anyone who takes no part; add staff who do not, as a
    school's whole staff list would have."""
    for key in SCHOOLS:
        for i in range(extra):
            net.person(f"{key}X{i}", key)
    return net


def test_overload_more_groups_than_a_tenth_of_the_staff() -> None:
    net = _whole_staff(healthy())
    net.group("G3", ["AT6", "DT6"], priority=PRIORITIES[1])
    net.group("G4", ["AT5", "DT5"], priority=PRIORITIES[0])
    f = holds(overload, net.build(), "warning")
    assert [(r["uid"], r["concurrent_groups"], r["staff"], r["groups_allowed"])
            for r in f.evidence["schools"]] == [("u-A", 3, 13, 2), ("u-D", 3, 13, 2)]  # fmt: skip
    for n in range(3, 6):
        net.group(f"G{n + 1}", ["AT5", "BT5"], priority=PRIORITIES[1])
    assert run(overload, net.build()).severity == "concern"  # type: ignore[union-attr]


def test_overload_cannot_weigh_groups_against_a_list_of_participants_only() -> None:
    # In healthy() ten of each school's eleven staff take part: a list of participants, so
    # the schools' sizes are unknown and three groups prove nothing.
    net = healthy()
    net.group("G3", ["AT6", "DT6"], priority=PRIORITIES[1])
    net.group("G4", ["AT5", "DT5"], priority=PRIORITIES[0])
    reason = insufficient(overload, net.build())
    assert "only those who take part" in reason and "School A and School D" in reason
    assert run(overload, net.build(), participants_share=0.95) is not None
    # Four networks still show, whatever the list.
    net.schools[2] = replace(net.schools[2], networks=4)
    assert [r["uid"] for r in holds(overload, net.build(), "warning").evidence["schools"]] == [
        "u-C"]  # fmt: skip


def test_overload_near_miss_a_large_staff_or_a_single_group() -> None:
    net = healthy()
    net.group("G3", ["AT6", "DT6"], priority=PRIORITIES[1])
    for key in "AD":
        for i in range(9):
            net.person(f"{key}X{i}", key)
    assert run(overload, net.build()) is None  # 2 groups, 20 staff
    # A tenth of the staff counts whole groups: 11-20 staff carry two, not one and a bit.
    two = _whole_staff(healthy())
    two.group("G3", ["AT6", "DT6"], priority=PRIORITIES[1])
    assert run(overload, two.build()) is None  # 2 groups, 13 staff
    assert run(overload, two.build(), staff_per_group=6.5) is None  # exactly two groups' worth
    one = holds(overload, two.build(), "concern", staff_per_group=13)  # room for one group
    assert one.evidence["schools"][0]["groups_allowed"] == 1
    small = Net()
    small.school("A")
    small.staff("A", teachers=2, support=1)
    small.group("G1", ["AT1"])
    assert run(overload, small.build()) is None  # one group is taking part, not overload


# -- distance barrier -----------------------------------------------------------------------


def _two_towns(link_far: bool) -> Net:
    net = Net()
    for n, key in enumerate("ABC"):
        net.school(key, lat=54.60 + 0.01 * n, lon=-1.30)
    for n, key in enumerate("DEF"):
        net.school(key, lat=54.90 + 0.01 * n, lon=-1.30)  # about 33 km north
    for key in "ABCDEF":
        net.staff(key, teachers=3, support=1)
    for town, host in (("ABC", "A"), ("DEF", "D")):
        net.activity("2026-02-05", host, [f"{k}T1" for k in town])
    if link_far:
        net.activity("2026-03-05", "A", ["AT2", "DT2"], kind="visit")
    return net


def test_distance_barrier_far_schools_share_no_ties() -> None:
    f = holds(distance_barrier, _two_towns(False).build(), "concern")
    assert (f.evidence["far_pairs"], f.evidence["far_pairs_linked"]) == (9, 0)
    assert (f.evidence["near_pairs"], f.evidence["near_pairs_linked"]) == (6, 6)
    assert 32 < f.evidence["unlinked_far_pairs"][0]["km"] < 35
    assert run(distance_barrier, _two_towns(False).build(), distance_km=40) is None


def test_distance_barrier_near_miss_one_far_link() -> None:
    assert run(distance_barrier, _two_towns(True).build()) is None


def test_distance_barrier_along_a_valley_without_splitting_the_network() -> None:
    net = Net()
    keys = "ABCDEF"
    for n, key in enumerate(keys):
        net.school(key, lat=54.60 + 0.054 * n, lon=-1.30)  # six kilometres apart
        net.staff(key, teachers=2, support=1)
    for n in range(5):
        net.activity(f"2026-02-1{n}", keys[n], [f"{keys[n]}T1", f"{keys[n + 1]}T1"])
    net.transfer("A", "F", "2026-03-01")  # a practice sent down the valley is not a tie
    f = holds(distance_barrier, net.build(), "concern")
    assert (f.evidence["near_pairs"], f.evidence["near_pairs_linked"]) == (5, 5)
    assert (f.evidence["far_pairs"], f.evidence["far_pairs_linked"]) == (10, 0)
    assert run(low_connectedness, net.build()) is None


def test_distance_barrier_cannot_judge_without_locations(base: Snapshot) -> None:
    located = without(base, schools=tuple(replace(x, lat=None, lon=None) for x in base.schools))
    assert "0 of the network's schools" in insufficient(distance_barrier, located)


# -- registry: thresholds and failures --------------------------------------------------------


def test_every_sign_declares_its_thresholds_with_valid_defaults() -> None:
    assert [m.ID for m in signs.SIGNS] == [
        "low_connectedness", "no_knowledge_transfer", "contrived", "cosy", "inertia",
        "dominance", "head_dependence", "fragile_broker", "designated_not_recognised",
        "recognised_not_designated", "layer_dislocation", "low_trust", "weak_consistency",
        "overload", "distance_barrier"]  # fmt: skip
    for module in signs.SIGNS:
        assert module.TITLE and module.SOURCE and module.THRESHOLDS
        for t in module.THRESHOLDS:
            assert t.parse(t.default) == t.default and t.label and t.help
    assert signs.validate_thresholds({}) == signs.DEFAULT_THRESHOLDS


def test_validate_thresholds_types_values_and_names_each_bad_field() -> None:
    ok = signs.validate_thresholds({"cosy": {"top_share": "0.7"}, "overload.max_networks": 4})
    assert ok["cosy"]["top_share"] == 0.7 and ok["overload"]["max_networks"] == 4
    assert ok["low_trust"] == {"min_mean": 3.0, "min_answers": 5}
    with pytest.raises(signs.ThresholdError) as caught:
        signs.validate_thresholds({
            "cosy": {"top_share": "1.5", "nonsense": 1},
            "overload.max_networks": "3.5",
            "low_trust.min_mean": "",
            "madeup.x": 1,
            "contrived": {"falling_terms": True},
        })  # fmt: skip
    assert caught.value.errors == {
        "cosy.top_share": "Participation they may carry must be at most 1",
        "cosy.nonsense": "unknown threshold",
        "overload.max_networks": "Networks per school must be a whole number",
        "low_trust.min_mean": "Lowest mean trust is required",
        "madeup.x": "unknown warning sign",
        "contrived.falling_terms": "Terms of falling activity must be a number",
    }
    assert isinstance(caught.value, ValueError) and "cosy.top_share" in str(caught.value)


def test_threshold_kinds_parse_form_text() -> None:
    flag = Threshold("on", True, "bool")
    assert (flag.parse("no"), flag.parse("Yes"), flag.parse(False)) == (False, True, False)
    with pytest.raises(ValueError, match="yes or no"):
        flag.parse("maybe")
    share = Threshold("share", 0.5, "float", 0, 1)
    assert share.parse(" 0.25 ") == 0.25
    for bad in ("nan", "inf", None, "abc"):
        with pytest.raises(ValueError, match="number"):
            share.parse(bad)


def test_a_coordinators_threshold_changes_the_result() -> None:
    s = _trust([3, 3, 4, 3, 3])  # mean 3.2
    assert not [f for f in signs.evaluate_all(s) if f.id == "low_trust"]
    settings = signs.validate_thresholds({"low_trust.min_mean": "3.5"})
    [found] = [f for f in signs.evaluate_all(s, settings) if f.id == "low_trust"]
    assert found.evidence["thresholds"]["min_mean"] == 3.5


def test_a_failing_sign_is_reported_as_an_error_and_hides_nothing(
    base: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(s: Snapshot, t: Any) -> Finding | None:
        raise KeyError("Person AT1")

    before = [f.id for f in signs.evaluate_all(base)]
    monkeypatch.setattr(cosy, "evaluate", broken)
    with pytest.raises(signs.SignFailedWarning):  # the suite turns warnings into errors
        signs.evaluate_all(base)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", signs.SignFailedWarning)
        findings = signs.evaluate_all(base)
    [error] = [f for f in findings if f.id == "cosy"]
    assert error.severity == "info" and error.evidence == {"error": "KeyError"}
    assert "Person" not in json.dumps(error.as_json())
    assert [f.id for f in findings if f.id != "cosy"] == before


@pytest.mark.parametrize(
    ("title", "head"),
    [
        ("Headteacher", True),
        ("Executive head teacher", True),
        ("Principal", True),
        ("Head of School", True),
        ("Deputy headteacher", False),
        ("Assistant principal", False),
        ("Vice principal", False),
        ("Head of English", False),
    ],
)
def test_who_counts_as_a_head(title: str, head: bool) -> None:
    net = Net()
    net.school("A")
    net.person("A1", "A", "senior", title)
    net.person("A2", "A", "senior", "Headteacher" if not head else "Deputy headteacher")
    s = net.build()
    assert ev.is_head(s, uid("A1")) is head
    untitled = Net()
    untitled.school("A")
    untitled.person("A1", "A", "senior", "Senior leader")
    assert ev.is_head(untitled.build(), uid("A1"))  # no titled head: the senior layer counts


def test_finding_rejects_an_unknown_severity() -> None:
    with pytest.raises(ValueError, match="severity"):
        Finding("cosy", "alarm", "t", "e", "s")  # type: ignore[arg-type]
