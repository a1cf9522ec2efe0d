"""Knowledge transfer: a practice shared by one school and adopted by others, step by step
(heard about, trialled, embedded), with the person or group who carried it across."""

from __future__ import annotations

from typing import Any

from tracker.access import Scope
from tracker.extensions import graph
from tracker.graph.queries import transfer as q
from tracker.graph.store import NotFound
from tracker.services import (
    Invalid,
    Stale,
    audit,
    changed_fields,
    new_uid,
    now_ms,
    required_date,
    valid_uid,
    vocab,
)
from tracker.services import people as people_service
from tracker.services import schools as school_service
from tracker.services.activities import relationship_uid
from tracker.services.common import claim_uid, run_versioned

STAGES = vocab.ADOPTION_STAGES
STAGE_RANK = {stage: rank for rank, stage in enumerate(STAGES)}


def _shared_uid(scope: Scope, school_uid: str, practice_uid: str) -> str:
    # Derived from school and practice (as an import does), so a double submit finds it.
    return relationship_uid(scope.network_uid, "SHARED", school_uid, practice_uid)


# -- reading -------------------------------------------------------------------------------------


def _names(scope: Scope, rows: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Names of schools and carriers the rows mention, in three look-ups at most."""
    schools = {s["uid"]: s["name"] for s in school_service.listing(scope)}
    carriers = {
        a["carrier_uid"]
        for row in rows
        for a in row["adoptions"]
        if a and a.get("uid") and a.get("carrier_uid")
    }
    people: dict[str, str] = {}
    groups: dict[str, str] = {}
    if carriers:
        people = {
            p["uid"]: p["name"]
            for p in people_service.listing(scope, include_left=True)
            if p["uid"] in carriers
        }
        rest = sorted(carriers - set(people))
        if rest:
            groups = {
                g["uid"]: g["question"]
                for g in graph.store.run(
                    q.CARRIER_GROUPS, {"uids": rest, "network_uid": scope.network_uid}
                )
            }
    return {"schools": schools, "people": people, "groups": groups}


def _shape(row: dict[str, Any], names: dict[str, dict[str, str]]) -> dict[str, Any]:
    practice = dict(row["practice"])
    shared = [s for s in row["shared"] if s and s.get("school_uid")]
    practice["shared"] = shared[0] if shared else None
    adoptions = []
    for step in row["adoptions"]:
        if not step or not step.get("uid"):
            continue
        carrier = step.get("carrier_uid")
        carrier_name, carrier_kind = None, None
        if carrier in names["people"]:
            carrier_name, carrier_kind = names["people"][carrier], "person"
        elif carrier in names["groups"]:
            carrier_name, carrier_kind = names["groups"][carrier], "group"
        adoptions.append(
            {
                **step,
                "from_school_name": names["schools"].get(step.get("from_school_uid") or ""),
                "carrier_name": carrier_name,
                "carrier_kind": carrier_kind,
            }
        )
    adoptions.sort(key=lambda a: (a["date"] or "", STAGE_RANK.get(a["stage"], 0)))
    practice["adoptions"] = adoptions
    furthest: dict[str, dict[str, Any]] = {}
    for step in adoptions:
        held = furthest.get(step["school_uid"])
        if held is None or STAGE_RANK.get(step["stage"], 0) >= STAGE_RANK.get(held["stage"], 0):
            furthest[step["school_uid"]] = step
    practice["furthest"] = sorted(furthest.values(), key=lambda a: a["school_name"].lower())
    return practice


def listing(scope: Scope) -> list[dict[str, Any]]:
    """Every practice with its sharer and adoption steps (oldest step first), by name."""
    rows = graph.store.run(q.LIST_IN_NETWORK, {"network_uid": scope.network_uid})
    names = _names(scope, rows)
    return [_shape(row, names) for row in rows]


def get(scope: Scope, uid: str) -> dict[str, Any]:
    rows = graph.store.run(q.GET, {"uid": uid, "network_uid": scope.network_uid})
    if not rows:
        raise NotFound(f"practice {uid}")
    return _shape(rows[0], _names(scope, rows))


def get_adoption(scope: Scope, practice_uid: str, uid: str) -> tuple[dict[str, Any], dict]:
    practice = get(scope, practice_uid)
    for step in practice["adoptions"]:
        if step["uid"] == uid:
            return practice, step
    raise NotFound(f"adoption {uid}")


def transfer_table(practices: list[dict[str, Any]]) -> dict[str, Any]:
    """School-to-school flows: rows are sharing schools, columns adopting schools; each cell
    counts the practices that went that way and the furthest stage any of them reached."""
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    sharers: dict[str, str] = {}
    adopters: dict[str, str] = {}
    for practice in practices:
        for step in practice["adoptions"]:
            source = step.get("from_school_uid") or (practice["shared"] or {}).get("school_uid")
            if not source:
                continue
            sharers[source] = (
                step.get("from_school_name")
                or ((practice["shared"] or {}).get("school_name"))
                or "Unknown school"
            )
            adopters[step["school_uid"]] = step["school_name"]
            cell = cells.setdefault(
                (source, step["school_uid"]), {"practices": set(), "stage": step["stage"]}
            )
            cell["practices"].add(practice["uid"])
            if STAGE_RANK.get(step["stage"], 0) > STAGE_RANK.get(cell["stage"], 0):
                cell["stage"] = step["stage"]
    rows = sorted(sharers.items(), key=lambda item: item[1].lower())
    columns = sorted(adopters.items(), key=lambda item: item[1].lower())
    return {
        "rows": [{"uid": uid, "name": name} for uid, name in rows],
        "columns": [{"uid": uid, "name": name} for uid, name in columns],
        "cells": {
            key: {"count": len(cell["practices"]), "stage": cell["stage"]}
            for key, cell in cells.items()
        },
        "flows": len(cells),
    }


# -- practices -----------------------------------------------------------------------------------


def _clean_practice(scope: Scope, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = "Name the practice or resource."
    elif len(name) > 200:
        errors["name"] = "Keep the name under 200 characters."
    shared_on = required_date(
        data.get("shared_on"), "shared_on", errors, "Give the date the school shared it."
    )
    school_uid = str(data.get("school_uid") or "").strip()
    if not school_uid:
        errors["school_uid"] = "Choose the school that shared it."
    elif not school_service.is_member(scope, school_uid, shared_on or "9999-12-31"):
        errors["school_uid"] = "Choose a school that belongs to this network."
    if errors:
        raise Invalid(errors)
    return {"name": name, "school_uid": school_uid, "shared_on": shared_on}


def _practice_state(practice: dict[str, Any]) -> dict[str, Any]:
    shared = practice["shared"] or {}
    return {
        "uid": practice["uid"],
        "key": practice.get("key"),
        "name": practice["name"],
        "shared_by": shared.get("school_name"),
        "shared_by_uid": shared.get("school_uid"),
        "shared_on": shared.get("date"),
        "version": practice["version"],
        "adoptions": [_adoption_state(a) for a in practice["adoptions"]],
    }


def add_practice(scope: Scope, data: dict[str, Any], *, uid: str | None = None) -> dict[str, Any]:
    cleaned = _clean_practice(scope, data)
    uid, existing = claim_uid(q.OWNER, uid, scope.network_uid)
    if existing:
        return get(scope, uid)  # the same form sent twice: it is already saved
    rows = graph.store.run(
        q.CREATE,
        {
            "network_uid": scope.network_uid,
            "school_uid": cleaned["school_uid"],
            "uid": uid,
            "props": {"name": cleaned["name"]},
            "shared_uid": _shared_uid(scope, cleaned["school_uid"], uid),
            "shared_on": cleaned["shared_on"],
            "now": now_ms(),
        },
    )
    if not rows:
        raise NotFound(f"network {scope.network_uid}")
    practice = get(scope, uid)
    audit.record(
        scope.user,
        "add",
        "practice",
        uid,
        network_uid=scope.network_uid,
        after=_practice_state(practice),
    )
    return practice


def update_practice(scope: Scope, uid: str, version: int, data: dict[str, Any]) -> dict[str, Any]:
    practice = get(scope, uid)
    before = _practice_state(practice)
    cleaned = _clean_practice(scope, data)
    errors: dict[str, str] = {}
    for step in practice["adoptions"]:
        if step["school_uid"] == cleaned["school_uid"]:
            errors["school_uid"] = (
                f"{step['school_name']} has adopted this practice, so it cannot be the school "
                "that shared it. Delete that adoption step first."
            )
        if step["date"] and step["date"] < cleaned["shared_on"]:
            errors["shared_on"] = (
                f"{step['school_name']} {STAGES[step['stage']].lower()} it on {step['date']}, "
                "before this date."
            )
    if errors:
        raise Invalid(errors)
    rows = run_versioned(
        q.UPDATE, {"uid": uid, "network_uid": scope.network_uid}, version, {"name": cleaned["name"]}
    )
    if not rows:
        current = _practice_state(get(scope, uid))
        schools = {s["uid"]: s["name"] for s in school_service.listing(scope)}
        mine = {
            **current,
            "name": cleaned["name"],
            "shared_by": schools.get(cleaned["school_uid"]),
            "shared_by_uid": cleaned["school_uid"],
            "shared_on": cleaned["shared_on"],
        }
        changed = [c for c in changed_fields(mine, current) if c[0] != "shared_by_uid"]
        raise Stale(current, changed)
    params = {"uid": uid, "network_uid": scope.network_uid}
    old_school = before["shared_by_uid"]
    graph.store.run(q.CLEAR_SHARED, params)
    graph.store.run(
        q.LINK_SHARED,
        {
            **params,
            "school_uid": cleaned["school_uid"],
            "shared_uid": _shared_uid(scope, cleaned["school_uid"], uid),
            "shared_on": cleaned["shared_on"],
        },
    )
    if old_school and old_school != cleaned["school_uid"]:
        graph.store.run(
            q.MOVE_FROM_SCHOOL,
            {**params, "old_school_uid": old_school, "new_school_uid": cleaned["school_uid"]},
        )
    after = get(scope, uid)
    audit.record(
        scope.user,
        "update",
        "practice",
        uid,
        network_uid=scope.network_uid,
        before=before,
        after=_practice_state(after),
    )
    return after


def delete_practice(scope: Scope, uid: str) -> dict[str, Any]:
    """Remove the practice with its sharing and every adoption step; audited in full."""
    practice = get(scope, uid)
    graph.store.run(q.DELETE, {"uid": uid, "network_uid": scope.network_uid})
    audit.record(
        scope.user,
        "delete",
        "practice",
        uid,
        network_uid=scope.network_uid,
        before=_practice_state(practice),
    )
    return practice


# -- adoption steps ------------------------------------------------------------------------------


def _adoption_state(step: dict[str, Any]) -> dict[str, Any]:
    return {
        "uid": step["uid"],
        "school": step.get("school_name"),
        "school_uid": step["school_uid"],
        "stage": step["stage"],
        "date": step["date"],
        "from_school_uid": step.get("from_school_uid"),
        "carrier_uid": step.get("carrier_uid"),
        "carrier": step.get("carrier_name"),
    }


def _clean_adoption(
    scope: Scope, practice: dict[str, Any], data: dict[str, Any], *, step_uid: str | None = None
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    shared = practice["shared"] or {}
    stage = data.get("stage") or ""
    if stage not in STAGES:
        errors["stage"] = vocab.choose(STAGES)
    date = required_date(data.get("date"), "date", errors, "Give the date of this step.")
    if date and shared.get("date") and date < shared["date"]:
        errors["date"] = (
            f"This is before {shared['school_name']} shared the practice ({shared['date']})."
        )
    school_uid = str(data.get("school_uid") or "").strip()
    if not school_uid:
        errors["school_uid"] = "Choose the school that adopted the practice."
    elif school_uid == shared.get("school_uid"):
        errors["school_uid"] = (
            f"{shared['school_name']} shared this practice; choose the school that took it up."
        )
    elif not school_service.is_member(scope, school_uid, date or "9999-12-31"):
        errors["school_uid"] = "Choose a school that belongs to this network."
    elif stage in STAGES:
        for step in practice["adoptions"]:
            if step["uid"] != step_uid and (step["school_uid"], step["stage"]) == (
                school_uid,
                stage,
            ):
                errors["stage"] = (
                    f"{step['school_name']} is already recorded at “{STAGES[stage]}” "
                    f"(on {step['date']}). Edit that step instead."
                )
    carrier_uid = str(data.get("carrier_uid") or "").strip() or None
    if carrier_uid:
        found = graph.store.run(q.CARRIER, {"uid": carrier_uid, "network_uid": scope.network_uid})
        if not found or not (found[0]["person_uid"] or found[0]["group_uid"]):
            errors["carrier_uid"] = "Choose a person from this network, or no one."
    if errors:
        raise Invalid(errors)
    return {
        "school_uid": school_uid,
        "props": {
            "stage": stage,
            "date": date,
            "from_school_uid": shared.get("school_uid"),
            "carrier_uid": carrier_uid,
        },
    }


def add_adoption(
    scope: Scope, practice_uid: str, data: dict[str, Any], *, uid: str | None = None
) -> dict[str, Any]:
    practice = get(scope, practice_uid)
    uid = valid_uid(uid)
    owner = graph.store.run(q.ADOPTION_OWNER, {"uid": uid})
    if owner and owner[0]["practice_uid"] == practice_uid:
        return get_adoption(scope, practice_uid, uid)[1]  # sent twice: already saved
    if owner:
        uid = new_uid()
    cleaned = _clean_adoption(scope, practice, data)
    graph.store.run(
        q.ADD_ADOPTION,
        {
            "practice_uid": practice_uid,
            "network_uid": scope.network_uid,
            "school_uid": cleaned["school_uid"],
            "uid": uid,
            "props": cleaned["props"],
        },
    )
    _, step = get_adoption(scope, practice_uid, uid)
    audit.record(
        scope.user,
        "add",
        "adoption",
        practice_uid,
        network_uid=scope.network_uid,
        after={"practice": practice["name"], **_adoption_state(step)},
    )
    return step


def update_adoption(
    scope: Scope, practice_uid: str, uid: str, version: int, data: dict[str, Any]
) -> dict[str, Any]:
    practice, step = get_adoption(scope, practice_uid, uid)
    before = _adoption_state(step)
    cleaned = _clean_adoption(scope, practice, data, step_uid=uid)
    params = {
        "practice_uid": practice_uid,
        "network_uid": scope.network_uid,
        "uid": uid,
        "school_uid": cleaned["school_uid"],
    }
    rows = run_versioned(q.UPDATE_ADOPTION, params, version, cleaned["props"])
    if not rows:
        practice, step = get_adoption(scope, practice_uid, uid)
        current = {**_adoption_state(step), "version": practice["version"]}
        schools = {s["uid"]: s["name"] for s in school_service.listing(scope)}
        mine = {
            **current,
            **cleaned["props"],
            "school_uid": cleaned["school_uid"],
            "school": schools.get(cleaned["school_uid"]),
        }
        hidden = {"school_uid", "carrier_uid", "from_school_uid", "carrier"}
        changed = [c for c in changed_fields(mine, current) if c[0] not in hidden]
        if cleaned["props"]["carrier_uid"] != current["carrier_uid"]:
            changed.append(("carrier", None, current["carrier"]))
        raise Stale(current, changed)
    _, after = get_adoption(scope, practice_uid, uid)
    audit.record(
        scope.user,
        "update",
        "adoption",
        practice_uid,
        network_uid=scope.network_uid,
        before={"practice": practice["name"], **before},
        after={"practice": practice["name"], **_adoption_state(after)},
    )
    return after


def delete_adoption(scope: Scope, practice_uid: str, uid: str) -> dict[str, Any]:
    practice, step = get_adoption(scope, practice_uid, uid)
    graph.store.run(
        q.DELETE_ADOPTION,
        {
            "practice_uid": practice_uid,
            "network_uid": scope.network_uid,
            "uid": uid,
            "now": now_ms(),
        },
    )
    audit.record(
        scope.user,
        "delete",
        "adoption",
        practice_uid,
        network_uid=scope.network_uid,
        before={"practice": practice["name"], **_adoption_state(step)},
    )
    return step
