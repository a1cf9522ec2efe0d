"""No knowledge transfer (Wenger, in Harris): communities fail when they "fail to install
mechanisms for knowledge transfer and collaborative forms of problem solving".

Rule: no adoption recorded in the last two terms; or a school that neither shares nor adopts
a practice in a year. Any recorded step (heard, trialled, embedded) counts: each is the
mechanism working. Undated transfers cannot be placed in a period and are left out.

"In a year" needs the school to have been in the network for that year: a school first seen
in the network's records (``evidence.first_seen``) after the year began, such as one that
joined in January, is listed as new and judged once a year has passed. A school with
nothing recorded at all is judged: it is quiet by any reading.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.analysis.snapshot import Snapshot
from tracker.services.terms import term_of
from tracker.signs import evidence as ev
from tracker.signs import period
from tracker.signs.base import Finding, Threshold

ID = "no_knowledge_transfer"
TITLE = "No knowledge transfer"
SOURCE = "Wenger (1998), community disorders, in Harris"
THRESHOLDS = (
    Threshold("window_terms", 2, "int", 1, 6, "Terms with no adoption",
              "The sign holds when no school adopted a practice in this many terms."),
    Threshold("school_terms", 3, "int", 1, 9, "Terms a school may go quiet",
              "A school that neither shares nor adopts in this many terms (three = a year)."),
)  # fmt: skip

insufficient = ev.insufficient_for(ID, TITLE, SOURCE)

SUGGESTION = (
    "Make transfer a routine, not an accident: in Prudhoe the termly learning forum was where "
    "staff shared what they had learned from studying their practice and invited others to "
    "try it, and Hartlepool's enquiry groups developed expertise to share within and across "
    "their schools. Ask each quiet school to bring one practice to the next forum, and record "
    "who has heard of, trialled and embedded it."
)


def evaluate(s: Snapshot, t: Mapping[str, Any]) -> Finding | None:
    window_terms = int(t["window_terms"])
    school_terms = int(t["school_terms"])
    if len(s.schools) < 2:
        return insufficient(
            "the network has fewer than two schools", "Add the network's member schools."
        )
    if not any(d and d <= s.at for d in period.dated_events(s)):
        return insufficient(
            "nothing dated has been recorded for the network yet",
            "Record the network's activities and the practices schools share.",
        )
    history = period.terms_of_history(s)
    since = period.since(s, window_terms)
    recent = [x for x in s.transfers if period.in_window(x.date, since, s.at)]
    none_recent = not recent
    if none_recent and history < window_terms:
        # Adoptions already recorded clear a young network; their absence cannot yet count.
        return insufficient(
            f"the network has {history} complete term(s) of recorded history and the rule "
            f"looks back {window_terms}",
            "Keep recording practices shared between schools; the sign is judged once the "
            "network has enough history.",
        )

    quiet: list[str] = []
    new: list[str] = []
    school_since = None
    if history >= school_terms:
        school_since = period.since(s, school_terms)
        active: set[str] = set()
        for x in s.transfers:
            if period.in_window(x.date, school_since, s.at):
                active.add(x.to_school_uid)
                if x.from_school_uid:
                    active.add(x.from_school_uid)
        new = _newcomers(s, school_since)
        quiet = [row.uid for row in s.schools if row.uid not in active and row.uid not in new]
    if not (none_recent or quiet):
        return None

    concern = none_recent or len(quiet) * 2 > len(s.schools)
    last = max((x.date for x in s.transfers if x.date and x.date <= s.at), default=None)
    said = []
    if none_recent:
        said.append(
            f"no school has recorded adopting a practice from another since {since}"
            + (f" (the last recorded step was on {last})" if last else " (none ever recorded)")
        )
    if quiet:
        names = ev.name_list([ev.school_name(s, uid) for uid in quiet])
        verb = "has" if len(quiet) == 1 else "have"
        said.append(f"{names} {verb} neither shared nor adopted a practice since {school_since}")
    return Finding(
        id=ID,
        severity="concern" if concern else "warning",
        title=TITLE,
        explanation="In this network " + "; ".join(said) + ".",
        source=SOURCE,
        evidence={
            "period": {"from": since, "to": s.at},
            "adoptions_in_period": len(recent),
            "last_adoption": last,
            "quiet_schools": ev.schools(s, quiet),
            "quiet_period": {"from": school_since, "to": s.at} if school_since else None,
            "new_schools": ev.schools(s, new),
            "schools": len(s.schools),
            "thresholds": dict(t),
        },
        suggestion=SUGGESTION,
    )


def _newcomers(s: Snapshot, since: str) -> list[str]:
    """Schools first seen in a term after the one the year began in (not in it a year)."""
    first = term_of(since)
    seen = ev.first_seen(s)
    return [row.uid for row in s.schools if row.uid in seen and term_of(seen[row.uid]) > first]
