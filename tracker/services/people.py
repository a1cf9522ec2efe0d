"""People in a network, and the history of where they work."""

from __future__ import annotations

from typing import Any

from tracker.access import Scope
from tracker.extensions import graph
from tracker.graph.queries import person as q
from tracker.graph.queries import survey as survey_q
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
from tracker.services import schools as school_service
from tracker.services.common import claim_uid, run_versioned
from tracker.services.pseudonyms import mask_person

LAYERS = vocab.LAYERS
STAFF_LAYERS = vocab.STAFF_LAYERS


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = "Give the person's name."
    elif len(name) > 200:
        errors["name"] = "Keep the name under 200 characters."
    layer = data.get("layer") or ""
    if layer not in LAYERS:
        errors["layer"] = "Choose a layer: " + ", ".join(LAYERS) + "."
    job_title = str(data.get("job_title") or "").strip()
    if len(job_title) > 120:
        errors["job_title"] = "Keep the job title under 120 characters."
    promoted = data.get("promoted")
    if isinstance(promoted, str):
        promoted = promoted.strip().lower() in {"y", "yes", "true", "1", "on"}
    props = {"name": name, "layer": layer, "job_title": job_title, "promoted": bool(promoted)}
    if "email" in data:
        # Only for sending questionnaire links; coordinators alone ever see it.
        email = str(data.get("email") or "").strip()
        local, _, domain = email.partition("@")
        if email and (len(email) > 254 or not local or "." not in domain or " " in email):
            errors["email"] = "Give an email address like name@school.org.uk, or leave it empty."
        props["email"] = email
    if errors:
        raise Invalid(errors)
    return props


def _check_school(
    scope: Scope, school_uid: str | None, start: str, layer: str | None, errors: dict[str, str]
) -> None:
    if not school_uid:
        if layer in STAFF_LAYERS:
            errors["school_uid"] = "Choose the school this person works at."
        return
    if not school_service.is_member(scope, school_uid, start):
        errors["school_uid"] = "Choose a school that belongs to this network."


def add(scope: Scope, data: dict[str, Any], *, uid: str | None = None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    try:
        props = _clean(data)
    except Invalid as exc:
        errors.update(exc.errors)
        props = {}
    start = check_date(data.get("from"), "from", errors) or today()
    end = check_date(data.get("to"), "to", errors)
    check_order(start, end, "to", errors)
    school_uid = data.get("school_uid") or None
    _check_school(scope, school_uid, start, data.get("layer"), errors)
    if errors:
        raise Invalid(errors)
    uid, existing = claim_uid(q.OWNER, uid, scope.network_uid)
    if existing:
        return get(scope, uid)  # the same form sent twice: it is already saved
    rows = graph.store.run(
        q.CREATE, {"network_uid": scope.network_uid, "uid": uid, "props": props, "now": now_ms()}
    )
    if not rows:
        raise NotFound(f"network {scope.network_uid}")
    if school_uid:
        # uid-derived so that a double submit finds the same period instead of adding one.
        graph.store.run(
            q.START_WORK,
            {
                "uid": uid,
                "school_uid": school_uid,
                "works_uid": f"{uid}:first",
                "from": start,
                "to": end,
            },
        )
    person = get(scope, uid)
    logged = {k: v for k, v in person.items() if k != "email"}  # the audit log is not for emails
    audit.record(scope.user, "add", "person", uid, network_uid=scope.network_uid, after=logged)
    return person


def get(scope: Scope, uid: str) -> dict[str, Any]:
    rows = graph.store.run(q.GET, {"uid": uid, "network_uid": scope.network_uid})
    if not rows:
        raise NotFound(f"person {uid}")
    person = _shape(scope, rows[0])
    if scope.can_write:
        person["email"] = _email(scope, uid)
    return person


def _email(scope: Scope, uid: str) -> str:
    """The person's email, for coordinators only (it is not in the shared person fields)."""
    rows = graph.store.run(survey_q.EMAILS, {"network_uid": scope.network_uid, "uids": [uid]})
    return (rows[0]["email"] or "") if rows else ""


def _shape(scope: Scope, row: dict[str, Any]) -> dict[str, Any]:
    person = {**row["person"], "works": [w for w in row["works"] if w.get("uid")]}
    current = [w for w in person["works"] if w["to"] is None or w["to"] > today()]
    person["current_work"] = current[-1] if current else None
    if scope.pseudonymise:
        person = mask_person(person, scope.network_uid)
    return person


def listing(
    scope: Scope, *, school_uid: str | None = None, include_left: bool = False
) -> list[dict[str, Any]]:
    rows = graph.store.run(q.LIST_IN_NETWORK, {"network_uid": scope.network_uid})
    people = [_shape(scope, row) for row in rows]
    if school_uid:
        people = [p for p in people if any(w["school_uid"] == school_uid for w in p["works"])]
    if not include_left:
        people = [p for p in people if p["current_work"] or not p["works"]]
    return sorted(people, key=lambda p: p["name"].lower())


def _unmasked(scope: Scope, uid: str) -> dict[str, Any]:
    rows = graph.store.run(q.GET, {"uid": uid, "network_uid": scope.network_uid})
    if not rows:
        raise NotFound(f"person {uid}")
    return {**rows[0]["person"], "works": [w for w in rows[0]["works"] if w.get("uid")]}


def update(scope: Scope, uid: str, version: int, data: dict[str, Any]) -> dict[str, Any]:
    before = _unmasked(scope, uid)
    props = _clean(data)
    rows = run_versioned(q.UPDATE, {"uid": uid, "network_uid": scope.network_uid}, version, props)
    if not rows:
        current = _unmasked(scope, uid)
        shown = {k: v for k, v in props.items() if k != "email"}
        raise Stale(current, changed_fields({**before, **shown}, current))
    after = rows[0]["person"]
    before.pop("works")
    audit.record(
        scope.user,
        "update",
        "person",
        uid,
        network_uid=scope.network_uid,
        before=before,
        after=after,
    )
    return after


def _current_work(person: dict[str, Any]) -> dict[str, Any] | None:
    current = [w for w in person["works"] if w["to"] is None]
    return current[-1] if current else None


def end_work(scope: Scope, uid: str, on: str | None) -> dict[str, Any]:
    """Record that the person left their school on ``on``; the period is kept."""
    person = _unmasked(scope, uid)
    errors: dict[str, str] = {}
    on = required_date(on, "to", errors, "Give the date the person left.")
    current = _current_work(person)
    if current is None:
        errors["to"] = "This person has no current school to leave."
    else:
        check_order(current["from"], on, "to", errors)
    if errors:
        raise Invalid(errors)
    rows = graph.store.run(q.END_WORK, {"uid": uid, "works_uid": current["uid"], "to": on})
    audit.record(
        scope.user,
        "end_work",
        "person",
        uid,
        network_uid=scope.network_uid,
        before={"works_at": current},
        after={"works_at": rows[0]["works_at"]},
    )
    return rows[0]["works_at"]


def move(
    scope: Scope, uid: str, school_uid: str | None, on: str | None, *, works_uid: str | None = None
) -> dict[str, Any]:
    """Move a person to another school on ``on``: the old period ends, a new one starts."""
    person = _unmasked(scope, uid)
    errors: dict[str, str] = {}
    on = required_date(on, "from", errors, "Give the date of the move.")
    current = _current_work(person)
    if current and on:
        check_order(current["from"], on, "from", errors)
        if current["school_uid"] == school_uid:
            errors["school_uid"] = "The person already works at this school."
    if on:
        _check_school(scope, school_uid, on, "teacher", errors)
    if errors:
        raise Invalid(errors)
    if current:
        graph.store.run(q.END_WORK, {"uid": uid, "works_uid": current["uid"], "to": on})
    rows = graph.store.run(
        q.START_WORK,
        {
            "uid": uid,
            "school_uid": school_uid,
            "works_uid": valid_uid(works_uid) if works_uid else new_uid(),
            "from": on,
            "to": None,
        },
    )
    audit.record(
        scope.user,
        "move",
        "person",
        uid,
        network_uid=scope.network_uid,
        before={"works_at": current},
        after={"works_at": rows[0]["works_at"]},
    )
    return rows[0]["works_at"]
