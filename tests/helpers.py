"""Small readers shared by the HTTP tests: what a page shows, what the graph holds."""

from __future__ import annotations

import html
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import stores_state
from tracker.extensions import graph
from tracker.graph.queries import maintenance


def field_error(page: str, field: str) -> str:
    """The message shown next to ``field`` (the template puts it in ``#<field>-error``)."""
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    assert match, f"no error shown next to {field}"
    return html.unescape(match.group(1)).strip()


def visible_text(page: str) -> str:
    """The page's text with tags dropped and whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


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


def refused(app: Flask, client: FlaskClient, url: str, data: dict[str, str]) -> str:
    """Post a form that must be refused with 422 and no change to either store."""
    before = stores_state(app)
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert stores_state(app) == before
    return response.get_data(as_text=True)
