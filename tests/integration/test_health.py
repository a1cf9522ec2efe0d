"""The health check names the store that is down; pages answer 503 (never 500) without it."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.conftest import PASSWORD, create_app, login, make_app
from tracker.extensions import db, graph

# Nothing listens on port 1, so every connection attempt is refused at once.
DEAD_GRAPH_URL = "falkordb://:pw@127.0.0.1:1"


def _app(tmp_path: Path, graph_dir: str, migrated_db: Path, **extra: Any) -> Flask:
    """An app with its own SQLite copy and graph name, built without touching the graph."""
    folder = tmp_path / "instance"
    folder.mkdir(exist_ok=True)
    shutil.copy(migrated_db, folder / "tracker.db")
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(folder),
        "SECRET_KEY": "test-secret-health",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'tracker.db'}",
        "TRACKER_GRAPH_URL": "embedded",
        "TRACKER_EMBEDDED_DIR": graph_dir,
        "TRACKER_GRAPH_NAME": "h" + uuid.uuid4().hex[:12],
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        **extra,
    }
    return create_app(config)


def _dispose(app: Flask) -> None:
    with app.app_context():
        graph.close(app)
        db.engine.dispose()


@pytest.fixture
def graph_down_app(tmp_path: Path, graph_dir: str, migrated_db: Path) -> Iterator[Flask]:
    app = _app(tmp_path, graph_dir, migrated_db, TRACKER_GRAPH_URL=DEAD_GRAPH_URL)
    yield app
    _dispose(app)


@pytest.fixture
def db_down_app(tmp_path: Path, graph_dir: str, migrated_db: Path) -> Iterator[Flask]:
    # A directory cannot be opened as an SQLite database file.
    unopenable = tmp_path / "not-a-database"
    unopenable.mkdir()
    app = make_app(
        tmp_path, graph_dir, migrated_db, SQLALCHEMY_DATABASE_URI=f"sqlite:///{unopenable}"
    )
    yield app
    with app.app_context():
        graph.store.drop_graph()
    _dispose(app)


def test_healthz_ok_when_both_stores_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["graph"] == {"backend": "falkordb (embedded)", "ok": True}
    assert body["db"] == {"ok": True}
    assert "down" not in body


def test_healthz_names_the_graph_when_it_is_down(graph_down_app):
    response = graph_down_app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["graph"]["ok"] is False
    assert body["graph"]["backend"] == "falkordb"
    assert body["db"]["ok"] is True
    assert body["down"] == ["graph"]


def test_healthz_names_the_database_when_it_cannot_be_opened(db_down_app):
    response = db_down_app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["db"]["ok"] is False
    assert body["graph"]["ok"] is True
    assert body["down"] == ["db"]


def test_page_with_graph_down_answers_503_with_a_clear_message(graph_down_app):
    # Accounts live in SQLite, so signing in still works while the graph is down.
    with graph_down_app.app_context():
        from tracker.services import users

        users.create("test", "someone@example.org", PASSWORD, role="coordinator")
        db.session.commit()
    client = graph_down_app.test_client()
    login(client, "someone@example.org")

    response = client.get("/")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "not answering" in page
    assert "Temporarily unavailable" in page

    as_json = client.get("/", headers={"Accept": "application/json"})
    assert as_json.status_code == 503
    assert "not answering" in as_json.get_json()["detail"]


def test_dead_store_in_one_app_does_not_affect_another(client, graph_down_app):
    """A dead store in one app does not leak into another app in the same process."""
    assert graph_down_app.test_client().get("/healthz").status_code == 503
    assert client.get("/healthz").status_code == 200
