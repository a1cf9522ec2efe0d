"""Distance barrier (Harris): "Distance can prove to be a barrier to distributing leadership.
Geographic separation can make it more difficult for teachers to connect."

Rule: cross-school ties fall off sharply with distance: schools over a chosen distance share
no ties.

Distances are great-circle distances between the schools' recorded locations. A pair of
schools "shares a tie" when their people have a tie (advice or recorded collaboration) or
took part in the same activity in the window; a transfer alone is not a tie (a practice can
travel by post). The fall-off must be real: the sign holds when the far pairs share no ties
while at least a quarter of the nearer pairs do; if near schools are not linked either, the
network's trouble is connectedness, not distance. Schools spread along a valley, each linked
to its neighbours and none to the far end, show it without the network falling apart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from itertools import combinations
from typing import Any

from tracker.analysis.snapshot import SchoolRow, Snapshot
from tracker.signs import evidence as ev
from tracker.signs import period
from tracker.signs.base import Finding, Threshold

ID = "distance_barrier"
TITLE = "Distance barrier"
SOURCE = "Harris, barriers to distributing leadership: distance"
THRESHOLDS = (
    Threshold("distance_km", 10.0, "float", 0.1, 1000, "Distance (km)",
              "Schools further apart than this count as far apart."),
    Threshold("far_linked_share", 0.0, "float", 0, 1, "Far pairs linked at most",
              "The sign holds when no more than this share of far pairs share a tie."),
    Threshold("near_linked_share", 0.25, "float", 0, 1, "Near pairs linked at least",
              "And at least this share of pairs of nearer schools must share one."),
    Threshold("min_far_pairs", 2, "int", 1, 10000, "Far pairs needed",
              "The sign is judged only with at least this many pairs of far-apart schools."),
    Threshold("window_terms", 3, "int", 1, 9, "Terms looked back",
              "Links in this many terms count (three = a year)."),
)  # fmt: skip

insufficient = ev.insufficient_for(ID, TITLE, SOURCE)

SUGGESTION = (
    "Harris's answer to distance is to provide alternative, ICT-based ways of working and "
    "communicating. Pair far-apart schools in online enquiry groups or co-coaching by video, "
    "move the learning forum around so the travelling is shared, or hold it online once a "
    "term."
)


def evaluate(s: Snapshot, t: Mapping[str, Any]) -> Finding | None:
    located = [row for row in s.schools if row.lat is not None and row.lon is not None]
    if len(located) < 3:
        return insufficient(
            f"{len(located)} of the network's schools have a recorded location and the rule "
            "needs three",
            "Record each school's latitude and longitude.",
        )
    since = period.since(s, int(t["window_terms"]))
    g = ev.school_graph(s, since)
    index = {row.uid: i for i, row in enumerate(s.schools)}
    limit = float(t["distance_km"])
    near, far = [], []
    for a, b in combinations(located, 2):
        km = _km(a, b)
        linked = _tied(g, index[a.uid], index[b.uid])
        (far if km > limit else near).append((a, b, km, linked))
    if len(far) < int(t["min_far_pairs"]) or not near:
        return None
    far_share = sum(p[3] for p in far) / len(far)
    near_share = sum(p[3] for p in near) / len(near)
    if far_share > float(t["far_linked_share"]) or near_share < float(t["near_linked_share"]):
        return None

    unlinked = [p for p in far if not p[3]]
    pairs = len(near) + len(far)
    return Finding(
        id=ID,
        severity="concern" if len(far) * 2 >= pairs else "warning",
        title=TITLE,
        explanation=(
            f"Since {since}, {sum(p[3] for p in far)} of {len(far)} pairs of schools more than "
            f"{limit:g} km apart share any tie, against {near_share:.0%} of the "
            f"{len(near)} pairs closer together."
        ),
        source=SOURCE,
        evidence={
            "period": {"from": since, "to": s.at},
            "distance_km": limit,
            "schools_located": len(located),
            "schools_without_location": ev.schools(
                s, (row.uid for row in s.schools if row not in located)
            ),
            "far_pairs": len(far),
            "far_pairs_linked": sum(p[3] for p in far),
            "near_pairs": len(near),
            "near_pairs_linked": sum(p[3] for p in near),
            "near_linked_share": round(near_share, 3),
            "unlinked_far_pairs": [
                {"schools": [ev.school(s, a.uid), ev.school(s, b.uid)], "km": round(km, 1)}
                for a, b, km, _ in unlinked[:30]
            ],
            "thresholds": dict(t),
        },
        suggestion=SUGGESTION,
    )


def _tied(g: Any, a: int, b: int) -> bool:
    """People of the two schools share a tie or an activity (a transfer alone is not a tie)."""
    edge = g.get_eid(a, b, error=False)
    return edge >= 0 and bool(g.es[edge]["ties"] or g.es[edge]["hosted"])


def _km(a: SchoolRow, b: SchoolRow) -> float:
    """Great-circle (haversine) distance in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat or 0, a.lon or 0, b.lat or 0, b.lon or 0))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))
