"""The questionnaire's service layer on the real stores: rounds, links, answers, privacy.

Every refusal is checked to leave both stores exactly as they were (``stores_state``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from tests.conftest import PASSWORD, make_app, stores_state
from tracker.access import Scope
from tracker.extensions import db, graph
from tracker.graph.queries import maintenance
from tracker.graph.store import NotFound
from tracker.models import AuditEntry, SurveyInvitation, SurveyRound, SurveyUnlisted, User
from tracker.services import (
    Invalid,
    Stale,
    dataversion,
    demo,
    networks,
    people,
    schools,
    surveys,
    users,
)
from tracker.services.surveys import TokenRefused

TODAY = dt.date.today()


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


@dataclass
class SurveyWorld:
    """One network: two schools, a head, ten teachers and two support staff in school 0,
    five teachers in school 1, one leaver; another network with one person."""

    app: Flask
    scope: Scope
    schools: list[dict[str, Any]]
    staff: dict[str, str] = field(default_factory=dict)  # label -> person uid
    outsider: str = ""
    leaver: str = ""

    def uid(self, label: str) -> str:
        return self.staff[label]


def build_survey_world(app: Flask) -> SurveyWorld:
    """Build inside an app context; the coordinator's user is the only account (fast)."""
    user = users.create("test", "coord@example.org", PASSWORD, role="coordinator")
    net = networks.create(
        user, {"name": "Survey network", "kind": "learning_network", "started": "2020-09-01"}
    )
    scope = Scope(user, net["uid"], "coordinator")
    made = [
        schools.add(
            scope,
            {"name": f"School {i}", "urn": f"90{i}", "phase": "primary", "joined": "2020-09-01"},
        )
        for i in range(2)
    ]
    world = SurveyWorld(app, scope, made)
    plan = [("head", "senior", 0)]
    plan += [(f"t{i}", "teacher", 0) for i in range(10)]
    plan += [("s0", "support", 0), ("s1", "support", 0)]
    plan += [(f"u{i}", "teacher", 1) for i in range(5)]
    for label, layer, school in plan:
        world.staff[label] = people.add(
            scope,
            {
                "name": f"Person {label}",
                "layer": layer,
                "school_uid": made[school]["uid"],
                "from": "2020-09-01",
                "email": f"{label}@school{school}.example.org",
            },
        )["uid"]
    world.leaver = people.add(
        scope,
        {
            "name": "Person leaver",
            "layer": "teacher",
            "school_uid": made[0]["uid"],
            "from": "2020-09-01",
            "to": day(-30),
        },
    )["uid"]
    other = networks.create(
        user, {"name": "Other network", "kind": "learning_network", "started": "2020-09-01"}
    )
    other_scope = Scope(user, other["uid"], "coordinator")
    other_school = schools.add(
        other_scope,
        {"name": "Far school", "urn": "999", "phase": "primary", "joined": "2020-09-01"},
    )
    world.outsider = people.add(
        other_scope,
        {
            "name": "Person outsider",
            "layer": "teacher",
            "school_uid": other_school["uid"],
            "from": "2020-09-01",
        },
    )["uid"]
    return world


def round_form(**changes: Any) -> dict[str, Any]:
    return {
        "title": "Autumn questionnaire",
        "topics": ["teaching_learning", "curriculum"],
        "opens": day(0),
        "closes": day(30),
        "schools": [],
        "layers": [],
        "consent_text": "",
        **changes,
    }


def open_with_links(world: SurveyWorld, **changes: Any) -> tuple[str, dict[str, str]]:
    """A round open today and a token per invited person (person uid -> token)."""
    made = surveys.open_round(world.scope, round_form(**changes), uid=str(uuid.uuid4()))
    rows = surveys.issue_links(world.scope, made["uid"], "http://localhost/")
    return made["uid"], {r["person_uid"]: r["link"].rsplit("/", 1)[1] for r in rows}


def nominate(token: str, nominee: str, **changes: Any) -> None:
    data = {
        "nominee_uid": nominee,
        "topics": ["teaching_learning"],
        "frequency": "weekly",
        "influence": "4",
        **changes,
    }
    surveys.save_nomination(token, data)


def answer(token: str, *nominees: str, submit: bool = True) -> None:
    surveys.give_consent(token)
    for nominee in nominees:
        nominate(token, nominee)
    if submit:
        surveys.submit(token)


def advice(app: Flask) -> list[dict[str, Any]]:
    with app.app_context():
        rows = graph.store.run(maintenance.DUMP_RELATIONSHIPS)
    return [r for r in rows if r["type"] == "SEEKS_ADVICE"]


def responses(app: Flask) -> list[dict[str, Any]]:
    with app.app_context():
        rows = graph.store.run(maintenance.DUMP_NODES)
    return [r["props"] for r in rows if "Response" in r["labels"]]


def refused(app: Flask, call: Callable[[], Any], error: type[Exception] = Invalid) -> Any:
    """``call`` must raise ``error`` and leave both stores (and the session) unchanged."""
    before = stores_state(app)
    with pytest.raises(error) as info:
        call()
    assert not (db.session.new or db.session.dirty or db.session.deleted)
    assert stores_state(app) == before
    return info.value


@pytest.fixture(scope="module")
def survey_template(
    tmp_path_factory: pytest.TempPathFactory, graph_dir: str, migrated_db: Path
) -> Iterator[dict[str, Any]]:
    """The survey world built once per module; each test gets a copy of both stores."""
    folder = tmp_path_factory.mktemp("survey-world")
    app = make_app(folder, graph_dir, migrated_db)
    with app.app_context():
        world = build_survey_world(app)
        template = {
            "graph": app.config["TRACKER_GRAPH_NAME"],
            "db": folder / "instance" / "tracker.db",
            "user_id": world.scope.user.id,
            "network_uid": world.scope.network_uid,
            "schools": world.schools,
            "staff": world.staff,
            "outsider": world.outsider,
            "leaver": world.leaver,
        }
        db.session.remove()
        db.engine.dispose()
    yield template
    with app.app_context():
        graph.store.connection.execute_command("GRAPH.DELETE", template["graph"])
        graph.close(app)


def clone_survey_world(app: Flask, template: dict[str, Any]) -> SurveyWorld:
    """Replace this test's (empty) stores with copies of the template's; in an app context."""
    store = graph.store
    store.connection.execute_command("GRAPH.DELETE", store.graph_name)
    store.connection.execute_command("GRAPH.COPY", template["graph"], store.graph_name)
    db.session.remove()
    db.engine.dispose()
    target = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    shutil.copy(template["db"], target)
    user = db.session.get(User, template["user_id"])
    world = SurveyWorld(
        app, Scope(user, template["network_uid"], "coordinator"), template["schools"]
    )
    world.staff = dict(template["staff"])
    world.outsider, world.leaver = template["outsider"], template["leaver"]
    return world


@pytest.fixture
def sw(ctx: Flask, survey_template: dict[str, Any]) -> SurveyWorld:
    return clone_survey_world(ctx, survey_template)


@pytest.fixture
def opened(sw: SurveyWorld) -> tuple[SurveyWorld, str, dict[str, str]]:
    uid, tokens = open_with_links(sw)
    return sw, uid, tokens


# -- rounds ------------------------------------------------------------------------------------


def test_open_round_invites_current_staff_of_the_chosen_schools_and_layers(sw):
    everyone = surveys.open_round(sw.scope, round_form())
    assert everyone["invited"] == 18  # the leaver and the other network's person are not
    assert everyone["status"] == "open"
    assert everyone["topics"] == [
        {"id": "teaching_learning", "label": "Teaching and learning"},
        {"id": "curriculum", "label": "Curriculum"},
    ]
    assert everyone["consent_text"] == surveys.DEFAULT_CONSENT
    some = surveys.open_round(
        sw.scope,
        round_form(schools=[sw.schools[1]["uid"]], layers=["teacher"], topics=["curriculum"]),
    )
    invited = {i["person_uid"] for i in surveys.invitees(sw.scope, some["uid"])}
    assert invited == {sw.uid(f"u{i}") for i in range(5)}
    assert [r["uid"] for r in surveys.list_rounds(sw.scope)] == [some["uid"], everyone["uid"]]
    [entry] = db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_uid == some["uid"])
    ).all()
    assert (entry.action, entry.object_kind, entry.after["invited"]) == ("open", "survey_round", 5)


def test_custom_topics_and_scheduled_status(sw):
    made = surveys.open_round(
        sw.scope,
        round_form(opens=day(3), topics=["curriculum"], custom_topics="Transition to Year 7\n"),
    )
    assert made["status"] == "scheduled"
    assert made["topics"] == [
        {"id": "curriculum", "label": "Curriculum"},
        {"id": "Transition to Year 7", "label": "Transition to Year 7"},
    ]


def test_double_submit_opens_one_round(sw, app):
    uid = str(uuid.uuid4())
    first = surveys.open_round(sw.scope, round_form(), uid=uid)
    before = stores_state(app)
    again = surveys.open_round(sw.scope, round_form(title="Changed"), uid=uid)
    assert again == first
    assert stores_state(app) == before


@pytest.mark.parametrize(
    ("changes", "field_name"),
    [
        ({"closes": day(-1), "opens": day(-10)}, "closes"),
        ({"opens": day(10), "closes": day(5)}, "closes"),
        ({"title": " "}, "title"),
        ({"topics": []}, "topics"),
        ({"topics": [f"Topic {i}" for i in range(9)]}, "topics"),
        ({"topics": ["x" * 61]}, "topics"),
        ({"layers": ["pupil"]}, "layers"),
        ({"schools": [str(uuid.uuid4())]}, "schools"),
    ],
)
def test_bad_round_forms_are_refused(sw, app, changes, field_name):
    error = refused(app, lambda: surveys.open_round(sw.scope, round_form(**changes)))
    assert field_name in error.errors


def test_a_school_of_another_network_cannot_be_chosen(sw, app):
    other = Scope(sw.scope.user, networks.find_by_name("Other network")["uid"], "coordinator")
    far = schools.listing(other)[0]["uid"]
    error = refused(app, lambda: surveys.open_round(sw.scope, round_form(schools=[far])))
    assert "belong to this network" in error.errors["schools"]


def test_another_networks_round_is_not_found(sw, app):
    made = surveys.open_round(sw.scope, round_form())
    other = Scope(sw.scope.user, networks.find_by_name("Other network")["uid"], "coordinator")
    for call in (
        lambda: surveys.get_round(other, made["uid"]),
        lambda: surveys.response_rates(other, made["uid"]),
        lambda: surveys.close(other, made["uid"], 1),
        lambda: surveys.issue_links(other, made["uid"], "http://x/"),
    ):
        refused(app, call, NotFound)


def test_extend_close_reopen_with_versions(opened, app):
    sw, uid, tokens = opened
    token = tokens[sw.uid("t0")]
    extended = surveys.extend(sw.scope, uid, day(40), 1)
    assert (extended["closes"], extended["version"]) == (day(40), 2)
    refused(app, lambda: surveys.extend(sw.scope, uid, day(50), 1), Stale)
    refused(app, lambda: surveys.extend(sw.scope, uid, day(35), 2))  # not later than now
    closed = surveys.close(sw.scope, uid, 2)
    assert closed["status"] == "closed" and closed["closed_at"]
    refused(app, lambda: surveys.open_invitation(token), TokenRefused)
    refused(app, lambda: surveys.close(sw.scope, uid, 3))  # already closed
    reopened = surveys.reopen(sw.scope, uid, 3)
    assert reopened["status"] == "open" and reopened["closed_at"] is None
    assert surveys.open_invitation(token)["round"]["uid"] == uid
    actions = [
        e.action for e in db.session.scalars(select(AuditEntry).where(AuditEntry.object_uid == uid))
    ]
    assert actions == ["open", "issue_links", "extend", "close", "reopen"]


def test_reopen_is_refused_once_the_closing_date_has_passed(opened, app):
    sw, uid, _ = opened
    surveys.close(sw.scope, uid, 1)
    db.session.execute(
        update(SurveyRound).where(SurveyRound.uid == uid).values(opens=day(-20), closes=day(-1))
    )
    db.session.commit()
    error = refused(app, lambda: surveys.reopen(sw.scope, uid, 2))
    assert "extend the round instead" in error.errors["closes"]


# -- links and tokens --------------------------------------------------------------------------


def test_tokens_are_stored_only_as_sha256(opened, app):
    sw, uid, tokens = opened
    assert len(tokens) == 18
    assert all(len(t) >= 43 for t in tokens.values())
    everything = json.dumps(stores_state(app))
    for person_uid, token in tokens.items():
        assert token not in everything
        inv = db.session.scalar(
            select(SurveyInvitation).where(SurveyInvitation.person_uid == person_uid)
        )
        assert inv.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert surveys.link_status(sw.scope, uid) == {
        "invited": 18,
        "issued": 18,
        "revoked": 0,
        "never_issued": 0,
        "sent": 0,
    }
    # Issuing again makes links only for those without one.
    assert surveys.issue_links(sw.scope, uid, "http://localhost/") == []


def test_links_csv_escapes_formulas(sw):
    text = surveys.links_csv(
        [{"person_id": "=HYPERLINK(1)", "name": "+A", "school": "S", "email": "", "link": "L"}]
    )
    assert text.splitlines() == ["person_id,name,school,email,link", "'=HYPERLINK(1),'+A,S,,L"]


def test_unknown_token_is_refused(opened, app):
    error = refused(app, lambda: surveys.open_invitation("not-a-real-token"), TokenRefused)
    assert error.reason == "unknown"
    assert refused(app, lambda: surveys.give_consent(""), TokenRefused).reason == "unknown"


def test_revoked_token_is_refused_and_a_reissued_link_works(opened, app):
    sw, uid, tokens = opened
    person = sw.uid("t0")
    surveys.revoke(sw.scope, uid, person)
    error = refused(app, lambda: surveys.open_invitation(tokens[person]), TokenRefused)
    assert error.reason == "revoked"
    assert refused(app, lambda: surveys.give_consent(tokens[person]), TokenRefused)
    states = {i["person_uid"]: i["link_state"] for i in surveys.invitees(sw.scope, uid)}
    assert states[person] == "revoked"
    link = surveys.reissue(sw.scope, uid, person, "http://localhost")
    assert link.startswith("http://localhost/s/")
    fresh = link.rsplit("/", 1)[1]
    assert surveys.open_invitation(fresh)["person"]["uid"] == person
    assert refused(app, lambda: surveys.open_invitation(tokens[person]), TokenRefused)


def test_expired_token_is_refused(opened, app):
    sw, uid, tokens = opened
    db.session.execute(
        update(SurveyRound).where(SurveyRound.uid == uid).values(opens=day(-20), closes=day(-1))
    )
    db.session.commit()
    error = refused(app, lambda: surveys.open_invitation(tokens[sw.uid("t0")]), TokenRefused)
    assert error.reason == "closed"


def test_closed_round_refuses_answers(opened, app):
    sw, uid, tokens = opened
    token = tokens[sw.uid("t0")]
    surveys.give_consent(token)
    surveys.close(sw.scope, uid, 1)
    error = refused(app, lambda: nominate(token, sw.uid("t1")), TokenRefused)
    assert error.reason == "closed"


def test_round_not_yet_open_refuses_the_link(sw, app):
    _uid, tokens = open_with_links(sw, opens=day(2))
    error = refused(app, lambda: surveys.open_invitation(next(iter(tokens.values()))), TokenRefused)
    assert error.reason == "not_open"


# -- the respondent ----------------------------------------------------------------------------


def test_nothing_is_stored_before_consent(opened, app):
    sw, _uid, tokens = opened
    token = tokens[sw.uid("t0")]
    before = stores_state(app)
    seen = surveys.open_invitation(token)
    assert seen["person"] == {"uid": sw.uid("t0"), "name": "Person t0"}
    assert seen["network"]["name"] == seen["network_name"] == "Survey network"
    assert (seen["consented"], seen["submitted"]) == (False, False)
    assert surveys.answers(token)["nominations"] == []
    assert surveys.nominee_choices(token)
    assert stores_state(app) == before
    error = refused(app, lambda: nominate(token, sw.uid("t1")))
    assert "consent" in error.errors
    refused(app, lambda: surveys.save_self(token, {"leader_in_school": "yes"}))
    refused(app, lambda: surveys.save_unlisted(token, {"text": "x", "topics": ["curriculum"]}))
    refused(app, lambda: surveys.submit(token))


def test_consent_then_nominations_become_ties_and_a_response(opened, app):
    sw, uid, tokens = opened
    token = tokens[sw.uid("t0")]
    version = dataversion.current(sw.scope.network_uid)
    surveys.give_consent(token)
    assert surveys.open_invitation(token)["consented"] is True
    assert responses(app) == []  # consent alone stores no answer
    nominate(token, sw.uid("head"), topics=["teaching_learning", "curriculum"], influence=5)
    nominate(token, sw.uid("u0"), frequency="termly", influence="2")
    ties = advice(app)
    assert sorted((t["target"], t["props"]["topic"]) for t in ties) == sorted(
        [
            (sw.uid("head"), "teaching_learning"),
            (sw.uid("head"), "curriculum"),
            (sw.uid("u0"), "teaching_learning"),
        ]
    )
    for tie in ties:
        assert tie["source"] == sw.uid("t0")
        assert tie["props"]["survey"] == uid
        assert tie["props"]["asked_at"] == day(0)
    assert {t["props"]["influence"] for t in ties if t["target"] == sw.uid("head")} == {5}
    [response] = responses(app)
    assert (response["person_uid"], response["survey"], response["status"]) == (
        sw.uid("t0"),
        uid,
        "in_progress",
    )
    assert dataversion.current(sw.scope.network_uid) == version + 2
    mine = surveys.answers(token)["nominations"]
    assert [(n["name"], n["topics"]) for n in mine] == [
        ("Person head", ["teaching_learning", "curriculum"]),
        ("Person u0", ["teaching_learning"]),
    ]
    assert mine[1]["school"] == "School 1" and mine[1]["frequency"] == "termly"
    choices = {c["uid"]: c for c in surveys.nominee_choices(token)}
    assert choices[sw.uid("head")]["nominated"] is True
    # Saving again is idempotent: the same three relationships, the same uids.
    uids = sorted(t["props"]["uid"] for t in ties)
    nominate(
        token,
        sw.uid("head"),
        topics=["teaching_learning", "curriculum"],
        influence=5,
        replace=True,
    )
    assert sorted(t["props"]["uid"] for t in advice(app)) == uids


def test_editing_a_nomination_replaces_its_ties(opened, app):
    sw, _, tokens = opened
    token = tokens[sw.uid("t0")]
    surveys.give_consent(token)
    nominate(token, sw.uid("head"), topics=["teaching_learning", "curriculum"])
    surveys.save_nomination(
        token,
        {
            "nominee_uid": sw.uid("head"),
            "topics": ["curriculum"],
            "frequency": "daily",
            "influence": 1,
        },
        replace=True,
    )
    [tie] = advice(app)
    assert (tie["props"]["topic"], tie["props"]["frequency"], tie["props"]["influence"]) == (
        "curriculum",
        "daily",
        1,
    )
    surveys.remove_nomination(token, sw.uid("head"))
    assert advice(app) == []


def test_nominee_choices_search_filter_and_exclude_self(opened):
    sw, _, tokens = opened
    token = tokens[sw.uid("t0")]
    every = surveys.nominee_choices(token)
    uids = {c["uid"] for c in every}
    assert sw.uid("t0") not in uids
    assert sw.leaver not in uids and sw.outsider not in uids
    assert len(every) == 17 and every.truncated is False
    assert [c["name"] for c in surveys.nominee_choices(token, q="PERSON U1")] == ["Person u1"]
    in_school = surveys.nominee_choices(token, school_uid=sw.schools[1]["uid"])
    assert {c["school"] for c in in_school} == {"School 1"} and len(in_school) == 5
    assert "email" not in every[0]


def test_self_and_about_you_answers(opened, app):
    sw, _, tokens = opened
    token = tokens[sw.uid("t0")]
    surveys.give_consent(token)
    surveys.save_self(
        token,
        {
            "leader_in_school": "unsure",
            "leader_in_network": "no",
            "trust_other_schools": "4",
            "levels": ["school_to_school", "pupil"],
        },
    )
    assert surveys.answers(token)["self"] == {
        "leader_in_school": "unsure",
        "leader_in_network": "no",
        "trust_other_schools": 4,
        "levels": ["pupil", "school_to_school"],
    }
    error = refused(app, lambda: surveys.save_self(token, {"trust_other_schools": "9"}))
    assert "trust_other_schools" in error.errors
    error = refused(app, lambda: surveys.save_self(token, {"leader_in_school": "maybe"}))
    assert "leader_in_school" in error.errors
    error = refused(app, lambda: surveys.save_self(token, {"levels": ["cosmic"]}))
    assert "levels" in error.errors


@pytest.fixture
def consented(opened):
    sw, _uid, tokens = opened
    token = tokens[sw.uid("t0")]
    surveys.give_consent(token)
    return sw, token


def test_self_nomination_is_refused(consented, app):
    sw, token = consented
    error = refused(app, lambda: nominate(token, sw.uid("t0")))
    assert "yourself" in error.errors["nominee_uid"]


def test_nominee_outside_the_network_is_refused(consented, app):
    sw, token = consented
    error = refused(app, lambda: nominate(token, sw.outsider))
    assert "this network" in error.errors["nominee_uid"]


def test_nominee_who_has_left_is_refused(consented, app):
    sw, token = consented
    refused(app, lambda: nominate(token, sw.leaver))


def test_unknown_nominee_is_refused(consented, app):
    _, token = consented
    refused(app, lambda: nominate(token, str(uuid.uuid4())))


def test_influence_of_seven_is_refused(consented, app):
    sw, token = consented
    error = refused(app, lambda: nominate(token, sw.uid("t1"), influence="7"))
    assert "1 to 5" in error.errors["influence"]


@pytest.mark.parametrize(
    ("changes", "field_name"),
    [
        ({"influence": "0"}, "influence"),
        ({"influence": "high"}, "influence"),
        ({"influence": ""}, "influence"),
        ({"frequency": "hourly"}, "frequency"),
        ({"topics": ["astrology"]}, "topics"),
        ({"topics": ["pupil_care"]}, "topics"),  # a default topic this round does not ask
        ({"topics": []}, "topics"),
    ],
)
def test_bad_nomination_values_are_refused(consented, app, changes, field_name):
    sw, token = consented
    error = refused(app, lambda: nominate(token, sw.uid("t1"), **changes))
    assert field_name in error.errors


def test_duplicate_nomination_is_refused(consented, app):
    sw, token = consented
    nominate(token, sw.uid("t1"))
    error = refused(app, lambda: nominate(token, sw.uid("t1"), topics=["curriculum"]))
    assert "already named Person t1" in error.errors["nominee_uid"]


def test_oversized_free_text_is_refused(consented, app):
    _, token = consented
    data = {"text": "x" * 201, "topics": ["curriculum"], "frequency": "weekly", "influence": 3}
    error = refused(app, lambda: surveys.save_unlisted(token, data))
    assert "200 characters" in error.errors["text"]


def test_someone_not_listed_is_kept_apart_from_the_graph(consented, app):
    _, token = consented
    before = stores_state(app)[0]
    entry = surveys.save_unlisted(
        token,
        {
            "text": "The LA's SEND adviser",
            "topics": ["curriculum"],
            "frequency": "termly",
            "influence": "5",
        },
    )
    assert stores_state(app)[0] == before  # the graph is untouched
    assert surveys.answers(token)["unlisted"] == [
        {
            "id": entry,
            "text": "The LA's SEND adviser",
            "topics": ["curriculum"],
            "frequency": "termly",
            "influence": 5,
        }
    ]
    surveys.save_unlisted(
        token,
        {
            "id": entry,
            "text": "SEND adviser",
            "topics": ["curriculum"],
            "frequency": "weekly",
            "influence": 4,
        },
    )
    assert [u["text"] for u in surveys.answers(token)["unlisted"]] == ["SEND adviser"]
    surveys.remove_unlisted(token, entry)
    assert surveys.answers(token)["unlisted"] == []


def test_more_than_thirty_nominations_are_refused(consented, app):
    sw, token = consented
    data = {"topics": ["curriculum"], "frequency": "weekly", "influence": 3}
    for i in range(surveys.MAX_NOMINATIONS):
        surveys.save_unlisted(token, {**data, "text": f"Someone {i}"})
    refused(app, lambda: nominate(token, sw.uid("t1")))
    refused(app, lambda: surveys.save_unlisted(token, {**data, "text": "One more"}))


def test_submit_completes_and_a_second_person_using_the_link_changes_nothing(consented, app):
    sw, token = consented
    nominate(token, sw.uid("t1"))
    surveys.submit(token)
    [response] = responses(app)
    assert response["status"] == "complete"
    seen = surveys.open_invitation(token)
    assert seen["submitted"] is True
    for call in (
        lambda: nominate(token, sw.uid("t2")),
        lambda: surveys.save_nomination(
            token,
            {
                "nominee_uid": sw.uid("t1"),
                "topics": ["curriculum"],
                "frequency": "daily",
                "influence": 1,
            },
            replace=True,
        ),
        lambda: surveys.remove_nomination(token, sw.uid("t1")),
        lambda: surveys.save_self(token, {"leader_in_school": "yes"}),
        lambda: surveys.submit(token),
    ):
        assert refused(app, call, TokenRefused).reason == "submitted"


# -- withdrawal --------------------------------------------------------------------------------


def test_respondent_withdrawal_deletes_every_answer(opened, app):
    sw, uid, tokens = opened
    mine, theirs = tokens[sw.uid("t0")], tokens[sw.uid("t1")]
    answer(mine, sw.uid("head"), sw.uid("u0"), submit=False)
    surveys.save_unlisted(
        mine, {"text": "Adviser", "topics": ["curriculum"], "frequency": "weekly", "influence": 2}
    )
    surveys.submit(mine)
    answer(theirs, sw.uid("head"))
    version = dataversion.current(sw.scope.network_uid)
    surveys.withdraw(mine)
    assert {t["source"] for t in advice(app)} == {sw.uid("t1")}
    assert [r["person_uid"] for r in responses(app)] == [sw.uid("t1")]
    assert db.session.scalars(select(SurveyUnlisted)).all() == []
    assert dataversion.current(sw.scope.network_uid) == version + 1
    error = refused(app, lambda: surveys.open_invitation(mine), TokenRefused)
    assert error.reason == "withdrawn"
    refused(app, lambda: surveys.withdraw(mine), TokenRefused)
    # The coordinator still sees the link as issued: withdrawal is not shown per person.
    states = {i["person_uid"]: i["link_state"] for i in surveys.invitees(sw.scope, uid)}
    assert states[sw.uid("t0")] == "active"


def test_coordinator_withdraws_a_respondent_on_request(opened, app):
    sw, uid, tokens = opened
    answer(tokens[sw.uid("t0")], sw.uid("head"))
    version = dataversion.current(sw.scope.network_uid)
    surveys.withdraw_respondent(sw.scope, uid, sw.uid("t0"))
    surveys.withdraw_respondent(sw.scope, uid, sw.uid("t1"))  # never answered: the same
    assert advice(app) == [] and responses(app) == []
    assert dataversion.current(sw.scope.network_uid) >= version + 2
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "withdraw_respondent")
    ).all()
    assert [e.after for e in entries] == [
        {"person_uid": sw.uid("t0")},
        {"person_uid": sw.uid("t1")},
    ]
    assert {(e.object_kind, e.object_uid) for e in entries} == {("survey_round", uid)}
    assert refused(app, lambda: surveys.open_invitation(tokens[sw.uid("t0")]), TokenRefused)
    refused(app, lambda: surveys.withdraw_respondent(sw.scope, uid, sw.outsider), NotFound)


# -- what the coordinator sees ------------------------------------------------------------------


def coordinator_view(scope: Scope, uid: str) -> str:
    """Everything coordinator-facing about a round, with its uid masked, as one text."""
    view = {
        "list": [r for r in surveys.list_rounds(scope) if r["uid"] == uid],
        "round": surveys.get_round(scope, uid),
        "links": surveys.link_status(scope, uid),
        "invitees": surveys.invitees(scope, uid),
        "rates": surveys.response_rates(scope, uid),
    }
    return json.dumps(view, sort_keys=True).replace(uid, "ROUND")


def audit_view(uid: str) -> str:
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_uid == uid).order_by(AuditEntry.id)
    ).all()
    return json.dumps([(e.action, e.before, e.after) for e in entries], sort_keys=True).replace(
        uid, "ROUND"
    )


def test_coordinator_functions_and_audit_never_say_who_answered(sw, app):
    """Two identical rounds answered by different people look identical to the coordinator."""
    setup = db.session.scalar(select(func.max(AuditEntry.id)))
    first, first_tokens = open_with_links(sw, title="Same")
    second, second_tokens = open_with_links(sw, title="Same")
    group_a = [sw.uid(f"t{i}") for i in range(5)]
    group_b = [sw.uid(f"t{i}") for i in range(5, 10)]
    opened = db.session.scalar(select(func.count(AuditEntry.id)))
    for person in group_a:
        answer(first_tokens[person], sw.uid("head"))
    surveys.give_consent(first_tokens[sw.uid("s0")])  # consented, never finished
    for person in group_b:
        answer(second_tokens[person], sw.uid("head"))
    surveys.give_consent(second_tokens[sw.uid("s1")])
    # Answering writes no audit row at all, so not even its time is logged.
    assert db.session.scalar(select(func.count(AuditEntry.id))) == opened
    assert coordinator_view(sw.scope, first) == coordinator_view(sw.scope, second)
    assert audit_view(first) == audit_view(second)
    # And no audit row anywhere names a respondent.
    since = select(AuditEntry).where(AuditEntry.id > setup)
    rows = json.dumps([(e.before, e.after) for e in db.session.scalars(since).all()])
    for person in [*group_a, *group_b]:
        assert person not in rows
    # Nothing per person beyond the link state reaches the invitee list.
    keys = {k for row in surveys.invitees(sw.scope, first) for k in row}
    assert keys == {"person_uid", "name", "school", "link_state"}


def test_response_rates_suppress_fewer_than_five(opened):
    sw, uid, tokens = opened
    for i in range(6):
        answer(tokens[sw.uid(f"t{i}")], sw.uid("head"))
    answer(tokens[sw.uid("u0")], sw.uid("head"))
    answer(tokens[sw.uid("t6")], submit=False)  # in progress: not counted
    rates = surveys.response_rates(sw.scope, uid)
    assert rates["overall"] == {
        "invited": 18,
        "responded": 7,
        "rate": round(7 / 18, 3),
        "suppressed": False,
        "reason": None,
    }
    by_school = {c["name"]: c for c in rates["by_school"]}
    # School 1 has one respondent: hidden; School 0 would give it away by subtraction.
    assert by_school["School 1"]["suppressed"] and by_school["School 1"]["responded"] is None
    assert by_school["School 1"]["reason"] == "small"
    assert by_school["School 0"]["suppressed"] and by_school["School 0"]["reason"] == "complement"
    assert {c["invited"] for c in rates["by_school"]} == {13, 5}
    by_layer = {c["layer"]: c for c in rates["by_layer"]}
    assert by_layer["teacher"]["responded"] == 7 and by_layer["teacher"]["rate"] == 0.467
    assert by_layer["senior"]["suppressed"] and by_layer["support"]["suppressed"]
    for i in range(1, 5):
        answer(tokens[sw.uid(f"u{i}")], sw.uid("head"))
    by_school = {c["name"]: c for c in surveys.response_rates(sw.scope, uid)["by_school"]}
    assert (by_school["School 0"]["responded"], by_school["School 1"]["responded"]) == (6, 5)
    assert by_school["School 1"]["rate"] == 1.0


def test_withdrawn_answers_do_not_count(opened):
    sw, uid, tokens = opened
    for i in range(5):
        answer(tokens[sw.uid(f"t{i}")])
    assert surveys.response_rates(sw.scope, uid)["overall"]["responded"] == 5
    surveys.withdraw(tokens[sw.uid("t0")])
    assert surveys.response_rates(sw.scope, uid)["overall"]["suppressed"] is True


def test_compare_counts_ties_gained_lost_and_newly_isolated(sw):
    a, a_tokens = open_with_links(sw, title="Autumn")
    b, b_tokens = open_with_links(sw, title="Spring")
    t0, t1, t2, head, u0, u1 = (sw.uid(x) for x in ("t0", "t1", "t2", "head", "u0", "u1"))
    answer(a_tokens[t0], head, u0)
    answer(a_tokens[t1], t2)
    answer(a_tokens[u1], u0)
    answer(b_tokens[t0], head, u1)  # kept head, lost u0, gained u1 (both cross-school)
    answer(b_tokens[t1])  # lost t2: t2 now has no ties at all
    answer(b_tokens[sw.uid("s0")], head)  # only in b: its tie is not "gained"
    result = surveys.compare(sw.scope, a, b)
    assert (result["a"]["title"], result["b"]["title"]) == ("Autumn", "Spring")
    assert (result["gained"], result["lost"]) == (1, 2)
    assert (result["gained_cross_school"], result["lost_cross_school"]) == (1, 1)
    assert result["respondents_in_both"] == 2
    assert result["school_pairs"] == [{"a": "School 0", "b": "School 1", "gained": 1, "lost": 1}]
    # t1 answered b naming nobody and nobody named t1, t2 or u0 (u1 skipped b).
    assert sorted(p["name"] for p in result["newly_isolated"]) == [
        "Person t1",
        "Person t2",
        "Person u0",
    ]
    assert len(result["rates"]) == 2
    evaluator = Scope(sw.scope.user, sw.scope.network_uid, "evaluator", names_visible=False)
    masked = surveys.compare(evaluator, a, b)["newly_isolated"]
    assert len(masked) == 3
    assert not {p["name"] for p in masked} & {"Person t1", "Person t2", "Person u0"}


# -- demo --------------------------------------------------------------------------------------


def test_demo_has_a_completed_round_and_one_in_progress(app, runner):
    result = runner.invoke(args=["demo", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "coordinator@demo.example"))
        scope = Scope(user, body["network"]["uid"], "coordinator")
        rounds = {r["status"]: r for r in surveys.list_rounds(scope)}
        assert set(rounds) == {"closed", "open"}
        done, running = rounds["closed"], rounds["open"]
        first = demo.period()[0]  # the demo's complete school year starts here
        last = f"{int(first[:4]) + 1}-08-31"
        assert first <= done["opens"] <= done["closes"] <= last
        assert running["opens"] <= day(0) <= running["closes"]
        rates = surveys.response_rates(scope, done["uid"])
        assert rates["overall"]["responded"] >= 20
        assert surveys.response_rates(scope, running["uid"])["overall"]["responded"] >= 5
        compared = surveys.compare(scope, done["uid"], running["uid"])
        assert compared["respondents_in_both"] >= 5
        ties = advice(app)
        in_rounds = [t for t in ties if t["props"]["survey"] in {done["uid"], running["uid"]}]
        assert {t["props"]["survey"] for t in in_rounds} == {done["uid"], running["uid"]}
        statuses = {r["status"] for r in responses(app) if r.get("survey") == running["uid"]}
        assert statuses == {"complete", "in_progress"}
    assert {r["uid"] for r in body["survey_rounds"]} == {done["uid"], running["uid"]}
    before = stores_state(app)
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    completed = demo.completed_round()
    shown = f"Questionnaire “{completed['title']}” ({completed['opens']} to {completed['closes']}"
    assert shown in again.output
    after = stores_state(app)
    assert after[0] == before[0]
    assert {k: v for k, v in after[1].items() if k != "audit_log"} == {
        k: v for k, v in before[1].items() if k != "audit_log"
    }
