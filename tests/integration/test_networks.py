"""The network forms through HTTP: create, edit, stale edits, double submits, bad input."""

from __future__ import annotations

import html
import re
import uuid
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import EMAILS, login, stores_state
from tests.helpers import field_error, nodes
from tracker.extensions import db
from tracker.models import AuditEntry, Grant, User
from tracker.services import networks as network_service
from tracker.services import users as user_service

GOOD = {"name": "Network C", "kind": "federation", "started": "2025-01-15"}


def network_nodes(app: Flask) -> list[dict[str, Any]]:
    return nodes(app, "Network")


def audit_rows(app: Flask, **filters: Any) -> list[dict[str, Any]]:
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry).filter_by(**filters).order_by(AuditEntry.id)
        ).all()
        return [
            {
                "action": e.action,
                "object_kind": e.object_kind,
                "object_uid": e.object_uid,
                "network_uid": e.network_uid,
                "actor": e.actor,
                "before": e.before,
                "after": e.after,
            }
            for e in entries
        ]


def edit_version(client, network_uid: str) -> str:  # type: ignore[no-untyped-def]
    page = client.get(f"/networks/{network_uid}/edit").get_data(as_text=True)
    match = re.search(r'name="version" type="hidden" value="(\d+)"', page) or re.search(
        r'name="version" value="(\d+)"', page
    )
    assert match, "the edit form carries no version"
    return match.group(1)


@pytest.fixture
def creator(app: Flask) -> int:
    """A coordinator with no network yet: allowed to create one."""
    with app.app_context():
        return user_service.create(
            "test", "newcoord@example.org", "a long enough password", role="coordinator"
        ).id


def test_create_network_makes_creator_coordinator_and_audits(app, client, creator):
    login(client, "newcoord@example.org", "a long enough password")
    uid = str(uuid.uuid4())
    response = client.post(
        "/networks/new", data={**GOOD, "uid": uid, "priorities": "Oracy\nMaths mastery"}
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/networks/{uid}")
    [node] = [n for n in network_nodes(app) if n["uid"] == uid]
    assert node["name"] == "Network C" and node["kind"] == "federation"
    assert node["started"] == "2025-01-15" and node["version"] == 1
    assert list(node["priorities"]) == ["Oracy", "Maths mastery"]
    with app.app_context():
        grant = db.session.scalar(select(Grant).filter_by(user_id=creator, network_uid=uid))
        assert grant is not None and grant.role == "coordinator"
    [entry] = audit_rows(app, object_uid=uid)
    assert entry["action"] == "create" and entry["object_kind"] == "network"
    assert entry["network_uid"] == uid and entry["actor"] == "newcoord@example.org"
    assert entry["after"]["name"] == "Network C" and entry["after"]["version"] == 1
    # The new grant works: the creator may edit what they made.
    assert client.get(f"/networks/{uid}/edit").status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("name", "   ", "This field is required."),
        ("started", "2025-13-45", "Not a valid date value."),
        ("started", "", "This field is required."),
    ],
)
def test_create_network_bad_input_is_422_and_changes_nothing(
    app, client, world, field, value, message
):
    login(client, EMAILS["coordinatorA"])
    before = stores_state(app)
    response = client.post("/networks/new", data={**GOOD, "uid": str(uuid.uuid4()), field: value})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in field_error(page, field)
    assert "Nothing has been saved" in page
    assert stores_state(app) == before


def test_duplicate_network_name_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    before = stores_state(app)
    response = client.post(
        "/networks/new", data={**GOOD, "name": "Network B", "uid": str(uuid.uuid4())}
    )

    assert response.status_code == 422
    assert "already exists" in field_error(response.get_data(as_text=True), "name")
    assert stores_state(app) == before


def test_edit_network(app, client, world):
    uid = world.networks["A"]["uid"]
    login(client, EMAILS["coordinatorA"])
    version = edit_version(client, uid)
    response = client.post(
        f"/networks/{uid}/edit",
        data={
            "name": "Network A (north)",
            "kind": "cluster",
            "started": "2024-09-02",
            "priorities": "Reading\nOracy",
            "version": version,
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/networks/{uid}")
    [node] = [n for n in network_nodes(app) if n["uid"] == uid]
    assert node["name"] == "Network A (north)" and node["kind"] == "cluster"
    assert list(node["priorities"]) == ["Reading", "Oracy"]
    assert node["version"] == int(version) + 1
    [entry] = audit_rows(app, object_uid=uid, action="update")
    assert entry["network_uid"] == uid
    assert entry["before"]["name"] == "Network A" and entry["after"]["name"] == "Network A (north)"


def test_stale_network_edit_is_409_and_overwrites_nothing(app, client, world):
    uid = world.networks["A"]["uid"]
    login(client, EMAILS["coordinatorA"])
    opened_at = edit_version(client, uid)
    # Someone else saves the network while this form is open.
    with app.app_context():
        other = db.session.get(User, world.users["coordinatorA"])
        network_service.update(
            other,
            uid,
            int(opened_at),
            {
                "name": "Network A renamed",
                "kind": "learning_network",
                "started": "2024-09-01",
                "priorities": "Reading\nWriting",
            },
        )
    before = stores_state(app)

    response = client.post(
        f"/networks/{uid}/edit",
        data={
            "name": "Network A",
            "kind": "learning_network",
            "started": "2024-09-01",
            "priorities": "Reading\nWriting\nMaths",
            "version": opened_at,
        },
    )

    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert "Someone else changed this record" in page
    assert re.search(r"<li>name: now “Network A renamed”</li>", page)
    assert stores_state(app) == before
    [node] = [n for n in network_nodes(app) if n["uid"] == uid]
    assert node["name"] == "Network A renamed"
    assert list(node["priorities"]) == ["Reading", "Writing"]


def test_double_submit_of_create_form_makes_one_network(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = {**GOOD, "uid": str(uuid.uuid4())}
    first = client.post("/networks/new", data=form)
    second = client.post("/networks/new", data=form)

    assert first.status_code == 302
    # The repeat is answered like the first, since the user's browser shows only this answer.
    assert second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert [n["uid"] for n in network_nodes(app) if n["name"] == "Network C"] == [form["uid"]]
    assert len(audit_rows(app, object_uid=form["uid"], action="create")) == 1
    with app.app_context():
        grants = db.session.scalars(select(Grant).filter_by(network_uid=form["uid"])).all()
        assert len(grants) == 1


def test_network_name_with_markup_is_shown_escaped(app, client, world):
    login(client, EMAILS["coordinatorA"])
    uid = str(uuid.uuid4())
    evil = "<script>alert(1)</script>"
    response = client.post("/networks/new", data={**GOOD, "name": evil, "uid": uid})
    assert response.status_code == 302

    for path in (f"/networks/{uid}", "/"):
        page = client.get(path).get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert evil not in page
