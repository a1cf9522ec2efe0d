"""The ``tracker`` console script: init, user create, networks and demo."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.conftest import PASSWORD, World, login, stores_state
from tracker.extensions import db, graph
from tracker.graph.queries import maintenance
from tracker.models import Grant, User

TRACKER = Path(sys.executable).parent / "tracker"


def _grants(app: Flask, email: str) -> list[tuple[Any, ...]] | None:
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email=email))
        if user is None:
            return None
        return sorted(
            ((g.role, g.network_uid, g.school_uid, g.names_visible) for g in user.grants),
            key=repr,
        )


def _create(runner, email: str, *options: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return runner.invoke(
        args=["user", "create", email, *options, "--password-stdin"], input=password + "\n"
    )


def _refused(result) -> str:  # type: ignore[no-untyped-def]
    """A refusal: non-zero exit, nothing on stdout, one line of reason on stderr."""
    assert result.exit_code != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# -- user create ----------------------------------------------------------------------------


def test_create_admin(app, runner):
    result = _create(runner, "Admin.Two@Example.org", "--role", "admin", "--name", "Ada")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Created admin.two@example.org (admin)."
    assert _grants(app, "admin.two@example.org") == [("admin", None, None, False)]
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email="admin.two@example.org"))
        assert user.name == "Ada"
        assert user.password_hash.startswith("$argon2id$")
        assert user.check_password(PASSWORD)
    # The account works in the web app.
    client = app.test_client()
    login(client, "admin.two@example.org")
    assert client.get("/admin/").status_code == 200


def test_create_network_less_coordinator(app, runner):
    result = _create(runner, "starter@example.org", "--role", "coordinator")
    assert result.exit_code == 0, result.output
    assert _grants(app, "starter@example.org") == [("coordinator", None, None, False)]


def test_create_coordinator_by_network_name(app, runner, world):
    result = _create(runner, "c@example.org", "--role", "coordinator", "--network", "Network B")
    assert result.exit_code == 0, result.output
    uid = world.networks["B"]["uid"]
    assert _grants(app, "c@example.org") == [("coordinator", uid, None, False)]


def test_create_leader_by_network_uid_and_school_name(app, runner, world):
    uid = world.networks["A"]["uid"]
    school = world.schools["A"][1]
    result = _create(
        runner, "l@example.org", "--role", "leader", "--network", uid, "--school", school["name"]
    )
    assert result.exit_code == 0, result.output
    assert _grants(app, "l@example.org") == [("leader", uid, school["uid"], False)]


def test_create_leader_by_school_uid(app, runner, world):
    uid = world.networks["A"]["uid"]
    school = world.schools["A"][0]["uid"]
    result = _create(
        runner, "l2@example.org", "--role", "leader", "--network", "Network A", "--school", school
    )
    assert result.exit_code == 0, result.output
    assert _grants(app, "l2@example.org") == [("leader", uid, school, False)]


@pytest.mark.parametrize("names", [False, True])
def test_create_evaluator(app, runner, world, names):
    uid = world.networks["A"]["uid"]
    options = ["--role", "evaluator", "--network", "Network A", "--json"]
    if names:
        options.append("--names-visible")
    result = _create(runner, "e@example.org", *options)
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["email"] == "e@example.org"
    assert printed["grants"] == [
        {"role": "evaluator", "network_uid": uid, "school_uid": None, "names_visible": names}
    ]
    assert _grants(app, "e@example.org") == [("evaluator", uid, None, names)]


def test_unknown_network_is_refused_in_one_line(app, runner, world):
    before = stores_state(app)
    result = _create(runner, "x@example.org", "--role", "coordinator", "--network", "Nowhere")
    reason = _refused(result)
    assert "Nowhere" in reason
    assert stores_state(app) == before


def test_school_of_another_network_is_refused(app, runner, world):
    before = stores_state(app)
    result = _create(
        runner,
        "x@example.org",
        "--role",
        "leader",
        "--network",
        "Network A",
        "--school",
        world.schools["B"][0]["name"],
    )
    assert "no school" in _refused(result)
    assert stores_state(app) == before


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--role", "leader", "--network", "Network A"], "needs a school"),
        (["--role", "evaluator"], "needs a network"),
        (["--role", "admin", "--network", "Network A"], "no network"),
    ],
)
def test_grant_shape_rules_are_enforced(app, runner, world, options, message):
    before = stores_state(app)
    assert message in _refused(_create(runner, "x@example.org", *options))
    assert stores_state(app) == before


def test_short_password_is_refused(app, runner):
    before = stores_state(app)
    result = _create(runner, "x@example.org", "--role", "admin", password="short")
    assert "at least 12 characters" in _refused(result)
    assert stores_state(app) == before


def test_duplicate_email_is_refused(app, runner):
    assert _create(runner, "dup@example.org", "--role", "admin").exit_code == 0
    before = stores_state(app)
    result = _create(runner, "DUP@example.org", "--role", "coordinator")
    assert "already exists" in _refused(result)
    assert stores_state(app) == before
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


def test_invalid_email_is_refused(app, runner):
    before = stores_state(app)
    assert "valid email" in _refused(_create(runner, "not-an-email", "--role", "admin"))
    assert stores_state(app) == before


def test_no_terminal_and_no_password_stdin_is_refused(app, runner):
    result = runner.invoke(args=["user", "create", "x@example.org", "--role", "admin"])
    assert "--password-stdin" in _refused(result)
    assert _grants(app, "x@example.org") is None


# -- networks -------------------------------------------------------------------------------


def _counts_from_graph(app: Flask) -> dict[str, tuple[int, int]]:
    """Schools and current people per network uid, counted from a raw dump of the graph."""
    with app.app_context():
        nodes = graph.store.run(maintenance.DUMP_NODES)
        rels = graph.store.run(maintenance.DUMP_RELATIONSHIPS)
    networks = {n["props"]["uid"] for n in nodes if "Network" in n["labels"]}
    person_network = {
        n["props"]["uid"]: n["props"].get("network_uid") for n in nodes if "Person" in n["labels"]
    }
    schools: Counter[str] = Counter()
    people: dict[str, set[str]] = {uid: set() for uid in networks}
    for rel in rels:
        if rel["type"] == "MEMBER_OF" and rel["props"].get("to") is None:
            schools[rel["target"]] += 1
        if rel["type"] == "WORKS_AT" and rel["props"].get("to") is None:
            net = person_network.get(rel["source"])
            if net in people:
                people[net].add(rel["source"])
    return {uid: (schools[uid], len(people[uid])) for uid in networks}


def test_networks_json_matches_the_graph(app, runner, world: World):
    result = runner.invoke(args=["networks", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert [n["name"] for n in listed] == ["Network A", "Network B"]
    assert {n["uid"] for n in listed} == {world.networks[k]["uid"] for k in "AB"}
    counts = _counts_from_graph(app)
    assert {n["uid"]: (n["schools"], n["people"]) for n in listed} == counts
    # The world fixture made two schools and three people in each network.
    assert set(counts.values()) == {(2, 3)}


def test_networks_table(runner, world):
    result = runner.invoke(args=["networks"])
    assert result.exit_code == 0
    assert world.networks["A"]["uid"] in result.stdout
    assert "Network B" in result.stdout


def test_networks_when_there_are_none(runner):
    result = runner.invoke(args=["networks", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert "No networks yet" in runner.invoke(args=["networks"]).stdout


# -- init and demo --------------------------------------------------------------------------


def test_init_is_safe_to_repeat(app, runner):
    for _ in range(2):
        result = runner.invoke(args=["init"])
        assert result.exit_code == 0, result.output
        assert "Relational schema at head" in result.stdout


def _logins(output: str) -> dict[str, tuple[str, str]]:
    lines = output.split("Logins", 1)[1].splitlines()[1:]
    rows = [line.split() for line in lines if line.strip()]
    return {role: (email, password) for role, email, password in rows}


def _demo_state(app: Flask) -> dict[str, Any]:
    with app.app_context():
        nodes = graph.store.run(maintenance.DUMP_NODES)
        rels = graph.store.run(maintenance.DUMP_RELATIONSHIPS)
        users = db.session.scalar(db.select(db.func.count()).select_from(User))
        grants = db.session.scalar(db.select(db.func.count()).select_from(Grant))
    return {
        "labels": Counter(label for n in nodes for label in n["labels"]),
        "uids": sorted(n["props"]["uid"] for n in nodes),
        "relationships": Counter(r["type"] for r in rels),
        "relationship_count": len(rels),
        "users": users,
        "grants": grants,
        "layers": Counter(n["props"].get("layer") for n in nodes if "Person" in n["labels"]),
    }


def test_demo_twice_creates_no_duplicates_and_its_logins_work(app, runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    state = _demo_state(app)
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    assert _demo_state(app) == state

    assert state["labels"]["Network"] == 1
    assert state["labels"]["School"] == 10
    assert state["labels"]["Person"] >= 150
    assert set(state["layers"]) == {"senior", "teacher", "support"}
    assert state["users"] == 4

    listed = json.loads(runner.invoke(args=["networks", "--json"]).stdout)
    assert [(n["name"], n["schools"]) for n in listed] == [("Riverside Learning Network", 10)]
    # One assistant left, so current staff is one fewer than everyone ever recorded.
    assert listed[0]["people"] == state["labels"]["Person"] - 1

    logins = _logins(first.stdout)
    assert logins == _logins(second.stdout)
    assert set(logins) == {"admin", "coordinator", "leader", "evaluator"}
    saved = json.loads((Path(app.instance_path) / "demo-logins.json").read_text())
    assert {role: password for role, (_, password) in logins.items()} == saved

    network_uid = listed[0]["uid"]
    for role, (email, password) in logins.items():
        client = app.test_client()
        login(client, email, password)
        page = client.get("/admin/" if role == "admin" else f"/networks/{network_uid}/people/")
        assert page.status_code == 200, role
    wrong = app.test_client().post(
        "/login", data={"email": logins["admin"][0], "password": PASSWORD}
    )
    assert wrong.status_code == 200


def test_demo_json_output(runner):
    result = runner.invoke(args=["demo", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["schools"] == 10
    assert body["people"] >= 150
    assert len(body["logins"]) == 4


# -- the installed console script, end to end ----------------------------------------------


def _tracker(instance: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TRACKER_", "NEO4J_", "FLASK_"))
        and key not in {"DATABASE_URL", "SECRET_KEY"}
    }
    env["TRACKER_INSTANCE"] = str(instance)
    return subprocess.run(
        [str(TRACKER), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_console_script_end_to_end(tmp_path):
    assert TRACKER.exists()
    instance = tmp_path / "inst"

    for _ in range(2):
        init = _tracker(instance, "init")
        assert init.returncode == 0, init.stderr
        assert "graph schema ensured on falkordb" in init.stdout

    created = _tracker(
        instance, "user", "create", "x@y.org", "--role", "admin", "--password-stdin",
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "Created x@y.org (admin)."

    again = _tracker(
        instance, "user", "create", "x@y.org", "--role", "admin", "--password-stdin",
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert again.returncode != 0
    assert again.stdout == ""
    assert len(again.stderr.strip().splitlines()) == 1
    assert "already exists" in again.stderr

    listed = _tracker(instance, "networks", "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == []

    with sqlite3.connect(instance / "tracker.db") as conn:
        rows = conn.execute(
            "SELECT u.email, u.password_hash, g.role FROM users u JOIN grants g ON g.user_id = u.id"
        ).fetchall()
    assert [(email, role) for email, _, role in rows] == [("x@y.org", "admin")]
    assert rows[0][1].startswith("$argon2id$")
    # The embedded graph store ran inside the instance folder and was shut down afterwards.
    graph_dir = instance / "graph"
    assert (graph_dir / "password").exists()
    assert not (graph_dir / "falkordb.sock").exists()
