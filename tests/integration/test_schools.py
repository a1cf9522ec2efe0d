"""The school forms through HTTP: adding, linking by URN, ending membership, bad input, scope."""

from __future__ import annotations

import html
import uuid
from typing import Any

from flask import Flask
from sqlalchemy import select

from tests.conftest import EMAILS, login, stores_state
from tests.helpers import (
    coordinator_scope,
    field_error,
    hidden_version,
    nodes,
    relationships,
    visible_text,
)
from tracker.extensions import db
from tracker.models import AuditEntry
from tracker.services import schools as school_service

GOOD = {
    "name": "Hillside Primary",
    "urn": "A999",
    "phase": "primary",
    "local_authority": "Leeds",
    "size": "210",
    "lat": "53.8",
    "lon": "-1.55",
    "joined": "2025-01-10",
}


def memberships(app: Flask, school_uid: str) -> list[dict[str, Any]]:
    """Each MEMBER_OF of the school, with the network it points to as ``network_uid``."""
    found = relationships(app, "MEMBER_OF", school_uid, "network_uid")
    return sorted(found, key=lambda m: m["network_uid"])


def audit_rows(app: Flask, **filters: Any) -> list[dict[str, Any]]:
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry).filter_by(**filters).order_by(AuditEntry.id)
        ).all()
        return [
            {"action": e.action, "network_uid": e.network_uid, "after": e.after} for e in entries
        ]


def test_add_school_creates_membership_with_joined_date(app, client, world):
    network_uid = world.networks["A"]["uid"]
    login(client, EMAILS["coordinatorA"])
    uid = str(uuid.uuid4())
    response = client.post(f"/networks/{network_uid}/schools/new", data={**GOOD, "uid": uid})

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/networks/{network_uid}/schools/{uid}")
    [school] = [s for s in nodes(app, "School") if s["uid"] == uid]
    assert school["name"] == "Hillside Primary" and school["urn"] == "A999"
    assert school["size"] == 210 and school["lat"] == 53.8 and school["lon"] == -1.55
    [membership] = memberships(app, uid)
    assert membership["network_uid"] == network_uid
    assert membership["from"] == "2025-01-10" and membership.get("to") is None
    [entry] = audit_rows(app, object_uid=uid)
    assert entry["action"] == "add" and entry["network_uid"] == network_uid
    page = visible_text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Hillside Primary" in page and "From 2025-01-10, current" in page


def test_duplicate_urn_in_one_network_is_refused(app, client, world):
    network_uid = world.networks["A"]["uid"]
    taken = world.schools["A"][0]["urn"]
    login(client, EMAILS["coordinatorA"])
    before = stores_state(app)
    response = client.post(
        f"/networks/{network_uid}/schools/new",
        data={**GOOD, "urn": taken, "uid": str(uuid.uuid4())},
    )

    assert response.status_code == 422
    assert f"already has URN {taken}" in field_error(response.get_data(as_text=True), "urn")
    assert stores_state(app) == before


def test_same_urn_in_second_network_links_the_same_school(app, client, world):
    school_a = world.schools["A"][0]
    network_b = world.networks["B"]["uid"]
    login(client, EMAILS["coordinatorB"])
    response = client.post(
        f"/networks/{network_b}/schools/new",
        data={**GOOD, "urn": school_a["urn"], "uid": str(uuid.uuid4())},
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/schools/{school_a['uid']}")
    assert [s["uid"] for s in nodes(app, "School") if s["urn"] == school_a["urn"]] == [
        school_a["uid"]
    ]
    links = memberships(app, school_a["uid"])
    assert sorted(m["network_uid"] for m in links) == sorted(
        [world.networks["A"]["uid"], network_b]
    )
    [joined_b] = [m for m in links if m["network_uid"] == network_b]
    assert joined_b["from"] == "2025-01-10"


def test_latitude_without_longitude_is_refused(app, client, world):
    network_uid = world.networks["A"]["uid"]
    login(client, EMAILS["coordinatorA"])
    before = stores_state(app)
    response = client.post(
        f"/networks/{network_uid}/schools/new",
        data={**GOOD, "lon": "", "uid": str(uuid.uuid4())},
    )

    assert response.status_code == 422
    assert "both latitude and longitude" in field_error(response.get_data(as_text=True), "lon")
    assert stores_state(app) == before


def test_end_membership_keeps_history(app, client, world):
    network_uid = world.networks["A"]["uid"]
    school_uid = world.schools["A"][1]["uid"]
    login(client, EMAILS["coordinatorA"])
    response = client.post(
        f"/networks/{network_uid}/schools/{school_uid}/end", data={"on": "2025-07-31"}
    )

    assert response.status_code == 302
    [membership] = memberships(app, school_uid)
    assert membership["from"] == "2024-09-01" and membership["to"] == "2025-07-31"
    assert [s for s in nodes(app, "School") if s["uid"] == school_uid]
    assert [e["action"] for e in audit_rows(app, object_uid=school_uid)] == [
        "add",
        "end_membership",
    ]
    page = visible_text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "From 2024-09-01 to 2025-07-31" in page


def test_end_membership_before_joined_is_refused(app, client, world):
    network_uid = world.networks["A"]["uid"]
    school_uid = world.schools["A"][1]["uid"]
    login(client, EMAILS["coordinatorA"])
    before = stores_state(app)
    response = client.post(
        f"/networks/{network_uid}/schools/{school_uid}/end",
        data={"on": "2024-08-31"},
    )

    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "is before the start date (2024-09-01)" in page
    assert 'id="on-error"' in page
    assert "left the network on" not in page
    assert stores_state(app) == before
    [membership] = memberships(app, school_uid)
    assert membership.get("to") is None


def test_stale_school_edit_is_409(app, client, world):
    network_uid = world.networks["A"]["uid"]
    school = world.schools["A"][0]
    login(client, EMAILS["coordinatorA"])
    url = f"/networks/{network_uid}/schools/{school['uid']}/edit"
    opened_at = hidden_version(client.get(url).get_data(as_text=True))
    with app.app_context():
        school_service.update(
            coordinator_scope(world),
            school["uid"],
            int(opened_at),
            {"name": "A Primary Renamed", "urn": school["urn"], "phase": "primary"},
        )
    before = stores_state(app)

    response = client.post(
        url,
        data={
            "name": school["name"],
            "urn": school["urn"],
            "phase": "secondary",
            "version": opened_at,
        },
    )

    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert "Someone else changed this record" in page
    assert "<li>name: now “A Primary Renamed”</li>" in page
    assert stores_state(app) == before
    [node] = [s for s in nodes(app, "School") if s["uid"] == school["uid"]]
    assert node["name"] == "A Primary Renamed" and node["phase"] == "primary"


def test_unknown_school_is_404(app, client, world):
    network_uid = world.networks["A"]["uid"]
    login(client, EMAILS["coordinatorA"])
    unknown = str(uuid.uuid4())
    assert client.get(f"/networks/{network_uid}/schools/{unknown}").status_code == 404
    assert client.get(f"/networks/{network_uid}/schools/{unknown}/edit").status_code == 404


def test_other_networks_school_under_own_url_is_404(app, client, world):
    network_a = world.networks["A"]["uid"]
    school_b = world.schools["B"][0]["uid"]
    login(client, EMAILS["coordinatorA"])
    before = stores_state(app)
    base = f"/networks/{network_a}/schools/{school_b}"

    assert client.get(base).status_code == 404
    assert client.get(f"{base}/edit").status_code == 404
    edit = client.post(
        f"{base}/edit", data={"name": "Taken over", "urn": "B100", "phase": "primary", "version": 1}
    )
    assert edit.status_code == 404
    assert client.post(f"{base}/end", data={"on": "2025-07-31"}).status_code == 404
    assert stores_state(app) == before
