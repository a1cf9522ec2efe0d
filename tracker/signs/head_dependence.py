"""In the gift of the headteacher (Torrance): "more than any other colleague, staff in each
school approached the headteacher for advice and support across the sociograms", and
distributed leadership was "to a large extent ... in the gift of the headteacher".

Rule: more than 40% of advice nominations go to heads and senior staff; or heads are the only
cross-school brokers of their school.

Nominations are the latest questionnaire round's advice ties (one per pair of people, however
many topics). A cross-school broker is anyone with a tie (advice or recorded collaboration in
the last two terms) to someone at another school. "Heads" are senior leaders titled head or
principal; where no one at a school has such a title, its senior leaders. The broker clause
is about the network, not one school: it holds when in more than half of the schools with
any cross-school tie the heads are the only people holding those ties (a single small school
whose head goes to the meetings is not a pattern). Without a questionnaire round the sign
cannot be judged, since Torrance's evidence is the sociogram.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from tracker.analysis.snapshot import Snapshot
from tracker.signs import evidence as ev
from tracker.signs import period
from tracker.signs.base import Finding, Threshold

ID = "head_dependence"
TITLE = "In the gift of the headteacher"
SOURCE = "Torrance (2013), distributed leadership still in the gift of the headteacher"
THRESHOLDS = (
    Threshold("senior_share", 0.4, "float", 0, 1, "Nominations to senior staff",
              "More than this share of advice nominations go to heads and senior staff."),
    Threshold("broker_school_share", 0.5, "float", 0, 1, "Schools brokered by heads only",
              "More than this share of schools have only their heads as cross-school brokers."),
    Threshold("window_terms", 2, "int", 1, 6, "Terms of ties looked at",
              "Cross-school ties from recorded collaboration in this many terms count."),
    Threshold("min_nominations", 10, "int", 1, 10000, "Nominations needed",
              "The sign is judged only with at least this many advice nominations."),
)  # fmt: skip

insufficient = ev.insufficient_for(ID, TITLE, SOURCE)

SUGGESTION = (
    "Look for leadership that does not route through the head. Torrance found heads' "
    "endorsement necessary but not sufficient: peers recognised leaders by their expertise. "
    "Pendle's classroom assistants led the network's dyslexia-friendly programme; Oldham's "
    "co-coaches, two teachers from each school, met network colleagues regularly and then "
    "coached others at home. Give teachers and support staff the cross-school roles and "
    "meetings heads now hold, and ask staff who they go to for advice besides the head."
)


def evaluate(s: Snapshot, t: Mapping[str, Any]) -> Finding | None:
    if not ev.has_survey(s):
        return insufficient(
            "no questionnaire round has been answered",
            "Run the staff questionnaire so advice nominations can be counted.",
        )
    advice = ev.advice_graph(s)
    if advice.ecount() < int(t["min_nominations"]):
        return insufficient(
            f"the latest questionnaire round has {advice.ecount()} advice nominations and the "
            f"rule needs {int(t['min_nominations'])}",
            "Encourage more staff to answer the questionnaire.",
        )
    layers = advice.vs["layer"]
    to_layer = Counter(layers[b] for _, b in advice.get_edgelist())
    share = to_layer.get("senior", 0) / advice.ecount()
    too_many = share > float(t["senior_share"])

    since = period.since(s, int(t["window_terms"]))
    brokers = _brokers_by_school(s, since)
    head_only = [
        uid for uid, people in brokers.items() if people and all(ev.is_head(s, p) for p in people)
    ]
    head_only = [uid for uid in head_only if _has_other_staff(s, uid, brokers[uid])]
    broker_share = len(head_only) / len(brokers) if brokers else 0.0
    heads_only = bool(head_only) and broker_share > float(t["broker_school_share"])
    if not (too_many or heads_only):
        return None

    staff = [p for p in s.people if ev.is_staff(p.layer)]
    senior_staff = sum(p.layer == "senior" for p in staff)
    said = []
    if too_many:
        said.append(
            f"{to_layer.get('senior', 0)} of {advice.ecount()} advice nominations ({share:.0%}) "
            f"go to heads and senior staff, who are {senior_staff} of {len(staff)} staff"
        )
    if heads_only:
        said.append(
            f"in {len(head_only)} of {len(brokers)} schools with cross-school ties, the head "
            "is the only person holding them"
        )
    return Finding(
        id=ID,
        severity="concern" if (too_many and heads_only) or share >= 0.6 else "warning",
        title=TITLE,
        explanation="In this network " + "; ".join(said) + ".",
        source=SOURCE,
        evidence={
            "survey": s.survey,
            "period": {"from": since, "to": s.at},
            "nominations": advice.ecount(),
            "nominations_by_layer": dict(sorted(to_layer.items())),
            "senior_share": round(share, 3),
            "senior_staff": senior_staff,
            "staff": len(staff),
            "schools_with_cross_school_ties": len(brokers),
            "head_only_schools": ev.schools(s, head_only),
            "head_brokers": ev.people(s, [p for uid in head_only for p in brokers[uid]]),
            "thresholds": dict(t),
        },
        suggestion=SUGGESTION,
    )


def _brokers_by_school(s: Snapshot, since: str) -> dict[str, list[str]]:
    """Each school's people with a tie to someone at another school (schools with any)."""
    g = ev.tie_graph(s, since)
    schools, uids = g.vs["school"], g.vs["uid"]
    found: dict[str, set[str]] = {}
    for a, b in g.get_edgelist():
        if schools[a] and schools[b] and schools[a] != schools[b]:
            found.setdefault(schools[a], set()).add(uids[a])
            found.setdefault(schools[b], set()).add(uids[b])
    return {row.uid: sorted(found[row.uid]) for row in s.schools if row.uid in found}


def _has_other_staff(s: Snapshot, school_uid: str, brokers: list[str]) -> bool:
    """Whether anyone else on the school's staff could have held those ties."""
    return any(
        p.school_uid == school_uid and ev.is_staff(p.layer) and p.uid not in brokers
        for p in s.people
    )
