"""The people forms through HTTP: adding, moving, leaving, bad input, scope and pseudonyms."""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import EMAILS, World, login, stores_state
from tests.helpers import (
    coordinator_scope,
    field_error,
    nodes,
    refused,
    relationships,
    visible_text,
)
from tracker.extensions import db
from tracker.models import AuditEntry
from tracker.services import people as people_service
from tracker.services.pseudonyms import pseudonym


def person_nodes(app: Flask) -> list[dict[str, Any]]:
    return nodes(app, "Person")


def works_at(app: Flask, person_uid: str) -> list[dict[str, Any]]:
    """The person's WORKS_AT periods, oldest first, with the school as ``school_uid``."""
    return sorted(relationships(app, "WORKS_AT", person_uid, "school_uid"), key=lambda w: w["from"])


def new_person(world: World, **changes: str) -> dict[str, str]:
    """A valid add-person form for network A."""
    return {
        "uid": str(uuid.uuid4()),
        "name": "Jo Bloggs",
        "layer": "teacher",
        "job_title": "Year 4 teacher",
        "school_uid": world.schools["A"][0]["uid"],
        "start": "2023-09-01",
        "end": "",
        **changes,
    }


def people_url(world: World, key: str = "A") -> str:
    return f"/networks/{world.networks[key]['uid']}/people"


def test_add_person_with_school_starts_work_period(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = new_person(world)
    response = client.post(f"{people_url(world)}/new", data=form)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{people_url(world)}/{form['uid']}")
    [person] = [p for p in person_nodes(app) if p["uid"] == form["uid"]]
    assert person["name"] == "Jo Bloggs" and person["layer"] == "teacher"
    assert person["network_uid"] == world.networks["A"]["uid"]
    [period] = works_at(app, form["uid"])
    assert period["school_uid"] == form["school_uid"]
    assert period["from"] == "2023-09-01" and period.get("to") is None


def test_school_outside_network_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    page = refused(
        app,
        client,
        f"{people_url(world)}/new",
        new_person(world, school_uid=world.schools["B"][0]["uid"]),
    )
    assert "belongs to this network" in field_error(page, "school_uid")


def test_end_before_start_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    page = refused(app, client, f"{people_url(world)}/new", new_person(world, end="2023-08-31"))
    assert "is before the start date (2023-09-01)" in field_error(page, "end")


def test_staff_layer_without_school_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    page = refused(
        app, client, f"{people_url(world)}/new", new_person(world, layer="support", school_uid="")
    )
    assert "Choose the school this person works at" in field_error(page, "school_uid")


def test_external_partner_without_school_is_accepted(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = new_person(world, layer="external", school_uid="", job_title="Maths hub lead")
    response = client.post(f"{people_url(world)}/new", data=form)

    assert response.status_code == 302
    [person] = [p for p in person_nodes(app) if p["uid"] == form["uid"]]
    assert person["layer"] == "external"
    assert works_at(app, form["uid"]) == []


def test_move_keeps_both_work_periods(app, client, world):
    person = world.people["A"][0]
    old_school, new_school = world.schools["A"][0]["uid"], world.schools["A"][1]["uid"]
    login(client, EMAILS["coordinatorA"])
    response = client.post(
        f"{people_url(world)}/{person['uid']}/move",
        data={"uid": str(uuid.uuid4()), "school_uid": new_school, "on": "2025-01-06"},
    )

    assert response.status_code == 302
    old, new = works_at(app, person["uid"])
    assert (old["school_uid"], old["from"], old["to"]) == (old_school, "2020-09-01", "2025-01-06")
    assert (new["school_uid"], new["from"], new.get("to")) == (new_school, "2025-01-06", None)
    page = visible_text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "A Primary 0 from 2020-09-01 to 2025-01-06" in page
    assert "A Primary 1 from 2025-01-06 (current)" in page


def test_end_employment_keeps_the_period(app, client, world):
    person = world.people["A"][1]
    login(client, EMAILS["coordinatorA"])
    response = client.post(f"{people_url(world)}/{person['uid']}/end", data={"on": "2025-03-31"})

    assert response.status_code == 302
    [period] = works_at(app, person["uid"])
    assert period["from"] == "2020-09-01" and period["to"] == "2025-03-31"
    assert [p for p in person_nodes(app) if p["uid"] == person["uid"]]


def test_leaving_before_starting_is_refused_next_to_the_date(app, client, world):
    person = world.people["A"][1]
    login(client, EMAILS["coordinatorA"])
    page = refused(app, client, f"{people_url(world)}/{person['uid']}/end", {"on": "2019-01-01"})
    assert "is before the start date (2020-09-01)" in field_error(page, "on")


def test_moving_to_a_school_outside_the_network_is_refused(app, client, world):
    person = world.people["A"][0]
    login(client, EMAILS["coordinatorA"])
    page = refused(
        app,
        client,
        f"{people_url(world)}/{person['uid']}/move",
        {"uid": str(uuid.uuid4()), "school_uid": world.schools["B"][0]["uid"], "on": "2025-01-06"},
    )
    assert "belongs to this network" in field_error(page, "school_uid")


def test_unknown_person_is_404(app, client, world):
    login(client, EMAILS["coordinatorA"])
    unknown = str(uuid.uuid4())
    assert client.get(f"{people_url(world)}/{unknown}").status_code == 404
    assert client.get(f"{people_url(world)}/{unknown}/edit").status_code == 404


def test_other_networks_person_under_own_url_is_404(app, client, world):
    person_b = world.people["B"][0]["uid"]
    login(client, EMAILS["coordinatorA"])
    before = stores_state(app)
    base = f"{people_url(world)}/{person_b}"

    assert client.get(base).status_code == 404
    assert client.get(f"{base}/edit").status_code == 404
    assert client.post(f"{base}/end", data={"on": "2025-03-31"}).status_code == 404
    move = client.post(
        f"{base}/move",
        data={"school_uid": world.schools["A"][0]["uid"], "on": "2025-03-31"},
    )
    assert move.status_code == 404
    edit = client.post(f"{base}/edit", data={"name": "Taken", "layer": "teacher", "version": 1})
    assert edit.status_code == 404
    assert stores_state(app) == before


@pytest.mark.parametrize("page", ["list", "person", "school"])
def test_evaluator_sees_pseudonyms_not_names_or_job_titles(app, client, world, page):
    network_uid = world.networks["A"]["uid"]
    school_uid = world.schools["A"][0]["uid"]
    with app.app_context():
        person = people_service.add(
            coordinator_scope(world),
            {
                "name": "Philippa Quennell",
                "layer": "senior",
                "job_title": "Executive Headteacher",
                "school_uid": school_uid,
                "from": "2019-09-01",
            },
        )
        label = pseudonym(network_uid, person["uid"])
    login(client, EMAILS["evaluatorA"])
    url = {
        "list": f"{people_url(world)}/",
        "person": f"{people_url(world)}/{person['uid']}",
        "school": f"/networks/{network_uid}/schools/{school_uid}",
    }[page]
    response = client.get(url)

    assert response.status_code == 200
    body = html.unescape(response.get_data(as_text=True))
    assert label in body
    assert "Philippa" not in body and "Quennell" not in body
    assert "Executive Headteacher" not in body
    for other in world.people["A"]:
        assert other["name"] not in body


def test_leader_reads_but_may_not_add_people(app, client, world):
    person = world.people["A"][0]
    login(client, EMAILS["leaderA"])
    assert client.get(f"{people_url(world)}/").status_code == 200
    page = client.get(f"{people_url(world)}/{person['uid']}")
    assert page.status_code == 200 and person["name"] in page.get_data(as_text=True)

    before = stores_state(app)
    assert client.get(f"{people_url(world)}/new").status_code == 403
    assert client.post(f"{people_url(world)}/new", data=new_person(world)).status_code == 403
    assert stores_state(app) == before


def _add(client: FlaskClient, world: World) -> tuple[str, str]:
    form = new_person(world)
    response = client.post(f"{people_url(world)}/new", data=form)
    assert response.status_code == 302
    return "add", form["uid"]


def _edit(client: FlaskClient, world: World) -> tuple[str, str]:
    uid = world.people["A"][0]["uid"]
    response = client.post(
        f"{people_url(world)}/{uid}/edit",
        data={"name": "A Person Zero", "layer": "senior", "job_title": "Head", "version": "1"},
    )
    assert response.status_code == 302
    return "update", uid


def _move(client: FlaskClient, world: World) -> tuple[str, str]:
    uid = world.people["A"][0]["uid"]
    response = client.post(
        f"{people_url(world)}/{uid}/move",
        data={"school_uid": world.schools["A"][1]["uid"], "on": "2025-01-06"},
        follow_redirects=True,
    )
    assert "Both periods are kept" in response.get_data(as_text=True)
    return "move", uid


def _end(client: FlaskClient, world: World) -> tuple[str, str]:
    uid = world.people["A"][1]["uid"]
    response = client.post(
        f"{people_url(world)}/{uid}/end", data={"on": "2025-03-31"}, follow_redirects=True
    )
    assert "The history is kept" in response.get_data(as_text=True)
    return "end_work", uid


@pytest.mark.parametrize("write", [_add, _edit, _move, _end], ids=["add", "edit", "move", "end"])
def test_each_write_adds_one_audit_row(
    app, client, world, write: Callable[[FlaskClient, World], tuple[str, str]]
):
    login(client, EMAILS["coordinatorA"])
    with app.app_context():
        last = db.session.scalar(select(func.max(AuditEntry.id)))

    action, uid = write(client, world)

    with app.app_context():
        new = db.session.scalars(select(AuditEntry).where(AuditEntry.id > last)).all()
        assert [(e.action, e.object_kind, e.object_uid) for e in new] == [(action, "person", uid)]
        assert new[0].network_uid == world.networks["A"]["uid"]
        assert new[0].actor == EMAILS["coordinatorA"].lower()


def test_name_with_markup_is_shown_escaped(app, client, world):
    evil = "<script>alert(1)</script>"
    login(client, EMAILS["coordinatorA"])
    form = new_person(world, name=evil)
    assert client.post(f"{people_url(world)}/new", data=form).status_code == 302

    for url in (
        f"{people_url(world)}/",
        f"{people_url(world)}/{form['uid']}",
        f"/networks/{world.networks['A']['uid']}/schools/{form['school_uid']}",
    ):
        page = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
        assert evil not in page, url
