"""Small readers shared by the HTTP tests: what a page shows, what the graph holds."""

from __future__ import annotations

import contextlib
import html
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import World, stores_state
from tracker.access import Scope
from tracker.extensions import db, graph
from tracker.graph.queries import maintenance
from tracker.models import AuditEntry, User


def field_error(page: str, field: str) -> str:
    """The message shown next to ``field`` (the template puts it in ``#<field>-error``)."""
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    assert match, f"no error shown next to {field}"
    return html.unescape(match.group(1)).strip()


def visible_text(page: str) -> str:
    """The page's text with tags dropped and whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


def spaced_text(page: str) -> str:
    """Like ``visible_text`` but each tag becomes a space, so adjacent cells stay apart."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def input_value(page: str, name: str) -> str:
    """The value an ``<input name=...>`` (or ``<textarea name=...>``) is pre-filled with."""
    match = re.search(rf'<(?:input|textarea)[^>]*\bname="{name}"[^>]*>', page)
    assert match, f"no input named {name}"
    value = re.search(r'\bvalue="([^"]*)"', match.group(0))
    return html.unescape(value.group(1)) if value else ""


def hidden_version(page: str) -> str:
    """The version an edit form was opened at."""
    match = re.search(r'name="version" type="hidden" value="(\d+)"', page)
    assert match, "no version field in the form"
    return match.group(1)


def nodes(app: Flask, label: str) -> list[dict[str, Any]]:
    """The properties of every node with ``label``."""
    with app.app_context():
        rows = graph.store.run(maintenance.DUMP_NODES)
    return [row["props"] for row in rows if label in row["labels"]]


def relationships(app: Flask, rel_type: str, source: str, target_key: str) -> list[dict[str, Any]]:
    """``source``'s relationships of ``rel_type``, each with its target's uid as ``target_key``."""
    with app.app_context():
        rows = graph.store.run(maintenance.DUMP_RELATIONSHIPS)
    return [
        {**row["props"], target_key: row["target"]}
        for row in rows
        if row["type"] == rel_type and row["source"] == source
    ]


def links(app: Flask, kind: str) -> list[dict[str, Any]]:
    """Every relationship of type ``kind`` as dumped: ``source``, ``target``, ``props``."""
    with app.app_context():
        rows = graph.store.run(maintenance.DUMP_RELATIONSHIPS)
    return [row for row in rows if row["type"] == kind]


def rels(app: Flask, kind: str, target: str | None = None) -> list[dict[str, Any]]:
    """Relationships of type ``kind`` (optionally into ``target``) as props + source/target."""
    return [
        {**row["props"], "source": row["source"], "target": row["target"]}
        for row in links(app, kind)
        if target is None or row["target"] == target
    ]


def audit_rows(app: Flask, object_uid: str) -> list[AuditEntry]:
    """The audit entries about one object, oldest first, detached from the session."""
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEntry).where(AuditEntry.object_uid == object_uid).order_by(AuditEntry.id)
        ).all()
        db.session.expunge_all()
        return list(rows)


def coordinator_scope(world: World, key: str = "A") -> Scope:
    """Network ``key``'s coordinator acting on it (call inside an app context)."""
    user = db.session.get(User, world.users[f"coordinator{key}"])
    assert user is not None
    return Scope(user, world.networks[key]["uid"], "coordinator")


def person(world: World, i: int, key: str = "A") -> str:
    """The uid of person ``i`` of network ``key``."""
    return world.people[key][i]["uid"]


def refused(
    app: Flask, client: FlaskClient, url: str, data: dict[str, Any], status: int = 422
) -> str:
    """Post a form that must be refused with ``status`` and no change to either store."""
    before = stores_state(app)
    response = client.post(url, data=data)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    assert stores_state(app) == before
    return response.get_data(as_text=True)


@contextlib.contextmanager
def count_queries(app: Flask) -> Iterator[Counter[str]]:
    """The graph queries run inside the block, by name (the store's own counter)."""
    with app.app_context():
        store = graph.store
    before = Counter(store.queries)
    ran: Counter[str] = Counter()
    try:
        yield ran
    finally:
        ran.update(Counter(store.queries) - before)
