"""What the analysis sees: a network's facts as at a date, as plain frozen rows.

``tracker/graph/queries/snapshot.py`` fills a :class:`Snapshot` with a handful of ``collect()``
queries; everything in ``tracker/analysis`` and ``tracker/signs`` is a pure function of it.
No Flask, no driver, no database here, so tests can build snapshots by hand.

What "as at ``at``" means:

- people, schools, roles and group memberships are those *current* at ``at`` (their period
  contains ``at``; an open end means still current); enquiry groups and coaching pairs are
  every one started by ``at``, ended ones included with their end date, so their past sessions
  still count (``participation.active_groups`` and ``current_pairs`` pick the running ones);
- dated events (group sessions, outcomes, activities, transfers, training, funding periods,
  coaching session dates) are every one dated on or before ``at``, so rules about "the last
  two terms" and per-term trends can look back;
- advice ties and questionnaire responses are those of the latest survey round with answers
  on or before ``at`` (``survey``), with the round before it in ``previous_advice`` for
  comparison.

Dates are ``YYYY-MM-DD`` strings, as in the graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SchoolRow:
    uid: str
    key: str  # the school_id in this network's package
    name: str
    urn: str | None = None
    phase: str | None = None
    size: int | None = None  # pupils on roll, when known
    lat: float | None = None
    lon: float | None = None
    networks: int = 1  # networks the school is a member of at ``at``, this one included
    joined: str | None = None  # when it joined this network (its current membership)


@dataclass(frozen=True)
class PersonRow:
    uid: str
    key: str
    name: str
    layer: str  # senior, teacher, support, pupil, governor, parent, external
    school_uid: str | None  # where they work at ``at``; None for people with no school
    job_title: str | None = None
    promoted: bool = False


@dataclass(frozen=True)
class RoleRow:
    uid: str
    person_uid: str
    title: str
    start: str | None
    end: str | None
    designated_by: str | None = None  # person uid
    origin: str | None = None  # design, default, desperation


@dataclass(frozen=True)
class MemberRow:
    person_uid: str
    role: str  # lead, member
    start: str | None
    end: str | None


@dataclass(frozen=True)
class SessionRow:
    date: str
    attendees: tuple[str, ...]  # person uids


@dataclass(frozen=True)
class OutcomeRow:
    kind: str
    date: str


@dataclass(frozen=True)
class GroupRow:
    uid: str
    question: str
    priority: str | None
    levels: tuple[str, ...]
    started: str | None
    ended: str | None
    origin: str | None = None
    members: tuple[MemberRow, ...] = ()  # current at ``at``
    sessions: tuple[SessionRow, ...] = ()  # on or before ``at``
    outcomes: tuple[OutcomeRow, ...] = ()  # on or before ``at``


@dataclass(frozen=True)
class CoachingRow:
    uid: str
    person_a: str
    person_b: str
    practice: str | None
    started: str | None
    ended: str | None
    sessions: tuple[str, ...] = ()  # dates on or before ``at``


@dataclass(frozen=True)
class TrainedRow:
    trainer_uid: str
    trainee_uid: str
    practice: str | None
    date: str | None


@dataclass(frozen=True)
class ActivityRow:
    uid: str
    kind: str  # learning_forum, meeting, visit, workshop, training
    date: str
    host_school_uid: str | None
    decided_by_school_uid: str | None
    levels: tuple[str, ...]
    has_decision: bool
    has_outcome: bool
    attendees: tuple[str, ...]  # person uids


@dataclass(frozen=True)
class TransferRow:
    practice_uid: str
    practice: str
    from_school_uid: str | None
    to_school_uid: str
    carrier_uid: str | None
    date: str | None
    stage: str  # heard, trialled, embedded


@dataclass(frozen=True)
class AdviceTie:
    source: str  # respondent person uid
    target: str  # nominee person uid
    topic: str | None
    frequency: str | None  # termly, monthly, weekly, daily
    influence: int | None  # 1-5
    survey: str
    asked_at: str | None


@dataclass(frozen=True)
class ResponseRow:
    person_uid: str
    survey: str
    date: str | None
    leader_in_school: str | None  # yes, no, unsure
    leader_in_network: str | None
    trust_other_schools: int | None  # 1-5
    levels: tuple[str, ...] = ()


@dataclass(frozen=True)
class FundingRow:
    source: str
    started: str | None
    ended: str | None


@dataclass(frozen=True)
class Snapshot:
    network_uid: str
    name: str
    at: str
    kind: str | None = None
    started: str | None = None
    priorities: tuple[str, ...] = ()
    schools: tuple[SchoolRow, ...] = ()
    people: tuple[PersonRow, ...] = ()
    roles: tuple[RoleRow, ...] = ()
    groups: tuple[GroupRow, ...] = ()
    coaching: tuple[CoachingRow, ...] = ()
    trained: tuple[TrainedRow, ...] = ()
    activities: tuple[ActivityRow, ...] = ()
    transfers: tuple[TransferRow, ...] = ()
    funding: tuple[FundingRow, ...] = ()
    survey: str | None = None  # the round ``advice`` and ``responses`` come from
    advice: tuple[AdviceTie, ...] = ()
    responses: tuple[ResponseRow, ...] = ()
    previous_survey: str | None = None
    previous_advice: tuple[AdviceTie, ...] = ()
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def person(self, uid: str) -> PersonRow | None:
        return self._people_by_uid().get(uid)

    def school_of(self, person_uid: str) -> str | None:
        row = self._people_by_uid().get(person_uid)
        return row.school_uid if row else None

    def _people_by_uid(self) -> dict[str, PersonRow]:
        cached = self.extra.get("_people_by_uid")
        if cached is None:
            cached = {p.uid: p for p in self.people}
            self.extra["_people_by_uid"] = cached
        return cached
