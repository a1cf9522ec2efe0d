"""Cross-school roles through HTTP: add, edit, end, delete, every refusal, and who may see what."""

from __future__ import annotations

import html
import re
import uuid
from typing import Any

import pytest
from flask import Flask, render_template
from flask.testing import FlaskClient

from tests.conftest import EMAILS, World, login, stores_state
from tests.helpers import (
    audit_rows,
    coordinator_scope,
    field_error,
    input_value,
    links,
    nodes,
    person,
    refused,
    spaced_text,
)
from tracker.services import roles as role_service
from tracker.services import today
from tracker.services.pseudonyms import pseudonym


def section(page: str, heading_id: str) -> str:
    """The visible text of the roles table under the heading with ``heading_id``."""
    part = page.split(f'id="{heading_id}"')[1].split("</table>")[0]
    return spaced_text("<x " + part)


def roles(app: Flask) -> list[dict[str, Any]]:
    return nodes(app, "Role")


def role_node(app: Flask, uid: str) -> dict[str, Any]:
    [role] = [r for r in roles(app) if r["uid"] == uid]
    return role


def holders(app: Flask, uid: str) -> list[str]:
    return [r["source"] for r in links(app, "HOLDS") if r["target"] == uid]


def base(world: World, key: str = "A") -> str:
    return f"/networks/{world.networks[key]['uid']}/roles"


def good(world: World, **changes: str) -> dict[str, str]:
    """A valid role form for network A: Person 1 is lead learner, designated by Person 0."""
    return {
        "uid": str(uuid.uuid4()),
        "person_uid": person(world, 1),
        "title": "lead_learner",
        "custom_title": "",
        "start": "2024-09-01",
        "end": "",
        "designated_by": person(world, 0),
        "origin": "design",
        "origin_note": "",
        **changes,
    }


def add(client: FlaskClient, world: World, key: str = "A", **changes: str) -> dict[str, str]:
    form = good(world, **changes)
    response = client.post(f"{base(world, key)}/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return form


def test_add_role_stores_it_and_lists_it_as_held_now(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add(client, world)

    role = role_node(app, form["uid"])
    assert role["key"] == role["uid"] == form["uid"]
    assert role["network_uid"] == world.networks["A"]["uid"]
    assert (role["title"], role["from"], role.get("to"), role["version"]) == (
        "lead_learner",
        "2024-09-01",
        None,
        1,
    )
    assert (role["designated_by"], role["origin"]) == (person(world, 0), "design")
    assert holders(app, form["uid"]) == [person(world, 1)]

    page = client.get(f"{base(world)}/").get_data(as_text=True)
    held = section(page, "current-heading")
    assert "A Person 1 A Primary 1 Lead learner 2024-09-01 still held A Person 0 By design" in held
    assert "No roles have ended yet." in section(page, "ended-heading")
    [entry] = audit_rows(app, form["uid"])
    assert (entry.action, entry.object_kind) == ("add", "role")
    assert (entry.after["person"], entry.after["designated_by_name"]) == (
        "A Person 1",
        "A Person 0",
    )


def test_new_role_form_has_sensible_defaults(app, client, world):
    login(client, EMAILS["coordinatorA"])
    page = client.get(f"{base(world)}/new", query_string={"person": person(world, 2)}).get_data(
        as_text=True
    )
    assert input_value(page, "start") == today()
    assert uuid.UUID(input_value(page, "uid"))
    assert re.search(rf'<option selected value="{person(world, 2)}">', page)
    assert '<option selected value="design">' in page
    assert "Another role (write its title below)" in page


@pytest.mark.parametrize(
    ("written", "stored", "shown"),
    [
        ("Maths champion", "Maths champion", "Maths champion own title"),
        ("  lead   LEARNER ", "lead_learner", "Lead learner"),
    ],
    ids=["custom", "vocabulary-written-by-hand"],
)
def test_custom_title(app, client, world, written, stored, shown):
    login(client, EMAILS["coordinatorA"])
    form = add(client, world, title="custom", custom_title=written)

    assert role_node(app, form["uid"])["title"] == stored
    held = section(client.get(f"{base(world)}/").get_data(as_text=True), "current-heading")
    assert f"A Primary 1 {shown} 2024-09-01" in held


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "chief_executive"}, "title", "Lead learner"),
        ({"title": "custom", "custom_title": " "}, "custom_title", "Write the title"),
        ({"origin": "chaos"}, "origin", "By design"),
        ({"origin": "default"}, "designated_by", "no one designating it"),
        ({"person_uid": "other"}, "person_uid", "a person of this network"),
        ({"designated_by": "other"}, "designated_by", "a person of this network"),
        ({"person_uid": ""}, "person_uid", "Choose the person"),
        ({"end": "2024-08-31"}, "end", "is before the start date (2024-09-01)"),
        ({"start": ""}, "start", ""),
    ],
    ids=[
        "bad-title",
        "empty-custom-title",
        "bad-origin",
        "default-with-designator",
        "other-network-holder",
        "other-network-designator",
        "no-holder",
        "end-before-start",
        "no-start",
    ],
)
def test_bad_role_is_refused_and_changes_nothing(app, client, world, changes, field, message):
    changes = {k: person(world, 0, "B") if v == "other" else v for k, v in changes.items()}
    login(client, EMAILS["coordinatorA"])
    page = refused(app, client, f"{base(world)}/new", good(world, **changes))
    assert message in field_error(page, field)


def test_role_by_default_has_no_designator(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add(
        client,
        world,
        title="enquiry_advocate",
        designated_by="",
        origin="default",
        origin_note="Saw that no one was gathering the enquiry write-ups",
    )
    role = role_node(app, form["uid"])
    assert role.get("designated_by") is None and role["origin"] == "default"
    held = section(client.get(f"{base(world)}/").get_data(as_text=True), "current-heading")
    assert "still held — By default Saw that no one was gathering the enquiry write-ups" in held


def test_double_submit_creates_one_role(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add(client, world)
    assert client.post(f"{base(world)}/new", data=form).status_code == 302

    assert [r["uid"] for r in roles(app)] == [form["uid"]]
    assert holders(app, form["uid"]) == [person(world, 1)]
    assert len(audit_rows(app, form["uid"])) == 1


def test_edit_changes_title_and_moves_the_role_to_another_person(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add(client, world)
    page = client.get(f"{base(world)}/{form['uid']}/edit").get_data(as_text=True)
    assert input_value(page, "version") == "1" and input_value(page, "start") == "2024-09-01"

    response = client.post(
        f"{base(world)}/{form['uid']}/edit",
        data={**form, "version": "1", "title": "school_link", "person_uid": person(world, 2)},
    )

    assert response.status_code == 302
    role = role_node(app, form["uid"])
    assert (role["title"], role["version"]) == ("school_link", 2)
    assert holders(app, form["uid"]) == [person(world, 2)]
    entry = audit_rows(app, form["uid"])[-1]
    assert entry.action == "update"
    assert {k: (a, b) for k, a, b in entry.changes()} == {
        "title": ("lead_learner", "school_link"),
        "person": ("A Person 1", "A Person 2"),
        "person_uid": (person(world, 1), person(world, 2)),
        "version": (1, 2),
    }


def test_edit_of_a_custom_title_opens_with_it_written(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add(client, world, title="custom", custom_title="Maths champion")
    page = client.get(f"{base(world)}/{form['uid']}/edit").get_data(as_text=True)
    assert input_value(page, "custom_title") == "Maths champion"
    assert '<option selected value="custom">' in page


def test_stale_edit_is_refused_with_what_changed(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add(client, world)
    first = client.post(
        f"{base(world)}/{form['uid']}/edit", data={**form, "version": "1", "title": "co_coach"}
    )
    assert first.status_code == 302

    page = refused(
        app,
        client,
        f"{base(world)}/{form['uid']}/edit",
        {**form, "version": "1", "title": "strand_leader"},
        status=409,
    )
    text = spaced_text(page)
    assert "Someone else changed this record" in text and "title: now “co_coach”" in text
    assert role_node(app, form["uid"])["title"] == "co_coach"


def test_end_moves_the_role_to_ended(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add(client, world)
    prefix = f"end-{form['uid']}"
    response = client.post(
        f"{base(world)}/{form['uid']}/end",
        data={f"{prefix}-version": "1", f"{prefix}-end": "2025-07-31"},
    )

    assert response.status_code == 302
    role = role_node(app, form["uid"])
    assert (role["to"], role["version"]) == ("2025-07-31", 2)
    page = client.get(f"{base(world)}/").get_data(as_text=True)
    assert "A Person 1 A Primary 1 Lead learner 2024-09-01 2025-07-31" in section(
        page, "ended-heading"
    )
    assert "No one holds a cross-school role" in section(page, "current-heading")
    assert audit_rows(app, form["uid"])[-1].action == "end"


@pytest.mark.parametrize(
    ("version", "ended", "status", "message"),
    [
        ("1", "2024-08-01", 422, "is before the start date (2024-09-01)"),
        ("0", "2025-07-31", 409, "Someone else changed this role"),
    ],
    ids=["before-start", "stale"],
)
def test_bad_end_is_refused(app, client, world, version, ended, status, message):
    login(client, EMAILS["coordinatorA"])
    form = add(client, world)
    prefix = f"end-{form['uid']}"
    page = refused(
        app,
        client,
        f"{base(world)}/{form['uid']}/end",
        {f"{prefix}-version": version, f"{prefix}-end": ended},
        status=status,
    )
    assert message in spaced_text(page)


def test_ending_an_ended_role_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add(client, world, end="2025-07-31")
    prefix = f"end-{form['uid']}"
    page = refused(
        app,
        client,
        f"{base(world)}/{form['uid']}/end",
        {f"{prefix}-version": "1", f"{prefix}-end": "2025-08-31"},
    )
    assert "already ended on 2025-07-31" in field_error(page, f"{prefix}-end")


def test_delete_needs_a_confirmed_post(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add(client, world)
    url = f"{base(world)}/{form['uid']}/delete"

    confirm = client.get(url)
    assert confirm.status_code == 200
    text = spaced_text(confirm.get_data(as_text=True))
    assert "Delete the Lead learner role of A Person 1?" in text
    assert "give it an end date" in text
    before = stores_state(app)
    assert client.post(url).status_code == 302
    assert stores_state(app) == before

    assert client.post(url, data={"confirm": "yes"}).status_code == 302
    assert roles(app) == [] and holders(app, form["uid"]) == []
    entry = audit_rows(app, form["uid"])[-1]
    assert (entry.action, entry.before["title"], entry.before["person"]) == (
        "delete",
        "lead_learner",
        "A Person 1",
    )


def test_other_networks_role_under_own_url_is_404(app, client, world):
    login(client, EMAILS["coordinatorB"])
    form = add(
        client, world, "B", person_uid=person(world, 1, "B"), designated_by=person(world, 0, "B")
    )
    client.post("/logout")
    login(client, EMAILS["coordinatorA"])
    before = stores_state(app)
    url = f"{base(world)}/{form['uid']}"

    assert client.get(f"{url}/edit").status_code == 404
    assert client.get(f"{url}/delete").status_code == 404
    assert client.post(f"{url}/edit", data={**good(world), "version": "1"}).status_code == 404
    prefix = f"end-{form['uid']}"
    ended = client.post(
        f"{url}/end", data={f"{prefix}-version": "1", f"{prefix}-end": "2025-01-01"}
    )
    assert ended.status_code == 404
    assert client.post(f"{url}/delete", data={"confirm": "yes"}).status_code == 404
    assert form["uid"] not in client.get(f"{base(world)}/").get_data(as_text=True)
    assert stores_state(app) == before


def test_leader_reads_but_may_not_write(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add(client, world)
    client.post("/logout")
    login(client, EMAILS["leaderA"])

    page = client.get(f"{base(world)}/")
    assert page.status_code == 200 and "A Person 1" in page.get_data(as_text=True)
    assert "Add role" not in page.get_data(as_text=True)
    before = stores_state(app)
    url = f"{base(world)}/{form['uid']}"
    assert client.get(f"{base(world)}/new").status_code == 403
    assert client.post(f"{base(world)}/new", data=good(world)).status_code == 403
    assert client.post(f"{url}/edit", data={**form, "version": "1"}).status_code == 403
    assert client.post(f"{url}/end", data={}).status_code == 403
    assert client.post(f"{url}/delete", data={"confirm": "yes"}).status_code == 403
    assert stores_state(app) == before


def test_evaluator_sees_pseudonyms_and_no_notes(app, client, world):
    login(client, EMAILS["coordinatorA"])
    add(client, world, origin="desperation", origin_note="Mrs Khan's long-term absence")
    evaluator = app.test_client()
    login(evaluator, EMAILS["evaluatorA"])
    response = evaluator.get(f"{base(world)}/")

    assert response.status_code == 200
    body = html.unescape(response.get_data(as_text=True))
    with app.app_context():
        holder = pseudonym(world.networks["A"]["uid"], person(world, 1))
        designator = pseudonym(world.networks["A"]["uid"], person(world, 0))
    assert holder in body and designator in body
    assert "By desperation" in body
    assert "Khan" not in body
    for other in world.people["A"]:
        assert other["name"] not in body
    assert evaluator.post(f"{base(world)}/new", data=good(world)).status_code == 403


def test_person_roles_partial_lists_a_persons_roles(app, client, world):
    login(client, EMAILS["coordinatorA"])
    add(client, world, title="lead_learner", start="2023-09-01", end="2024-07-31")
    add(client, world, title="custom", custom_title="Maths champion", start="2024-09-01")
    add(client, world, person_uid=person(world, 2), title="school_link")

    with app.test_request_context():
        scope = coordinator_scope(world)
        held = role_service.for_person(scope, person(world, 1))
        page = render_template(
            "roles/_person_roles.html",
            roles=held,
            network=world.networks["A"],
            scope=scope,
            person={"uid": person(world, 1)},
        )
        none = render_template(
            "roles/_person_roles.html", roles=[], network=world.networks["A"], scope=scope
        )

    text = spaced_text(page)
    assert "Maths champion 2024-09-01 still held A Person 0" in text
    assert "Lead learner 2023-09-01 2024-07-31 A Person 0" in text
    assert text.index("Maths champion") < text.index("Lead learner")
    assert "School link" not in text
    assert f"person={person(world, 1)}" in page
    assert "No cross-school roles recorded." in spaced_text(none)


def test_title_with_markup_is_shown_escaped(app, client, world):
    evil = "<script>alert(1)</script>"
    login(client, EMAILS["coordinatorA"])
    form = add(client, world, title="custom", custom_title=evil, origin_note=evil)
    for url in (f"{base(world)}/", f"{base(world)}/{form['uid']}/edit"):
        body = client.get(url).get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url
        assert evil not in body, url
