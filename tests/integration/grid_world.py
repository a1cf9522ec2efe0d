"""The objects the access grid needs behind every URL argument, made in both networks.

Each network of the ``world`` gets one of every kind of object a route can name (group,
session, outcome, pair, training, role, activity, practice, adoption, funding period, import
job, and an account with a grant), made through the public services as a coordinator would.
The grid then asks for network A's URLs with B's objects and expects 404.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

from tests.conftest import PASSWORD, World
from tracker import jobs
from tracker.access import Scope
from tracker.extensions import db
from tracker.models import User
from tracker.packages.export import package_files, zip_bytes
from tracker.services import (
    activities,
    coaching,
    funding,
    groups,
    roles,
    surveys,
    tokens,
    transfers,
    users,
)

# Every URL argument the grid knows how to fill; a route with another one fails the grid.
NETWORK_ARGUMENT = "network_uid"
ACCOUNT_ARGUMENTS = frozenset({"user_id", "grant_id"})
OBJECT_ARGUMENTS = frozenset(
    {
        "school_uid",
        "person_uid",
        "group_uid",
        "session_uid",
        "outcome_uid",
        "pair_uid",
        "training_uid",
        "role_uid",
        "activity_uid",
        "practice_uid",
        "adoption_uid",
        "period_uid",
        "job_id",
        "round_uid",
    }
)
# A questionnaire respondent's pages: no account, the personal link's token is the credential,
# so B's link with B's colleague is as usable as A's ("other" scope: allowed).
RESPONDENT_ARGUMENTS = frozenset({"token", "nominee_uid"})
KNOWN_ARGUMENTS = OBJECT_ARGUMENTS | ACCOUNT_ARGUMENTS | RESPONDENT_ARGUMENTS | {NETWORK_ARGUMENT}

PRACTICE = "Philosophy for Children"


def _coordinator(world: World, key: str) -> Scope:
    user = db.session.get(User, world.users[f"coordinator{key}"])
    assert user is not None
    return Scope(user, world.networks[key]["uid"], "coordinator")


def _days(offset: int) -> str:
    return (dt.date.today() + dt.timedelta(days=offset)).isoformat()


def _survey_objects(scope: Scope, person: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """An open round with person 0's link, consented, two colleagues and one "not listed"
    named: every respondent page then has something to show (URL arguments, form values)."""
    made = surveys.open_round(
        scope,
        {
            "title": "Advice network",
            "topics": list(surveys.TOPICS),
            "opens": _days(0),
            "closes": _days(30),
            "consent_text": "Grid consent",
        },
    )
    token = surveys.reissue(scope, made["uid"], person[0], "http://localhost").rsplit("/", 1)[1]
    surveys.give_consent(token)
    tie = {"topics": ["teaching_learning"], "frequency": "monthly", "influence": 3}
    for nominee in person[1:]:
        surveys.save_nomination(token, {"nominee_uid": nominee, **tie})
    unlisted = surveys.save_unlisted(token, {"text": "An adviser from outside", **tie})
    arguments = {"round_uid": made["uid"], "token": token, "nominee_uid": person[1]}
    return arguments, {"unlisted_id": unlisted, "survey_extend_to": _days(60)}


def _network_objects(world: World, key: str) -> dict[str, Any]:
    """One object of each kind in network ``key`` (call inside an app context)."""
    scope = _coordinator(world, key)
    school = [s["uid"] for s in world.schools[key]]
    person = [p["uid"] for p in world.people[key]]

    group = groups.create(
        scope,
        {
            "question": f"{key}: how do pupils talk about their reading?",
            "priority": "Reading",
            "levels": ["pupil", "adult"],
            "started": "2024-10-01",
            "origin": "default",
        },
    )
    memberships = [
        groups.add_member(
            scope, group["uid"], {"person_uid": uid, "role": role, "from": "2024-10-01"}
        )
        for uid, role in ((person[0], "lead"), (person[1], "member"))
    ]
    session = groups.add_session(
        scope, group["uid"], {"date": "2024-11-05", "note": "Book talk", "present": [person[0]]}
    )
    outcome = groups.add_outcome(
        scope,
        group["uid"],
        {"kind": "artefact", "date": "2025-02-01", "description": "A reading-talk toolkit"},
    )
    pair = coaching.add_pair(
        scope,
        {
            "person_a": person[0],
            "person_b": person[1],
            "practice": PRACTICE,
            "started": "2024-10-01",
        },
    )
    coaching.log_session(scope, pair["uid"], "2024-11-12")
    training = coaching.add_training(
        scope,
        {
            "trainer_uid": person[0],
            "trainee_uid": person[2],
            "practice": PRACTICE,
            "date": "2024-10-10",
        },
    )
    role = roles.add(
        scope,
        {
            "person_uid": person[0],
            "title": "lead_learner",
            "from": "2024-09-01",
            "origin": "design",
        },
    )
    activity = activities.add(
        scope,
        {
            "kind": "visit",
            "date": "2024-11-20",
            "title": f"{key}: visit to see book talk",
            "host_uid": school[0],
            "attendees": person[:2],
            "levels": ["adult"],
        },
    )
    practice = transfers.add_practice(
        scope, {"name": f"{key}: book talk", "school_uid": school[0], "shared_on": "2024-10-15"}
    )
    adoption = transfers.add_adoption(
        scope,
        practice["uid"],
        {
            "stage": "trialled",
            "date": "2024-12-01",
            "school_uid": school[1],
            "carrier_uid": person[0],
        },
    )
    period = funding.add(scope, {"source": f"{key} Trust grant", "started": "2024-09-01"})
    job = jobs.start(
        "import",
        lambda progress: {"file": f"{key}-package.zip"},
        network_uid=scope.network_uid,
        user_id=scope.user.id,
        result={"file": f"{key}-package.zip"},
    )
    assert jobs.wait(job.id, timeout=30), "the grid's import job did not finish"
    account = users.create(
        "test",
        f"target{key}@example.org",
        PASSWORD,
        role="evaluator",
        network_uid=scope.network_uid,
    )
    survey_arguments, survey_values = _survey_objects(scope, person)
    made = {
        **survey_arguments,
        "network_uid": scope.network_uid,
        "school_uid": school[0],
        "person_uid": person[0],
        "group_uid": group["uid"],
        "session_uid": session["uid"],
        "outcome_uid": outcome["uid"],
        "pair_uid": pair["uid"],
        "training_uid": training["uid"],
        "role_uid": role["uid"],
        "activity_uid": activity["uid"],
        "practice_uid": practice["uid"],
        "adoption_uid": adoption["uid"],
        "period_uid": period["uid"],
        "job_id": job.id,
        "user_id": account.id,
        "grant_id": account.grants[0].id,
    }
    assert set(made) == KNOWN_ARGUMENTS
    # Not URL arguments: what the forged forms of the CSRF tests name.
    extra = {
        "schools": school,
        "people": person,
        "membership_uid": memberships[1]["uid"],
        "pair_session": "2024-11-12",
        # A token of the coordinator's own, for the revoke form.
        "token_id": tokens.create(scope.user, f"{key} script")[1].id,
        # The network's own package, as its export page gives it: a valid upload.
        "package_zip": zip_bytes(package_files(scope.network_uid)),
        **survey_values,
    }
    return {**made, **extra}


def build_grid_objects(app: Flask, world: World) -> dict[str, dict[str, Any]]:
    """URL argument values (and a few form values) for network "A" and network "B"."""
    with app.app_context():
        made = {key: _network_objects(world, key) for key in ("A", "B")}
        db.session.commit()
    return made


# --- forged forms ----------------------------------------------------------------------------
# What a coordinator of network A could send to each POST route: a form the route would accept
# and act on. The CSRF test sends them without a token (and expects nothing to change); a
# control test sends them with CSRF off and expects each to change the stores, so the CSRF
# test's "nothing changed" means something.

Values = dict[str, Any]


FORMS: dict[str, Callable[[Values], dict[str, Any]]] = {
    "auth.login": lambda v: {"email": "coordA@example.org", "password": PASSWORD},
    "auth.logout": lambda v: {},
    "auth.sign_out_everywhere": lambda v: {},
    "dashboard.settings": lambda v: {"version": "1", "weak_consistency.min_share": "0.6"},
    # Named maps off (switching on needs a round whose consent text says so): saved, audited.
    "maps.settings": lambda v: {},
    "auth.tokens": lambda v: {"name": "A forged script", "days": "30"},
    "auth.revoke_token": lambda v: {"token": str(v["token_id"])},
    "auth.account": lambda v: {
        "current_password": PASSWORD,
        "new_password": "a forged but long passphrase",
        "confirm": "a forged but long passphrase",
    },
    "networks.create": lambda v: {
        "name": "Forged network",
        "kind": "learning_network",
        "started": "2024-09-01",
        "priorities": "Reading",
    },
    "networks.edit": lambda v: {
        "name": "Forged name",
        "kind": "federation",
        "started": "2024-09-01",
        "priorities": "Reading\nWriting",
    },
    "schools.create": lambda v: {
        "name": "Forged Primary",
        "urn": "F999",
        "phase": "primary",
        "joined": "2024-10-01",
    },
    "schools.edit": lambda v: {"name": "Forged School", "urn": "F998", "phase": "secondary"},
    "schools.end": lambda v: {"on": "2025-06-01"},
    "people.create": lambda v: {
        "name": "Forged Person",
        "layer": "teacher",
        "job_title": "Teacher",
        "school_uid": v["schools"][0],
        "start": "2024-10-01",
    },
    "people.edit": lambda v: {"name": "Forged Name", "layer": "senior", "job_title": "Head"},
    "people.end": lambda v: {"on": "2025-06-01"},
    "people.move": lambda v: {"school_uid": v["schools"][1], "on": "2025-01-01"},
    "groups.create": lambda v: {
        "question": "A forged question?",
        "priority": "Reading",
        "levels": ["pupil"],
        "started": "2024-10-01",
        "origin": "default",
    },
    "groups.edit": lambda v: {
        "question": "An edited question?",
        "priority": "Writing",
        "levels": ["adult"],
        "started": "2024-10-01",
        "origin": "design",
    },
    "groups.end": lambda v: {"ended": "2025-03-01"},
    "groups.delete": lambda v: {"confirm": "yes"},
    "groups.add_member": lambda v: {
        "person_uid": v["people"][2],
        "role": "member",
        "start": "2024-10-15",
    },
    "groups.end_member": lambda v: {"membership_uid": v["membership_uid"], "left": "2025-01-15"},
    "groups.add_session": lambda v: {
        "date": "2024-12-03",
        "note": "Forged session",
        "present": [v["people"][0]],
    },
    "groups.edit_session": lambda v: {
        "date": "2024-11-06",
        "note": "Edited session",
        "present": [v["people"][0], v["people"][1]],
    },
    "groups.delete_session": lambda v: {"confirm": "yes"},
    "groups.add_outcome": lambda v: {
        "kind": "report",
        "date": "2025-02-02",
        "description": "A forged report",
    },
    "groups.edit_outcome": lambda v: {
        "kind": "policy",
        "date": "2025-02-03",
        "description": "An edited outcome",
    },
    "groups.delete_outcome": lambda v: {"confirm": "yes"},
    "coaching.create": lambda v: {
        "person_a": v["people"][1],
        "person_b": v["people"][2],
        "practice": PRACTICE,
        "started": "2024-10-01",
    },
    "coaching.edit": lambda v: {
        "person_a": v["people"][0],
        "person_b": v["people"][1],
        "practice": PRACTICE,
        "started": "2024-09-15",
    },
    "coaching.log_session": lambda v: {"date": "2024-12-10"},
    "coaching.remove_session": lambda v: {"date": v["pair_session"]},
    "coaching.end": lambda v: {"ended": "2025-03-01"},
    "coaching.delete": lambda v: {"confirm": "yes"},
    "coaching.create_training": lambda v: {
        "trainer_uid": v["people"][1],
        "trainee_uid": v["people"][2],
        "practice": PRACTICE,
        "date": "2024-10-20",
    },
    "coaching.delete_training": lambda v: {"confirm": "yes"},
    "roles.create": lambda v: {
        "person_uid": v["people"][1],
        "title": "co_coach",
        "start": "2024-09-01",
        "origin": "design",
    },
    "roles.edit": lambda v: {
        "person_uid": v["people"][0],
        "title": "strand_leader",
        "start": "2024-09-01",
        "origin": "design",
    },
    "roles.end": lambda v: {f"end-{v['role_uid']}-end": "2025-03-01"},
    "roles.delete": lambda v: {"confirm": "yes"},
    "activities.create": lambda v: {
        "kind": "meeting",
        "date": "2024-12-01",
        "title": "A forged meeting",
        "attendees": [v["people"][0]],
        "levels": ["adult"],
    },
    "activities.edit": lambda v: {
        "kind": "visit",
        "date": "2024-11-21",
        "title": "An edited visit",
        "host_uid": v["schools"][0],
        "attendees": [v["people"][0]],
        "levels": ["pupil"],
    },
    "activities.delete": lambda v: {"confirm": "yes"},
    "transfers.create": lambda v: {
        "name": "A forged practice",
        "school_uid": v["schools"][0],
        "shared_on": "2024-10-20",
    },
    "transfers.edit": lambda v: {
        "name": "An edited practice",
        "school_uid": v["schools"][0],
        "shared_on": "2024-10-14",
    },
    "transfers.delete": lambda v: {"confirm": "yes"},
    "transfers.add_adoption": lambda v: {
        "stage": "embedded",
        "date": "2025-01-10",
        "school_uid": v["schools"][1],
    },
    "transfers.edit_adoption": lambda v: {
        "stage": "trialled",
        "date": "2024-12-02",
        "school_uid": v["schools"][1],
    },
    "transfers.delete_adoption": lambda v: {"confirm": "yes"},
    "funding.create": lambda v: {"source": "A forged grant", "started": "2025-01-01"},
    "funding.edit": lambda v: {"source": "An edited grant", "started": "2024-09-01"},
    "funding.end": lambda v: {f"end-{v['period_uid']}-ended": "2025-03-01"},
    "funding.delete": lambda v: {"confirm": "yes"},
    "packages.upload": lambda v: {"package": (io.BytesIO(v["package_zip"]), "forged.zip")},
    "packages.confirm": lambda v: {"upload": "0" * 32},
    "admin.create_user": lambda v: {
        "email": "forged@example.org",
        "name": "Forged",
        "password": PASSWORD,
        "role": "evaluator",
        "network": v["network_uid"],
    },
    "admin.user": lambda v: {"role": "coordinator", "network": v["network_uid"]},
    "admin.remove_grant": lambda v: {},
    "admin.set_active": lambda v: {"active": "0"},
    "admin.sign_out": lambda v: {},
    # The questionnaire's respondent pages (the grid's link, person 0's), in survey_objects.
    "survey.start": lambda v: {"agree": "y"},
    "survey.colleague": lambda v: {
        "replace": "1",
        "topics": ["curriculum"],
        "frequency": "weekly",
        "influence": "4",
    },
    "survey.remove": lambda v: {},
    "survey.unlisted": lambda v: {
        "text": "A forged adviser",
        "topics": ["curriculum"],
        "frequency": "termly",
        "influence": "2",
    },
    "survey.remove_unlisted": lambda v: {"id": str(v["unlisted_id"])},
    "survey.about_you": lambda v: {
        "leader_in_school": "no",
        "leader_in_network": "unsure",
        "trust_other_schools": "3",
        "levels": ["adult"],
    },
    "survey.submit": lambda v: {},
    "survey.withdraw": lambda v: {"confirm": "yes"},
    # ... and the coordinator's.
    "surveys.create": lambda v: {
        "title": "A forged round",
        "topics": ["curriculum"],
        "opens": _days(0),
        "closes": _days(30),
        "consent_text": "Forged consent",
    },
    "surveys.extend": lambda v: {"extend-closes": v["survey_extend_to"]},
    "surveys.close": lambda v: {},
    "surveys.reopen": lambda v: {},
    "surveys.issue_links": lambda v: {},
    "surveys.send": lambda v: {},
    "surveys.reissue": lambda v: {"person_uid": v["people"][2]},
    "surveys.revoke": lambda v: {"person_uid": v["people"][2]},
    "surveys.withdraw": lambda v: {"person_uid": v["people"][1], "confirm": "yes"},
}

# Where an edit form's version is read (page endpoint, hidden field), when not on its own page.
VERSION_ON: dict[str, tuple[str, str]] = {
    "maps.settings": ("maps.settings", "version"),
    "coaching.end": ("coaching.show", "version"),
    "roles.end": ("roles.index", "end-{role_uid}-version"),
    "funding.end": ("funding.index", "end-{period_uid}-version"),
    "surveys.extend": ("surveys.show", "extend-version"),
    "surveys.close": ("surveys.show", "state-version"),
    "surveys.reopen": ("surveys.show", "state-version"),
}

# Posted with CSRF off, these are accepted but change neither store, by design.
WRITES_NOTHING = {
    "auth.logout": "ends the session cookie only",
    "packages.upload": "a preview: the package is checked, nothing is written",
    "survey.start": "the grid's respondent consented already (the pages behind consent need "
    "it), and agreeing twice changes nothing",
}
# Posted with CSRF off, refused all the same (with a 4xx that is not 401/403/404).
REFUSED_ANYWAY = {
    "packages.confirm": "needs the token of an upload previewed in the same session",
    "surveys.send": "no mail server in the tests: refused, with a page that says so",
}

# A respondent's link is used in a questionnaire's order (answers, removals, sending, then
# withdrawing), all before the coordinator closes and then reopens the link's round.
SURVEY_PHASES = {
    "survey.about_you": -4,
    "survey.colleague": -4,
    "survey.start": -4,
    "survey.unlisted": -4,
    "survey.remove": -3,
    "survey.remove_unlisted": -3,
    "survey.submit": -2,
    "survey.withdraw": -1,
    "surveys.close": 7,
    "surveys.reopen": 8,
}


def _phase(endpoint: str) -> int:
    """The control test's order: add and edit, then end, then delete (children first), and the
    routes that end the coordinator's own session last."""
    if endpoint in SURVEY_PHASES:
        return SURVEY_PHASES[endpoint]
    name = endpoint.split(".", 1)[1]
    last = ("auth.logout", "auth.account", "auth.sign_out_everywhere")
    if endpoint in last:
        return 9 + last.index(endpoint)
    if name.startswith("delete_"):
        return 3
    if name == "delete":
        return 4
    if name in {"end", "end_member", "remove_session"}:
        return 2
    return 1


def forge_order(endpoints: Iterable[str]) -> list[str]:
    return sorted(endpoints, key=lambda endpoint: (_phase(endpoint), endpoint))


def forged_form(endpoint: str, values: Values, hidden: Callable[[str, str], str]) -> dict[str, Any]:
    """The form for ``endpoint``; ``hidden(page_endpoint, name)`` reads a hidden input (the
    version an edit form was opened at) from a page as the coordinator sees it."""
    form: dict[str, Any] = {"uid": str(uuid.uuid4()), **FORMS[endpoint](values)}
    page, name = VERSION_ON.get(endpoint, (endpoint, "version"))
    if endpoint in VERSION_ON or endpoint.split(".", 1)[1].startswith("edit"):
        field = name.format(**values)
        form[field] = hidden(page, field)
    return form
