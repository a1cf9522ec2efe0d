"""Network packages built the way a coordinator or an evaluator would build them to show a
warning sign: a healthy network, and for each of the fifteen signs the same network changed
just enough to show that sign and nothing else.

Written from ``../shared/docs/domain.md`` and ``interfaces.md`` ("Network package"), not from
the sign modules: only the documented columns are used, and each change is what the sources
describe (a forum that stops after the grant, a school whose only link is one teacher, a
questionnaire where everyone goes to the head). Everything is deterministic (a seeded RNG).

The healthy network: seven schools of one town and an eighth that joins in January of the
second year and has not yet shared or adopted a practice (15-30 staff each: heads, senior
leaders, teachers and support staff, a few leaving and arriving between the years), two
school years from September 2024 of steady termly life: Hartlepool-style enquiry groups on
the network's priorities, each drawing from four schools, meeting twice a term and recording
outcomes; Prudhoe's termly learning forum hosted in turn with two to four staff from every
school; a heads' meeting each term; visits between schools; Oldham's cascade (two teachers
per school trained, then co-coaching across schools and coaching colleagues at home); roles
spread over schools and layers (Pendle's support-staff experts); practices heard of,
trialled and embedded between all schools every term; a questionnaire each February with
advice mostly inside schools but crossing them, not funnelled to the head, and trust around
4; funding running to 2027.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AT = "2026-07-31"  # the end of the network's second school year
START = "2024-09-01"
YEAR_TWO = "2025-09-01"

# Issue 5: a healthy network must raise none of these twelve.
NAMED = (
    "low_connectedness", "no_knowledge_transfer", "contrived", "cosy", "inertia", "dominance",
    "head_dependence", "fragile_broker", "layer_dislocation", "low_trust", "weak_consistency",
    "overload",
)  # fmt: skip
SIGN_IDS = (
    "low_connectedness", "no_knowledge_transfer", "contrived", "cosy", "inertia", "dominance",
    "head_dependence", "fragile_broker", "designated_not_recognised",
    "recognised_not_designated", "layer_dislocation", "low_trust", "weak_consistency",
    "overload", "distance_barrier",
)  # fmt: skip

# The documented columns of interfaces.md, nothing else.
COLUMNS: dict[str, tuple[str, ...]] = {
    "network.csv": ("name", "kind", "started", "priorities"),
    "funding.csv": ("source", "started", "ended"),
    "schools.csv": ("school_id", "name", "urn", "phase", "local_authority", "lat", "lon",
                    "joined", "left"),
    "people.csv": ("person_id", "name", "school_id", "layer", "job_title", "promoted", "from",
                   "to"),
    "roles.csv": ("person_id", "role", "from", "to", "designated_by", "origin"),
    "groups.csv": ("group_id", "question", "priority", "started", "ended", "levels", "origin"),
    "group_members.csv": ("group_id", "person_id", "role", "from", "to"),
    "group_sessions.csv": ("group_id", "date", "attendees"),
    "outcomes.csv": ("group_id", "date", "kind", "description"),
    "coaching.csv": ("pair_id", "person_a", "person_b", "practice", "started", "ended"),
    "coaching_sessions.csv": ("pair_id", "date"),
    "trained.csv": ("trainer_id", "trainee_id", "practice", "date"),
    "activities.csv": ("activity_id", "kind", "date", "host_school_id", "title", "levels",
                       "decided_by_school_id", "outcome"),
    "attendance.csv": ("activity_id", "person_id"),
    "transfers.csv": ("practice_id", "practice", "from_school_id", "to_school_id",
                      "carrier_person_id", "date", "stage"),
    "advice.csv": ("respondent_id", "nominee_id", "topic", "frequency", "influence", "date"),
    "responses.csv": ("respondent_id", "date", "leader_in_school", "leader_in_network",
                      "trust_other_schools"),
}  # fmt: skip

PRIORITIES = ("Early reading", "Oracy across the curriculum", "Closing the disadvantage gap")

# key, name, phase, staff, (lat, lon): one town, all within about six kilometres.
SCHOOLS = (
    ("S1", "Hillside Primary School", "primary", 26, (54.5630, -1.2620)),
    ("S2", "St Aidan's CE Primary School", "primary", 16, (54.5712, -1.2405)),
    ("S3", "Marsh Lane Primary School", "primary", 20, (54.5528, -1.2311)),
    ("S4", "Eastvale Academy", "secondary", 30, (54.5601, -1.2198)),
    ("S5", "Brook Farm Infant School", "primary", 15, (54.5809, -1.2555)),
    ("S6", "Oakfield Primary School", "primary", 22, (54.5466, -1.2702)),
    ("S7", "Riverside Special School", "special", 18, (54.5690, -1.2850)),
    # Joined in January of the second year: settling in, nothing shared or adopted yet.
    ("S8", "Northgate Primary School", "primary", 15, (54.5778, -1.2262), "2026-01-05"),
)

# The first day of each term's teaching and its index (0 = autumn 2024).
TERMS = (
    ("2024-autumn", "2024-09-02"), ("2025-spring", "2025-01-06"),
    ("2025-summer", "2025-04-22"), ("2025-autumn", "2025-09-01"),
    ("2026-spring", "2026-01-05"), ("2026-summer", "2026-04-20"),
)  # fmt: skip
# Days into a term for each kind of occasion (all before the term's teaching ends).
DAY = {
    "meeting": 17, "session1": 24, "coach1": 29, "visit1": 31, "forum": 45, "heard": 52,
    "session2": 66, "coach2": 70, "visit2": 73, "trialled": 38, "embedded": 59, "outcome": 72,
}  # fmt: skip

PRACTICES = (
    "Talk partners", "Reading spine", "Phonics catch-up groups", "Whole-class feedback",
    "Maths meetings", "Sentence stems for science", "Vocabulary walls", "Reading buddies",
    "Pre-teaching for disadvantaged pupils", "Zones of regulation", "Precision teaching",
    "Outdoor phonics trail",
)  # fmt: skip
FIRST = (
    "Amira", "Ben", "Chloe", "Dev", "Ella", "Farid", "Grace", "Harry", "Isla", "Jack", "Kiran",
    "Lucy", "Mohammed", "Nia", "Oliver", "Priya", "Quinn", "Ruth", "Sam", "Tom", "Uma",
    "Victor", "Wendy", "Yusuf", "Zara", "Aled", "Beth", "Callum", "Dawn", "Ewan", "Fiona",
    "Gareth", "Hannah", "Imran", "Jade", "Kate", "Liam", "Megan", "Niall", "Olivia",
)  # fmt: skip
LAST = (
    "Ahmed", "Bell", "Clarke", "Dixon", "Evans", "Fletcher", "Green", "Hughes", "Iqbal",
    "Jones", "Khan", "Lewis", "Moore", "Nolan", "Owen", "Patel", "Reid", "Shaw", "Taylor",
    "Walsh", "Young", "Barker", "Carr", "Doyle", "Ellis", "Foster", "Grant", "Hall",
)  # fmt: skip
TOPICS = ("teaching and learning", "curriculum", "pupil care and welfare", "school improvement")

Row = dict[str, Any]


def day(term: int, what: str) -> str:
    """The date of an occasion in a term (``term`` 0 = autumn 2024)."""
    start = dt.date.fromisoformat(TERMS[term][1])
    return (start + dt.timedelta(days=DAY[what])).isoformat()


@dataclass
class School:
    key: str
    name: str
    phase: str
    size: int
    lat: float
    lon: float
    index: int
    joined: str = START


@dataclass(eq=False)
class Person:
    key: str
    name: str
    school: str | None
    layer: str
    title: str
    promoted: bool = False
    start: str | None = None
    end: str | None = None

    def current(self, date: str) -> bool:
        return (self.start is None or self.start <= date) and (self.end is None or self.end >= date)


@dataclass
class Group:
    key: str
    question: str
    priority: str
    started: str
    ended: str | None
    schools: tuple[str, ...]
    levels: str = "pupil;adult"
    origin: str = "design"
    # (person, lead or member, from, to)
    members: list[tuple[str, str, str, str | None]] = field(default_factory=list)


class Healthy:
    """The healthy network. Each sign package subclasses it and overrides a hook or two
    (below) or edits the finished spreadsheets in ``finish``, as a grader edits a copy."""

    name = "Eastvale Learning Network"
    seed = 5

    def __init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.schools = [
            School(key, name, phase, size, lat, lon, i, *joined)
            for i, (key, name, phase, size, (lat, lon), *joined) in enumerate(self.school_specs())
        ]
        self.by_key = {s.key: s for s in self.schools}
        # The founding schools carry the cascade and the sharing of practice from the start.
        self.founders = [s for s in self.schools if s.joined == START]
        self.people: dict[str, Person] = {}
        self.staff: dict[str, list[Person]] = {}
        self.rows: dict[str, list[Row]] = {name: [] for name in COLUMNS}
        self._names = itertools.product(FIRST, LAST)
        self._n = itertools.count(1)

    # -- hooks a sign package overrides ----------------------------------------------------

    def school_specs(self) -> tuple[tuple[Any, ...], ...]:
        return SCHOOLS

    def funding(self) -> list[tuple[str, str, str]]:
        return [("Local authority school improvement partnership fund", START, "2027-08-31")]

    def near(self, a: str, b: str) -> bool:
        """Whether staff of two schools work together at all (every pair, in one town)."""
        return True

    def takes_part(self, person: Person, date: str, kind: str) -> bool:
        """Whether someone joins a cross-school occasion (everyone who is in post)."""
        return person.current(date)

    def happens(self, kind: str, term: int) -> bool:
        """Whether a kind of occasion takes place in a term (all of them, every term)."""
        return True

    def forum_host(self, term: int) -> str:
        members = self.members_on(day(term, "forum"))
        return members[(term + 2) % len(members)].key

    def meeting_host(self, term: int) -> str:
        members = self.members_on(day(term, "meeting"))
        return members[(term + 5) % len(members)].key

    def decider(self, host: str) -> str:
        return host

    def members_on(self, date: str) -> list[School]:
        """Schools in the network on a date."""
        return [s for s in self.schools if s.joined <= date]

    # -- the build ---------------------------------------------------------------------------

    def build(self) -> dict[str, list[Row]]:
        self.network()
        self.add_schools()
        self.add_people()
        self.roles()
        self.groups()
        self.cascade()
        self.activities()
        self.transfers()
        self.questionnaire()
        self.finish()
        return self.rows

    def write(self, folder: Path) -> Path:
        """The package as a folder of CSV files (built once per instance)."""
        if not any(self.rows.values()):
            self.build()
        folder.mkdir(parents=True, exist_ok=True)
        for name, columns in COLUMNS.items():
            rows = self.rows[name]
            if not rows:
                continue
            with (folder / name).open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns)
                writer.writeheader()
                for row in rows:
                    writer.writerow({c: _cell(row.get(c)) for c in columns})
        return folder

    def finish(self) -> None:
        """Last edits of the spreadsheets (a sign package's hand changes)."""

    # -- network, schools, people --------------------------------------------------------

    def network(self) -> None:
        self.rows["network.csv"].append(
            {"name": self.name, "kind": "learning_network", "started": START,
             "priorities": ";".join(PRIORITIES)}
        )  # fmt: skip
        for source, started, ended in self.funding():
            self.rows["funding.csv"].append({"source": source, "started": started, "ended": ended})

    def add_schools(self) -> None:
        for s in self.schools:
            self.rows["schools.csv"].append(
                {"school_id": s.key, "name": s.name, "urn": str(141200 + 37 * s.index),
                 "phase": s.phase, "local_authority": "Eastvale", "lat": f"{s.lat:.4f}",
                 "lon": f"{s.lon:.4f}", "joined": s.joined, "left": ""}
            )  # fmt: skip

    def person(self, school: str | None, layer: str, title: str, **kw: Any) -> Person:
        first, last = next(self._names)
        n = next(self._n)
        key = f"{school or 'X'}-{n:03d}"
        p = Person(key, f"{first} {last}", school, layer, title, **kw)
        self.people[key] = p
        if school:
            self.staff.setdefault(school, []).append(p)
        return p

    def add_people(self) -> None:
        for s in self.schools:
            secondary = s.phase == "secondary"
            since = lambda: f"{self.rng.randint(2008, 2023)}-09-01"  # noqa: E731
            head = "Principal" if secondary else "Headteacher"
            self.person(s.key, "senior", head, promoted=True, start=since())
            self.person(s.key, "senior", "Deputy headteacher", promoted=True, start=since())
            seniors = 3 if s.size >= 24 else 2
            if seniors == 3:
                self.person(s.key, "senior", "Assistant headteacher", promoted=True, start=since())
            support = round(s.size * 0.3)
            teachers = s.size - seniors - support
            for i in range(teachers):
                title, promoted = _teacher_title(secondary, i)
                self.person(s.key, "teacher", title, promoted=promoted, start=since())
            for i in range(support):
                title = "Teaching assistant"
                if i == 0:
                    title = "Higher level teaching assistant"
                elif i == support - 1:
                    title = "Learning mentor"
                self.person(s.key, "support", title, start=since())
            # Staff move on: a teacher leaves after the first year, another arrives.
            if s.index % 2 == 0:
                leaver = self.teachers(s.key)[-1]
                leaver.end = "2025-08-31"
                self.person(s.key, "teacher", "Class teacher", start=YEAR_TWO)
        self.external = self.person(None, "external", "Philosophy for Children trainer")
        for p in self.people.values():
            self.rows["people.csv"].append(
                {"person_id": p.key, "name": p.name, "school_id": p.school or "",
                 "layer": p.layer, "job_title": p.title, "promoted": "yes" if p.promoted else "no",
                 "from": p.start or "", "to": p.end or ""}
            )  # fmt: skip

    def head(self, school: str) -> Person:
        return self.staff[school][0]

    def seniors(self, school: str) -> list[Person]:
        return [p for p in self.staff[school] if p.layer == "senior"]

    def teachers(self, school: str) -> list[Person]:
        return [p for p in self.staff[school] if p.layer == "teacher"]

    def support(self, school: str) -> list[Person]:
        return [p for p in self.staff[school] if p.layer == "support"]

    def on(self, people: Iterable[Person], date: str, kind: str) -> list[Person]:
        return [p for p in people if self.takes_part(p, date, kind)]

    # -- roles -------------------------------------------------------------------------------

    def role_plan(self) -> list[tuple[Person, str, str, str]]:
        """(holder, role, from, origin): a school link and a lead learner at every school
        (support staff at four of them), three strand leaders, a coordinator and two
        enquiry advocates who took the role up themselves."""
        plan = []
        for s in self.schools:
            plan.append((self.teachers(s.key)[0], "school link", START, "design"))
            lead = self.support(s.key)[0] if s.index in (0, 2, 3, 5) else self.teachers(s.key)[1]
            plan.append((lead, "lead learner", START, "design"))
        strands = (("S2", 2), ("S6", 2), ("S4", 3))
        for (school, i), _priority in zip(strands, PRIORITIES, strict=True):
            plan.append((self.teachers(school)[i], "strand leader", START, "design"))
        plan.append((self.seniors("S3")[1], "coordinator", START, "design"))
        plan.append((self.support("S5")[1], "enquiry advocate", "2024-11-01", "default"))
        plan.append((self.teachers("S7")[2], "enquiry advocate", "2025-01-06", "default"))
        return plan

    def roles(self) -> None:
        self.experts = {p.key for p, *_ in self.role_plan()}  # who colleagues go to
        for p, role, start, origin in self.role_plan():
            by = self.head(p.school).key if origin == "design" and p.school else ""
            self.rows["roles.csv"].append(
                {"person_id": p.key, "role": role, "from": start, "to": "",
                 "designated_by": by, "origin": origin}
            )  # fmt: skip

    # -- enquiry groups ----------------------------------------------------------------------

    def group_plan(self) -> list[Group]:
        y1_end, y2 = "2025-07-18", "2025-09-22"
        return [
            Group("G1", "How do we get every child reading fluently by the end of Year 2?",
                  PRIORITIES[0], "2024-09-23", y1_end, ("S1", "S2", "S5", "S7")),
            Group("G2", "Which talk routines help pupils explain their thinking in maths?",
                  PRIORITIES[1], "2024-09-23", y1_end, ("S3", "S4", "S6", "S1")),
            Group("G3", "What makes written feedback work for disadvantaged pupils?",
                  PRIORITIES[2], "2024-09-23", y1_end, ("S2", "S4", "S6", "S7")),
            Group("G4", "How can we build a culture of reading for pleasure from Reception?",
                  PRIORITIES[0], y2, None, ("S1", "S2", "S5", "S6")),
            Group("G5", "Does structured talk in science improve pupils' written explanations?",
                  PRIORITIES[1], y2, None, ("S3", "S4", "S7", "S1")),
            Group("G6", "How can teaching assistants' interventions close the gap in maths?",
                  PRIORITIES[2], y2, None, ("S4", "S6", "S3", "S5")),
            Group("G7", "How can we use the outdoors for learning all year round?",
                  "Outdoor learning", y2, None, ("S7", "S2", "S6", "S4"),
                  levels="pupil;adult;school_to_school", origin="default"),
        ]  # fmt: skip

    def group_members(self, g: Group, school: str, slot: int) -> list[Person]:
        """Two volunteers from a school, a teacher and (often) a teaching assistant."""
        year = 0 if g.started < YEAR_TWO else 1
        teachers = [p for p in self.teachers(school) if p.current(g.started)]
        support = [p for p in self.support(school) if p.current(g.started)]
        t = teachers[(2 + slot * 2 + year * 3) % len(teachers)]
        other = support[(1 + slot + year) % len(support)] if slot % 2 == 0 else teachers[
            (3 + slot * 2 + year * 3) % len(teachers)]  # fmt: skip
        return [t, other]

    def groups(self) -> None:
        self.group_list = self.group_plan()
        for g in self.group_list:
            for slot, school in enumerate(g.schools):
                people = self.on(self.group_members(g, school, slot), g.started, "group")
                for i, p in enumerate(people):
                    role = "lead" if (slot, i) in self.leads(g) else "member"
                    g.members.append((p.key, role, g.started, self.member_until(p, g)))
            for key, school, since in self.late_members():
                if key == g.key:
                    p = self.teachers(school)[2]
                    g.members.append((p.key, "member", since, self.member_until(p, g)))
            self.rows["groups.csv"].append(
                {"group_id": g.key, "question": g.question, "priority": g.priority,
                 "started": g.started, "ended": g.ended or "", "levels": g.levels,
                 "origin": g.origin}
            )  # fmt: skip
            for p, role, start, end in g.members:
                self.rows["group_members.csv"].append(
                    {"group_id": g.key, "person_id": p, "role": role, "from": start,
                     "to": end or ""}
                )  # fmt: skip
            self.group_sessions(g)

    def late_members(self) -> list[tuple[str, str, str]]:
        """(group, school, from): the school that joined in January sends a teacher to a
        running group from February."""
        return [("G4", "S8", "2026-02-02")]

    def leads(self, g: Group) -> tuple[tuple[int, int], ...]:
        """(school slot, member) of each lead: two schools lead each group, and the group on
        teaching assistants' interventions is led by a teaching assistant (Pendle)."""
        return ((0, 1), (1, 1)) if g.key == "G6" else ((0, 0), (1, 1))

    def member_until(self, p: Person, g: Group) -> str | None:
        return g.ended

    def group_sessions(self, g: Group) -> None:
        terms = [t for t in range(len(TERMS)) if g.started <= day(t, "session2") and
                 (g.ended is None or day(t, "session1") <= g.ended)]  # fmt: skip
        for t in terms:
            for what in ("session1", "session2"):
                date = day(t, what)
                if date < g.started or not self.happens("group_session", t):
                    continue
                members = [self.people[m] for m, _r, start, end in g.members
                           if start <= date and (end is None or end >= date)]  # fmt: skip
                # Most members come; one misses a session now and then.
                present = [p for i, p in enumerate(members) if (i + t) % 7 or what == "session1"]
                present = self.on(present, date, "group")
                if len(present) >= 2:
                    self.rows["group_sessions.csv"].append(
                        {"group_id": g.key, "date": date,
                         "attendees": ";".join(p.key for p in present)}
                    )  # fmt: skip
        self.group_outcomes(g, terms)

    def group_outcomes(self, g: Group, terms: list[int]) -> None:
        """An outcome in the second and third term of each group's year."""
        kinds = ("practice_change", "artefact", "report")
        for n, t in enumerate(terms[1:3]):
            self.rows["outcomes.csv"].append(
                {"group_id": g.key, "date": day(t, "outcome"), "kind": kinds[n + (g.key > "G3")],
                 "description": f"{g.key}: {'shared' if n else 'trialled'} what the group found"}
            )  # fmt: skip

    # -- Oldham's cascade and co-coaching -------------------------------------------------------

    def coaches(self, school: str) -> list[Person]:
        """The two teachers per school trained in Philosophy for Children."""
        return self.teachers(school)[4:6]

    def coaching_pairs(self) -> list[tuple[Person, Person, str, str | None]]:
        """Year one: each school's trained teachers co-coach with the next school's; year two:
        teaching assistants co-coach across schools too."""
        pairs = []
        n = len(self.founders)
        for s in self.founders:
            partner = self.founders[(s.index + 1) % n]
            if self.near(s.key, partner.key):
                pairs.append((self.coaches(s.key)[0], self.coaches(partner.key)[1],
                              "2024-10-07", None))  # fmt: skip
        for i in (0, 2, 4):
            a, b = self.founders[i], self.founders[(i + 3) % n]
            if not self.near(a.key, b.key):
                b = self.founders[(i + 1) % n]
            pairs.append((self.support(a.key)[2], self.support(b.key)[2], "2025-09-29", None))
        return pairs

    def cascade(self) -> None:
        trainer = self.external
        training = "A-TRAIN"
        self.rows["activities.csv"].append(
            {"activity_id": training, "kind": "training", "date": "2024-09-25",
             "host_school_id": "S4", "title": "Philosophy for Children: two per school",
             "levels": "adult;school_to_school", "decided_by_school_id": "",
             "outcome": "Two P4C co-coaches trained in every school"}
        )  # fmt: skip
        for s in self.founders:
            for p in self.coaches(s.key):
                self.rows["trained.csv"].append(
                    {"trainer_id": trainer.key, "trainee_id": p.key,
                     "practice": "Philosophy for Children", "date": "2024-09-25"}
                )  # fmt: skip
                self.rows["attendance.csv"].append({"activity_id": training, "person_id": p.key})
            # Then each trained teacher coaches a colleague at home (spring), and another
            # the following autumn.
            for i, p in enumerate(self.coaches(s.key)):
                for date, offset in (("2025-01-27", 6), ("2025-10-13", 8)):
                    colleague = self.teachers(s.key)[(offset + i) % len(self.teachers(s.key))]
                    if colleague.current(date) and self.happens(
                        "training", 1 if offset == 6 else 3
                    ):
                        self.rows["trained.csv"].append(
                            {"trainer_id": p.key, "trainee_id": colleague.key,
                             "practice": "Philosophy for Children", "date": date}
                        )  # fmt: skip
        for n, (a, b, started, ended) in enumerate(self.coaching_pairs(), 1):
            pair = f"C{n}"
            practice = (
                "Philosophy for Children" if a.layer == "teacher" else "Phonics interventions"
            )
            end = ended or self.pair_until(a, b)
            if end and end < started:
                continue  # the pair never started
            self.rows["coaching.csv"].append(
                {"pair_id": pair, "person_a": a.key, "person_b": b.key, "practice": practice,
                 "started": started, "ended": end or ""}
            )  # fmt: skip
            for t in range(len(TERMS)):
                if not self.happens("coaching", t):
                    continue
                for what in ("coach1", "coach2"):
                    date = day(t, what)
                    both = self.on((a, b), date, "coaching")
                    if started <= date and (end is None or date <= end) and len(both) == 2:
                        self.rows["coaching_sessions.csv"].append({"pair_id": pair, "date": date})

    def pair_until(self, a: Person, b: Person) -> str | None:
        return None

    # -- forums, meetings, visits -----------------------------------------------------------------

    def forum_circle(self, host: str, date: str) -> list[str]:
        return [s.key for s in self.members_on(date) if self.near(host, s.key)]

    def forum_attendees(self, school: str, term: int, host: bool) -> list[Person]:
        """Two or three staff (four from the host) in turn: teachers and support staff."""
        staff = [p for p in self.staff[school] if p.layer != "senior"]
        count = 4 if host else 2 + (term + self.by_key[school].index) % 2
        start = (term * 3 + self.by_key[school].index) % len(staff)
        return [staff[(start + 2 * i) % len(staff)] for i in range(count)]

    def activity(
        self,
        kind: str,
        date: str,
        host: str,
        title: str,
        people: list[Person],
        outcome: str,
        levels: str = "adult;school_to_school",
        decided: bool = True,
    ) -> None:
        key = f"A{next(self._n)}"
        self.rows["activities.csv"].append(
            {"activity_id": key, "kind": kind, "date": date, "host_school_id": host,
             "title": title, "levels": levels,
             "decided_by_school_id": self.decider(host) if decided else "", "outcome": outcome}
        )  # fmt: skip
        for p in dict.fromkeys(people):
            self.rows["attendance.csv"].append({"activity_id": key, "person_id": p.key})

    def activities(self) -> None:
        for t, (term, _) in enumerate(TERMS):
            season = term.split("-")[1]
            if self.happens("forum", t):
                date = day(t, "forum")
                for host, circle in self.forums(t):
                    people = []
                    for school in circle:
                        people += self.on(self.forum_attendees(school, t, school == host), date,
                                          "forum")  # fmt: skip
                    self.activity(
                        "learning_forum",
                        date,
                        host,
                        f"Learning forum, {season}",
                        people,
                        "Groups shared findings; two practices offered to trial",
                    )
            if self.happens("meeting", t):
                date = day(t, "meeting")
                for host, circle in self.meetings(t):
                    circle = [k for k in circle if self.by_key[k].joined <= date]
                    heads = self.on([self.head(k) for k in circle], date, "meeting")
                    self.activity(
                        "meeting",
                        date,
                        host,
                        f"Heads' meeting, {season}",
                        heads,
                        "Agreed the term's forum theme and release time",
                        levels="leadership;organisational",
                    )
            if self.happens("visit", t):
                for what, shift in (("visit1", 1), ("visit2", 4)):
                    date = day(t, what)
                    members = self.members_on(date)
                    a = members[(t * 2 + shift) % len(members)]
                    b = self.visit_partner(a, shift)
                    visitors = self.on(
                        self.teachers(a.key)[6:8] + self.support(a.key)[3:4], date, "visit"
                    )
                    hosts = self.on(self.teachers(b.key)[7:8], date, "visit")
                    self.activity(
                        "visit",
                        date,
                        b.key,
                        f"Visit from {a.name}",
                        visitors + hosts,
                        "Observed talk routines; notes shared" if shift == 1 else "",
                        decided=False,
                    )

    def forums(self, term: int) -> list[tuple[str, list[str]]]:
        """(host, schools that come): one forum a term, hosted in turn."""
        host = self.forum_host(term)
        return [(host, self.forum_circle(host, day(term, "forum")))]

    def meetings(self, term: int) -> list[tuple[str, list[str]]]:
        """(host, schools whose heads meet): one meeting of every head."""
        return [(self.meeting_host(term), [s.key for s in self.schools])]

    def visit_partner(self, a: School, shift: int) -> School:
        n = len(self.founders)
        for step in (3, 2, 1, 4, 5, 6):
            b = self.founders[(a.index + step) % n]
            if b.key != a.key and self.near(a.key, b.key):
                return b
        raise AssertionError("no school to visit")

    # -- knowledge transfer -------------------------------------------------------------------

    def transfer_plan(self) -> list[tuple[int, str, str]]:
        """(term, practice, source school): two new practices a term from different schools."""
        n = len(self.founders)
        plan = []
        for t in range(len(TERMS)):
            for j, src in enumerate(((2 * t) % n, (2 * t + 3) % n)):
                plan.append((t, PRACTICES[2 * t + j], self.founders[src].key))
        return plan

    def adopters(self, src: str) -> list[str]:
        n = len(self.founders)
        i = self.by_key[src].index
        out = []
        for step in (1, 2, 3, 4, 5, 6):
            key = self.founders[(i + step) % n].key
            if self.near(src, key):
                out.append(key)
        return out[:2]

    def transfers(self) -> None:
        for k, (t, practice, src) in enumerate(self.transfer_plan()):
            pid = f"K{k + 1}"
            for j, dst in enumerate(self.adopters(src)):
                steps = [("heard", t, "heard")]
                if j == 0:
                    steps += [("trialled", t + 1, "trialled"), ("embedded", t + 2, "embedded")]
                for stage, term, what in steps:
                    if term >= len(TERMS):
                        continue
                    date = day(term, what)
                    carrier = self.carrier(src, dst, date)
                    if carrier is None:
                        continue
                    self.rows["transfers.csv"].append(
                        {"practice_id": pid, "practice": practice, "from_school_id": src,
                         "to_school_id": dst, "carrier_person_id": carrier, "date": date,
                         "stage": stage}
                    )  # fmt: skip

    def carrier(self, src: str, dst: str, date: str) -> str | None:
        """Who brought a practice across: the source school's link teacher."""
        return self.teachers(src)[0].key

    # -- the questionnaire ----------------------------------------------------------------------

    ROUNDS = ("2025-02-03", "2026-02-02")

    def questionnaire(self) -> None:
        for opened in self.ROUNDS:
            self.questionnaire_round(opened)

    def colleagues_met(self, p: Person, date: str) -> list[Person]:
        """People at other schools this person has worked with by ``date``: group members
        and coaching partners (who people name across schools)."""
        met = []
        for g in self.group_list:
            keys = [m[0] for m in g.members if m[2] <= date and (m[3] is None or m[3] >= date)]
            if p.key in keys:
                met += [self.people[k] for k in keys if self.people[k].school != p.school]
        for row in self.rows["coaching.csv"]:
            if row["started"] <= date and p.key in (row["person_a"], row["person_b"]):
                other = self.people[row["person_b" if row["person_a"] == p.key else "person_a"]]
                met.append(other)
        return [m for m in met if m.current(date)]

    def nominees(self, p: Person, date: str, rng: random.Random) -> list[Person]:
        """Two or three colleagues at school (often one of its experts, sometimes the head or
        deputy) and, for about half, someone at another school they work with."""
        school = [c for c in self.staff[p.school or ""] if c.key != p.key and c.current(date)]
        experts = [c for c in school if c.key in self.experts]
        picks: list[Person] = []
        if experts:
            picks.append(experts[rng.randrange(len(experts))])
        weights = [3 if c.title in ("Headteacher", "Principal") else
                   2 if c.layer == "senior" else
                   2 if c.layer == p.layer else 1 for c in school]  # fmt: skip
        while len(picks) < 2 + (rng.random() < 0.5):
            c = rng.choices(school, weights)[0]
            if c not in picks:
                picks.append(c)
        met = self.colleagues_met(p, date)
        if met and rng.random() < 0.8:
            picks.append(met[rng.randrange(len(met))])
        elif rng.random() < 0.3:
            others = [s.key for s in self.members_on(date)
                      if s.key != p.school and self.near(s.key, p.school or "")]  # fmt: skip
            other = self.by_key[others[rng.randrange(len(others))]]
            pool = [c for c in self.staff[other.key] if c.key in self.experts and c.current(date)]
            if pool:
                picks.append(pool[rng.randrange(len(pool))])
        return picks

    def responds(self, p: Person, i: int) -> bool:
        """About four in five staff answer; the experts always do."""
        return p.key in self.experts or i % 5 != 3

    def trust(self, p: Person, rng: random.Random) -> int:
        return rng.choice((3, 4, 4, 4, 4, 5, 5))

    def questionnaire_round(self, opened: str) -> None:
        rng = random.Random(f"{self.seed}-{opened}")
        first = dt.date.fromisoformat(opened)
        for s in self.members_on(opened):
            for i, p in enumerate(q for q in self.staff[s.key] if q.current(opened)):
                if not self.responds(p, i):
                    continue
                date = (first + dt.timedelta(days=rng.randint(0, 11))).isoformat()
                for c in self.nominees(p, date, rng):
                    self.rows["advice.csv"].append(
                        {"respondent_id": p.key, "nominee_id": c.key,
                         "topic": rng.choice(TOPICS),
                         "frequency": rng.choice(("termly", "monthly", "monthly", "weekly",
                                                  "weekly", "daily")),
                         "influence": rng.choice((2, 3, 3, 4, 4, 5)), "date": date}
                    )  # fmt: skip
                leads = p.key in self.experts or p.layer == "senior"
                self.rows["responses.csv"].append(
                    {"respondent_id": p.key, "date": date,
                     "leader_in_school": "yes" if leads else rng.choice(("no", "no", "unsure")),
                     "leader_in_network": "yes" if p.key in self.experts else
                     rng.choice(("no", "no", "no", "unsure")),
                     "trust_other_schools": self.trust(p, rng)}
                )  # fmt: skip


def _teacher_title(secondary: bool, i: int) -> tuple[str, bool]:
    if secondary:
        titles = ("Head of English", "Head of science", "Head of mathematics", "Teacher of English",
                  "Teacher of science", "Teacher of mathematics", "Teacher of history",
                  "Teacher of geography", "Teacher of art", "Teacher of PE")  # fmt: skip
        return titles[i % len(titles)], i < 3
    titles = ("English lead", "Maths lead", "Reception teacher", "Year 1 teacher",
              "Year 2 teacher", "Year 3 teacher", "Year 4 teacher", "Year 5 teacher",
              "Year 6 teacher", "Class teacher")  # fmt: skip
    return titles[i % len(titles)], i < 2


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


class HealthyParticipantsOnly(Healthy):
    """The same healthy network as a coordinator might list it: only the staff who take part
    in something (a role, a group, a forum, a visit, coaching or training), and their
    questionnaire answers about each other."""

    name = "Eastvale Learning Network (participants listed)"

    def finish(self) -> None:
        used: set[str] = set()
        for file, columns in (
            ("roles.csv", ("person_id",)), ("group_members.csv", ("person_id",)),
            ("coaching.csv", ("person_a", "person_b")),
            ("trained.csv", ("trainer_id", "trainee_id")), ("attendance.csv", ("person_id",)),
            ("transfers.csv", ("carrier_person_id",)),
        ):  # fmt: skip
            for row in self.rows[file]:
                used.update(row[c] for c in columns)
        for row in self.rows["group_sessions.csv"]:
            used.update(row["attendees"].split(";"))
        rows = self.rows
        rows["people.csv"] = [r for r in rows["people.csv"] if r["person_id"] in used]
        rows["advice.csv"] = [
            r for r in rows["advice.csv"] if r["respondent_id"] in used and r["nominee_id"] in used
        ]
        rows["responses.csv"] = [r for r in rows["responses.csv"] if r["respondent_id"] in used]
        for role in rows["roles.csv"]:
            if role["designated_by"] not in used:
                role["designated_by"] = ""  # a head who takes part in nothing is not listed


# -- the fifteen sign packages ------------------------------------------------------------------


def _drop(rows: list[Row], unwanted: Callable[[Row], bool]) -> list[Row]:
    return [row for row in rows if not unwanted(row)]


class LowConnectedness(Healthy):
    """Riverside Special School drifts away in the second year: after Christmas nobody from
    it goes to a forum, a meeting, a group or a visit, its coaching pair lapses, and in the
    February questionnaire its staff name only each other and nobody names them."""

    name = "Eastvale Learning Network (low connectedness)"
    AWAY = "S7"
    SINCE = "2025-12-19"

    def takes_part(self, person: Person, date: str, kind: str) -> bool:
        if person.school == self.AWAY and date > self.SINCE:
            return False
        return super().takes_part(person, date, kind)

    def forum_host(self, term: int) -> str:
        host = super().forum_host(term)
        return "S1" if host == self.AWAY and day(term, "forum") > self.SINCE else host

    def meeting_host(self, term: int) -> str:
        host = super().meeting_host(term)
        return "S2" if host == self.AWAY and day(term, "meeting") > self.SINCE else host

    def visit_partner(self, a: School, shift: int) -> School:
        b = super().visit_partner(a, shift)
        return self.by_key["S3"] if b.key == self.AWAY and a.key != "S3" else b

    def member_until(self, p: Person, g: Group) -> str | None:
        return self.SINCE if p.school == self.AWAY and g.ended is None else g.ended

    def pair_until(self, a: Person, b: Person) -> str | None:
        return self.SINCE if self.AWAY in (a.school, b.school) else None

    def carrier(self, src: str, dst: str, date: str) -> str | None:
        if self.AWAY in (src, dst) and date > self.SINCE:
            return None  # nothing moves to or from the school any more
        return super().carrier(src, dst, date)

    def nominees(self, p: Person, date: str, rng: random.Random) -> list[Person]:
        picks = super().nominees(p, date, rng)
        if date < "2026-01-01":
            return picks
        if p.school == self.AWAY:
            return [c for c in picks if c.school == self.AWAY]
        return [c for c in picks if c.school != self.AWAY]


class NoKnowledgeTransfer(Healthy):
    """Practices stop moving: nothing is heard of, trialled or embedded after Christmas 2025
    (everything else carries on)."""

    name = "Eastvale Learning Network (no knowledge transfer)"

    def carrier(self, src: str, dst: str, date: str) -> str | None:
        return None if date >= "2026-01-01" else super().carrier(src, dst, date)


class NoKnowledgeTransferQuietSchool(Healthy):
    """Another reading: practices keep moving, but Oakfield neither shares nor adopts one in
    the whole second year."""

    name = "Eastvale Learning Network (a school with no transfer)"
    QUIET = "S6"

    def carrier(self, src: str, dst: str, date: str) -> str | None:
        if self.QUIET in (src, dst) and date >= YEAR_TWO:
            return None
        return super().carrier(src, dst, date)


class LowConnectednessSplit(Healthy):
    """Another reading: from the second year the network falls into two halves that hold
    their own forums, meetings, groups, coaching and visits and never meet (practices still
    travel between them as documents)."""

    name = "Eastvale Learning Network (split in two)"
    HALVES = (("S1", "S2", "S5", "S7"), ("S3", "S4", "S6", "S8"))

    def half(self, school: str) -> tuple[str, ...]:
        return next(h for h in self.HALVES if school in h)

    def split(self, date: str) -> bool:
        return date >= YEAR_TWO

    def forums(self, term: int) -> list[tuple[str, list[str]]]:
        date = day(term, "forum")
        if not self.split(date):
            return super().forums(term)
        return [(h[term % 3], [k for k in h if self.by_key[k].joined <= date])
                for h in self.HALVES]  # fmt: skip

    def meetings(self, term: int) -> list[tuple[str, list[str]]]:
        if not self.split(day(term, "meeting")):
            return super().meetings(term)
        return [(h[(term + 1) % 3], list(h)) for h in self.HALVES]

    def visit_partner(self, a: School, shift: int) -> School:
        b = super().visit_partner(a, shift)
        if b.key in self.half(a.key):
            return b
        return self.by_key[next(k for k in self.half(a.key) if k != a.key and k != "S8")]

    def group_plan(self) -> list[Group]:
        halves = {"G4": ("S1", "S2", "S5"), "G5": ("S3", "S4"), "G6": ("S4", "S6", "S3"),
                  "G7": ("S7", "S2", "S1")}  # fmt: skip
        plan = super().group_plan()
        for g in plan:
            g.schools = halves.get(g.key, g.schools)
        return plan

    def late_members(self) -> list[tuple[str, str, str]]:
        return [("G5", "S8", "2026-02-02")]

    def coaching_pairs(self) -> list[tuple[Person, Person, str, str | None]]:
        pairs = []
        for a, b, started, ended in super().coaching_pairs():
            if b.school in self.half(a.school or ""):
                pairs.append((a, b, started, ended))
            elif started < YEAR_TWO:
                pairs.append((a, b, started, "2025-08-31"))  # the pair ends with the year
        return pairs

    def nominees(self, p: Person, date: str, rng: random.Random) -> list[Person]:
        picks = super().nominees(p, date, rng)
        if not self.split(date):
            return picks
        return [c for c in picks if c.school in self.half(p.school or "")]


class Contrived(Healthy):
    """Formed for the grant: the funding ends in August 2025 and the network's life falls
    away: the co-coaching and visits stop at once, groups meet once a term and not at all
    in the summer, the heads stop meeting after Christmas; the forum and the sharing of
    practice limp on."""

    name = "Eastvale Learning Network (contrived)"
    ENDED = "2025-08-31"

    def funding(self) -> list[tuple[str, str, str]]:
        return [("Strategic school improvement fund", START, self.ENDED)]

    def happens(self, kind: str, term: int) -> bool:
        if term < 3:
            return True
        return {
            "coaching": False,
            "visit": False,
            "training": False,
            "meeting": term == 3,
            "group_session": term < 5,
        }.get(kind, True)

    def group_sessions(self, g: Group) -> None:
        super().group_sessions(g)
        # Once a term after the money: drop the second session of year two.
        seconds = {day(t, "session2") for t in (3, 4)}
        self.rows["group_sessions.csv"] = _drop(
            self.rows["group_sessions.csv"],
            lambda r: r["group_id"] == g.key and r["date"] in seconds,
        )

    def pair_until(self, a: Person, b: Person) -> str | None:
        return self.ENDED


class ContrivedStopped(Healthy):
    """Another reading: a two-year grant ends at Easter 2026 and the network stops: after it
    only the summer forum takes place."""

    name = "Eastvale Learning Network (stopped with the grant)"
    ENDED = "2026-03-31"

    def funding(self) -> list[tuple[str, str, str]]:
        return [("Two-year collaboration grant", START, self.ENDED)]

    def happens(self, kind: str, term: int) -> bool:
        return term < 5 or kind == "forum"

    def pair_until(self, a: Person, b: Person) -> str | None:
        return self.ENDED

    def carrier(self, src: str, dst: str, date: str) -> str | None:
        return None if date > self.ENDED else super().carrier(src, dst, date)

    def group_outcomes(self, g: Group, terms: list[int]) -> None:
        super().group_outcomes(g, terms)
        self.rows["outcomes.csv"] = _drop(self.rows["outcomes.csv"],
                                          lambda r: r["date"] > self.ENDED)  # fmt: skip


class Cosy(Healthy):
    """An old partnership runs the network: from the second year the same seven friends from
    Hillside, Eastvale Academy and Oakfield make up every enquiry group (there are two),
    coach each other and do the visits; other schools send one person to a forum."""

    name = "Eastvale Learning Network (cosy)"
    CIRCLE_SCHOOLS = ("S1", "S4", "S6")

    def circle(self) -> list[Person]:
        return [self.teachers("S1")[2], self.teachers("S1")[3], self.support("S1")[1],
                self.teachers("S4")[2], self.teachers("S4")[4], self.teachers("S6")[2],
                self.support("S6")[1]]  # fmt: skip

    def group_plan(self) -> list[Group]:
        plan = [g for g in super().group_plan() if g.started < YEAR_TWO]
        return [
            *plan,
            Group("G4", "How can we build a culture of reading for pleasure from Reception?",
                  PRIORITIES[0], "2025-09-22", None, self.CIRCLE_SCHOOLS),
            Group("G5", "Does structured talk in science improve pupils' written explanations?",
                  PRIORITIES[1], "2025-09-22", None, self.CIRCLE_SCHOOLS),
        ]  # fmt: skip

    def group_members(self, g: Group, school: str, slot: int) -> list[Person]:
        if g.started < YEAR_TWO:
            return super().group_members(g, school, slot)
        return [p for p in self.circle() if p.school == school]

    def coaching_pairs(self) -> list[tuple[Person, Person, str, str | None]]:
        pairs = [(a, b, s, "2025-08-31") for a, b, s, _ in super().coaching_pairs()
                 if s < YEAR_TWO]  # fmt: skip
        c = self.circle()
        return [*pairs, (c[0], c[3], "2025-09-29", None), (c[1], c[5], "2025-09-29", None),
                (c[2], c[6], "2025-09-29", None)]  # fmt: skip

    def forum_attendees(self, school: str, term: int, host: bool) -> list[Person]:
        if term < 3:
            return super().forum_attendees(school, term, host)
        mine = [p for p in self.circle() if p.school == school]
        return mine or super().forum_attendees(school, term, False)[:1]

    def activities(self) -> None:
        super().activities()
        # Visits in the second year are the friends visiting each other.
        circle = {p.key for p in self.circle()}
        visits = {r["activity_id"] for r in self.rows["activities.csv"]
                  if r["kind"] == "visit" and r["date"] >= YEAR_TWO}  # fmt: skip
        self.rows["attendance.csv"] = _drop(
            self.rows["attendance.csv"],
            lambda r: r["activity_id"] in visits and r["person_id"] not in circle,
        )
        for r in self.rows["activities.csv"]:
            if r["activity_id"] in visits:
                r["host_school_id"] = self.CIRCLE_SCHOOLS[int(r["activity_id"][1:]) % 3]
        c = self.circle()
        for n, visit in enumerate(sorted(visits)):
            for p in (c[n % 7], c[(n + 3) % 7]):
                self.rows["attendance.csv"].append({"activity_id": visit, "person_id": p.key})


class Inertia(Healthy):
    """The second year's enquiry groups meet faithfully but record nothing: no artefact, no
    change of practice, no report in three terms."""

    name = "Eastvale Learning Network (inertia)"

    def group_outcomes(self, g: Group, terms: list[int]) -> None:
        if g.started < YEAR_TWO:
            super().group_outcomes(g, terms)


class InertiaActivities(Healthy):
    """Another reading: the groups still report, but the second year's forums, meetings and
    visits record neither an outcome nor a decision."""

    name = "Eastvale Learning Network (activities without outcomes)"

    def finish(self) -> None:
        for row in self.rows["activities.csv"]:
            if row["date"] >= YEAR_TWO:
                row["outcome"] = ""
                row["decided_by_school_id"] = ""


class Dominance(Healthy):
    """Eastvale Academy runs everything: it hosts every forum, heads' meeting and visit,
    takes every decision, and its staff hold the network roles (the other schools keep a
    school link each)."""

    name = "Eastvale Learning Network (dominance)"
    HUB = "S4"

    def forum_host(self, term: int) -> str:
        return self.HUB

    def meeting_host(self, term: int) -> str:
        return self.HUB

    def decider(self, host: str) -> str:
        return self.HUB

    def visit_partner(self, a: School, shift: int) -> School:
        return self.by_key[self.HUB] if a.key != self.HUB else self.by_key["S1"]

    def role_plan(self) -> list[tuple[Person, str, str, str]]:
        plan = [(p, r, s, o) for p, r, s, o in super().role_plan() if r == "school link"]
        hub = self.HUB
        t, sup = self.teachers(hub), self.support(hub)
        plan += [(self.seniors(hub)[1], "coordinator", START, "design"),
                 (t[1], "lead learner", START, "design"), (sup[0], "lead learner", START, "design"),
                 (t[2], "strand leader", START, "design"), (t[3], "strand leader", START, "design"),
                 (sup[1], "strand leader", START, "design"),
                 (t[6], "enquiry advocate", START, "design"),
                 (t[7], "programme leader", START, "design"),
                 (self.seniors(hub)[2], "programme leader", START, "design")]  # fmt: skip
        return plan

    def roles(self) -> None:
        super().roles()
        # Colleagues still go to the people they went to before (the healthy experts).
        self.experts = {p.key for p, *_ in Healthy.role_plan(self)}


class HeadDependence(Healthy):
    """Everyone goes to the head: in the February 2026 questionnaire most staff name their
    head and deputy for advice, and across schools they name the other heads."""

    name = "Eastvale Learning Network (head dependence)"

    def nominees(self, p: Person, date: str, rng: random.Random) -> list[Person]:
        picks = super().nominees(p, date, rng)
        if date < "2026-01-01" or p.layer == "senior":
            return picks
        school = p.school or ""
        seniors = [c for c in self.seniors(school) if c.current(date)]
        out = seniors[:2] + [c for c in picks if c.school == school and c not in seniors][:1]
        if any(c.school != school for c in picks):
            other = next(c for c in picks if c.school != school)
            out.append(self.head(other.school or ""))
        return out


class FragileBroker(Healthy):
    """Brook Farm Infant School's links rest on one teacher: from the second year she is the
    school's only member of any group, goes to every forum and heads' meeting for the head,
    and is the only one anybody elsewhere names or works with."""

    name = "Eastvale Learning Network (fragile broker)"
    SMALL = "S5"

    def broker(self) -> Person:
        return self.teachers(self.SMALL)[0]  # the school link

    def takes_part(self, person: Person, date: str, kind: str) -> bool:
        if person.school == self.SMALL and date >= YEAR_TWO and person is not self.broker():
            return False
        return super().takes_part(person, date, kind)

    def group_members(self, g: Group, school: str, slot: int) -> list[Person]:
        if school == self.SMALL and g.started >= YEAR_TWO:
            return [self.broker()]
        return super().group_members(g, school, slot)

    def forum_attendees(self, school: str, term: int, host: bool) -> list[Person]:
        if school == self.SMALL and term >= 3:
            return [self.broker()]
        return super().forum_attendees(school, term, host)

    def activities(self) -> None:
        super().activities()
        # She goes to the heads' meetings in the head's place.
        meetings = {r["activity_id"] for r in self.rows["activities.csv"]
                    if r["kind"] == "meeting" and r["date"] >= YEAR_TWO}  # fmt: skip
        for key in sorted(meetings):
            self.rows["attendance.csv"].append({"activity_id": key, "person_id": self.broker().key})

    def pair_until(self, a: Person, b: Person) -> str | None:
        return "2025-08-31" if self.SMALL in (a.school, b.school) else None

    def nominees(self, p: Person, date: str, rng: random.Random) -> list[Person]:
        picks = super().nominees(p, date, rng)
        if date < YEAR_TWO:
            return picks
        broker = self.broker()
        if p.school == self.SMALL and p is not broker:
            return [c for c in picks if c.school == self.SMALL]
        out = [broker if c.school == self.SMALL and p.school != self.SMALL else c for c in picks]
        return list(dict.fromkeys(out))


class DesignatedNotRecognised(Healthy):
    """At St Aidan's and Oakfield the heads gave the network roles to staff colleagues do not
    go to: in February 2026 nobody names the two schools' role holders for advice."""

    name = "Eastvale Learning Network (designated not recognised)"
    SCHOOLS = ("S2", "S6")

    def nominees(self, p: Person, date: str, rng: random.Random) -> list[Person]:
        picks = super().nominees(p, date, rng)
        if date < "2026-01-01":
            return picks
        holders = {h.key for h, *_ in self.role_plan() if h.school in self.SCHOOLS}
        return [c for c in picks if c.key not in holders]


class RecognisedNotDesignated(Healthy):
    """At Marsh Lane and Oakfield an experienced Year 6 teacher with no network role is the
    colleague most staff go to for advice (February 2026)."""

    name = "Eastvale Learning Network (recognised not designated)"
    SCHOOLS = ("S3", "S6")

    def star(self, school: str) -> Person:
        return next(p for p in self.teachers(school) if p.title == "Year 6 teacher")

    def nominees(self, p: Person, date: str, rng: random.Random) -> list[Person]:
        picks = super().nominees(p, date, rng)
        if date < "2026-01-01" or p.school not in self.SCHOOLS:
            return picks
        star = self.star(p.school or "")
        if p is star or star in picks:
            return picks
        # She takes the place of a colleague picked at random (the expert stays).
        return [picks[0], star, *picks[2:]] if rng.random() < 0.8 else [*picks, star]


class LayerDislocation(Healthy):
    """Support staff are members, never leaders: the lead learner and enquiry advocate
    roles go to teachers, groups are led by teachers and only teachers co-coach."""

    name = "Eastvale Learning Network (layer dislocation)"

    def role_plan(self) -> list[tuple[Person, str, str, str]]:
        plan = []
        for p, role, start, origin in super().role_plan():
            if p.layer == "support":
                p = self.teachers(p.school or "")[1]
            plan.append((p, role, start, origin))
        return plan

    def roles(self) -> None:
        super().roles()
        self.experts = {p.key for p, *_ in Healthy.role_plan(self)}

    def groups(self) -> None:
        super().groups()
        support = {p.key for p in self.people.values() if p.layer == "support"}
        for row in self.rows["group_members.csv"]:
            if row["person_id"] in support and row["role"] == "lead":
                row["role"] = "member"
                # A teacher from the same group takes the lead instead.
                teacher = next(
                    r
                    for r in self.rows["group_members.csv"]
                    if r["group_id"] == row["group_id"]
                    and r["person_id"] not in support
                    and r["role"] == "member"
                )
                teacher["role"] = "lead"

    def coaching_pairs(self) -> list[tuple[Person, Person, str, str | None]]:
        return [pair for pair in super().coaching_pairs() if pair[0].layer == "teacher"]


class LowTrust(Healthy):
    """Staff do not trust colleagues in other schools: the trust item averages about 2."""

    name = "Eastvale Learning Network (low trust)"

    def trust(self, p: Person, rng: random.Random) -> int:
        return rng.choice((1, 2, 2, 2, 3, 3, 4))


class WeakConsistency(Healthy):
    """The second year's groups chose their own themes: only one of the four serves one of
    the network's priorities."""

    name = "Eastvale Learning Network (weak consistency)"

    def group_plan(self) -> list[Group]:
        themes = {"G5": "Staff wellbeing", "G6": "Behaviour for learning"}
        plan = super().group_plan()
        for g in plan:
            g.priority = themes.get(g.key, g.priority)
        return plan


class Overload(Healthy):
    """Brook Farm Infant School (15 staff) has someone in every one of the second year's
    enquiry groups, and in a fifth the school started with two others."""

    name = "Eastvale Learning Network (overload)"
    SMALL = "S5"

    def group_plan(self) -> list[Group]:
        plan = super().group_plan()
        for g in plan:
            if g.started >= YEAR_TWO and self.SMALL not in g.schools:
                g.schools = (*g.schools[:3], self.SMALL)
        plan.append(Group("G8", "What helps children settle in Reception?", PRIORITIES[0],
                          "2025-09-22", None, (self.SMALL, "S1")))  # fmt: skip
        return plan

    def group_members(self, g: Group, school: str, slot: int) -> list[Person]:
        if school != self.SMALL or g.started < YEAR_TWO:
            return super().group_members(g, school, slot)
        # One member each: the small school spreads its few staff over five groups.
        teachers = self.teachers(school)
        return [teachers[(int(g.key[1:]) + 1) % len(teachers)]]


class DistanceBarrier(Healthy):
    """The schools lie along a valley, about four and a half kilometres apart: each works
    with its neighbours (forums, heads' meetings, groups, coaching and advice in clusters
    of neighbouring schools), and nobody from one end works with the other."""

    name = "Eastvale Learning Network (distance barrier)"
    SPACING_KM = 4.5

    def school_specs(self) -> tuple[tuple[Any, ...], ...]:
        out = []
        for i, (key, name, phase, size, _, *joined) in enumerate(SCHOOLS):
            # A degree of latitude is about 111 km: a straight valley running north.
            place = (54.40 + i * self.SPACING_KM / 111.2, -2.10)
            out.append((key, name, phase, size, place, *joined))
        return tuple(out)

    def near(self, a: str, b: str) -> bool:
        return abs(self.by_key[a].index - self.by_key[b].index) <= 2

    def forum_circle(self, host: str, date: str) -> list[str]:
        """The host and its neighbours up and down the valley."""
        i = self.by_key[host].index
        lo = min(max(i - 1, 0), len(self.schools) - 3)
        return [s.key for s in self.schools[lo : lo + 3] if s.joined <= date]

    def meetings(self, term: int) -> list[tuple[str, list[str]]]:
        """Heads meet in four clusters up the valley."""
        keys = [s.key for s in self.schools]
        return [(keys[1], keys[0:3]), (keys[3], keys[2:5]), (keys[5], keys[4:7]),
                (keys[6], keys[5:8])]  # fmt: skip

    def group_plan(self) -> list[Group]:
        clusters = {
            "G1": ("S1", "S2", "S3"), "G2": ("S3", "S4", "S5"), "G3": ("S5", "S6", "S7"),
            "G4": ("S1", "S2", "S3"), "G5": ("S4", "S5", "S6"), "G6": ("S6", "S7"),
            "G7": ("S2", "S3", "S4"),
        }  # fmt: skip
        plan = super().group_plan()
        for g in plan:
            g.schools = clusters[g.key]
        return plan

    def late_members(self) -> list[tuple[str, str, str]]:
        return [("G6", "S8", "2026-02-02")]  # the group at its end of the valley


# Other ways a grader might build a sign: package name -> (sign, builder).
ALTERNATIVES: dict[str, tuple[str, type[Healthy]]] = {
    "low_connectedness_split": ("low_connectedness", LowConnectednessSplit),
    "no_knowledge_transfer_quiet_school": ("no_knowledge_transfer", NoKnowledgeTransferQuietSchool),
    "contrived_stopped": ("contrived", ContrivedStopped),
    "inertia_activities": ("inertia", InertiaActivities),
}

BUILDERS: dict[str, type[Healthy]] = {
    "healthy": Healthy,
    "healthy_participants_only": HealthyParticipantsOnly,
    "low_connectedness": LowConnectedness,
    "no_knowledge_transfer": NoKnowledgeTransfer,
    "contrived": Contrived,
    "cosy": Cosy,
    "inertia": Inertia,
    "dominance": Dominance,
    "head_dependence": HeadDependence,
    "fragile_broker": FragileBroker,
    "designated_not_recognised": DesignatedNotRecognised,
    "recognised_not_designated": RecognisedNotDesignated,
    "layer_dislocation": LayerDislocation,
    "low_trust": LowTrust,
    "weak_consistency": WeakConsistency,
    "overload": Overload,
    "distance_barrier": DistanceBarrier,
    **{kind: builder for kind, (_sign, builder) in ALTERNATIVES.items()},
}
# The sign each package is built to show.
SHOWS: dict[str, str] = {
    **{sign: sign for sign in SIGN_IDS},
    **{kind: sign for kind, (sign, _builder) in ALTERNATIVES.items()},
}


def build(kind: str, folder: Path) -> tuple[str, Path]:
    """Write the ``kind`` package ("healthy" or a sign id) into ``folder``; returns the
    network's name and the folder."""
    builder = BUILDERS[kind]()
    return builder.name, builder.write(folder)


# Three other networks Brook Farm Infant School (S5) also belongs to, by its URN: with the
# Eastvale network that makes four, Harris's "optimum number of networks" exceeded.
OTHER_NETWORKS = (
    ("Eastvale Early Years Cluster", "cluster", "2022-09-01"),
    ("North Riding Small Schools Partnership", "partnership", "2023-09-01"),
    ("Eastvale Reading Hub", "learning_network", "2024-01-08"),
)


def other_networks(root: Path) -> list[Path]:
    """Small packages of the three other networks Brook Farm belongs to (import them beside
    the healthy package to show overload by number of networks)."""
    brook = Healthy()
    s5 = brook.by_key["S5"]
    urn = str(141200 + 37 * s5.index)
    folders = []
    for n, (name, kind, started) in enumerate(OTHER_NETWORKS, 1):
        rows: dict[str, list[Row]] = {
            "network.csv": [{"name": name, "kind": kind, "started": started,
                             "priorities": "Early reading"}],
            "schools.csv": [
                {"school_id": "BF", "name": s5.name, "urn": urn, "phase": s5.phase,
                 "local_authority": "Eastvale", "lat": f"{s5.lat:.4f}", "lon": f"{s5.lon:.4f}",
                 "joined": started, "left": ""},
                {"school_id": "O1", "name": f"Other school {n}", "urn": str(150000 + n),
                 "phase": "primary", "local_authority": "Eastvale", "lat": "", "lon": "",
                 "joined": started, "left": ""},
            ],
            "people.csv": [
                {"person_id": "P1", "name": f"Link teacher {n}", "school_id": "BF",
                 "layer": "teacher", "job_title": "Class teacher", "promoted": "no",
                 "from": "2015-09-01", "to": ""},
                {"person_id": "P2", "name": f"Partner teacher {n}", "school_id": "O1",
                 "layer": "teacher", "job_title": "Class teacher", "promoted": "no",
                 "from": "2015-09-01", "to": ""},
            ],
            "activities.csv": [{"activity_id": "A1", "kind": "meeting", "date": "2026-03-04",
                                "host_school_id": "O1", "title": "Termly meeting",
                                "levels": "", "decided_by_school_id": "", "outcome": "Met"}],
            "attendance.csv": [{"activity_id": "A1", "person_id": "P1"},
                               {"activity_id": "A1", "person_id": "P2"}],
        }  # fmt: skip
        folder = root / f"other-{n}"
        folder.mkdir(parents=True, exist_ok=True)
        for file, file_rows in rows.items():
            with (folder / file).open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=COLUMNS[file])
                writer.writeheader()
                writer.writerows({c: _cell(r.get(c)) for c in COLUMNS[file]} for r in file_rows)
        folders.append(folder)
    return folders


if __name__ == "__main__":  # write every package, e.g. to try them with `tracker import`
    import sys

    root = Path(sys.argv[1] if len(sys.argv) > 1 else "sign-packages")
    for kind in BUILDERS:
        name, path = build(kind, root / kind)
        print(f"{kind}: {name} -> {path}")
