"""Activities through HTTP: record, list, edit attendance, delete, and every refusal."""

from __future__ import annotations

import datetime as dt
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
from tracker.extensions import graph
from tracker.graph.queries import maintenance
from tracker.services import people as people_service
from tracker.services.activities import relationship_uid
from tracker.services.pseudonyms import pseudonym


def activities(app: Flask) -> list[dict[str, Any]]:
    return nodes(app, "Activity")


def attendance(app: Flask, activity_uid: str) -> dict[str, str]:
    """person uid -> ATTENDED uid, for one activity."""
    return {
        row["source"]: row["props"]["uid"]
        for row in links(app, "ATTENDED")
        if row["target"] == activity_uid
    }


def base(world: World, key: str = "A") -> str:
    return f"/networks/{world.networks[key]['uid']}/activities"


def good(world: World, key: str = "A", **changes: Any) -> dict[str, Any]:
    """A valid learning forum at school 0, attended by all three people of the network."""
    return {
        "uid": str(uuid.uuid4()),
        "kind": "learning_forum",
        "date": "2025-02-12",
        "title": "Spring learning forum",
        "host_uid": world.schools[key][0]["uid"],
        "attendees": [p["uid"] for p in world.people[key]],
        "levels": ["adult", "school_to_school"],
        "decision": "Adopt the shared reading framework",
        "decided_by_uid": world.schools[key][1]["uid"],
        "outcome": "Two schools will trial it next term",
        **changes,
    }


def record(client: FlaskClient, world: World, key: str = "A", **changes: Any) -> dict[str, Any]:
    form = good(world, key, **changes)
    response = client.post(f"{base(world, key)}/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return form


def test_record_an_activity_with_schools_attendees_and_levels(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = good(world)
    response = client.post(f"{base(world)}/new", data=form)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{base(world)}/{form['uid']}")
    [node] = activities(app)
    assert node["uid"] == node["key"] == form["uid"]
    assert node["network_uid"] == world.networks["A"]["uid"]
    assert (node["kind"], node["date"], node["title"]) == (
        "learning_forum",
        "2025-02-12",
        "Spring learning forum",
    )
    assert node["levels"] == ["adult", "school_to_school"]
    assert node["decision"] == "Adopt the shared reading framework"
    assert node["outcome"] == "Two schools will trial it next term"
    assert node["version"] == 1
    [host] = links(app, "HOSTED_BY")
    assert (host["source"], host["target"]) == (form["uid"], form["host_uid"])
    [decider] = links(app, "DECIDED_BY")
    assert (decider["source"], decider["target"]) == (form["uid"], form["decided_by_uid"])
    network_uid = world.networks["A"]["uid"]
    assert attendance(app, form["uid"]) == {
        p: relationship_uid(network_uid, "ATTENDED", p, form["uid"]) for p in form["attendees"]
    }
    # The same uid a package import gives this attendance, so a re-import finds it.
    from tracker.packages import ids

    person = form["attendees"][0]
    assert attendance(app, form["uid"])[person] == ids.relationship_uid(
        network_uid, "ATTENDED", person, form["uid"]
    )
    [entry] = audit_rows(app, form["uid"])
    assert (entry.action, entry.object_kind, entry.network_uid) == ("add", "activity", network_uid)
    assert entry.after["attendee_uids"] == sorted(form["attendees"])


def test_list_shows_each_column(app, client, world):
    login(client, EMAILS["coordinatorA"])
    record(client, world)
    page = visible_text(client.get(f"{base(world)}/").get_data(as_text=True))
    # date, kind, title, host, attendees, schools represented, levels, decision (by school)
    assert (
        "2025-02-12 Learning forum Spring learning forum A Primary 0 3 "
        "2: A Primary 0, A Primary 1 Adult learning School-to-school learning "
        "Adopt the shared reading framework (A Primary 1)"
    ) in page


def test_show_page_lists_attendees_with_their_schools(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = record(client, world)
    page = visible_text(client.get(f"{base(world)}/{form['uid']}").get_data(as_text=True))
    assert "Attendees (3 from 2 schools)" in page
    assert "A Person 0 A Primary 0" in page and "A Person 1 A Primary 1" in page
    assert "taken by A Primary 1" in page


def test_create_form_has_defaults_and_the_people_checklist(app, client, world):
    login(client, EMAILS["coordinatorA"])
    page = client.get(f"{base(world)}/new").get_data(as_text=True)
    assert f'value="{dt.date.today().isoformat()}"' in page
    assert re.search(r'name="uid" type="hidden" value="[0-9a-f-]{36}"', page)
    assert '<option selected value="learning_forum">' in page
    for person in world.people["A"]:
        assert f'name="attendees" value="{person["uid"]}"' in page
    for person in world.people["B"]:
        assert person["uid"] not in page
    assert 'name="levels" value="school_to_school"' in page


def test_title_defaults_to_the_kind(app, client, world):
    login(client, EMAILS["coordinatorA"])
    record(client, world, kind="workshop", title="")
    [node] = activities(app)
    assert node["title"] == "Workshop"


def test_double_submit_records_one_activity(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = good(world)
    assert client.post(f"{base(world)}/new", data=form).status_code == 302
    assert client.post(f"{base(world)}/new", data=form).status_code == 302
    assert [a["uid"] for a in activities(app)] == [form["uid"]]
    assert len(attendance(app, form["uid"])) == 3
    assert len(audit_rows(app, form["uid"])) == 1


def test_uid_taken_in_another_network_gets_a_new_one(app, client, world):
    login(client, EMAILS["coordinatorB"])
    taken = record(client, world, "B")["uid"]
    client.post("/logout")
    login(client, EMAILS["coordinatorA"])
    record(client, world, uid=taken, title="Ours")
    ours = [a for a in activities(app) if a["title"] == "Ours"]
    assert len(ours) == 1 and ours[0]["uid"] != taken
    assert ours[0]["network_uid"] == world.networks["A"]["uid"]
    [theirs] = [a for a in activities(app) if a["uid"] == taken]
    assert theirs["network_uid"] == world.networks["B"]["uid"]


def test_attendee_from_another_network_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    outsider = world.people["B"][0]["uid"]
    attendees = [world.people["A"][0]["uid"], outsider]
    page = refused(app, client, f"{base(world)}/new", good(world, attendees=attendees))
    assert "people of this network" in field_error(page, "attendees")


@pytest.mark.parametrize("field", ["host_uid", "decided_by_uid"])
def test_school_from_another_network_is_refused(app, client, world, field):
    login(client, EMAILS["coordinatorA"])
    page = refused(
        app, client, f"{base(world)}/new", good(world, **{field: world.schools["B"][0]["uid"]})
    )
    assert "belongs to this network" in field_error(page, field)


def test_unknown_kind_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    page = refused(app, client, f"{base(world)}/new", good(world, kind="party"))
    assert "Learning forum" in field_error(page, "kind")


def test_unknown_level_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    page = refused(app, client, f"{base(world)}/new", good(world, levels=["adult", "cosmic"]))
    assert "School-to-school learning" in field_error(page, "levels")


def test_school_visit_needs_the_school_visited(app, client, world):
    login(client, EMAILS["coordinatorA"])
    page = refused(app, client, f"{base(world)}/new", good(world, kind="visit", host_uid=""))
    assert "school that was visited" in field_error(page, "host_uid")


def test_deciding_school_without_a_decision_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    page = refused(app, client, f"{base(world)}/new", good(world, decision=""))
    assert "Describe the decision" in field_error(page, "decision")


def test_bad_date_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    page = refused(app, client, f"{base(world)}/new", good(world, date="12/02/2025"))
    assert field_error(page, "date")


def test_edit_changes_attendance_and_bumps_the_version(app, client, world):
    login(client, EMAILS["coordinatorA"])
    people = [p["uid"] for p in world.people["A"]]
    form = record(client, world, attendees=people[:2])
    page = client.get(f"{base(world)}/{form['uid']}/edit").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in page
    assert f'value="{people[0]}" checked' in page and f'value="{people[2]}">' in page

    edit = good(world, attendees=[people[1], people[2]], title="Renamed", version="1")
    edit.pop("uid")
    response = client.post(f"{base(world)}/{form['uid']}/edit", data=edit)

    assert response.status_code == 302
    [node] = activities(app)
    assert (node["title"], node["version"]) == ("Renamed", 2)
    assert set(attendance(app, form["uid"])) == {people[1], people[2]}
    entries = audit_rows(app, form["uid"])
    assert [e.action for e in entries] == ["add", "update"]
    assert entries[1].before["attendee_uids"] == sorted(people[:2])
    assert entries[1].after["attendee_uids"] == sorted(people[1:])


def test_edit_can_clear_the_host_and_decision(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = record(client, world)
    edit = good(world, host_uid="", decided_by_uid="", decision="", version="1")
    assert client.post(f"{base(world)}/{form['uid']}/edit", data=edit).status_code == 302
    assert links(app, "HOSTED_BY") == [] and links(app, "DECIDED_BY") == []
    [node] = activities(app)
    assert node.get("decision") is None


def test_stale_edit_is_refused_with_what_changed(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = record(client, world)
    first = good(world, title="Their title", version="1")
    assert client.post(f"{base(world)}/{form['uid']}/edit", data=first).status_code == 302

    page = refused(
        app,
        client,
        f"{base(world)}/{form['uid']}/edit",
        good(world, title="My title", version="1"),
        status=409,
    )
    text = visible_text(page)
    assert "Someone else changed this record" in text
    assert "title: now “Their title”" in text
    assert 'name="version" type="hidden" value="2"' in page


def test_attendee_who_left_stays_ticked_on_the_edit_form(app, client, world):
    leaver = world.people["A"][2]
    login(client, EMAILS["coordinatorA"])
    form = record(client, world)
    assert (
        client.post(
            f"/networks/{world.networks['A']['uid']}/people/{leaver['uid']}/end",
            data={"on": "2025-03-01"},
        ).status_code
        == 302
    )
    page = client.get(f"{base(world)}/{form['uid']}/edit").get_data(as_text=True)
    assert "Since left the network" in visible_text(page)
    assert f'value="{leaver["uid"]}" checked' in page

    edit = good(world, version="1")
    assert client.post(f"{base(world)}/{form['uid']}/edit", data=edit).status_code == 302
    assert leaver["uid"] in attendance(app, form["uid"])


def test_delete_asks_then_removes_activity_and_attendance(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = record(client, world)
    url = f"{base(world)}/{form['uid']}/delete"
    confirm = visible_text(client.get(url).get_data(as_text=True))
    assert "Delete “Spring learning forum”?" in confirm
    assert "3 attendees will be removed" in confirm
    assert "give it an end date" not in confirm

    before = stores_state(app)
    unconfirmed = client.post(url)
    assert unconfirmed.status_code == 302 and unconfirmed.headers["Location"].endswith(url)
    assert stores_state(app) == before

    assert client.post(url, data={"confirm": "yes"}).status_code == 302
    assert activities(app) == []
    assert links(app, "ATTENDED") == [] and links(app, "HOSTED_BY") == []
    with app.app_context():
        nodes = graph.store.run(maintenance.DUMP_NODES)
    assert sum("Person" in n["labels"] for n in nodes) == 6
    assert sum("School" in n["labels"] for n in nodes) == 4
    last = audit_rows(app, form["uid"])[-1]
    assert last.action == "delete"
    assert last.before["title"] == "Spring learning forum"
    assert last.before["attendee_uids"] == sorted(form["attendees"])


def test_other_networks_activity_is_404(app, client, world):
    login(client, EMAILS["coordinatorB"])
    uid = record(client, world, "B")["uid"]
    client.post("/logout")
    login(client, EMAILS["coordinatorA"])
    before = stores_state(app)
    assert client.get(f"{base(world)}/{uid}").status_code == 404
    assert client.get(f"{base(world)}/{uid}/edit").status_code == 404
    assert client.get(f"{base(world)}/{uid}/delete").status_code == 404
    assert client.post(f"{base(world)}/{uid}/delete", data={"confirm": "yes"}).status_code == 404
    edit = good(world, version="1")
    assert client.post(f"{base(world)}/{uid}/edit", data=edit).status_code == 404
    assert stores_state(app) == before
    assert "Spring learning forum" not in client.get(f"{base(world)}/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["leaderA", "evaluatorA"])
def test_readers_cannot_write(app, client, world, role):
    login(client, EMAILS["coordinatorA"])
    uid = record(client, world)["uid"]
    client.post("/logout")
    login(client, EMAILS[role])
    listing = client.get(f"{base(world)}/").get_data(as_text=True)
    assert "Spring learning forum" in listing and "Record an activity" not in listing
    assert client.get(f"{base(world)}/{uid}").status_code == 200
    before = stores_state(app)
    assert client.get(f"{base(world)}/new").status_code == 403
    assert client.post(f"{base(world)}/new", data=good(world)).status_code == 403
    assert client.get(f"{base(world)}/{uid}/edit").status_code == 403
    assert client.post(f"{base(world)}/{uid}/edit", data=good(world, version=1)).status_code == 403
    assert client.post(f"{base(world)}/{uid}/delete", data={"confirm": "yes"}).status_code == 403
    assert stores_state(app) == before


def test_evaluator_sees_attendees_under_pseudonyms(app, client, world):
    network_uid = world.networks["A"]["uid"]
    with app.app_context():
        person = people_service.add(
            coordinator_scope(world),
            {
                "name": "Philippa Quennell",
                "layer": "senior",
                "school_uid": world.schools["A"][0]["uid"],
                "from": "2019-09-01",
            },
        )
        label = pseudonym(network_uid, person["uid"])
    login(client, EMAILS["coordinatorA"])
    uid = record(client, world, attendees=[person["uid"], world.people["A"][1]["uid"]])["uid"]
    client.post("/logout")
    login(client, EMAILS["evaluatorA"])
    body = html.unescape(client.get(f"{base(world)}/{uid}").get_data(as_text=True))
    assert label in body
    assert "Philippa" not in body and "Quennell" not in body
    assert world.people["A"][1]["name"] not in body


def test_markup_in_text_is_escaped(app, client, world):
    evil = "<script>alert(1)</script>"
    login(client, EMAILS["coordinatorA"])
    uid = record(client, world, title=evil, decision=evil)["uid"]
    for url in (f"{base(world)}/", f"{base(world)}/{uid}"):
        page = client.get(url).get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
        assert evil not in page, url
