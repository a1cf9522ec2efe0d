"""Checking every row of a package before anything is written.

Each file becomes a list of plain records (typed values, the row's line number); every
problem is collected, never just the first, so a coordinator can fix a spreadsheet in one go.
The checks here need no database: references must resolve inside the package itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from tracker.packages.format import BY_NAME, LIST_SEPARATOR, ORDER, REQUIRED
from tracker.packages.reader import Package, Table
from tracker.packages.report import Problem
from tracker.services import vocab

MAX_KEY = 100
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
ANSWERS = {"yes": "Yes", "no": "No", "unsure": "Unsure"}
STAGE_ORDER = {stage: i for i, stage in enumerate(vocab.ADOPTION_STAGES)}

Record = dict[str, Any]


@dataclass
class Parsed:
    """The package as checked records, file by file (empty lists for absent files)."""

    files: list[str] = field(default_factory=list)
    columns: dict[str, set[str]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    records: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))

    def __getitem__(self, name: str) -> list[Record]:
        return self.records[name]

    def has_column(self, name: str, column: str) -> bool:
        return column in self.columns.get(name, set())


class Row:
    """One CSV row being checked; each accessor records a problem instead of raising."""

    __slots__ = ("cells", "failed", "file", "line", "problems")

    def __init__(self, file: str, line: int, cells: dict[str, str], problems: list[Problem]):
        self.file, self.line, self.cells, self.problems = file, line, cells, problems
        self.failed = False

    def bad(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.file, self.line, column, message))
        self.failed = True

    def raw(self, column: str) -> str:
        return self.cells.get(column, "")

    def text(self, column: str, *, required: bool = False, max_len: int = 200) -> str | None:
        value = self.raw(column)
        if not value:
            if required:
                self.bad(column, "is empty; it is required")
            return None
        if len(value) > max_len:
            self.bad(column, f"is {len(value)} characters long; at most {max_len} are allowed")
            return None
        return value

    def key(self, column: str, *, required: bool = True) -> str | None:
        value = self.raw(column)
        if not value:
            if required:
                self.bad(column, "is empty; every row needs its id")
            return None
        if len(value) > MAX_KEY:
            self.bad(column, f"an id may be at most {MAX_KEY} characters long")
            return None
        if LIST_SEPARATOR in value:
            self.bad(column, f"an id cannot contain “{LIST_SEPARATOR}” (it separates lists)")
            return None
        return value

    def keys(self, column: str) -> list[str]:
        out: list[str] = []
        for part in self.raw(column).split(LIST_SEPARATOR):
            part = part.strip()
            if part and part not in out:
                if len(part) > MAX_KEY:
                    self.bad(column, f"an id may be at most {MAX_KEY} characters long")
                    continue
                out.append(part)
        return out

    def date(self, column: str, *, required: bool = False) -> str | None:
        value = self.raw(column)
        if not value:
            if required:
                self.bad(column, "is empty; give a date as YYYY-MM-DD")
            return None
        problem = date_problem(value)
        if problem:
            self.bad(column, problem)
            return None
        return value

    def ordered(self, start_column: str, start: str | None, end_column: str, end: str | None):  # type: ignore[no-untyped-def]
        if start and end and end < start:
            self.bad(end_column, f"{end} is before {start_column} {start}")

    def choice(
        self, column: str, vocabulary: dict[str, str], *, required: bool = True
    ) -> str | None:
        value = self.raw(column)
        if not value:
            if required:
                self.bad(column, "is empty; choose one of: " + ", ".join(vocabulary))
            return None
        found = match_vocabulary(value, vocabulary)
        if found is None:
            self.bad(column, f"“{value}” is not one of: " + ", ".join(vocabulary))
        return found

    def choices(self, column: str, vocabulary: dict[str, str]) -> list[str]:
        out: list[str] = []
        for part in self.raw(column).split(LIST_SEPARATOR):
            part = part.strip()
            if not part:
                continue
            found = match_vocabulary(part, vocabulary)
            if found is None:
                self.bad(column, f"“{part}” is not one of: " + ", ".join(vocabulary))
            elif found not in out:
                out.append(found)
        return out

    def number(
        self, column: str, low: float, high: float, *, integer: bool = False
    ) -> int | float | None:
        value = self.raw(column)
        if not value:
            return None
        if len(value) > 30:
            self.bad(column, f"“{value[:20]}…” is too long to be a number")
            return None
        number: int | float | None = None
        if "_" not in value:
            try:
                number = int(value) if integer else float(value)
            except ValueError:
                number = None
        if number is None or (isinstance(number, float) and not math.isfinite(number)):
            kind = "a whole number" if integer else "a number"
            self.bad(column, f"“{value[:40]}” is not {kind}")
            return None
        if not low <= number <= high:
            self.bad(column, f"{value} is outside {low:g} to {high:g}")
            return None
        return number

    def yes_no(self, column: str) -> bool | None:
        value = self.raw(column).lower()
        if value in YES:
            return True
        if value in NO:
            return False
        self.bad(column, f"“{self.raw(column)}” is not yes or no")
        return None


@functools.lru_cache(maxsize=4096)
def date_problem(value: str) -> str | None:
    """What is wrong with a date cell, or None (cached: a file repeats few dates)."""
    parsed = None
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            parsed = None
    if parsed is None:
        return f"“{value}” is not a date written as YYYY-MM-DD"
    if not 1900 <= parsed.year <= 2100:
        return f"{value} is not a plausible date (years 1900 to 2100)"
    return None


def match_vocabulary(value: str, vocabulary: dict[str, str]) -> str | None:
    """The key for ``value`` given as a key or a label, in any case, spaces or hyphens."""
    if value in vocabulary:
        return value

    def norm(text: str) -> str:
        return text.strip().lower().replace("-", "_").replace(" ", "_")

    wanted = norm(value)
    for key, label in vocabulary.items():
        if wanted in (key, norm(label)):
            return key
    return None


class Checker:
    def __init__(self, package: Package):
        self.package = package
        self.problems: list[Problem] = list(package.problems)
        self.parsed = Parsed()
        # ids seen per file: id -> line (None for a file that is absent or unreadable).
        self.ids: dict[str, dict[str, int] | None] = {}
        self.unreadable: set[str] = set()

    def rows(self, name: str) -> list[Row]:
        table: Table | None = self.package.tables.get(name)
        if table is None:
            return []
        return [Row(name, line, cells, self.problems) for line, cells in table.rows]

    def unique(self, row: Row, column: str, value: str | None, seen: dict[Any, int]) -> None:
        if value is None:
            return
        if value in seen:
            row.bad(column, f"“{value}” is already used on line {seen[value]}")
        else:
            seen[value] = row.line

    def duplicate(
        self, row: Row, identity: tuple[Any, ...], seen: dict[Any, int], what: str
    ) -> bool:
        """True (and a problem) when another row already describes the same thing."""
        if None in identity:
            return False
        if identity in seen:
            row.bad("-", f"{what} is already given on line {seen[identity]}")
            return True
        seen[identity] = row.line
        return False

    def ref(self, row: Row, column: str, value: str | None, target: str, what: str) -> None:
        known = self.ids.get(target)
        if value is None or known is None:
            return  # a missing value was reported already; an absent file is reported once
        if value not in known:
            where = target if target in self.package.tables else f"{target} (not in the package)"
            row.bad(column, f"no {what} with id “{value}” in {where}")

    # -- files ---------------------------------------------------------------------------

    def run(self) -> tuple[Parsed, list[Problem]]:
        parsed = self.parsed
        tables = self.package.tables
        if self.package.refused:
            return parsed, self.problems
        self.unreadable = {PurePosixPath(p.file).name.lower() for p in self.package.problems}
        for name in REQUIRED:
            if name not in tables and name not in self.unreadable:
                self.problems.append(Problem(name, 0, "-", "required file is missing"))
        parsed.files = sorted(tables, key=lambda n: ORDER[n])
        for name in parsed.files:
            parsed.columns[name] = set(tables[name].columns)
            parsed.rows[name] = len(tables[name].rows)
        self.network()
        self.funding()
        self.schools()
        self.people()
        self.roles()
        self.groups()
        self.group_members()
        self.group_sessions()
        self.outcomes()
        self.coaching()
        self.coaching_sessions()
        self.trained()
        self.activities()
        self.attendance()
        self.transfers()
        self.advice()
        self.responses()
        self.problems.sort(key=problem_order)
        return parsed, self.problems

    def _ids(self, name: str) -> dict[str, int] | None:
        """The ids a file defines, filled as it is checked. None when the file is missing or
        unreadable for a reason already reported (so its references are not all flagged)."""
        if name not in self.package.tables and (name in REQUIRED or name in self.unreadable):
            self.ids[name] = None
            return None
        self.ids[name] = {}
        return self.ids[name]

    def network(self) -> None:
        name = "network.csv"
        rows = self.rows(name)
        if name in self.package.tables and not rows:
            self.problems.append(Problem(name, 2, "-", "needs one row describing the network"))
        for index, row in enumerate(rows):
            if index > 0:
                row.bad("-", "a package describes one network: give only one row")
                continue
            title = row.text("name", required=True)
            kind = row.choice("kind", vocab.NETWORK_KINDS)
            started = row.date("started", required=True)
            priorities = [p.strip() for p in row.raw("priorities").split(LIST_SEPARATOR)]
            priorities = [p for p in priorities if p]
            if any(len(p) > 300 for p in priorities):
                row.bad("priorities", "each priority may be at most 300 characters long")
            self.parsed[name].append(
                {
                    "line": row.line,
                    "props": {
                        "name": title,
                        "kind": kind,
                        "started": started,
                        "priorities": priorities,
                    },
                }
            )

    def funding(self) -> None:
        name = "funding.csv"
        seen: dict[Any, int] = {}
        for row in self.rows(name):
            source = row.text("source", required=True)
            started = row.date("started", required=True)
            ended = row.date("ended")
            row.ordered("started", started, "ended", ended)
            self.duplicate(
                row, (source, started), seen, "a funding period with this source and start"
            )
            self.parsed[name].append(
                {"line": row.line, "source": source, "started": started, "ended": ended}
            )

    def schools(self) -> None:
        name = "schools.csv"
        ids = self._ids(name)
        urns: dict[Any, int] = {}
        sized = name in self.package.tables and "size" in self.package.tables[name].columns
        for row in self.rows(name):
            key = row.key("school_id")
            self.unique(row, "school_id", key, ids if ids is not None else {})
            urn = row.text("urn", required=True, max_len=20)
            if urn and not urn.replace("-", "").isalnum():
                row.bad("urn", "a URN is letters, digits and hyphens only")
            self.unique(row, "urn", urn, urns)
            lat = row.number("lat", -90, 90)
            lon = row.number("lon", -180, 180)
            if (row.raw("lat") == "") != (row.raw("lon") == ""):
                missing = "lon" if row.raw("lon") == "" else "lat"
                row.bad(missing, "is empty; give both lat and lon, or neither")
            props: Record = {
                "name": row.text("name", required=True),
                "urn": urn,
                "phase": row.choice("phase", vocab.PHASES),
                "local_authority": row.text("local_authority", max_len=120) or "",
                "lat": lat,
                "lon": lon,
            }
            if sized:
                props["size"] = row.number("size", 0, 100_000, integer=True)
            joined = row.date("joined", required=True)
            left = row.date("left")
            row.ordered("joined", joined, "left", left)
            self.parsed[name].append(
                {"line": row.line, "key": key, "props": props, "joined": joined, "left": left}
            )

    def people(self) -> None:
        name = "people.csv"
        ids = self._ids(name)
        for row in self.rows(name):
            key = row.key("person_id")
            self.unique(row, "person_id", key, ids if ids is not None else {})
            layer = row.choice("layer", vocab.LAYERS)
            school = row.key("school_id", required=False)
            self.ref(row, "school_id", school, "schools.csv", "school")
            if school is None and layer in vocab.STAFF_LAYERS:
                row.bad("school_id", f"is empty; {layer} staff need the school they work at")
            start = row.date("from", required=school is not None)
            end = row.date("to")
            row.ordered("from", start, "to", end)
            props = {
                "name": row.text("name", required=True),
                "layer": layer,
                "job_title": row.text("job_title", max_len=120) or "",
                "promoted": row.yes_no("promoted"),
            }
            self.parsed[name].append(
                {
                    "line": row.line,
                    "key": key,
                    "props": props,
                    "school": school,
                    "from": start,
                    "to": end,
                }
            )

    def roles(self) -> None:
        name = "roles.csv"
        seen: dict[Any, int] = {}
        origins = self.parsed.has_column(name, "origin")
        notes = self.parsed.has_column(name, "origin_note")
        for row in self.rows(name):
            person = row.key("person_id")
            self.ref(row, "person_id", person, "people.csv", "person")
            title = row.text("role", required=True, max_len=80)
            if title is not None:
                title = match_vocabulary(title, vocab.ROLE_TITLES) or title
            start = row.date("from", required=True)
            end = row.date("to")
            row.ordered("from", start, "to", end)
            designated_by = row.key("designated_by", required=False)
            self.ref(row, "designated_by", designated_by, "people.csv", "person")
            props: Record = {"title": title, "from": start, "to": end}
            if origins:
                props["origin"] = row.choice("origin", vocab.ORIGINS, required=False)
            if notes:
                props["origin_note"] = row.text("origin_note", max_len=2000)
            self.duplicate(
                row, (person, title, start), seen, "this role for this person from this date"
            )
            self.parsed[name].append(
                {"line": row.line, "person": person, "designated_by": designated_by, "props": props}
            )

    def groups(self) -> None:
        name = "groups.csv"
        ids = self._ids(name)
        origins = self.parsed.has_column(name, "origin")
        notes = self.parsed.has_column(name, "origin_note")
        for row in self.rows(name):
            key = row.key("group_id")
            self.unique(row, "group_id", key, ids if ids is not None else {})
            started = row.date("started", required=True)
            ended = row.date("ended")
            row.ordered("started", started, "ended", ended)
            props: Record = {
                "question": row.text("question", required=True, max_len=500),
                "priority": row.text("priority", max_len=300),
                "started": started,
                "ended": ended,
                "levels": row.choices("levels", vocab.LEVELS),
            }
            if origins:
                props["origin"] = row.choice("origin", vocab.ORIGINS, required=False)
            if notes:
                props["origin_note"] = row.text("origin_note", max_len=2000)
            self.parsed[name].append({"line": row.line, "key": key, "props": props})

    def group_members(self) -> None:
        name = "group_members.csv"
        seen: dict[Any, int] = {}
        for row in self.rows(name):
            group = row.key("group_id")
            self.ref(row, "group_id", group, "groups.csv", "group")
            person = row.key("person_id")
            self.ref(row, "person_id", person, "people.csv", "person")
            role = row.choice("role", vocab.GROUP_ROLES, required=False) or (
                "member" if not row.raw("role") else None
            )
            start = row.date("from", required=True)
            end = row.date("to")
            row.ordered("from", start, "to", end)
            self.duplicate(
                row, (group, person, start), seen, "this person's membership from this date"
            )
            self.parsed[name].append(
                {
                    "line": row.line,
                    "group": group,
                    "person": person,
                    "from": start,
                    "props": {"role": role, "to": end},
                }
            )

    def group_sessions(self) -> None:
        name = "group_sessions.csv"
        seen: dict[Any, int] = {}
        notes = self.parsed.has_column(name, "note")
        for row in self.rows(name):
            group = row.key("group_id")
            self.ref(row, "group_id", group, "groups.csv", "group")
            date = row.date("date", required=True)
            attendees = row.keys("attendees")
            for person in attendees:
                self.ref(row, "attendees", person, "people.csv", "person")
            props: Record = {"date": date}
            if notes:
                props["note"] = row.text("note", max_len=2000)
            self.duplicate(row, (group, date), seen, "a session of this group on this date")
            self.parsed[name].append(
                {"line": row.line, "group": group, "attendees": attendees, "props": props}
            )

    def outcomes(self) -> None:
        name = "outcomes.csv"
        seen: dict[Any, int] = {}
        for row in self.rows(name):
            group = row.key("group_id")
            self.ref(row, "group_id", group, "groups.csv", "group")
            props = {
                "date": row.date("date", required=True),
                "kind": row.choice("kind", vocab.OUTCOME_KINDS),
                "description": row.text("description", required=True, max_len=2000),
            }
            identity = (group, props["date"], props["kind"], props["description"])
            self.duplicate(row, identity, seen, "the same outcome")
            self.parsed[name].append({"line": row.line, "group": group, "props": props})

    def coaching(self) -> None:
        name = "coaching.csv"
        ids = self._ids(name)
        for row in self.rows(name):
            key = row.key("pair_id")
            self.unique(row, "pair_id", key, ids if ids is not None else {})
            people = []
            for column in ("person_a", "person_b"):
                person = row.key(column)
                self.ref(row, column, person, "people.csv", "person")
                people.append(person)
            if people[0] and people[0] == people[1]:
                row.bad("person_b", "a coaching pair needs two different people")
            started = row.date("started", required=True)
            ended = row.date("ended")
            row.ordered("started", started, "ended", ended)
            props = {
                "practice": row.text("practice", required=True),
                "started": started,
                "ended": ended,
            }
            self.parsed[name].append(
                {"line": row.line, "key": key, "people": people, "props": props}
            )

    def coaching_sessions(self) -> None:
        name = "coaching_sessions.csv"
        for row in self.rows(name):
            pair = row.key("pair_id")
            self.ref(row, "pair_id", pair, "coaching.csv", "coaching pair")
            date = row.date("date", required=True)
            self.parsed[name].append({"line": row.line, "pair": pair, "date": date})

    def trained(self) -> None:
        name = "trained.csv"
        seen: dict[Any, int] = {}
        for row in self.rows(name):
            trainer = row.key("trainer_id")
            self.ref(row, "trainer_id", trainer, "people.csv", "person")
            trainee = row.key("trainee_id")
            self.ref(row, "trainee_id", trainee, "people.csv", "person")
            if trainer and trainer == trainee:
                row.bad("trainee_id", "a person cannot train themselves")
            practice = row.text("practice", required=True)
            date = row.date("date", required=True)
            self.duplicate(
                row, (trainer, trainee, practice), seen, "this training in this practice"
            )
            self.parsed[name].append(
                {
                    "line": row.line,
                    "trainer": trainer,
                    "trainee": trainee,
                    "practice": practice,
                    "props": {"practice": practice, "date": date},
                }
            )

    def activities(self) -> None:
        name = "activities.csv"
        ids = self._ids(name)
        decisions = self.parsed.has_column(name, "decision")
        for row in self.rows(name):
            key = row.key("activity_id")
            self.unique(row, "activity_id", key, ids if ids is not None else {})
            host = row.key("host_school_id", required=False)
            self.ref(row, "host_school_id", host, "schools.csv", "school")
            decider = row.key("decided_by_school_id", required=False)
            self.ref(row, "decided_by_school_id", decider, "schools.csv", "school")
            props: Record = {
                "kind": row.choice("kind", vocab.ACTIVITY_KINDS),
                "date": row.date("date", required=True),
                "title": row.text("title"),
                "levels": row.choices("levels", vocab.LEVELS),
                "outcome": row.text("outcome", max_len=2000),
            }
            if decisions:
                props["decision"] = row.text("decision", max_len=2000)
            self.parsed[name].append(
                {"line": row.line, "key": key, "host": host, "decider": decider, "props": props}
            )

    def attendance(self) -> None:
        name = "attendance.csv"
        seen: dict[Any, int] = {}
        for row in self.rows(name):
            activity = row.key("activity_id")
            self.ref(row, "activity_id", activity, "activities.csv", "activity")
            person = row.key("person_id")
            self.ref(row, "person_id", person, "people.csv", "person")
            self.duplicate(row, (activity, person), seen, "this person's attendance")
            self.parsed[name].append({"line": row.line, "activity": activity, "person": person})

    def transfers(self) -> None:
        name = "transfers.csv"
        seen: dict[Any, int] = {}
        names: dict[str, tuple[str, int]] = {}
        steps: dict[tuple[str, str], list[tuple[int, str, str, Row]]] = defaultdict(list)
        group_carriers = self.parsed.has_column(name, "carrier_group_id")
        for row in self.rows(name):
            practice_id = row.key("practice_id")
            practice = row.text("practice", required=True)
            if practice_id and practice:
                first = names.setdefault(practice_id, (practice, row.line))
                if first[0] != practice:
                    row.bad(
                        "practice",
                        f"practice_id “{practice_id}” is called “{first[0]}” on line {first[1]}",
                    )
            source = row.key("from_school_id")
            self.ref(row, "from_school_id", source, "schools.csv", "school")
            target = row.key("to_school_id")
            self.ref(row, "to_school_id", target, "schools.csv", "school")
            if source and source == target:
                row.bad("to_school_id", "a school cannot adopt a practice from itself")
            carrier = row.key("carrier_person_id", required=False)
            self.ref(row, "carrier_person_id", carrier, "people.csv", "person")
            carrier_group = None
            if group_carriers:
                carrier_group = row.key("carrier_group_id", required=False)
                self.ref(row, "carrier_group_id", carrier_group, "groups.csv", "group")
                if carrier and carrier_group:
                    row.bad(
                        "carrier_group_id", "give a carrier person or a carrier group, not both"
                    )
            date = row.date("date", required=True)
            stage = row.choice("stage", vocab.ADOPTION_STAGES)
            self.duplicate(row, (practice_id, target, stage), seen, "this adoption stage")
            if practice_id and target and stage and date:
                steps[(practice_id, target)].append((STAGE_ORDER[stage], stage, date, row))
            self.parsed[name].append(
                {
                    "line": row.line,
                    "practice_id": practice_id,
                    "practice": practice,
                    "source": source,
                    "target": target,
                    "carrier": carrier,
                    "carrier_group": carrier_group,
                    "date": date,
                    "stage": stage,
                }
            )
        for chain in steps.values():
            chain.sort(key=lambda step: step[0])
            for earlier, later in itertools.pairwise(chain):
                if later[2] < earlier[2]:
                    later[3].bad(
                        "date",
                        f"{later[1]} on {later[2]} is before {earlier[1]} on {earlier[2]} "
                        f"(line {earlier[3].line})",
                    )

    def advice(self) -> None:
        name = "advice.csv"
        seen: dict[Any, int] = {}
        for row in self.rows(name):
            source = row.key("respondent_id")
            self.ref(row, "respondent_id", source, "people.csv", "person")
            target = row.key("nominee_id")
            self.ref(row, "nominee_id", target, "people.csv", "person")
            if source and source == target:
                row.bad("nominee_id", "a respondent cannot nominate themselves")
            topic = row.text("topic", required=True, max_len=80)
            date = row.date("date", required=True)
            props = {
                "frequency": row.choice("frequency", vocab.FREQUENCIES, required=False),
                "influence": row.number("influence", 1, 5, integer=True),
            }
            self.duplicate(row, (source, target, topic, date), seen, "this nomination")
            self.parsed[name].append(
                {
                    "line": row.line,
                    "source": source,
                    "target": target,
                    "topic": topic,
                    "date": date,
                    "props": props,
                }
            )

    def responses(self) -> None:
        name = "responses.csv"
        seen: dict[Any, int] = {}
        levels = self.parsed.has_column(name, "levels")
        for row in self.rows(name):
            person = row.key("respondent_id")
            self.ref(row, "respondent_id", person, "people.csv", "person")
            date = row.date("date", required=True)
            props: Record = {
                "leader_in_school": row.choice("leader_in_school", ANSWERS, required=False),
                "leader_in_network": row.choice("leader_in_network", ANSWERS, required=False),
                "trust_other_schools": row.number("trust_other_schools", 1, 5, integer=True),
            }
            if levels:
                props["levels"] = row.choices("levels", vocab.LEVELS)
            self.duplicate(row, (person, date), seen, "this person's answers on this date")
            self.parsed[name].append(
                {"line": row.line, "person": person, "date": date, "props": props}
            )


def problem_order(problem: Problem) -> tuple[int, str, int, int]:
    """Files in package order, then lines, then columns as the format lists them."""
    spec = BY_NAME.get(problem.file)
    columns = spec.all_columns if spec else ()
    column = columns.index(problem.column) if problem.column in columns else -1
    return (ORDER.get(problem.file, -1), problem.file, problem.line, column)


def check(package: Package) -> tuple[Parsed, list[Problem]]:
    """The package's records and every problem found in them."""
    return Checker(package).run()
