"""Enquiry groups: a question worked on together, who belongs, when they met, what came of it.

Members join and leave on dates (the periods are kept); sessions record who attended, and an
attendee who was not a member on the day is a guest. Every write is audited under the group's
uid, so the group's history page shows its members, sessions and outcomes as well.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tracker.access import Scope
from tracker.extensions import graph
from tracker.graph.queries import group as q
from tracker.graph.store import NotFound
from tracker.packages import ids
from tracker.services import (
    Invalid,
    Stale,
    audit,
    changed_fields,
    check_date,
    check_end,
    check_order,
    new_uid,
    now_ms,
    required_date,
    today,
    valid_uid,
    vocab,
)
from tracker.services import networks as network_service
from tracker.services import people as people_service
from tracker.services.common import claim_uid, people_in_network, run_versioned

LEVELS = vocab.LEVELS
ORIGINS = vocab.ORIGINS
GROUP_ROLES = vocab.GROUP_ROLES
OUTCOME_KINDS = vocab.OUTCOME_KINDS
KIND = "enquiry_group"


# -- helpers ----------------------------------------------------------------------------------


def _text(data: dict[str, Any], name: str) -> str:
    return str(data.get(name) or "").strip()


def _uids(value: Any) -> list[str]:
    """A list of person uids from a form or caller: stripped, without blanks or repeats."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    seen: dict[str, None] = {}
    for item in value:
        text = str(item or "").strip()
        if text:
            seen.setdefault(text, None)
    return list(seen)


def _in_network(scope: Scope, uids: Iterable[str]) -> set[str]:
    """Those of ``uids`` that are people of the caller's network."""
    return people_in_network(q.PEOPLE_IN_NETWORK, scope.network_uid, uids)


def _directory(scope: Scope) -> dict[str, dict[str, Any]]:
    """Every person of the network by uid, named as this caller may see them."""
    people = {}
    for person in people_service.listing(scope, include_left=True):
        work = person["current_work"] or (person["works"][-1] if person["works"] else None)
        people[person["uid"]] = {
            "uid": person["uid"],
            "name": person["name"],
            "layer": person["layer"],
            "school_name": work["school_name"] if work else "No school",
            "current": bool(person["current_work"] or not person["works"]),
        }
    return people


def _someone(uid: str) -> dict[str, Any]:
    return {
        "uid": uid,
        "name": "Unknown person",
        "layer": None,
        "school_name": "",
        "current": False,
    }


def _current(period: dict[str, Any], on: str | None = None) -> bool:
    on = on or today()
    return (period["from"] or "") <= on and (period["to"] is None or period["to"] >= on)


def _is_open(period: dict[str, Any]) -> bool:
    return period["to"] is None or period["to"] > today()


# -- the group --------------------------------------------------------------------------------


def _clean(
    scope: Scope, data: dict[str, Any], *, keep_priority: str | None = None
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    question = _text(data, "question")
    if not question:
        errors["question"] = "Give the question the group is working on."
    elif len(question) > 500:
        errors["question"] = "Keep the question under 500 characters."
    priority = _text(data, "priority") or None
    if priority is not None:
        network = network_service.get(scope.network_uid)
        allowed = set(network.get("priorities") or [])
        if keep_priority:
            allowed.add(keep_priority)  # a priority since renamed stays valid for its groups
        if priority not in allowed:
            errors["priority"] = "Choose one of the network's priorities, or none."
    chosen = _uids(data.get("levels"))
    if any(level not in LEVELS for level in chosen):
        errors["levels"] = vocab.choose(LEVELS)
    levels = [level for level in LEVELS if level in chosen]
    started = required_date(
        data.get("started"), "started", errors, "Give the date the group started."
    )
    ended = check_date(data.get("ended"), "ended", errors)
    check_order(started, ended, "ended", errors)
    origin = _text(data, "origin") or None
    if origin is not None and origin not in ORIGINS:
        errors["origin"] = vocab.choose(ORIGINS)
    origin_note = _text(data, "origin_note")
    if len(origin_note) > 1000:
        errors["origin_note"] = "Keep the note under 1000 characters."
    if errors:
        raise Invalid(errors)
    return {
        "question": question,
        "priority": priority,
        "levels": levels,
        "started": started,
        "ended": ended,
        "origin": origin,
        "origin_note": origin_note or None,
    }


def get(scope: Scope, uid: str) -> dict[str, Any]:
    """The group as stored (404 when it is not in the caller's network)."""
    rows = graph.store.run(q.GET, {"uid": uid, "network_uid": scope.network_uid})
    if not rows:
        raise NotFound(f"enquiry group {uid}")
    group = rows[0]["enquiry_group"]
    group["levels"] = group.get("levels") or []
    return group


def create(scope: Scope, data: dict[str, Any], *, uid: str | None = None) -> dict[str, Any]:
    props = _clean(scope, data)
    uid, existing = claim_uid(q.OWNER, uid, scope.network_uid)
    if existing:
        return get(scope, uid)  # the same form sent twice: it is already saved
    rows = graph.store.run(
        q.CREATE, {"network_uid": scope.network_uid, "uid": uid, "props": props, "now": now_ms()}
    )
    if not rows:
        raise NotFound(f"network {scope.network_uid}")
    group = rows[0]["enquiry_group"]
    audit.record(scope.user, "create", KIND, uid, network_uid=scope.network_uid, after=group)
    return group


def _check_span(scope: Scope, uid: str, started: str, ended: str | None) -> None:
    """Nothing the group holds may fall before it started; no session after it ended."""
    errors: dict[str, str] = {}
    sessions = [s["date"] for s in _sessions(scope, uid) if s["date"]]
    outcomes = [o["date"] for o in _outcomes(scope, uid) if o["date"]]
    joined = [m["from"] for m in _members(scope, uid) if m["from"]]
    earliest = min([*sessions, *outcomes, *joined], default=None)
    if earliest and started > earliest:
        errors["started"] = (
            f"The group already has a session, outcome or member from {earliest}: "
            "it cannot start after that."
        )
    if ended and sessions and max(sessions) > ended:
        errors["ended"] = f"The group met on {max(sessions)}: it cannot end before that."
    if errors:
        raise Invalid(errors)


def update(scope: Scope, uid: str, version: int, data: dict[str, Any]) -> dict[str, Any]:
    before = get(scope, uid)
    props = _clean(scope, data, keep_priority=before.get("priority"))
    _check_span(scope, uid, props["started"], props["ended"])
    rows = run_versioned(q.UPDATE, {"uid": uid, "network_uid": scope.network_uid}, version, props)
    if not rows:
        current = get(scope, uid)
        raise Stale(current, changed_fields({**before, **props}, current))
    after = rows[0]["enquiry_group"]
    audit.record(
        scope.user, "update", KIND, uid, network_uid=scope.network_uid, before=before, after=after
    )
    return after


def end(scope: Scope, uid: str, on: str | None) -> dict[str, Any]:
    """Record that the group stopped meeting on ``on``; everything it did is kept."""
    before = get(scope, uid)
    errors: dict[str, str] = {}
    on = check_end(
        on,
        "ended",
        errors,
        started=before["started"],
        ended=before["ended"] or None,
        missing="Give the date the group ended.",
        what="group",
    )
    if errors:
        raise Invalid(errors)
    _check_span(scope, uid, before["started"], on)
    rows = graph.store.run(
        q.END, {"uid": uid, "network_uid": scope.network_uid, "ended": on, "now": now_ms()}
    )
    if not rows:
        raise Invalid({"ended": "This group has already ended."})
    after = rows[0]["enquiry_group"]
    audit.record(
        scope.user, "end", KIND, uid, network_uid=scope.network_uid, before=before, after=after
    )
    return after


def delete(scope: Scope, uid: str) -> dict[str, Any]:
    """Delete the group with its sessions and outcomes; the audit log keeps what it held."""
    before = {
        **get(scope, uid),
        "members": _members(scope, uid),
        "sessions": _sessions(scope, uid),
        "outcomes": _outcomes(scope, uid),
    }
    graph.store.run(q.DELETE, {"uid": uid, "network_uid": scope.network_uid})
    audit.record(scope.user, "delete", KIND, uid, network_uid=scope.network_uid, before=before)
    return before


def listing(scope: Scope) -> list[dict[str, Any]]:
    """Every group of the network with its leads, counts and last session; open ones first."""
    rows = graph.store.run(q.LIST_IN_NETWORK, {"network_uid": scope.network_uid})
    people = _directory(scope)
    groups = []
    for row in rows:
        group = row["enquiry_group"]
        members = [m for m in row["members"] if m.get("uid")]
        current = [m for m in members if _is_open(m)]
        leads = [m for m in current if m["role"] == "lead"]
        groups.append(
            {
                **group,
                "levels": group.get("levels") or [],
                "leads": sorted(
                    (people.get(m["person_uid"]) or _someone(m["person_uid"]) for m in leads),
                    key=lambda p: p["name"].lower(),
                ),
                "members": len({m["person_uid"] for m in current}),
                "sessions": row["sessions"],
                "last_session": row["last_session"],
                "outcomes": row["outcomes"],
                "open": group["ended"] is None or group["ended"] > today(),
            }
        )
    return sorted(groups, key=lambda g: (not g["open"], g["question"].lower()))


def detail(scope: Scope, uid: str) -> dict[str, Any]:
    """The group page: members current and former, sessions with who attended, outcomes."""
    group = get(scope, uid)
    people = _directory(scope)
    members = [
        {**m, "person": people.get(m["person_uid"]) or _someone(m["person_uid"])}
        for m in _members(scope, uid)
    ]
    sessions = []
    for session in _sessions(scope, uid):
        attendees = []
        for person_uid in session["attendees"]:
            guest = not any(
                m["person_uid"] == person_uid and _current(m, session["date"]) for m in members
            )
            attendees.append({**(people.get(person_uid) or _someone(person_uid)), "guest": guest})
        attendees.sort(key=lambda a: (a["guest"], a["name"].lower()))
        if scope.pseudonymise:
            session["note"] = None  # free text can name people
        sessions.append(
            {
                **session,
                "attendees": attendees,
                "guests": sum(1 for a in attendees if a["guest"]),
            }
        )
    if scope.pseudonymise:
        group["origin_note"] = None
    return {
        **group,
        "open": group["ended"] is None or group["ended"] > today(),
        "current_members": [m for m in members if _is_open(m)],
        "former_members": [m for m in members if not _is_open(m)],
        "sessions": sessions,
        "outcomes": _outcomes(scope, uid),
    }


# -- members ----------------------------------------------------------------------------------


def _members(scope: Scope, uid: str) -> list[dict[str, Any]]:
    rows = graph.store.run(q.MEMBERS, {"uid": uid, "network_uid": scope.network_uid})
    return [row["membership"] for row in rows]


Groups = list[tuple[str, list[dict[str, Any]]]]


def _by_school(people: Iterable[dict[str, Any]]) -> Groups:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for person in sorted(people, key=lambda p: p["name"].lower()):
        grouped.setdefault(person["school_name"] or "No school", []).append(person)
    return sorted(grouped.items())


def attendance_choices(
    scope: Scope,
    uid: str,
    *,
    on: str | None = None,
    present: Iterable[str] = (),
    guests: Iterable[str] = (),
) -> tuple[Groups, Groups]:
    """(members, everyone else) grouped by school, for ticking who came to a session.

    Members are those whose membership covers today or ``on``, plus anyone already ticked as
    present; everyone else in the network, and anyone already ticked as a guest, is offered
    as a guest. Each ticked person appears in exactly one of the two lists.
    """
    people = _directory(scope)
    present, guests = set(present) - set(guests), set(guests)
    member_uids = {
        m["person_uid"]
        for m in _members(scope, uid)
        if m["person_uid"] not in guests and (_current(m) or (on and _current(m, on)))
    } | present
    others = ({p["uid"] for p in people.values() if p["current"]} | guests) - member_uids
    return (
        _by_school(people.get(p) or _someone(p) for p in member_uids),
        _by_school(people.get(p) or _someone(p) for p in others),
    )


def split_attendance(scope: Scope, uid: str, session: dict[str, Any]) -> tuple[list, list]:
    """A session's attendees as (members present, guests) on the session's date."""
    members = {m["person_uid"] for m in _members(scope, uid) if _current(m, session["date"])}
    present = [p for p in session["attendees"] if p in members]
    return present, [p for p in session["attendees"] if p not in members]


def add_member(
    scope: Scope, uid: str, data: dict[str, Any], *, membership_uid: str | None = None
) -> dict[str, Any]:
    """Add a person as lead or member from a date."""
    group = get(scope, uid)
    errors: dict[str, str] = {}
    person_uid = _text(data, "person_uid")
    role = _text(data, "role")
    if role not in GROUP_ROLES:
        errors["role"] = vocab.choose(GROUP_ROLES)
    start = required_date(data.get("from"), "from", errors, "Give the date they joined the group.")
    end_on = check_date(data.get("to"), "to", errors)
    check_order(start, end_on, "to", errors)
    if start and start < group["started"]:
        errors["from"] = f"The group started on {group['started']}: no one can join before that."
    elif start and group["ended"] and start > group["ended"]:
        errors["from"] = f"The group ended on {group['ended']}: no one can join after that."
    membership_uid = valid_uid(membership_uid)
    owner = graph.store.run(q.MEMBERSHIP_OWNER, {"membership_uid": membership_uid})
    if owner and owner[0]["group_uid"] == uid and not errors:
        # The same form sent twice: the membership is already saved.
        return next(m for m in _members(scope, uid) if m["uid"] == membership_uid)
    if owner:
        membership_uid = new_uid()
    if not person_uid:
        errors["person_uid"] = "Choose a person."
    elif not _in_network(scope, [person_uid]):
        errors["person_uid"] = "Choose a person from this network."
    else:
        held = [m for m in _members(scope, uid) if m["person_uid"] == person_uid]
        if any(m["to"] is None for m in held):
            errors["person_uid"] = "This person is already a member of the group."
        elif start and any(m["to"] > start for m in held):
            last = max(m["to"] for m in held)
            errors["from"] = f"They were a member until {last}: rejoining starts on or after it."
    if errors:
        raise Invalid(errors)
    rows = graph.store.run(
        q.ADD_MEMBER,
        {
            "uid": uid,
            "network_uid": scope.network_uid,
            "person_uid": person_uid,
            "membership_uid": membership_uid,
            "role": role,
            "from": start,
            "to": end_on,
        },
    )
    membership = rows[0]["membership"]
    audit.record(
        scope.user,
        "add_member",
        KIND,
        uid,
        network_uid=scope.network_uid,
        after={"membership": membership},
    )
    return membership


def end_member(scope: Scope, uid: str, membership_uid: str, on: str | None) -> dict[str, Any]:
    """Record that a member left the group on ``on``; the period is kept."""
    get(scope, uid)
    errors: dict[str, str] = {}
    found = [m for m in _members(scope, uid) if m["uid"] == membership_uid]
    on = required_date(on, "to", errors, "Give the date they left the group.")
    if not found:
        errors["membership_uid"] = "Choose a membership of this group."
    elif found[0]["to"] is not None:
        errors["to"] = f"This membership already ended on {found[0]['to']}."
    else:
        check_order(found[0]["from"], on, "to", errors)
    if errors:
        raise Invalid(errors)
    rows = graph.store.run(
        q.END_MEMBER,
        {"uid": uid, "network_uid": scope.network_uid, "membership_uid": membership_uid, "to": on},
    )
    if not rows:
        raise Invalid({"to": "This membership has already ended."})
    audit.record(
        scope.user,
        "end_member",
        KIND,
        uid,
        network_uid=scope.network_uid,
        before={"membership": found[0]},
        after={"membership": rows[0]["membership"]},
    )
    return rows[0]["membership"]


# -- sessions ---------------------------------------------------------------------------------


def _sessions(scope: Scope, uid: str) -> list[dict[str, Any]]:
    rows = graph.store.run(q.SESSIONS, {"uid": uid, "network_uid": scope.network_uid})
    return [{**row["session"], "attendees": sorted(row["attendees"])} for row in rows]


def get_session(scope: Scope, uid: str, session_uid: str) -> dict[str, Any]:
    """A session of this group with its attendees' uids (404 otherwise)."""
    get(scope, uid)
    for session in _sessions(scope, uid):
        if session["uid"] == session_uid:
            return session
    raise NotFound(f"session {session_uid}")


def _clean_session(
    scope: Scope, group: dict[str, Any], data: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    errors: dict[str, str] = {}
    date = required_date(data.get("date"), "date", errors, "Give the date of the session.")
    if date and date < group["started"]:
        errors["date"] = f"The group started on {group['started']}: a session cannot come before."
    elif date and group["ended"] and date > group["ended"]:
        errors["date"] = f"The group ended on {group['ended']}: a session cannot come after."
    note = _text(data, "note")
    if len(note) > 2000:
        errors["note"] = "Keep the note under 2000 characters."
    present = _uids(data.get("present"))
    guests = _uids(data.get("guests"))
    members = {m["person_uid"] for m in _members(scope, group["uid"])}
    known = _in_network(scope, [*present, *guests])
    if any(p not in members or p not in known for p in present):
        errors["present"] = "Tick only members of this group; add anyone else as a guest."
    if any(p not in known for p in guests):
        errors["guests"] = "Choose guests from this network's people."
    if errors:
        raise Invalid(errors)
    return {"date": date, "note": note or None}, _uids([*present, *guests])


def _attendance(scope: Scope, session_uid: str, people: list[str]) -> list[dict[str, str]]:
    return [
        {
            "person_uid": person_uid,
            "uid": ids.relationship_uid(scope.network_uid, "ATTENDED", person_uid, session_uid),
        }
        for person_uid in people
    ]


def add_session(
    scope: Scope, uid: str, data: dict[str, Any], *, session_uid: str | None = None
) -> dict[str, Any]:
    """Record a session: its date, a note, and who attended (members present and guests)."""
    group = get(scope, uid)
    props, people = _clean_session(scope, group, data)
    session_uid, existing = claim_uid(
        q.SESSION_OWNER, session_uid, scope.network_uid, key="session_uid", group_uid=uid
    )
    if existing:
        return get_session(scope, uid, session_uid)  # the same form sent twice
    graph.store.run(
        q.CREATE_SESSION,
        {
            "uid": uid,
            "network_uid": scope.network_uid,
            "session_uid": session_uid,
            "props": props,
            "attendees": _attendance(scope, session_uid, people),
            "now": now_ms(),
        },
    )
    session = get_session(scope, uid, session_uid)
    audit.record(scope.user, "add_session", KIND, uid, network_uid=scope.network_uid, after=session)
    return session


def update_session(
    scope: Scope, uid: str, session_uid: str, version: int, data: dict[str, Any]
) -> dict[str, Any]:
    """Change a session's date, note or attendance; refused if someone changed it meanwhile."""
    group = get(scope, uid)
    before = get_session(scope, uid, session_uid)
    props, people = _clean_session(scope, group, data)
    rows = run_versioned(
        q.UPDATE_SESSION,
        {"uid": uid, "network_uid": scope.network_uid, "session_uid": session_uid},
        version,
        props,
    )
    if not rows:
        current = get_session(scope, uid, session_uid)
        mine = {**before, **props, "attendees": sorted(people)}
        raise Stale(current, changed_fields(mine, current))
    graph.store.run(
        q.SET_ATTENDANCE,
        {
            "uid": uid,
            "network_uid": scope.network_uid,
            "session_uid": session_uid,
            "person_uids": people,
            "attendees": _attendance(scope, session_uid, people),
        },
    )
    after = get_session(scope, uid, session_uid)
    audit.record(
        scope.user,
        "update_session",
        KIND,
        uid,
        network_uid=scope.network_uid,
        before=before,
        after=after,
    )
    return after


def delete_session(scope: Scope, uid: str, session_uid: str) -> dict[str, Any]:
    before = get_session(scope, uid, session_uid)
    graph.store.run(
        q.DELETE_SESSION,
        {"uid": uid, "network_uid": scope.network_uid, "session_uid": session_uid},
    )
    audit.record(
        scope.user, "delete_session", KIND, uid, network_uid=scope.network_uid, before=before
    )
    return before


# -- outcomes ---------------------------------------------------------------------------------


def _outcomes(scope: Scope, uid: str) -> list[dict[str, Any]]:
    rows = graph.store.run(q.OUTCOMES, {"uid": uid, "network_uid": scope.network_uid})
    return [row["outcome"] for row in rows]


def get_outcome(scope: Scope, uid: str, outcome_uid: str) -> dict[str, Any]:
    get(scope, uid)
    for outcome in _outcomes(scope, uid):
        if outcome["uid"] == outcome_uid:
            return outcome
    raise NotFound(f"outcome {outcome_uid}")


def _clean_outcome(group: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    kind = _text(data, "kind")
    if kind not in OUTCOME_KINDS:
        errors["kind"] = vocab.choose(OUTCOME_KINDS)
    date = required_date(data.get("date"), "date", errors, "Give the date of the outcome.")
    if date and date < group["started"]:
        errors["date"] = f"The group started on {group['started']}: an outcome cannot come before."
    description = _text(data, "description")
    if not description:
        errors["description"] = "Describe the outcome."
    elif len(description) > 2000:
        errors["description"] = "Keep the description under 2000 characters."
    if errors:
        raise Invalid(errors)
    return {"kind": kind, "date": date, "description": description}


def add_outcome(
    scope: Scope, uid: str, data: dict[str, Any], *, outcome_uid: str | None = None
) -> dict[str, Any]:
    group = get(scope, uid)
    props = _clean_outcome(group, data)
    outcome_uid, existing = claim_uid(
        q.OUTCOME_OWNER, outcome_uid, scope.network_uid, key="outcome_uid", group_uid=uid
    )
    if existing:
        return get_outcome(scope, uid, outcome_uid)  # the same form sent twice
    rows = graph.store.run(
        q.CREATE_OUTCOME,
        {
            "uid": uid,
            "network_uid": scope.network_uid,
            "outcome_uid": outcome_uid,
            "props": props,
            "now": now_ms(),
        },
    )
    outcome = rows[0]["outcome"]
    audit.record(scope.user, "add_outcome", KIND, uid, network_uid=scope.network_uid, after=outcome)
    return outcome


def update_outcome(
    scope: Scope, uid: str, outcome_uid: str, version: int, data: dict[str, Any]
) -> dict[str, Any]:
    group = get(scope, uid)
    before = get_outcome(scope, uid, outcome_uid)
    props = _clean_outcome(group, data)
    rows = run_versioned(
        q.UPDATE_OUTCOME,
        {"uid": uid, "network_uid": scope.network_uid, "outcome_uid": outcome_uid},
        version,
        props,
    )
    if not rows:
        current = get_outcome(scope, uid, outcome_uid)
        raise Stale(current, changed_fields({**before, **props}, current))
    after = rows[0]["outcome"]
    audit.record(
        scope.user,
        "update_outcome",
        KIND,
        uid,
        network_uid=scope.network_uid,
        before=before,
        after=after,
    )
    return after


def delete_outcome(scope: Scope, uid: str, outcome_uid: str) -> dict[str, Any]:
    before = get_outcome(scope, uid, outcome_uid)
    graph.store.run(
        q.DELETE_OUTCOME,
        {"uid": uid, "network_uid": scope.network_uid, "outcome_uid": outcome_uid},
    )
    audit.record(
        scope.user, "delete_outcome", KIND, uid, network_uid=scope.network_uid, before=before
    )
    return before
