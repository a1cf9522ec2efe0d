"""Collaborative thuggery, or dominance (Harris): "manipulation and political activity replace
shared decision making".

Rule: one school holds more than half of the network's roles, hosts most activities, or
takes most recorded decisions; or school-level degree centralisation is above 0.6.

"Most" is read as more than half. The rule is judged only in networks of three or more
schools (in a partnership of two, one side always holds "most" unless they are exactly even)
and a share only when there are enough roles, activities or decisions to share.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from tracker.analysis import metrics
from tracker.analysis.snapshot import Snapshot
from tracker.signs import evidence as ev
from tracker.signs import period
from tracker.signs.base import Finding, Threshold

ID = "dominance"
TITLE = "Collaborative thuggery (one school dominates)"
SOURCE = "Harris, empty networks: collaborative thuggery"
THRESHOLDS = (
    Threshold("role_share", 0.5, "float", 0, 1, "Share of roles",
              "One school's people hold more than this share of the network's roles."),
    Threshold("host_share", 0.5, "float", 0, 1, "Share of activities hosted",
              "One school hosts more than this share of activities."),
    Threshold("decision_share", 0.5, "float", 0, 1, "Share of decisions",
              "One school takes more than this share of recorded decisions."),
    Threshold("max_centralisation", 0.6, "float", 0, 1, "School degree centralisation",
              "Freeman degree centralisation of the school-level graph above this."),
    Threshold("window_terms", 3, "int", 1, 9, "Terms looked back",
              "Activities, decisions and school links in this many terms count."),
    Threshold("min_schools", 3, "int", 2, 100, "Schools needed",
              "The sign is judged only in networks of at least this many schools."),
    Threshold("min_count", 4, "int", 1, 1000, "Roles, activities or decisions needed",
              "A share is judged only when there are at least this many to share."),
)  # fmt: skip

insufficient = ev.insufficient_for(ID, TITLE, SOURCE)

SUGGESTION = (
    "Share the running of the network. Prudhoe's learning forum was replicated within and "
    "between schools, each taking a turn; Oldham drew two teachers from every school to lead "
    "the co-coaching and, later, Philosophy for Children; Pendle handed a network-wide "
    "programme to the classroom assistants who knew most about it. Rotate hosting and "
    "chairing, and let decisions be taken where the expertise is, not where the power is."
)


def evaluate(s: Snapshot, t: Mapping[str, Any]) -> Finding | None:
    if len(s.schools) < int(t["min_schools"]):
        return insufficient(
            f"the network has fewer than {int(t['min_schools'])} schools, so one school "
            "holding most of anything says little",
            "Judge the balance between the schools in conversation instead.",
        )
    since = period.since(s, int(t["window_terms"]))
    activities = [a for a in s.activities if period.in_window(a.date, since, s.at)]
    shares = {
        "roles": _share(s, [s.school_of(r.person_uid) for r in s.roles], t["role_share"], t),
        "hosting": _share(s, [a.host_school_uid for a in activities], t["host_share"], t),
        "decisions": _share(
            s,
            [a.decided_by_school_uid for a in activities if a.decided_by_school_uid],
            t["decision_share"],
            t,
        ),
    }
    graph = ev.school_graph(s, since)
    centralisation = metrics.degree_centralisation(graph, "all") if graph.ecount() else None
    central = centralisation is not None and centralisation > float(t["max_centralisation"])
    held = [name for name, row in shares.items() if row and row["holds"]]
    if not (held or central):
        return None

    strong = any((shares[name] or {}).get("share", 0) >= 0.75 for name in held)
    concern = len(held) + central >= 2 or strong or (central and (centralisation or 0) >= 0.8)
    words = {"roles": "holds {n} of the network's {total} roles",
             "hosting": "hosted {n} of {total} activities",
             "decisions": "took {n} of {total} recorded decisions"}  # fmt: skip
    said = []
    for name in held:
        row = shares[name]
        said.append(f"{row['school']['name']} " + words[name].format(**row))
    if central:
        hub = _hub(s, graph)
        said.append(
            f"the schools are linked mostly through {ev.name_list(hub)} (school-level degree "
            f"centralisation {centralisation:.2f})"
        )
    return Finding(
        id=ID,
        severity="concern" if concern else "warning",
        title=TITLE,
        explanation=f"Since {since}, " + "; ".join(said) + ".",
        source=SOURCE,
        evidence={
            "period": {"from": since, "to": s.at},
            **shares,
            "school_degree_centralisation": None
            if centralisation is None
            else round(centralisation, 3),
            "hub_schools": ev.schools(s, _hub_uids(s, graph)) if central else [],
            "thresholds": dict(t),
        },
        suggestion=SUGGESTION,
    )


def _share(
    s: Snapshot, owners: list[str | None], limit: float, t: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The school with the largest share of ``owners`` and whether it is over ``limit``."""
    total = len(owners)
    counted = Counter(uid for uid in owners if uid)
    if total < int(t["min_count"]) or not counted:
        return None
    order = {row.uid: i for i, row in enumerate(s.schools)}
    uid, n = max(counted.items(), key=lambda kv: (kv[1], -order.get(kv[0], len(order))))
    return {
        "school": ev.school(s, uid),
        "n": n,
        "total": total,
        "share": round(n / total, 3),
        "holds": n / total > float(limit),
    }


def _hub_uids(s: Snapshot, graph: Any) -> list[str]:
    degrees = graph.degree()
    top = max(degrees) if degrees else 0
    return [s.schools[v].uid for v, d in enumerate(degrees) if d == top and top > 0]


def _hub(s: Snapshot, graph: Any) -> list[str]:
    return [ev.school_name(s, uid) for uid in _hub_uids(s, graph)]
