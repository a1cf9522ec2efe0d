"""Weak consistency (Castells, in Harris): a network performs through its consistency, "the
extent to which there is a sharing of interests between the network's goals and the goals of
its components".

Rule: fewer than half of enquiry groups serve a network priority.

Groups are those running at the date. A group serves a priority when the priority it names
matches one of the network's (ignoring case and spacing, or one naming the other in full, so
"Early reading" matches "Early reading: closing the gap before Year 2"). Without recorded
network priorities there is nothing to be consistent with, so the sign cannot be judged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tracker.analysis import participation
from tracker.analysis.snapshot import Snapshot
from tracker.signs import evidence as ev
from tracker.signs.base import Finding, Threshold

ID = "weak_consistency"
TITLE = "Weak consistency with the network's priorities"
SOURCE = "Castells (2001), consistency, in Harris"
THRESHOLDS = (
    Threshold("min_share", 0.5, "float", 0, 1, "Share of groups on a priority",
              "The sign holds when fewer enquiry groups than this share serve a priority."),
)  # fmt: skip

insufficient = ev.insufficient_for(ID, TITLE, SOURCE)

SUGGESTION = (
    "Reconnect the groups' questions with what the network agreed to work on. Hartlepool's "
    "enquiry groups took their questions from a network-wide audit of the barriers to "
    "learning, so every group served a shared purpose. Revisit the priorities together at "
    "the next forum: either link each group's question to one, or change the priorities to "
    "match what schools are really working on."
)


def evaluate(s: Snapshot, t: Mapping[str, Any]) -> Finding | None:
    priorities = [_norm(p) for p in s.priorities if _norm(p)]
    if not priorities:
        return insufficient(
            "the network has no recorded priorities",
            "Record the network's priorities (its shared enquiry questions or themes).",
        )
    groups = participation.active_groups(s)
    if not groups:
        return insufficient("no enquiry group is running", "Record the network's enquiry groups.")
    serving = [g for g in groups if _serves(g.priority, priorities)]
    share = len(serving) / len(groups)
    limit = float(t["min_share"])
    if share >= limit:
        return None
    off = [g for g in groups if g not in serving]
    return Finding(
        id=ID,
        severity="concern" if share < limit / 2 else "warning",
        title=TITLE,
        explanation=(
            f"{len(serving)} of the {len(groups)} running enquiry groups ({share:.0%}) serve "
            f"one of the network's {len(priorities)} priorities."
        ),
        source=SOURCE,
        evidence={
            "at": s.at,
            "priorities": list(s.priorities),
            "groups": len(groups),
            "groups_serving_a_priority": len(serving),
            "share": round(share, 3),
            "groups_off_priority": [
                {"uid": g.uid, "question": g.question, "priority": g.priority} for g in off
            ],
            "thresholds": dict(t),
        },
        suggestion=SUGGESTION,
    )


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").strip().casefold())


def _serves(priority: str | None, priorities: list[str]) -> bool:
    mine = _norm(priority)
    if not mine:
        return False
    return any(
        mine == p or (min(len(mine), len(p)) >= 4 and (mine in p or p in mine)) for p in priorities
    )
