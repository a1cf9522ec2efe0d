"""Recognised but not designated (Torrance, assumption 3): "Colleagues identified by peers as
having an influencing role did not always reflect the assumptions of the headteachers ...
Withholding such patronage did not stop it being bestowed."

Rule: a person in the top tenth of nominations who holds no role.

Someone is in the top tenth when no more than a tenth (rounded up) of the network's people
were named for advice at least as often in the latest round: where many people tie, as in a
network whose advice is spread evenly, nobody stands out and nobody is listed. Being
"recognised" also needs more than one nomination, the mirror of the designated rule (one
nomination is a colleague's habit, not peers' recognition). Senior leaders are left out:
their leadership is designated by post, and Torrance's point is about leaders the heads did
not see.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from tracker.analysis import participation
from tracker.analysis.snapshot import Snapshot
from tracker.signs import evidence as ev
from tracker.signs.base import Finding, Threshold

ID = "recognised_not_designated"
TITLE = "Recognised but not designated"
SOURCE = "Torrance (2013), five assumptions: leadership bestowed by peers"
THRESHOLDS = (
    Threshold("top_fraction", 0.1, "float", 0.01, 1, "Top share by nominations",
              "People in this top share of advice nominations (a tenth by default)."),
    Threshold("min_nominations", 2, "int", 1, 1000, "Nominations at least",
              "Recognition needs at least this many people naming someone."),
    Threshold("min_total", 10, "int", 1, 100000, "Nominations needed",
              "The sign is judged only with at least this many nominations in the round."),
)  # fmt: skip

insufficient = ev.insufficient_for(ID, TITLE, SOURCE)

SUGGESTION = (
    "These colleagues already lead in the eyes of their peers. Harris and Jackson describe "
    "leadership bestowed rather than delegated, and Pendle's classroom assistants became the "
    "network's experts because of what they knew. Talk with them about a network role (lead "
    "learner, enquiry advocate, a group lead or co-coach, as in Oldham) and about the time "
    "that would need."
)


def evaluate(s: Snapshot, t: Mapping[str, Any]) -> Finding | None:
    if not ev.has_survey(s):
        return insufficient(
            "no questionnaire round has been answered",
            "Run the staff questionnaire so nominations can be compared with roles held.",
        )
    received = participation.nominations(s)
    total = sum(received.values())
    if total < int(t["min_total"]):
        return insufficient(
            f"the latest questionnaire round has {total} nominations and the rule needs "
            f"{int(t['min_total'])}",
            "Encourage more staff to answer the questionnaire.",
        )
    cutoff = _cutoff(list(received.values()), float(t["top_fraction"]))
    cutoff = max(cutoff, int(t["min_nominations"]))
    holders = {r.person_uid for r in s.roles}
    found = [
        p.uid
        for p in s.people
        if received[p.uid] >= cutoff and p.uid not in holders and p.layer != "senior"
    ]
    if not found:
        return None
    top = [p.uid for p in s.people if received[p.uid] >= cutoff]
    concern = len(found) > 1 and len(found) * 2 > len(top)
    return Finding(
        id=ID,
        severity="concern" if concern else "warning",
        title=TITLE,
        explanation=(
            f"{len(found)} of the {len(top)} people most often named for advice (at least "
            f"{cutoff} nominations each) hold no network role and are not senior leaders."
        ),
        source=SOURCE,
        evidence={
            "survey": s.survey,
            "nominations": total,
            "top_cutoff": cutoff,
            "top_people": len(top),
            "people": [{**ev.person(s, uid), "nominations": received[uid]} for uid in found],
            "thresholds": dict(t),
        },
        suggestion=SUGGESTION,
    )


def _cutoff(counts: list[int], fraction: float) -> int:
    """Fewest nominations that put someone in the top ``fraction``: the smallest count c
    such that at most ceil(fraction * n) people have c or more (ties never spill over)."""
    k = max(1, math.ceil(fraction * len(counts) - 1e-9))
    ranked = sorted(counts, reverse=True)
    for c in sorted(set(ranked)):
        if sum(n >= c for n in ranked) <= k:
            return c
    return ranked[0] + 1 if ranked else 1
