"""The respondent's side: no account, only the token in the URL.

Nothing is stored before consent; answers go to the graph first (idempotent uids), then the
relational rows, then one commit. Answering is not audited: who answered is private.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from tracker.extensions import db, graph
from tracker.graph.queries import person as person_q
from tracker.graph.queries import survey as q
from tracker.graph.store import NotFound
from tracker.models import SurveyInvitation, SurveyRound, SurveyUnlisted
from tracker.packages.ids import relationship_uid
from tracker.services import Invalid, dataversion, vocab
from tracker.services import today as today_iso
from tracker.services.surveys.common import _as_list, _hash, _network_name, _response_uid, _stamp
from tracker.services.surveys.rounds import _shape, _status, _topics
from tracker.services.surveys.staff import _people, _work_on
from tracker.services.surveys.withdrawal import _erase

FREQUENCIES = vocab.FREQUENCIES
LEVELS = vocab.LEVELS
ANSWERS = {"yes": "Yes", "no": "No", "unsure": "Unsure"}
MAX_NOMINATIONS = 30  # named colleagues plus "someone not listed" entries
MAX_TEXT = 200
CHOICES_CAP = 200


class TokenRefused(Exception):
    """A personal link that cannot be used; ``reason`` picks the page and its status."""

    REASONS = ("unknown", "revoked", "closed", "not_open", "withdrawn", "submitted")

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


class Choices(list):  # type: ignore[type-arg]
    """Nominee choices; ``truncated`` is true when more people matched than are listed."""

    truncated: bool = False


@dataclass
class _Session:
    inv: SurveyInvitation
    row: SurveyRound
    on: str

    @property
    def network_uid(self) -> str:
        return self.row.network_uid

    @property
    def person_uid(self) -> str:
        return self.inv.person_uid


def _find(token: str) -> SurveyInvitation:
    token = str(token or "")
    if not token or len(token) > 128:
        raise TokenRefused("unknown", "This link is not recognised. Check it was copied whole.")
    digest = _hash(token)
    inv = db.session.scalar(select(SurveyInvitation).where(SurveyInvitation.token_hash == digest))
    # The index finds the row; the comparison that decides is constant-time.
    if inv is None or not hmac.compare_digest(inv.token_hash or "", digest):
        raise TokenRefused("unknown", "This link is not recognised. Check it was copied whole.")
    return inv


def _session(token: str, on: str | None = None, *, answering: bool = False) -> _Session:
    """The invitation behind ``token`` if it may be used on ``on``; TokenRefused otherwise.

    ``answering``: the caller is about to store an answer, which needs consent first and is
    refused once the answers are submitted.
    """
    inv = _find(token)
    on = on or today_iso()
    row = inv.round
    if inv.withdrawn_at is not None:
        raise TokenRefused(
            "withdrawn", "You have withdrawn from this questionnaire. Your answers were deleted."
        )
    if inv.revoked_at is not None:
        raise TokenRefused(
            "revoked", "This link was withdrawn by the network coordinator. Ask them for a new one."
        )
    status = _status(row, on)
    if status == "closed":
        raise TokenRefused("closed", f"This questionnaire closed on {row.closes}.")
    if status == "scheduled":
        raise TokenRefused("not_open", f"This questionnaire opens on {row.opens}.")
    if answering:
        if inv.submitted_at is not None:
            raise TokenRefused(
                "submitted",
                "These answers were already submitted; they "
                "cannot be changed. You can still withdraw them.",
            )
        if inv.consented_at is None:
            raise Invalid({"consent": "Please read and agree to the consent statement first."})
    return _Session(inv, row, on)


def open_invitation(token: str, *, on: str | None = None) -> dict[str, Any]:
    """What the respondent's pages need: {round, person, network, consented, submitted}."""
    s = _session(token, on)
    rows = graph.store.run(person_q.GET, {"uid": s.person_uid, "network_uid": s.network_uid})
    if not rows:
        raise TokenRefused("unknown", "This link is not recognised. Check it was copied whole.")
    name = _network_name(s.network_uid)
    shaped = _shape(s.row, on=s.on)
    public = {
        k: shaped[k]
        for k in ("uid", "title", "topics", "opens", "closes", "status", "consent_text")
    }
    return {
        "round": public,
        "person": {"uid": s.person_uid, "name": rows[0]["person"]["name"]},
        "network": {"uid": s.network_uid, "name": name},
        "network_name": name,
        "consented": s.inv.consented_at is not None,
        "submitted": s.inv.submitted_at is not None,
    }


def give_consent(token: str, *, on: str | None = None) -> None:
    """Record consent; the first and only thing stored before any answer."""
    s = _session(token, on)
    if s.inv.consented_at is None and s.inv.submitted_at is None:
        s.inv.consented_at = _stamp()
        db.session.commit()


def nominee_choices(
    token: str, q: str = "", school_uid: str = "", *, on: str | None = None
) -> Choices:
    """People in post in the network (self excluded), by name search and school.

    Rows {uid, name, school_uid, school, nominated}; at most CHOICES_CAP, with
    ``.truncated`` set when the respondent should narrow the search.
    """
    s = _session(token, on)
    people = _people(s.network_uid, s.on)
    nominated = {t["nominee_uid"] for t in _ties(s)}
    needle = " ".join(str(q or "").split()).casefold()[:MAX_TEXT]
    found = sorted(
        (
            p
            for p in people.values()
            if p["current"]
            and p["uid"] != s.person_uid
            and (not needle or needle in p["name"].casefold())
            and (not school_uid or p["school_uid"] == school_uid)
        ),
        key=lambda p: (p["name"].casefold(), p["uid"]),
    )
    out = Choices(
        {
            "uid": p["uid"],
            "name": p["name"],
            "school_uid": p["school_uid"],
            "school": p["school"],
            "nominated": p["uid"] in nominated,
        }
        for p in found[:CHOICES_CAP]
    )
    out.truncated = len(found) > CHOICES_CAP
    return out


def _ties(s: _Session) -> list[dict[str, Any]]:
    return graph.store.run(q.RESPONDENT_TIES, {"person_uid": s.person_uid, "survey": s.row.uid})


def answers(token: str, *, on: str | None = None) -> dict[str, Any]:
    """The respondent's answers so far, to show and edit."""
    s = _session(token, on)
    people = _people(s.network_uid, s.on)
    grouped: dict[str, dict[str, Any]] = {}
    for tie in _ties(s):
        person = people.get(tie["nominee_uid"]) or {"name": "", "school": ""}
        entry = grouped.setdefault(
            tie["nominee_uid"],
            {
                "nominee_uid": tie["nominee_uid"],
                "name": person["name"],
                "school": person["school"],
                "topics": [],
                "frequency": tie["frequency"],
                "influence": tie["influence"],
            },
        )
        entry["topics"].append(tie["topic"])
    order = [t["id"] for t in _topics(s.row)]
    for entry in grouped.values():
        entry["topics"].sort(key=lambda t: order.index(t) if t in order else len(order))
    response = graph.store.run(
        q.GET_RESPONSE, {"uid": _response_uid(s.row, s.inv), "network_uid": s.network_uid}
    )
    mine = response[0]["response"] if response else {}
    return {
        "nominations": sorted(grouped.values(), key=lambda n: n["name"].casefold()),
        "unlisted": [
            {
                "id": u.id,
                "text": u.text,
                "topics": list(u.topics),
                "frequency": u.frequency,
                "influence": u.influence,
            }
            for u in sorted(s.inv.unlisted, key=lambda u: u.id)
        ],
        "self": {
            "leader_in_school": mine.get("leader_in_school"),
            "leader_in_network": mine.get("leader_in_network"),
            "trust_other_schools": mine.get("trust_other_schools"),
            "levels": list(mine.get("levels") or []),
        },
    }


def _scale(
    value: Any, field: str, what: str, errors: dict[str, str], *, required: bool
) -> int | None:
    if value in (None, "") and not required:
        return None
    try:
        number = int(str(value).strip()) if not isinstance(value, bool) else None
    except ValueError:
        number = None
    if number is None or not 1 <= number <= 5:
        errors[field] = f"Choose {what} from 1 to 5."
        return None
    return number


def _clean_tie(s: _Session, data: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """Topics, frequency and influence, shared by named and "not listed" colleagues."""
    allowed = [t["id"] for t in _topics(s.row)]
    topics = [t for t in _as_list(data.get("topics")) if t]
    if not topics:
        errors["topics"] = "Choose at least one topic."
    elif any(t not in allowed for t in topics):
        errors["topics"] = "Choose topics from this questionnaire's list."
    frequency = str(data.get("frequency") or "")
    if frequency not in FREQUENCIES:
        errors["frequency"] = (
            "Say how often you go to them: "
            + ", ".join(label.lower() for label in FREQUENCIES.values())
            + "."
        )
    influence = _scale(
        data.get("influence"),
        "influence",
        "how much they influence your practice",
        errors,
        required=True,
    )
    return {
        "topics": sorted(set(topics), key=allowed.index) if "topics" not in errors else [],
        "frequency": frequency,
        "influence": influence,
    }


def _touch_response(s: _Session, props: dict[str, Any] | None = None, status: str = "") -> None:
    """Make (or update) the respondent's Response node; safe to repeat."""
    rows = graph.store.run(
        q.UPSERT_RESPONSE,
        {
            "uid": _response_uid(s.row, s.inv),
            "person_uid": s.person_uid,
            "network_uid": s.network_uid,
            "survey": s.row.uid,
            "status": status or "in_progress",
            "props": {**(props or {}), "date": s.on, **({"status": status} if status else {})},
        },
    )
    if not rows:
        raise NotFound(f"person {s.person_uid}")


def _answered(s: _Session) -> None:
    """Answers changed: cached analysis results are stale. Not audited (who answered is private)."""
    dataversion.bump(s.network_uid)
    db.session.commit()


def _colleague(s: _Session, uid: str) -> dict[str, Any] | None:
    """The person ``uid`` if they are in the respondent's network and in post on the day."""
    if not uid:
        return None
    rows = graph.store.run(person_q.GET, {"uid": uid, "network_uid": s.network_uid})
    if not rows:
        return None
    works = [w for w in rows[0]["works"] if w.get("uid")]
    if works and _work_on(works, s.on) is None:
        return None
    return rows[0]["person"]


def save_nomination(
    token: str, data: dict[str, Any], *, replace: bool = False, on: str | None = None
) -> None:
    """Save one named colleague's ties (one per topic), replacing earlier ones when editing.

    The add form refuses someone already named; the edit form passes ``replace=True`` (or
    ``data["replace"]``).
    """
    s = _session(token, on, answering=True)
    replace = replace or str(data.get("replace") or "").lower() in {"1", "true", "yes", "on"}
    errors: dict[str, str] = {}
    nominee = str(data.get("nominee_uid") or "")
    person = _colleague(s, nominee)
    named = {t["nominee_uid"] for t in _ties(s)}
    if nominee == s.person_uid:
        errors["nominee_uid"] = "You cannot name yourself: choose a colleague."
    elif person is None:
        errors["nominee_uid"] = "Choose a colleague from this network's list."
    elif nominee in named and not replace:
        errors["nominee_uid"] = (
            f"You have already named {person['name']}: change those answers instead."
        )
    elif nominee not in named and len(named) + len(s.inv.unlisted) >= MAX_NOMINATIONS:
        errors["nominee_uid"] = f"You can name at most {MAX_NOMINATIONS} colleagues."
    tie = _clean_tie(s, data, errors)
    if errors:
        raise Invalid(errors)
    rows = [
        {
            "uid": relationship_uid(s.network_uid, "advice", s.row.uid, s.person_uid, nominee, t),
            "topic": t,
        }
        for t in tie["topics"]
    ]
    _touch_response(s)
    params = {"person_uid": s.person_uid, "nominee_uid": nominee, "survey": s.row.uid}
    graph.store.run(
        q.SAVE_TIES,
        {
            **params,
            "network_uid": s.network_uid,
            "rows": rows,
            "frequency": tie["frequency"],
            "influence": tie["influence"],
            "asked_at": s.on,
        },
    )
    graph.store.run(q.DROP_TIES, {**params, "keep_uids": [r["uid"] for r in rows]})
    _answered(s)


def remove_nomination(token: str, nominee_uid: str, *, on: str | None = None) -> None:
    """Take a named colleague off the answers."""
    s = _session(token, on, answering=True)
    rows = graph.store.run(
        q.DROP_TIES,
        {
            "person_uid": s.person_uid,
            "nominee_uid": str(nominee_uid),
            "survey": s.row.uid,
            "keep_uids": [],
        },
    )
    if rows and rows[0]["deleted"]:
        _answered(s)


def save_unlisted(token: str, data: dict[str, Any], *, on: str | None = None) -> int:
    """Save "someone not listed" (free text, kept out of the graph); answers its id.

    ``data["id"]`` edits an earlier entry of the same respondent.
    """
    s = _session(token, on, answering=True)
    errors: dict[str, str] = {}
    text = " ".join(str(data.get("text") or "").split())
    if not text:
        errors["text"] = "Describe the person (a name and role, or just a role)."
    elif len(text) > MAX_TEXT:
        errors["text"] = f"Keep this under {MAX_TEXT} characters."
    entry = None
    if data.get("id") not in (None, ""):
        entry = next((u for u in s.inv.unlisted if str(u.id) == str(data["id"])), None)
        if entry is None:
            errors["id"] = "That entry is not one of your answers."
    elif len({t["nominee_uid"] for t in _ties(s)}) + len(s.inv.unlisted) >= MAX_NOMINATIONS:
        errors["text"] = f"You can name at most {MAX_NOMINATIONS} colleagues."
    tie = _clean_tie(s, data, errors)
    if errors:
        raise Invalid(errors)
    if entry is None:
        entry = SurveyUnlisted(invitation_id=s.inv.id)
        db.session.add(entry)
    entry.text = text
    entry.topics = tie["topics"]
    entry.frequency = tie["frequency"]
    entry.influence = tie["influence"]
    db.session.flush()
    entry_id = entry.id
    _answered(s)
    return entry_id


def remove_unlisted(token: str, unlisted_id: int | str, *, on: str | None = None) -> None:
    s = _session(token, on, answering=True)
    entry = next((u for u in s.inv.unlisted if str(u.id) == str(unlisted_id)), None)
    if entry is None:
        raise Invalid({"id": "That entry is not one of your answers."})
    db.session.delete(entry)
    _answered(s)


def save_self(token: str, data: dict[str, Any], *, on: str | None = None) -> None:
    """Self-perception (leadership in school and network), trust, levels of learning."""
    s = _session(token, on, answering=True)
    errors: dict[str, str] = {}
    props: dict[str, Any] = {}
    for field in ("leader_in_school", "leader_in_network"):
        value = str(data.get(field) or "")
        if value and value not in ANSWERS:
            errors[field] = "Answer yes, no or unsure."
        props[field] = value or None
    props["trust_other_schools"] = _scale(
        data.get("trust_other_schools"),
        "trust_other_schools",
        "how much you trust colleagues in other schools",
        errors,
        required=False,
    )
    levels = _as_list(data.get("levels"))
    if any(level not in LEVELS for level in levels):
        errors["levels"] = "Choose levels of learning from the list."
    props["levels"] = [level for level in LEVELS if level in levels]
    if errors:
        raise Invalid(errors)
    _touch_response(s, props)
    _answered(s)


def submit(token: str, *, on: str | None = None) -> None:
    """Send the answers: they count from now on and can no longer be changed (only withdrawn)."""
    s = _session(token, on, answering=True)
    _touch_response(s, status="complete")
    s.inv.submitted_at = _stamp()
    _answered(s)


def withdraw(token: str, *, on: str | None = None) -> None:
    """Withdraw from the round: every answer is deleted; the link then only says so."""
    s = _session(token, on)
    _erase(s.row, s.inv)
    db.session.commit()
