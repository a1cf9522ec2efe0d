"""Creating, editing and listing networks."""

from __future__ import annotations

from typing import Any

from tracker.extensions import db, graph
from tracker.graph.queries import network as q
from tracker.graph.store import NotFound
from tracker.models import Grant, User
from tracker.services import (
    Invalid,
    Stale,
    audit,
    changed_fields,
    new_uid,
    now_ms,
    required_date,
    today,
    valid_uid,
    vocab,
)
from tracker.services.common import run_versioned

KINDS = vocab.NETWORK_KINDS


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = "Give the network a name."
    elif len(name) > 200:
        errors["name"] = "Keep the name under 200 characters."
    kind = data.get("kind") or ""
    if kind not in KINDS:
        errors["kind"] = "Choose one of: " + ", ".join(KINDS.values()) + "."
    started = required_date(
        data.get("started"), "started", errors, "Give the date the network started."
    )
    raw = data.get("priorities") or []
    if isinstance(raw, str):
        raw = raw.replace(";", "\n").splitlines()
    priorities = [p.strip() for p in raw if p and p.strip()]
    if any(len(p) > 300 for p in priorities):
        errors["priorities"] = "Keep each priority under 300 characters."
    if errors:
        raise Invalid(errors)
    return {"name": name, "kind": kind, "started": started, "priorities": priorities}


def create(actor: User, data: dict[str, Any], *, uid: str | None = None) -> dict[str, Any]:
    """Create a network and make its creator a coordinator of it."""
    props = _clean(data)
    uid = valid_uid(uid)
    existing = find_by_name(props["name"])
    if existing is not None and existing["uid"] == uid:
        # The same form sent twice (a double click): answer as the first submit did.
        return existing
    if graph.store.run(q.GET, {"uid": uid}):
        uid = new_uid()  # a client-made uid must never reach into an existing network
    if existing is not None:
        raise Invalid({"name": "A network with this name already exists."})
    network = graph.store.run(q.CREATE, {"uid": uid, "props": props, "now": now_ms()})[0]["network"]
    grant = db.session.scalar(
        db.select(Grant).filter_by(user_id=actor.id, role="coordinator", network_uid=uid)
    )
    if grant is None:
        db.session.add(Grant(user_id=actor.id, role="coordinator", network_uid=uid))
    audit.record(actor, "create", "network", uid, network_uid=uid, after=network)
    return network


def get(uid: str) -> dict[str, Any]:
    rows = graph.store.run(q.GET, {"uid": uid})
    if not rows:
        raise NotFound(f"network {uid}")
    return rows[0]["network"]


def find_by_name(name: str) -> dict[str, Any] | None:
    rows = graph.store.run(q.FIND_BY_NAME, {"name": name})
    return rows[0]["network"] if rows else None


def resolve(name_or_uid: str) -> dict[str, Any]:
    """A network by uid or exact name (the CLI's NETWORK argument)."""
    try:
        return get(name_or_uid)
    except NotFound:
        found = find_by_name(name_or_uid)
        if found is None:
            raise NotFound(f"no network with uid or name {name_or_uid!r}") from None
        return found


def update(actor: User, uid: str, version: int, data: dict[str, Any]) -> dict[str, Any]:
    before = get(uid)
    props = _clean(data)
    other = find_by_name(props["name"])
    if other is not None and other["uid"] != uid:
        raise Invalid({"name": "A network with this name already exists."})
    rows = run_versioned(q.UPDATE, {"uid": uid}, version, props)
    if not rows:
        current = get(uid)
        raise Stale(current, changed_fields({**before, **props}, current))
    after = rows[0]["network"]
    audit.record(actor, "update", "network", uid, network_uid=uid, before=before, after=after)
    return after


def listing(uids: list[str] | None) -> list[dict[str, Any]]:
    """Networks with current school and people counts; ``None`` means every network."""
    rows = graph.store.run(q.LIST, {"all": uids is None, "uids": uids or [], "today": today()})
    return [{**row["network"], "schools": row["schools"], "people": row["people"]} for row in rows]


def schools_by_network() -> list[dict[str, Any]]:
    """Every (network, school) membership, for choosing a leader's school in grants."""
    seen: set[tuple[str, str]] = set()
    out = []
    for row in graph.store.run(q.SCHOOLS_OF_ALL):
        key = (row["network_uid"], row["school_uid"])
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out
