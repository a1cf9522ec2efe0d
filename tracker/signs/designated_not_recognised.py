"""Designated but not recognised (Torrance, assumption 3): "the headteacher's endorsement was
not sufficient of itself to legitimize the leadership role of staff ... Not every staff
member perceived to be a leader by the headteacher was perceived by peers to be one.
Calling someone a leader did not make that person a leader."

Rule: a role holder who receives at most one nomination.

Nominations are distinct people naming the holder for advice in the latest questionnaire
round. Only fair cases are judged: roles held since before the round closed (a role given
afterwards could not yet be recognised) and holders at schools where enough colleagues
answered (peers cannot recognise anyone in a school where nobody answered).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from tracker.analysis import participation
from tracker.analysis.snapshot import Snapshot
from tracker.signs import evidence as ev
from tracker.signs.base import Finding, Threshold

ID = "designated_not_recognised"
TITLE = "Designated but not recognised"
SOURCE = "Torrance (2013), five assumptions: the head's endorsement is not enough"
THRESHOLDS = (
    Threshold("max_nominations", 1, "int", 0, 100, "Nominations at most",
              "A role holder named for advice by at most this many people."),
    Threshold("min_school_respondents", 3, "int", 0, 1000, "Colleagues who answered",
              "Holders are judged only where at least this many others at their school "
              "answered the questionnaire."),
)  # fmt: skip

insufficient = ev.insufficient_for(ID, TITLE, SOURCE)

SUGGESTION = (
    "Ask why colleagues do not go to these role holders, without blame. Torrance found that "
    "peers recognise expertise, not titles: leaders had to be seen as effective "
    "practitioners. Give holders a visible piece of shared work where their expertise shows, "
    "as Hartlepool's enquiry groups and Prudhoe's learning forum did, or look again at who "
    "holds the role."
)


def evaluate(s: Snapshot, t: Mapping[str, Any]) -> Finding | None:
    if not ev.has_survey(s):
        return insufficient(
            "no questionnaire round has been answered",
            "Run the staff questionnaire so nominations can be compared with roles held.",
        )
    closed = ev.survey_date(s)
    respondents = ev.respondents(s)
    answered = Counter(s.school_of(uid) for uid in respondents)
    titles: dict[str, list[str]] = defaultdict(list)
    for role in s.roles:
        if closed is None or role.start is None or role.start <= closed:
            titles[role.person_uid].append(role.title)
    received = participation.nominations(s)
    holders = [p for p in s.people if p.uid in titles]
    if not holders:
        return None  # nobody held a role when the round closed: nothing to compare
    judged = [
        p.uid
        for p in holders
        if p.school_uid
        and answered.get(p.school_uid, 0) - (p.uid in respondents)
        >= int(t["min_school_respondents"])
    ]
    if not judged:
        return insufficient(
            "no role holder works at a school where enough colleagues answered the questionnaire",
            "Encourage more staff at each school to answer the questionnaire.",
        )
    unrecognised = [uid for uid in judged if received[uid] <= int(t["max_nominations"])]
    if not unrecognised:
        return None
    n = len(unrecognised)
    return Finding(
        id=ID,
        severity="concern" if n > 1 and n * 2 > len(judged) else "warning",
        title=TITLE,
        explanation=(
            f"{n} of {len(judged)} role holders were named for advice by at most "
            f"{int(t['max_nominations'])} colleague(s) in the latest questionnaire round "
            f"({_schools_text(s, unrecognised)})."
        ),
        source=SOURCE,
        evidence={
            "survey": s.survey,
            "survey_closed": closed,
            "role_holders_judged": len(judged),
            "role_holders": [
                {**ev.person(s, uid), "roles": sorted(titles[uid]), "nominations": received[uid]}
                for uid in unrecognised
            ],
            "thresholds": dict(t),
        },
        suggestion=SUGGESTION,
    )


def _schools_text(s: Snapshot, uids: list[str]) -> str:
    names = [ev.school_name(s, row.uid) for row in s.schools
             if any(s.school_of(uid) == row.uid for uid in uids)]  # fmt: skip
    return "at " + ev.name_list(names) if names else "at no school"
