"""The demonstration network: ten schools of mixed phase and a year of their working together.

The content comes from :mod:`tracker.packages.synthetic` (staff in three layers, enquiry
groups, co-coaching, roles, forums, visits, knowledge transfer, an advice questionnaire) and
is brought in by the package importer, so loading twice changes nothing. Logins are generated
once and kept in ``instance/demo-logins.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from tracker.access import Scope
from tracker.extensions import db, graph
from tracker.graph.queries import package as package_q
from tracker.graph.queries import survey as survey_q
from tracker.models import Grant, SurveyRound
from tracker.packages import import_package, synthetic
from tracker.packages.ids import relationship_uid
from tracker.services import Invalid, networks
from tracker.services import users as user_service

NETWORK_NAME = "Riverside Learning Network"
SEED = 20240901
# The demonstration is written for the 2024/25 school year and moved, whole years at a time,
# to the last complete school year, then carried on to the end of last month: seen today the
# network is alive, and running ``tracker demo`` twice in a month changes nothing.
BASE_YEAR = 2024
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


def _shift(day: str, years: int) -> str:
    date = dt.date.fromisoformat(day)
    if date.month == 2 and date.day == 29:
        date = date.replace(day=28)
    return date.replace(year=date.year + years).isoformat()


def years_moved(today: dt.date | None = None) -> int:
    """How many years the demonstration moves: its first school year becomes the last
    complete one."""
    today = today or dt.date.today()
    current = today.year if today.month >= 9 else today.year - 1  # this school year began
    return current - 1 - BASE_YEAR


def period(today: dt.date | None = None) -> tuple[str, int]:
    """(first day, months) of the demonstration's activity: the last complete school year and
    the whole months of this one so far."""
    today = today or dt.date.today()
    return _shift(f"{BASE_YEAR}-09-01", years_moved(today)), 12 + (today.month - 9) % 12


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
            "joined": _shift(joined, years_moved()),
            "local_authority": "Hartlepool",
        }
        for n, (name, phase, staff, urn, lat, lon, joined) in enumerate(SCHOOLS, start=1)
    ]


def write(folder: str | Path) -> dict[str, int]:
    """Write the demonstration network's package (rows per file) into ``folder``."""
    start, months = period()
    return synthetic.write_package(
        folder,
        seed=SEED,
        schools=school_specs(),
        start=start,
        months=months,
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
    rounds = _survey_rounds(network_uid)
    counted = {label: rows[file] for label, file in COUNTED.items()}
    # Nominations and responses count every answer, the rounds' as well as the package's.
    counted["advice_nominations"] += sum(r["ties"] for r in rounds)
    counted["responses"] += sum(r["responses"] for r in rounds)
    return {
        "network": {"uid": network_uid, "name": NETWORK_NAME},
        "schools": rows["schools.csv"],
        "people": rows["people.csv"],
        **counted,
        "survey_rounds": rounds,
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


# -- questionnaire rounds ------------------------------------------------------------------------


def completed_round() -> dict[str, Any]:
    """The summer questionnaire of the demonstration's complete school year."""
    summer = BASE_YEAR + 1 + years_moved()
    return {
        "title": f"Summer {summer} staff questionnaire",
        "topics": ["teaching_learning", "curriculum", "pupil_care", "school_improvement"],
        "opens": f"{summer}-06-02",
        "closes": f"{summer}-06-27",
        "schools": [],
        "layers": [],
        "consent_text": "",
    }


def _survey_rounds(network_uid: str) -> list[dict[str, Any]]:
    """A completed round in the demo year and one open today, made once and then left alone.

    Answers go through the same service functions the respondent's pages call; the people
    answering and whom they name follow the package's spring questionnaire, so comparing
    the rounds shows ties kept, gained and lost.
    """
    from tracker.services import surveys

    user = user_service.by_email("coordinator@demo.example")
    scope = Scope(user, network_uid, "coordinator")
    completed = completed_round()
    done_uid = relationship_uid(network_uid, "demo_survey_round", completed["title"])
    now_uid = relationship_uid(network_uid, "demo_survey_round", "current")
    spring = _spring_answers(network_uid)
    sources = sorted(spring)
    if db.session.scalar(select(SurveyRound).where(SurveyRound.uid == done_uid)) is None:
        _answer_round(scope, done_uid, completed, spring, sources[::2][:30], 30, "")
    if db.session.scalar(select(SurveyRound).where(SurveyRound.uid == now_uid)) is None:
        today = dt.date.today()
        current = {
            **completed,
            "title": "This term's staff questionnaire",
            "opens": (today - dt.timedelta(days=7)).isoformat(),
            "closes": (today + dt.timedelta(days=21)).isoformat(),
        }
        _answer_round(scope, now_uid, current, spring, sources[::3][:24], 16, today.isoformat())
    out = []
    for uid in (done_uid, now_uid):
        shaped = surveys.get_round(scope, uid)
        params = {"network_uid": network_uid, "survey": uid}
        out.append(
            {
                "uid": uid,
                "title": shaped["title"],
                "opens": shaped["opens"],
                "closes": shaped["closes"],
                "status": shaped["status"],
                "invited": shaped["invited"],
                "ties": len(graph.store.run(survey_q.SURVEY_TIES, params)),
                "responses": len(graph.store.run(survey_q.SURVEY_RESPONSES, params)),
            }
        )
    return out


def _spring_answers(network_uid: str) -> dict[str, dict[str, dict[str, Any]]]:
    """The package's advice as respondent -> nominee -> {topics, frequency, influence}."""
    from tracker.services.surveys import TOPICS

    by_label = {label.casefold(): key for key, label in TOPICS.items()}
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for tie in graph.store.run(package_q.ADVICE, {"network_uid": network_uid}):
        topic = by_label.get(str(tie["topic"]).casefold())
        if topic is None or not str(tie["survey"]).startswith("import:"):
            continue
        entry = out.setdefault(tie["source"], {}).setdefault(
            tie["target"],
            {"topics": [], "frequency": tie["frequency"], "influence": tie["influence"]},
        )
        entry["topics"].append(topic)
    return out


def _answer_round(
    scope: Scope,
    uid: str,
    form: dict[str, Any],
    spring: dict[str, dict[str, dict[str, Any]]],
    respondents: list[str],
    finishing: int,
    on: str,
) -> None:
    """Open the round and answer it as ``respondents`` would; the first ``finishing`` submit.

    ``on`` is the day they answer (empty: spread over the round's first three weeks).
    """
    from tracker.services import surveys

    opened = surveys.open_round(scope, form, uid=uid, on=min(form["opens"], on or form["opens"]))
    links = surveys.issue_links(scope, opened["uid"], "http://localhost/", on=form["opens"])
    tokens = {row["person_uid"]: row["link"].rsplit("/", 1)[1] for row in links}
    start = dt.date.fromisoformat(form["opens"])
    for i, person in enumerate(p for p in respondents if p in tokens):
        token = tokens[person]
        day = on or (start + dt.timedelta(days=i % 20)).isoformat()
        surveys.give_consent(token, on=day)
        named = sorted(spring[person].items())
        if i % 4 == 0 and len(named) > 1:
            named = named[:-1]  # someone they no longer go to
        if i >= finishing:
            named = named[:1]  # still answering
        for nominee, tie in named:
            try:
                surveys.save_nomination(token, {"nominee_uid": nominee, **tie}, on=day)
            except Invalid:
                continue  # the colleague has left since the spring
        if i < finishing:
            surveys.save_self(
                token,
                {
                    "leader_in_school": ("yes", "no", "unsure")[i % 3],
                    "leader_in_network": ("no", "unsure", "yes")[i % 3],
                    "trust_other_schools": 2 + i % 4,
                    "levels": ["adult", "school_to_school"][: 1 + i % 2],
                },
                on=day,
            )
            surveys.submit(token, on=day)
