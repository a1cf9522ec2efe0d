"""Collaborative inertia (Huxham and Vangen, in Harris): collaboration "in which the outcomes
from certain types of collaborative activity are negligible or non-existent"; Wenger adds
that communities fail with "no focus upon tangible outcomes in their early stages".

Rule: enquiry groups older than two terms with no recorded outcome; or fewer than a quarter
of activities with any outcome.

A group's age is the number of closed terms it ran at least a month of, so a group that
started in September is "older than two terms" once the summer term closes; groups that
ended within the activity window still count, older ones have had their day. An activity
has "any outcome" when it recorded an outcome or a decision (a decision is what a meeting
produces). A school named in ``decided_by_school_id`` is a recorded decision even without
the optional decision text: the documented package columns record decisions that way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from tracker.analysis.snapshot import ActivityRow, GroupRow, Snapshot
from tracker.services.terms import term_of
from tracker.signs import evidence as ev
from tracker.signs import period
from tracker.signs.base import Finding, Threshold

ID = "inertia"
TITLE = "Collaborative inertia"
SOURCE = "Huxham and Vangen (2003), collaborative inertia, in Harris"
THRESHOLDS = (
    Threshold("group_terms", 2, "int", 1, 9, "Terms a group may run without an outcome",
              "A group older than this many terms with no recorded outcome."),
    Threshold("outcome_share", 0.25, "float", 0, 1, "Share of activities with an outcome",
              "The sign holds when fewer activities than this share record an outcome."),
    Threshold("window_terms", 3, "int", 1, 9, "Terms of activities looked at",
              "Activities (and groups that ended) in this many terms count."),
    Threshold("min_activities", 4, "int", 1, 1000, "Activities needed",
              "The activity clause is judged only with at least this many activities."),
)  # fmt: skip

insufficient = ev.insufficient_for(ID, TITLE, SOURCE)

SUGGESTION = (
    "Ask each group what it will have to show, and by when. Hartlepool's enquiry groups were "
    "given time and space to develop expertise to share within and across their schools, and "
    "Prudhoe's learning forum was where staff reported what they had learned, what had "
    "worked and what had not. Agree an artefact, practice change or short report for each "
    "group, and note outcomes and decisions against activities when they happen."
)

_MONTH = dt.timedelta(days=30)


def evaluate(s: Snapshot, t: Mapping[str, Any]) -> Finding | None:
    since = period.since(s, int(t["window_terms"]))
    judged = [g for g in s.groups if _relevant(g, s.at, since)]
    old = [g for g in judged if _age(g, s.at) > int(t["group_terms"])]
    stale = [g for g in old if not any(o.date <= s.at for o in g.outcomes)]
    activities = [a for a in s.activities if period.in_window(a.date, since, s.at)]
    with_outcome = [a for a in activities if _has_outcome(a)]
    enough = len(activities) >= int(t["min_activities"])
    pending = any(not any(o.date <= s.at for o in g.outcomes) for g in judged) or len(
        with_outcome
    ) < len(activities)
    if not old and not enough and pending:
        # Too young to judge, and not every group or activity has an outcome to show yet.
        return insufficient(
            f"no enquiry group is older than {int(t['group_terms'])} terms and fewer than "
            f"{int(t['min_activities'])} activities were recorded since {since}",
            "Record enquiry groups' outcomes and activities' outcomes or decisions as they "
            "happen; the sign is judged once there is enough history.",
        )
    share = len(with_outcome) / len(activities) if activities else None
    few_outcomes = enough and share is not None and share < float(t["outcome_share"])
    if not (stale or few_outcomes):
        return None

    concern = (stale and few_outcomes) or (old and len(stale) * 2 >= len(old) and len(old) > 1)
    said = []
    if stale:
        said.append(
            f"{len(stale)} of {len(old)} enquiry groups running longer than "
            f"{int(t['group_terms'])} terms have recorded no outcome"
        )
    if few_outcomes and share is not None:
        said.append(
            f"only {len(with_outcome)} of {len(activities)} activities since {since} recorded "
            f"an outcome or decision ({share:.0%})"
        )
    return Finding(
        id=ID,
        severity="concern" if concern else "warning",
        title=TITLE,
        explanation="In this network " + "; ".join(said) + ".",
        source=SOURCE,
        evidence={
            "period": {"from": since, "to": s.at},
            "groups_without_outcome": [
                {
                    "uid": g.uid,
                    "question": g.question,
                    "started": g.started,
                    "terms": _age(g, s.at),
                    "members": len(g.members),
                }
                for g in stale
            ],
            "groups_older": len(old),
            "activities": len(activities),
            "activities_with_outcome": len(with_outcome),
            "outcome_share": None if share is None else round(share, 3),
            "thresholds": dict(t),
        },
        suggestion=SUGGESTION,
    )


def _has_outcome(a: ActivityRow) -> bool:
    """An outcome, or a decision: its text, or the school recorded as taking it."""
    return a.has_outcome or a.has_decision or bool(a.decided_by_school_uid)


def _relevant(g: GroupRow, at: str, since: str) -> bool:
    """Running at ``at``, or ended within the window."""
    if g.started is None or g.started > at:
        return False
    return g.ended is None or g.ended >= since


def _age(g: GroupRow, at: str) -> int:
    """Closed terms the group ran at least a month of, up to ``at`` or its end."""
    if not g.started:
        return 0
    start = dt.date.fromisoformat(g.started)
    until = min(at, g.ended) if g.ended else at
    term, age = term_of(g.started), 0
    while period.closes_on(term) <= until:
        if dt.date.fromisoformat(period.closes_on(term)) - start >= _MONTH:
            age += 1
        term = term.next()
    return age
