"""Questionnaire rounds on the coordinator's side: open, extend, close, reopen.

Opening a round invites the staff in post on its opening day in the chosen schools and layers;
the invitations are the rows the links, answers, rates and retention all hang from.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from tracker.access import Scope
from tracker.extensions import db
from tracker.graph.store import NotFound
from tracker.models import SurveyInvitation, SurveyRound
from tracker.services import Invalid, Stale, audit, check_date, valid_uid
from tracker.services import today as today_iso
from tracker.services.surveys.common import _as_list, _stamp
from tracker.services.surveys.staff import _people

TOPICS = {
    "teaching_learning": "Teaching and learning",
    "curriculum": "Curriculum",
    "pupil_care": "Pupil care and welfare",
    "school_improvement": "School improvement",
}
STAFF_LAYERS = ("senior", "teacher", "support")
MAX_TOPICS = 8
MAX_TOPIC_LABEL = 60
DEFAULT_CONSENT = (
    "This questionnaire asks who you go to for advice about your work, how often, and how "
    "much they influence your practice. Your answers are used only to understand how the "
    "network's schools learn from each other; nobody in your school or the network sees "
    "what you said about whom, and the network coordinator sees response rates only as "
    "counts. You can stop at any time, come back with the same link until the round closes, "
    "and withdraw your answers from this page at any time: they are then deleted everywhere."
)


def _status(row: SurveyRound, on: str) -> str:
    if row.closed_at is not None or on > row.closes:
        return "closed"
    if on < row.opens:
        return "scheduled"
    return "open"


def _topics(row: SurveyRound) -> list[dict[str, str]]:
    return [{"id": t, "label": TOPICS.get(t, t)} for t in row.topics]


def _invited(round_ids: list[int]) -> dict[int, int]:
    if not round_ids:
        return {}
    rows = db.session.execute(
        select(SurveyInvitation.round_id, func.count(SurveyInvitation.id))
        .where(SurveyInvitation.round_id.in_(round_ids))
        .group_by(SurveyInvitation.round_id)
    )
    return dict(rows.all())


def _shape(row: SurveyRound, invited: int | None = None, on: str | None = None) -> dict[str, Any]:
    if invited is None:
        invited = _invited([row.id]).get(row.id, 0)
    return {
        "uid": row.uid,
        "network_uid": row.network_uid,
        "title": row.title,
        "topics": _topics(row),
        "opens": row.opens,
        "closes": row.closes,
        "closed_at": row.closed_at.isoformat(timespec="seconds") if row.closed_at else None,
        "status": _status(row, on or today_iso()),
        "schools": list(row.schools),
        "layers": list(row.layers),
        "consent_text": row.consent_text,
        "version": row.version,
        "invited": invited,
    }


def _round(scope: Scope, uid: str) -> SurveyRound:
    row = db.session.scalar(
        select(SurveyRound).where(
            SurveyRound.uid == str(uid), SurveyRound.network_uid == scope.network_uid
        )
    )
    if row is None:
        raise NotFound(f"survey round {uid}")
    return row


def list_rounds(scope: Scope) -> list[dict[str, Any]]:
    """The network's rounds, newest opening first."""
    rows = db.session.scalars(
        select(SurveyRound)
        .where(SurveyRound.network_uid == scope.network_uid)
        .order_by(SurveyRound.opens.desc(), SurveyRound.id.desc())
    ).all()
    invited = _invited([r.id for r in rows])
    return [_shape(r, invited.get(r.id, 0)) for r in rows]


def get_round(scope: Scope, uid: str) -> dict[str, Any]:
    """One round of the scope's network (NotFound for another network's round)."""
    return _shape(_round(scope, uid))


def _clean_topics(data: dict[str, Any], errors: dict[str, str]) -> list[str]:
    """Default topic ids plus custom labels (a custom topic's id is its label)."""
    by_label = {label.casefold(): key for key, label in TOPICS.items()}
    chosen: list[str] = []
    for item in _as_list(data.get("topics")) + _as_list(data.get("custom_topics")):
        topic = item if item in TOPICS else by_label.get(item.casefold(), item)
        if len(topic) > MAX_TOPIC_LABEL:
            errors["topics"] = f"Keep each topic under {MAX_TOPIC_LABEL} characters."
        elif topic.casefold() not in {t.casefold() for t in chosen}:
            chosen.append(topic)
    if not chosen and "topics" not in errors:
        errors["topics"] = "Choose at least one topic."
    elif len(chosen) > MAX_TOPICS:
        errors["topics"] = f"Choose at most {MAX_TOPICS} topics."
    return chosen


def _clean_round(scope: Scope, data: dict[str, Any], on: str) -> dict[str, Any]:
    errors: dict[str, str] = {}
    title = str(data.get("title") or "").strip()
    if not title:
        errors["title"] = "Give the round a title, e.g. “Spring 2025 staff questionnaire”."
    elif len(title) > 200:
        errors["title"] = "Keep the title under 200 characters."
    topics = _clean_topics(data, errors)
    opens = check_date(data.get("opens"), "opens", errors)
    closes = check_date(data.get("closes"), "closes", errors)
    if not opens and "opens" not in errors:
        errors["opens"] = "Give the date the round opens."
    if not closes and "closes" not in errors:
        errors["closes"] = "Give the date the round closes."
    if opens and closes and closes < opens:
        errors["closes"] = f"The closing date is before the opening date ({opens})."
    elif closes and closes < on:
        errors["closes"] = "The closing date has already passed."
    known = {s["school_uid"] for s in _member_schools(scope.network_uid)}
    schools = sorted(set(_as_list(data.get("schools"))))
    if any(s not in known for s in schools):
        errors["schools"] = "Choose schools that belong to this network."
    layers = sorted(set(_as_list(data.get("layers"))))
    if any(layer not in STAFF_LAYERS for layer in layers):
        errors["layers"] = "Choose from the staff layers: senior, teacher, support."
    consent = str(data.get("consent_text") or "").strip() or DEFAULT_CONSENT
    if len(consent) > 5000:
        errors["consent_text"] = "Keep the consent text under 5,000 characters."
    if errors:
        raise Invalid(errors)
    return {
        "title": title,
        "topics": topics,
        "opens": opens,
        "closes": closes,
        "schools": schools,
        "layers": layers,
        "consent_text": consent,
    }


def _member_schools(network_uid: str) -> list[dict[str, Any]]:
    from tracker.services import networks

    return [s for s in networks.schools_by_network() if s["network_uid"] == network_uid]


def _invitable(network_uid: str, props: dict[str, Any]) -> list[str]:
    """Staff in post on the opening day in the chosen schools and layers."""
    layers = set(props["layers"] or STAFF_LAYERS)
    schools = set(props["schools"])
    people = _people(network_uid, props["opens"])
    return sorted(
        p["uid"]
        for p in people.values()
        if p["layer"] in layers
        and p["school_uid"] is not None
        and (not schools or p["school_uid"] in schools)
    )


def open_round(
    scope: Scope, data: dict[str, Any], *, uid: str | None = None, on: str | None = None
) -> dict[str, Any]:
    """Create a round and invite the staff in post in its schools and layers when it opens.

    Sending the same form twice (same ``uid``) returns the round made the first time. ``on``
    is the day of the action (today; the demo back-fills a past round).
    """
    on = on or today_iso()
    uid = valid_uid(uid)
    existing = db.session.scalar(select(SurveyRound).where(SurveyRound.uid == uid))
    if existing is not None:
        if existing.network_uid == scope.network_uid:
            return _shape(existing, on=on)
        uid = valid_uid(None)
    props = _clean_round(scope, data, on)
    invite = _invitable(scope.network_uid, props)
    if not invite:
        raise Invalid({"schools": "Nobody to invite: no staff in these schools and layers."})
    row = SurveyRound(
        uid=uid,
        network_uid=scope.network_uid,
        created_by=getattr(scope.user, "id", None),
        version=1,
        **props,
    )
    row.invitations = [SurveyInvitation(person_uid=p) for p in invite]
    db.session.add(row)
    db.session.flush()
    shaped = _shape(row, len(invite), on)
    audit.record(
        scope.user, "open", "survey_round", uid, network_uid=scope.network_uid, after=shaped
    )
    return shaped


def _versioned(scope: Scope, uid: str, version: int) -> tuple[SurveyRound, dict[str, Any]]:
    row = _round(scope, uid)
    before = _shape(row)
    if row.version != int(version):
        raise Stale(before, [])
    return row, before


def _save(scope: Scope, row: SurveyRound, before: dict[str, Any], action: str) -> dict[str, Any]:
    row.version += 1
    db.session.flush()
    after = _shape(row)
    audit.record(
        scope.user,
        action,
        "survey_round",
        row.uid,
        network_uid=scope.network_uid,
        before=before,
        after=after,
    )
    return after


def extend(scope: Scope, uid: str, closes: str, version: int) -> dict[str, Any]:
    """Move the closing date later (this also reopens a round whose date had passed)."""
    row, before = _versioned(scope, uid, version)
    errors: dict[str, str] = {}
    day = check_date(closes, "closes", errors)
    if not day and not errors:
        errors["closes"] = "Give the new closing date."
    elif day and day <= row.closes:
        errors["closes"] = f"Choose a date after the current closing date ({row.closes})."
    elif day and day < today_iso():
        errors["closes"] = "The new closing date has already passed."
    if errors:
        raise Invalid(errors)
    row.closes = day
    return _save(scope, row, before, "extend")


def close(scope: Scope, uid: str, version: int) -> dict[str, Any]:
    """Close a round early; its links stop working until it is reopened."""
    row, before = _versioned(scope, uid, version)
    if before["status"] == "closed":
        raise Invalid({"round": "This round is already closed."})
    row.closed_at = _stamp()
    return _save(scope, row, before, "close")


def reopen(scope: Scope, uid: str, version: int) -> dict[str, Any]:
    """Undo an early close, while the closing date has not passed."""
    row, before = _versioned(scope, uid, version)
    if row.closed_at is None:
        raise Invalid({"round": "This round was not closed early."})
    if row.closes < today_iso():
        raise Invalid(
            {"closes": f"The closing date ({row.closes}) has passed: extend the round instead."}
        )
    row.closed_at = None
    return _save(scope, row, before, "reopen")


def _invitations(row: SurveyRound) -> list[SurveyInvitation]:
    return list(
        db.session.scalars(
            select(SurveyInvitation)
            .where(SurveyInvitation.round_id == row.id)
            .order_by(SurveyInvitation.id)
        )
    )


def _invitation(row: SurveyRound, person_uid: str) -> SurveyInvitation:
    inv = db.session.scalar(
        select(SurveyInvitation).where(
            SurveyInvitation.round_id == row.id, SurveyInvitation.person_uid == str(person_uid)
        )
    )
    if inv is None:
        raise NotFound(f"invitation of {person_uid}")
    return inv
