"""A network's whole recorded history, cut into a :class:`Snapshot` at any date.

``tracker/graph/snapshot.py`` reads the history once (a fixed handful of queries); trends
then cut it at each term's end here, in Python, without going back to the store.
Pure: no Flask, no driver.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tracker.analysis.snapshot import (
    ActivityRow,
    AdviceTie,
    CoachingRow,
    FundingRow,
    GroupRow,
    MemberRow,
    OutcomeRow,
    PersonRow,
    ResponseRow,
    RoleRow,
    SchoolRow,
    SessionRow,
    Snapshot,
    TrainedRow,
    TransferRow,
)
from tracker.services.terms import term_of

Row = dict[str, Any]

IMPORTED = "import:"  # answers from a package carry ``import:<date>`` (tracker/packages)


@functools.lru_cache(maxsize=4096)
def round_of(survey: str | None) -> str | None:
    """The questionnaire round an answer belongs to.

    Web rounds have their own uid. A package has no round column, so its answers are stamped
    ``import:<date>``; a round's answers come in over days or weeks, so imported answers from
    the same school term are taken as one round, ``import:<term>`` (e.g. ``import:2025-summer``).
    """
    if survey and survey.startswith(IMPORTED):
        try:
            return IMPORTED + term_of(survey[len(IMPORTED) :]).key
        except ValueError:
            return survey
    return survey


def current(start: str | None, end: str | None, at: str) -> bool:
    """True when the period ``start``..``end`` (either open) contains ``at``."""
    return (start is None or start <= at) and (end is None or end >= at)


def dated(date: str | None, at: str) -> bool:
    """True for an event dated on or before ``at`` (undated events count as always known)."""
    return date is None or date <= at


def _tuple(value: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(v for v in (value or ()) if v is not None)


@dataclass
class History:
    """Raw rows per concept, as ``tracker/graph/queries/snapshot.py`` returns them."""

    network: Row
    schools: Sequence[Row] = ()
    # member schools [(school uid, from, to)] of the other networks this one shares schools with
    partner_networks: Mapping[str, Sequence[Sequence[Any]]] = field(default_factory=dict)
    people: Sequence[Row] = ()
    roles: Sequence[Row] = ()
    groups: Sequence[Row] = ()
    group_sessions: Sequence[Row] = ()
    outcomes: Sequence[Row] = ()
    coaching: Sequence[Row] = ()
    trained: Sequence[Row] = ()
    activities: Sequence[Row] = ()
    transfers: Sequence[Row] = ()
    funding: Sequence[Row] = ()
    advice: Sequence[Row] = ()
    responses: Sequence[Row] = ()
    _sessions_by_group: dict[str, list[Row]] = field(default_factory=dict, repr=False)
    _outcomes_by_group: dict[str, list[Row]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        sessions: dict[str, list[Row]] = defaultdict(list)
        for row in self.group_sessions:
            sessions[row["group_uid"]].append(row)
        outcomes: dict[str, list[Row]] = defaultdict(list)
        for row in self.outcomes:
            outcomes[row["group_uid"]].append(row)
        self._sessions_by_group = dict(sessions)
        self._outcomes_by_group = dict(outcomes)

    # -- surveys ---------------------------------------------------------------------------

    def survey_dates(self, at: str, exclude: Collection[str] = ()) -> list[tuple[str, str]]:
        """(last answer date, survey) for every round with answers on or before ``at``, oldest
        first. Rounds in ``exclude`` (still open at ``at``) are left out: a half-answered
        round would make the network look emptier than it is."""
        last: dict[str, str] = {}
        for row in (*self.advice, *self.responses):
            survey = round_of(row.get("survey"))
            date = row.get("asked_at") or row.get("date") or ""
            if survey is None or survey in exclude or (date and date > at):
                continue
            if date >= last.get(survey, ""):
                last[survey] = date
        return sorted((date, survey) for survey, date in last.items())

    # -- the cut -----------------------------------------------------------------------------

    def at(self, at: str, exclude_surveys: Collection[str] = ()) -> Snapshot:
        """What was current, and what had happened, on ``at``."""
        rounds = self.survey_dates(at, exclude_surveys)
        survey = rounds[-1][1] if rounds else None
        previous = rounds[-2][1] if len(rounds) > 1 else None
        net = self.network
        return Snapshot(
            network_uid=net["uid"],
            name=net.get("name") or "",
            at=at,
            kind=net.get("kind"),
            started=net.get("started"),
            priorities=_tuple(net.get("priorities")),
            schools=(schools := self._schools(at)),
            people=self._people(at, {school.uid for school in schools}),
            roles=tuple(
                RoleRow(
                    uid=r["uid"],
                    person_uid=r["person_uid"],
                    title=r.get("title") or "",
                    start=r.get("start"),
                    end=r.get("end"),
                    designated_by=r.get("designated_by"),
                    origin=r.get("origin"),
                )
                for r in self.roles
                if current(r.get("start"), r.get("end"), at)
            ),
            groups=self._groups(at),
            coaching=tuple(
                CoachingRow(
                    uid=c["uid"],
                    person_a=people[0],
                    person_b=people[1],
                    practice=c.get("practice"),
                    started=c.get("started"),
                    ended=c.get("ended"),
                    sessions=tuple(sorted(d for d in _tuple(c.get("sessions")) if d <= at)),
                )
                for c in self.coaching
                if dated(c.get("started"), at)
                and len(people := sorted(_tuple(c.get("people")))) == 2
            ),
            trained=tuple(
                TrainedRow(t["trainer_uid"], t["trainee_uid"], t.get("practice"), t.get("date"))
                for t in self.trained
                if dated(t.get("date"), at)
            ),
            activities=tuple(
                ActivityRow(
                    uid=a["uid"],
                    kind=a.get("kind") or "",
                    date=a["date"],
                    host_school_uid=(a.get("hosts") or [None])[0],
                    decided_by_school_uid=(a.get("deciders") or [None])[0],
                    levels=_tuple(a.get("levels")),
                    # A deciding school on record is a decision, with or without its text.
                    has_decision=bool((a.get("decision") or "").strip() or a.get("deciders")),
                    has_outcome=bool((a.get("outcome") or "").strip()),
                    attendees=tuple(sorted(set(_tuple(a.get("attendees"))))),
                )
                for a in sorted(self.activities, key=lambda a: (a.get("date") or "", a["uid"]))
                if a.get("date") and a["date"] <= at
            ),
            transfers=tuple(
                TransferRow(
                    practice_uid=t["practice_uid"],
                    practice=t.get("practice") or "",
                    from_school_uid=t.get("from_school_uid"),
                    to_school_uid=t["to_school_uid"],
                    carrier_uid=t.get("carrier_uid"),
                    date=t.get("date"),
                    stage=t.get("stage") or "heard",
                )
                for t in self.transfers
                if dated(t.get("date"), at)
            ),
            funding=tuple(
                FundingRow(f.get("source") or "", f.get("started"), f.get("ended"))
                for f in self.funding
                if dated(f.get("started"), at)
            ),
            survey=survey,
            advice=self._advice(survey, at),
            responses=self._responses(survey, at),
            previous_survey=previous,
            previous_advice=self._advice(previous, at),
        )

    def _schools(self, at: str) -> tuple[SchoolRow, ...]:
        rows = []
        for s in self.schools:
            if not current(s.get("joined"), s.get("left"), at):
                continue
            networks = {
                m[0] for m in s.get("memberships") or () if m and m[0] and current(m[1], m[2], at)
            }
            rows.append(
                SchoolRow(
                    uid=s["uid"],
                    key=s.get("key") or s["uid"],
                    name=s.get("name") or "",
                    urn=s.get("urn"),
                    phase=s.get("phase"),
                    size=s.get("size"),
                    lat=s.get("lat"),
                    lon=s.get("lon"),
                    networks=max(1, self._collaborations(networks, at)),
                    joined=s.get("joined"),
                )
            )
        return tuple(sorted(rows, key=lambda r: (r.name, r.uid)))

    def _collaborations(self, networks: set[str], at: str) -> int:
        """How many distinct collaborations ``networks`` are: networks with exactly the same
        member schools at ``at`` (one partnership recorded twice, e.g. the same package
        imported under two names) count once. Harris's "optimum number of networks" is about a
        school's energy spread over different partnerships."""
        own = self.network["uid"]
        groups = set()
        for uid in networks:
            if uid == own:
                members = {
                    s["uid"] for s in self.schools if current(s.get("joined"), s.get("left"), at)
                }
            else:
                rows = self.partner_networks.get(uid, ())
                members = {r[0] for r in rows if r and r[0] and current(r[1], r[2], at)}
            groups.add(frozenset(members) or frozenset({uid}))
        return len(groups)

    def _people(self, at: str, members: set[str]) -> tuple[PersonRow, ...]:
        rows = []
        for p in self.people:
            works = [w for w in p.get("works") or () if w and w[0] is not None]
            if works:
                here = [w for w in works if current(w[1], w[2], at) and w[0] in members]
                if not here:
                    continue  # not working at a member school at ``at``
                school = max(here, key=lambda w: w[1] or "")[0]
            else:
                school = None  # pupils, governors, parents, external people
            rows.append(
                PersonRow(
                    uid=p["uid"],
                    key=p.get("key") or p["uid"],
                    name=p.get("name") or "",
                    layer=p.get("layer") or "teacher",
                    school_uid=school,
                    job_title=p.get("job_title"),
                    promoted=bool(p.get("promoted")),
                )
            )
        return tuple(sorted(rows, key=lambda r: (r.name, r.uid)))

    def _groups(self, at: str) -> tuple[GroupRow, ...]:
        rows = []
        for g in self.groups:
            if g.get("started") and g["started"] > at:
                continue
            members = tuple(
                MemberRow(m[0], m[1] or "member", m[2], m[3])
                for m in g.get("members") or ()
                if m and m[0] and current(m[2], m[3], at)
            )
            sessions = tuple(
                SessionRow(s["date"], tuple(sorted(set(_tuple(s.get("attendees"))))))
                for s in sorted(self._sessions_by_group.get(g["uid"], ()), key=lambda s: s["date"])
                if s.get("date") and s["date"] <= at
            )
            outcomes = tuple(
                OutcomeRow(o.get("kind") or "", o["date"])
                for o in self._outcomes_by_group.get(g["uid"], ())
                if o.get("date") and o["date"] <= at
            )
            rows.append(
                GroupRow(
                    uid=g["uid"],
                    question=g.get("question") or "",
                    priority=g.get("priority") or None,
                    levels=_tuple(g.get("levels")),
                    started=g.get("started"),
                    ended=g.get("ended"),
                    origin=g.get("origin"),
                    members=members,
                    sessions=sessions,
                    outcomes=tuple(sorted(outcomes, key=lambda o: o.date)),
                )
            )
        return tuple(sorted(rows, key=lambda r: (r.started or "", r.uid)))

    def _advice(self, survey: str | None, at: str) -> tuple[AdviceTie, ...]:
        if survey is None:
            return ()
        return tuple(
            AdviceTie(
                source=t["source"],
                target=t["target"],
                topic=t.get("topic"),
                frequency=t.get("frequency"),
                influence=t.get("influence"),
                survey=survey,
                asked_at=t.get("asked_at"),
            )
            for t in self.advice
            if round_of(t.get("survey")) == survey and dated(t.get("asked_at"), at)
        )

    def _responses(self, survey: str | None, at: str) -> tuple[ResponseRow, ...]:
        if survey is None:
            return ()
        return tuple(
            ResponseRow(
                person_uid=r["person_uid"],
                survey=survey,
                date=r.get("date"),
                leader_in_school=r.get("leader_in_school"),
                leader_in_network=r.get("leader_in_network"),
                trust_other_schools=r.get("trust_other_schools"),
                levels=_tuple(r.get("levels")),
            )
            for r in self.responses
            if round_of(r.get("survey")) == survey and dated(r.get("date"), at)
        )
