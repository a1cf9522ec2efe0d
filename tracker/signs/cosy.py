"""Cosy network (Harris): "based on friendship groups or existing partnerships that manifest
the tell tale signs of inertia because powerful personal relationships dictate and restrict
their activity".

Rule: the top 20% of participants carry more than 60% of cross-school participation; or more
than half of cross-school ties join the same pair of schools; or group memberships overlap
heavily (mean Jaccard above 0.6).

Cross-school participation is ``participation.person_participation``'s ``cross_school``: the
occasions in the window (a school year by default) that brought together people of two or
more schools, counted for everyone present. The pair clause needs three schools (with two,
every cross-school tie joins the same pair) and enough ties to mean something.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from itertools import combinations
from typing import Any

from tracker.analysis import participation
from tracker.analysis.concentration import top_share
from tracker.analysis.snapshot import Snapshot
from tracker.signs import evidence as ev
from tracker.signs import period
from tracker.signs.base import Finding, Threshold

ID = "cosy"
TITLE = "Cosy network"
SOURCE = "Harris, empty networks: cosy networks"
THRESHOLDS = (
    Threshold("window_terms", 3, "int", 1, 9, "Terms looked back",
              "Participation and ties are counted over this many terms (three = a year)."),
    Threshold("top_fraction", 0.2, "float", 0.01, 1, "Most active participants (share)",
              "The most active share of cross-school participants (a fifth by default)."),
    Threshold("top_share", 0.6, "float", 0, 1, "Participation they may carry",
              "The sign holds when they carry more than this share of it."),
    Threshold("pair_share", 0.5, "float", 0, 1, "Ties on one pair of schools",
              "More than this share of cross-school ties join the same two schools."),
    Threshold("max_jaccard", 0.6, "float", 0, 1, "Group overlap (mean Jaccard)",
              "Enquiry groups' memberships overlap more than this on average."),
    Threshold("min_participants", 10, "int", 2, 1000, "Participants needed",
              "Concentration is judged only with at least this many cross-school participants."),
    Threshold("min_ties", 10, "int", 1, 10000, "Cross-school ties needed",
              "The pair clause is judged only with at least this many cross-school ties."),
)  # fmt: skip

insufficient = ev.insufficient_for(ID, TITLE, SOURCE)

SUGGESTION = (
    "Widen who takes part beyond the people who already work together. Hartlepool invited "
    "volunteer teachers from every school into enquiry groups on questions from a "
    "network-wide audit; Pendle's classroom assistants became the experts leading a "
    "network-wide programme; Oldham trained two teachers from each school as co-coaches, who "
    "then coached colleagues at home. Mix the membership of the next groups across schools "
    "and invite people who have not yet taken part."
)


def evaluate(s: Snapshot, t: Mapping[str, Any]) -> Finding | None:
    if len(s.schools) < 2:
        return insufficient(
            "the network has fewer than two schools", "Add the network's member schools."
        )
    since = period.since(s, int(t["window_terms"]))
    concentration = _concentration(s, since, t)
    pair = _pair(s, since, t)
    overlap = _overlap(s, float(t["max_jaccard"]))
    if concentration is None and pair is None and overlap is None:
        return insufficient(
            f"too little cross-school participation, too few ties and fewer than two "
            f"enquiry groups with members since {since}",
            "Record who attends network activities and group sessions, and who belongs to "
            "each enquiry group.",
        )
    held = [
        concentration is not None and concentration["holds"],
        pair is not None and pair["holds"],
        overlap is not None and overlap["holds"],
    ]
    if not any(held):
        return None

    very = concentration is not None and concentration["holds"] and concentration["share"] >= 0.8
    said = []
    if held[0] and concentration:
        said.append(
            f"{concentration['top_people']} of {concentration['participants']} people taking "
            f"part across schools carry {concentration['share']:.0%} of the cross-school "
            "participation"
        )
    if held[1] and pair:
        a, b = pair["schools"]
        said.append(
            f"{pair['share']:.0%} of cross-school ties join the same two schools, "
            f"{a['name']} and {b['name']}"
        )
    if held[2] and overlap:
        said.append(
            f"the {overlap['groups']} enquiry groups share most of their members "
            f"(mean Jaccard overlap {overlap['mean_jaccard']:.2f})"
        )
    return Finding(
        id=ID,
        severity="concern" if sum(held) >= 2 or very else "warning",
        title=TITLE,
        explanation=f"Since {since}, " + "; ".join(said) + ".",
        source=SOURCE,
        evidence={
            "period": {"from": since, "to": s.at},
            "participation": concentration,
            "school_pair": pair,
            "group_overlap": overlap,
            "thresholds": dict(t),
        },
        suggestion=SUGGESTION,
    )


def _concentration(s: Snapshot, since: str, t: Mapping[str, Any]) -> dict[str, Any] | None:
    per_person = participation.person_participation(s, since)
    counts = {uid: row["cross_school"] for uid, row in per_person.items() if row["cross_school"]}
    if len(counts) < int(t["min_participants"]):
        return None
    fraction = float(t["top_fraction"])
    share = top_share(list(counts.values()), fraction) or 0.0
    ordered = sorted(counts.values(), reverse=True)
    k = max(1, math.ceil(fraction * len(ordered) - 1e-9))  # as ``top_share`` counts them
    cutoff = ordered[k - 1]
    core = [uid for uid, n in counts.items() if n >= cutoff]
    by_school = Counter(s.school_of(uid) for uid in core)
    return {
        "holds": share > float(t["top_share"]),
        "share": round(share, 3),
        "participants": len(counts),
        "top_people": k,
        "participations": sum(counts.values()),
        # Who the most active are, in snapshot order and without their counts: evidence of
        # a closed circle, never a ranking of individuals.
        "core_people": ev.people(s, core) if len(core) <= 25 else None,
        "core_by_school": [
            {**ev.school(s, uid), "people": by_school[uid]}
            for uid in (row.uid for row in s.schools)
            if by_school.get(uid)
        ],
    }


def _pair(s: Snapshot, since: str, t: Mapping[str, Any]) -> dict[str, Any] | None:
    if len(s.schools) < 3:
        return None
    g = ev.school_graph(s, since)
    ties = {tuple(sorted(e.tuple)): e["ties"] for e in g.es if e["ties"]}
    total = sum(ties.values())
    if total < int(t["min_ties"]):
        return None
    (a, b), most = max(ties.items(), key=lambda item: (item[1], -item[0][0], -item[0][1]))
    share = most / total
    return {
        "holds": share > float(t["pair_share"]),
        "share": round(share, 3),
        "ties": most,
        "cross_school_ties": total,
        "schools": [ev.school(s, s.schools[a].uid), ev.school(s, s.schools[b].uid)],
    }


def _overlap(s: Snapshot, max_jaccard: float) -> dict[str, Any] | None:
    groups = [
        {m.person_uid for m in g.members} for g in participation.active_groups(s) if g.members
    ]
    if len(groups) < 2:
        return None
    scores = [len(x & y) / len(x | y) for x, y in combinations(groups, 2)]
    mean = sum(scores) / len(scores)
    return {"holds": mean > max_jaccard, "mean_jaccard": round(mean, 3), "groups": len(groups)}
