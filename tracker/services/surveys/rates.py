"""Response rates and the comparison of two rounds, with small counts suppressed.

Cells with fewer than ``SUPPRESS_BELOW`` respondents are hidden, and a second cell is hidden
when the total would give a lone hidden one away.
"""

from __future__ import annotations

from typing import Any

from tracker.access import Scope
from tracker.extensions import graph
from tracker.graph.queries import survey as q
from tracker.models import SurveyRound
from tracker.services.surveys.rounds import STAFF_LAYERS, _invitations, _round, _shape
from tracker.services.surveys.staff import _display, _people

SUPPRESS_BELOW = 5  # response-rate cells with fewer respondents are not shown


def _cell(invited: int, responded: int) -> dict[str, Any]:
    if responded < SUPPRESS_BELOW:
        return {
            "invited": invited,
            "responded": None,
            "rate": None,
            "suppressed": True,
            "reason": "small",
        }
    rate = round(responded / invited, 3) if invited else None
    return {
        "invited": invited,
        "responded": responded,
        "rate": rate,
        "suppressed": False,
        "reason": None,
    }


def _breakdown(cells: list[dict[str, Any]], overall: dict[str, Any]) -> list[dict[str, Any]]:
    """Suppress a second cell when one alone is hidden and the total would give it away."""
    hidden = [c for c in cells if c["suppressed"]]
    shown = [c for c in cells if not c["suppressed"]]
    if len(hidden) == 1 and shown and not overall["suppressed"]:
        smallest = min(shown, key=lambda c: c["responded"])
        smallest.update(responded=None, rate=None, suppressed=True, reason="complement")
    return cells


def _respondents(row: SurveyRound) -> set[str]:
    """People whose answers count: submitted and not withdrawn."""
    return {
        inv.person_uid
        for inv in _invitations(row)
        if inv.submitted_at is not None and inv.withdrawn_at is None
    }


def response_rates(scope: Scope, uid: str) -> dict[str, Any]:
    """Invited and responded per round, school and layer; fewer than five is not shown."""
    row = _round(scope, uid)
    people = _people(scope.network_uid, row.opens)
    done = _respondents(row)
    invited = [inv.person_uid for inv in _invitations(row)]
    overall = _cell(len(invited), len(done))

    def group(key: str) -> dict[str, tuple[int, int]]:
        totals: dict[str, list[int]] = {}
        for person_uid in invited:
            value = (people.get(person_uid) or {}).get(key) or ""
            pair = totals.setdefault(value, [0, 0])
            pair[0] += 1
            pair[1] += person_uid in done
        return {k: (v[0], v[1]) for k, v in totals.items()}

    names = {p["school_uid"]: p["school"] for p in people.values() if p["school_uid"]}
    by_school = [
        {"uid": school, "name": names.get(school, "No school"), **_cell(*counts)}
        for school, counts in sorted(
            group("school_uid").items(), key=lambda kv: names.get(kv[0], "")
        )
    ]
    by_layer = [
        {"layer": layer, **_cell(*counts)}
        for layer, counts in sorted(
            group("layer").items(),
            key=lambda kv: STAFF_LAYERS.index(kv[0]) if kv[0] in STAFF_LAYERS else 9,
        )
    ]
    return {
        "overall": overall,
        "by_school": _breakdown(by_school, overall),
        "by_layer": _breakdown(by_layer, overall),
    }


def _pairs(network_uid: str, survey: str, respondents: set[str]) -> set[tuple[str, str]]:
    rows = graph.store.run(q.SURVEY_TIES, {"network_uid": network_uid, "survey": survey})
    return {(r["source"], r["target"]) for r in rows if r["source"] in respondents}


def compare(scope: Scope, a_uid: str, b_uid: str) -> dict[str, Any]:
    """Ties gained and lost from round ``a`` to round ``b``, people newly isolated, rates.

    Gained and lost count (respondent, nominee) pairs among people who submitted in both
    rounds, so that someone who skipped a round does not show as losing all their ties.
    Newly isolated: invited to ``b``, some tie in or out in ``a``, none in ``b``.
    """
    row_a, row_b = _round(scope, a_uid), _round(scope, b_uid)
    done_a, done_b = _respondents(row_a), _respondents(row_b)
    both = done_a & done_b
    ties_a = _pairs(scope.network_uid, row_a.uid, done_a)
    ties_b = _pairs(scope.network_uid, row_b.uid, done_b)
    people = _people(scope.network_uid, row_b.opens)
    gained = {t for t in ties_b - ties_a if t[0] in both}
    lost = {t for t in ties_a - ties_b if t[0] in both}

    def schools(tie: tuple[str, str]) -> tuple[str, str]:
        return tuple(  # type: ignore[return-value]
            (people.get(p) or {}).get("school") or "No school" for p in tie
        )

    def cross(ties: set[tuple[str, str]]) -> int:
        return sum(1 for t in ties if len(set(schools(t))) == 2)

    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, ties in (("gained", gained), ("lost", lost)):
        for tie in ties:
            a, b = sorted(schools(tie))
            if a == b:
                continue
            cell = pairs.setdefault((a, b), {"a": a, "b": b, "gained": 0, "lost": 0})
            cell[kind] += 1
    touched_a = {p for tie in ties_a for p in tie}
    touched_b = {p for tie in ties_b for p in tie}
    isolated = [
        {
            "uid": person_uid,
            "name": _display(scope, people[person_uid]),
            "school": people[person_uid]["school"],
        }
        for person_uid in {inv.person_uid for inv in _invitations(row_b)}
        if person_uid in touched_a and person_uid not in touched_b and person_uid in people
    ]
    return {
        "a": _shape(row_a),
        "b": _shape(row_b),
        "gained": len(gained),
        "lost": len(lost),
        "gained_cross_school": cross(gained),
        "lost_cross_school": cross(lost),
        "school_pairs": [pairs[k] for k in sorted(pairs)],
        "newly_isolated": sorted(isolated, key=lambda p: (p["school"], p["name"])),
        "respondents_in_both": len(both),
        "rates": [response_rates(scope, row_a.uid), response_rates(scope, row_b.uid)],
    }
