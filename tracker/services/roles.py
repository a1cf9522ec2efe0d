"""Cross-school roles a person holds in the network for a period, and who designated them.

``designated_by`` matters for the designated-vs-recognised comparison; ``origin`` records how
the leadership arose (Harris): by design, by default (no one designated it), or in desperation
(with the triggering event in ``origin_note``).
"""

from __future__ import annotations

from typing import Any

from tracker.access import Scope
from tracker.extensions import graph
from tracker.graph.queries import role as q
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
    vocab,
)
from tracker.services.coaching import people_map, person_at
from tracker.services.common import claim_uid, run_versioned

TITLES = vocab.ROLE_TITLES
ORIGINS = vocab.ORIGINS
# The form's choice for a title outside the vocabulary, written in ``custom_title``.
CUSTOM = "custom"
MAX_TITLE = 120
MAX_NOTE = 1000


def title_label(title: str | None) -> str:
    """How a stored title reads: the vocabulary's label, or the custom title as written."""
    return TITLES.get(title or "", title or "")


def _title(data: dict[str, Any], errors: dict[str, str]) -> str | None:
    title = str(data.get("title") or "").strip()
    if title in TITLES:
        return title
    if title != CUSTOM:
        errors["title"] = vocab.choose(TITLES)[:-1] + ", or another role with its title written."
        return None
    custom = " ".join(str(data.get("custom_title") or "").split())
    if not custom:
        errors["custom_title"] = "Write the title of the role."
        return None
    if len(custom) > MAX_TITLE:
        errors["custom_title"] = f"Keep the title under {MAX_TITLE} characters."
        return None
    # "Lead learner" written by hand is the vocabulary's lead_learner.
    for key, label in TITLES.items():
        if custom.casefold() in {key.casefold(), label.casefold()}:
            return key
    return custom


def _person(scope: Scope, uid: str) -> bool:
    return bool(
        graph.store.run(q.PERSON_IN_NETWORK, {"uid": uid, "network_uid": scope.network_uid})
    )


def _clean(scope: Scope, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    person_uid = str(data.get("person_uid") or "").strip()
    if not person_uid:
        errors["person_uid"] = "Choose the person who holds the role."
    elif not _person(scope, person_uid):
        errors["person_uid"] = "Choose a person of this network."
    title = _title(data, errors)
    start = required_date(data.get("from"), "from", errors, "Give the date the role started.")
    end = check_date(data.get("to"), "to", errors)
    check_order(start, end, "to", errors)
    origin = str(data.get("origin") or "").strip() or None
    if origin is not None and origin not in ORIGINS:
        errors["origin"] = vocab.choose(ORIGINS)
    note = str(data.get("origin_note") or "").strip()
    if len(note) > MAX_NOTE:
        errors["origin_note"] = f"Keep the note under {MAX_NOTE} characters."
    designated_by = str(data.get("designated_by") or "").strip() or None
    if designated_by and origin == "default":
        errors["designated_by"] = (
            "A role taken up by default has no one designating it: clear “Designated by”, "
            "or choose another origin."
        )
    elif designated_by and not _person(scope, designated_by):
        errors["designated_by"] = "Choose a person of this network."
    if errors:
        raise Invalid(errors)
    return {
        "props": {
            "title": title,
            "from": start,
            "to": end,
            "designated_by": designated_by,
            "origin": origin,
            "origin_note": note or None,
        },
        "person_uid": person_uid,
    }


def _shape(
    scope: Scope, role: dict[str, Any], holders: list[str], people: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    role = dict(role)
    if scope.pseudonymise and role.get("origin_note"):
        role["origin_note"] = None  # free text can name people; evaluators see pseudonyms only
        role["note_hidden"] = True
    holder_uid = next((uid for uid in holders if uid), None)
    role["person_uid"] = holder_uid
    role["person"] = person_at(people, holder_uid, role["from"]) if holder_uid else None
    role["title_label"] = title_label(role["title"])
    role["custom"] = role["title"] not in TITLES
    designator = role.get("designated_by")
    role["designated_by_person"] = (
        person_at(people, designator, role["from"]) if designator else None
    )
    role["current"] = role["to"] is None or role["to"] > today()
    return role


def _fetch(scope: Scope, uid: str, people: dict[str, dict[str, Any]] | None = None) -> dict:
    rows = graph.store.run(q.GET, {"uid": uid, "network_uid": scope.network_uid})
    if not rows:
        raise NotFound(f"role {uid}")
    return _shape(scope, rows[0]["role"], rows[0]["holders"], people or people_map(scope))


def get(scope: Scope, uid: str) -> dict[str, Any]:
    return _fetch(scope, uid)


def listing(scope: Scope) -> list[dict[str, Any]]:
    """Every role of the network, newest first."""
    rows = graph.store.run(q.LIST_IN_NETWORK, {"network_uid": scope.network_uid})
    people = people_map(scope)
    return [_shape(scope, row["role"], row["holders"], people) for row in rows]


def for_person(scope: Scope, person_uid: str) -> list[dict[str, Any]]:
    """The roles one person holds or held, newest first (for the person's page)."""
    rows = graph.store.run(
        q.FOR_PERSON, {"person_uid": person_uid, "network_uid": scope.network_uid}
    )
    if not rows:
        return []
    people = people_map(scope)
    return [_shape(scope, row["role"], [person_uid], people) for row in rows]


def _state(role: dict[str, Any]) -> dict[str, Any]:
    """What the audit log keeps: the role's fields and the names behind its uids."""
    state = {
        key: role.get(key)
        for key in (
            "uid",
            "key",
            "title",
            "from",
            "to",
            "designated_by",
            "origin",
            "origin_note",
            "version",
            "person_uid",
        )
    }
    state["person"] = (role.get("person") or {}).get("name")
    state["designated_by_name"] = (role.get("designated_by_person") or {}).get("name")
    return state


def add(scope: Scope, data: dict[str, Any], *, uid: str | None = None) -> dict[str, Any]:
    cleaned = _clean(scope, data)
    uid, existing = claim_uid(q.OWNER, uid, scope.network_uid)
    if existing:
        return get(scope, uid)  # the same form sent twice: it is already saved
    rows = graph.store.run(
        q.CREATE,
        {
            "network_uid": scope.network_uid,
            "uid": uid,
            "person_uid": cleaned["person_uid"],
            "props": cleaned["props"],
            "now": now_ms(),
        },
    )
    if not rows:
        raise NotFound(f"person {cleaned['person_uid']}")
    role = get(scope, uid)
    audit.record(scope.user, "add", "role", uid, network_uid=scope.network_uid, after=_state(role))
    return role


def _write(
    scope: Scope,
    uid: str,
    version: int,
    person_uid: str,
    props: dict[str, Any],
    before: dict[str, Any],
    action: str,
) -> dict[str, Any]:
    params = {"uid": uid, "network_uid": scope.network_uid, "person_uid": person_uid}
    rows = run_versioned(q.UPDATE, params, version, props)
    people = people_map(scope)
    if not rows:
        current = _state(_fetch(scope, uid, people))
        mine = {**before, **props, "person_uid": person_uid}
        mine["person"] = (people.get(person_uid) or {}).get("name")
        mine["designated_by_name"] = (people.get(mine["designated_by"] or "") or {}).get("name")
        changed = [
            change
            for change in changed_fields(mine, current)
            if change[0] not in {"person_uid", "designated_by"}
        ]
        raise Stale(current, changed)
    after = _fetch(scope, uid, people)
    audit.record(
        scope.user,
        action,
        "role",
        uid,
        network_uid=scope.network_uid,
        before=before,
        after=_state(after),
    )
    return after


def update(scope: Scope, uid: str, version: int, data: dict[str, Any]) -> dict[str, Any]:
    before = _state(get(scope, uid))
    cleaned = _clean(scope, data)
    return _write(scope, uid, version, cleaned["person_uid"], cleaned["props"], before, "update")


def end(scope: Scope, uid: str, version: int, to: str | None) -> dict[str, Any]:
    """Record that the role stopped on ``to``; the role and its history are kept."""
    role = get(scope, uid)
    errors: dict[str, str] = {}
    to = check_end(
        to,
        "to",
        errors,
        started=role["from"],
        ended=role["to"],
        missing="Give the date the role ended.",
        what="role",
    )
    if errors:
        raise Invalid(errors)
    if role["person_uid"] is None:
        raise NotFound(f"holder of role {uid}")
    return _write(scope, uid, version, role["person_uid"], {"to": to}, _state(role), "end")


def delete(scope: Scope, uid: str) -> dict[str, Any]:
    """Remove the role; the audit log keeps the full record."""
    role = get(scope, uid)
    graph.store.run(q.DELETE, {"uid": uid, "network_uid": scope.network_uid})
    audit.record(
        scope.user, "delete", "role", uid, network_uid=scope.network_uid, before=_state(role)
    )
    return role
