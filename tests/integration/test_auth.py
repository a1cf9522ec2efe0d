"""Signing in and out, password storage, and revoking sessions with the session version."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import PASSWORD, login
from tracker.extensions import db
from tracker.models import User

FAILURE = "That email and password do not match an active account."
NEW_PASSWORD = "a much longer new passphrase"
EMAIL = "member@example.org"
OTHER = "other@example.org"


@pytest.fixture
def accounts(app: Flask) -> dict[str, int]:
    """Two accounts are all these tests need (hashing is slow, so ``world`` is not used)."""
    from tracker.services import users

    with app.app_context():
        ids = {
            EMAIL: users.create("test", EMAIL, PASSWORD, role="coordinator").id,
            OTHER: users.create("test", OTHER, PASSWORD, role="coordinator").id,
        }
        db.session.commit()
    return ids


def _user(app: Flask, email: str) -> User:
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email=email.lower()))
        assert user is not None
        db.session.expunge(user)
        return user


def _signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    """True when the client's cookie still opens the home page."""
    response = client.get("/")
    if response.status_code == 200:
        return True
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    return False


def test_login_success_redirects_home_and_records_the_time(app, client, accounts):
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert _signed_in(client)
    assert _user(app, EMAIL).last_login_at is not None


def test_login_is_case_insensitive_on_email(client, accounts):
    response = client.post("/login", data={"email": EMAIL.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert _signed_in(client)


def test_signed_out_visitor_is_sent_to_login(client, accounts):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_unknown_email_and_wrong_password_get_the_same_answer(client, accounts):
    unknown = client.post("/login", data={"email": "nobody-here@example.org", "password": PASSWORD})
    wrong = client.post("/login", data={"email": EMAIL, "password": "not the password"})
    assert unknown.status_code == wrong.status_code == 200
    unknown_page, wrong_page = unknown.get_data(as_text=True), wrong.get_data(as_text=True)
    assert FAILURE in unknown_page and FAILURE in wrong_page
    # No other wording betrays which emails have accounts.
    strip = lambda page: page.replace("nobody-here@example.org", "").replace(EMAIL, "")  # noqa: E731
    assert strip(unknown_page) == strip(wrong_page)
    assert not _signed_in(client)


def test_deactivated_account_cannot_sign_in(app, client, accounts):
    earlier = app.test_client()
    login(earlier, EMAIL)
    with app.app_context():
        from tracker.services import users

        user = db.session.get(User, accounts[EMAIL])
        users.set_active("test", user, False)
        db.session.commit()
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 200
    assert FAILURE in response.get_data(as_text=True)
    assert not _signed_in(client)
    assert not _signed_in(earlier)


def test_passwords_are_stored_as_argon2id(app, accounts):
    with app.app_context():
        hashes = db.session.scalars(db.select(User.password_hash)).all()
    assert len(hashes) == len(accounts)
    for stored in hashes:
        assert stored.startswith("$argon2id$")
        assert PASSWORD not in stored
    # Each hash has its own salt.
    assert len(set(hashes)) == len(hashes)


def test_without_settings_passwords_use_rfc_9106_argon2id(app):
    """The suite hashes cheaply (tests/conftest.py); the app's own default is RFC 9106's."""
    app.config["ARGON2_PARAMS"] = None
    with app.app_context():
        user = User(email="rfc@example.org")
        user.set_password(PASSWORD)
        assert user.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        assert user.check_password(PASSWORD) and not user.check_password(PASSWORD + "x")


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "https://evil.example/admin/",
        "/\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_next_to_another_site_is_refused(client, accounts, target):
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": EMAIL, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_within_the_site_is_followed(client, accounts):
    response = client.post(
        "/login",
        query_string={"next": "/account"},
        data={"email": EMAIL, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"


def test_logout_is_post_only(client, accounts):
    login(client, EMAIL)
    assert client.get("/logout").status_code == 405
    assert _signed_in(client)
    response = client.post("/logout")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert not _signed_in(client)


def test_sign_out_everywhere_revokes_other_cookies(app, accounts):
    earlier, current = app.test_client(), app.test_client()
    login(earlier, EMAIL)
    login(current, EMAIL)
    before = _user(app, EMAIL).session_version

    response = current.post("/account/sign-out-everywhere")
    assert response.status_code == 302

    assert _user(app, EMAIL).session_version == before + 1
    assert not _signed_in(earlier)
    assert not _signed_in(current)
    # Signing in again works and is not revoked by the old version.
    login(earlier, EMAIL)
    assert _signed_in(earlier)


def test_sign_out_everywhere_needs_post(client, accounts):
    login(client, EMAIL)
    assert client.get("/account/sign-out-everywhere").status_code == 405
    assert _signed_in(client)


def test_password_change_revokes_other_sessions_and_keeps_this_one(app, accounts):
    earlier, current = app.test_client(), app.test_client()
    login(earlier, EMAIL)
    login(current, EMAIL)
    before = _user(app, EMAIL)

    response = current.post(
        "/account",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302

    after = _user(app, EMAIL)
    assert after.session_version == before.session_version + 1
    assert after.password_hash != before.password_hash
    assert after.password_hash.startswith("$argon2id$")
    assert _signed_in(current)
    assert not _signed_in(earlier)

    third = app.test_client()
    old = third.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert old.status_code == 200 and FAILURE in old.get_data(as_text=True)
    login(third, EMAIL, NEW_PASSWORD)


def test_password_change_with_wrong_current_password_changes_nothing(app, client, accounts):
    login(client, EMAIL)
    before = _user(app, EMAIL)
    response = client.post(
        "/account",
        data={
            "current_password": "not my password at all",
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "That is not your current password." in response.get_data(as_text=True)
    after = _user(app, EMAIL)
    assert (after.password_hash, after.session_version) == (
        before.password_hash,
        before.session_version,
    )
    assert _signed_in(client)


def test_login_is_not_limited_without_the_marker(client, accounts):
    for _ in range(12):
        response = client.post("/login", data={"email": EMAIL, "password": "wrong password"})
        assert response.status_code == 200


@pytest.mark.ratelimit
def test_eleventh_wrong_login_in_a_minute_is_refused(client, accounts):
    for attempt in range(10):
        response = client.post("/login", data={"email": EMAIL, "password": f"wrong {attempt}"})
        assert response.status_code == 200, attempt
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many" in response.get_data(as_text=True)


@pytest.mark.ratelimit
def test_limit_applies_per_account_across_addresses(app, accounts):
    for attempt in range(10):
        client = app.test_client()
        response = client.post(
            "/login",
            data={"email": EMAIL, "password": f"wrong {attempt}"},
            environ_base={"REMOTE_ADDR": f"127.0.0.{attempt + 2}"},
        )
        assert response.status_code == 200, attempt
    response = app.test_client().post(
        "/login",
        data={"email": EMAIL, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "127.0.0.200"},
    )
    assert response.status_code == 429
    # Another account from a fresh address is not affected.
    other = app.test_client().post(
        "/login",
        data={"email": OTHER, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "127.0.0.201"},
    )
    assert other.status_code == 302
