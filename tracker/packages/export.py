"""Writing a network out as a package that ``tracker import`` reads back to the same graph.

Rows are sorted by their ids, lists inside cells are written in a fixed order and zip entries
carry a fixed timestamp, so exporting twice gives the same bytes, and export -> import into an
empty store -> export gives the same files.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from tracker.extensions import graph
from tracker.graph.queries import network as network_q
from tracker.graph.queries import package as q
from tracker.graph.store import GraphStore, NotFound
from tracker.packages.format import BY_NAME, FILES, LIST_SEPARATOR, REQUIRED, escape_cell
from tracker.packages.plan import as_date
from tracker.packages.validate import STAGE_ORDER
from tracker.services.pseudonyms import pseudonym

ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        # Only the start of a cell can trigger a formula, so the joined text is what is escaped.
        return escape_cell(LIST_SEPARATOR.join("" if v is None else str(v) for v in value))
    return escape_cell(str(value))


def render(name: str, rows: Iterable[dict[str, Any]]) -> bytes:
    columns = BY_NAME[name].all_columns
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(column)) for column in columns])
    return out.getvalue().encode("utf-8")


def _key(node: dict[str, Any]) -> str:
    return node.get("key") or node["uid"]


class Exporter:
    def __init__(self, store: GraphStore, network: dict[str, Any], pseudonymise: bool):
        self.store = store
        self.network = network
        self.uid = network["uid"]
        self.pseudonymise = pseudonymise
        self.files: dict[str, list[dict[str, Any]]] = {}
        self.schools: dict[str, str] = {}
        self.people: dict[str, str] = {}
        self.groups: dict[str, str] = {}

    def read(self, query: Any) -> list[dict[str, Any]]:
        return self.store.run(query, {"network_uid": self.uid})

    def put(
        self, name: str, rows: list[dict[str, Any]], sort: Callable[[dict[str, Any]], Any]
    ) -> None:
        if rows or name in REQUIRED:
            self.files[name] = sorted(rows, key=sort)

    def build(self) -> dict[str, bytes]:
        n = self.network
        self.files["network.csv"] = [
            {
                "name": n["name"],
                "kind": n["kind"],
                "started": n["started"],
                "priorities": n.get("priorities") or [],
            }
        ]
        self.funding()
        self.schools_()
        self.people_()
        self.roles()
        self.groups_()
        self.coaching()
        self.trained()
        self.activities()
        self.transfers()
        self.advice()
        self.responses()
        return {
            spec.name: render(spec.name, self.files[spec.name])
            for spec in FILES
            if spec.name in self.files
        }

    def funding(self) -> None:
        rows = [row["funding"] for row in self.read(q.FUNDING)]
        self.put("funding.csv", rows, lambda r: (r["source"] or "", r["started"] or ""))

    def schools_(self) -> None:
        latest: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        for row in self.read(q.SCHOOLS_IN_NETWORK):
            school, membership = row["school"], row["membership"]
            held = latest.get(school["uid"])
            if held is None or (membership.get("from") or "") > (held[1].get("from") or ""):
                latest[school["uid"]] = (school, membership)
        rows = []
        for uid, (school, membership) in latest.items():
            key = membership.get("key") or uid
            self.schools[uid] = key
            rows.append(
                {
                    **school,
                    "school_id": key,
                    "joined": membership.get("from"),
                    "left": membership.get("to"),
                }
            )
        self.put("schools.csv", rows, lambda r: r["school_id"])

    def people_(self) -> None:
        rows = []
        for row in self.read(q.PEOPLE):
            person = row["person"]
            key = _key(person)
            self.people[person["uid"]] = key
            works = [w for w in row["works"] if w.get("uid")]
            works.sort(key=lambda w: (w.get("to") is None, w.get("from") or ""))
            work = works[-1] if works else None
            school_id = self.schools.get(work["school_uid"]) if work else None
            out = {**person, "person_id": key, "school_id": school_id}
            if work and school_id:
                out.update({"from": work.get("from"), "to": work.get("to")})
            if self.pseudonymise:
                out["name"] = pseudonym(self.uid, person["uid"])
                out["job_title"] = ""
            rows.append(out)
        self.put("people.csv", rows, lambda r: r["person_id"])

    def roles(self) -> None:
        rows = []
        for row in self.read(q.ROLES):
            role = row["role"]
            holders = sorted(self.people[h] for h in row["holders"] if h in self.people)
            if not holders:
                continue
            rows.append(
                {
                    **role,
                    "person_id": holders[0],
                    "role": role["title"],
                    "designated_by": self.people.get(role.get("designated_by") or ""),
                }
            )
        self.put("roles.csv", rows, lambda r: (r["person_id"], r["role"] or "", r["from"] or ""))

    def groups_(self) -> None:
        rows = []
        for row in self.read(q.GROUPS):
            group = row["group"]
            self.groups[group["uid"]] = _key(group)
            rows.append({**group, "group_id": _key(group)})
        self.put("groups.csv", rows, lambda r: r["group_id"])
        members = []
        for row in self.read(q.GROUP_MEMBERS):
            if row["person_uid"] in self.people and row["group_uid"] in self.groups:
                members.append(
                    {
                        **row["membership"],
                        "group_id": self.groups[row["group_uid"]],
                        "person_id": self.people[row["person_uid"]],
                    }
                )
        self.put(
            "group_members.csv",
            members,
            lambda r: (r["group_id"], r["person_id"], r["from"] or ""),
        )
        sessions = []
        for row in self.read(q.GROUP_SESSIONS):
            if row["group_uid"] not in self.groups:
                continue
            attendees = sorted(self.people[a] for a in row["attendees"] if a in self.people)
            sessions.append(
                {
                    **row["session"],
                    "group_id": self.groups[row["group_uid"]],
                    "attendees": attendees,
                }
            )
        self.put("group_sessions.csv", sessions, lambda r: (r["group_id"], r["date"] or ""))
        outcomes = [
            {**row["outcome"], "group_id": self.groups[row["group_uid"]]}
            for row in self.read(q.OUTCOMES)
            if row["group_uid"] in self.groups
        ]
        self.put(
            "outcomes.csv",
            outcomes,
            lambda r: (r["group_id"], r["date"] or "", r["kind"] or "", r["description"] or ""),
        )

    def coaching(self) -> None:
        pairs, sessions = [], []
        for row in self.read(q.COACHING):
            pair = row["pair"]
            key = _key(pair)
            people = sorted(self.people[p] for p in row["people"] if p in self.people)
            people += [None] * (2 - len(people))
            pairs.append({**pair, "pair_id": key, "person_a": people[0], "person_b": people[1]})
            for date in sorted(set(pair.get("sessions") or [])):
                sessions.append({"pair_id": key, "date": date})
        self.put("coaching.csv", pairs, lambda r: r["pair_id"])
        self.put("coaching_sessions.csv", sessions, lambda r: (r["pair_id"], r["date"]))

    def trained(self) -> None:
        rows = [
            {
                **row["trained"],
                "trainer_id": self.people[row["trainer_uid"]],
                "trainee_id": self.people[row["trainee_uid"]],
            }
            for row in self.read(q.TRAINED)
            if row["trainer_uid"] in self.people and row["trainee_uid"] in self.people
        ]
        self.put(
            "trained.csv",
            rows,
            lambda r: (r["trainer_id"], r["trainee_id"], r["practice"] or ""),
        )

    def activities(self) -> None:
        rows = []
        keys: dict[str, str] = {}
        for row in self.read(q.ACTIVITIES):
            activity = row["activity"]
            keys[activity["uid"]] = _key(activity)
            hosts = sorted(self.schools[h] for h in row["hosts"] if h in self.schools)
            deciders = sorted(self.schools[d] for d in row["deciders"] if d in self.schools)
            rows.append(
                {
                    **activity,
                    "activity_id": _key(activity),
                    "host_school_id": hosts[0] if hosts else None,
                    "decided_by_school_id": deciders[0] if deciders else None,
                }
            )
        self.put("activities.csv", rows, lambda r: r["activity_id"])
        attendance = [
            {"activity_id": keys[row["activity_uid"]], "person_id": self.people[row["person_uid"]]}
            for row in self.read(q.ATTENDANCE)
            if row["activity_uid"] in keys and row["person_uid"] in self.people
        ]
        unique = {(r["activity_id"], r["person_id"]): r for r in attendance}
        self.put(
            "attendance.csv", list(unique.values()), lambda r: (r["activity_id"], r["person_id"])
        )

    def transfers(self) -> None:
        practices = {row["practice"]["uid"]: row["practice"] for row in self.read(q.PRACTICES)}
        sources: dict[str, list[str]] = defaultdict(list)
        for row in self.read(q.SHARED):
            if row["school_uid"] in self.schools:
                sources[row["practice_uid"]].append(self.schools[row["school_uid"]])
        rows = []
        for row in self.read(q.ADOPTED):
            practice = practices.get(row["practice_uid"])
            adopted = row["adopted"]
            if practice is None or row["school_uid"] not in self.schools:
                continue
            source = self.schools.get(adopted.get("from_school_uid") or "")
            if source is None and sources.get(row["practice_uid"]):
                source = sorted(sources[row["practice_uid"]])[0]
            carrier = adopted.get("carrier_uid") or ""
            rows.append(
                {
                    "practice_id": _key(practice),
                    "practice": practice.get("name"),
                    "from_school_id": source,
                    "to_school_id": self.schools[row["school_uid"]],
                    "carrier_person_id": self.people.get(carrier),
                    "carrier_group_id": self.groups.get(carrier),
                    "date": adopted.get("date"),
                    "stage": adopted.get("stage"),
                }
            )
        self.put(
            "transfers.csv",
            rows,
            lambda r: (
                r["practice_id"],
                r["to_school_id"],
                STAGE_ORDER.get(r["stage"], 9),
                r["date"] or "",
            ),
        )

    def advice(self) -> None:
        rows = []
        for row in self.read(q.ADVICE):
            if row["source"] not in self.people or row["target"] not in self.people:
                continue
            date = as_date(row.get("asked_at"))
            if date is None and str(row.get("survey") or "").startswith("import:"):
                date = row["survey"][len("import:") :]
            rows.append(
                {
                    "respondent_id": self.people[row["source"]],
                    "nominee_id": self.people[row["target"]],
                    "topic": row.get("topic"),
                    "frequency": row.get("frequency"),
                    "influence": row.get("influence"),
                    "date": date,
                }
            )
        self.put(
            "advice.csv",
            rows,
            lambda r: (r["respondent_id"], r["nominee_id"], r["topic"] or "", r["date"] or ""),
        )

    def responses(self) -> None:
        rows = [
            {**row["response"], "respondent_id": self.people[row["response"]["person_uid"]]}
            for row in self.read(q.RESPONSES)
            if row["response"].get("person_uid") in self.people
        ]
        self.put("responses.csv", rows, lambda r: (r["respondent_id"], r["date"] or ""))


def package_files(network_uid: str, *, pseudonymise: bool = False) -> dict[str, bytes]:
    """Every file the network has data for (the three required ones always), as bytes."""
    store = graph.store
    rows = store.run(network_q.GET, {"uid": network_uid})
    if not rows:
        raise NotFound(f"network {network_uid}")
    return Exporter(store, rows[0]["network"], pseudonymise).build()


def export_package(
    network_uid: str, destination: str | Path, *, pseudonymise: bool = False
) -> Path:
    """Write the network's package to a folder, or to a zip when ``destination`` ends in .zip."""
    files = package_files(network_uid, pseudonymise=pseudonymise)
    target = Path(destination)
    if target.suffix.lower() == ".zip":
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(zip_bytes(files))
        return target
    target.mkdir(parents=True, exist_ok=True)
    for spec in FILES:
        path = target / spec.name
        if spec.name in files:
            path.write_bytes(files[spec.name])
        elif path.is_file() and not path.is_symlink():
            path.unlink()  # left from an earlier export: it would be read back in
    return target


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """The files as a zip whose bytes depend only on their content."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files, key=lambda n: [s.name for s in FILES].index(n)):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()
