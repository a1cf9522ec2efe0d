"""Shared fixtures: one embedded FalkorDB per test session, a fresh graph and SQLite per test."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tracker import create_app
from tracker.extensions import db, graph
from tracker.graph.connect import embedded_server
from tracker.graph.queries import maintenance
from tracker.graph.schema import SCHEMA

PASSWORD = "correct horse battery staple"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "csrf: run with CSRF protection on (off otherwise)")
    config.addinivalue_line("markers", "ratelimit: run with rate limits on (off otherwise)")


def pytest_report_header(config: pytest.Config) -> str:
    if os.environ.get("NEO4J_TEST_URI"):
        return f"graph backends: embedded FalkorDB and Neo4j at {os.environ['NEO4J_TEST_URI']}"
    return (
        "graph backends: embedded FalkorDB only; Neo4j tests are skipped because "
        "NEO4J_TEST_URI is not set"
    )


@pytest.fixture(scope="session")
def graph_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The data folder of the one embedded server every test in the session shares."""
    folder = tmp_path_factory.mktemp("graphstore") / "graph"
    server = embedded_server(str(folder))
    server.start()
    yield str(folder)
    server.stop()


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory: pytest.TempPathFactory, graph_dir: str) -> Path:
    """A SQLite file at the migrations' head, copied for each test (migrating is slow)."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "tracker.db"
    app = create_app(_config(folder, graph_dir, "template"))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=app.extensions["migrate"].directory)
        db.engine.dispose()
    return path


TEST_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


def _config(folder: Path, graph_dir: str, graph_name: str, **extra: Any) -> dict[str, Any]:
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(folder),
        "SECRET_KEY": "test-secret-" + graph_name,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'tracker.db'}",
        "TRACKER_GRAPH_URL": "embedded",
        "TRACKER_EMBEDDED_DIR": graph_dir,
        "TRACKER_GRAPH_NAME": graph_name,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        # Real Argon2id, at a cost fit for making thousands of test accounts (the default,
        # RFC 9106's, is checked in tests/integration/test_auth.py).
        "ARGON2_PARAMS": TEST_ARGON2,
        **extra,
    }


def make_app(tmp_path: Path, graph_dir: str, migrated_db: Path, **extra: Any) -> Flask:
    """A new app with its own SQLite copy and its own graph (created with the schema)."""
    folder = tmp_path / "instance"
    folder.mkdir(exist_ok=True)
    shutil.copy(migrated_db, folder / "tracker.db")
    app = create_app(_config(folder, graph_dir, "t" + uuid.uuid4().hex[:12], **extra))
    with app.app_context():
        graph.store.ensure_schema(SCHEMA)
    return app


@pytest.fixture
def app(
    request: pytest.FixtureRequest, tmp_path: Path, graph_dir: str, migrated_db: Path
) -> Iterator[Flask]:
    extra = {}
    if request.node.get_closest_marker("csrf"):
        extra["WTF_CSRF_ENABLED"] = True
    if request.node.get_closest_marker("ratelimit"):
        extra["RATELIMIT_ENABLED"] = True
    app = make_app(tmp_path, graph_dir, migrated_db, **extra)
    yield app
    with app.app_context():
        graph.store.drop_graph()
        graph.close(app)
        db.engine.dispose()


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


def stores_state(app: Flask) -> tuple[Any, Any]:
    """Everything in both stores, in a comparable form: equal before and after = unchanged."""
    with app.app_context():
        nodes = graph.store.run(maintenance.DUMP_NODES)
        rels = graph.store.run(maintenance.DUMP_RELATIONSHIPS)
        tables = {}
        for table in db.metadata.sorted_tables:
            rows = db.session.execute(table.select()).mappings().all()
            tables[table.name] = sorted(
                json.dumps(dict(r), default=str, sort_keys=True) for r in rows
            )
    canon = lambda items: sorted(json.dumps(i, sort_keys=True) for i in items)  # noqa: E731
    return (canon(nodes), canon(rels)), tables


@dataclass
class World:
    """Two networks (A and B), each with two schools, three people, and one user per role."""

    networks: dict[str, dict[str, Any]] = field(default_factory=dict)
    schools: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    people: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)


def build_world(app: Flask) -> World:
    from tracker.access import Scope
    from tracker.services import networks, people, schools, users

    world = World()
    with app.app_context():
        admin = users.create("test", "admin@example.org", PASSWORD, role="admin")
        world.users["admin"] = admin.id
        for key in ("A", "B"):
            creator = users.create("test", f"coord{key}@example.org", PASSWORD, role="coordinator")
            net = networks.create(
                creator,
                {
                    "name": f"Network {key}",
                    "kind": "learning_network",
                    "started": "2024-09-01",
                    "priorities": ["Reading", "Writing"],
                },
            )
            world.networks[key] = net
            world.users[f"coordinator{key}"] = creator.id
            scope = Scope(creator, net["uid"], "coordinator")
            world.schools[key] = [
                schools.add(
                    scope,
                    {
                        "name": f"{key} Primary {i}",
                        "urn": f"{key}10{i}",
                        "phase": "primary",
                        "joined": "2024-09-01",
                    },
                )
                for i in range(2)
            ]
            world.people[key] = [
                people.add(
                    scope,
                    {
                        "name": f"{key} Person {i}",
                        "layer": layer,
                        "school_uid": world.schools[key][i % 2]["uid"],
                        "from": "2020-09-01",
                        "job_title": "Teacher",
                    },
                )
                for i, layer in enumerate(("senior", "teacher", "support"))
            ]
            world.users[f"leader{key}"] = users.create(
                "test",
                f"leader{key}@example.org",
                PASSWORD,
                role="leader",
                network_uid=net["uid"],
                school_uid=world.schools[key][0]["uid"],
            ).id
            world.users[f"evaluator{key}"] = users.create(
                "test", f"eval{key}@example.org", PASSWORD, role="evaluator", network_uid=net["uid"]
            ).id
        world.users["nobody"] = users.create("test", "nobody@example.org", PASSWORD).id
    return world


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


EMAILS = {
    "admin": "admin@example.org",
    "coordinatorA": "coordA@example.org",
    "coordinatorB": "coordB@example.org",
    "leaderA": "leaderA@example.org",
    "leaderB": "leaderB@example.org",
    "evaluatorA": "evalA@example.org",
    "evaluatorB": "evalB@example.org",
    "nobody": "nobody@example.org",
}
