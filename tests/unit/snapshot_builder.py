"""Hand-built :class:`Snapshot` objects for pure tests of the analysis and the warning signs.

``Net`` collects rows with short keys (``"A"`` for a school, ``"A1"`` for a person) and
``build()`` turns them into a frozen snapshot whose uids are ``"u-<key>"``. ``healthy()``
is a network the sources would call meaningful: six schools, two school years of steady
activity, enquiry groups mixing schools and layers with outcomes, co-coaching, a termly
forum hosted in turn, practices moving between every school, roles spread across schools
and layers, and a questionnaire round each year with advice mostly inside schools but
crossing them and trust of 4.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

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

PRIORITIES = ("Early reading", "Oracy across the curriculum")
SURVEY = "round-1"  # the round ``nominate`` and ``respond`` answer by default


def uid(key: str) -> str:
    return f"u-{key}"


@dataclass
class Net:
    """A network being written down; every method returns ``self`` or the new key."""

    at: str = "2026-07-31"
    started: str | None = "2024-09-01"
    priorities: tuple[str, ...] = PRIORITIES
    schools: list[SchoolRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    roles: list[RoleRow] = field(default_factory=list)
    groups: list[GroupRow] = field(default_factory=list)
    coaching: list[CoachingRow] = field(default_factory=list)
    trained: list[TrainedRow] = field(default_factory=list)
    activities: list[ActivityRow] = field(default_factory=list)
    transfers: list[TransferRow] = field(default_factory=list)
    funding: list[FundingRow] = field(default_factory=list)
    advice: list[AdviceTie] = field(default_factory=list)
    responses: list[ResponseRow] = field(default_factory=list)
    _n: itertools.count = field(default_factory=itertools.count)

    # -- schools and people --------------------------------------------------------------

    def school(
        self, key: str, *, lat: float | None = None, lon: float | None = None, networks: int = 1
    ) -> str:
        self.schools.append(
            SchoolRow(uid(key), key, f"School {key}", lat=lat, lon=lon, networks=networks)
        )
        return key

    def person(
        self, key: str, school: str | None, layer: str = "teacher", title: str | None = None
    ) -> str:
        title = title or {"senior": "Deputy headteacher", "support": "Teaching assistant"}.get(
            layer, "Class teacher"
        )
        self.people.append(
            PersonRow(uid(key), key, f"Person {key}", layer, school and uid(school), title)
        )
        return key

    def staff(self, school: str, teachers: int = 6, support: int = 3) -> list[str]:
        """A head (``<school>H``), a deputy (``<school>D``), teachers ``<school>T1..`` and
        support staff ``<school>S1..``; returns their keys in that order."""
        keys = [
            self.person(f"{school}H", school, "senior", "Headteacher"),
            self.person(f"{school}D", school, "senior", "Deputy headteacher"),
        ]
        keys += [self.person(f"{school}T{i}", school, "teacher") for i in range(1, teachers + 1)]
        keys += [self.person(f"{school}S{i}", school, "support") for i in range(1, support + 1)]
        return keys

    # -- leadership and groups -------------------------------------------------------------

    def role(
        self, person: str, title: str = "lead_learner", start: str = "2024-09-01", **kw: object
    ) -> Net:
        by = kw.pop("designated_by", None)
        self.roles.append(
            RoleRow(
                f"r{next(self._n)}", uid(person), title, start, kw.pop("end", None),  # type: ignore[arg-type]
                designated_by=by and uid(str(by)), origin=kw.pop("origin", "design"),  # type: ignore[arg-type]
            )
        )  # fmt: skip
        return self

    def group(
        self,
        key: str,
        members: Sequence[str],
        *,
        leads: Sequence[str] = (),
        priority: str | None = PRIORITIES[0],
        started: str = "2024-09-15",
        ended: str | None = None,
        sessions: Iterable[tuple[str, Sequence[str]]] = (),
        outcomes: Iterable[tuple[str, str]] = (),
    ) -> Net:
        rows = tuple(
            MemberRow(uid(p), "lead" if p in leads else "member", started, None) for p in members
        )
        self.groups.append(
            GroupRow(
                uid(key), f"Question {key}", priority, ("adult",), started, ended,
                members=rows,
                sessions=tuple(SessionRow(d, tuple(uid(p) for p in who)) for d, who in sessions),
                outcomes=tuple(OutcomeRow(kind, d) for kind, d in outcomes),
            )
        )  # fmt: skip
        return self

    def coach(
        self, a: str, b: str, sessions: Sequence[str] = (), started: str = "2024-09-20"
    ) -> Net:
        self.coaching.append(
            CoachingRow(f"c{next(self._n)}", uid(a), uid(b), "P4C", started, None, tuple(sessions))
        )
        return self

    def train(self, trainer: str, trainee: str, date: str) -> Net:
        self.trained.append(TrainedRow(uid(trainer), uid(trainee), "P4C", date))
        return self

    # -- events ----------------------------------------------------------------------------

    def activity(
        self,
        date: str,
        host: str | None,
        attendees: Sequence[str],
        *,
        kind: str = "learning_forum",
        outcome: bool = True,
        decided_by: str | None = None,
    ) -> Net:
        self.activities.append(
            ActivityRow(
                f"a{next(self._n)}", kind, date, host and uid(host),
                decided_by and uid(decided_by), ("adult",), decided_by is not None, outcome,
                tuple(uid(p) for p in attendees),
            )
        )  # fmt: skip
        return self

    def transfer(
        self, src: str | None, dst: str, date: str, stage: str = "trialled", carrier: str = ""
    ) -> Net:
        n = next(self._n)
        self.transfers.append(
            TransferRow(f"k{n}", f"Practice {n}", src and uid(src), uid(dst),
                        carrier and uid(carrier), date, stage)
        )  # fmt: skip
        return self

    def fund(self, started: str, ended: str | None, source: str = "Grant") -> Net:
        self.funding.append(FundingRow(source, started, ended))
        return self

    # -- questionnaire -----------------------------------------------------------------------

    def nominate(
        self, source: str, *targets: str, date: str = "2026-02-10", survey: str = SURVEY
    ) -> Net:
        for target in targets:
            self.advice.append(
                AdviceTie(uid(source), uid(target), "teaching and learning", "monthly", 3,
                          survey, date)
            )  # fmt: skip
        return self

    def respond(
        self, person: str, trust: int | None = 4, date: str = "2026-02-10", survey: str = SURVEY
    ) -> Net:
        self.responses.append(ResponseRow(uid(person), survey, date, "no", "no", trust))
        return self

    def clear_survey(self) -> Net:
        self.advice.clear()
        self.responses.clear()
        return self

    # -- the snapshot ------------------------------------------------------------------------

    def build(self, at: str | None = None) -> Snapshot:
        """The snapshot as at ``at`` (default ``self.at``), cut the way
        ``tracker.analysis.history`` cuts a real one: current roles, groups and pairs, and
        dated events on or before ``at``."""
        at = at or self.at

        def current(start: str | None, end: str | None) -> bool:
            return (start is None or start <= at) and (end is None or end >= at)

        groups = tuple(
            replace(
                g,
                members=tuple(m for m in g.members if current(m.start, m.end)),
                sessions=tuple(x for x in g.sessions if x.date <= at),
                outcomes=tuple(o for o in g.outcomes if o.date <= at),
            )
            for g in self.groups
            if g.started is None or g.started <= at
        )
        # The latest round with answers by ``at``, as history.py picks it.
        rounds: dict[str, str] = {}
        for survey, date in [(a.survey, a.asked_at) for a in self.advice] + [
            (r.survey, r.date) for r in self.responses
        ]:
            if (date or "") <= at:
                rounds[survey] = max(rounds.get(survey, ""), date or "")
        survey = max(rounds, key=lambda k: (rounds[k], k)) if rounds else None
        advice = tuple(a for a in self.advice if a.survey == survey and (a.asked_at or "") <= at)
        responses = tuple(r for r in self.responses if r.survey == survey and (r.date or "") <= at)
        return Snapshot(
            network_uid="u-net",
            name="Test network",
            at=at,
            started=self.started,
            priorities=self.priorities,
            schools=tuple(self.schools),
            people=tuple(self.people),
            roles=tuple(r for r in self.roles if current(r.start, r.end)),
            groups=groups,
            coaching=tuple(
                replace(c, sessions=tuple(d for d in c.sessions if d <= at))
                for c in self.coaching
                if current(c.started, c.ended)
            ),
            trained=tuple(x for x in self.trained if (x.date or "") <= at),
            activities=tuple(a for a in self.activities if a.date <= at),
            transfers=tuple(x for x in self.transfers if (x.date or "") <= at),
            funding=tuple(f for f in self.funding if (f.started or "") <= at),
            survey=survey,
            advice=advice,
            responses=responses,
        )


def without(s: Snapshot, **fields: object) -> Snapshot:
    """A copy of ``s`` with some fields replaced (caches are not carried over)."""
    return replace(s, extra={}, **fields)  # type: ignore[arg-type]


# -- the healthy network -------------------------------------------------------------------

SCHOOLS = ("A", "B", "C", "D", "E", "F")
# Term dates of two school years: (forum day, group session days, visit day).
TERMS = (
    ("2024-10-10", ("2024-10-01", "2024-11-20"), "2024-11-05"),
    ("2025-02-06", ("2025-01-21", "2025-03-04"), "2025-02-25"),
    ("2025-05-15", ("2025-04-29", "2025-06-17"), "2025-06-10"),
    ("2025-10-09", ("2025-09-30", "2025-11-18"), "2025-11-04"),
    ("2026-02-05", ("2026-01-20", "2026-03-03"), "2026-02-24"),
    ("2026-05-14", ("2026-04-28", "2026-06-16"), "2026-06-09"),
)


def healthy(at: str = "2026-07-31") -> Net:
    """The meaningful network described in the module docstring."""
    net = Net(at=at)
    staff = {}
    for n, key in enumerate(SCHOOLS):
        net.school(key, lat=54.60 + 0.01 * n, lon=-1.30 + 0.01 * n)
        staff[key] = net.staff(key)
    net.fund("2024-09-01", None, "Local authority school improvement grant")

    # Roles spread across schools and layers, designated by each head or taken up by default.
    for key in SCHOOLS:
        net.role(f"{key}T1", "school_link", designated_by=f"{key}H")
        net.role(f"{key}S1", "lead_learner", designated_by=f"{key}H")
    net.role("AD", "coordinator", designated_by="AH")
    net.role("BT2", "enquiry_advocate", origin="default")

    # Two enquiry groups, three schools each, teachers and support staff, with outcomes.
    for gkey, schools, priority in (("G1", "ABC", PRIORITIES[0]), ("G2", "DEF", PRIORITIES[1])):
        members = [p for k in schools for p in (f"{k}T2", f"{k}T3", f"{k}S2")]
        leads = [f"{schools[0]}T2", f"{schools[1]}S2"]
        sessions = [(day, members) for _, days, _ in TERMS for day in days]
        outcomes = [("report", "2025-07-01"), ("practice_change", "2026-06-30")]
        net.group(gkey, members, leads=leads, priority=priority, sessions=sessions,
                  outcomes=outcomes)  # fmt: skip

    # Oldham's cascade: two per school trained, coaching across schools.
    for n, key in enumerate(SCHOOLS):
        partner = SCHOOLS[(n + 1) % len(SCHOOLS)]
        net.train("AD", f"{key}T4", "2024-09-20")
        net.coach(f"{key}T4", f"{partner}T5", [day for _, days, _ in TERMS for day in days[:1]])

    # Prudhoe's termly forum, hosted in turn, two to three from every school, all layers.
    for n, (forum, _, visit) in enumerate(TERMS):
        host = SCHOOLS[n % len(SCHOOLS)]
        rotate = 1 + n % 3
        people = [p for k in SCHOOLS for p in (f"{k}T{rotate + 3}", f"{k}S{rotate}", f"{k}T1")]
        net.activity(forum, host, people, decided_by=host)
        # A visit between two schools, and the heads' meeting.
        a, b = SCHOOLS[n % 6], SCHOOLS[(n + 2) % 6]
        net.activity(visit, b, [f"{a}T6", f"{a}S3", f"{b}T6"], kind="visit")
        net.activity(forum, SCHOOLS[(n + 3) % 6], [f"{k}H" for k in SCHOOLS], kind="meeting",
                     outcome=False, decided_by=SCHOOLS[(n + 3) % 6])  # fmt: skip

    # Practices moving between every school, every term.
    for n, (_, days, _) in enumerate(TERMS):
        src = SCHOOLS[n % 6]
        for m in (1, 3):
            net.transfer(src, SCHOOLS[(n + m) % 6], days[1], carrier=f"{src}T1")

    # A questionnaire round each February: advice mostly inside the school, across it too,
    # not funnelled to the head; trust of 4.
    for survey, date in (("round-1", "2025-02-10"), ("round-2", "2026-02-10")):
        for key in SCHOOLS:
            people = staff[key]
            for i, person in enumerate(people):
                inside = [people[(i + 1) % len(people)], people[(i + 3) % len(people)]]
                other = SCHOOLS[(SCHOOLS.index(key) + 1 + i % 5) % 6]
                outside = staff[other][2 + (i % 6)]
                net.nominate(person, *inside, outside, date=date, survey=survey)
                net.respond(person, trust=4, date=date, survey=survey)
    return net
