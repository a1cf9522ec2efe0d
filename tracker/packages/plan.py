"""Comparing a checked package with the graph: what each row creates, updates or leaves alone.

One read query per kind of record for the whole network, then pure Python. The result is a
list of write batches in dependency order (nodes before the relationships that need them);
rows that change nothing are not written at all, so re-importing a package writes nothing.
Rows the graph does not hold yet go to ``CREATE`` statements, changed ones to ``MERGE`` upserts.

The plan can hand its rows to a writer as it goes (``sink``): each kind of record is passed on
as soon as it is planned, so the store writes people while later files are still compared.
Nothing is passed on before the network and its schools have been checked, the only steps
that can refuse a package.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tracker.graph.queries import network as network_q
from tracker.graph.queries import package as q
from tracker.graph.store import GraphStore, Query
from tracker.packages import ids
from tracker.packages.format import SURVEY_PREFIX
from tracker.packages.report import Problem
from tracker.packages.validate import Parsed


@dataclass(frozen=True)
class Write:
    """One kind of write. ``needs``: labels of the nodes its statement looks up, so batches
    that make such nodes must have finished first; ``makes``: labels of nodes it may create;
    ``fallback``: for a ``CREATE`` statement, its ``MERGE`` twin taking the same rows, sent
    instead when the ``CREATE`` meets a uid that already exists (the statement then wrote
    nothing: a statement is atomic)."""

    query: Query
    needs: frozenset[str] = frozenset()
    makes: frozenset[str] = frozenset()
    fallback: Query | None = None


def _write(
    query: Query,
    needs: str = "",
    makes: str = "",
    fallback: Query | None = None,
    *,
    in_network: bool = True,
) -> Write:
    """Every write but the network's own waits for the network node: so a network that has no
    node yet holds nothing, and the plan need not look (``Planner.read``); and an import
    whose ``CREATE_NETWORK`` fails (another import created the network first) writes nothing.
    """
    labels = needs.split() + (["Network"] if in_network else [])
    return Write(query, frozenset(labels), frozenset(makes.split()), fallback)


# The order writes are sent in: what a relationship needs exists before it.
WRITES: tuple[Write, ...] = (
    _write(q.CREATE_NETWORK, makes="Network", in_network=False),
    _write(q.UPSERT_NETWORK, makes="Network", in_network=False),
    _write(q.UPSERT_SCHOOLS, makes="School"),
    _write(q.UPSERT_MEMBERSHIPS, needs="School Network"),
    _write(q.CREATE_STAFF, "Network School", "Person", q.UPSERT_STAFF),
    _write(q.CREATE_PEOPLE, "Network", "Person", q.UPSERT_PEOPLE),
    _write(q.UPSERT_PEOPLE, "Network", "Person"),
    _write(q.UPSERT_WORK, needs="Person School"),
    _write(q.CREATE_FUNDING, makes="FundingPeriod", fallback=q.UPSERT_FUNDING),
    _write(q.UPSERT_FUNDING, makes="FundingPeriod"),
    _write(q.CREATE_ROLES, "Person", "Role", q.UPSERT_ROLES),
    _write(q.UPSERT_ROLES, "Person", "Role"),
    _write(q.CREATE_GROUPS, makes="EnquiryGroup", fallback=q.UPSERT_GROUPS),
    _write(q.UPSERT_GROUPS, makes="EnquiryGroup"),
    _write(q.UPSERT_GROUP_MEMBERS, needs="Person EnquiryGroup"),
    _write(q.CREATE_SESSIONS, "EnquiryGroup", "GroupSession", q.UPSERT_SESSIONS),
    _write(q.UPSERT_SESSIONS, "EnquiryGroup", "GroupSession"),
    _write(q.CREATE_ATTEND_SESSIONS, needs="Person GroupSession"),
    _write(q.ATTEND_SESSIONS, needs="Person GroupSession"),
    _write(q.CREATE_OUTCOMES, "EnquiryGroup", "Outcome", q.UPSERT_OUTCOMES),
    _write(q.CREATE_PAIRS, makes="CoachingPair", fallback=q.UPSERT_PAIRS),
    _write(q.UPSERT_PAIRS, makes="CoachingPair"),
    _write(q.JOIN_PAIRS, needs="Person CoachingPair"),
    _write(q.LEAVE_PAIRS, needs="CoachingPair"),
    _write(q.UPSERT_TRAINED, needs="Person"),
    _write(q.CREATE_ACTIVITIES, makes="Activity", fallback=q.UPSERT_ACTIVITIES),
    _write(q.UPSERT_ACTIVITIES, makes="Activity"),
    _write(q.UNLINK_HOSTS, needs="Activity"),
    _write(q.LINK_HOSTS, needs="Activity School"),
    _write(q.UNLINK_DECIDERS, needs="Activity"),
    _write(q.LINK_DECIDERS, needs="Activity School"),
    _write(q.CREATE_ATTEND_ACTIVITIES, needs="Person Activity"),
    _write(q.ATTEND_ACTIVITIES, needs="Person Activity"),
    _write(q.CREATE_PRACTICES, makes="Practice", fallback=q.UPSERT_PRACTICES),
    _write(q.UPSERT_PRACTICES, makes="Practice"),
    _write(q.UPSERT_SHARED, needs="School Practice"),
    _write(q.UPSERT_ADOPTED, needs="Practice School"),
    _write(q.CREATE_ADVICE, needs="Person"),
    _write(q.UPSERT_ADVICE, needs="Person"),
    _write(q.CREATE_RESPONSES, makes="Response", fallback=q.UPSERT_RESPONSES),
    _write(q.UPSERT_RESPONSES, makes="Response"),
)

WRITE_NAMES = frozenset(w.query.name for w in WRITES)

# Called as sink(network_uid, write, rows) with rows that are ready to be written.
Sink = Callable[[str, Write, list[dict[str, Any]]], None]


def same(a: Any, b: Any) -> bool:
    """Equal as the package sees it: an empty cell matches a missing or empty value."""
    if a in (None, "", []) and b in (None, "", []):
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (a == b and type(a) is type(b))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return list(a) == list(b)
    return a == b


def differs(existing: dict[str, Any] | None, props: dict[str, Any]) -> bool:
    """True unless every value in ``props`` is ``same`` as the stored one."""
    if existing is None:
        return True
    for key, value in props.items():
        held = existing.get(key)
        if held is value or (type(held) is type(value) and held == value):
            continue  # the common case on a re-import, decided without calling ``same``
        if not same(held, value):
            return True
    return False


def as_date(value: Any) -> str | None:
    """A stored date or instant (epoch ms) as ``YYYY-MM-DD``."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC).date().isoformat()
    return str(value)[:10]


def match_period(
    periods: list[dict[str, Any]], start: str | None, used: set[str]
) -> dict[str, Any] | None:
    """The period a package row describes: the one starting on ``start``, else the open one."""
    for period in periods:
        if period["from"] == start and period["uid"] not in used:
            return period
    for period in periods:
        if period.get("to") is None and period["uid"] not in used:
            return period
    return None


@dataclass
class Plan:
    network_uid: str = ""
    network_name: str = ""
    network_created: bool = False
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    writes: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    problems: list[Problem] = field(default_factory=list)

    def batches(self) -> list[tuple[Write, list[dict[str, Any]]]]:
        """Every kind of write that has rows, in the order they must be sent."""
        return [(w, self.writes[w.query.name]) for w in WRITES if self.writes.get(w.query.name)]

    @property
    def total(self) -> int:
        return sum(len(rows) for rows in self.writes.values())


class Planner:
    def __init__(self, store: GraphStore, parsed: Parsed, target: dict[str, Any] | None):
        self.store = store
        self.parsed = parsed
        self.target = target
        self.plan = Plan()
        self.schools: dict[str, str] = {}  # school_id -> school uid
        self.people: dict[str, str] = {}  # person_id -> person uid
        self.groups: dict[str, str] = {}
        self.pairs: dict[str, str] = {}
        self.activities: dict[str, str] = {}
        self.sink: Sink | None = None
        self.sent: dict[str, int] = {}  # query name -> rows already handed to the sink
        self.pending = 0  # rows planned since the last flush
        self.flush_rows = 2000

    # -- helpers ---------------------------------------------------------------------------

    def count(self, file: str, status: str) -> None:
        self.plan.counts[file][status] += 1

    def status(self, file: str, created: bool, updated: bool) -> None:
        self.count(file, "created" if created else "updated" if updated else "unchanged")

    def write(self, query: Query, row: dict[str, Any]) -> None:
        self.plan.writes[query.name].append(row)
        self.pending += 1
        if self.pending >= self.flush_rows:
            self.flush()

    def flush(self) -> None:
        """Hand the rows planned since the last flush to the sink, kind by kind in order.

        Called after each step, and within a step whenever a batch's worth of rows is ready.
        A flush passes on every kind in ``WRITES`` order, and each step writes a record's
        nodes before the relationships that need them, so no row is sent before its ends.
        """
        self.pending = 0
        if self.sink is None:
            return
        for w in WRITES:
            rows = self.plan.writes.get(w.query.name)
            sent = self.sent.get(w.query.name, 0)
            if rows and len(rows) > sent:
                self.sink(self.plan.network_uid, w, rows[sent:])
                self.sent[w.query.name] = len(rows)

    def attended_uid(self, person_uid: str, target_uid: str) -> str:
        """``ids.relationship_uid(network, "ATTENDED", person, target)``, without its generic
        joining (imports make tens of thousands)."""
        return ids.uuid5(
            ids.namespace(self.plan.network_uid), f"ATTENDED/{person_uid}/{target_uid}"
        )

    def new_or_merged(self, create: Query, merge: Query) -> Query:
        """How new relationships are written: CREATE in a network this import creates (no
        other import can be writing into it: see ``q.CREATE_NETWORK``), MERGE elsewhere."""
        return create if self.plan.network_created else merge

    def read(self, query: Query) -> list[dict[str, Any]]:
        """One kind of the network's records. A network this import creates holds none yet,
        so nothing is asked (every write into it waits until the network node is written)."""
        if self.plan.network_created:
            return []
        return self.store.run(query, {"network_uid": self.plan.network_uid})

    @staticmethod
    def fresh(candidate: str, taken: set[str], *salt: str) -> str:
        """``candidate`` unless another record already holds it (then a derived one)."""
        n = 0
        uid = candidate
        while uid in taken:
            n += 1
            uid = str(uuid.uuid5(uuid.UUID(candidate), f"{'/'.join(salt)}/{n}"))
        taken.add(uid)
        return uid

    def node_uid(self, label: str, key: str, taken: set[str]) -> str:
        return self.fresh(ids.node_uid(self.plan.network_uid, label, key), taken, label, key)

    def rel_uid(self, kind: str, taken: set[str], *parts: Any) -> str:
        return self.fresh(ids.relationship_uid(self.plan.network_uid, kind, *parts), taken, kind)

    # -- the plan --------------------------------------------------------------------------

    def run(self, sink: Sink | None = None, flush_rows: int = 2000) -> Plan:
        for name in self.parsed.files:
            self.plan.counts[name] = {"created": 0, "updated": 0, "unchanged": 0}
        self.network()
        if self.plan.problems:
            return self.plan
        self.schools_()
        if self.plan.problems:
            return self.plan
        self.sink = sink  # no step after this one refuses the package: writing may start
        self.flush_rows = max(1, flush_rows)
        self.flush()
        self.people_()
        self.flush()
        present = set(self.parsed.files)
        steps = [
            ("funding.csv", self.funding),
            ("roles.csv", self.roles),
            ("groups.csv", self.groups_),
            ("group_members.csv", self.group_members),
            ("group_sessions.csv", self.group_sessions),
            ("outcomes.csv", self.outcomes),
            ("coaching.csv", self.coaching),
            ("trained.csv", self.trained),
            ("activities.csv", self.activities_),
            ("attendance.csv", self.attendance),
            ("transfers.csv", self.transfers),
            ("advice.csv", self.advice),
            ("responses.csv", self.responses),
        ]
        for name, step in steps:
            if name in present:
                step()
                self.flush()
        unlisted = set(self.plan.writes) - WRITE_NAMES
        if unlisted:  # a statement missing from WRITES would never be sent
            raise RuntimeError(f"writes not in plan.WRITES: {sorted(unlisted)}")
        return self.plan

    def network(self) -> None:
        record = self.parsed["network.csv"][0]
        props = record["props"]
        existing = self.target
        if existing is None:
            rows = self.store.run(network_q.FIND_BY_NAME, {"name": props["name"]})
            existing = rows[0]["network"] if rows else None
        elif props["name"].lower() != (existing["name"] or "").lower():
            rows = self.store.run(network_q.FIND_BY_NAME, {"name": props["name"]})
            if rows and rows[0]["network"]["uid"] != existing["uid"]:
                self.plan.problems.append(
                    Problem(
                        "network.csv",
                        record["line"],
                        "name",
                        f"another network is already called “{props['name']}”",
                    )
                )
                return
        if existing is None:
            uid = ids.network_uid_for(props["name"])
            n = 0
            while self.store.run(q.TAKEN_NETWORK_UID, {"uid": uid}):
                n += 1
                uid = ids.network_uid_for(f"{props['name']}/{n}")
            self.plan.network_created = True
        else:
            uid = existing["uid"]
        self.plan.network_uid = uid
        self.plan.network_name = props["name"]
        changed = differs(existing, props)
        self.status("network.csv", existing is None, changed)
        if changed:
            query = q.CREATE_NETWORK if existing is None else q.UPSERT_NETWORK
            self.write(query, {"uid": uid, "props": props})

    def schools_(self) -> None:
        file = "schools.csv"
        records = self.parsed[file]
        in_network: dict[str, dict[str, Any]] = {}
        key_urn: dict[str, tuple[str, str]] = {}
        for row in self.read(q.SCHOOLS_IN_NETWORK):
            school = row["school"]
            entry = in_network.setdefault(school["urn"], {"school": school, "memberships": []})
            entry["memberships"].append(row["membership"])
            key = row["membership"].get("key") or school["uid"]
            key_urn[key] = (school["urn"], school["name"])
        others = [r["props"]["urn"] for r in records if r["props"]["urn"] not in in_network]
        elsewhere: dict[str, dict[str, Any]] = {}
        if others:
            for row in self.store.run(q.SCHOOLS_BY_URN, {"rows": others}):
                elsewhere.setdefault(row["school"]["urn"], row["school"])
        new_uids = [ids.school_uid_for(urn) for urn in others if urn not in elsewhere]
        taken: set[str] = set()
        if new_uids:
            taken = {r["uid"] for r in self.store.run(q.TAKEN_SCHOOL_UIDS, {"rows": new_uids})}
        for record in records:
            urn = record["props"]["urn"]
            owner = key_urn.get(record["key"])
            if owner is not None and owner[0] != urn:
                self.plan.problems.append(
                    Problem(
                        file,
                        record["line"],
                        "urn",
                        f"school_id “{record['key']}” is {owner[1]} (URN {owner[0]}) in this "
                        "network; a school's URN is changed in the web app, not by an import",
                    )
                )
                continue
            entry = in_network.get(urn)
            school = entry["school"] if entry else elsewhere.get(urn)
            if school is None:
                uid = self.fresh(ids.school_uid_for(urn), taken, "school", urn)
            else:
                uid = school["uid"]
            self.schools[record["key"]] = uid
            node_changed = differs(school, record["props"])
            if node_changed:
                self.write(q.UPSERT_SCHOOLS, {"uid": uid, "props": record["props"]})
            memberships = sorted(
                entry["memberships"] if entry else [], key=lambda m: m.get("from") or ""
            )
            membership = next(
                (m for m in memberships if m.get("from") == record["joined"]),
                memberships[-1] if memberships else None,
            )
            wanted = {"key": record["key"], "from": record["joined"], "to": record["left"]}
            if membership is None:
                m_uid = ids.relationship_uid(self.plan.network_uid, "MEMBER_OF", uid)
            else:
                m_uid = membership["uid"]
            m_changed = differs(membership, wanted)
            if m_changed:
                self.write(q.UPSERT_MEMBERSHIPS, {"uid": m_uid, "school_uid": uid, **wanted})
            self.status(file, school is None or membership is None, node_changed or m_changed)

    def people_(self) -> None:
        file = "people.csv"
        existing: dict[str, dict[str, Any]] = {}
        works: dict[str, list[dict[str, Any]]] = {}
        for person in self.read(q.PLAN_PEOPLE):
            existing[person.get("key") or person["uid"]] = person
        for w in self.read(q.PLAN_WORK):
            period = {"uid": w["uid"], "from": w["since"], "to": w["until"]}
            works.setdefault(w["person_uid"], []).append({**period, "school_uid": w["school_uid"]})
        taken = {p["uid"] for p in existing.values()}
        work_uids = {w["uid"] for ws in works.values() for w in ws}
        for record in self.parsed[file]:
            person = existing.get(record["key"])
            if person is None:
                self.new_person(record, taken, work_uids)
                continue
            uid = person["uid"]
            self.people[record["key"]] = uid
            node_changed = differs(person, record["props"])
            if node_changed:
                self.write(
                    q.UPSERT_PEOPLE, {"uid": uid, "key": record["key"], "props": record["props"]}
                )
            work_changed = False
            if record["school"] is not None:
                school_uid = self.schools.get(record["school"])
                periods = [w for w in works.get(uid, []) if w["school_uid"] == school_uid]
                period = match_period(periods, record["from"], set())
                wanted = {"from": record["from"], "to": record["to"]}
                if period is None:
                    w_uid = self.rel_uid("WORKS_AT", work_uids, uid, school_uid, record["from"])
                    work_changed = True
                    # Moving school: the open period elsewhere ends when the new one starts.
                    for other in works.get(uid, []):
                        if (
                            other.get("to") is None
                            and other["school_uid"] != school_uid
                            and (other.get("from") or "") < (record["from"] or "")
                        ):
                            self.write(
                                q.UPSERT_WORK,
                                {
                                    "uid": other["uid"],
                                    "person_uid": uid,
                                    "school_uid": other["school_uid"],
                                    "from": other.get("from"),
                                    "to": record["from"],
                                },
                            )
                else:
                    w_uid = period["uid"]
                    work_changed = differs(period, wanted)
                if work_changed:
                    self.write(
                        q.UPSERT_WORK,
                        {"uid": w_uid, "person_uid": uid, "school_uid": school_uid, **wanted},
                    )
            self.status(file, False, node_changed or work_changed)

    def new_person(self, record: dict[str, Any], taken: set[str], work_uids: set[str]) -> None:
        """A person the graph does not hold: node, IN_NETWORK and WORKS_AT in one row."""
        key = record["key"]
        uid = self.people[key] = self.node_uid("Person", key, taken)
        if record["school"] is None:
            self.write(q.CREATE_PEOPLE, {"uid": uid, "key": key, "props": record["props"]})
        else:
            school_uid = self.schools[record["school"]]
            self.write(
                q.CREATE_STAFF,
                {
                    "uid": uid,
                    "key": key,
                    **record["props"],
                    "school_uid": school_uid,
                    "work_uid": self.rel_uid(
                        "WORKS_AT", work_uids, uid, school_uid, record["from"]
                    ),
                    "from": record["from"],
                    "to": record["to"],
                },
            )
        self.count("people.csv", "created")

    def funding(self) -> None:
        file = "funding.csv"
        existing = {
            (f["source"], f["started"]): f for f in (row["funding"] for row in self.read(q.FUNDING))
        }
        taken = {f["uid"] for f in existing.values()}
        for record in self.parsed[file]:
            found = existing.get((record["source"], record["started"]))
            props = {k: record[k] for k in ("source", "started", "ended")}
            key = f"{record['started']}/{record['source']}"
            uid = found["uid"] if found else self.node_uid("FundingPeriod", key, taken)
            changed = differs(found, props)
            if changed:
                query = q.UPSERT_FUNDING if found else q.CREATE_FUNDING
                self.write(query, {"uid": uid, "key": key, "props": props})
            self.status(file, found is None, changed)

    def roles(self) -> None:
        file = "roles.csv"
        existing: dict[tuple[Any, ...], dict[str, Any]] = {}
        for row in self.read(q.ROLES):
            role = row["role"]
            for holder in row["holders"]:
                existing.setdefault((holder, role["title"], role["from"]), role)
        taken = {r["uid"] for r in existing.values()}
        for record in self.parsed[file]:
            person_uid = self.people[record["person"]]
            props = dict(record["props"])
            props["designated_by"] = (
                self.people[record["designated_by"]] if record["designated_by"] else None
            )
            found = existing.get((person_uid, props["title"], props["from"]))
            key = f"{record['person']}/{props['title']}/{props['from']}"
            uid = found["uid"] if found else self.node_uid("Role", key, taken)
            changed = differs(found, props)
            if changed:
                self.write(
                    q.UPSERT_ROLES if found else q.CREATE_ROLES,
                    {"uid": uid, "key": key, "person_uid": person_uid, "props": props},
                )
            self.status(file, found is None, changed)

    def groups_(self) -> None:
        file = "groups.csv"
        existing = {}
        for row in self.read(q.GROUPS):
            group = row["group"]
            existing[group.get("key") or group["uid"]] = group
        taken = {g["uid"] for g in existing.values()}
        for record in self.parsed[file]:
            found = existing.get(record["key"])
            uid = found["uid"] if found else self.node_uid("EnquiryGroup", record["key"], taken)
            self.groups[record["key"]] = uid
            changed = differs(found, record["props"])
            if changed:
                self.write(
                    q.UPSERT_GROUPS if found else q.CREATE_GROUPS,
                    {"uid": uid, "key": record["key"], "props": record["props"]},
                )
            self.status(file, found is None, changed)

    def group_members(self) -> None:
        file = "group_members.csv"
        existing: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for row in self.read(q.GROUP_MEMBERS):
            existing[(row["person_uid"], row["group_uid"])].append(row["membership"])
        taken = {m["uid"] for ms in existing.values() for m in ms}
        used: set[str] = set()
        for record in self.parsed[file]:
            person_uid, group_uid = self.people[record["person"]], self.groups[record["group"]]
            found = match_period(existing.get((person_uid, group_uid), []), record["from"], used)
            wanted = {"from": record["from"], **record["props"]}
            if found is None:
                uid = self.rel_uid("MEMBER_OF_GROUP", taken, person_uid, group_uid, record["from"])
            else:
                uid = found["uid"]
                used.add(uid)
            changed = differs(found, wanted)
            if changed:
                self.write(
                    q.UPSERT_GROUP_MEMBERS,
                    {"uid": uid, "person_uid": person_uid, "group_uid": group_uid, **wanted},
                )
            self.status(file, found is None, changed)

    def group_sessions(self) -> None:
        file = "group_sessions.csv"
        existing: dict[tuple[str, str], dict[str, Any]] = {}
        attendees: dict[str, list[str]] = defaultdict(list)
        for row in self.read(q.PLAN_SESSION_ATTENDANCE):
            attendees[row["session_uid"]].append(row["person_uid"])
        for session in self.read(q.PLAN_GROUP_SESSIONS):
            session["attendees"] = attendees.get(session["uid"], [])
            existing.setdefault((session["group_uid"], session["date"]), session)
        taken = {s["uid"] for s in existing.values()}
        # Sessions first, then who attended: so that sessions go out in full batches.
        sessions = []
        for record in self.parsed[file]:
            group_uid = self.groups[record["group"]]
            date = record["props"]["date"]
            found = existing.get((group_uid, date))
            uid = found["uid"] if found else self.rel_uid("GroupSession", taken, group_uid, date)
            changed = differs(found, record["props"])
            if changed:
                self.write(
                    q.UPSERT_SESSIONS if found else q.CREATE_SESSIONS,
                    {"uid": uid, "group_uid": group_uid, "props": record["props"]},
                )
            sessions.append((record, found, uid, changed))
        for record, found, uid, changed in sessions:
            present = set(found["attendees"]) if found else set()
            added = False
            for key in record["attendees"]:
                person_uid = self.people[key]
                if person_uid in present:
                    continue
                added = True
                self.write(
                    self.new_or_merged(q.CREATE_ATTEND_SESSIONS, q.ATTEND_SESSIONS),
                    {
                        "uid": self.attended_uid(person_uid, uid),
                        "person_uid": person_uid,
                        "target_uid": uid,
                    },
                )
            self.status(file, found is None, changed or added)

    def outcomes(self) -> None:
        file = "outcomes.csv"
        existing = {}
        for row in self.read(q.OUTCOMES):
            o = row["outcome"]
            existing[(row["group_uid"], o["date"], o["kind"], o["description"])] = o
        taken = {o["uid"] for o in existing.values()}
        for record in self.parsed[file]:
            group_uid = self.groups[record["group"]]
            p = record["props"]
            found = existing.get((group_uid, p["date"], p["kind"], p["description"]))
            if found is None:
                uid = self.rel_uid(
                    "Outcome", taken, group_uid, p["date"], p["kind"], p["description"]
                )
                self.write(q.CREATE_OUTCOMES, {"uid": uid, "group_uid": group_uid, "props": p})
            self.status(file, found is None, False)

    def coaching(self) -> None:
        file, sessions_file = "coaching.csv", "coaching_sessions.csv"
        existing: dict[str, dict[str, Any]] = {}
        for row in self.read(q.COACHING):
            pair = {**row["pair"], "people": [p for p in row["people"] if p]}
            existing[pair.get("key") or pair["uid"]] = pair
        taken = {p["uid"] for p in existing.values()}
        dates: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for record in self.parsed[sessions_file]:
            dates[record["pair"]].append((record["date"], record["line"]))
        for record in self.parsed[file]:
            key = record["key"]
            found = existing.get(key)
            uid = found["uid"] if found else self.node_uid("CoachingPair", key, taken)
            self.pairs[key] = uid
            props = dict(record["props"])
            changed = differs(found, props)
            held = list(found.get("sessions") or []) if found else []
            new_dates = []
            for date, _line in dates.get(key, []):
                if date in held or date in new_dates:
                    self.count(sessions_file, "unchanged")
                else:
                    new_dates.append(date)
                    self.count(sessions_file, "created")
            if new_dates or found is None:
                props["sessions"] = sorted({*held, *new_dates})
            if changed or new_dates:
                query = q.UPSERT_PAIRS if found else q.CREATE_PAIRS
                self.write(query, {"uid": uid, "key": key, "props": props})
            people = [self.people[p] for p in record["people"]]
            present = set(found["people"]) if found else set()
            people_changed = present != set(people)
            if people_changed:
                for person_uid in people:
                    if person_uid not in present:
                        self.write(
                            q.JOIN_PAIRS,
                            {
                                "uid": ids.relationship_uid(
                                    self.plan.network_uid, "IN_PAIR", person_uid, uid
                                ),
                                "person_uid": person_uid,
                                "pair_uid": uid,
                            },
                        )
                if present - set(people):
                    self.write(q.LEAVE_PAIRS, {"pair_uid": uid, "people": people})
            self.status(file, found is None, changed or people_changed)

    def trained(self) -> None:
        file = "trained.csv"
        existing = {}
        for row in self.read(q.TRAINED):
            t = row["trained"]
            existing[(row["trainer_uid"], row["trainee_uid"], t["practice"])] = t
        taken = {t["uid"] for t in existing.values()}
        for record in self.parsed[file]:
            trainer, trainee = self.people[record["trainer"]], self.people[record["trainee"]]
            found = existing.get((trainer, trainee, record["practice"]))
            uid = (
                found["uid"]
                if found
                else self.rel_uid("TRAINED", taken, trainer, trainee, record["practice"])
            )
            changed = differs(found, record["props"])
            if changed:
                self.write(
                    q.UPSERT_TRAINED,
                    {"uid": uid, "trainer_uid": trainer, "trainee_uid": trainee, **record["props"]},
                )
            self.status(file, found is None, changed)

    def activities_(self) -> None:
        file = "activities.csv"
        existing = {}
        for row in self.read(q.ACTIVITIES):
            activity = {
                **row["activity"],
                "host": next((h for h in row["hosts"] if h), None),
                "decider": next((d for d in row["deciders"] if d), None),
            }
            existing[activity.get("key") or activity["uid"]] = activity
        taken = {a["uid"] for a in existing.values()}
        for record in self.parsed[file]:
            key = record["key"]
            found = existing.get(key)
            uid = found["uid"] if found else self.node_uid("Activity", key, taken)
            self.activities[key] = uid
            changed = differs(found, record["props"])
            if changed:
                query = q.UPSERT_ACTIVITIES if found else q.CREATE_ACTIVITIES
                self.write(query, {"uid": uid, "key": key, "props": record["props"]})
            links_changed = False
            for role, unlink, link, column in (
                ("host", q.UNLINK_HOSTS, q.LINK_HOSTS, "host"),
                ("decider", q.UNLINK_DECIDERS, q.LINK_DECIDERS, "decider"),
            ):
                school_uid = self.schools[record[column]] if record[column] else None
                current = found[role] if found else None
                if current == school_uid:
                    continue
                links_changed = True
                if current is not None:
                    self.write(unlink, {"uid": uid, "school_uid": school_uid})
                if school_uid is not None:
                    self.write(link, {"uid": uid, "school_uid": school_uid})
            self.status(file, found is None, changed or links_changed)

    def attendance(self) -> None:
        file = "attendance.csv"
        existing = {(r["person_uid"], r["activity_uid"]) for r in self.read(q.PLAN_ATTENDANCE)}
        for record in self.parsed[file]:
            person_uid = self.people[record["person"]]
            activity_uid = self.activities[record["activity"]]
            found = (person_uid, activity_uid) in existing
            if not found:
                self.write(
                    self.new_or_merged(q.CREATE_ATTEND_ACTIVITIES, q.ATTEND_ACTIVITIES),
                    {
                        "uid": self.attended_uid(person_uid, activity_uid),
                        "person_uid": person_uid,
                        "target_uid": activity_uid,
                    },
                )
            self.status(file, not found, False)

    def transfers(self) -> None:
        file = "transfers.csv"
        practices = {}
        for row in self.read(q.PRACTICES):
            practice = row["practice"]
            practices[practice.get("key") or practice["uid"]] = practice
        taken = {p["uid"] for p in practices.values()}
        shared = {(r["school_uid"], r["practice_uid"]): r["shared"] for r in self.read(q.SHARED)}
        adopted = {
            (r["practice_uid"], r["school_uid"], r["adopted"]["stage"]): r["adopted"]
            for r in self.read(q.ADOPTED)
        }
        rel_taken = {r["uid"] for r in shared.values()} | {r["uid"] for r in adopted.values()}
        # Practice and SHARED changes are counted on the first row that names them.
        first_dates: dict[tuple[str, str], str] = {}
        for record in self.parsed[file]:
            pair = (record["source"], record["practice_id"])
            if pair not in first_dates or record["date"] < first_dates[pair]:
                first_dates[pair] = record["date"]
        done_practices: set[str] = set()
        done_shared: set[tuple[str, str]] = set()
        for record in self.parsed[file]:
            key = record["practice_id"]
            found_practice = practices.get(key)
            practice_uid = (
                found_practice["uid"] if found_practice else self.node_uid("Practice", key, taken)
            )
            practices.setdefault(key, {"uid": practice_uid, "name": record["practice"]})
            changed = False
            if key not in done_practices:
                done_practices.add(key)
                props = {"name": record["practice"]}
                if differs(found_practice, props):
                    changed = True
                    self.write(
                        q.UPSERT_PRACTICES if found_practice else q.CREATE_PRACTICES,
                        {"uid": practice_uid, "key": key, "props": props},
                    )
            source_uid = self.schools[record["source"]]
            target_uid = self.schools[record["target"]]
            pair = (source_uid, practice_uid)
            if pair not in done_shared:
                done_shared.add(pair)
                found_shared = shared.get(pair)
                date = first_dates[(record["source"], key)]
                # The package has no sharing date: a practice was shared by its first
                # adoption step at the latest, so only an earlier step moves a known date.
                held = (found_shared or {}).get("date")
                if found_shared is None or (held is not None and date < held):
                    changed = True
                    s_uid = (
                        found_shared["uid"]
                        if found_shared
                        else self.rel_uid("SHARED", rel_taken, source_uid, practice_uid)
                    )
                    self.write(
                        q.UPSERT_SHARED,
                        {
                            "uid": s_uid,
                            "school_uid": source_uid,
                            "practice_uid": practice_uid,
                            "date": date,
                        },
                    )
            carrier = (
                self.people[record["carrier"]]
                if record["carrier"]
                else self.groups.get(record["carrier_group"] or "")
            )
            wanted = {
                "date": record["date"],
                "stage": record["stage"],
                "from_school_uid": source_uid,
                "carrier_uid": carrier,
            }
            found = adopted.get((practice_uid, target_uid, record["stage"]))
            if differs(found, wanted):
                changed = True
                a_uid = (
                    found["uid"]
                    if found
                    else self.rel_uid(
                        "ADOPTED_BY", rel_taken, practice_uid, target_uid, record["stage"]
                    )
                )
                self.write(
                    q.UPSERT_ADOPTED,
                    {
                        "uid": a_uid,
                        "practice_uid": practice_uid,
                        "school_uid": target_uid,
                        **wanted,
                    },
                )
            self.status(file, found is None, changed)

    def advice(self) -> None:
        """The bulk of a large package: kept to plain loops (hundreds of thousands of rows)."""
        file = "advice.csv"
        existing, given = {}, {}
        taken = set()
        for r in self.read(q.PLAN_ADVICE):
            taken.add(r["uid"])
            # Answers given through a web round are never changed by an import; the same
            # answer coming back in a package (an export re-imported) is left as it is.
            key = (r["source"], r["target"], r["topic"], as_date(r["asked_at"]))
            (existing if imported(r) else given)[key] = r
        namespace = ids.namespace(self.plan.network_uid)
        people = self.people
        rows = self.plan.writes[self.new_or_merged(q.CREATE_ADVICE, q.UPSERT_ADVICE).name]
        counts = self.plan.counts[file]
        for record in self.parsed[file]:
            source, target = people[record["source"]], people[record["target"]]
            topic, date, props = record["topic"], record["date"], record["props"]
            found = existing.get((source, target, topic, date))
            if found is None and not differs(given.get((source, target, topic, date)), props):
                counts["unchanged"] += 1
                continue
            if found is None:
                counts["created"] += 1
                uid = ids.uuid5(namespace, f"SEEKS_ADVICE/{source}/{target}/{topic}/{date}")
                uid = self.fresh(uid, taken, "SEEKS_ADVICE")
            elif differs(found, props):
                counts["updated"] += 1
                uid = found["uid"]
            else:
                counts["unchanged"] += 1
                continue
            rows.append(
                {
                    "uid": uid,
                    "source": source,
                    "target": target,
                    "topic": topic,
                    "asked_at": date,
                    "frequency": props["frequency"],
                    "influence": props["influence"],
                }
            )
            self.pending += 1
            if self.pending >= self.flush_rows:
                self.flush()

    def responses(self) -> None:
        file = "responses.csv"
        existing, given = {}, {}
        taken = set()
        for r in self.read(q.PLAN_RESPONSES):
            taken.add(r["uid"])
            (existing if imported(r) else given)[(r["person_uid"], r["date"])] = r
        for record in self.parsed[file]:
            person_uid = self.people[record["person"]]
            found = existing.get((person_uid, record["date"]))
            if found is None and not differs(
                given.get((person_uid, record["date"])), record["props"]
            ):
                self.status(file, False, False)  # a web round's answer, exported and re-imported
                continue
            changed = differs(found, record["props"])
            if changed:
                uid = (
                    found["uid"]
                    if found
                    else self.rel_uid("Response", taken, person_uid, record["date"])
                )
                self.write(
                    q.UPSERT_RESPONSES if found else q.CREATE_RESPONSES,
                    {
                        "uid": uid,
                        "person_uid": person_uid,
                        "date": record["date"],
                        **record["props"],
                    },
                )
            self.status(file, found is None, changed)


def imported(answer: dict[str, Any]) -> bool:
    """An answer that came in a package (``survey`` is ``import:<date>``), not a web round's."""
    return str(answer.get("survey") or "").startswith(SURVEY_PREFIX)


def make_plan(
    store: GraphStore,
    parsed: Parsed,
    target: dict[str, Any] | None,
    sink: Sink | None = None,
    flush_rows: int = 2000,
) -> Plan:
    """Compare ``parsed`` with the graph; with a ``sink``, pass rows on as they are planned
    (every ``flush_rows`` rows, and at the end of each file)."""
    return Planner(store, parsed, target).run(sink, flush_rows)
