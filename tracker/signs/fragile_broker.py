"""Fragile broker (Harris): improvement "dissipates simply because of an over-reliance on the
leadership capability of one person", a "failure of succession planning".

Rule: removing one person disconnects a school from the network or removes more than half of
its cross-school ties.

A school's cross-school ties are read at school level: the other schools it is linked to by
people's ties (advice, or recorded collaboration in the last two terms). Removing a person
takes away the links that run only through them, whether they work at the school or are its
one contact elsewhere. Reading "ties" as links to schools, not as person-to-person pairs,
keeps a busy school link teacher, who meets many people at every forum, from looking like a
single point of failure when colleagues reach the same schools too.

A school first seen in the network's records in a term still under way (one that has just
joined) is not judged yet: its first link person is how every school starts, not a failure
of succession planning.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from tracker.analysis.snapshot import Snapshot
from tracker.services.terms import term_of
from tracker.signs import evidence as ev
from tracker.signs import period
from tracker.signs.base import Finding, Threshold

ID = "fragile_broker"
TITLE = "Fragile broker"
SOURCE = "Harris, over-reliance on one person and succession planning"
THRESHOLDS = (
    Threshold("lost_share", 0.5, "float", 0, 1, "Share of links one person may carry",
              "Removing one person takes away more than this share of a school's links."),
    Threshold("window_terms", 2, "int", 1, 6, "Terms of ties looked at",
              "Recorded collaboration in this many terms counts as a tie."),
)  # fmt: skip

insufficient = ev.insufficient_for(ID, TITLE, SOURCE)

SUGGESTION = (
    "Spread each school's links over more than one person before that person moves on. "
    "Oldham trained two teachers from each school as co-coaches so no school rested on one; "
    "Hartlepool's enquiry groups and Prudhoe's forum brought several colleagues from each "
    "school into contact with other schools. Pair the person named here with a colleague "
    "who goes with them to network meetings and groups, and plan who would take over."
)


def evaluate(s: Snapshot, t: Mapping[str, Any]) -> Finding | None:
    if len(s.schools) < 2:
        return insufficient(
            "the network has fewer than two schools", "Add the network's member schools."
        )
    since = period.since(s, int(t["window_terms"]))
    found = _fragile(s, since, float(t["lost_share"]))
    if not found:
        return None
    cut_off = [row for row in found if row["disconnects"]]
    said = []
    for row in found[:4]:
        name = row["school"]["name"]
        if row["disconnects"]:
            said.append(
                f"{name} is linked to other schools through one person only: without them it "
                f"would lose all {row['partners']} of its partner schools"
            )
        else:
            said.append(
                f"one person carries {name}'s links to {row['lost']} of its "
                f"{row['partners']} partner schools"
            )
    if len(found) > 4:
        said.append(f"and {len(found) - 4} more schools depend on one person in this way")
    return Finding(
        id=ID,
        severity="concern" if cut_off else "warning",
        title=TITLE,
        explanation=f"Since {since}, " + "; ".join(said) + ".",
        source=SOURCE,
        evidence={
            "period": {"from": since, "to": s.at},
            "fragile": found,
            "schools_cut_off_by_one_removal": len({r["school"]["uid"] for r in cut_off}),
            "thresholds": dict(t),
        },
        suggestion=SUGGESTION,
    )


def _fragile(s: Snapshot, since: str, lost_share: float) -> list[dict[str, Any]]:
    """Every (school, person) where removing the person loses too many partner schools."""
    g = ev.tie_graph(s, since)
    schools, uids = g.vs["school"], g.vs["uid"]
    # ends[school][partner] = (people at the school, people at the partner) on those ties
    ends: dict[str, dict[str, tuple[set[str], set[str]]]] = defaultdict(dict)
    for a, b in g.get_edgelist():
        sa, sb = schools[a], schools[b]
        if not sa or not sb or sa == sb:
            continue
        for here, there, me, them in ((sa, sb, a, b), (sb, sa, b, a)):
            mine, theirs = ends[here].setdefault(there, (set(), set()))
            mine.add(uids[me])
            theirs.add(uids[them])
    found = []
    seen = ev.first_seen(s)
    settled = period.latest_closed_term(s.at)
    for row in s.schools:
        partners = ends.get(row.uid)
        if not partners or (row.uid in seen and term_of(seen[row.uid]) > settled):
            continue
        lost: dict[str, set[str]] = defaultdict(set)
        for partner, (mine, theirs) in partners.items():
            for side in (mine, theirs):
                if len(side) == 1:
                    lost[next(iter(side))].add(partner)
        for uid in (p.uid for p in s.people if p.uid in lost):
            share = len(lost[uid]) / len(partners)
            if share > lost_share:
                found.append(
                    {
                        "school": ev.school(s, row.uid),
                        "person": ev.person(s, uid),
                        "partners": len(partners),
                        "lost": len(lost[uid]),
                        "disconnects": len(lost[uid]) == len(partners),
                        "partner_schools_lost": ev.schools(s, lost[uid]),
                    }
                )
    return found
