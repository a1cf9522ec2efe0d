"""Who works where on a day: the network's staff as the questionnaire sees them.

Invitations, nominee choices and response-rate breakdowns all need each person's school on
the round's opening day (or the day of answering), read from the graph in one query.
"""

from __future__ import annotations

from typing import Any

from tracker.access import Scope
from tracker.extensions import graph
from tracker.graph.queries import survey as q
from tracker.services.pseudonyms import pseudonym


def _work_on(works: list[dict[str, Any]], on: str) -> dict[str, Any] | None:
    """The period the person was working in on ``on`` (the latest one if they overlap)."""
    current = [
        w
        for w in works
        if w.get("uid")
        and (w.get("from") is None or w["from"] <= on)
        and (w.get("to") is None or w["to"] > on)
    ]
    current.sort(key=lambda w: w.get("from") or "")
    return current[-1] if current else None


def _people(network_uid: str, on: str) -> dict[str, dict[str, Any]]:
    """Every person of the network with their school on ``on`` and ``current`` (in post)."""
    out = {}
    for row in graph.store.run(q.PEOPLE, {"network_uid": network_uid}):
        works = [w for w in row["works"] if w.get("uid")]
        work = _work_on(works, on)
        out[row["uid"]] = {
            "uid": row["uid"],
            "key": row.get("key") or row["uid"],
            "name": row["name"],
            "layer": row.get("layer"),
            "email": row.get("email") or "",
            "school_uid": work["school_uid"] if work else None,
            "school": work["school_name"] if work else "",
            "current": work is not None or not works,
        }
    return out


def _display(scope: Scope, person: dict[str, Any]) -> str:
    return pseudonym(scope.network_uid, person["uid"]) if scope.pseudonymise else person["name"]
