"""The demonstration network: ten schools of mixed phase and their staff across three layers.

Every uid is derived from a fixed name (uuid5), so loading twice updates in place and
never duplicates. Logins are generated once and kept in ``instance/demo-logins.json``.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import uuid
from pathlib import Path
from typing import Any

from flask import current_app

from tracker.extensions import db, graph
from tracker.graph.queries import bulk
from tracker.graph.queries import network as network_q
from tracker.models import Grant
from tracker.services import audit, now_ms
from tracker.services import users as user_service

NAMESPACE = uuid.UUID("6f1c2a52-3f5e-4d8e-9a57-5b1d0c7e9a10")
NETWORK_NAME = "Riverside Learning Network"

# name, phase, staff size, URN, lat, lon, joined
SCHOOLS = [
    ("Riverside Primary", "primary", 18, "611201", 54.6861, -1.2131, "2024-09-01"),
    ("St Hilda's C of E Primary", "primary", 16, "611202", 54.6934, -1.1879, "2024-09-01"),
    ("Greatham Primary", "primary", 12, "611203", 54.6467, -1.2346, "2024-09-01"),
    ("Owton Manor Primary", "primary", 17, "611204", 54.6712, -1.2415, "2024-09-01"),
    ("Seaton Carew Nursery School", "nursery", 7, "611205", 54.6604, -1.1921, "2024-09-01"),
    ("Headland Academy", "secondary", 34, "611206", 54.6958, -1.1802, "2024-09-01"),
    ("Rossmere High School", "secondary", 30, "611207", 54.6743, -1.2287, "2024-09-01"),
    ("Springwell Special School", "special", 14, "611208", 54.6812, -1.2255, "2024-09-01"),
    ("Fens Primary", "primary", 15, "611209", 54.6655, -1.2530, "2025-01-06"),
    ("Clavering All-Through School", "all_through", 24, "611210", 54.7051, -1.2263, "2025-04-22"),
]

FIRST = (
    "Aisha",
    "Ben",
    "Callum",
    "Chloe",
    "Daniel",
    "Eleanor",
    "Farah",
    "Gareth",
    "Hannah",
    "Imran",
    "Jess",
    "Kieran",
    "Laura",
    "Mohammed",
    "Niamh",
    "Owen",
    "Priya",
    "Rachel",
    "Sam",
    "Tariq",
    "Una",
    "Victoria",
    "Wei",
    "Yusuf",
    "Zoe",
    "Alfie",
    "Bethany",
    "Connor",
    "Deborah",
    "Ethan",
    "Fiona",
    "George",
    "Holly",
    "Isaac",
    "Jasmine",
    "Kate",
    "Liam",
    "Megan",
    "Nathan",
    "Olivia",
    "Paul",
    "Ruth",
    "Sean",
    "Tom",
    "Amy",
    "Joanne",
    "Mark",
    "Helen",
    "Stuart",
    "Karen",
)
LAST = (
    "Ahmed",
    "Atkinson",
    "Bell",
    "Brown",
    "Carr",
    "Clarke",
    "Davison",
    "Dixon",
    "Elliott",
    "Fletcher",
    "Graham",
    "Hall",
    "Harrison",
    "Hussain",
    "Jackson",
    "Johnson",
    "Kelly",
    "Khan",
    "Lee",
    "Marshall",
    "Metcalfe",
    "Milburn",
    "Nixon",
    "Patel",
    "Pearson",
    "Robson",
    "Scott",
    "Shaw",
    "Simpson",
    "Smith",
    "Stephenson",
    "Taylor",
    "Thompson",
    "Walker",
    "Watson",
    "Wilson",
    "Wood",
    "Young",
)

SUPPORT_TITLES = (
    "Teaching assistant",
    "Higher level teaching assistant",
    "Learning mentor",
    "School business manager",
    "Family liaison officer",
)
TEACHER_TITLES = (
    "Class teacher",
    "Class teacher",
    "Class teacher",
    "Subject leader",
    "SENCo",
    "Key stage leader",
)


def _uid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def _staff_for(
    index: int, phase: str, size: int, rng: random.Random, used: set[str]
) -> list[dict[str, Any]]:
    def person_name() -> str:
        while True:
            candidate = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if candidate not in used:
                used.add(candidate)
                return candidate

    senior_titles = ["Headteacher", "Deputy headteacher"]
    if phase in {"secondary", "all_through"}:
        senior_titles += ["Assistant headteacher", "Assistant headteacher"]
    elif size > 14:
        senior_titles.append("Assistant headteacher")
    support_count = max(2, round(size * 0.3))
    teacher_count = max(1, size - len(senior_titles) - support_count)
    rows = []
    for n, title in enumerate(senior_titles):
        rows.append({"layer": "senior", "job_title": title, "promoted": True, "n": f"s{n}"})
    for n in range(teacher_count):
        title = rng.choice(TEACHER_TITLES)
        rows.append(
            {
                "layer": "teacher",
                "job_title": title,
                "promoted": title != "Class teacher",
                "n": f"t{n}",
            }
        )
    for n in range(support_count):
        rows.append(
            {
                "layer": "support",
                "job_title": rng.choice(SUPPORT_TITLES),
                "promoted": False,
                "n": f"a{n}",
            }
        )
    for row in rows:
        row["name"] = person_name()
        row["uid"] = _uid("person", str(index), row.pop("n"))
        start_year = rng.randint(2008, 2024)
        row["from"] = f"{start_year}-09-01"
    return rows


def _logins_file() -> Path:
    return Path(current_app.instance_path) / "demo-logins.json"


def _passwords() -> dict[str, str]:
    path = _logins_file()
    if path.exists():
        return json.loads(path.read_text())
    passwords = {
        role: secrets.token_urlsafe(12) for role in ("admin", "coordinator", "leader", "evaluator")
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(passwords, handle)
    return passwords


def load() -> dict[str, Any]:
    """Load (or refresh) the demonstration network and its logins."""
    rng = random.Random(20240901)
    network_uid = _uid("network", NETWORK_NAME)
    now = now_ms()
    graph.store.run(
        network_q.CREATE,
        {
            "uid": network_uid,
            "now": now,
            "props": {
                "name": NETWORK_NAME,
                "kind": "learning_network",
                "started": "2024-09-01",
                "priorities": [
                    "How can enquiry-based learning raise attainment for disadvantaged pupils?",
                    "Early reading: closing the gap before Year 2",
                    "Pupil voice in assessment for learning",
                ],
            },
        },
    )
    schools, people, work = [], [], []
    used: set[str] = set()
    for index, (name, phase, size, urn, lat, lon, joined) in enumerate(SCHOOLS):
        school_uid = _uid("school", urn)
        schools.append(
            {
                "uid": school_uid,
                "membership_uid": _uid("membership", urn, network_uid),
                "joined": joined,
                "left": None,
                "props": {
                    "name": name,
                    "urn": urn,
                    "phase": phase,
                    "local_authority": "Hartlepool",
                    "size": size * 14,
                    "lat": lat,
                    "lon": lon,
                },
            }
        )
        for row in _staff_for(index, phase, size, rng, used):
            people.append(
                {
                    "uid": row["uid"],
                    "props": {
                        "name": row["name"],
                        "layer": row["layer"],
                        "job_title": row["job_title"],
                        "promoted": row["promoted"],
                    },
                }
            )
            work.append(
                {
                    "uid": _uid("work", row["uid"], school_uid),
                    "person_uid": row["uid"],
                    "school_uid": school_uid,
                    "from": row["from"],
                    "to": None,
                }
            )
    # History: one teacher moved school, one assistant left.
    mover, leaver = work[20], work[40]
    mover["to"] = "2025-08-31"
    work.append(
        {
            "uid": _uid("work", mover["person_uid"], schools[5]["uid"]),
            "person_uid": mover["person_uid"],
            "school_uid": schools[5]["uid"],
            "from": "2025-09-01",
            "to": None,
        }
    )
    leaver["to"] = "2025-07-20"
    graph.store.run(bulk.UPSERT_SCHOOLS, {"network_uid": network_uid, "rows": schools, "now": now})
    graph.store.run(bulk.UPSERT_PEOPLE, {"network_uid": network_uid, "rows": people, "now": now})
    graph.store.run(bulk.UPSERT_WORK, {"rows": work})
    logins = _ensure_logins(network_uid, schools[0]["uid"])
    audit.record(
        "demo",
        "load",
        "network",
        network_uid,
        network_uid=network_uid,
        after={"schools": len(schools), "people": len(people)},
    )
    return {
        "network": {"uid": network_uid, "name": NETWORK_NAME},
        "schools": len(schools),
        "people": len(people),
        "logins": logins,
    }


def _ensure_logins(network_uid: str, school_uid: str) -> list[dict[str, str]]:
    passwords = _passwords()
    plan = [
        ("admin", "admin@demo.example", "Demo administrator", None, None),
        ("coordinator", "coordinator@demo.example", "Dana Coordinator", network_uid, None),
        ("leader", "leader@demo.example", "Lee Head (Riverside Primary)", network_uid, school_uid),
        ("evaluator", "evaluator@demo.example", "Eve Evaluator", network_uid, None),
    ]
    logins = []
    for role, email, name, net, school in plan:
        user = user_service.by_email(email)
        if user is None:
            user = user_service.create(
                "demo",
                email,
                passwords[role],
                name=name,
                role=role,
                network_uid=net,
                school_uid=school,
            )
        if role == "coordinator" and not any(
            g.role == "coordinator" and g.network_uid is None for g in user.grants
        ):
            db.session.add(Grant(user_id=user.id, role="coordinator", network_uid=None))
        logins.append({"role": role, "email": email, "password": passwords[role]})
    db.session.commit()
    return logins
