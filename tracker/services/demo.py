"""The demonstration network: ten schools of mixed phase and a year of their working together.

The content comes from :mod:`tracker.packages.synthetic` (staff in three layers, enquiry
groups, co-coaching, roles, forums, visits, knowledge transfer, an advice questionnaire) and
is brought in by the package importer, so loading twice changes nothing. Logins are generated
once and kept in ``instance/demo-logins.json``.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from flask import current_app

from tracker.extensions import db
from tracker.models import Grant
from tracker.packages import import_package, synthetic
from tracker.services import Invalid, networks
from tracker.services import users as user_service

NETWORK_NAME = "Riverside Learning Network"
SEED = 20240901
START = "2024-09-01"
PRIORITIES = [
    "How can enquiry-based learning raise attainment for disadvantaged pupils?",
    "Early reading: closing the gap before Year 2",
    "Pupil voice in assessment for learning",
]
# What ``load`` reports besides schools and people: label -> package file.
COUNTED = {
    "funding_periods": "funding.csv",
    "roles": "roles.csv",
    "groups": "groups.csv",
    "group_memberships": "group_members.csv",
    "group_sessions": "group_sessions.csv",
    "outcomes": "outcomes.csv",
    "coaching_pairs": "coaching.csv",
    "coaching_sessions": "coaching_sessions.csv",
    "trained": "trained.csv",
    "activities": "activities.csv",
    "attendance": "attendance.csv",
    "transfers": "transfers.csv",
    "advice_nominations": "advice.csv",
    "responses": "responses.csv",
}

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


def school_specs() -> list[dict[str, Any]]:
    """The ten schools as the synthetic package generator takes them."""
    return [
        {
            "school_id": f"RLN{n:02d}",
            "name": name,
            "phase": phase,
            "staff": staff,
            "size": staff * 14,
            "urn": urn,
            "lat": lat,
            "lon": lon,
            "joined": joined,
            "local_authority": "Hartlepool",
        }
        for n, (name, phase, staff, urn, lat, lon, joined) in enumerate(SCHOOLS, start=1)
    ]


def write(folder: str | Path) -> dict[str, int]:
    """Write the demonstration network's package (rows per file) into ``folder``."""
    return synthetic.write_package(
        folder,
        seed=SEED,
        schools=school_specs(),
        start=START,
        months=12,
        network_name=NETWORK_NAME,
        priorities=PRIORITIES,
    )


def load() -> dict[str, Any]:
    """Load (or refresh) the demonstration network, a year of its activity, and its logins.

    The network arrives the way a coordinator's spreadsheets would: a package is written to
    a temporary folder and imported, so loading twice is a re-import that changes nothing.
    """
    with tempfile.TemporaryDirectory(prefix="tracker-demo-") as folder:
        rows = write(folder)
        report = import_package(folder, actor="demo")
    if not report.ok:
        shown = "; ".join(str(p) for p in report.problems[:3])
        raise Invalid({"package": f"the demonstration package was refused: {shown}"})
    network_uid = report.network_uid or ""
    members = [s for s in networks.schools_by_network() if s["network_uid"] == network_uid]
    # The leader's school; any member school if Riverside Primary was renamed in the app.
    home = next((s for s in members if s["school_name"] == SCHOOLS[0][0]), members[0])
    logins = _ensure_logins(network_uid, home["school_uid"])
    return {
        "network": {"uid": network_uid, "name": NETWORK_NAME},
        "schools": rows["schools.csv"],
        "people": rows["people.csv"],
        **{label: rows[file] for label, file in COUNTED.items()},
        "changes": report.totals(),
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
