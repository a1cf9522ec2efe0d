"""The network's life by term: counts and a short account of what happened in each term.

A handful of reads (one per concept, over the whole date range) feed a pure function that
sorts everything into terms; nothing here queries per term or per person.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from tracker.access import Scope
from tracker.extensions import graph
from tracker.graph.queries import timeline as q
from tracker.services import networks as network_service
from tracker.services import people as people_service
from tracker.services import today, vocab
from tracker.services.activities import school_on
from tracker.services.terms import Term, term_of, terms_between


@dataclass
class TermSummary:
    term: Term
    group_sessions: int = 0
    coaching_sessions: int = 0
    activities: Counter = field(default_factory=Counter)
    outcomes: int = 0
    roles_started: int = 0
    adoptions: int = 0
    people: set[str] = field(default_factory=set)
    schools: set[str] = field(default_factory=set)
    happened: list[tuple[str, str]] = field(default_factory=list)  # (date, text)

    @property
    def activity_count(self) -> int:
        return sum(self.activities.values())

    @property
    def empty(self) -> bool:
        return not (
            self.group_sessions
            or self.coaching_sessions
            or self.activities
            or self.outcomes
            or self.roles_started
            or self.adoptions
            or self.people
            or self.happened
        )

    @property
    def events(self) -> list[str]:
        return [text for _, text in sorted(self.happened, key=lambda item: item[0])]


def _plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def _quoted(text: str | None, limit: int = 80) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"“{text}”"


class _Places:
    """Where each person worked on a given day (for counting schools taking part)."""

    def __init__(self, people: list[dict[str, Any]]):
        self.works = {p["uid"]: p["works"] for p in people}
        self.names = {p["uid"]: p["name"] for p in people}

    def school(self, person_uid: str, day: str) -> str | None:
        work = school_on(self.works.get(person_uid) or [], day)
        return work["school_uid"] if work else None


def summarise(
    terms: list[Term], rows: dict[str, list[dict[str, Any]]], people: list[dict[str, Any]]
) -> list[TermSummary]:
    """Sort the rows of each concept into ``terms``; returns the summaries newest first."""
    summaries = {term: TermSummary(term) for term in terms}
    places = _Places(people)

    def summary(day: str | None) -> TermSummary | None:
        try:
            return summaries.get(term_of(day)) if day else None
        except ValueError:  # a malformed date from an old import: leave it out
            return None

    def took_part(target: TermSummary, person_uids: list[str], day: str) -> None:
        for uid in person_uids:
            if not uid:
                continue
            target.people.add(uid)
            school = places.school(uid, day)
            if school:
                target.schools.add(school)

    for row in rows["activities"]:
        target = summary(row["date"])
        if target is None:
            continue
        attendees = [uid for uid in row["people"] if uid]
        target.activities[row["kind"]] += 1
        took_part(target, attendees, row["date"])
        target.schools.update(uid for uid in row["host_uids"] if uid)
        label = vocab.ACTIVITY_KINDS.get(row["kind"], row["kind"] or "Activity")
        text = label if row["title"] in (None, "", label) else f"{label} {_quoted(row['title'])}"
        if row["host_names"]:
            text += f" at {row['host_names'][0]}"
        schools = {places.school(uid, row["date"]) for uid in attendees} - {None}
        text += f", {_plural(len(attendees), 'attendee')}"
        if schools:
            text += f" from {_plural(len(schools), 'school')}"
        target.happened.append((row["date"], text))

    meetings: dict[tuple[Term, str], dict[str, Any]] = {}
    for row in rows["group_sessions"]:
        target = summary(row["date"])
        if target is None:
            continue
        attendees = [uid for uid in row["people"] if uid]
        target.group_sessions += 1
        took_part(target, attendees, row["date"])
        group = (row["group_uids"] or [row["uid"]])[0]
        met = meetings.setdefault(
            (target.term, group),
            {
                "first": row["date"],
                "sessions": 0,
                "people": set(),
                "question": (row["questions"] or [""])[0],
            },
        )
        met["sessions"] += 1
        met["people"].update(attendees)
        met["first"] = min(met["first"], row["date"])
    for (term, _), met in meetings.items():
        summaries[term].happened.append(
            (
                met["first"],
                f"Enquiry group {_quoted(met['question'])} met "
                f"{'once' if met['sessions'] == 1 else str(met['sessions']) + ' times'}"
                f" ({_plural(len(met['people']), 'person', 'people')})",
            )
        )

    for row in rows["outcomes"]:
        target = summary(row["date"])
        if target is None:
            continue
        target.outcomes += 1
        kind = vocab.OUTCOME_KINDS.get(row["kind"], row["kind"] or "Outcome")
        text = f"Outcome ({kind.lower()})"
        if row["questions"]:
            text += f" from enquiry group {_quoted(row['questions'][0], 60)}"
        if row["description"]:
            text += f": {_quoted(row['description'])}"
        target.happened.append((row["date"], text))

    for row in rows["coaching"]:
        pair = [uid for uid in row["people"] if uid]
        counted: Counter = Counter()
        first: dict[Term, str] = {}
        for day in row["sessions"] or []:
            target = summary(day)
            if target is None:
                continue
            target.coaching_sessions += 1
            took_part(target, pair, day)
            counted[target.term] += 1
            first[target.term] = min(first.get(target.term, day), day)
        for term, sessions in counted.items():
            summaries[term].happened.append(
                (
                    first[term],
                    f"Co-coaching on {_quoted(row['practice'])}: {_plural(sessions, 'session')}",
                )
            )

    trained: dict[tuple[Term, str], dict[str, Any]] = defaultdict(
        lambda: {"first": "9999-12-31", "trainees": set()}
    )
    for row in rows["trained"]:
        target = summary(row["date"])
        if target is None:
            continue
        took_part(target, [row["trainer"], row["trainee"]], row["date"])
        entry = trained[(target.term, row["practice"] or "")]
        entry["first"] = min(entry["first"], row["date"])
        entry["trainees"].add(row["trainee"])
    for (term, practice), entry in trained.items():
        summaries[term].happened.append(
            (
                entry["first"],
                f"{_plural(len(entry['trainees']), 'person', 'people')} trained in "
                f"{_quoted(practice or 'a practice')}",
            )
        )

    for row in rows["roles"]:
        target = summary(row["date"])
        if target is None:
            continue
        target.roles_started += 1
        title = vocab.ROLE_TITLES.get(row["title"], row["title"] or "a role")
        holders = [places.names.get(uid, "Someone") for uid in row["holders"] if uid]
        who = " and ".join(holders) if holders else "Someone"
        target.happened.append((row["date"], f"{who} became {title.lower()}"))

    for row in rows["adoptions"]:
        target = summary(row["date"])
        if target is None:
            continue
        target.adoptions += 1
        target.schools.add(row["school_uid"])
        if row["carrier_uid"] in places.works:
            took_part(target, [row["carrier_uid"]], row["date"])
        stage = vocab.ADOPTION_STAGES.get(row["stage"], row["stage"] or "")
        target.happened.append(
            (row["date"], f"{row['school_name']} {stage.lower()} {_quoted(row['practice'])}")
        )

    return [summaries[term] for term in sorted(summaries, reverse=True)]


def for_network(scope: Scope) -> dict[str, Any]:
    """Every term from the network's start to today, newest first."""
    network = network_service.get(scope.network_uid)
    now = today()
    terms = terms_between(network["started"], now)
    if not terms:
        return {"network": network, "terms": [], "first": None, "last": now}
    params = {"network_uid": scope.network_uid, "first": terms[0].start, "last": now}
    rows = {
        "activities": graph.store.run(q.ACTIVITIES, params),
        "group_sessions": graph.store.run(q.GROUP_SESSIONS, params),
        "outcomes": graph.store.run(q.OUTCOMES, params),
        "coaching": graph.store.run(q.COACHING, {"network_uid": scope.network_uid}),
        "trained": graph.store.run(q.TRAINED, params),
        "roles": graph.store.run(q.ROLES, params),
        "adoptions": graph.store.run(q.ADOPTIONS, params),
    }
    # Coaching sessions are a list on the pair: keep only the dates inside the range.
    for row in rows["coaching"]:
        row["sessions"] = [d for d in row["sessions"] or [] if params["first"] <= d <= now]
    people = people_service.listing(scope, include_left=True)  # names masked for evaluators
    return {
        "network": network,
        "terms": summarise(terms, rows, people),
        "first": params["first"],
        "last": now,
    }
