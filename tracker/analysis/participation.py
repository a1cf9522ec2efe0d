"""Who takes part and how the network's life is spread: counts from the recorded activity.

Everything here reads the snapshot's records (groups, sessions, coaching, training,
activities, transfers, roles, advice nominations), not the graphs, so each figure can be
explained as "these rows, counted this way". Dated events count when they fall in the window
``since`` .. ``at`` (``since`` None: every event on or before ``at``); current facts (group
memberships, coaching pairs, roles) count as they stand at ``at``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from tracker.analysis.concentration import gini, top_share
from tracker.analysis.snapshot import CoachingRow, GroupRow, RoleRow, Snapshot
from tracker.services import vocab
from tracker.services.terms import term_of, terms_between

LEVELS = tuple(vocab.LEVELS)
STAFF_LAYERS = ("senior", "teacher", "support")


def window_start(at: str, terms: int | None) -> str | None:
    """First day of the window of ``terms`` terms ending with the term holding ``at``.

    ``terms=2`` is "the last two terms" of the warning signs: the current term and the one
    before. None (or 0) means no window: every dated event counts.
    """
    if not terms:
        return None
    term = term_of(at)
    for _ in range(terms - 1):
        term = term.previous()
    return term.start


def in_window(date: str | None, since: str | None) -> bool:
    """Whether a dated event counts: undated events count only when there is no window."""
    if date is None:
        return since is None
    return since is None or date >= since


def active_groups(s: Snapshot) -> list[GroupRow]:
    """Enquiry groups running at ``at``: started by then (or undated) and not yet ended."""
    return [g for g in s.groups if _current(g.started, g.ended, s.at)]


def _current(start: str | None, end: str | None, at: str) -> bool:
    return (start is None or start <= at) and (end is None or end >= at)


def current_pairs(s: Snapshot) -> list[CoachingRow]:
    """Coaching pairs running at ``at`` (the snapshot should hold only these; checked here
    too so a hand-built snapshot cannot count an ended pair)."""
    return [pair for pair in s.coaching if _current(pair.started, pair.ended, s.at)]


def _schools(s: Snapshot, uids: Iterable[str]) -> set[str]:
    return {school for uid in uids if (school := s.school_of(uid))}


# -- participation per person -----------------------------------------------------------------


def occasions(s: Snapshot, since: str | None = None) -> list[tuple[str, str, tuple[str, ...]]]:
    """Every dated occasion in the window as (kind, date, people): group sessions, network
    activities, coaching sessions and training given (trainer first)."""
    found: list[tuple[str, str, tuple[str, ...]]] = []
    for group in s.groups:
        for session in group.sessions:
            if in_window(session.date, since):
                found.append(("group_session", session.date, tuple(session.attendees)))
    for activity in s.activities:
        if in_window(activity.date, since):
            found.append(("activity", activity.date, tuple(activity.attendees)))
    for pair in current_pairs(s):
        for date in pair.sessions:
            if in_window(date, since):
                found.append(("coaching_session", date, (pair.person_a, pair.person_b)))
    for row in s.trained:
        if row.date and in_window(row.date, since):
            found.append(("training", row.date, (row.trainer_uid, row.trainee_uid)))
    return found


def _participation_field(kind: str, position: int) -> str:
    """A coaching session counts as coaching for both; training as coaching for the trainer
    (listed first) and attendance for the trainee."""
    if kind == "coaching_session" or (kind == "training" and position == 0):
        return "coached"
    return "attended"


def person_participation(s: Snapshot, since: str | None = None) -> dict[str, dict[str, int]]:
    """Per person uid in ``s.people``: attended, led, coached, total, cross_school.

    - ``attended``: group sessions and network activities attended, and trainings received,
      in the window;
    - ``led``: enquiry groups running at ``at`` that they lead;
    - ``coached``: coaching sessions in the window of pairs they belong to, plus people they
      trained in the window;
    - ``total``: the three added up;
    - ``cross_school``: the attended and coached occasions that brought together people of
      at least two schools (the participation Harris's "cosy network" is about).
    """
    fields = ("attended", "led", "coached", "cross_school")
    counts = {p.uid: dict.fromkeys(fields, 0) for p in s.people}
    for kind, _date, people in occasions(s, since):
        crosses = len(_schools(s, people)) >= 2
        for position, uid in enumerate(people):
            row = counts.get(uid)
            if row is None:
                continue
            row[_participation_field(kind, position)] += 1
            row["cross_school"] += int(crosses)
    for group in active_groups(s):
        for member in group.members:
            if member.role == "lead" and member.person_uid in counts:
                counts[member.person_uid]["led"] += 1
    for row in counts.values():
        row["total"] = row["attended"] + row["led"] + row["coached"]
    return counts


def participation_summary(per_person: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Concentration of participation: Gini and top-20% share, overall and cross-school.

    ``gini`` and ``top20_share`` are over participants (total above zero), as Harris's
    "share carried by the top 20% of participants"; ``gini_all_people`` counts everyone in
    the snapshot, non-participants as zeros, so it also reflects who is left out.
    """
    totals = [row["total"] for row in per_person.values()]
    taking_part = [t for t in totals if t > 0]
    cross = [row["cross_school"] for row in per_person.values() if row["cross_school"] > 0]
    return {
        "people": len(totals),
        "participants": len(taking_part),
        "attended": sum(row["attended"] for row in per_person.values()),
        "led": sum(row["led"] for row in per_person.values()),
        "coached": sum(row["coached"] for row in per_person.values()),
        "gini": gini(taking_part),
        "gini_all_people": gini(totals),
        "top20_share": top_share(taking_part, 0.2),
        "cross_school_participants": len(cross),
        "cross_school_gini": gini(cross),
        "cross_school_top20_share": top_share(cross, 0.2),
    }


# -- activity per term ------------------------------------------------------------------------


_TERM_COUNTS = (
    "group_sessions",
    "activities",
    "coaching_sessions",
    "trainings",
    "transfers",
    "outcomes",
    "attendances",
    "cross_school_occasions",
)


def activity_by_term(s: Snapshot) -> list[dict[str, Any]]:
    """Counts per school term, oldest first, from the network's start (or first dated event)
    to the term holding ``at``.

    ``events`` = group sessions + network activities + coaching sessions + trainings +
    transfers: the recorded occasions of network life, the figure the "contrived network"
    sign compares across terms. ``attendances`` adds up attendees of sessions and
    activities; ``people_active`` counts distinct people at any occasion.
    """
    dated: list[tuple[str, str, tuple[str, ...]]] = occasions(s)
    dated += [("transfer", t.date, ()) for t in s.transfers if t.date]
    dated += [("outcome", o.date, ()) for g in s.groups for o in g.outcomes if o.date]
    dates = [d for _, d, _ in dated if d <= s.at]
    first = min([*dates, *([s.started] if s.started and s.started <= s.at else [])], default=None)
    if first is None:
        return []
    rows: dict[str, dict[str, Any]] = {}
    active: dict[str, set[str]] = defaultdict(set)
    for term in terms_between(first, s.at):
        rows[term.key] = {
            "term": term.key,
            "label": term.label,
            "start": term.start,
            "end": term.end,
            **dict.fromkeys(_TERM_COUNTS, 0),
        }
    field = {
        "group_session": "group_sessions",
        "activity": "activities",
        "coaching_session": "coaching_sessions",
        "training": "trainings",
        "transfer": "transfers",
        "outcome": "outcomes",
    }
    for kind, date, people in dated:
        if date > s.at:
            continue
        row = rows[term_of(date).key]
        row[field[kind]] += 1
        if kind in ("group_session", "activity"):
            row["attendances"] += len(people)
        if kind != "outcome" and (kind == "transfer" or len(_schools(s, people)) >= 2):
            row["cross_school_occasions"] += 1
        active[row["term"]].update(people)
    known = {p.uid for p in s.people}
    for key, row in rows.items():
        row["events"] = sum(
            row[k]
            for k in ("group_sessions", "activities", "coaching_sessions", "trainings", "transfers")
        )
        row["people_active"] = len(active[key] & known)
    return list(rows.values())


# -- knowledge transfer -----------------------------------------------------------------------


def transfer_matrix(s: Snapshot, since: str | None = None) -> dict[str, Any]:
    """School-to-school knowledge transfer: ``counts[i][j]`` adoptions by school j of a
    practice shared by school i, schools in ``s.schools`` order (``schools`` gives the uids).

    ``flows`` lists each non-zero pair with its stages; an adoption with no known source
    school (or one outside the network) is counted in ``unknown_source`` of its adopter.
    ``shared`` and ``adopted`` are each school's row and column totals.
    """
    index = {school.uid: i for i, school in enumerate(s.schools)}
    n = len(s.schools)
    counts = [[0] * n for _ in range(n)]
    stages: dict[tuple[int, int], Counter] = defaultdict(Counter)
    unknown = [0] * n
    for transfer in s.transfers:
        j = index.get(transfer.to_school_uid)
        if j is None or not in_window(transfer.date, since):
            continue
        i = index.get(transfer.from_school_uid or "")
        if i is None:
            unknown[j] += 1
            continue
        counts[i][j] += 1
        stages[(i, j)][transfer.stage] += 1
    return {
        "schools": [school.uid for school in s.schools],
        "counts": counts,
        "flows": [
            {
                "from": s.schools[i].uid,
                "to": s.schools[j].uid,
                "count": counts[i][j],
                "stages": dict(sorted(stages[(i, j)].items())),
            }
            for i, j in sorted(stages)
        ],
        "shared": [sum(row) for row in counts],
        "adopted": [sum(counts[i][j] for i in range(n)) + unknown[j] for j in range(n)],
        "unknown_source": unknown,
    }


# -- five levels of learning ------------------------------------------------------------------


def level_coverage(s: Snapshot, since: str | None = None) -> dict[str, Any]:
    """How the five levels of learning are served: running enquiry groups and activities in
    the window that name each level, and questionnaire respondents who say they take part.

    ``covered`` lists the levels with at least one group or activity, ``missing`` the rest.
    """
    groups = active_groups(s)
    activities = [a for a in s.activities if in_window(a.date, since)]
    by_level: dict[str, dict[str, int]] = {}
    for level in LEVELS:
        by_level[level] = {
            "groups": sum(level in g.levels for g in groups),
            "activities": sum(level in a.levels for a in activities),
            "respondents": sum(level in r.levels for r in s.responses),
        }
    covered = [lv for lv in LEVELS if by_level[lv]["groups"] or by_level[lv]["activities"]]
    return {
        "levels": by_level,
        "covered": covered,
        "missing": [lv for lv in LEVELS if lv not in covered],
        "groups": len(groups),
        "activities": len(activities),
        "share_covered": len(covered) / len(LEVELS),
    }


# -- leadership -------------------------------------------------------------------------------


def current_roles(s: Snapshot) -> list[RoleRow]:
    """Roles held at ``at`` (as for coaching pairs, re-checked against their dates)."""
    return [role for role in s.roles if _current(role.start, role.end, s.at)]


def _role_holders(s: Snapshot) -> dict[str, list[str]]:
    """Current role titles of each person."""
    held: dict[str, list[str]] = defaultdict(list)
    for role in current_roles(s):
        held[role.person_uid].append(role.title)
    return held


def leaders(s: Snapshot) -> dict[str, set[str]]:
    """Who leads, by way: ``role`` (holds a role), ``lead`` (leads a running group),
    ``coach`` (in a current coaching pair or trained someone)."""
    found: dict[str, set[str]] = {"role": set(_role_holders(s)), "lead": set(), "coach": set()}
    for group in active_groups(s):
        found["lead"].update(m.person_uid for m in group.members if m.role == "lead")
    for pair in current_pairs(s):
        found["coach"].update((pair.person_a, pair.person_b))
    found["coach"].update(row.trainer_uid for row in s.trained)
    return found


def leadership_density(s: Snapshot) -> dict[str, Any]:
    """Share of people in each layer who hold a role, lead a group or coach (Harris's
    distributed leadership: how far leadership reaches beyond the head).

    ``by_layer`` has every layer present in ``s.people``; ``staff`` pools the three staff
    layers (senior, teacher, support). A share is None for a layer with nobody in it.
    """
    ways = leaders(s)
    anyone = ways["role"] | ways["lead"] | ways["coach"]
    layers: dict[str, list[str]] = defaultdict(list)
    for person in s.people:
        layers[person.layer].append(person.uid)

    def row(uids: list[str]) -> dict[str, Any]:
        people = set(uids)
        count = len(people & anyone)
        return {
            "people": len(people),
            "leaders": count,
            "share": count / len(people) if people else None,
            "roles": len(people & ways["role"]),
            "leads": len(people & ways["lead"]),
            "coaches": len(people & ways["coach"]),
        }

    order = [*STAFF_LAYERS, *sorted(set(layers) - set(STAFF_LAYERS))]
    staff = [uid for layer in STAFF_LAYERS for uid in layers.get(layer, [])]
    return {
        "by_layer": {layer: row(layers.get(layer, [])) for layer in order},
        "staff": row(staff),
    }


def origin_mix(s: Snapshot) -> dict[str, int]:
    """How current roles and running groups arose: design, default, desperation, unknown."""
    mix = Counter(role.origin or "unknown" for role in current_roles(s))
    mix.update(g.origin or "unknown" for g in active_groups(s))
    return {key: mix.get(key, 0) for key in (*vocab.ORIGINS, "unknown")}


def nominations(s: Snapshot) -> dict[str, int]:
    """Distinct people who name each person for advice (in ``s.people``, self excluded)."""
    known = {p.uid for p in s.people}
    pairs = {(t.source, t.target) for t in s.advice if t.source != t.target}
    received = Counter(b for a, b in pairs if a in known and b in known)
    return {p.uid: received.get(p.uid, 0) for p in s.people}


def designated_vs_recognised(
    s: Snapshot, max_nominations: int = 1, top_fraction: float = 0.1
) -> dict[str, Any] | None:
    """Roles held against advice nominations received (Torrance's third assumption).

    ``designated_not_recognised``: role holders named by at most ``max_nominations`` people;
    ``recognised_not_designated``: people in the top ``top_fraction`` by nominations (at least
    one nomination; ties with the cut-off value are in) who hold no role. ``people`` lists
    everyone who holds a role or was nominated. None when the snapshot has no advice.
    """
    if not s.advice:
        return None
    received = nominations(s)
    roles = _role_holders(s)
    ranked = sorted(received.values(), reverse=True)
    k = max(1, math.ceil(top_fraction * len(ranked) - 1e-9)) if ranked else 0
    cutoff = max(ranked[k - 1], 1) if k else None
    rows = [
        {
            "uid": p.uid,
            "key": p.key,
            "layer": p.layer,
            "school_uid": p.school_uid,
            "roles": sorted(roles.get(p.uid, [])),
            "nominations": received[p.uid],
        }
        for p in s.people
        if roles.get(p.uid) or received[p.uid]
    ]
    return {
        "survey": s.survey,
        "top_cutoff": cutoff,
        "people": rows,
        "designated_not_recognised": [
            r["uid"] for r in rows if r["roles"] and r["nominations"] <= max_nominations
        ],
        "recognised_not_designated": [
            r["uid"]
            for r in rows
            if not r["roles"] and cutoff is not None and r["nominations"] >= cutoff
        ],
    }
