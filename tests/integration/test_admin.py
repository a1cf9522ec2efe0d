"""The admin pages: accounts, grants, activation, and the audit trail of every change."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import EMAILS, PASSWORD, World, login, stores_state
from tracker.extensions import db
from tracker.models import AuditEntry, Grant, User

NEW_EMAIL = "new.person@example.org"


@pytest.fixture
def admin(client: FlaskClient, world: World) -> FlaskClient:
    login(client, EMAILS["admin"])
    return client


def _account(app: Flask, email: str) -> dict[str, Any] | None:
    """The account's state as plain data, or None when there is no such account."""
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email=email.lower()))
        if user is None:
            return None
        return {
            "id": user.id,
            "active": user.active,
            "session_version": user.session_version,
            "grants": sorted(
                ((g.role, g.network_uid, g.school_uid, g.names_visible) for g in user.grants),
                key=repr,
            ),
            "grant_ids": {g.network_uid: g.id for g in user.grants},
        }


def _audit(app: Flask, action: str, user_id: int) -> list[AuditEntry]:
    with app.app_context():
        entries = db.session.scalars(
            db.select(AuditEntry)
            .filter_by(action=action, object_kind="user", object_uid=str(user_id))
            .order_by(AuditEntry.id)
        ).all()
        for entry in entries:
            db.session.expunge(entry)
        return list(entries)


def _signed_in(client: FlaskClient) -> bool:
    response = client.get("/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def _new_account(**grant: str) -> dict[str, str]:
    return {"email": NEW_EMAIL, "name": "New Person", "password": PASSWORD, **grant}


# -- creating accounts ----------------------------------------------------------------------


def test_account_list_shows_every_account(admin):
    page = admin.get("/admin/").get_data(as_text=True)
    for email in EMAILS.values():
        assert email.lower() in page
    assert "Network A" in page


def test_create_coordinator_of_a_network(app, admin, world):
    uid = world.networks["A"]["uid"]
    response = admin.post("/admin/users/new", data=_new_account(role="coordinator", network=uid))
    assert response.status_code == 302
    account = _account(app, NEW_EMAIL)
    assert account is not None
    assert response.headers["Location"] == f"/admin/users/{account['id']}"
    assert account["grants"] == [("coordinator", uid, None, False)]

    (entry,) = _audit(app, "create", account["id"])
    assert entry.actor == EMAILS["admin"].lower()
    assert entry.before is None
    assert entry.after["email"] == NEW_EMAIL
    assert entry.after["grants"][0]["role"] == "coordinator"
    assert entry.network_uid == uid

    # The new coordinator can sign in and sees the network's people.
    other = app.test_client()
    login(other, NEW_EMAIL)
    people = other.get(f"/networks/{uid}/people/")
    assert people.status_code == 200
    assert "A Person 0" in people.get_data(as_text=True)


def test_create_leader_with_a_school_in_the_network(app, admin, world):
    uid = world.networks["A"]["uid"]
    school = world.schools["A"][1]["uid"]
    response = admin.post(
        "/admin/users/new",
        data=_new_account(role="leader", network=uid, school=f"{uid}/{school}"),
    )
    assert response.status_code == 302
    assert _account(app, NEW_EMAIL)["grants"] == [("leader", uid, school, False)]


def test_leader_with_a_school_of_another_network_is_refused(app, admin, world):
    uid_a, uid_b = world.networks["A"]["uid"], world.networks["B"]["uid"]
    school_b = world.schools["B"][0]["uid"]
    before = stores_state(app)
    response = admin.post(
        "/admin/users/new",
        data=_new_account(role="leader", network=uid_a, school=f"{uid_b}/{school_b}"),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    # The message sits next to the school field, tied to it for screen readers.
    assert '<p class="error" id="school-error">Choose a school in the chosen network.' in page
    assert 'aria-describedby="school-hint school-error"' in page
    assert stores_state(app) == before
    assert _account(app, NEW_EMAIL) is None


def test_leader_without_a_school_is_refused(app, admin, world):
    uid = world.networks["A"]["uid"]
    before = stores_state(app)
    response = admin.post("/admin/users/new", data=_new_account(role="leader", network=uid))
    assert response.status_code == 422
    assert "A school leader needs a school in that network." in response.get_data(as_text=True)
    assert stores_state(app) == before


def test_unknown_network_is_refused(app, admin, world):
    before = stores_state(app)
    response = admin.post(
        "/admin/users/new",
        data=_new_account(role="coordinator", network="00000000-0000-4000-8000-000000000000"),
    )
    assert response.status_code == 422
    assert "Choose a network from the list." in response.get_data(as_text=True)
    assert stores_state(app) == before


def test_duplicate_email_and_short_password_are_refused(app, admin, world):
    before = stores_state(app)
    duplicate = admin.post(
        "/admin/users/new",
        data={"email": EMAILS["leaderA"], "password": PASSWORD, "role": ""},
    )
    assert duplicate.status_code == 422
    assert "An account with this email already exists." in duplicate.get_data(as_text=True)
    short = admin.post(
        "/admin/users/new", data={"email": NEW_EMAIL, "password": "short", "role": ""}
    )
    assert short.status_code == 422
    assert stores_state(app) == before


@pytest.mark.parametrize("names", [False, True])
def test_create_evaluator_with_or_without_names(app, admin, world, names):
    uid = world.networks["A"]["uid"]
    data = _new_account(role="evaluator", network=uid)
    if names:
        data["names_visible"] = "y"
    assert admin.post("/admin/users/new", data=data).status_code == 302
    assert _account(app, NEW_EMAIL)["grants"] == [("evaluator", uid, None, names)]

    evaluator = app.test_client()
    login(evaluator, NEW_EMAIL)
    page = evaluator.get(f"/networks/{uid}/people/")
    assert page.status_code == 200
    assert ("A Person 0" in page.get_data(as_text=True)) is names


def test_create_account_without_a_grant(app, admin, world):
    response = admin.post("/admin/users/new", data=_new_account(role=""))
    assert response.status_code == 302
    assert _account(app, NEW_EMAIL)["grants"] == []


# -- grants ---------------------------------------------------------------------------------


def test_add_grant_is_audited_with_before_and_after(app, admin, world):
    user_id = world.users["nobody"]
    uid = world.networks["B"]["uid"]
    response = admin.post(f"/admin/users/{user_id}", data={"role": "evaluator", "network": uid})
    assert response.status_code == 302
    assert _account(app, EMAILS["nobody"])["grants"] == [("evaluator", uid, None, False)]
    (entry,) = _audit(app, "grant", user_id)
    assert entry.before["grants"] == []
    assert entry.after["grants"] == [
        {"role": "evaluator", "network_uid": uid, "school_uid": None, "names_visible": False}
    ]
    assert entry.network_uid == uid


def test_add_grant_with_school_of_another_network_writes_nothing(app, admin, world):
    user_id = world.users["nobody"]
    uid_a, uid_b = world.networks["A"]["uid"], world.networks["B"]["uid"]
    school_b = world.schools["B"][1]["uid"]
    before = stores_state(app)
    response = admin.post(
        f"/admin/users/{user_id}",
        data={"role": "leader", "network": uid_a, "school": f"{uid_b}/{school_b}"},
    )
    assert response.status_code == 422
    assert 'id="school-error">Choose a school in the chosen network.' in response.get_data(
        as_text=True
    )
    assert stores_state(app) == before


def test_same_grant_twice_is_refused(app, admin, world):
    user_id = world.users["evaluatorA"]
    uid = world.networks["A"]["uid"]
    before = stores_state(app)
    response = admin.post(f"/admin/users/{user_id}", data={"role": "evaluator", "network": uid})
    assert response.status_code == 422
    assert "This account already holds that grant." in response.get_data(as_text=True)
    assert stores_state(app) == before


def test_removing_a_grant_revokes_that_users_sessions(app, admin, world):
    coordinator = app.test_client()
    login(coordinator, EMAILS["coordinatorA"])
    uid = world.networks["A"]["uid"]
    assert coordinator.get(f"/networks/{uid}/people/").status_code == 200

    before = _account(app, EMAILS["coordinatorA"])
    # The account also holds a network-less grant (it may create networks); that one stays.
    grant_id = before["grant_ids"][uid]
    response = admin.post(f"/admin/grants/{grant_id}/remove")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/users/{before['id']}"

    after = _account(app, EMAILS["coordinatorA"])
    assert after["grants"] == [("coordinator", None, None, False)]
    assert after["session_version"] == before["session_version"] + 1
    assert not _signed_in(coordinator)

    (entry,) = _audit(app, "revoke_grant", before["id"])
    assert uid in {g["network_uid"] for g in entry.before["grants"]}
    assert entry.after["grants"] == [
        {"role": "coordinator", "network_uid": None, "school_uid": None, "names_visible": False}
    ]
    assert entry.network_uid == uid

    # Signing in again shows nothing of that network any more.
    login(coordinator, EMAILS["coordinatorA"])
    assert coordinator.get(f"/networks/{uid}/people/").status_code == 404


def test_removing_a_missing_grant_is_404(app, admin, world):
    assert admin.post("/admin/grants/999999/remove").status_code == 404


def test_grant_removal_is_post_only(app, admin, world):
    (grant_id,) = _account(app, EMAILS["leaderA"])["grant_ids"].values()
    assert admin.get(f"/admin/grants/{grant_id}/remove").status_code == 405
    with app.app_context():
        assert db.session.get(Grant, grant_id) is not None


# -- activation and sessions ----------------------------------------------------------------


def test_deactivate_and_reactivate(app, admin, world):
    user_id = world.users["leaderA"]
    leader = app.test_client()
    login(leader, EMAILS["leaderA"])

    assert admin.post(f"/admin/users/{user_id}/active", data={"active": "0"}).status_code == 302
    assert _account(app, EMAILS["leaderA"])["active"] is False
    assert not _signed_in(leader)
    refused = leader.post("/login", data={"email": EMAILS["leaderA"], "password": PASSWORD})
    assert refused.status_code == 200
    assert "deactivated" in admin.get(f"/admin/users/{user_id}").get_data(as_text=True)

    assert admin.post(f"/admin/users/{user_id}/active", data={"active": "1"}).status_code == 302
    assert _account(app, EMAILS["leaderA"])["active"] is True
    login(leader, EMAILS["leaderA"])
    assert _signed_in(leader)

    (off,) = _audit(app, "deactivate", user_id)
    assert (off.before["active"], off.after["active"]) == (True, False)
    (on,) = _audit(app, "activate", user_id)
    assert (on.before["active"], on.after["active"]) == (False, True)


def test_admin_cannot_deactivate_self(app, admin, world):
    user_id = world.users["admin"]
    response = admin.post(
        f"/admin/users/{user_id}/active", data={"active": "0"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    assert _account(app, EMAILS["admin"])["active"] is True
    assert _signed_in(admin)
    assert _audit(app, "deactivate", user_id) == []


def test_admin_signs_a_user_out_everywhere(app, admin, world):
    user_id = world.users["evaluatorA"]
    evaluator = app.test_client()
    login(evaluator, EMAILS["evaluatorA"])
    before = _account(app, EMAILS["evaluatorA"])["session_version"]
    assert admin.post(f"/admin/users/{user_id}/sign-out").status_code == 302
    assert _account(app, EMAILS["evaluatorA"])["session_version"] == before + 1
    assert not _signed_in(evaluator)
    (entry,) = _audit(app, "revoke_sessions", user_id)
    assert entry.after == {"session_version": before + 1}


def test_audit_page_lists_the_changes(app, admin, world):
    user_id = world.users["leaderA"]
    admin.post(f"/admin/users/{user_id}/active", data={"active": "0"})
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "deactivate user" in page
    assert "<strong>active</strong>: True → False" in page
    account_page = admin.get(f"/admin/users/{user_id}").get_data(as_text=True)
    assert "deactivate user" in account_page


# -- who may use these pages ----------------------------------------------------------------

ADMIN_REQUESTS = [
    ("get", "/admin/"),
    ("get", "/admin/users/new"),
    ("post", "/admin/users/new"),
    ("get", "/admin/users/{user}"),
    ("post", "/admin/users/{user}"),
    ("post", "/admin/grants/{grant}/remove"),
    ("post", "/admin/users/{user}/active"),
    ("post", "/admin/users/{user}/sign-out"),
    ("get", "/admin/audit"),
]


@pytest.mark.parametrize(
    "role",
    [
        "coordinatorA",
        "coordinatorB",
        "leaderA",
        "evaluatorA",
        "nobody",
    ],
)
def test_non_admins_get_403_and_change_nothing(app, client, world, role):
    target = world.users["leaderB"]
    (grant_id,) = _account(app, EMAILS["leaderB"])["grant_ids"].values()
    login(client, EMAILS[role])
    before = stores_state(app)
    data = {"active": "0", "role": "admin", "email": NEW_EMAIL, "password": PASSWORD}
    for method, path in ADMIN_REQUESTS:
        url = path.format(user=target, grant=grant_id)
        response = getattr(client, method)(url, data=data if method == "post" else None)
        assert response.status_code == 403, (method, url)
    assert stores_state(app) == before
    assert _signed_in(client)


def test_signed_out_visitors_are_sent_to_login(client, world):
    for method, path in ADMIN_REQUESTS:
        url = path.format(user=world.users["leaderB"], grant=1)
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/login")
