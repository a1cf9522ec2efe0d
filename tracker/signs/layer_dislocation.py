"""Layer dislocation (Torrance): "Three key layers were playing themselves out within
established hierarchies: the senior management layer; the teacher layer; the support staff
layer", with support staff's leadership "less well understood or secure".

Rule: support staff hold no roles and lead nothing; or their E-I index towards teachers is
below -0.9.

"Lead nothing": no current role, no running enquiry group led, no coaching pair or training
given (``participation.leaders``). The E-I index counts support staff's ties (advice, or
recorded collaboration in the last two terms) to teachers as external and to other support
staff as internal; ties to senior leaders are neither.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.analysis import metrics, participation
from tracker.analysis.snapshot import Snapshot
from tracker.signs import evidence as ev
from tracker.signs import period
from tracker.signs.base import Finding, Threshold

ID = "layer_dislocation"
TITLE = "Layer dislocation: support staff left out"
SOURCE = "Torrance (2013), three layers; Harris, Pendle's support-staff experts"
THRESHOLDS = (
    Threshold("min_ei", -0.9, "float", -1, 1, "Lowest E-I towards teachers",
              "Support staff's E-I index towards teachers below this."),
    Threshold("window_terms", 2, "int", 1, 6, "Terms of ties looked at",
              "Recorded collaboration in this many terms counts as a tie."),
    Threshold("min_ties", 5, "int", 1, 10000, "Ties needed",
              "The E-I clause is judged only with at least this many support-staff ties."),
)  # fmt: skip

insufficient = ev.insufficient_for(ID, TITLE, SOURCE)

SUGGESTION = (
    "Bring support staff into the network's leadership. In Pendle Small Schools Learning "
    "Community the classroom assistants who supported children with reading and writing "
    "became the experts leading the network-wide dyslexia-friendly programme, meeting to "
    "share, debate and develop it. Invite teaching assistants into enquiry groups with "
    "teachers, offer them a role, and make time for it as Torrance's second head did with "
    "non-contact time for support staff's leadership."
)


def evaluate(s: Snapshot, t: Mapping[str, Any]) -> Finding | None:
    support = [p.uid for p in s.people if p.layer == "support"]
    if not support:
        return insufficient(
            "no support staff are recorded in the network",
            "Add the network schools' support staff (teaching assistants and others).",
        )
    ways = participation.leaders(s)
    leading = set(support) & (ways["role"] | ways["lead"] | ways["coach"])
    lead_nothing = not leading

    since = period.since(s, int(t["window_terms"]))
    g = ev.tie_graph(s, since)
    keep = [v.index for v in g.vs if v["layer"] in ("support", "teacher")]
    external, internal = metrics.ei_group_counts(g.induced_subgraph(keep), "layer").get(
        "support", (0, 0)
    )
    ties = external + internal
    ei = (external - internal) / ties if ties >= int(t["min_ties"]) else None
    inward = ei is not None and ei < float(t["min_ei"])
    if not (lead_nothing or inward):
        return None

    said = []
    if lead_nothing:
        said.append(
            f"none of the {len(support)} support staff holds a role, leads an enquiry group "
            "or coaches"
        )
    if inward and ei is not None:
        said.append(
            f"support staff's ties stay among themselves: {external} to teachers against "
            f"{internal} among support staff (E-I {ei:.2f})"
        )
    return Finding(
        id=ID,
        severity="concern" if lead_nothing and inward else "warning",
        title=TITLE,
        explanation="In this network " + "; ".join(said) + ".",
        source=SOURCE,
        evidence={
            "period": {"from": since, "to": s.at},
            "support_staff": len(support),
            "support_staff_leading": len(leading),
            "ties_to_teachers": external,
            "ties_among_support": internal,
            "ei_index_to_teachers": None if ei is None else round(ei, 3),
            "by_school": _by_school(s, support),
            "thresholds": dict(t),
        },
        suggestion=SUGGESTION,
    )


def _by_school(s: Snapshot, support: list[str]) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for uid in support:
        school = s.school_of(uid)
        if school:
            counts[school] = counts.get(school, 0) + 1
    return [{**ev.school(s, row.uid), "support_staff": counts[row.uid]}
            for row in s.schools if row.uid in counts]  # fmt: skip
