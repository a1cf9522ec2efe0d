"""Schools and their membership of a network."""

from __future__ import annotations

import uuid
from typing import Any

from tracker.access import Scope
from tracker.extensions import graph
from tracker.graph.queries import school as q
from tracker.graph.store import NotFound
from tracker.services import (
    Invalid,
    Stale,
    audit,
    changed_fields,
    check_date,
    check_order,
    new_uid,
    now_ms,
    required_date,
    today,
    valid_uid,
    vocab,
)
from tracker.services.common import run_versioned

PHASES = vocab.PHASES


def _number(
    value: Any,
    field: str,
    low: float,
    high: float,
    errors: dict[str, str],
    *,
    integer: bool = False,
) -> float | int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value) if integer else float(value)
    except (TypeError, ValueError):
        errors[field] = "Enter a number." if not integer else "Enter a whole number."
        return None
    if not low <= number <= high:
        errors[field] = f"Enter a number between {low:g} and {high:g}."
        return None
    return number


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = "Give the school's name."
    elif len(name) > 200:
        errors["name"] = "Keep the name under 200 characters."
    urn = str(data.get("urn") or "").strip()
    if not urn:
        errors["urn"] = "Give the school's URN (or SEED code): it identifies the school."
    elif len(urn) > 20 or not urn.replace("-", "").isalnum():
        errors["urn"] = "A URN is up to 20 letters or digits."
    phase = data.get("phase") or ""
    if phase not in PHASES:
        errors["phase"] = "Choose one of: " + ", ".join(PHASES.values()) + "."
    local_authority = str(data.get("local_authority") or "").strip()[:120]
    size = _number(data.get("size"), "size", 0, 10_000, errors, integer=True)
    lat = _number(data.get("lat"), "lat", -90, 90, errors)
    lon = _number(data.get("lon"), "lon", -180, 180, errors)
    if (lat is None) != (lon is None) and "lat" not in errors and "lon" not in errors:
        errors["lon" if lon is None else "lat"] = "Give both latitude and longitude, or neither."
    if errors:
        raise Invalid(errors)
    return {
        "name": name,
        "urn": urn,
        "phase": phase,
        "local_authority": local_authority,
        "size": size,
        "lat": lat,
        "lon": lon,
    }


def add(scope: Scope, data: dict[str, Any], *, uid: str | None = None) -> dict[str, Any]:
    """Add a school to the network; a URN already known elsewhere links that same school."""
    props = _clean(data)
    errors: dict[str, str] = {}
    joined = check_date(data.get("joined"), "joined", errors) or today()
    left = check_date(data.get("left"), "left", errors)
    check_order(joined, left, "left", errors)
    if errors:
        raise Invalid(errors)
    form_uid = valid_uid(uid)
    # Derived from the form's uid, so a double submit finds the membership it created.
    membership_uid = str(uuid.uuid5(uuid.UUID(form_uid), "membership"))
    found = graph.store.run(q.FIND_BY_URN, {"urn": props["urn"], "network_uid": scope.network_uid})
    if found and membership_uid in found[0]["memberships"]:
        return {**found[0]["school"], "linked": False}
    if found and found[0]["memberships"]:
        raise Invalid(
            {"urn": f"{found[0]['school']['name']} already has URN {props['urn']} in this network."}
        )
    linked = bool(found)
    if found:
        uid, props = found[0]["school"]["uid"], {}
    elif graph.store.run(q.EXISTS, {"uid": form_uid}):
        uid = new_uid()  # a client-made uid must never reach into another school
    else:
        uid = form_uid
    rows = graph.store.run(
        q.CREATE_IN_NETWORK,
        {
            "network_uid": scope.network_uid,
            "uid": uid,
            "props": props,
            "now": now_ms(),
            "membership_uid": membership_uid,
            "joined": joined,
            "left": left,
        },
    )
    if not rows:
        raise NotFound(f"network {scope.network_uid}")
    school = rows[0]["school"]
    audit.record(
        scope.user,
        "link" if linked else "add",
        "school",
        uid,
        network_uid=scope.network_uid,
        after={**school, "membership": rows[0]["membership"]},
    )
    return {**school, "linked": linked}


def get(scope: Scope, uid: str) -> dict[str, Any]:
    rows = graph.store.run(q.GET_IN_NETWORK, {"uid": uid, "network_uid": scope.network_uid})
    if not rows:
        raise NotFound(f"school {uid}")
    return {**rows[0]["school"], "memberships": rows[0]["memberships"]}


def listing(scope: Scope) -> list[dict[str, Any]]:
    rows = graph.store.run(q.LIST_IN_NETWORK, {"network_uid": scope.network_uid, "today": today()})
    schools = []
    for row in rows:
        membership = row["membership"]
        current = membership["to"] is None or membership["to"] > today()
        schools.append(
            {**row["school"], "membership": membership, "staff": row["staff"], "current": current}
        )
    # A school that left and rejoined appears once per membership; keep the latest.
    latest: dict[str, dict[str, Any]] = {}
    for school in schools:
        held = latest.get(school["uid"])
        if held is None or school["membership"]["from"] > held["membership"]["from"]:
            latest[school["uid"]] = school
    return sorted(latest.values(), key=lambda s: (not s["current"], s["name"].lower()))


def update(scope: Scope, uid: str, version: int, data: dict[str, Any]) -> dict[str, Any]:
    before = get(scope, uid)
    before.pop("memberships")
    props = _clean(data)
    if props["urn"] != before["urn"]:
        found = graph.store.run(
            q.FIND_BY_URN, {"urn": props["urn"], "network_uid": scope.network_uid}
        )
        if found:
            raise Invalid(
                {"urn": f"URN {props['urn']} already belongs to {found[0]['school']['name']}."}
            )
    rows = run_versioned(q.UPDATE, {"uid": uid}, version, props)
    if not rows:
        current = get(scope, uid)
        raise Stale(current, changed_fields({**before, **props}, current))
    after = rows[0]["school"]
    audit.record(
        scope.user,
        "update",
        "school",
        uid,
        network_uid=scope.network_uid,
        before=before,
        after=after,
    )
    return after


def end_membership(scope: Scope, uid: str, left: str | None) -> dict[str, Any]:
    """Record that the school left the network on ``left``; the membership is kept."""
    school = get(scope, uid)
    current = [m for m in school["memberships"] if m["to"] is None]
    errors: dict[str, str] = {}
    left = required_date(left, "left", errors, "Give the date the school left the network.")
    if not current:
        errors["left"] = "This school's membership has already ended."
    else:
        check_order(current[-1]["from"], left, "left", errors)
    if errors:
        raise Invalid(errors)
    membership = current[-1]
    rows = graph.store.run(
        q.END_MEMBERSHIP,
        {
            "uid": uid,
            "network_uid": scope.network_uid,
            "membership_uid": membership["uid"],
            "left": left,
        },
    )
    audit.record(
        scope.user,
        "end_membership",
        "school",
        uid,
        network_uid=scope.network_uid,
        before={"membership": membership},
        after={"membership": rows[0]["membership"]},
    )
    return rows[0]["membership"]


def is_member(scope: Scope, uid: str, on: str) -> bool:
    """True when the school belongs to the network and had not left it by ``on``.

    Staff often predate their school's joining, so only the end of membership matters.
    """
    try:
        school = get(scope, uid)
    except NotFound:
        return False
    return any(m["to"] is None or m["to"] > on for m in school["memberships"])
