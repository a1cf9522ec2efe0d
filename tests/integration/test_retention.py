"""``tracker retention``: answers older than a network's retention setting are deleted, audited.

A dry run reports and changes nothing; applying deletes ties, responses, "not listed" rows and
invitations of the expired rounds only (web rounds and answers imported without a round).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import stores_state
from tests.integration import test_surveys_service as survey_tests
from tests.integration.test_surveys_service import SurveyWorld, advice, responses, round_form
from tracker.extensions import db, graph
from tracker.graph.queries import survey as q
from tracker.models import AuditEntry, SurveyInvitation, SurveyRound, SurveyUnlisted
from tracker.packages.ids import relationship_uid
from tracker.services import dataversion, surveys

# The survey world of the service tests: built once per module, copied for each test.
survey_template = survey_tests.survey_template
sw = survey_tests.sw

TODAY = dt.date.today()


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def answered_round(world: SurveyWorld, opens: int, who: list[str], title: str) -> str:
    """A round opened ``opens`` days from today (three weeks long), answered by ``who``."""
    on = day(opens)
    made = surveys.open_round(
        world.scope,
        round_form(title=title, opens=on, closes=day(opens + 21)),
        on=on,
    )
    links = surveys.issue_links(world.scope, made["uid"], "http://localhost/", on=on)
    tokens = {r["person_uid"]: r["link"].rsplit("/", 1)[1] for r in links}
    for label in who:
        token = tokens[world.uid(label)]
        surveys.give_consent(token, on=on)
        surveys.save_nomination(
            token,
            {
                "nominee_uid": world.uid("head"),
                "topics": ["teaching_learning", "curriculum"],
                "frequency": "monthly",
                "influence": 3,
            },
            on=on,
        )
        surveys.save_unlisted(
            token,
            {"text": "Adviser", "topics": ["curriculum"], "frequency": "termly", "influence": 2},
            on=on,
        )
        surveys.submit(token, on=on)
    return made["uid"]


def imported_answer(world: SurveyWorld, survey: str, label: str) -> None:
    """An advice tie and a response as a package import leaves them (``import:<date>``)."""
    network = world.scope.network_uid
    person = world.uid(label)
    graph.store.run(
        q.SAVE_TIES,
        {
            "person_uid": person,
            "nominee_uid": world.uid("head"),
            "network_uid": network,
            "survey": survey,
            "rows": [{"uid": relationship_uid(network, "advice", survey, person), "topic": "x"}],
            "frequency": "weekly",
            "influence": 4,
            "asked_at": survey.removeprefix("import:"),
        },
    )
    graph.store.run(
        q.UPSERT_RESPONSE,
        {
            "uid": relationship_uid(network, "response", survey, person),
            "person_uid": person,
            "network_uid": network,
            "survey": survey,
            "status": "complete",
            "props": {"date": survey.removeprefix("import:")},
        },
    )


@pytest.fixture
def aged(sw: SurveyWorld) -> dict[str, Any]:
    """Twelve months' retention; one round and one import older than that, one of each newer."""
    old = answered_round(sw, -500, ["t0", "t1"], "Old round")
    recent = answered_round(sw, -10, ["t2"], "Recent round")
    imported_answer(sw, f"import:{day(-700)}", "t3")
    imported_answer(sw, f"import:{day(-30)}", "t4")
    dataversion.settings_for(sw.scope.network_uid).retention_months = 12
    db.session.commit()
    return {"old": old, "recent": recent}


def surveys_in_graph(app: Flask) -> set[str]:
    return {t["props"]["survey"] for t in advice(app)} | {r["survey"] for r in responses(app)}


def test_dry_run_reports_and_changes_nothing(app, sw, aged):
    before = stores_state(app)
    plan = surveys.apply_retention(None, today=day(0), dry_run=True)
    assert stores_state(app) == before
    assert [(r["survey"], r["title"]) for r in plan] == [
        (aged["old"], "Old round"),
        (f"import:{day(-700)}", f"Answers imported from a package ({day(-700)})"),
    ]
    old = plan[0]
    assert (old["ties"], old["responses"], old["unlisted"], old["invitations"]) == (
        4,
        2,
        2,
        19,
    )  # the leaver was still in post
    assert old["ended"] == day(-479)
    assert (plan[1]["ties"], plan[1]["responses"]) == (1, 1)


def test_apply_deletes_only_expired_answers_and_audits_each_round(app, sw, aged):
    version = dataversion.current(sw.scope.network_uid)
    plan = surveys.apply_retention(None, today=day(0), dry_run=False, actor="cli")
    assert len(plan) == 2
    assert surveys_in_graph(app) == {aged["recent"], f"import:{day(-30)}"}
    old_round = db.session.scalar(select(SurveyRound).where(SurveyRound.uid == aged["old"]))
    assert old_round is not None  # the round's title and dates stay as a record
    assert (
        db.session.scalars(
            select(SurveyInvitation).where(SurveyInvitation.round_id == old_round.id)
        ).all()
        == []
    )
    assert len(db.session.scalars(select(SurveyUnlisted)).all()) == 1  # the recent round's
    assert surveys.response_rates(sw.scope, aged["recent"])["overall"]["invited"] == 18
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "retention")).all()
    assert [(e.actor, e.object_kind, e.object_uid) for e in entries] == [
        ("cli", "survey_round", aged["old"]),
        ("cli", "survey", f"import:{day(-700)}"),
    ]
    assert entries[0].after == {
        "ended": day(-479),
        "ties": 4,
        "responses": 2,
        "unlisted": 2,
        "invitations": 19,
    }
    assert dataversion.current(sw.scope.network_uid) > version
    # A second run finds nothing left to delete and changes nothing.
    before = stores_state(app)
    assert surveys.apply_retention(None, today=day(0), dry_run=False) == []
    assert stores_state(app) == before


def test_networks_without_a_retention_setting_are_left_alone(app, sw, aged):
    dataversion.settings_for(sw.scope.network_uid).retention_months = None
    db.session.commit()
    before = stores_state(app)
    assert surveys.apply_retention(None, today=day(0), dry_run=False) == []
    assert stores_state(app) == before


def test_the_command_dry_runs_first_then_applies(app, sw, aged, runner):
    before = stores_state(app)
    dry = runner.invoke(args=["retention", "--json"])
    assert dry.exit_code == 0, dry.output
    body = json.loads(dry.stdout)
    assert body["applied"] is False
    assert [r["survey"] for r in body["rounds"]] == [aged["old"], f"import:{day(-700)}"]
    text = runner.invoke(args=["retention"])
    assert "Dry run: nothing was deleted" in text.output
    assert "Old round" in text.output
    assert stores_state(app) == before

    other = runner.invoke(args=["retention", "--network", "Other network", "--apply"])
    assert other.exit_code == 0, other.output
    assert "Nothing is older" in other.output
    assert stores_state(app) == before

    applied = runner.invoke(args=["retention", "--network", "Survey network", "--apply"])
    assert applied.exit_code == 0, applied.output
    assert "Deleted the answers of 2 rounds." in applied.output
    assert surveys_in_graph(app) == {aged["recent"], f"import:{day(-30)}"}
    unknown = runner.invoke(args=["retention", "--network", "No such network"])
    assert unknown.exit_code != 0 and "not found" in unknown.output
