"""Enquiry groups through HTTP: the group, members, sessions with attendance, outcomes.

Every refusal checks that both stores are exactly as they were (``stores_state``).
"""

from __future__ import annotations

import html
import re
import uuid
from typing import Any

import pytest
from flask import Flask

from tests.conftest import EMAILS, World, login, stores_state
from tests.helpers import (
    audit_rows,
    coordinator_scope,
    field_error,
    nodes,
    refused,
    rels,
    spaced_text,
)
from tracker.extensions import db
from tracker.models import User
from tracker.services import groups as group_service
from tracker.services import networks, today
from tracker.services.pseudonyms import pseudonym

# -- helpers ----------------------------------------------------------------------------------


def groups_url(world: World, key: str = "A") -> str:
    return f"/networks/{world.networks[key]['uid']}/groups"


def new_group(**changes: Any) -> dict[str, Any]:
    """A valid add-group form."""
    return {
        "uid": str(uuid.uuid4()),
        "question": "How can pupils talk about their reading?",
        "priority": "Reading",
        "levels": ["pupil", "adult"],
        "started": "2024-10-01",
        "ended": "",
        "origin": "default",
        "origin_note": "Two Year 5 teachers asked for it",
        **changes,
    }


def make_group(app: Flask, world: World, key: str = "A", **changes: Any) -> str:
    """A group made through the service, with A Person 0 as lead and A Person 1 as member."""
    data = {**new_group(), **changes}
    with app.app_context():
        scope = coordinator_scope(world, key)
        group = group_service.create(scope, data, uid=data["uid"])
        for person, role in zip(world.people[key][:2], ("lead", "member"), strict=True):
            group_service.add_member(
                scope,
                group["uid"],
                {"person_uid": person["uid"], "role": role, "from": "2024-10-01"},
            )
    return group["uid"]


def make_session(app: Flask, world: World, group_uid: str, **data: Any) -> str:
    with app.app_context():
        session = group_service.add_session(
            coordinator_scope(world),
            group_uid,
            {"date": "2024-11-05", "note": "Book talk", **data},
        )
    return session["uid"]


def make_outcome(app: Flask, world: World, group_uid: str) -> str:
    with app.app_context():
        outcome = group_service.add_outcome(
            coordinator_scope(world),
            group_uid,
            {"kind": "artefact", "date": "2025-02-01", "description": "A reading-talk toolkit"},
        )
    return outcome["uid"]


def person(world: World, key: str, i: int) -> str:
    return world.people[key][i]["uid"]


# -- the group --------------------------------------------------------------------------------


def test_add_group_stores_every_field(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = new_group()
    response = client.post(f"{groups_url(world)}/new", data=form)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{groups_url(world)}/{form['uid']}")
    [group] = nodes(app, "EnquiryGroup")
    assert {k: group.get(k) for k in form if k != "ended"} == {
        **{k: v for k, v in form.items() if k != "ended"},
        "levels": ["pupil", "adult"],
    }
    assert group.get("ended") is None
    assert group["network_uid"] == world.networks["A"]["uid"]
    assert group["key"] == form["uid"] and group["version"] == 1
    [entry] = audit_rows(app, form["uid"])
    assert (entry.action, entry.object_kind, entry.network_uid) == (
        "create",
        "enquiry_group",
        world.networks["A"]["uid"],
    )


def test_new_group_form_offers_the_networks_priorities_and_defaults_to_today(app, client, world):
    login(client, EMAILS["coordinatorA"])
    page = client.get(f"{groups_url(world)}/new").get_data(as_text=True)
    options = re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', page)
    assert ("", "None") in options
    assert ("Reading", "Reading") in options and ("Writing", "Writing") in options
    assert re.search(rf'name="started"[^>]*value="{today()}"', page)
    for level in group_service.LEVELS:
        assert f'value="{level}"' in page


def test_a_group_can_serve_no_priority_and_no_recorded_origin(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = new_group(priority="", origin="", origin_note="", levels=[])
    assert client.post(f"{groups_url(world)}/new", data=form).status_code == 302
    [group] = nodes(app, "EnquiryGroup")
    assert group.get("priority") is None and group.get("origin") is None
    assert group["levels"] == []


def test_double_submit_creates_one_group(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = new_group()
    first = client.post(f"{groups_url(world)}/new", data=form)
    second = client.post(f"{groups_url(world)}/new", data=form)
    assert first.status_code == second.status_code == 302
    assert [g["uid"] for g in nodes(app, "EnquiryGroup")] == [form["uid"]]
    assert [e.action for e in audit_rows(app, form["uid"])] == ["create"]


def test_a_uid_taken_in_another_network_gets_a_fresh_one(app, client, world):
    taken = make_group(app, world, "B")
    login(client, EMAILS["coordinatorA"])
    response = client.post(f"{groups_url(world)}/new", data=new_group(uid=taken))

    assert response.status_code == 302
    by_network = {g["network_uid"]: g["uid"] for g in nodes(app, "EnquiryGroup")}
    assert by_network[world.networks["B"]["uid"]] == taken
    assert by_network[world.networks["A"]["uid"]] != taken


def test_end_before_start_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    page = refused(app, client, f"{groups_url(world)}/new", new_group(ended="2024-09-30"))
    assert "is before the start date (2024-10-01)" in field_error(page, "ended")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"priority": "Numeracy"}, "priority", "network's priorities"),
        ({"levels": ["pupil", "galactic"]}, "levels", "Choose one of: Pupil learning"),
        ({"origin": "accident"}, "origin", "Choose one of: By design"),
        ({"question": ""}, "question", ""),
        ({"started": ""}, "started", ""),
    ],
    ids=["priority", "level", "origin", "no-question", "no-start"],
)
def test_bad_group_values_are_refused_next_to_the_field(
    app, client, world, changes, field, message
):
    login(client, EMAILS["coordinatorA"])
    page = refused(app, client, f"{groups_url(world)}/new", new_group(**changes))
    assert message in field_error(page, field)


def test_edit_group_then_a_stale_edit_is_refused_with_what_changed(app, client, world):
    uid = make_group(app, world)
    login(client, EMAILS["coordinatorA"])
    url = f"{groups_url(world)}/{uid}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "How can pupils talk about their reading?" in page
    assert re.search(r'value="adult"[^>]*checked|checked[^>]*value="adult"', page)

    edited = new_group(question="How do pupils choose books?", priority="Writing", version="1")
    edited.pop("uid")
    assert client.post(url, data=edited).status_code == 302
    [group] = nodes(app, "EnquiryGroup")
    assert (group["question"], group["priority"], group["version"]) == (
        "How do pupils choose books?",
        "Writing",
        2,
    )

    page = refused(app, client, url, {**edited, "question": "Something else"}, status=409)
    text = spaced_text(page)
    assert "Someone else changed this record" in text
    assert "question: now “How do pupils choose books?”" in text


def test_a_priority_since_dropped_from_the_network_stays_valid_for_its_group(app, client, world):
    uid = make_group(app, world, priority="Reading")
    with app.app_context():
        network = networks.get(world.networks["A"]["uid"])
        user = db.session.get(User, world.users["coordinatorA"])
        networks.update(user, network["uid"], 1, {**network, "priorities": ["Writing"]})
    login(client, EMAILS["coordinatorA"])
    data = new_group(question="Still about reading", version="1")
    assert client.post(f"{groups_url(world)}/{uid}/edit", data=data).status_code == 302
    [group] = nodes(app, "EnquiryGroup")
    assert (group["question"], group["priority"]) == ("Still about reading", "Reading")


def test_end_the_group(app, client, world):
    uid = make_group(app, world)
    make_session(app, world, uid)
    login(client, EMAILS["coordinatorA"])
    response = client.post(f"{groups_url(world)}/{uid}/end", data={"ended": "2025-07-18"})
    assert response.status_code == 302
    [group] = nodes(app, "EnquiryGroup")
    assert group["ended"] == "2025-07-18" and group["version"] == 2
    assert len(nodes(app, "GroupSession")) == 1
    listing = spaced_text(client.get(f"{groups_url(world)}/").get_data(as_text=True))
    assert "Ended 2025-07-18" in listing


def test_ending_before_the_last_session_is_refused(app, client, world):
    uid = make_group(app, world)
    make_session(app, world, uid, date="2025-03-03")
    login(client, EMAILS["coordinatorA"])
    page = refused(app, client, f"{groups_url(world)}/{uid}/end", {"ended": "2025-03-02"})
    assert "met on 2025-03-03" in field_error(page, "ended")


def test_moving_the_start_after_a_session_is_refused(app, client, world):
    uid = make_group(app, world)
    make_session(app, world, uid, date="2024-11-05")
    login(client, EMAILS["coordinatorA"])
    data = new_group(started="2024-12-01", version="1")
    page = refused(app, client, f"{groups_url(world)}/{uid}/edit", data)
    assert "cannot start after that" in field_error(page, "started")


def test_delete_group_needs_confirmation_and_removes_sessions_and_outcomes(app, client, world):
    uid = make_group(app, world)
    session_uid = make_session(app, world, uid, present=[person(world, "A", 0)])
    make_outcome(app, world, uid)
    other = make_group(app, world, question="Another group")
    login(client, EMAILS["coordinatorA"])
    url = f"{groups_url(world)}/{uid}/delete"

    before = stores_state(app)
    confirm = client.get(url)
    assert confirm.status_code == 200
    text = spaced_text(confirm.get_data(as_text=True))
    assert "Delete this enquiry group?" in text and "1 session" in text and "1 outcome" in text
    assert client.post(url, data={}).status_code == 400  # no confirm=yes: nothing happens
    assert stores_state(app) == before

    response = client.post(url, data={"confirm": "yes"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{groups_url(world)}/")
    assert [g["uid"] for g in nodes(app, "EnquiryGroup")] == [other]
    assert nodes(app, "GroupSession") == [] and nodes(app, "Outcome") == []
    assert rels(app, "ATTENDED") == []
    assert {r["target"] for r in rels(app, "MEMBER_OF_GROUP")} == {other}
    assert len(nodes(app, "Person")) == 6  # the people stay
    entry = audit_rows(app, uid)[-1]
    assert entry.action == "delete" and entry.after is None
    assert entry.before is not None
    assert [s["uid"] for s in entry.before["sessions"]] == [session_uid]
    assert entry.before["sessions"][0]["attendees"] == [person(world, "A", 0)]
    assert entry.before["outcomes"][0]["description"] == "A reading-talk toolkit"
    assert len(entry.before["members"]) == 2


# -- members ----------------------------------------------------------------------------------


def test_add_lead_and_member_then_the_list_shows_them(app, client, world):
    with app.app_context():
        group = group_service.create(coordinator_scope(world), new_group())
    login(client, EMAILS["coordinatorA"])
    url = f"{groups_url(world)}/{group['uid']}/members"
    for i, role in ((0, "lead"), (2, "member")):
        data = {
            "uid": str(uuid.uuid4()),
            "person_uid": person(world, "A", i),
            "role": role,
            "start": "2024-10-08",
        }
        assert client.post(url, data=data).status_code == 302

    held = sorted(
        (r["source"], r["role"], r["from"], r.get("to"))
        for r in rels(app, "MEMBER_OF_GROUP", group["uid"])
    )
    assert held == sorted(
        [
            (person(world, "A", 0), "lead", "2024-10-08", None),
            (person(world, "A", 2), "member", "2024-10-08", None),
        ]
    )
    page = client.get(f"{groups_url(world)}/").get_data(as_text=True)
    row = spaced_text(re.search(r"<tbody>.*?</tr>", page, re.S).group(0))  # type: ignore[union-attr]
    assert row.startswith("How can pupils talk about their reading? Reading")
    assert "Pupil learning Adult learning A Person 0 2 0 — 0 Open since 2024-10-01" in row


def test_member_form_offers_people_grouped_by_school_with_a_filter(app, client, world):
    uid = make_group(app, world)
    login(client, EMAILS["coordinatorA"])
    page = client.get(f"{groups_url(world)}/{uid}").get_data(as_text=True)
    assert 'data-filter-for="person_uid"' in page
    assert '<optgroup label="A Primary 0">' in page and '<optgroup label="A Primary 1">' in page
    assert world.people["B"][0]["uid"] not in page


def test_a_person_from_another_network_cannot_join(app, client, world):
    uid = make_group(app, world)
    login(client, EMAILS["coordinatorA"])
    data = {
        "uid": str(uuid.uuid4()),
        "person_uid": person(world, "B", 2),
        "role": "member",
        "start": "2024-10-08",
    }
    page = refused(app, client, f"{groups_url(world)}/{uid}/members", data)
    assert "Choose a person from this network" in field_error(page, "person_uid")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"person_uid": "A0"}, "person_uid", "already a member of the group"),
        ({"start": "2024-09-30"}, "start", "The group started on 2024-10-01"),
        ({"role": "chair"}, "role", "Choose one of: Lead, Member"),
        ({"start": ""}, "start", ""),
    ],
    ids=["already-member", "before-group", "bad-role", "no-date"],
)
def test_bad_memberships_are_refused(app, client, world, changes, field, message):
    uid = make_group(app, world)
    login(client, EMAILS["coordinatorA"])
    data = {
        "uid": str(uuid.uuid4()),
        "person_uid": person(world, "A", 2),
        "role": "member",
        "start": "2024-10-08",
        **changes,
    }
    if data["person_uid"] == "A0":
        data["person_uid"] = person(world, "A", 0)
    page = refused(app, client, f"{groups_url(world)}/{uid}/members", data)
    assert message in field_error(page, field)


def test_double_submitted_member_form_adds_one_membership(app, client, world):
    uid = make_group(app, world)
    login(client, EMAILS["coordinatorA"])
    data = {
        "uid": str(uuid.uuid4()),
        "person_uid": person(world, "A", 2),
        "role": "member",
        "start": "2024-10-08",
    }
    url = f"{groups_url(world)}/{uid}/members"
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data=data).status_code == 302
    assert len(rels(app, "MEMBER_OF_GROUP", uid)) == 3


def test_ending_a_membership_keeps_it_as_history(app, client, world):
    uid = make_group(app, world)
    member = person(world, "A", 1)
    [membership] = [r for r in rels(app, "MEMBER_OF_GROUP", uid) if r["source"] == member]
    login(client, EMAILS["coordinatorA"])
    response = client.post(
        f"{groups_url(world)}/{uid}/members/end",
        data={"membership_uid": membership["uid"], "left": "2025-01-31"},
    )
    assert response.status_code == 302
    [ended] = [r for r in rels(app, "MEMBER_OF_GROUP", uid) if r["source"] == member]
    assert (ended["uid"], ended["from"], ended["to"]) == (
        membership["uid"],
        "2024-10-01",
        "2025-01-31",
    )

    page = spaced_text(client.get(f"{groups_url(world)}/{uid}").get_data(as_text=True))
    assert "Members (1)" in page
    assert "Former members Name Role From To A Person 1 Member 2024-10-01 2025-01-31" in page

    # Rejoining later is a second period; rejoining inside the first is refused.
    url = f"{groups_url(world)}/{uid}/members"
    rejoin = {"uid": str(uuid.uuid4()), "person_uid": member, "role": "lead"}
    page = refused(app, client, url, {**rejoin, "start": "2025-01-15"})
    assert "until 2025-01-31" in field_error(page, "start")
    assert client.post(url, data={**rejoin, "start": "2025-02-03"}).status_code == 302
    periods = sorted(
        (r["from"], r.get("to"), r["role"])
        for r in rels(app, "MEMBER_OF_GROUP", uid)
        if r["source"] == member
    )
    assert periods == [("2024-10-01", "2025-01-31", "member"), ("2025-02-03", None, "lead")]


def test_leaving_before_joining_is_refused(app, client, world):
    uid = make_group(app, world)
    [membership] = [
        r for r in rels(app, "MEMBER_OF_GROUP", uid) if r["source"] == person(world, "A", 1)
    ]
    login(client, EMAILS["coordinatorA"])
    page = refused(
        app,
        client,
        f"{groups_url(world)}/{uid}/members/end",
        {"membership_uid": membership["uid"], "left": "2024-09-01"},
    )
    assert "is before the start date (2024-10-01)" in field_error(page, "left")
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*name="left"', page)


# -- sessions ---------------------------------------------------------------------------------


def test_record_a_session_with_members_present_and_a_guest(app, client, world):
    uid = make_group(app, world)
    login(client, EMAILS["coordinatorA"])
    url = f"{groups_url(world)}/{uid}/sessions/new"
    form_page = client.get(url).get_data(as_text=True)
    present_box = re.search(
        r'<fieldset class="checklist" id="present">.*?</fieldset>', form_page, re.S
    )
    guests_box = re.search(
        r'<fieldset class="checklist" id="guests">.*?</fieldset>', form_page, re.S
    )
    assert present_box and guests_box
    assert person(world, "A", 0) in present_box.group(0) and person(
        world, "A", 2
    ) not in present_box.group(0)
    assert person(world, "A", 2) in guests_box.group(0) and person(
        world, "A", 0
    ) not in guests_box.group(0)
    assert world.people["B"][0]["uid"] not in form_page

    data = {
        "uid": str(uuid.uuid4()),
        "date": "2024-11-12",
        "note": "Shared reading journals",
        "present": [person(world, "A", 0), person(world, "A", 1)],
        "guests": [person(world, "A", 2)],
    }
    response = client.post(url, data=data)
    assert response.status_code == 302

    [session] = nodes(app, "GroupSession")
    assert (session["uid"], session["date"], session["note"]) == (
        data["uid"],
        "2024-11-12",
        "Shared reading journals",
    )
    assert session["network_uid"] == world.networks["A"]["uid"]
    [of_group] = rels(app, "OF_GROUP", uid)
    assert of_group["source"] == data["uid"]
    attended = rels(app, "ATTENDED", data["uid"])
    assert sorted(r["source"] for r in attended) == sorted(
        [person(world, "A", 0), person(world, "A", 1), person(world, "A", 2)]
    )
    assert all(r["uid"] for r in attended)
    members = {r["source"] for r in rels(app, "MEMBER_OF_GROUP", uid)}
    assert person(world, "A", 2) not in members  # a guest does not become a member

    page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    text = spaced_text(page)
    assert "recorded with 3 attendees" in text
    assert (
        "2024-11-12 3 (1 guest) A Person 0 A Person 1 A Person 2 guest Shared reading journals"
        in text
    )


def test_a_guest_from_another_network_is_refused(app, client, world):
    uid = make_group(app, world)
    login(client, EMAILS["coordinatorA"])
    data = {
        "uid": str(uuid.uuid4()),
        "date": "2024-11-12",
        "present": [person(world, "A", 0)],
        "guests": [person(world, "B", 0)],
    }
    page = refused(app, client, f"{groups_url(world)}/{uid}/sessions/new", data)
    assert "from this network's people" in field_error(page, "guests")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date": "2024-09-30"}, "date", "The group started on 2024-10-01"),
        ({"date": ""}, "date", ""),
        ({"present": ["A2"]}, "present", "Tick only members of this group"),
        ({"present": ["B0"]}, "present", "Tick only members of this group"),
    ],
    ids=["before-group", "no-date", "non-member-present", "other-network-present"],
)
def test_bad_sessions_are_refused(app, client, world, changes, field, message):
    uid = make_group(app, world)
    login(client, EMAILS["coordinatorA"])
    names = {"A2": person(world, "A", 2), "B0": person(world, "B", 0)}
    data = {"uid": str(uuid.uuid4()), "date": "2024-11-12", "present": [person(world, "A", 0)]}
    data.update(changes)
    data["present"] = [names.get(p, p) for p in data["present"]]
    page = refused(app, client, f"{groups_url(world)}/{uid}/sessions/new", data)
    assert message in field_error(page, field)


def test_a_session_after_the_group_ended_is_refused(app, client, world):
    uid = make_group(app, world, ended="2025-07-18")
    login(client, EMAILS["coordinatorA"])
    data = {"uid": str(uuid.uuid4()), "date": "2025-09-10", "present": [person(world, "A", 0)]}
    page = refused(app, client, f"{groups_url(world)}/{uid}/sessions/new", data)
    assert "The group ended on 2025-07-18" in field_error(page, "date")


def test_double_submitted_session_is_recorded_once(app, client, world):
    uid = make_group(app, world)
    login(client, EMAILS["coordinatorA"])
    data = {"uid": str(uuid.uuid4()), "date": "2024-11-12", "present": [person(world, "A", 0)]}
    url = f"{groups_url(world)}/{uid}/sessions/new"
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data=data).status_code == 302
    assert len(nodes(app, "GroupSession")) == 1
    assert len(rels(app, "ATTENDED")) == 1


def test_edit_a_sessions_attendance(app, client, world):
    uid = make_group(app, world)
    session_uid = make_session(
        app, world, uid, present=[person(world, "A", 0), person(world, "A", 1)]
    )
    login(client, EMAILS["coordinatorA"])
    url = f"{groups_url(world)}/{uid}/sessions/{session_uid}/edit"
    page = client.get(url).get_data(as_text=True)
    for i in (0, 1):
        assert re.search(rf'value="{person(world, "A", i)}" checked', page)

    data = {
        "date": "2024-11-06",
        "note": "Moved a day",
        "version": "1",
        "present": [person(world, "A", 1)],
        "guests": [person(world, "A", 2)],
    }
    assert client.post(url, data=data).status_code == 302
    [session] = nodes(app, "GroupSession")
    assert (session["date"], session["note"], session["version"]) == (
        "2024-11-06",
        "Moved a day",
        2,
    )
    assert sorted(r["source"] for r in rels(app, "ATTENDED", session_uid)) == sorted(
        [person(world, "A", 1), person(world, "A", 2)]
    )
    entry = audit_rows(app, uid)[-1]
    assert entry.action == "update_session"
    assert entry.before and entry.after
    assert entry.before["attendees"] != entry.after["attendees"]

    # The same form again, opened at version 1, is stale.
    page = refused(app, client, url, {**data, "note": "Mine"}, status=409)
    assert "Someone else changed this record" in spaced_text(page)


def test_delete_a_session_needs_confirmation(app, client, world):
    uid = make_group(app, world)
    session_uid = make_session(app, world, uid, present=[person(world, "A", 0)])
    keep = make_session(app, world, uid, date="2024-12-03", present=[person(world, "A", 1)])
    login(client, EMAILS["coordinatorA"])
    url = f"{groups_url(world)}/{uid}/sessions/{session_uid}/delete"

    before = stores_state(app)
    page = spaced_text(client.get(url).get_data(as_text=True))
    assert "Delete the session on 2024-11-05?" in page and "give it an end date" not in page
    assert client.post(url).status_code == 400
    assert stores_state(app) == before

    assert client.post(url, data={"confirm": "yes"}).status_code == 302
    assert [s["uid"] for s in nodes(app, "GroupSession")] == [keep]
    assert [r["source"] for r in rels(app, "ATTENDED")] == [person(world, "A", 1)]
    entry = audit_rows(app, uid)[-1]
    assert entry.action == "delete_session" and entry.before["uid"] == session_uid  # type: ignore[index]


def test_a_session_of_another_group_is_404(app, client, world):
    uid = make_group(app, world)
    other = make_group(app, world, question="Other")
    session_uid = make_session(app, world, other)
    login(client, EMAILS["coordinatorA"])
    before = stores_state(app)
    base = f"{groups_url(world)}/{uid}/sessions/{session_uid}"
    assert client.get(f"{base}/edit").status_code == 404
    assert client.post(f"{base}/delete", data={"confirm": "yes"}).status_code == 404
    assert stores_state(app) == before


# -- outcomes ---------------------------------------------------------------------------------


def test_record_edit_and_delete_an_outcome(app, client, world):
    uid = make_group(app, world)
    login(client, EMAILS["coordinatorA"])
    data = {
        "uid": str(uuid.uuid4()),
        "kind": "practice_change",
        "date": "2025-03-14",
        "description": "Daily book talk in Years 4 to 6",
    }
    assert client.post(f"{groups_url(world)}/{uid}/outcomes/new", data=data).status_code == 302
    assert client.post(f"{groups_url(world)}/{uid}/outcomes/new", data=data).status_code == 302
    [outcome] = nodes(app, "Outcome")
    assert {k: outcome[k] for k in data} == data
    assert [r["source"] for r in rels(app, "OF_GROUP", uid)] == [data["uid"]]

    url = f"{groups_url(world)}/{uid}/outcomes/{data['uid']}/edit"
    edited = {**data, "kind": "policy", "version": "1"}
    assert client.post(url, data=edited).status_code == 302
    assert nodes(app, "Outcome")[0]["kind"] == "policy"
    page = refused(app, client, url, {**edited, "description": "Stale"}, status=409)
    assert "description: now “Daily book talk in Years 4 to 6”" in spaced_text(page)

    text = spaced_text(client.get(f"{groups_url(world)}/{uid}").get_data(as_text=True))
    assert "Outcomes (1)" in text and "2025-03-14 Policy Daily book talk in Years 4 to 6" in text

    delete = f"{groups_url(world)}/{uid}/outcomes/{data['uid']}/delete"
    assert client.get(delete).status_code == 200
    assert nodes(app, "Outcome")
    assert client.post(delete, data={"confirm": "yes"}).status_code == 302
    assert nodes(app, "Outcome") == []
    actions = [e.action for e in audit_rows(app, uid)]
    assert actions[-3:] == ["add_outcome", "update_outcome", "delete_outcome"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"kind": "poster"}, "kind", "Choose one of: Artefact"),
        ({"date": "2024-01-01"}, "date", "The group started on 2024-10-01"),
        ({"description": ""}, "description", ""),
    ],
    ids=["bad-kind", "before-group", "no-description"],
)
def test_bad_outcomes_are_refused(app, client, world, changes, field, message):
    uid = make_group(app, world)
    login(client, EMAILS["coordinatorA"])
    data = {
        "uid": str(uuid.uuid4()),
        "kind": "report",
        "date": "2025-03-14",
        "description": "End-of-year report",
        **changes,
    }
    page = refused(app, client, f"{groups_url(world)}/{uid}/outcomes/new", data)
    assert message in field_error(page, field)


# -- scope, roles, pseudonyms, audit, markup ----------------------------------------------------


def test_another_networks_group_under_own_url_is_404(app, client, world):
    uid = make_group(app, world, "B")
    with app.app_context():
        scope_b = coordinator_scope(world, "B")
        session_uid = group_service.add_session(
            scope_b, uid, {"date": "2024-11-05", "present": [person(world, "B", 0)]}
        )["uid"]
        outcome_uid = group_service.add_outcome(
            scope_b, uid, {"kind": "report", "date": "2025-01-01", "description": "B report"}
        )["uid"]
    login(client, EMAILS["coordinatorA"])
    before = stores_state(app)
    base = f"{groups_url(world)}/{uid}"
    for path in (
        "",
        "/edit",
        "/delete",
        "/sessions/new",
        f"/sessions/{session_uid}/edit",
        f"/sessions/{session_uid}/delete",
        "/outcomes/new",
        f"/outcomes/{outcome_uid}/edit",
        f"/outcomes/{outcome_uid}/delete",
    ):
        assert client.get(base + path).status_code == 404, path
    posts = {
        "/edit": new_group(version="1"),
        "/end": {"ended": "2025-07-01"},
        "/delete": {"confirm": "yes"},
        "/members": {"person_uid": person(world, "A", 0), "role": "member", "start": "2024-10-08"},
        "/members/end": {"membership_uid": "x", "left": "2025-01-01"},
        "/sessions/new": {"date": "2024-11-12", "present": [person(world, "A", 0)]},
        f"/sessions/{session_uid}/edit": {"date": "2024-11-12", "version": "1"},
        f"/sessions/{session_uid}/delete": {"confirm": "yes"},
        "/outcomes/new": {"kind": "report", "date": "2025-01-01", "description": "x"},
        f"/outcomes/{outcome_uid}/edit": {"kind": "report", "date": "2025-01-01", "version": "1"},
        f"/outcomes/{outcome_uid}/delete": {"confirm": "yes"},
    }
    for path, data in posts.items():
        assert client.post(base + path, data=data).status_code == 404, path
    assert stores_state(app) == before
    listing = client.get(f"{groups_url(world)}/").get_data(as_text=True)
    assert "No enquiry groups yet" in listing


@pytest.mark.parametrize("role", ["leaderA", "evaluatorA"])
def test_leaders_and_evaluators_read_but_may_not_write(app, client, world, role):
    uid = make_group(app, world)
    session_uid = make_session(app, world, uid, present=[person(world, "A", 0)])
    outcome_uid = make_outcome(app, world, uid)
    login(client, EMAILS[role])
    assert client.get(f"{groups_url(world)}/").status_code == 200
    page = client.get(f"{groups_url(world)}/{uid}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    for control in ("Record a session", "Edit group", "Add a member", "Delete group"):
        assert control not in body

    before = stores_state(app)
    base = f"{groups_url(world)}/{uid}"
    for url in (
        f"{groups_url(world)}/new",
        *(base + path for path in ("/edit", "/delete", "/sessions/new", "/outcomes/new")),
    ):
        assert client.get(url).status_code == 403, url
    writes = {
        "new": new_group(),
        "/edit": new_group(version="1"),
        "/end": {"ended": "2025-07-01"},
        "/delete": {"confirm": "yes"},
        "/members": {"person_uid": person(world, "A", 2), "role": "member", "start": "2024-10-08"},
        "/members/end": {"membership_uid": "x", "left": "2025-01-01"},
        "/sessions/new": {"date": "2024-11-12", "present": [person(world, "A", 0)]},
        f"/sessions/{session_uid}/edit": {"date": "2024-11-12", "version": "1"},
        f"/sessions/{session_uid}/delete": {"confirm": "yes"},
        f"/outcomes/{outcome_uid}/edit": {"kind": "report", "date": "2025-01-01", "version": "1"},
        f"/outcomes/{outcome_uid}/delete": {"confirm": "yes"},
    }
    for path, data in writes.items():
        url = f"{groups_url(world)}/new" if path == "new" else base + path
        assert client.post(url, data=data).status_code == 403, path
    assert stores_state(app) == before


def test_evaluator_sees_pseudonyms_not_names_or_notes(app, client, world):
    uid = make_group(app, world)
    make_session(
        app,
        world,
        uid,
        note="Mrs Quennell led the book talk",
        present=[person(world, "A", 0)],
        guests=[person(world, "A", 2)],
    )
    network_uid = world.networks["A"]["uid"]
    with app.app_context():
        labels = {p["uid"]: pseudonym(network_uid, p["uid"]) for p in world.people["A"]}
    login(client, EMAILS["evaluatorA"])
    for url in (f"{groups_url(world)}/", f"{groups_url(world)}/{uid}"):
        body = html.unescape(client.get(url).get_data(as_text=True))
        for p in world.people["A"]:
            assert p["name"] not in body, url
        assert labels[person(world, "A", 0)] in body, url  # the lead
        assert "Quennell" not in body and "Two Year 5 teachers" not in body
    text = spaced_text(client.get(f"{groups_url(world)}/{uid}").get_data(as_text=True))
    assert f"{labels[person(world, 'A', 2)]} guest" in text


def test_every_write_is_audited_under_the_group(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = new_group()
    uid = form["uid"]
    base = f"{groups_url(world)}/{uid}"
    assert client.post(f"{groups_url(world)}/new", data=form).status_code == 302
    edit = {**form, "question": "Edited", "version": "1"}
    assert client.post(f"{base}/edit", data=edit).status_code == 302
    member = {"uid": str(uuid.uuid4()), "person_uid": person(world, "A", 0), "role": "lead"}
    assert client.post(f"{base}/members", data={**member, "start": "2024-10-02"}).status_code == 302
    session = {"uid": str(uuid.uuid4()), "date": "2024-11-12", "present": [person(world, "A", 0)]}
    assert client.post(f"{base}/sessions/new", data=session).status_code == 302
    end_member = {"membership_uid": member["uid"], "left": "2025-01-31"}
    assert client.post(f"{base}/members/end", data=end_member).status_code == 302
    assert client.post(f"{base}/end", data={"ended": "2025-07-18"}).status_code == 302
    assert client.post(f"{base}/delete", data={"confirm": "yes"}).status_code == 302

    entries = audit_rows(app, uid)
    assert [e.action for e in entries] == [
        "create",
        "update",
        "add_member",
        "add_session",
        "end_member",
        "end",
        "delete",
    ]
    assert {(e.object_kind, e.network_uid, e.actor) for e in entries} == {
        ("enquiry_group", world.networks["A"]["uid"], EMAILS["coordinatorA"].lower())
    }
    history = client.get(f"/networks/{world.networks['A']['uid']}/history?object={uid}")
    assert "add session enquiry_group" in spaced_text(history.get_data(as_text=True))


def test_group_page_links_to_its_history(app, client, world):
    uid = make_group(app, world)
    login(client, EMAILS["coordinatorA"])
    page = client.get(f"{groups_url(world)}/{uid}").get_data(as_text=True)
    assert f"/networks/{world.networks['A']['uid']}/history?object={uid}" in page


def test_question_and_note_with_markup_are_shown_escaped(app, client, world):
    evil = "<script>alert(1)</script>"
    uid = make_group(app, world, question=evil)
    make_session(app, world, uid, note=evil, present=[person(world, "A", 0)])
    login(client, EMAILS["coordinatorA"])
    for url in (f"{groups_url(world)}/", f"{groups_url(world)}/{uid}"):
        page = client.get(url).get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
        assert evil not in page, url
