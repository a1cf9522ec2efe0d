"""The JSON API: bearer tokens, scope, masking, and the documents of interfaces.md."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import EMAILS, login, stores_state
from tracker.extensions import db
from tracker.models import ApiToken, AuditEntry, User
from tracker.services import tokens


def _token(app, world, role: str = "evaluatorA", days: int = 30) -> str:
    with app.app_context():
        user = db.session.get(User, world.users[role])
        token, _ = tokens.create(user, f"{role} script", days)
        db.session.commit()
    return token


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_is_shown_once_and_kept_only_as_a_digest(app, world, client):
    login(client, EMAILS["coordinatorA"])
    response = client.post("/account/tokens", data={"name": "termly report", "days": "30"})
    assert response.status_code == 201
    shown = re.search(r'id="new-token">(lnt_[^<]+)<', response.get_data(as_text=True)).group(1)
    with app.app_context():
        row = db.session.scalar(select(ApiToken).where(ApiToken.name == "termly report"))
        assert row.token_hash != shown and shown not in row.token_hash
        assert len(row.token_hash) == 64
        assert (
            db.session.scalar(select(AuditEntry).where(AuditEntry.action == "token.create")).actor
            == EMAILS["coordinatorA"].lower()
        )
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "termly report" in listing and shown not in listing


@pytest.mark.parametrize(
    ("form", "field"),
    [({"name": "", "days": "30"}, "Name the token"), ({"name": "x", "days": "400"}, "1 to 365")],
)
def test_a_bad_token_form_is_refused_and_changes_nothing(app, world, client, form, field):
    login(client, EMAILS["coordinatorA"])
    before = stores_state(app)
    response = client.post("/account/tokens", data=form)
    assert response.status_code == 422
    assert field in response.get_data(as_text=True)
    assert stores_state(app) == before


def test_a_bearer_token_reads_the_networks_its_user_may_see(app, world):
    token = _token(app, world)
    client = app.test_client()
    response = client.get("/api/v1/networks", headers=_bearer(token))
    assert response.status_code == 200
    assert [n["uid"] for n in response.get_json()] == [world.networks["A"]["uid"]]


def test_a_token_never_opens_the_web_pages(app, world):
    token = _token(app, world, "coordinatorA")
    client = app.test_client()
    page = client.get(f"/networks/{world.networks['A']['uid']}", headers=_bearer(token))
    assert page.status_code == 302 and "/login" in page.headers["Location"]


@pytest.mark.parametrize("how", ["revoked", "expired", "garbled", "deactivated"])
def test_a_dead_token_is_refused_with_401(app, world, client, how):
    token = _token(app, world)
    with app.app_context():
        row = db.session.scalar(select(ApiToken))
        if how == "revoked":
            tokens.revoke(row.user, row.id)
        elif how == "expired":
            row.expires_at = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=1)
        elif how == "deactivated":
            row.user.active = False
        db.session.commit()
    sent = token + "x" if how == "garbled" else token
    response = app.test_client().get("/api/v1/networks", headers=_bearer(sent))
    assert response.status_code == 401
    assert response.get_json()["error"] == "Please sign in"


def test_revoking_someone_elses_token_is_refused(app, world, client):
    _token(app, world, "evaluatorA")
    with app.app_context():
        theirs = db.session.scalar(select(ApiToken)).id
    login(client, EMAILS["coordinatorA"])
    before = stores_state(app)
    response = client.post("/account/tokens/revoke", data={"token": str(theirs)})
    assert response.status_code == 422
    assert "no such token" in response.get_data(as_text=True)
    assert stores_state(app) == before


def test_another_networks_documents_are_404(app, world):
    token = _token(app, world)
    client = app.test_client()
    for doc in ("signs", "metrics"):
        response = client.get(
            f"/api/v1/networks/{world.networks['B']['uid']}/{doc}", headers=_bearer(token)
        )
        assert response.status_code == 404
        assert response.get_json()["error"] == "Not found"


def test_a_bad_date_is_a_422_with_the_format(app, world):
    token = _token(app, world)
    response = app.test_client().get(
        f"/api/v1/networks/{world.networks['A']['uid']}/signs?at=31/07/2026",
        headers=_bearer(token),
    )
    assert response.status_code == 422
    assert "YYYY-MM-DD" in response.get_json()["detail"]


def test_the_openapi_document_names_every_api_route(app):
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    routes = {
        re.sub(r"<([^>]+)>", r"{\1}", r.rule)
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/v1/") and r.endpoint != "api.openapi"
    }
    assert set(doc["paths"]) == routes
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
