"""Shared pieces of a finding: references to people and schools, the insufficient-data finding,
who counts as staff or a head, and cached graphs so fifteen signs build each graph once.

People are only ever referred to as ``{"uid", "name", "school"}`` (``school`` is the school's
uid) so the service layer can pseudonymise every name by uid; explanations name schools and
counts, never people.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any, TypeVar

import igraph as ig

from tracker.analysis import graphs
from tracker.analysis.snapshot import Snapshot
from tracker.signs.base import Finding

STAFF_LAYERS = ("senior", "teacher", "support")
T = TypeVar("T")

# A head, principal or executive head, but not a deputy, an assistant or a head of department.
_HEAD = re.compile(r"\b(head\s*teacher|head|principal|headmaster|headmistress)\b", re.I)
_NOT_HEAD = re.compile(r"\b(deputy|assistant|vice|associate|of (?!school\b))", re.I)


def person(s: Snapshot, uid: str) -> dict[str, Any]:
    row = s.person(uid)
    if row is None:
        return {"uid": uid, "name": None, "school": None}
    return {"uid": row.uid, "name": row.name, "school": row.school_uid}


def people(s: Snapshot, uids: Iterable[str]) -> list[dict[str, Any]]:
    """References in snapshot order (the order of the people list, never a ranking)."""
    wanted = set(uids)
    return [person(s, p.uid) for p in s.people if p.uid in wanted]


def school(s: Snapshot, uid: str | None) -> dict[str, Any]:
    names = _school_names(s)
    return {"uid": uid, "name": names.get(uid or "")}


def schools(s: Snapshot, uids: Iterable[str | None]) -> list[dict[str, Any]]:
    """References in snapshot order (never sorted by any figure: not a league table)."""
    wanted = set(uids)
    return [school(s, row.uid) for row in s.schools if row.uid in wanted]


def school_name(s: Snapshot, uid: str | None) -> str:
    return _school_names(s).get(uid or "") or "a school"


def name_list(names: list[str], limit: int = 4) -> str:
    """``A, B and C`` (``and 3 more`` past ``limit``), for explanations."""
    if len(names) > limit:
        names = [*names[:limit], f"{len(names) - limit} more"]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _school_names(s: Snapshot) -> dict[str, str]:
    return cached(s, "school_names", lambda: {row.uid: row.name for row in s.schools})


def insufficient_for(sign_id: str, title: str, source: str) -> Callable[[str, str], Finding]:
    """A sign's maker of the ``interfaces.md`` finding for "cannot be judged": info, the
    reason as the only evidence, and a suggestion saying what to record."""

    def insufficient(reason: str, suggestion: str) -> Finding:
        return Finding(
            id=sign_id,
            severity="info",
            title=title,
            explanation=f"This sign cannot be judged: {reason}.",
            source=source,
            evidence={"insufficient_data": reason},
            suggestion=suggestion,
        )

    return insufficient


# -- who is who ------------------------------------------------------------------------------


def is_staff(layer: str | None) -> bool:
    return layer in STAFF_LAYERS


def is_head(s: Snapshot, uid: str) -> bool:
    """A senior leader whose job title names them head (or principal) of a school.

    When nobody at the person's school has such a title (packages often leave titles out),
    every senior leader there counts: Torrance's "senior management layer".
    """
    row = s.person(uid)
    if row is None or row.layer != "senior":
        return False
    titled = _titled_heads(s)
    if row.school_uid in titled["schools"]:
        return uid in titled["people"]
    return True


def _titled_heads(s: Snapshot) -> dict[str, set[str]]:
    def build() -> dict[str, set[str]]:
        heads = {
            p.uid
            for p in s.people
            if p.layer == "senior"
            and p.job_title
            and _HEAD.search(p.job_title)
            and not _NOT_HEAD.search(p.job_title)
        }
        return {"people": heads, "schools": {s.school_of(uid) for uid in heads}}

    return cached(s, "titled_heads", build)


def staff_count(s: Snapshot) -> dict[str, int]:
    """Staff (senior, teacher, support) recorded at each school at ``at``."""

    def build() -> dict[str, int]:
        counts: dict[str, int] = {}
        for p in s.people:
            if p.school_uid and is_staff(p.layer):
                counts[p.school_uid] = counts.get(p.school_uid, 0) + 1
        return counts

    return cached(s, "staff_count", build)


def takes_part(s: Snapshot) -> set[str]:
    """Everyone with a part in the network's recorded work by ``at``: a role, a group (as a
    member or at a session), an activity, coaching, training given or received, or a
    practice carried. Answering the questionnaire is not counted: it goes to all staff."""

    def build() -> set[str]:
        found = {r.person_uid for r in s.roles}
        for g in s.groups:
            found.update(m.person_uid for m in g.members)
            for session in g.sessions:
                found.update(session.attendees)
        for a in s.activities:
            found.update(a.attendees)
        for pair in s.coaching:
            found.update((pair.person_a, pair.person_b))
        for t in s.trained:
            found.update((t.trainer_uid, t.trainee_uid))
        found.update(x.carrier_uid for x in s.transfers if x.carrier_uid)
        return found

    return cached(s, "takes_part", build)


def participants_only(s: Snapshot, share: float) -> bool:
    """Whether the people list looks like a list of participants, not of staff: at least
    ``share`` of the staff recorded take part in something. A school's whole staff includes
    many who do not (Prudhoe's forum drew "up to half" the staff; a busy network of whole
    staff lists reaches about four in five over two years), so staff counts from such a
    list understate every school, and rules that divide by staff cannot be judged from it."""
    staff = [p.uid for p in s.people if p.school_uid and is_staff(p.layer)]
    if not staff:
        return False
    part = takes_part(s)
    return sum(uid in part for uid in staff) >= share * len(staff)


def first_seen(s: Snapshot) -> dict[str, str]:
    """The earliest date each school appears in the network's recorded life by ``at``:
    hosting or attending an activity, a group session or membership, coaching, training, a
    transfer, or a questionnaire answer by or about its staff.

    Where the school's joining date is recorded it is used as it is; the records stand in for
    it otherwise: a school that joined in January is not "a school that has shared nothing in
    a year".
    """

    def build() -> dict[str, str]:
        seen: dict[str, str] = {}

        def note(school: str | None, date: str | None) -> None:
            if school and date and date <= s.at and date < seen.get(school, "9999"):
                seen[school] = date

        def people(uids: Iterable[str], date: str | None) -> None:
            for uid in uids:
                note(s.school_of(uid), date)

        for a in s.activities:
            note(a.host_school_uid, a.date)
            people(a.attendees, a.date)
        for g in s.groups:
            for session in g.sessions:
                people(session.attendees, session.date)
            for m in g.members:
                people([m.person_uid], m.start or g.started)
        for pair in s.coaching:
            for date in pair.sessions:
                people([pair.person_a, pair.person_b], date)
        for t in s.trained:
            people([t.trainer_uid, t.trainee_uid], t.date)
        for x in s.transfers:
            note(x.from_school_uid, x.date)
            note(x.to_school_uid, x.date)
        for tie in s.advice:
            people([tie.source, tie.target], tie.asked_at)
        for r in s.responses:
            people([r.person_uid], r.date)
        seen.update({school.uid: school.joined for school in s.schools if school.joined})
        return seen

    return cached(s, "first_seen", build)


# -- caches ----------------------------------------------------------------------------------


def cached(s: Snapshot, key: str, build: Callable[[], T]) -> T:
    """``build()`` once per snapshot (``Snapshot.extra`` is its per-instance cache)."""
    slot = "_signs:" + key
    if slot not in s.extra:
        s.extra[slot] = build()
    return s.extra[slot]


def tie_graph(s: Snapshot, since: str | None) -> ig.Graph:
    """``graphs.tie_graph`` of the ties in the window, built once; callers must not modify it."""
    return cached(s, f"tie_graph:{since}", lambda: graphs.tie_graph(_recent(s, since), since))


def school_graph(s: Snapshot, since: str | None) -> ig.Graph:
    """``graphs.school_graph`` of the links in the window, built once; do not modify it."""
    return cached(s, f"school_graph:{since}", lambda: graphs.school_graph(_recent(s, since), since))


def _recent(s: Snapshot, since: str | None) -> Snapshot:
    """``s`` without training given before the window.

    ``graphs`` keeps a training link whatever its date (the cascade outlives the day), which
    suits a map of the network; a sign asking "any tie in the last two terms" must not count
    a school as connected because someone there was trained years ago.
    """
    if since is None:
        return s
    return replace(s, trained=tuple(t for t in s.trained if t.date and t.date >= since), extra={})


def advice_graph(s: Snapshot) -> ig.Graph:
    return cached(s, "advice_graph", lambda: graphs.advice_graph(s))


def has_survey(s: Snapshot) -> bool:
    """A questionnaire round with any answer (advice ties or responses) as at ``at``."""
    return bool(s.survey) or bool(s.advice) or bool(s.responses)


def survey_date(s: Snapshot) -> str | None:
    """When the latest round was answered (its last answer), for "roles held at the time"."""
    dates = [t.asked_at for t in s.advice if t.asked_at]
    dates += [r.date for r in s.responses if r.date]
    return max(dates) if dates else None


def respondents(s: Snapshot) -> set[str]:
    """Everyone who answered the latest round (named someone or filled in a response)."""
    return {t.source for t in s.advice} | {r.person_uid for r in s.responses}
