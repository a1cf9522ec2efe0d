"""Co-coaching pairs, their sessions, and who trained whom in a practice (the cascade).

A pair is two people of the network coaching each other in a practice (often from different
schools); its sessions are a list of dates on the pair. ``TRAINED`` records who trained whom,
so the Oldham pattern (two teachers per school trained, then coaching others at home) can be
drawn as a tree per practice.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tracker.access import Scope
from tracker.extensions import graph
from tracker.graph.queries import coaching as q
from tracker.graph.store import NotFound
from tracker.packages.ids import relationship_uid
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
from tracker.services import people as people_service
from tracker.services.activities import school_on
from tracker.services.common import claim_uid, people_in_network, run_versioned

MAX_PRACTICE = 200
# A session log is a read-modify-write of one list; a concurrent change is retried this often.
SESSION_RETRIES = 5


# -- people and practices -------------------------------------------------------------------


def people_map(scope: Scope) -> dict[str, dict[str, Any]]:
    """Everyone in the network (including those who left), masked for evaluators."""
    return {p["uid"]: p for p in people_service.listing(scope, include_left=True)}


def person_at(people: dict[str, dict[str, Any]], uid: str, day: str | None) -> dict[str, Any]:
    """A person as shown next to a pair or a training: name, layer and school on ``day``."""
    person = people.get(uid)
    if person is None:
        return {
            "uid": uid,
            "name": "Unknown person",
            "layer": None,
            "school_uid": None,
            "school_name": None,
        }
    work = school_on(person.get("works") or [], day or today())
    return {
        "uid": uid,
        "name": person["name"],
        "layer": person["layer"],
        "school_uid": work["school_uid"] if work else None,
        "school_name": work["school_name"] if work else None,
    }


def _tidy(text: Any) -> str:
    return " ".join(str(text or "").split())


def practices(scope: Scope) -> list[str]:
    """Practices already used in this network's pairs and training, for suggestions."""
    seen: dict[str, str] = {}
    for row in graph.store.run(q.PAIR_PRACTICES, {"network_uid": scope.network_uid}):
        if row["practice"]:
            seen.setdefault(row["practice"].casefold(), row["practice"])
    for training in _training_rows(scope, None):
        if training["practice"]:
            seen.setdefault(training["practice"].casefold(), training["practice"])
    return sorted(seen.values(), key=str.casefold)


def _practice(scope: Scope, data: dict[str, Any], errors: dict[str, str]) -> str:
    """The practice named in the form, spelt as it already is in the network if it is used."""
    text = _tidy(data.get("practice"))
    if not text:
        errors["practice"] = (
            "Name the practice being coached (for example Philosophy for Children)."
        )
    elif len(text) > MAX_PRACTICE:
        errors["practice"] = f"Keep the practice under {MAX_PRACTICE} characters."
    if "practice" in errors:
        return text
    known = {p.casefold(): p for p in practices(scope)}
    return known.get(text.casefold(), text)


def _in_network(scope: Scope, uids: list[str]) -> set[str]:
    return people_in_network(q.PEOPLE_IN_NETWORK, scope.network_uid, uids)


# -- pairs ----------------------------------------------------------------------------------


def _clean_pair(scope: Scope, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    person_a = str(data.get("person_a") or "").strip()
    person_b = str(data.get("person_b") or "").strip()
    if not person_a:
        errors["person_a"] = "Choose the first person of the pair."
    if not person_b:
        errors["person_b"] = "Choose the second person of the pair."
    if person_a and person_b:
        if person_a == person_b:
            errors["person_b"] = "Choose two different people: a pair is two people."
        else:
            found = _in_network(scope, [person_a, person_b])
            for field, uid in (("person_a", person_a), ("person_b", person_b)):
                if uid not in found:
                    errors[field] = "Choose a person of this network."
    practice = _practice(scope, data, errors)
    started = required_date(
        data.get("started"), "started", errors, "Give the date the pair started."
    )
    ended = check_date(data.get("ended"), "ended", errors)
    check_order(started, ended, "ended", errors)
    if errors:
        raise Invalid(errors)
    return {
        "props": {"practice": practice, "started": started, "ended": ended},
        "people": [person_a, person_b],
    }


def _links(scope: Scope, pair_uid: str, people: list[str]) -> list[dict[str, str]]:
    """IN_PAIR uids as a package import makes them, so both find the same relationship."""
    return [
        {"person_uid": uid, "uid": relationship_uid(scope.network_uid, "IN_PAIR", uid, pair_uid)}
        for uid in people
    ]


def add_pair(scope: Scope, data: dict[str, Any], *, uid: str | None = None) -> dict[str, Any]:
    cleaned = _clean_pair(scope, data)
    uid, existing = claim_uid(q.PAIR_OWNER, uid, scope.network_uid)
    if existing:
        return get_pair(scope, uid)  # the same form sent twice: it is already saved
    link_a, link_b = _links(scope, uid, cleaned["people"])
    rows = graph.store.run(
        q.CREATE_PAIR,
        {
            "network_uid": scope.network_uid,
            "uid": uid,
            "person_a": link_a["person_uid"],
            "person_b": link_b["person_uid"],
            "link_a": link_a["uid"],
            "link_b": link_b["uid"],
            "props": cleaned["props"],
            "now": now_ms(),
        },
    )
    if not rows:
        raise NotFound(f"network {scope.network_uid}")
    pair = get_pair(scope, uid)
    audit.record(
        scope.user, "add", "coaching_pair", uid, network_uid=scope.network_uid, after=_state(pair)
    )
    return pair


def _shape(row: dict[str, Any], people: dict[str, dict[str, Any]]) -> dict[str, Any]:
    pair = dict(row["pair"])
    pair["sessions"] = sorted(pair.get("sessions") or [])
    pair["session_count"] = len(pair["sessions"])
    pair["last_session"] = pair["sessions"][-1] if pair["sessions"] else None
    members = [person_at(people, uid, pair["started"]) for uid in row["person_uids"] if uid]
    pair["people"] = sorted(members, key=lambda p: p["name"].casefold())
    pair["person_uids"] = [p["uid"] for p in pair["people"]]
    schools = [p["school_uid"] for p in pair["people"]]
    if len(schools) == 2 and all(schools):
        pair["kind"] = "within" if schools[0] == schools[1] else "across"
    else:
        pair["kind"] = None  # someone without a school (a partner from outside)
    pair["current"] = pair["ended"] is None or pair["ended"] > today()
    return pair


def get_pair(scope: Scope, uid: str) -> dict[str, Any]:
    rows = graph.store.run(q.GET_PAIR, {"uid": uid, "network_uid": scope.network_uid})
    if not rows:
        raise NotFound(f"coaching pair {uid}")
    return _shape(rows[0], people_map(scope))


def list_pairs(scope: Scope, *, practice: str | None = None) -> list[dict[str, Any]]:
    """Newest first; current pairs before ended ones."""
    rows = graph.store.run(q.LIST_PAIRS, {"network_uid": scope.network_uid})
    people = people_map(scope)
    pairs = [_shape(row, people) for row in rows]
    if practice is not None:
        pairs = [p for p in pairs if p["practice"] == practice]
    return sorted(pairs, key=lambda p: not p["current"])


def _state(pair: dict[str, Any]) -> dict[str, Any]:
    """What the audit log keeps of a pair: its fields, its people and its sessions."""
    state = {
        key: pair.get(key) for key in ("uid", "key", "practice", "started", "ended", "version")
    }
    state["people"] = " and ".join(p["name"] for p in pair["people"])
    state["person_uids"] = sorted(pair["person_uids"])
    state["sessions"] = ", ".join(pair["sessions"])
    return state


def _check_sessions(
    sessions: list[str], started: str | None, ended: str | None, errors: dict[str, str]
) -> None:
    """Logged sessions must fall inside the pair's dates."""
    if not sessions:
        return
    if started and sessions[0] < started:
        errors["started"] = (
            f"A session is logged on {sessions[0]}, before this date. "
            "Remove that session first, or start the pair earlier."
        )
    if ended and sessions[-1] > ended:
        errors["ended"] = (
            f"A session is logged on {sessions[-1]}, after this date. "
            "Remove that session first, or end the pair later."
        )


def _write(
    scope: Scope,
    uid: str,
    version: int,
    props: dict[str, Any],
    before: dict[str, Any],
    action: str,
    *,
    people: list[str] | None = None,
) -> dict[str, Any]:
    """The version-checked write of a pair (and, when ``people`` is given, who is in it)."""
    rows = run_versioned(
        q.UPDATE_PAIR, {"uid": uid, "network_uid": scope.network_uid}, version, props
    )
    if not rows:
        current = _state(get_pair(scope, uid))
        mine = {**before, **props}
        if people is not None:
            everyone = people_map(scope)
            names = sorted((everyone[u]["name"] for u in people), key=str.casefold)
            mine["people"] = " and ".join(names)
        changed = [c for c in changed_fields(mine, current) if c[0] != "person_uids"]
        raise Stale(current, changed)
    if people is not None:
        params = {"uid": uid, "network_uid": scope.network_uid}
        graph.store.run(q.DROP_PEOPLE, {**params, "keep": people})
        graph.store.run(q.LINK_PEOPLE, {**params, "rows": _links(scope, uid, people)})
    after = get_pair(scope, uid)
    audit.record(
        scope.user,
        action,
        "coaching_pair",
        uid,
        network_uid=scope.network_uid,
        before=before,
        after=_state(after),
    )
    return after


def update_pair(scope: Scope, uid: str, version: int, data: dict[str, Any]) -> dict[str, Any]:
    """Change the practice, dates or people of a pair; a stale edit is refused."""
    pair = get_pair(scope, uid)
    cleaned = _clean_pair(scope, data)
    errors: dict[str, str] = {}
    _check_sessions(
        pair["sessions"], cleaned["props"]["started"], cleaned["props"]["ended"], errors
    )
    if errors:
        raise Invalid(errors)
    return _write(
        scope, uid, version, cleaned["props"], _state(pair), "update", people=cleaned["people"]
    )


def end_pair(scope: Scope, uid: str, version: int, ended: str | None) -> dict[str, Any]:
    """Record that the pair stopped on ``ended``; the pair and its sessions are kept."""
    pair = get_pair(scope, uid)
    errors: dict[str, str] = {}
    ended = check_end(
        ended,
        "ended",
        errors,
        started=pair["started"],
        ended=pair["ended"],
        missing="Give the date the pair stopped.",
        what="pair",
    )
    if "ended" not in errors:
        _check_sessions(pair["sessions"], None, ended, errors)
    if errors:
        raise Invalid(errors)
    return _write(scope, uid, version, {"ended": ended}, _state(pair), "end")


def _change_sessions(scope: Scope, uid: str, day: str, *, add: bool) -> tuple[dict, bool]:
    """Add or remove one session date. Safe to repeat: a date is logged at most once, so a
    double submit changes nothing. Returns the pair and whether anything changed."""
    for _ in range(SESSION_RETRIES):
        pair = get_pair(scope, uid)
        sessions = set(pair["sessions"])
        if (day in sessions) == add:
            return pair, False
        sessions = sessions | {day} if add else sessions - {day}
        rows = run_versioned(
            q.UPDATE_PAIR,
            {"uid": uid, "network_uid": scope.network_uid},
            pair["version"],
            {"sessions": sorted(sessions)},
        )
        if rows:
            audit.record(
                scope.user,
                "log_session" if add else "remove_session",
                "coaching_pair",
                uid,
                network_uid=scope.network_uid,
                before={"sessions": ", ".join(pair["sessions"])},
                after={"sessions": ", ".join(sorted(sessions))},
            )
            return get_pair(scope, uid), True
    raise Stale(_state(get_pair(scope, uid)), [])


def log_session(scope: Scope, uid: str, day: str | None) -> tuple[dict[str, Any], bool]:
    pair = get_pair(scope, uid)
    errors: dict[str, str] = {}
    day = required_date(day, "date", errors, "Give the date of the session.")
    if day and day < pair["started"]:
        errors["date"] = f"The pair started on {pair['started']}: log sessions from that date."
    elif day and pair["ended"] and day > pair["ended"]:
        errors["date"] = f"The pair ended on {pair['ended']}: log sessions up to that date."
    if errors:
        raise Invalid(errors)
    return _change_sessions(scope, uid, day, add=True)


def remove_session(scope: Scope, uid: str, day: str | None) -> tuple[dict[str, Any], bool]:
    get_pair(scope, uid)
    errors: dict[str, str] = {}
    day = required_date(day, "date", errors, "Give the date of the session to remove.")
    if errors:
        raise Invalid(errors)
    return _change_sessions(scope, uid, day, add=False)


def delete_pair(scope: Scope, uid: str) -> dict[str, Any]:
    """Remove the pair and its sessions; the audit log keeps the full record."""
    pair = get_pair(scope, uid)
    graph.store.run(q.DELETE_PAIR, {"uid": uid, "network_uid": scope.network_uid})
    audit.record(
        scope.user,
        "delete",
        "coaching_pair",
        uid,
        network_uid=scope.network_uid,
        before=_state(pair),
    )
    return pair


# -- training and the cascade ---------------------------------------------------------------


def _training_rows(scope: Scope, practice: str | None) -> list[dict[str, Any]]:
    rows = graph.store.run(
        q.LIST_TRAINING, {"network_uid": scope.network_uid, "practice": practice}
    )
    return [row["training"] for row in rows]


def _shape_training(training: dict[str, Any], people: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        **training,
        "trainer": person_at(people, training["trainer_uid"], training["date"]),
        "trainee": person_at(people, training["trainee_uid"], training["date"]),
    }


def _training_state(training: dict[str, Any]) -> dict[str, Any]:
    return {
        "uid": training["uid"],
        "practice": training["practice"],
        "date": training["date"],
        "trainer": training["trainer"]["name"],
        "trainer_uid": training["trainer_uid"],
        "trainee": training["trainee"]["name"],
        "trainee_uid": training["trainee_uid"],
    }


def add_training(scope: Scope, data: dict[str, Any], *, uid: str | None = None) -> dict[str, Any]:
    """Record that one person trained another in a practice."""
    errors: dict[str, str] = {}
    trainer = str(data.get("trainer_uid") or "").strip()
    trainee = str(data.get("trainee_uid") or "").strip()
    if not trainer:
        errors["trainer_uid"] = "Choose who gave the training."
    if not trainee:
        errors["trainee_uid"] = "Choose who was trained."
    if trainer and trainee:
        if trainer == trainee:
            errors["trainee_uid"] = "Choose someone other than the trainer."
        else:
            found = _in_network(scope, [trainer, trainee])
            for field, person in (("trainer_uid", trainer), ("trainee_uid", trainee)):
                if person not in found:
                    errors[field] = "Choose a person of this network."
    practice = _practice(scope, data, errors)
    day = required_date(data.get("date"), "date", errors, "Give the date of the training.")
    if errors:
        raise Invalid(errors)
    uid, existing = claim_uid(q.TRAINING_OWNER, uid, scope.network_uid)
    if existing:
        return get_training(scope, uid)  # the same form sent twice: it is already saved
    same = graph.store.run(
        q.SAME_TRAINING,
        {
            "network_uid": scope.network_uid,
            "trainer_uid": trainer,
            "trainee_uid": trainee,
            "practice": practice,
        },
    )
    if same:
        recorded = same[0]["training"]["date"]
        raise Invalid({"trainee_uid": f"This training is already recorded (on {recorded})."})
    rows = graph.store.run(
        q.CREATE_TRAINING,
        {
            "network_uid": scope.network_uid,
            "uid": uid,
            "trainer_uid": trainer,
            "trainee_uid": trainee,
            "practice": practice,
            "date": day,
        },
    )
    if not rows:
        raise NotFound(f"people {trainer}, {trainee}")
    training = _shape_training(rows[0]["training"], people_map(scope))
    audit.record(
        scope.user,
        "add",
        "training",
        uid,
        network_uid=scope.network_uid,
        after=_training_state(training),
    )
    return training


def get_training(scope: Scope, uid: str) -> dict[str, Any]:
    rows = graph.store.run(q.GET_TRAINING, {"uid": uid, "network_uid": scope.network_uid})
    if not rows:
        raise NotFound(f"training {uid}")
    return _shape_training(rows[0]["training"], people_map(scope))


def list_training(scope: Scope, *, practice: str | None = None) -> list[dict[str, Any]]:
    """Every training record (or one practice's), by practice then date."""
    people = people_map(scope)
    return [_shape_training(t, people) for t in _training_rows(scope, practice)]


def delete_training(scope: Scope, uid: str) -> dict[str, Any]:
    training = get_training(scope, uid)
    graph.store.run(q.DELETE_TRAINING, {"uid": uid, "network_uid": scope.network_uid})
    audit.record(
        scope.user,
        "delete",
        "training",
        uid,
        network_uid=scope.network_uid,
        before=_training_state(training),
    )
    return training


def cascade_summaries(scope: Scope) -> list[dict[str, Any]]:
    """One line per practice that has training records: how many records and people."""
    by_practice: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for training in _training_rows(scope, None):
        by_practice[training["practice"]].append(training)
    summaries = []
    for practice, trainings in by_practice.items():
        people = {t["trainer_uid"] for t in trainings} | {t["trainee_uid"] for t in trainings}
        summaries.append({"practice": practice, "records": len(trainings), "people": len(people)})
    return sorted(summaries, key=lambda s: s["practice"].casefold())


def cascade(scope: Scope, practice: str) -> dict[str, Any]:
    """The training tree of one practice.

    Roots are the people nobody here trained in this practice. Each person appears once, at
    the first place a breadth-first walk from the roots reaches them (their shortest chain of
    training); other trainers of theirs are listed as ``also_trained_by``. People reached from
    no root (a loop of training records) start a tree of their own, marked ``in_loop``.
    """
    practice = {p.casefold(): p for p in practices(scope)}.get(practice.casefold(), practice)
    trainings = list_training(scope, practice=practice)
    given: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for training in trainings:
        given[training["trainer_uid"]].append(training)
    for out in given.values():
        out.sort(key=lambda t: (t["date"], t["trainee"]["name"].casefold()))
    trainees = {t["trainee_uid"] for t in trainings}
    involved: dict[str, dict[str, Any]] = {}
    first_given: dict[str, str] = {}
    for training in trainings:
        involved.setdefault(training["trainer_uid"], training["trainer"])
        involved.setdefault(training["trainee_uid"], training["trainee"])
        held = first_given.get(training["trainer_uid"])
        if held is None or training["date"] < held:
            first_given[training["trainer_uid"]] = training["date"]

    def starts(uid: str) -> tuple[str, str]:
        return (first_given.get(uid, "9999-12-31"), involved[uid]["name"].casefold())

    placed: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []

    def grow(root_uid: str, in_loop: bool) -> None:
        root = {
            "person": involved[root_uid],
            "date": None,
            "generation": 1,
            "children": [],
            "also_trained_by": [],
            "in_loop": in_loop,
        }
        placed[root_uid] = root
        roots.append(root)
        queue = [root]
        while queue:
            node = queue.pop(0)
            for training in given.get(node["person"]["uid"], []):
                trainee_uid = training["trainee_uid"]
                if trainee_uid in placed:
                    placed[trainee_uid]["also_trained_by"].append(
                        {"person": training["trainer"], "date": training["date"]}
                    )
                    continue
                child = {
                    "person": training["trainee"],
                    "date": training["date"],
                    "training_uid": training["uid"],
                    "generation": node["generation"] + 1,
                    "children": [],
                    "also_trained_by": [],
                    "in_loop": False,
                }
                placed[trainee_uid] = child
                node["children"].append(child)
                queue.append(child)

    for uid in sorted((u for u in involved if u not in trainees), key=starts):
        grow(uid, in_loop=False)
    while len(placed) < len(involved):
        grow(min((u for u in involved if u not in placed), key=starts), in_loop=True)

    generations = max((node["generation"] for node in placed.values()), default=0)
    per_school: dict[str, list[int]] = defaultdict(lambda: [0] * generations)
    per_generation = [0] * generations
    for node in placed.values():
        school = node["person"]["school_name"] or "No school"
        per_school[school][node["generation"] - 1] += 1
        per_generation[node["generation"] - 1] += 1
    pairs = list_pairs(scope, practice=practice)
    return {
        "practice": practice,
        "roots": roots,
        "people": len(placed),
        "records": len(trainings),
        "trainings": trainings,
        "generations": generations,
        "per_generation": per_generation,
        "per_school": sorted(per_school.items(), key=lambda item: item[0].casefold()),
        "pairs": len(pairs),
        "pairs_within": sum(1 for p in pairs if p["kind"] == "within"),
    }
