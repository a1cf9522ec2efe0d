"""A made-up but believable network package: English schools in a learning network over a year.

``tracker demo`` loads one (the Riverside Learning Network) and the import benchmark writes a
large one (hundreds of schools). The same arguments always give the same bytes, so a demo
loaded twice is the same package imported twice. Only the standard library is used, so a
package of a few hundred thousand rows is written in seconds.

The shape follows ``../shared/docs/domain.md``: three staff layers and a head per school;
enquiry groups on the network's priorities, led from several schools and meeting termly
(Hartlepool); the Oldham co-coaching cascade (two trained per school, who then coach colleagues
at home); a termly learning forum hosted in turn (Prudhoe); practices moving between schools
through heard, trialled and embedded; and an advice questionnaire whose ties stay mostly
inside schools and go up the hierarchy, heads and senior staff being over-nominated (Torrance).
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The documented columns of every file, then the optional ones the importer also reads.
COLUMNS: dict[str, tuple[str, ...]] = {
    "network.csv": ("name", "kind", "started", "priorities"),
    "funding.csv": ("source", "started", "ended"),
    "schools.csv": (
        "school_id", "name", "urn", "phase", "local_authority", "lat", "lon", "joined", "left",
        "size",
    ),
    "people.csv": (
        "person_id", "name", "school_id", "layer", "job_title", "promoted", "from", "to",
    ),
    "roles.csv": ("person_id", "role", "from", "to", "designated_by", "origin", "origin_note"),
    "groups.csv": (
        "group_id", "question", "priority", "started", "ended", "levels", "origin", "origin_note",
    ),
    "group_members.csv": ("group_id", "person_id", "role", "from", "to"),
    "group_sessions.csv": ("group_id", "date", "attendees", "note"),
    "outcomes.csv": ("group_id", "date", "kind", "description"),
    "coaching.csv": ("pair_id", "person_a", "person_b", "practice", "started", "ended"),
    "coaching_sessions.csv": ("pair_id", "date"),
    "trained.csv": ("trainer_id", "trainee_id", "practice", "date"),
    "activities.csv": (
        "activity_id", "kind", "date", "host_school_id", "title", "levels",
        "decided_by_school_id", "outcome", "decision",
    ),
    "attendance.csv": ("activity_id", "person_id"),
    "transfers.csv": (
        "practice_id", "practice", "from_school_id", "to_school_id", "carrier_person_id",
        "date", "stage", "carrier_group_id",
    ),
    "advice.csv": ("respondent_id", "nominee_id", "topic", "frequency", "influence", "date"),
    "responses.csv": (
        "respondent_id", "date", "leader_in_school", "leader_in_network", "trust_other_schools",
        "levels",
    ),
}  # fmt: skip


# The package the import benchmark loads: at least 200,000 rows (benchmarks/import_bench.py).
BENCHMARK = {"seed": 2024, "schools": 200, "staff_scale": 4.0, "activity_scale": 4.0}


def _words(text: str) -> tuple[str, ...]:
    """A word bank written as one ``|``-separated string."""
    return tuple(part.strip() for part in text.split("|"))


# -- word banks ---------------------------------------------------------------------------------

FIRST = _words(
    "Aisha|Alfie|Amy|Ben|Bethany|Callum|Chloe|Connor|Daniel|Deborah|Eleanor|Ethan|Farah|Fiona|"
    "Gareth|George|Hannah|Helen|Holly|Imran|Isaac|Jasmine|Jess|Joanne|Kate|Karen|Kieran|Laura|"
    "Liam|Mark|Megan|Mohammed|Nathan|Niamh|Olivia|Owen|Paul|Priya|Rachel|Ruth|Sam|Sean|Stuart|"
    "Tariq|Tom|Una|Victoria|Wei|Yusuf|Zoe|Abigail|Adam|Amira|Andrew|Anna|Bilal|Carl|Catherine|"
    "Claire|Craig|David|Dawn|Emma|Faisal|Gemma|Grace|Harry|Jack|James|Jenny|Julie|Kerry|Leanne|"
    "Lucy|Matthew|Michelle|Nadia|Natalie|Neil|Nicola|Peter|Rebecca|Richard|Sadia|Sarah|Simon|"
    "Sophie|Steven|Susan|Tanya|Vicky|Wendy|Zara"
)
LAST = _words(
    "Ahmed|Atkinson|Bell|Brown|Carr|Clarke|Davison|Dixon|Elliott|Fletcher|Graham|Hall|Harrison|"
    "Hussain|Jackson|Johnson|Kelly|Khan|Lee|Marshall|Metcalfe|Milburn|Nixon|Patel|Pearson|Robson|"
    "Scott|Shaw|Simpson|Smith|Stephenson|Taylor|Thompson|Walker|Watson|Wilson|Wood|Young|Allan|"
    "Anderson|Armstrong|Bainbridge|Begum|Bennett|Blackburn|Brady|Burns|Chapman|Charlton|Cook|"
    "Cooper|Cowell|Crawford|Dodds|Evans|Ferguson|Forster|Gibson|Gray|Green|Hardy|Henderson|Hill|"
    "Holmes|Hughes|Hunter|Irving|Kaur|Kennedy|Lambert|Lowes|Martin|Mason|Miller|Mitchell|Moore|"
    "Murray|Nicholson|Oliver|Parker|Reed|Richardson|Ridley|Rogers|Singh|Storey|Turnbull|Ward|"
    "White|Wright"
)
PLACES = _words(
    "Oakfield|Brierley|Kingsmead|Westfield|Hollybank|Ashgrove|Marsh Lane|Thornhill|Elmwood|"
    "Birchfield|Rowan Park|Highcliffe|Fairfield|Greenside|Low Fell|Haverton|Norton|Billingham|"
    "Eaglescliffe|Ormesby|Marton|Linthorpe|Acklam|Eston|Guisborough|Saltburn|Yarm|Stainton|"
    "Coulby Newham|Hemlington|Thornaby|Ingleby|Preston|Brinkburn|Throston|Golden Flatts|"
    "Rift House|Jesmond Gardens|Lynnfield|Barnard Grove|Kingsley|Eldon Grove|Hart|Elwick|"
    "Dalton Piercy|Wynyard|Sedgefield|Trimdon|Fishburn|Ferryhill|Spennymoor|Tudhoe|Shildon|"
    "Heighington|Aycliffe|Middridge|Coundon|Willington|Crook|Tow Law|Wolsingham|Stanhope|"
    "Lanchester|Burnopfield|Tanfield|Annfield Plain|Pelton|Chester Moor"
)
SAINTS = _words("Aidan|Bede|Cuthbert|Hilda|Oswald|Teresa|Joseph|Mary|Patrick|John|Wilfrid|Chad")
SCHOOL_NAMES = {
    "primary": _words(
        "{p} Primary School|{p} Primary School|{p} Community Primary School|"
        "St {s}'s C of E Primary School|St {s}'s RC Primary School|{p} Junior School|"
        "{p} Infant School|{p} Primary Academy"
    ),
    "secondary": _words("{p} Academy|{p} High School|{p} School|St {s}'s RC Academy"),
    "nursery": _words("{p} Nursery School"),
    "special": _words("{p} School|{p} School|{p} Academy"),
    "all_through": _words("{p} All-Through School|{p} Academy"),
}
LOCAL_AUTHORITIES = (
    ("Hartlepool", 54.68, -1.22),
    ("Stockton-on-Tees", 54.57, -1.32),
    ("Middlesbrough", 54.56, -1.24),
    ("Redcar and Cleveland", 54.59, -1.06),
    ("Darlington", 54.52, -1.55),
    ("County Durham", 54.78, -1.57),
    ("Sunderland", 54.90, -1.38),
    ("Gateshead", 54.95, -1.60),
    ("Oldham", 53.54, -2.11),
    ("Rochdale", 53.61, -2.16),
    ("Tameside", 53.48, -2.08),
    ("Northumberland", 55.17, -1.69),
)
# priority -> (short theme, enquiry questions a group might take up)
PRIORITY_BANK: dict[str, tuple[str, tuple[str, ...]]] = {
    "How can enquiry-based learning raise attainment for disadvantaged pupils?": (
        "enquiry and disadvantage",
        _words(
            "What stops our disadvantaged pupils asking questions in class?|"
            "Does structured enquiry time close the gap in Year 5 writing?|"
            "How do pupils eligible for the pupil premium experience independent learning?|"
            "Can enquiry homework projects engage families who rarely come into school?|"
            "What do our most disadvantaged pupils say helps them learn?"
        ),
    ),
    "Early reading: closing the gap before Year 2": (
        "early reading",
        _words(
            "Which phonics catch-up approaches work best for summer-born children?|"
            "How can teaching assistants lead daily reading fluency groups?|"
            "What makes a reading-rich environment in Nursery and Reception?|"
            "How do we bring parents into early reading at home?|"
            "Can older pupils as reading buddies improve Year 1 fluency?"
        ),
    ),
    "Pupil voice in assessment for learning": (
        "pupil voice",
        _words(
            "How can pupils set and review their own success criteria?|"
            "What happens when pupils lead their own learning reviews with parents?|"
            "Does peer feedback improve redrafting in Key Stage 3 English?|"
            "How do pupils with SEND want to show what they know?|"
            "Can a pupil learning council shape our feedback policy?"
        ),
    ),
    "Barriers to learning: attendance, wellbeing and belonging": (
        "barriers to learning",
        _words(
            "Why do some pupils stop coming to school in Year 8?|"
            "How can a nurture breakfast club change the start of the day?|"
            "What makes pupils with low attendance feel they belong?|"
            "Does a key adult for every vulnerable pupil improve attendance?"
        ),
    ),
    "Oracy across the curriculum": (
        "oracy",
        _words(
            "How does structured talk change the quality of science explanations?|"
            "Can talk partners in Reception build vocabulary?|"
            "What does good discussion look like in a maths lesson?|"
            "How do we assess spoken language fairly?"
        ),
    ),
}
UNALIGNED_QUESTIONS = _words(
    "How can we cut marking workload without losing feedback?|"
    "What makes a good outdoor learning session in winter?|"
    "How do we use the new learning platform well with parents?"
)
PRACTICES = _words(
    "Philosophy for Children|Lesson Study|Talk for Writing|Restorative practice|Mastery maths|"
    "Metacognition and self-regulation"
)
SHARED_PRACTICES = _words(
    "Reading fluency toolkit|Talk for Writing planning frames|Restorative conversation script|"
    "Retrieval quiz bank for Key Stage 2|Phonics catch-up groups|Pupil voice feedback wall|"
    "Bar model maths progression|Nurture breakfast club|Enquiry question stems|"
    "Year 6 to 7 transition booklet|Sensory circuits routine|Parent reading workshops|"
    "Learning walk protocol|Peer feedback ladder|Vocabulary knowledge organisers|"
    "Attendance key-adult scheme"
)
WORKSHOPS = _words(
    "Questioning for deeper thinking|Retrieval practice in primary|"
    "Supporting pupils with speech and language needs|Coaching conversations|"
    "Collecting pupil voice for enquiry|Restorative approaches|Reading fluency in Key Stage 2|"
    "Adaptive teaching|Writing moderation|Working with parents on early reading"
)
VISIT_FOCUS = _words(
    "reading corners|learning walks|maths mastery lessons|P4C enquiries|the sensory curriculum|"
    "transition work|pupil learning reviews|the nurture room|talk partners in Reception"
)
DECISIONS = _words(
    "Agreed to pool CPD budgets for a shared P4C trainer|"
    "Agreed a common format for enquiry group reports|"
    "Agreed termly cross-school moderation of writing|"
    "Agreed to open Year 6 classrooms for transition visits|"
    "Agreed to rotate the forum chair among deputies|"
    "Agreed to publish group findings on the network website|"
    "Agreed to release two teaching assistants per school for the reading project|"
    "Agreed a shared calendar of learning walks"
)
ORIGIN_NOTES = {
    "default": _words(
        "A teacher proposed the question at the learning forum|"
        "Two teaching assistants asked to look into it together"
    ),
    "desperation": _words(
        "Set up after a difficult Ofsted monitoring visit|"
        "Formed when Key Stage 2 reading results fell sharply|"
        "Started after persistent absence rose in the autumn"
    ),
}
SESSION_NOTES = _words(
    "Shared the first round of pupil interviews|Agreed the enquiry question and a baseline|"
    "Looked at work samples together|Planned a research lesson|Reviewed what changed this term"
)
FORUM_OUTCOMES = _words(
    "Two new enquiry groups formed|Minutes and slides circulated to every school|"
    "Pupils presented their enquiry findings|"
)
VISIT_OUTCOMES = _words(
    "Visiting staff to trial the approach next half-term|Resources shared on the network drive|"
    "Return visit planned for next term||"
)
OUTCOME_TEXT = {
    "artefact": _words(
        "A classroom toolkit on {theme}, shared with every school|"
        "Planning templates on {theme} used across the group's schools|"
        "A short film of pupils talking about {theme}"
    ),
    "practice_change": _words(
        "A daily ten-minute {theme} routine now in every participating class|"
        "Teaching assistants now lead {theme} sessions in three schools|"
        "Lesson observations now look for {theme}"
    ),
    "policy": _words(
        "{school} revised its teaching and learning policy on {theme}|"
        "Network-wide guidance on {theme} agreed by heads"
    ),
    "report": _words(
        "Enquiry report on {theme} presented at the learning forum|"
        "Findings on {theme} written up for governors"
    ),
}
FUNDING_SOURCES = _words(
    "Local authority school improvement grant|Teaching school hub partnership fund|"
    "Research school partnership grant|Trust school improvement fund"
)
TOPICS = ("teaching and learning", "curriculum", "pupil care and welfare", "school improvement")

# Per phase: (posts held by one person at most, in the order they are filled; ordinary titles).
_TEACHERS = {
    "primary": (
        "SENCo|Key stage 2 leader|Key stage 1 leader|EYFS lead|Reading lead|Maths lead|"
        "Writing lead|Science lead|PE lead|Computing lead",
        "Class teacher|Class teacher|Class teacher|Year 6 teacher|Year 2 teacher|"
        "Reception teacher|Year 4 teacher",
    ),
    "secondary": (
        "SENCo|Head of English|Head of maths|Head of science|Head of humanities|"
        "Head of languages|Head of year 7|Head of year 9|Head of year 11|Second in maths|"
        "Second in English|Literacy coordinator|Head of PE|Head of art|Head of computing|"
        "Careers lead",
        "Teacher of English|Teacher of maths|Teacher of science|Teacher of history|"
        "Teacher of geography|Teacher of languages|Teacher of PE|Teacher of art|"
        "Teacher of computing|Teacher of music|Teacher of RE",
    ),
    "nursery": ("EYFS lead|SENCo", "Nursery teacher|Early years teacher"),
    "special": (
        "Key stage leader|Communication lead|Sensory curriculum lead|Post-16 lead",
        "Class teacher|Class teacher|Class teacher|Teacher of pupils with PMLD",
    ),
}
_TEACHERS["all_through"] = (
    "SENCo|Head of primary phase|Head of English|Head of maths|Head of science|EYFS lead|"
    "Head of year 7|Head of year 11|Reading lead|Head of humanities",
    _TEACHERS["primary"][1] + "|" + _TEACHERS["secondary"][1],
)
_SUPPORT = {
    "primary": (
        "School business manager|Family liaison officer|Higher level teaching assistant|"
        "Learning mentor",
        "Teaching assistant|Teaching assistant|Teaching assistant|Midday supervisor|"
        "Office administrator",
    ),
    "secondary": (
        "School business manager|Pastoral manager|Exams officer|Attendance officer|"
        "Higher level teaching assistant",
        "Teaching assistant|Teaching assistant|Cover supervisor|Learning mentor|"
        "Science technician|Office administrator",
    ),
    "nursery": ("Family worker", "Nursery nurse|Nursery nurse|Early years practitioner"),
    "special": (
        "School business manager|Family liaison officer|Speech and language assistant",
        "Teaching assistant|Teaching assistant|Teaching assistant|"
        "Higher level teaching assistant|Midday supervisor",
    ),
}
_SUPPORT["all_through"] = _SUPPORT["secondary"]
_PROMOTED_WORDS = ("lead", "Head of", "SENCo", "Second in", "coordinator", "manager", "Higher")
_STAFF_RANGE = {
    "nursery": (8, 12),
    "primary": (18, 34),
    "special": (24, 42),
    "secondary": (60, 105),
    "all_through": (75, 120),
}
_PUPILS = {
    "nursery": (60, 110),
    "primary": (180, 460),
    "special": (70, 180),
    "secondary": (700, 1500),
    "all_through": (1000, 1800),
}
_PHASE_MIX = {"primary": 60, "secondary": 18, "special": 8, "nursery": 6, "all_through": 8}

# -- the model being generated ------------------------------------------------------------------


@dataclass(eq=False)
class _School:
    sid: str
    name: str
    urn: str
    phase: str
    local_authority: str
    lat: float
    lon: float
    joined: dt.date
    staff_size: int
    pupils: int
    cluster: int = 0
    staff: list[_Person] = field(default_factory=list)

    @property
    def head(self) -> _Person:
        return self.staff[0]


@dataclass(eq=False)
class _Person:
    pid: str
    name: str
    school: _School
    layer: str
    title: str
    start: dt.date
    left: dt.date | None = None
    involved: bool = True  # leavers take no part, so nothing refers to them after they go
    network_role: bool = False
    contexts: list[int] = field(default_factory=list)

    @property
    def promoted(self) -> bool:
        return self.layer == "senior" or any(w in self.title for w in _PROMOTED_WORDS)

    def active(self, day: dt.date) -> bool:
        return (
            self.involved
            and self.start <= day
            and self.school.joined <= day
            and (self.left is None or day <= self.left)
        )


@dataclass(frozen=True)
class _Term:
    name: str
    first: dt.date
    last: dt.date


@dataclass(eq=False)
class _Activity:
    kind: str
    day: dt.date
    host: _School
    title: str
    levels: str
    people: list[_Person]
    outcome: str = ""
    decided_by: _School | None = None
    decision: str = ""


# A training day: (practice, date, host school, trainer, trainees).
_Training = tuple[str, dt.date, _School, "_Person", list["_Person"]]


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + year, month + 1, 1) + dt.timedelta(days=day.day - 1)


def _terms(first: dt.date, last: dt.date) -> list[_Term]:
    """The teaching weeks of each English school term inside [first, last], in order."""
    out = []
    for year in range(first.year - 1, last.year + 1):
        for name, a, b in (
            ("Autumn", dt.date(year, 9, 3), dt.date(year, 12, 18)),
            ("Spring", dt.date(year + 1, 1, 6), dt.date(year + 1, 3, 28)),
            ("Summer", dt.date(year + 1, 4, 22), dt.date(year + 1, 7, 18)),
        ):
            lo, hi = max(a, first), min(b, last)
            if (hi - lo).days >= 20:
                out.append(_Term(f"{name} {a.year}", lo, hi))
    return out


# -- the generator --------------------------------------------------------------------------------


class _Network:
    """Builds every file's rows from one random stream; ``rows`` maps file -> list of rows."""

    def __init__(
        self,
        rng: random.Random,
        *,
        name: str,
        priorities: Sequence[str],
        first: dt.date,
        last: dt.date,
        staff_scale: float,
        activity_scale: float,
    ) -> None:
        self.rng = rng
        self.name = name
        self.priorities = list(priorities)
        self.first, self.last = first, last
        self.terms = _terms(first, last)
        if not self.terms:
            raise ValueError("the period covers no school term: give more months")
        self.days = [  # every weekday in term time, in order
            t.first + dt.timedelta(days=n)
            for t in self.terms
            for n in range((t.last - t.first).days + 1)
            if (t.first + dt.timedelta(days=n)).weekday() < 5
        ]
        self.staff_scale = staff_scale
        self.activity_scale = activity_scale
        self.schools: list[_School] = []
        self.people: list[_Person] = []
        self.contexts: list[list[_Person]] = []
        self.role_holders: dict[tuple[str, str], _Person] = {}
        self.group_schools: list[tuple[str, set[str], dt.date]] = []
        self.rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in COLUMNS}
        self._names: set[str] = set()

    # helpers ----------------------------------------------------------------------------------

    def scaled(self, base: float) -> int:
        """``base`` times the activity scale, rounded at random so fractions still count."""
        value = base * self.activity_scale
        whole = math.floor(value)
        return whole + (1 if self.rng.random() < value - whole else 0)

    def term_days(self, lo: dt.date, hi: dt.date) -> list[dt.date]:
        """The term-time weekdays in [lo, hi]."""
        return self.days[bisect.bisect_left(self.days, lo) : bisect.bisect_right(self.days, hi)]

    def day(self, lo: dt.date, hi: dt.date) -> dt.date | None:
        """A random term-time weekday in [lo, hi], or None when there is none."""
        days = self.term_days(lo, hi)
        return self.rng.choice(days) if days else None

    def days_in(self, lo: dt.date, hi: dt.date, count: int) -> list[dt.date]:
        """Up to ``count`` distinct term-time weekdays in [lo, hi], in order."""
        days = self.term_days(lo, hi)
        return sorted(self.rng.sample(days, min(count, len(days))))

    def clusters(self) -> list[list[_School]]:
        """Schools in tens: a large network works in local clusters, each with its own forum."""
        out: dict[int, list[_School]] = {}
        for school in self.schools:
            out.setdefault(school.cluster, []).append(school)
        return [out[k] for k in sorted(out)]

    @staticmethod
    def joined(schools: Iterable[_School], day: dt.date) -> list[_School]:
        return [s for s in schools if s.joined <= day]

    def context(self, people: Sequence[_Person]) -> None:
        """Remember that these people met (cross-school advice ties come from such meetings)."""
        index = len(self.contexts)
        self.contexts.append(list(people))
        for person in people:
            person.contexts.append(index)

    def theme(self, priority: str) -> str:
        if priority in PRIORITY_BANK:
            return PRIORITY_BANK[priority][0]
        return priority.rstrip("?.").lower() if priority else "the enquiry"

    def pick(self, pool: Sequence[_Person], layers: Mapping[str, float]) -> _Person:
        return self.rng.choices(pool, weights=[layers.get(p.layer, 0.0) for p in pool])[0]

    def person_name(self) -> str:
        """A name not yet used; large networks add a middle initial once plain names run short."""
        rng = self.rng
        crowded = len(self._names) > len(FIRST) * len(LAST) // 3
        for attempt in range(60):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if crowded or attempt >= 30:
                name = name.replace(" ", f" {chr(65 + rng.randrange(26))}. ", 1)
            if name not in self._names:
                break
        self._names.add(name)
        return name

    # schools and staff ------------------------------------------------------------------------

    def add_schools(self, specs: int | Sequence[Mapping[str, Any]]) -> None:
        if isinstance(specs, int):
            specs = self._invent_schools(specs)
        for index, spec in enumerate(specs):
            joined = dt.date.fromisoformat(spec.get("joined") or self.first.isoformat())
            staff = spec.get("staff") or self.rng.randint(*_STAFF_RANGE[spec["phase"]])
            pupils = spec.get("size") or self.rng.randint(*_PUPILS[spec["phase"]])
            self.schools.append(
                _School(
                    sid=spec.get("school_id") or f"S{index + 1:03d}",
                    name=spec["name"],
                    urn=str(spec["urn"]),
                    phase=spec["phase"],
                    local_authority=spec.get("local_authority", ""),
                    lat=float(spec["lat"]),
                    lon=float(spec["lon"]),
                    joined=max(joined, self.first),
                    staff_size=max(6, round(staff * self.staff_scale)),
                    pupils=int(pupils),
                    cluster=index // 10,
                )
            )
        for school in self.schools:
            self._staff(school)
        self._leavers()

    def _invent_schools(self, count: int) -> list[dict[str, Any]]:
        rng = self.rng
        urns = rng.sample(range(100000, 160000), count)
        joins = [self.first] * 17 + [t.first for t in self.terms[1:]]
        used: set[str] = set()
        specs = []
        for index in range(count):
            la, lat, lon = LOCAL_AUTHORITIES[(index // 16) % len(LOCAL_AUTHORITIES)]
            phase = rng.choices(list(_PHASE_MIX), list(_PHASE_MIX.values()))[0]
            if index % 10 == 0:
                phase = "primary"  # every cluster starts from a founding primary school
            for attempt in range(500):
                name = rng.choice(SCHOOL_NAMES[phase]).format(
                    p=rng.choice(PLACES), s=rng.choice(SAINTS)
                )
                if attempt >= 100:
                    name = f"{rng.choice(('North', 'South', 'East', 'West'))} {name}"
                if name not in used:
                    break
            used.add(name)
            specs.append(
                {
                    "name": name,
                    "urn": urns[index],
                    "phase": phase,
                    "local_authority": la,
                    "lat": round(lat + rng.uniform(-0.04, 0.04), 4),
                    "lon": round(lon + rng.uniform(-0.06, 0.06), 4),
                    "joined": (self.first if index % 10 == 0 else rng.choice(joins)).isoformat(),
                }
            )
        return specs

    def _staff(self, school: _School) -> None:
        rng = self.rng
        size = school.staff_size
        if "Academy" in school.name:
            head, deputy, assistant = "Principal", "Vice principal", "Assistant principal"
        else:
            head, deputy, assistant = "Headteacher", "Deputy headteacher", "Assistant headteacher"
        seniors = [head, deputy]
        if school.phase in {"secondary", "all_through"}:
            seniors += [deputy] + [assistant] * max(2, size // 25)
        elif size >= 14:
            seniors += [assistant] * max(1, size // 30)
        large = school.phase in {"secondary", "all_through"}
        support = max(2, round(size * (0.3 if large else 0.4)))
        teachers = max(2, size - len(seniors) - support)
        titles = (
            [("senior", t) for t in seniors]
            + [("teacher", t) for t in self._titles(_TEACHERS[school.phase], teachers, 0.4)]
            + [("support", t) for t in self._titles(_SUPPORT[school.phase], support, 0.25)]
        )
        for n, (layer, title) in enumerate(titles):
            start = min(dt.date(rng.randint(2009 if n == 0 else 1998, self.first.year), 9, 1),
                        self.first)  # fmt: skip
            if n > 0 and rng.random() < 0.04 and len(self.terms) > 1:
                start = self.terms[1].first  # joined the school in January
            person = _Person(f"{school.sid}-{n + 1:03d}", self.person_name(), school, layer,
                             title, start)  # fmt: skip
            school.staff.append(person)
            self.people.append(person)

    def _titles(self, bank: tuple[str, str], count: int, posts_share: float) -> list[str]:
        posts, ordinary = _words(bank[0]), _words(bank[1])
        held = list(posts[: max(1, min(len(posts), round(count * posts_share)))])
        titles = held + [self.rng.choice(ordinary) for _ in range(count - len(held))]
        self.rng.shuffle(titles)
        return titles[:count]

    def _leavers(self) -> None:
        """About one in two hundred staff leaves during the year (history is kept, not erased)."""
        pool = [p for p in self.people if p.layer == "support" and p.start <= self.first]
        for person in self.rng.sample(pool, min(len(pool), max(1, len(self.people) // 200))):
            person.involved = False
            person.left = self.rng.choice(self.terms).last

    def network_rows(self) -> None:
        rows = self.rows
        rows["network.csv"].append(
            (self.name, "learning_network", _iso(self.first), ";".join(self.priorities))
        )
        rows["funding.csv"].append(
            (self.rng.choice(FUNDING_SOURCES), _iso(self.first), _iso(self.last))
        )
        for s in self.schools:
            rows["schools.csv"].append(
                (s.sid, s.name, s.urn, s.phase, s.local_authority, s.lat, s.lon, _iso(s.joined),
                 "", s.pupils)
            )  # fmt: skip
        for p in self.people:
            rows["people.csv"].append(
                (p.pid, p.name, p.school.sid, p.layer, p.title, "yes" if p.promoted else "no",
                 _iso(p.start), _iso(p.left))
            )  # fmt: skip

    # roles ----------------------------------------------------------------------------------------

    def role(
        self,
        person: _Person,
        title: str,
        first: dt.date,
        *,
        last: dt.date | None = None,
        by: _Person | None = None,
        origin: str = "design",
        note: str = "",
    ) -> None:
        """Record a role; designated by ``by`` (by design) unless the holder took it up."""
        first = max(first, person.start, person.school.joined)
        if (person.pid, title) in self.role_holders or not person.involved:
            return
        if last is not None and last < first:
            return
        self.role_holders[(person.pid, title)] = person
        person.network_role = True
        designated = by.pid if by is not None and by is not person else ""
        if not designated and origin == "design":
            origin = "default"
        self.rows["roles.csv"].append(
            (person.pid, title, _iso(first), _iso(last), designated, origin, note)
        )

    def roles(self) -> None:
        """Heads name each school's link and lead learner; clusters have strand leaders."""
        rng = self.rng
        lead = self.schools[0]
        deputies = [p for p in lead.staff[1:] if p.layer == "senior"]
        self.role(deputies[0] if deputies else lead.head, "coordinator", self.first, by=lead.head)
        for school in self.schools:
            head = school.head
            seniors = [p for p in school.staff[1:] if p.layer == "senior" and p.involved]
            teachers = [p for p in school.staff if p.layer == "teacher" and p.involved]
            support = [p for p in school.staff if p.layer == "support" and p.involved]
            link = rng.choice(seniors) if seniors and rng.random() < 0.7 else head
            if len(self.terms) > 2 and school.joined < self.terms[1].first and rng.random() < 0.15:
                # The link changed hands at Easter: the period is closed, not overwritten.
                self.role(link, "school_link", school.joined, last=self.terms[1].last, by=head)
                self.role(rng.choice(teachers), "school_link", self.terms[2].first, by=head)
            else:
                self.role(link, "school_link", school.joined, by=head)
            self.role(rng.choice(teachers), "lead_learner", school.joined, by=head)
            if support and rng.random() < 0.3:
                self.role(rng.choice(support), "Family learning champion", school.joined, by=head)
        autumn = self.terms[0]
        for cluster in self.clusters():
            staff = [p for s in cluster for p in s.staff if p.involved]
            for _ in self.priorities:
                holder = self.pick(staff, {"senior": 2, "teacher": 3})
                self.role(holder, "strand_leader", self.first, by=holder.school.head)
            for _ in range(max(1, len(cluster) // 4)):
                advocate = self.pick(staff, {"teacher": 4, "support": 1, "senior": 1})
                self.role(advocate, "enquiry_advocate", self.rng.choice(self.term_days(
                    autumn.first, autumn.last)), origin="default")  # fmt: skip
            if rng.random() < 0.5:
                self.role(self.pick(staff, {"teacher": 1}), "Research champion",
                          self.first + dt.timedelta(days=40), origin="default")  # fmt: skip
            if len(self.terms) > 1:
                # The forum chair fell ill and a senior colleague stepped in for a term:
                # leadership by desperation, in Harris's phrase.
                term = self.terms[1]
                there = [p for p in staff if p.active(term.first)] or staff
                self.role(self.pick(there, {"senior": 1}), "Forum chair (interim)", term.first,
                          last=term.last, origin="desperation",
                          note="The forum chair went on long-term sick leave")  # fmt: skip

    # enquiry groups ---------------------------------------------------------------------------

    def groups(self) -> None:
        used: dict[str, int] = {}
        number = 0
        for cluster in self.clusters():
            for n in range(max(2, self.scaled(len(cluster) * 0.5))):
                number += 1
                aligned = n % 5 != 4 and bool(self.priorities)
                priority = self.priorities[n % len(self.priorities)] if aligned else ""
                self._group(f"G{number:03d}", cluster, priority, used)

    def _question(self, priority: str, used: dict[str, int]) -> str:
        if not priority:
            bank = UNALIGNED_QUESTIONS
        elif priority in PRIORITY_BANK:
            bank = PRIORITY_BANK[priority][1]
        else:
            theme = self.theme(priority)
            bank = (
                f"What does {theme} look like in our classrooms?",
                f"How do pupils experience {theme}?",
                f"Which small change in {theme} makes the biggest difference?",
            )
        question = self.rng.choice(bank)
        used[question] = used.get(question, 0) + 1
        return question if used[question] == 1 else f"{question} (cohort {used[question]})"

    def _group(self, gid: str, cluster: list[_School], priority: str, used: dict[str, int]) -> None:
        rng = self.rng
        t = self.terms[0 if rng.random() < 0.7 or len(self.terms) == 1 else 1]
        started = self.day(t.first, t.first + dt.timedelta(days=28)) or t.first
        start_term = self.terms.index(t)
        ended = None
        if len(self.terms) - start_term > 2 and rng.random() < 0.3:
            ended = self.terms[start_term + 1].last
        end = ended or self.last
        levels = ["pupil"] if rng.random() < 0.8 else []
        levels.append("adult")
        levels += [lv for lv, p in (("school_to_school", 0.4), ("leadership", 0.15))
                   if rng.random() < p]  # fmt: skip
        origin = rng.choices(("design", "default", "desperation"), (6, 3, 1))[0]
        note = rng.choice(ORIGIN_NOTES[origin]) if origin != "design" else ""
        self.rows["groups.csv"].append(
            (gid, self._question(priority, used), priority, _iso(started), _iso(ended),
             ";".join(levels), origin, note)
        )  # fmt: skip

        chosen = rng.sample(cluster, min(len(cluster), rng.randint(3, 6)))
        others = [s for s in self.schools if s.cluster != cluster[0].cluster]
        if others and rng.random() < 0.2:
            chosen.append(rng.choice(others))
        members: list[tuple[_Person, dt.date, dt.date | None]] = []
        seen: set[str] = set()
        for i, school in enumerate(chosen):
            staff = [p for p in school.staff if p.involved]
            for n in range(rng.randint(1, 3)):
                lead = i < 2 and n == 0  # two leads, from two schools
                weights = {"teacher": 5, "senior": 2, "support": 1} if lead else {
                    "teacher": 7, "support": 2, "senior": 1}  # fmt: skip
                person = self.pick(staff, weights)
                joined = max(started, person.start, school.joined)
                if person.pid in seen or joined > end:
                    continue
                seen.add(person.pid)
                left = ended
                if rng.random() < 0.08 and (end - joined).days > 60:
                    left = self.day(joined + dt.timedelta(days=30), end) or ended
                members.append((person, joined, left))
                self.rows["group_members.csv"].append(
                    (gid, person.pid, "lead" if lead else "member", _iso(joined), _iso(left))
                )
        self.context([m[0] for m in members])
        self.group_schools.append((gid, {m[0].school.sid for m in members}, started))

        pool = [p for s in chosen for p in s.staff if p.involved and p.pid not in seen]
        dates: list[dt.date] = []
        for term in self.terms:
            lo, hi = max(term.first, started), min(term.last, end)
            if lo <= hi:
                dates += self.days_in(lo, hi, max(1, self.scaled(2)))
        for day in dates:
            present = [
                p.pid
                for p, joined, left in members
                if joined <= day and (left is None or day <= left) and rng.random() < 0.8
            ]
            if pool and rng.random() < 0.25:
                guest = rng.choice(pool)  # a colleague from a member school came along
                if guest.active(day):
                    present.append(guest.pid)
            if present:
                note = rng.choice(SESSION_NOTES) if rng.random() < 0.3 else ""
                self.rows["group_sessions.csv"].append((gid, _iso(day), ";".join(present), note))
        if dates and rng.random() < 0.55:
            kinds = rng.sample(list(OUTCOME_TEXT), rng.randint(1, 2))
            days = self.days_in(dates[0] + dt.timedelta(days=14), end, len(kinds))
            for kind, day in zip(kinds, days, strict=False):
                text = rng.choice(OUTCOME_TEXT[kind]).format(
                    theme=self.theme(priority), school=rng.choice(chosen).name
                )
                self.rows["outcomes.csv"].append((gid, _iso(day), kind, text))

    # co-coaching and the training cascade ---------------------------------------------------------

    def coaching(self) -> list[_Training]:
        """Per cluster one or two practices: two trained per school, who then coach at home."""
        rng = self.rng
        trainings: list[_Training] = []
        pair_no = 0
        for k, cluster in enumerate(self.clusters()):
            practices = [PRACTICES[k % len(PRACTICES)]]
            if len(cluster) >= 4 and rng.random() < 0.6:
                practices.append(PRACTICES[(k + 1) % len(PRACTICES)])
            for number, practice in enumerate(practices):
                schools = cluster if number == 0 else rng.sample(cluster, len(cluster) // 2)
                host = ([s for s in schools if s.joined == self.first] or schools)[0]
                candidates = [
                    p
                    for p in host.staff
                    if p.active(self.first) and (p.pid, "programme_leader") not in self.role_holders
                ]
                trainer = self.pick(candidates, {"senior": 1, "teacher": 2})  # fmt: skip
                self.role(trainer, "programme_leader", self.first, by=host.head)
                # Schools are trained in the first term they belong to the network.
                by_term: dict[int, list[_School]] = {}
                for school in schools:
                    term = next(
                        (i for i, t in enumerate(self.terms) if school.joined <= t.last), None
                    )
                    if term is not None:
                        by_term.setdefault(term, []).append(school)
                coaches: list[_Person] = []
                trained_on: dict[str, dt.date] = {}
                for term_index in sorted(by_term):
                    t = self.terms[term_index]
                    day = self.day(t.first + dt.timedelta(days=7), t.first + dt.timedelta(days=35))
                    if day is None:
                        continue
                    trained: list[_Person] = []
                    for school in by_term[term_index]:
                        staff = [p for p in school.staff if p.active(day) and p is not trainer]
                        teachers = [p for p in staff if p.layer == "teacher"] or staff
                        for person in rng.sample(teachers, min(2, len(teachers))):
                            self.rows["trained.csv"].append(
                                (trainer.pid, person.pid, practice, _iso(day))
                            )
                            self.role(person, "co_coach", day, by=school.head)
                            trained_on[person.pid] = day
                            trained.append(person)
                    trainings.append((practice, day, host, trainer, trained))
                    self.context([trainer, *trained])
                    coaches += trained
                pair_no = self._pairs(practice, coaches, trained_on, pair_no)
        return trainings

    def _pairs(
        self, practice: str, coaches: list[_Person], trained_on: dict[str, dt.date], pair_no: int
    ) -> int:
        rng = self.rng
        pairs: list[tuple[_Person, _Person, dt.date]] = []
        # Across schools: each school's first coach with the next school's, round the ring.
        firsts = coaches[::2]
        partners = firsts[1:] + firsts[:1] if len(firsts) > 2 else firsts[1:]
        for a, b in zip(firsts, partners, strict=False):
            if a.school is not b.school:
                pairs.append((a, b, max(trained_on[a.pid], trained_on[b.pid])))
        # At home: every coach trains, then coaches, one or two colleagues.
        for coach in coaches:
            lo = trained_on[coach.pid] + dt.timedelta(days=21)
            day = self.day(lo, min(lo + dt.timedelta(days=50), self.last - dt.timedelta(days=30)))
            if day is None:
                continue
            colleagues = [p for p in coach.school.staff if p.active(day) and p.layer != "senior"
                          and p.pid not in trained_on]  # fmt: skip
            for colleague in rng.sample(colleagues, min(len(colleagues), rng.randint(1, 2))):
                trained_on[colleague.pid] = day
                self.rows["trained.csv"].append((coach.pid, colleague.pid, practice, _iso(day)))
                pairs.append((coach, colleague, day))
        for a, b, after in pairs:
            pair_no += 1
            pid = f"CP{pair_no:04d}"
            started = self.day(after, after + dt.timedelta(days=14)) or after
            ended = None
            if rng.random() < 0.3 and (self.last - started).days > 120:
                ended = self.day(started + dt.timedelta(days=90), self.last)
            self.rows["coaching.csv"].append(
                (pid, a.pid, b.pid, practice, _iso(started), _iso(ended))
            )
            self.context([a, b])
            for term in self.terms:
                lo, hi = max(term.first, started), min(term.last, ended or self.last)
                if lo <= hi:
                    for day in self.days_in(lo, hi, self.scaled(3)):
                        self.rows["coaching_sessions.csv"].append((pid, _iso(day)))
        return pair_no

    # activities ---------------------------------------------------------------------------------

    def activities(self, trainings: list[_Training]) -> None:
        rng = self.rng
        planned = [
            _Activity("training", day, host, f"{practice}: level 1 training", "adult",
                      [trainer, *trained])
            for practice, day, host, trainer, trained in trainings
        ]  # fmt: skip
        coordinators = [p for (_, title), p in self.role_holders.items() if title == "coordinator"]
        for cluster in self.clusters():
            hosted = dict.fromkeys((s.sid for s in cluster), 0)
            for term in self.terms:
                members = self.joined(cluster, term.first) or cluster[:1]
                for _ in range(max(1, self.scaled(1))):
                    # The learning forum, hosted by each school in turn.
                    host = min(members, key=lambda s: hosted[s.sid])
                    hosted[host.sid] += 1
                    day = self.day(term.first + dt.timedelta(days=21), term.last) or term.last
                    theme = self.theme(rng.choice(self.priorities)) if self.priorities else ""
                    planned.append(
                        self._decide(
                            _Activity("learning_forum", day, host,
                                      f"{term.name} learning forum: {theme}",
                                      "adult;leadership;school_to_school",
                                      self._attendees(members, day, 2, 4),
                                      outcome=rng.choice(FORUM_OUTCOMES)),
                            members,
                        )
                    )  # fmt: skip
                middle = term.first + (term.last - term.first) / 2
                for lo, hi in ((term.first, middle), (middle, term.last)):
                    # Heads meet twice a term.
                    day = self.day(lo, hi) or lo
                    host = rng.choice(members)
                    heads = [s.head for s in members] + coordinators
                    planned.append(
                        self._decide(
                            _Activity("meeting", day, host, f"Heads' network meeting ({term.name})",
                                      "leadership;organisational", heads),
                            members,
                        )
                    )  # fmt: skip
                for _ in range(self.scaled(len(members) * 0.5) if len(members) > 1 else 0):
                    visitor, host = rng.sample(members, 2)
                    day = self.day(term.first, term.last) or term.first
                    people = self._attendees([visitor], day, 2, 5)
                    people += self._attendees([host], day, 1, 2)
                    planned.append(
                        _Activity("visit", day, host,
                                  f"Visit to {host.name}: {rng.choice(VISIT_FOCUS)}",
                                  "adult;school_to_school", people,
                                  outcome=rng.choice(VISIT_OUTCOMES))
                    )  # fmt: skip
                for _ in range(self.scaled(max(1.0, len(members) / 5))):
                    host = rng.choice(members)
                    day = self.day(term.first, term.last) or term.first
                    people = self._attendees(rng.sample(members, min(len(members), 6)), day, 1, 4)
                    levels = "adult;pupil" if rng.random() < 0.5 else "adult"
                    planned.append(
                        _Activity("workshop", day, host, rng.choice(WORKSHOPS), levels, people)
                    )
        planned.sort(key=lambda a: (a.day, a.kind, a.host.sid, a.title))
        for number, a in enumerate(planned, start=1):
            aid = f"A{number:05d}"
            self.rows["activities.csv"].append(
                (aid, a.kind, _iso(a.day), a.host.sid, a.title, a.levels,
                 a.decided_by.sid if a.decided_by else "", a.outcome, a.decision)
            )  # fmt: skip
            attendees = [p for p in dict.fromkeys(a.people) if p.active(a.day)]
            for person in attendees:
                self.rows["attendance.csv"].append((aid, person.pid))
            if a.kind != "meeting":
                self.context(attendees)

    def _attendees(
        self, schools: Sequence[_School], day: dt.date, lo: int, hi: int
    ) -> list[_Person]:
        out: list[_Person] = []
        for school in schools:
            staff = [p for p in school.staff if p.active(day)]
            if staff:
                weights = [4 if p.network_role else 1 if p.layer == "support" else 2 for p in staff]
                out += dict.fromkeys(self.rng.choices(staff, weights, k=self.rng.randint(lo, hi)))
        return out

    def _decide(self, activity: _Activity, schools: Sequence[_School]) -> _Activity:
        """About half of forums and meetings take a decision; usually the host school's."""
        if self.rng.random() < 0.55:
            activity.decided_by = (
                activity.host if self.rng.random() < 0.6 else self.rng.choice(schools)
            )
            activity.decision = self.rng.choice(DECISIONS)
        return activity

    # knowledge transfer -------------------------------------------------------------------------

    def transfers(self) -> None:
        """Practices shared by one school and taken up by others: heard, trialled, embedded."""
        rng = self.rng
        number = 0
        cutoff = self.last - dt.timedelta(days=30)
        for cluster in self.clusters():
            for _ in range(max(1, self.scaled(len(cluster) * 0.8))):
                source = rng.choice(cluster)
                heard = self.day(source.joined, cutoff - dt.timedelta(days=60))
                targets = [s for s in self.joined(cluster, heard or cutoff) if s is not source]
                if heard is None or not targets:
                    continue
                number += 1
                kid, name = f"K{number:04d}", rng.choice(SHARED_PRACTICES)
                steps = [
                    (source, t, self.day(heard, heard + dt.timedelta(days=28)) or heard)
                    for t in rng.sample(targets, min(len(targets), rng.randint(1, 3)))
                ]
                reached = {source.sid} | {t.sid for _, t, _ in steps}
                while steps:
                    origin, target, day = steps.pop(0)
                    person, group = self._carrier(origin, target, day)
                    for stage in ("heard", "trialled", "embedded"):
                        self.rows["transfers.csv"].append(
                            (kid, name, origin.sid, target.sid, person, _iso(day), stage, group)
                        )
                        later = self.day(day + dt.timedelta(days=21), day + dt.timedelta(days=84))
                        if later is None or later > cutoff or rng.random() < 0.35:
                            break
                        if stage != "embedded":
                            day = later
                    else:
                        # Embedded, and sometimes passed on by the adopter to a further school.
                        onward = [s for s in self.joined(cluster, later) if s.sid not in reached]
                        if onward and rng.random() < 0.3:
                            nxt = rng.choice(onward)
                            reached.add(nxt.sid)
                            steps.append((target, nxt, later))

    def _carrier(self, origin: _School, target: _School, day: dt.date) -> tuple[str, str]:
        """Who carried the practice across: (person_id, group_id), at most one of them."""
        groups = [
            gid
            for gid, schools, started in self.group_schools
            if started <= day and origin.sid in schools and target.sid in schools
        ]
        if groups and self.rng.random() < 0.3:
            return "", self.rng.choice(groups)  # an enquiry group both schools belong to
        staff = [p for p in origin.staff if p.active(day)]
        if not staff or self.rng.random() < 0.1:
            return "", ""  # nobody remembers who brought it
        return self.pick(staff, {"senior": 2, "teacher": 3, "support": 1}).pid, ""

    # the advice questionnaire ---------------------------------------------------------------------

    def advice(self) -> None:
        """One questionnaire round mid-year, answered by about three in four staff."""
        rng = self.rng
        term = self.terms[len(self.terms) // 2]
        opens = self.day(term.first + dt.timedelta(days=14), term.last - dt.timedelta(days=21))
        opens = opens or term.first
        closes = opens + dt.timedelta(days=14)
        # Advice goes up the hierarchy: heads and senior staff are over-nominated (Torrance).
        weight = {"senior": 4.0, "teacher": 1.0, "support": 0.5}
        present = {s.sid: [p for p in s.staff if p.active(closes)] for s in self.schools}
        cumulative: dict[str, list[float]] = {}
        for sid, staff in present.items():
            total, cum = 0.0, []
            for p in staff:
                total += weight[p.layer] * (3 if p is p.school.head else 1)
                cum.append(total)
            cumulative[sid] = cum
        member_schools = [s for s in self.schools if present[s.sid]]
        for person in [p for p in self.people if p.active(opens)]:
            if rng.random() > 0.75:
                continue  # did not answer
            day = self.day(opens, closes) or opens
            nominees: dict[str, _Person] = {}
            for _ in range(rng.choice((2, 3, 3, 4, 4, 5, 6, 7))):
                other = None
                if rng.random() < (0.3 if person.contexts else 0.08):
                    other = self._cross_nominee(person, present, member_schools)
                if other is None:
                    staff = present[person.school.sid]
                    other = rng.choices(staff, cum_weights=cumulative[person.school.sid])[0]
                if other is not person and other.active(day):
                    nominees.setdefault(other.pid, other)
            for other in nominees.values():
                # Ties to colleagues down the corridor are more frequent than across schools.
                weights = (5, 4, 1, 0) if other.school is not person.school else (1, 3, 4, 3)
                frequency = rng.choices(("termly", "monthly", "weekly", "daily"), weights)[0]
                mean = 3.6 if other.layer == "senior" else 3.0
                influence = min(5, max(1, round(rng.gauss(mean, 0.9))))
                self.rows["advice.csv"].append(
                    (person.pid, other.pid, rng.choice(TOPICS), frequency, influence, _iso(day))
                )
            if person.layer == "senior" or (person.promoted and rng.random() < 0.7):
                in_school = "yes"
            else:
                in_school = rng.choices(("no", "unsure", "yes"), (6, 3, 1))[0]
            if person.network_role:
                in_network = rng.choices(("yes", "unsure", "no"), (6, 3, 1))[0]
            else:
                in_network = rng.choices(("no", "unsure", "yes"), (7, 2, 1))[0]
            involved = person.network_role or len(person.contexts) > 1
            trust = min(5, max(1, round(rng.gauss(3.9 if involved else 3.3, 0.8))))
            levels = [
                level
                for level, takes_part in (
                    ("pupil", person.layer != "senior" or rng.random() < 0.5),
                    ("adult", bool(person.contexts) or rng.random() < 0.5),
                    ("leadership", person.layer == "senior" or person.network_role),
                    ("organisational", person.layer == "senior" and rng.random() < 0.6),
                    ("school_to_school", involved),
                )
                if takes_part
            ]
            self.rows["responses.csv"].append(
                (person.pid, _iso(day), in_school, in_network, trust, ";".join(levels))
            )

    def _cross_nominee(
        self, person: _Person, present: Mapping[str, list[_Person]], schools: Sequence[_School]
    ) -> _Person | None:
        """Someone from another school: usually a person met in the network's activity."""
        if person.contexts and self.rng.random() < 0.8:
            met = self.contexts[self.rng.choice(person.contexts)]
            met = [p for p in met if p.school is not person.school]
            if met:
                return self.rng.choice(met)
        staff = present[self.rng.choice(schools).sid]
        return self.pick(staff, {"senior": 4, "teacher": 1, "support": 0.3}) if staff else None


def write_package(
    folder: str | Path,
    *,
    seed: int,
    schools: int | Sequence[Mapping[str, Any]] = 10,
    staff_scale: float = 1.0,
    start: str = "2024-09-01",
    months: int = 12,
    activity_scale: float = 1.0,
    advice: bool = True,
    network_name: str | None = None,
    priorities: Sequence[str] | None = None,
) -> dict[str, int]:
    """Write every file of a network package into ``folder``; returns data rows per file.

    ``schools`` is a count (names, URNs and phases are invented) or a list of mappings with
    ``name, urn, phase, lat, lon`` and optionally ``school_id, local_authority, joined, staff``.
    ``staff_scale`` multiplies staff numbers and ``activity_scale`` the amount of activity, so
    the benchmark can ask for a large package of the same shape. Without ``advice`` the
    questionnaire files hold only their header.
    """
    if staff_scale <= 0 or activity_scale <= 0 or months < 1:
        raise ValueError("staff_scale and activity_scale must be positive, months at least 1")
    count = schools if isinstance(schools, int) else len(schools)
    if count < 2:
        raise ValueError("a network needs at least two schools")
    rng = random.Random(seed)
    first = dt.date.fromisoformat(start)
    if priorities is None:
        priorities = list(PRIORITY_BANK)[: 3 if count <= 16 else 5]
    net = _Network(
        rng,
        name=network_name or f"{rng.choice(PLACES)} Learning Network",
        priorities=priorities,
        first=first,
        last=_add_months(first, months) - dt.timedelta(days=1),
        staff_scale=staff_scale,
        activity_scale=activity_scale,
    )
    net.add_schools(schools)
    net.roles()
    net.groups()
    net.activities(net.coaching())
    net.transfers()
    if advice:
        net.advice()
    net.network_rows()

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, columns in COLUMNS.items():
        with open(out / name, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(net.rows[name])
        counts[name] = len(net.rows[name])
    return counts
