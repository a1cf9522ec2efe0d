"""Funding periods: who paid for the network's work, and from when to when."""

from __future__ import annotations

from typing import Any

from tracker.access import Scope
from tracker.extensions import graph
from tracker.graph.queries import funding as q
from tracker.graph.store import NotFound
from tracker.services import (
    Invalid,
    Stale,
    audit,
    changed_fields,
    check_date,
    check_end,
    check_order,
    now_ms,
    required_date,
    today,
)
from tracker.services.common import claim_uid, run_versioned


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    source = str(data.get("source") or "").strip()
    if not source:
        errors["source"] = "Say who funds this period (a grant, a trust, the schools' own budget)."
    elif len(source) > 200:
        errors["source"] = "Keep the source under 200 characters."
    started = required_date(
        data.get("started"), "started", errors, "Give the date the funding started."
    )
    ended = check_date(data.get("ended"), "ended", errors)
    check_order(started, ended, "ended", errors)
    if errors:
        raise Invalid(errors)
    return {"source": source, "started": started, "ended": ended}


def add(scope: Scope, data: dict[str, Any], *, uid: str | None = None) -> dict[str, Any]:
    props = _clean(data)
    uid, existing = claim_uid(q.OWNER, uid, scope.network_uid)
    if existing:
        return get(scope, uid)  # the same form sent twice: it is already saved
    rows = graph.store.run(
        q.CREATE, {"network_uid": scope.network_uid, "uid": uid, "props": props, "now": now_ms()}
    )
    if not rows:
        raise NotFound(f"network {scope.network_uid}")
    period = rows[0]["period"]
    audit.record(
        scope.user, "add", "funding_period", uid, network_uid=scope.network_uid, after=period
    )
    return period


def get(scope: Scope, uid: str) -> dict[str, Any]:
    rows = graph.store.run(q.GET, {"uid": uid, "network_uid": scope.network_uid})
    if not rows:
        raise NotFound(f"funding period {uid}")
    return _shape(rows[0]["period"])


def _shape(period: dict[str, Any]) -> dict[str, Any]:
    return {**period, "current": period["ended"] is None or period["ended"] >= today()}


def listing(scope: Scope) -> list[dict[str, Any]]:
    """Newest first; ``current`` is true while the period has not ended."""
    rows = graph.store.run(q.LIST_IN_NETWORK, {"network_uid": scope.network_uid})
    return [_shape(row["period"]) for row in rows]


def _write(
    scope: Scope, uid: str, version: int, props: dict[str, Any], before: dict[str, Any], action: str
) -> dict[str, Any]:
    rows = run_versioned(q.UPDATE, {"uid": uid, "network_uid": scope.network_uid}, version, props)
    if not rows:
        current = get(scope, uid)
        current.pop("current")
        raise Stale(current, changed_fields({**before, **props}, current))
    after = rows[0]["period"]
    audit.record(
        scope.user,
        action,
        "funding_period",
        uid,
        network_uid=scope.network_uid,
        before=before,
        after=after,
    )
    return after


def update(scope: Scope, uid: str, version: int, data: dict[str, Any]) -> dict[str, Any]:
    before = get(scope, uid)
    before.pop("current")
    return _write(scope, uid, version, _clean(data), before, "update")


def end(scope: Scope, uid: str, version: int, ended: str | None) -> dict[str, Any]:
    """Close an open period on ``ended``; the period is kept."""
    before = get(scope, uid)
    before.pop("current")
    errors: dict[str, str] = {}
    ended = check_end(
        ended,
        "ended",
        errors,
        started=before["started"],
        ended=before["ended"],
        missing="Give the date the funding ended.",
        what="period",
    )
    if errors:
        raise Invalid(errors)
    return _write(scope, uid, version, {"ended": ended}, before, "end")


def delete(scope: Scope, uid: str) -> dict[str, Any]:
    before = get(scope, uid)
    before.pop("current")
    graph.store.run(q.DELETE, {"uid": uid, "network_uid": scope.network_uid})
    audit.record(
        scope.user, "delete", "funding_period", uid, network_uid=scope.network_uid, before=before
    )
    return before
