"""Knowledge transfer through HTTP: practices, adoption steps, the school-to-school table."""

from __future__ import annotations

import html
import re
import uuid
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import EMAILS, World, login, stores_state
from tests.helpers import (
    audit_rows,
    coordinator_scope,
    field_error,
    links,
    nodes,
    refused,
    visible_text,
)
from tracker.services import schools as school_service
from tracker.services.pseudonyms import pseudonym
from tracker.services.transfers import transfer_table


def practices(app: Flask) -> list[dict[str, Any]]:
    return nodes(app, "Practice")


def base(world: World, key: str = "A") -> str:
    return f"/networks/{world.networks[key]['uid']}/transfers"


def practice_form(world: World, key: str = "A", **changes: Any) -> dict[str, Any]:
    return {
        "uid": str(uuid.uuid4()),
        "name": "Reciprocal reading",
        "school_uid": world.schools[key][0]["uid"],
        "shared_on": "2024-10-01",
        **changes,
    }


def step_form(world: World, key: str = "A", **changes: Any) -> dict[str, Any]:
    return {
        "uid": str(uuid.uuid4()),
        "school_uid": world.schools[key][1]["uid"],
        "stage": "heard",
        "date": "2024-11-05",
        "carrier_uid": world.people[key][0]["uid"],
        **changes,
    }


def share(client: FlaskClient, world: World, key: str = "A", **changes: Any) -> dict[str, Any]:
    form = practice_form(world, key, **changes)
    response = client.post(f"{base(world, key)}/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return form


def adopt(
    client: FlaskClient, world: World, practice_uid: str, key: str = "A", **changes: Any
) -> dict[str, Any]:
    form = step_form(world, key, **changes)
    response = client.post(f"{base(world, key)}/{practice_uid}/adoptions/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return form


def add_school(app: Flask, world: World, name: str, urn: str) -> str:
    with app.app_context():
        scope = coordinator_scope(world)
        return school_service.add(
            scope, {"name": name, "urn": urn, "phase": "secondary", "joined": "2024-09-01"}
        )["uid"]


# -- practices -----------------------------------------------------------------------------------


def test_share_a_practice(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = share(client, world)
    [node] = practices(app)
    assert node["uid"] == node["key"] == form["uid"]
    assert (node["name"], node["network_uid"], node["version"]) == (
        "Reciprocal reading",
        world.networks["A"]["uid"],
        1,
    )
    [shared] = links(app, "SHARED")
    assert (shared["source"], shared["target"]) == (form["school_uid"], form["uid"])
    assert shared["props"]["date"] == "2024-10-01" and shared["props"]["uid"]
    [entry] = audit_rows(app, form["uid"])
    assert (entry.action, entry.object_kind) == ("add", "practice")
    assert entry.after["shared_by"] == "A Primary 0"


def test_double_submit_shares_once(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = practice_form(world)
    assert client.post(f"{base(world)}/new", data=form).status_code == 302
    assert client.post(f"{base(world)}/new", data=form).status_code == 302
    assert [p["uid"] for p in practices(app)] == [form["uid"]]
    assert len(links(app, "SHARED")) == 1


def test_sharing_school_from_another_network_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    page = refused(
        app,
        client,
        f"{base(world)}/new",
        practice_form(world, school_uid=world.schools["B"][0]["uid"]),
    )
    assert "belongs to this network" in field_error(page, "school_uid")


def test_practice_needs_a_name_and_a_school(app, client, world):
    login(client, EMAILS["coordinatorA"])
    page = refused(app, client, f"{base(world)}/new", practice_form(world, school_uid=""))
    assert "Choose the school that shared it" in field_error(page, "school_uid")
    page = refused(app, client, f"{base(world)}/new", practice_form(world, name=""))
    assert field_error(page, "name")


def test_edit_practice_and_stale_edit(app, client, world):
    login(client, EMAILS["coordinatorA"])
    uid = share(client, world)["uid"]
    edit = practice_form(world, name="Reciprocal reading v2", version="1")
    assert client.post(f"{base(world)}/{uid}/edit", data=edit).status_code == 302
    [node] = practices(app)
    assert (node["name"], node["version"]) == ("Reciprocal reading v2", 2)

    page = refused(
        app,
        client,
        f"{base(world)}/{uid}/edit",
        practice_form(world, name="Mine", version="1"),
        status=409,
    )
    assert "name: now “Reciprocal reading v2”" in visible_text(page)
    assert [e.action for e in audit_rows(app, uid)] == ["add", "update"]


def test_changing_the_sharer_moves_the_steps_with_it(app, client, world):
    third = add_school(app, world, "C High", "C300")
    login(client, EMAILS["coordinatorA"])
    uid = share(client, world)["uid"]
    adopt(client, world, uid)
    edit = practice_form(world, school_uid=third, version="1")
    assert client.post(f"{base(world)}/{uid}/edit", data=edit).status_code == 302
    [shared] = links(app, "SHARED")
    assert shared["source"] == third
    [step] = links(app, "ADOPTED_BY")
    assert step["props"]["from_school_uid"] == third


def test_sharer_cannot_become_an_adopter_by_edit(app, client, world):
    login(client, EMAILS["coordinatorA"])
    uid = share(client, world)["uid"]
    adopt(client, world, uid)
    page = refused(
        app,
        client,
        f"{base(world)}/{uid}/edit",
        practice_form(world, school_uid=world.schools["A"][1]["uid"], version="2"),
    )
    assert "has adopted this practice" in field_error(page, "school_uid")


# -- adoption steps ------------------------------------------------------------------------------


def test_record_adoption_steps(app, client, world):
    login(client, EMAILS["coordinatorA"])
    practice = share(client, world)
    form = adopt(client, world, practice["uid"])
    [step] = links(app, "ADOPTED_BY")
    assert (step["source"], step["target"]) == (practice["uid"], form["school_uid"])
    assert step["props"] == {
        "uid": form["uid"],
        "date": "2024-11-05",
        "stage": "heard",
        "from_school_uid": practice["school_uid"],
        "carrier_uid": world.people["A"][0]["uid"],
    }
    entries = audit_rows(app, practice["uid"])
    assert [(e.action, e.object_kind) for e in entries] == [
        ("add", "practice"),
        ("add", "adoption"),
    ]
    page = visible_text(client.get(f"{base(world)}/{practice['uid']}").get_data(as_text=True))
    assert "2024-11-05 A Primary 1 Heard about A Person 0" in page


def test_carrier_is_optional(app, client, world):
    login(client, EMAILS["coordinatorA"])
    practice = share(client, world)
    adopt(client, world, practice["uid"], carrier_uid="")
    [step] = links(app, "ADOPTED_BY")
    assert step["props"].get("carrier_uid") is None


def test_double_submit_records_one_step(app, client, world):
    login(client, EMAILS["coordinatorA"])
    practice = share(client, world)
    form = step_form(world)
    url = f"{base(world)}/{practice['uid']}/adoptions/new"
    assert client.post(url, data=form).status_code == 302
    assert client.post(url, data=form).status_code == 302
    assert [s["props"]["uid"] for s in links(app, "ADOPTED_BY")] == [form["uid"]]


def test_sharing_school_cannot_adopt_its_own_practice(app, client, world):
    login(client, EMAILS["coordinatorA"])
    practice = share(client, world)
    page = refused(
        app,
        client,
        f"{base(world)}/{practice['uid']}/adoptions/new",
        step_form(world, school_uid=practice["school_uid"]),
    )
    assert "A Primary 0 shared this practice" in field_error(page, "school_uid")


def test_adopting_school_from_another_network_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    practice = share(client, world)
    page = refused(
        app,
        client,
        f"{base(world)}/{practice['uid']}/adoptions/new",
        step_form(world, school_uid=world.schools["B"][1]["uid"]),
    )
    assert "belongs to this network" in field_error(page, "school_uid")


def test_carrier_from_another_network_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    practice = share(client, world)
    page = refused(
        app,
        client,
        f"{base(world)}/{practice['uid']}/adoptions/new",
        step_form(world, carrier_uid=world.people["B"][0]["uid"]),
    )
    assert "person from this network" in field_error(page, "carrier_uid")


def test_unknown_stage_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    practice = share(client, world)
    page = refused(
        app,
        client,
        f"{base(world)}/{practice['uid']}/adoptions/new",
        step_form(world, stage="mastered"),
    )
    assert "Embedded" in field_error(page, "stage")


def test_adoption_before_sharing_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    practice = share(client, world)
    page = refused(
        app,
        client,
        f"{base(world)}/{practice['uid']}/adoptions/new",
        step_form(world, date="2024-09-30"),
    )
    assert "before A Primary 0 shared the practice (2024-10-01)" in field_error(page, "date")


def test_same_stage_twice_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    practice = share(client, world)
    adopt(client, world, practice["uid"])
    page = refused(
        app,
        client,
        f"{base(world)}/{practice['uid']}/adoptions/new",
        step_form(world, date="2024-12-01"),
    )
    assert "already recorded at “Heard about”" in field_error(page, "stage")


def test_edit_step_then_stale_edit(app, client, world):
    login(client, EMAILS["coordinatorA"])
    practice = share(client, world)
    step = adopt(client, world, practice["uid"])
    url = f"{base(world)}/{practice['uid']}/adoptions/{step['uid']}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in page

    edit = step_form(world, stage="trialled", date="2025-01-20", carrier_uid="", version="1")
    assert client.post(url, data=edit).status_code == 302
    [moved] = links(app, "ADOPTED_BY")
    assert moved["props"]["uid"] == step["uid"]
    assert (moved["props"]["stage"], moved["props"]["date"]) == ("trialled", "2025-01-20")
    assert moved["props"].get("carrier_uid") is None
    [node] = practices(app)
    assert node["version"] == 2

    page = refused(app, client, url, step_form(world, stage="embedded", version="1"), status=409)
    assert "stage: now “trialled”" in visible_text(page)
    entries = audit_rows(app, practice["uid"])
    assert entries[-1].action == "update" and entries[-1].object_kind == "adoption"
    assert entries[-1].before["stage"] == "heard" and entries[-1].after["stage"] == "trialled"


def test_step_can_move_to_another_adopting_school(app, client, world):
    third = add_school(app, world, "C High", "C300")
    login(client, EMAILS["coordinatorA"])
    practice = share(client, world)
    step = adopt(client, world, practice["uid"])
    url = f"{base(world)}/{practice['uid']}/adoptions/{step['uid']}/edit"
    assert client.post(url, data=step_form(world, school_uid=third, version="1")).status_code == 302
    [moved] = links(app, "ADOPTED_BY")
    assert moved["target"] == third and moved["props"]["uid"] == step["uid"]


def test_delete_step_asks_first(app, client, world):
    login(client, EMAILS["coordinatorA"])
    practice = share(client, world)
    step = adopt(client, world, practice["uid"])
    url = f"{base(world)}/{practice['uid']}/adoptions/{step['uid']}/delete"
    confirm = visible_text(client.get(url).get_data(as_text=True))
    assert "A Primary 1 heard about “Reciprocal reading” on 2024-11-05" in confirm

    before = stores_state(app)
    assert client.post(url).status_code == 302
    assert stores_state(app) == before

    assert client.post(url, data={"confirm": "yes"}).status_code == 302
    assert links(app, "ADOPTED_BY") == []
    assert len(practices(app)) == 1
    last = audit_rows(app, practice["uid"])[-1]
    assert (last.action, last.object_kind, last.before["uid"]) == (
        "delete",
        "adoption",
        step["uid"],
    )


def test_delete_practice_removes_its_steps(app, client, world):
    login(client, EMAILS["coordinatorA"])
    practice = share(client, world)
    adopt(client, world, practice["uid"])
    url = f"{base(world)}/{practice['uid']}/delete"
    assert "its 1 adoption step will be removed" in visible_text(
        client.get(url).get_data(as_text=True)
    )
    before = stores_state(app)
    assert client.post(url).status_code == 302
    assert stores_state(app) == before
    assert client.post(url, data={"confirm": "yes"}).status_code == 302
    assert practices(app) == []
    assert links(app, "ADOPTED_BY") == [] and links(app, "SHARED") == []
    last = audit_rows(app, practice["uid"])[-1]
    assert last.action == "delete" and len(last.before["adoptions"]) == 1


# -- the transfer table --------------------------------------------------------------------------


def test_transfer_table_counts_practices_and_furthest_stage(app, client, world):
    third = add_school(app, world, "C High", "C300")
    a0, a1 = world.schools["A"][0]["uid"], world.schools["A"][1]["uid"]
    login(client, EMAILS["coordinatorA"])
    reading = share(client, world)["uid"]
    adopt(client, world, reading, stage="heard", date="2024-11-01")
    adopt(client, world, reading, stage="embedded", date="2025-03-01")
    adopt(client, world, reading, school_uid=third, stage="trialled", date="2025-01-10")
    maths = share(client, world, name="Maths talk")["uid"]
    adopt(client, world, maths, school_uid=a1, stage="heard", date="2024-12-01")
    share(client, world, name="Phonics audit", school_uid=third)  # not adopted by anyone

    page = client.get(f"{base(world)}/").get_data(as_text=True)
    table = re.search(r'<table class="transfer-table".*?</table>', page, re.S)
    assert table, "no transfer table"
    text = visible_text(table.group(0))
    assert "Practices shared (rows) and adopted (columns)" in text
    headings = re.findall(r'<th scope="col">(.*?)</th>', table.group(0))
    assert headings[1:] == ["A Primary 1", "C High"]  # the adopting schools
    assert "A Primary 0 2 embedded 1 trialled" in text  # A0 -> A1: 2 practices; A0 -> C
    assert '<th scope="row">A Primary 0</th>' in table.group(0)
    assert "C High" not in re.findall(r'<th scope="row">(.*?)</th>', table.group(0))
    journeys = visible_text(page)
    assert (
        "Reciprocal reading 2024-10-01: shared by A Primary 0 "
        "2024-11-01: A Primary 1 heard about, carried by A Person 0 "
        "2025-01-10: C High trialled, carried by A Person 0 "
        "2025-03-01: A Primary 1 embedded, carried by A Person 0"
    ) in journeys
    assert "Phonics audit 2024-10-01: shared by C High Not taken up by another school yet." in (
        journeys
    )
    # The pure function agrees cell by cell.
    with app.app_context():
        from tracker.services import transfers as transfer_service

        listed = transfer_service.listing(coordinator_scope(world))
    cells = transfer_table(listed)["cells"]
    assert cells == {
        (a0, a1): {"count": 2, "stage": "embedded"},
        (a0, third): {"count": 1, "stage": "trialled"},
    }


def test_transfer_table_from_plain_data():
    practices_ = [
        {
            "uid": "p1",
            "shared": {"school_uid": "s", "school_name": "Sharer"},
            "adoptions": [
                {
                    "school_uid": "x",
                    "school_name": "X",
                    "stage": "trialled",
                    "from_school_uid": "s",
                },
                {"school_uid": "x", "school_name": "X", "stage": "heard", "from_school_uid": "s"},
                {
                    "school_uid": "y",
                    "school_name": "Y",
                    "stage": "heard",
                    "from_school_uid": "x",
                    "from_school_name": "X",
                },
            ],
        },
        {"uid": "p2", "shared": {"school_uid": "s", "school_name": "Sharer"}, "adoptions": []},
    ]
    table = transfer_table(practices_)
    assert [r["name"] for r in table["rows"]] == ["Sharer", "X"]
    assert [c["name"] for c in table["columns"]] == ["X", "Y"]
    assert table["cells"] == {
        ("s", "x"): {"count": 1, "stage": "trialled"},
        ("x", "y"): {"count": 1, "stage": "heard"},
    }


# -- scope and roles -----------------------------------------------------------------------------


def test_other_networks_practice_and_steps_are_404(app, client, world):
    login(client, EMAILS["coordinatorB"])
    practice = share(client, world, "B")
    step = adopt(client, world, practice["uid"], "B")
    client.post("/logout")
    login(client, EMAILS["coordinatorA"])
    before = stores_state(app)
    own = base(world)
    p, s = practice["uid"], step["uid"]
    for url in (
        f"{own}/{p}",
        f"{own}/{p}/edit",
        f"{own}/{p}/delete",
        f"{own}/{p}/adoptions/new",
        f"{own}/{p}/adoptions/{s}/edit",
        f"{own}/{p}/adoptions/{s}/delete",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{own}/{p}/delete", data={"confirm": "yes"}).status_code == 404
    assert client.post(f"{own}/{p}/adoptions/new", data=step_form(world)).status_code == 404
    assert (
        client.post(f"{own}/{p}/adoptions/{s}/delete", data={"confirm": "yes"}).status_code == 404
    )
    assert stores_state(app) == before


def test_own_practice_with_another_practices_step_is_404(app, client, world):
    login(client, EMAILS["coordinatorA"])
    first = share(client, world)
    second = share(client, world, name="Maths talk")
    step = adopt(client, world, first["uid"])
    url = f"{base(world)}/{second['uid']}/adoptions/{step['uid']}/edit"
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["leaderA", "evaluatorA"])
def test_readers_cannot_write(app, client, world, role):
    login(client, EMAILS["coordinatorA"])
    practice = share(client, world)
    step = adopt(client, world, practice["uid"])
    client.post("/logout")
    login(client, EMAILS[role])
    assert "Reciprocal reading" in client.get(f"{base(world)}/").get_data(as_text=True)
    assert client.get(f"{base(world)}/{practice['uid']}").status_code == 200
    before = stores_state(app)
    p, s = practice["uid"], step["uid"]
    assert client.post(f"{base(world)}/new", data=practice_form(world)).status_code == 403
    assert client.post(f"{base(world)}/{p}/adoptions/new", data=step_form(world)).status_code == 403
    assert client.post(f"{base(world)}/{p}/delete", data={"confirm": "yes"}).status_code == 403
    assert (
        client.post(f"{base(world)}/{p}/adoptions/{s}/delete", data={"confirm": "yes"}).status_code
        == 403
    )
    assert stores_state(app) == before


def test_evaluator_sees_the_carrier_pseudonymised(app, client, world):
    carrier = world.people["A"][0]
    login(client, EMAILS["coordinatorA"])
    practice = share(client, world)
    adopt(client, world, practice["uid"])
    client.post("/logout")
    login(client, EMAILS["evaluatorA"])
    with app.app_context():
        label = pseudonym(world.networks["A"]["uid"], carrier["uid"])
    for url in (f"{base(world)}/", f"{base(world)}/{practice['uid']}"):
        body = html.unescape(client.get(url).get_data(as_text=True))
        assert label in body, url
        assert carrier["name"] not in body, url
