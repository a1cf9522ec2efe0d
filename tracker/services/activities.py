"""Activities: learning forums, network meetings, school visits, workshops, joint training.

Each has a date, an optional host school, the people who attended, the levels of learning it
served, and any decision taken (with the school that took it).
"""

from __future__ import annotations

import uuid
from typing import Any

from tracker.access import Scope
from tracker.extensions import graph
from tracker.graph.queries import activity as q
from tracker.graph.store import NotFound
from tracker.services import (
    Invalid,
    Stale,
    audit,
    changed_fields,
    now_ms,
    required_date,
    vocab,
)
from tracker.services import people as people_service
from tracker.services import schools as school_service
from tracker.services.common import claim_uid, run_versioned
from tracker.services.pseudonyms import pseudonym

KINDS = vocab.ACTIVITY_KINDS
LEVELS = vocab.LEVELS
MAX_TEXT = 2000
MAX_ATTENDEES = 2000


def relationship_uid(network_uid: str, kind: str, *keys: str) -> str:
    """A uid for a relationship that has no id of its own: the same inputs give the same uid,
    so a double submit finds the relationship instead of adding one. The same scheme as
    ``tracker/packages/ids.py`` (``uuid5(network_uid, "<KIND>/<uids...>")``), so the web and a
    package import name an attendance the same way."""
    try:
        namespace = uuid.UUID(network_uid)
    except ValueError:
        namespace = uuid.uuid5(uuid.NAMESPACE_URL, network_uid)
    return str(uuid.uuid5(namespace, f"{kind}/{'/'.join(keys)}"))


def school_on(works: list[dict[str, Any]], day: str) -> dict[str, Any] | None:
    """The WORKS_AT period that places a person at a school on ``day``.

    People are often entered after the events they took part in, with a start date of the day
    they were entered; so when no period covers ``day`` the first one starting after it is
    taken. Someone whose every period ended before ``day`` had left: no school.
    """
    periods = sorted((w for w in works if w.get("school_uid")), key=lambda w: w["from"] or "")
    for work in periods:
        if (work["from"] or "") <= day and (work["to"] is None or work["to"] > day):
            return work
    later = [w for w in periods if (w["from"] or "") > day]
    return later[0] if later else None


def _text(data: dict[str, Any], field: str, errors: dict[str, str], limit: int) -> str:
    value = str(data.get(field) or "").strip()
    if len(value) > limit:
        errors[field] = f"Keep this under {limit} characters."
    return value


def _uids(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [value]
    seen: dict[str, None] = {}
    for item in value:
        if item and str(item).strip():
            seen[str(item).strip()] = None
    return list(seen)


def _clean(scope: Scope, data: dict[str, Any]) -> dict[str, Any]:
    """Validate everything; returns node ``props`` plus the schools and people to link."""
    errors: dict[str, str] = {}
    kind = data.get("kind") or ""
    if kind not in KINDS:
        errors["kind"] = vocab.choose(KINDS)
    date = required_date(data.get("date"), "date", errors, "Give the date of the activity.")
    title = _text(data, "title", errors, 200) or KINDS.get(kind, "")
    levels = _uids(data.get("levels"))
    if any(level not in LEVELS for level in levels):
        errors["levels"] = vocab.choose(LEVELS)
    decision = _text(data, "decision", errors, MAX_TEXT)
    outcome = _text(data, "outcome", errors, MAX_TEXT)
    host_uid = str(data.get("host_uid") or "").strip() or None
    decided_by_uid = str(data.get("decided_by_uid") or "").strip() or None
    on = date or "9999-12-31"
    if host_uid and not school_service.is_member(scope, host_uid, on):
        errors["host_uid"] = "Choose a school that belongs to this network."
    elif not host_uid and kind == "visit":
        errors["host_uid"] = "Choose the school that was visited."
    if decided_by_uid and not school_service.is_member(scope, decided_by_uid, on):
        errors["decided_by_uid"] = "Choose a school that belongs to this network."
    elif decided_by_uid and not decision and "decision" not in errors:
        errors["decision"] = "Describe the decision the school took, or clear the school."
    attendees = _uids(data.get("attendees"))
    if len(attendees) > MAX_ATTENDEES:
        errors["attendees"] = f"Record at most {MAX_ATTENDEES} attendees."
    elif attendees:
        found = {
            row["uid"]
            for row in graph.store.run(
                q.PEOPLE_IN_NETWORK, {"uids": attendees, "network_uid": scope.network_uid}
            )
        }
        if set(attendees) - found:
            errors["attendees"] = "Choose attendees from the people of this network."
    if errors:
        raise Invalid(errors)
    return {
        "props": {
            "kind": kind,
            "date": date,
            "title": title,
            "levels": [level for level in LEVELS if level in levels],
            "decision": decision or None,
            "outcome": outcome or None,
        },
        "host_uid": host_uid,
        "decided_by_uid": decided_by_uid,
        "attendees": attendees,
    }


def _link(scope: Scope, uid: str, cleaned: dict[str, Any], *, replace: bool) -> None:
    """Point the activity at its schools and attendees; every statement is safe to repeat."""
    params = {"uid": uid, "network_uid": scope.network_uid}
    if replace:
        graph.store.run(q.CLEAR_SCHOOLS, params)
        graph.store.run(q.DROP_ATTENDANCE, {**params, "keep": cleaned["attendees"]})
    if cleaned["host_uid"]:
        graph.store.run(q.LINK_HOST, {**params, "school_uid": cleaned["host_uid"]})
    if cleaned["decided_by_uid"]:
        graph.store.run(q.LINK_DECIDER, {**params, "school_uid": cleaned["decided_by_uid"]})
    if cleaned["attendees"]:
        rows = [
            {
                "person_uid": person_uid,
                "uid": relationship_uid(scope.network_uid, "ATTENDED", person_uid, uid),
            }
            for person_uid in cleaned["attendees"]
        ]
        graph.store.run(q.ADD_ATTENDANCE, {**params, "rows": rows})


def add(scope: Scope, data: dict[str, Any], *, uid: str | None = None) -> dict[str, Any]:
    cleaned = _clean(scope, data)
    uid, existing = claim_uid(q.OWNER, uid, scope.network_uid)
    if existing:
        return get(scope, uid)  # the same form sent twice: it is already saved
    rows = graph.store.run(
        q.CREATE,
        {"network_uid": scope.network_uid, "uid": uid, "props": cleaned["props"], "now": now_ms()},
    )
    if not rows:
        raise NotFound(f"network {scope.network_uid}")
    _link(scope, uid, cleaned, replace=False)
    activity = _fetch(scope, uid)
    audit.record(
        scope.user, "add", "activity", uid, network_uid=scope.network_uid, after=_state(activity)
    )
    return _masked(scope, activity)


def _fetch(scope: Scope, uid: str) -> dict[str, Any]:
    rows = graph.store.run(q.GET, {"uid": uid, "network_uid": scope.network_uid})
    if not rows:
        raise NotFound(f"activity {uid}")
    return _shape(rows[0])


def _shape(row: dict[str, Any]) -> dict[str, Any]:
    activity = dict(row["activity"])
    activity["levels"] = list(activity.get("levels") or [])
    hosts = [h for h in row["hosts"] if h and h.get("uid")]
    deciders = [d for d in row["deciders"] if d and d.get("uid")]
    activity["host"] = hosts[0] if hosts else None
    activity["decided_by"] = deciders[0] if deciders else None
    attendees = []
    for person in row["attendees"]:
        if not person or not person.get("uid"):
            continue
        works = [w for w in person.get("works") or [] if w and w.get("school_uid")]
        work = school_on(works, activity["date"])
        attendees.append(
            {
                "uid": person["uid"],
                "name": person["name"],
                "layer": person["layer"],
                "school_uid": work["school_uid"] if work else None,
                "school_name": work["school_name"] if work else None,
            }
        )
    activity["attendees"] = sorted(attendees, key=lambda p: p["name"].lower())
    activity["attendee_uids"] = [p["uid"] for p in activity["attendees"]]
    schools = {p["school_uid"]: p["school_name"] for p in attendees if p["school_uid"]}
    activity["schools"] = sorted(schools.values(), key=str.lower)
    return activity


def _masked(scope: Scope, activity: dict[str, Any]) -> dict[str, Any]:
    if not scope.pseudonymise:
        return activity
    attendees = [
        {**p, "name": pseudonym(scope.network_uid, p["uid"]), "pseudonymised": True}
        for p in activity["attendees"]
    ]
    return {**activity, "attendees": sorted(attendees, key=lambda p: p["name"])}


def _state(activity: dict[str, Any]) -> dict[str, Any]:
    """What the audit log keeps: the node, its schools and its attendees."""
    state = {
        key: activity.get(key)
        for key in ("uid", "key", "kind", "date", "title", "decision", "outcome", "version")
    }
    state["levels"] = ", ".join(activity["levels"])
    state["host"] = (activity["host"] or {}).get("name")
    state["host_uid"] = (activity["host"] or {}).get("uid")
    state["decided_by"] = (activity["decided_by"] or {}).get("name")
    state["decided_by_uid"] = (activity["decided_by"] or {}).get("uid")
    state["attendees"] = ", ".join(p["name"] for p in activity["attendees"])
    state["attendee_uids"] = sorted(activity["attendee_uids"])
    return state


def get(scope: Scope, uid: str) -> dict[str, Any]:
    return _masked(scope, _fetch(scope, uid))


def listing(scope: Scope, *, kind: str | None = None) -> list[dict[str, Any]]:
    """Newest first."""
    rows = graph.store.run(q.LIST_IN_NETWORK, {"network_uid": scope.network_uid})
    activities = [_masked(scope, _shape(row)) for row in rows]
    if kind:
        activities = [a for a in activities if a["kind"] == kind]
    return activities


def _as_submitted(scope: Scope, cleaned: dict[str, Any]) -> dict[str, Any]:
    """The submitted form in the shape of ``_state``, to show what a stale edit would change."""
    schools = {s["uid"]: s["name"] for s in school_service.listing(scope)}
    people = {p["uid"]: p["name"] for p in people_service.listing(scope, include_left=True)}
    names = sorted((people.get(uid, uid) for uid in cleaned["attendees"]), key=str.lower)
    return {
        **cleaned["props"],
        "levels": ", ".join(cleaned["props"]["levels"]),
        "host": schools.get(cleaned["host_uid"] or ""),
        "host_uid": cleaned["host_uid"],
        "decided_by": schools.get(cleaned["decided_by_uid"] or ""),
        "decided_by_uid": cleaned["decided_by_uid"],
        "attendees": ", ".join(names),
        "attendee_uids": sorted(cleaned["attendees"]),
    }


def update(scope: Scope, uid: str, version: int, data: dict[str, Any]) -> dict[str, Any]:
    before = _state(_fetch(scope, uid))
    cleaned = _clean(scope, data)
    rows = run_versioned(
        q.UPDATE, {"uid": uid, "network_uid": scope.network_uid}, version, cleaned["props"]
    )
    if not rows:
        current = _state(_fetch(scope, uid))
        mine = {**_as_submitted(scope, cleaned), "uid": uid, "key": current["key"]}
        changed = [
            change
            for change in changed_fields(mine, current)
            if change[0] not in {"host_uid", "decided_by_uid", "attendee_uids"}
        ]
        raise Stale(current, changed)
    _link(scope, uid, cleaned, replace=True)
    after = _fetch(scope, uid)
    audit.record(
        scope.user,
        "update",
        "activity",
        uid,
        network_uid=scope.network_uid,
        before=before,
        after=_state(after),
    )
    return _masked(scope, after)


def delete(scope: Scope, uid: str) -> dict[str, Any]:
    """Remove the activity and its attendance; the audit log keeps the full record."""
    activity = _fetch(scope, uid)
    graph.store.run(q.DELETE, {"uid": uid, "network_uid": scope.network_uid})
    audit.record(
        scope.user,
        "delete",
        "activity",
        uid,
        network_uid=scope.network_uid,
        before=_state(activity),
    )
    return activity
