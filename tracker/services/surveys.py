"""The staff questionnaire: survey rounds, personal links, answers, rates and retention.

Privacy rules that shape every function here (docs/questionnaire.md lists the tests):

- A link's token is shown once and stored only as its sha256; it is compared in constant time.
- Nothing a respondent answers is stored before they consent; withdrawing deletes every
  answer (graph ties, the Response, "someone not listed" rows) and bumps the data version.
- Coordinator-facing functions and the audit log never say which person consented,
  answered or submitted: they see counts, and counts under five are suppressed.
- Answers go to the graph first (idempotent, uids derived from what they describe), then the
  relational rows, then one commit; a refusal raises before anything is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from tracker.access import Scope
from tracker.extensions import db, graph
from tracker.graph.queries import person as person_q
from tracker.graph.queries import survey as q
from tracker.graph.store import NotFound
from tracker.models import NetworkSettings, SurveyInvitation, SurveyRound, SurveyUnlisted
from tracker.packages.format import escape_cell
from tracker.packages.ids import relationship_uid
from tracker.services import (
    Invalid,
    Stale,
    audit,
    check_date,
    dataversion,
    mail,
    valid_uid,
    vocab,
)
from tracker.services import today as today_iso
from tracker.services.pseudonyms import pseudonym

TOPICS = {
    "teaching_learning": "Teaching and learning",
    "curriculum": "Curriculum",
    "pupil_care": "Pupil care and welfare",
    "school_improvement": "School improvement",
}
FREQUENCIES = vocab.FREQUENCIES
LEVELS = vocab.LEVELS
ANSWERS = {"yes": "Yes", "no": "No", "unsure": "Unsure"}
STAFF_LAYERS = ("senior", "teacher", "support")
SUPPRESS_BELOW = 5  # response-rate cells with fewer respondents are not shown
MAX_NOMINATIONS = 30  # named colleagues plus "someone not listed" entries
MAX_TEXT = 200
MAX_TOPICS = 8
MAX_TOPIC_LABEL = 60
CHOICES_CAP = 200
DEFAULT_CONSENT = (
    "This questionnaire asks who you go to for advice about your work, how often, and how "
    "much they influence your practice. Your answers are used only to understand how the "
    "network's schools learn from each other; nobody in your school or the network sees "
    "what you said about whom, and the network coordinator sees response rates only as "
    "counts. You can stop at any time, come back with the same link until the round closes, "
    "and withdraw your answers from this page at any time: they are then deleted everywhere."
)


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


def _stamp() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _link(base_url: str, token: str) -> str:
    """The respondent's URL: ``base_url`` is the site root (``/s`` is added when missing)."""
    base = base_url.rstrip("/")
    if not base.endswith("/s"):
        base += "/s"
    return f"{base}/{token}"


# -- people ---------------------------------------------------------------------------------


def _work_on(works: list[dict[str, Any]], on: str) -> dict[str, Any] | None:
    """The period the person was working in on ``on`` (the latest one if they overlap)."""
    current = [
        w
        for w in works
        if w.get("uid")
        and (w.get("from") is None or w["from"] <= on)
        and (w.get("to") is None or w["to"] > on)
    ]
    current.sort(key=lambda w: w.get("from") or "")
    return current[-1] if current else None


def _people(network_uid: str, on: str) -> dict[str, dict[str, Any]]:
    """Every person of the network with their school on ``on`` and ``current`` (in post)."""
    out = {}
    for row in graph.store.run(q.PEOPLE, {"network_uid": network_uid}):
        works = [w for w in row["works"] if w.get("uid")]
        work = _work_on(works, on)
        out[row["uid"]] = {
            "uid": row["uid"],
            "key": row.get("key") or row["uid"],
            "name": row["name"],
            "layer": row.get("layer"),
            "email": row.get("email") or "",
            "school_uid": work["school_uid"] if work else None,
            "school": work["school_name"] if work else "",
            "current": work is not None or not works,
        }
    return out


def _display(scope: Scope, person: dict[str, Any]) -> str:
    return pseudonym(scope.network_uid, person["uid"]) if scope.pseudonymise else person["name"]


# -- rounds (coordinator side) ----------------------------------------------------------------


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


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [line for line in (part.strip() for part in value.splitlines()) if line]
    return [str(v).strip() for v in value if str(v).strip()]


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


# -- links -------------------------------------------------------------------------------------


def _invitations(row: SurveyRound) -> list[SurveyInvitation]:
    return list(
        db.session.scalars(
            select(SurveyInvitation)
            .where(SurveyInvitation.round_id == row.id)
            .order_by(SurveyInvitation.id)
        )
    )


def _link_state(inv: SurveyInvitation) -> str:
    if inv.revoked_at is not None:
        return "revoked"
    return "active" if inv.token_hash else "none"


def link_status(scope: Scope, uid: str) -> dict[str, int]:
    """Counts only: invited, issued (active links), revoked, never_issued, sent."""
    invitations = _invitations(_round(scope, uid))
    states = Counter(_link_state(inv) for inv in invitations)
    return {
        "invited": len(invitations),
        "issued": states["active"],
        "revoked": states["revoked"],
        "never_issued": states["none"],
        "sent": sum(inv.last_sent_at is not None for inv in invitations),
    }


def _issue(inv: SurveyInvitation) -> str:
    """A fresh token for ``inv``; the old one (if any) stops working."""
    token = secrets.token_urlsafe(32)
    inv.token_hash = _hash(token)
    inv.token_issued_at = _stamp()
    inv.revoked_at = None
    return token


def _refuse_closed(row: SurveyRound, on: str | None = None) -> None:
    if _status(row, on or today_iso()) == "closed":
        raise Invalid({"round": "This round is closed: links to it would not work."})


def issue_links(
    scope: Scope, uid: str, base_url: str, *, reissue: bool = False, on: str | None = None
) -> list[dict[str, str]]:
    """Fresh links for invitees without an active one (every invitee when ``reissue``).

    Rows: person_id (the package key), name, school, email (or ""), link, person_uid. The
    tokens exist only in this answer; the audit records the count.
    """
    row = _round(scope, uid)
    _refuse_closed(row, on)
    people = _people(scope.network_uid, row.opens)
    out = []
    for inv in _invitations(row):
        if not reissue and _link_state(inv) != "none":
            continue
        person = people.get(inv.person_uid)
        if person is None:
            continue
        out.append(
            {
                "person_id": person["key"],
                "name": person["name"],
                "school": person["school"],
                "email": person["email"],
                "link": _link(base_url, _issue(inv)),
                "person_uid": inv.person_uid,
            }
        )
    audit.record(
        scope.user,
        "issue_links",
        "survey_round",
        row.uid,
        network_uid=scope.network_uid,
        after={"issued": len(out), "reissue": reissue},
    )
    return sorted(out, key=lambda r: (r["school"].lower(), r["name"].lower()))


LINK_COLUMNS = ("person_id", "name", "school", "email", "link")


def links_csv(rows: Iterable[dict[str, str]]) -> str:
    """The links as CSV for a mail merge; cells a spreadsheet would run as formulas are escaped."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(LINK_COLUMNS)
    for r in rows:
        writer.writerow([escape_cell(str(r.get(c) or "")) for c in LINK_COLUMNS])
    return out.getvalue()


def invitees(scope: Scope, uid: str) -> list[dict[str, Any]]:
    """{person_uid, name, school, link_state}: never whether anyone consented or answered."""
    row = _round(scope, uid)
    people = _people(scope.network_uid, row.opens)
    out = []
    for inv in _invitations(row):
        person = people.get(inv.person_uid) or {"uid": inv.person_uid, "name": "", "school": ""}
        out.append(
            {
                "person_uid": inv.person_uid,
                "name": _display(scope, person),
                "school": person["school"],
                "link_state": _link_state(inv),
            }
        )
    return sorted(out, key=lambda r: (r["school"].lower(), r["name"].lower()))


def _invitation(row: SurveyRound, person_uid: str) -> SurveyInvitation:
    inv = db.session.scalar(
        select(SurveyInvitation).where(
            SurveyInvitation.round_id == row.id, SurveyInvitation.person_uid == str(person_uid)
        )
    )
    if inv is None:
        raise NotFound(f"invitation of {person_uid}")
    return inv


def revoke(scope: Scope, uid: str, person_uid: str) -> None:
    """Stop one person's link from working (a lost phone, a forwarded email)."""
    row = _round(scope, uid)
    inv = _invitation(row, person_uid)
    if _link_state(inv) != "active":
        raise Invalid({"person_uid": "This person has no active link to revoke."})
    inv.revoked_at = _stamp()
    audit.record(
        scope.user,
        "revoke_link",
        "survey_round",
        row.uid,
        network_uid=scope.network_uid,
        after={"person_uid": inv.person_uid},
    )


def reissue(scope: Scope, uid: str, person_uid: str, base_url: str) -> str:
    """A new link for one person; their earlier link stops working, their answers stay."""
    row = _round(scope, uid)
    _refuse_closed(row)
    inv = _invitation(row, person_uid)
    token = _issue(inv)
    audit.record(
        scope.user,
        "reissue_link",
        "survey_round",
        row.uid,
        network_uid=scope.network_uid,
        after={"person_uid": inv.person_uid},
    )
    return _link(base_url, token)


def mail_configured() -> bool:
    """True when the app can send the links itself (MAIL_SERVER and MAIL_FROM are set)."""
    return mail.configured()


def _message(
    person: dict[str, Any], row: SurveyRound, network: str, link: str, reminder: bool
) -> mail.Message:
    subject = f"{'Reminder: ' if reminder else ''}{network} staff questionnaire"
    opening = (
        "A reminder: the staff questionnaire is still open and your answers are not yet sent."
        if reminder
        else f"{network} is asking staff who they go to for advice about their work."
    )
    body = (
        f"Dear {person['name']},\n\n{opening}\n\n"
        f"{row.title}\nOpen until {row.closes}.\n\n"
        f"Your personal link (please do not forward it; it works only for you):\n{link}\n\n"
        "The first page explains how your answers are used. You can stop and come back with "
        "the same link, and withdraw your answers at any time.\n"
    )
    return mail.Message(to=person["email"], subject=subject, body=body)


def send_links(scope: Scope, uid: str, base_url: str, *, reminder: bool = False) -> dict[str, int]:
    """Email each invitee a fresh link; a reminder goes only to those who have not submitted.

    Answers {sent, skipped_no_email, failed, skipped_revoked}: the coordinator learns counts,
    never who was reminded. Invalid when SMTP is not configured or the round is closed.
    """
    if not mail.configured():
        raise Invalid(
            {
                "mail": "Email is not set up on this server (MAIL_SERVER, MAIL_FROM): download "
                "the links as CSV for a mail merge instead."
            }
        )
    row = _round(scope, uid)
    _refuse_closed(row)
    people = _people(scope.network_uid, row.opens)
    network = _network_name(scope.network_uid)
    counts = Counter({"sent": 0, "skipped_no_email": 0, "failed": 0, "skipped_revoked": 0})
    batch: list[tuple[SurveyInvitation, str | None, mail.Message]] = []
    for inv in _invitations(row):
        if inv.withdrawn_at is not None or (reminder and inv.submitted_at is not None):
            continue
        if inv.revoked_at is not None:
            counts["skipped_revoked"] += 1
            continue
        person = people.get(inv.person_uid)
        if person is None or not person["email"]:
            counts["skipped_no_email"] += 1
            continue
        old = inv.token_hash
        link = _link(base_url, _issue(inv))
        batch.append((inv, old, _message(person, row, network, link, reminder)))
    results = mail.send_batch([message for _, _, message in batch])
    now = _stamp()
    for (inv, old, _), ok in zip(batch, results, strict=True):
        if ok:
            inv.last_sent_at = now
            counts["sent"] += 1
        else:
            inv.token_hash = old  # the new link never arrived: keep the one they may have
            counts["failed"] += 1
    result = dict(counts)
    audit.record(
        scope.user,
        "send_reminders" if reminder else "send_links",
        "survey_round",
        row.uid,
        network_uid=scope.network_uid,
        after=result,
    )
    return result


def _network_name(network_uid: str) -> str:
    rows = graph.store.run(q.NETWORK_NAME, {"network_uid": network_uid})
    if not rows:
        raise NotFound(f"network {network_uid}")
    return rows[0]["name"]


# -- response rates and comparison -------------------------------------------------------------


def _cell(invited: int, responded: int) -> dict[str, Any]:
    if responded < SUPPRESS_BELOW:
        return {
            "invited": invited,
            "responded": None,
            "rate": None,
            "suppressed": True,
            "reason": "small",
        }
    rate = round(responded / invited, 3) if invited else None
    return {
        "invited": invited,
        "responded": responded,
        "rate": rate,
        "suppressed": False,
        "reason": None,
    }


def _breakdown(cells: list[dict[str, Any]], overall: dict[str, Any]) -> list[dict[str, Any]]:
    """Suppress a second cell when one alone is hidden and the total would give it away."""
    hidden = [c for c in cells if c["suppressed"]]
    shown = [c for c in cells if not c["suppressed"]]
    if len(hidden) == 1 and shown and not overall["suppressed"]:
        smallest = min(shown, key=lambda c: c["responded"])
        smallest.update(responded=None, rate=None, suppressed=True, reason="complement")
    return cells


def _respondents(row: SurveyRound) -> set[str]:
    """People whose answers count: submitted and not withdrawn."""
    return {
        inv.person_uid
        for inv in _invitations(row)
        if inv.submitted_at is not None and inv.withdrawn_at is None
    }


def response_rates(scope: Scope, uid: str) -> dict[str, Any]:
    """Invited and responded per round, school and layer; fewer than five is not shown."""
    row = _round(scope, uid)
    people = _people(scope.network_uid, row.opens)
    done = _respondents(row)
    invited = [inv.person_uid for inv in _invitations(row)]
    overall = _cell(len(invited), len(done))

    def group(key: str) -> dict[str, tuple[int, int]]:
        totals: dict[str, list[int]] = {}
        for person_uid in invited:
            value = (people.get(person_uid) or {}).get(key) or ""
            pair = totals.setdefault(value, [0, 0])
            pair[0] += 1
            pair[1] += person_uid in done
        return {k: (v[0], v[1]) for k, v in totals.items()}

    names = {p["school_uid"]: p["school"] for p in people.values() if p["school_uid"]}
    by_school = [
        {"uid": school, "name": names.get(school, "No school"), **_cell(*counts)}
        for school, counts in sorted(
            group("school_uid").items(), key=lambda kv: names.get(kv[0], "")
        )
    ]
    by_layer = [
        {"layer": layer, **_cell(*counts)}
        for layer, counts in sorted(
            group("layer").items(),
            key=lambda kv: STAFF_LAYERS.index(kv[0]) if kv[0] in STAFF_LAYERS else 9,
        )
    ]
    return {
        "overall": overall,
        "by_school": _breakdown(by_school, overall),
        "by_layer": _breakdown(by_layer, overall),
    }


def _pairs(network_uid: str, survey: str, respondents: set[str]) -> set[tuple[str, str]]:
    rows = graph.store.run(q.SURVEY_TIES, {"network_uid": network_uid, "survey": survey})
    return {(r["source"], r["target"]) for r in rows if r["source"] in respondents}


def compare(scope: Scope, a_uid: str, b_uid: str) -> dict[str, Any]:
    """Ties gained and lost from round ``a`` to round ``b``, people newly isolated, rates.

    Gained and lost count (respondent, nominee) pairs among people who submitted in both
    rounds, so that someone who skipped a round does not show as losing all their ties.
    Newly isolated: invited to ``b``, some tie in or out in ``a``, none in ``b``.
    """
    row_a, row_b = _round(scope, a_uid), _round(scope, b_uid)
    done_a, done_b = _respondents(row_a), _respondents(row_b)
    both = done_a & done_b
    ties_a = _pairs(scope.network_uid, row_a.uid, done_a)
    ties_b = _pairs(scope.network_uid, row_b.uid, done_b)
    people = _people(scope.network_uid, row_b.opens)
    gained = {t for t in ties_b - ties_a if t[0] in both}
    lost = {t for t in ties_a - ties_b if t[0] in both}

    def schools(tie: tuple[str, str]) -> tuple[str, str]:
        return tuple(  # type: ignore[return-value]
            (people.get(p) or {}).get("school") or "No school" for p in tie
        )

    def cross(ties: set[tuple[str, str]]) -> int:
        return sum(1 for t in ties if len(set(schools(t))) == 2)

    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, ties in (("gained", gained), ("lost", lost)):
        for tie in ties:
            a, b = sorted(schools(tie))
            if a == b:
                continue
            cell = pairs.setdefault((a, b), {"a": a, "b": b, "gained": 0, "lost": 0})
            cell[kind] += 1
    touched_a = {p for tie in ties_a for p in tie}
    touched_b = {p for tie in ties_b for p in tie}
    isolated = [
        {
            "uid": person_uid,
            "name": _display(scope, people[person_uid]),
            "school": people[person_uid]["school"],
        }
        for person_uid in {inv.person_uid for inv in _invitations(row_b)}
        if person_uid in touched_a and person_uid not in touched_b and person_uid in people
    ]
    return {
        "a": _shape(row_a),
        "b": _shape(row_b),
        "gained": len(gained),
        "lost": len(lost),
        "gained_cross_school": cross(gained),
        "lost_cross_school": cross(lost),
        "school_pairs": [pairs[k] for k in sorted(pairs)],
        "newly_isolated": sorted(isolated, key=lambda p: (p["school"], p["name"])),
        "respondents_in_both": len(both),
        "rates": [response_rates(scope, row_a.uid), response_rates(scope, row_b.uid)],
    }


# -- withdrawal ------------------------------------------------------------------------------


def _erase(row: SurveyRound, inv: SurveyInvitation) -> None:
    """Delete one respondent's answers everywhere: graph first, then the relational rows."""
    params = {"person_uid": inv.person_uid, "survey": row.uid, "network_uid": row.network_uid}
    graph.store.run(q.DELETE_RESPONDENT_TIES, params)
    graph.store.run(
        q.DELETE_RESPONSE, {"uid": _response_uid(row, inv), "network_uid": row.network_uid}
    )
    for unlisted in list(inv.unlisted):
        db.session.delete(unlisted)
    inv.withdrawn_at = inv.withdrawn_at or _stamp()
    inv.consented_at = None
    inv.submitted_at = None
    dataversion.bump(row.network_uid)


def withdraw_respondent(scope: Scope, uid: str, person_uid: str) -> None:
    """Withdraw a person on their request: their answers go, their link stops working.

    The same happens (and the same is audited) whether or not they had answered, so the
    audit log says who asked, never who had answered.
    """
    row = _round(scope, uid)
    inv = _invitation(row, person_uid)
    _erase(row, inv)
    audit.record(
        scope.user,
        "withdraw_respondent",
        "survey_round",
        row.uid,
        network_uid=scope.network_uid,
        after={"person_uid": inv.person_uid},
    )


# -- the respondent (no account: the token in the URL) -----------------------------------------


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


def _response_uid(row: SurveyRound, inv: SurveyInvitation) -> str:
    return relationship_uid(row.network_uid, "response", row.uid, inv.person_uid)


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


# -- retention ----------------------------------------------------------------------------------


def _months_before(day: str, months: int) -> str:
    date = dt.date.fromisoformat(day)
    index = date.year * 12 + date.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(date.day, last)).isoformat()


def _ended(row: SurveyRound) -> str:
    early = row.closed_at.date().isoformat() if row.closed_at else None
    return min(row.closes, early) if early else row.closes


def apply_retention(
    network_uid: str | None, *, today: str, dry_run: bool, actor: str = "retention"
) -> list[dict[str, Any]]:
    """Delete answers of rounds that ended more than the network's retention period ago.

    Covers web rounds and answers imported without one (``import:<date>``). Each deletion is
    audited per round; ``dry_run`` only counts. Networks without a retention setting are left.
    """
    query = select(NetworkSettings).where(NetworkSettings.retention_months.is_not(None))
    if network_uid:
        query = query.where(NetworkSettings.network_uid == network_uid)
    plan: list[dict[str, Any]] = []
    for settings in db.session.scalars(query).all():
        cutoff = _months_before(today, int(settings.retention_months or 0))
        plan.extend(_expired(settings.network_uid, cutoff))
    if not dry_run:
        for item in plan:
            _purge(item, actor)
    return plan


def _expired(network_uid: str, cutoff: str) -> list[dict[str, Any]]:
    params = {"network_uid": network_uid}
    ties = {r["survey"]: r["ties"] for r in graph.store.run(q.TIES_BY_SURVEY, params)}
    responses = {
        r["survey"]: r["responses"] for r in graph.store.run(q.RESPONSES_BY_SURVEY, params)
    }
    out = []
    rounds = db.session.scalars(
        select(SurveyRound)
        .where(SurveyRound.network_uid == network_uid)
        .order_by(SurveyRound.opens)
    ).all()
    for row in rounds:
        if _ended(row) >= cutoff:
            continue
        invitations = _invitations(row)
        unlisted = sum(len(inv.unlisted) for inv in invitations)
        item = {
            "network_uid": network_uid,
            "survey": row.uid,
            "title": row.title,
            "ended": _ended(row),
            "ties": int(ties.get(row.uid, 0)),
            "responses": int(responses.get(row.uid, 0)),
            "unlisted": unlisted,
            "invitations": len(invitations),
        }
        if item["ties"] or item["responses"] or unlisted or invitations:
            out.append(item)
    imported = sorted(
        s for s in set(ties) | set(responses) if isinstance(s, str) and s.startswith("import:")
    )
    for survey in imported:
        ended = survey[len("import:") :]
        if ended < cutoff:
            out.append(
                {
                    "network_uid": network_uid,
                    "survey": survey,
                    "title": f"Answers imported from a package ({ended})",
                    "ended": ended,
                    "ties": int(ties.get(survey, 0)),
                    "responses": int(responses.get(survey, 0)),
                    "unlisted": 0,
                    "invitations": 0,
                }
            )
    return out


def _purge(item: dict[str, Any], actor: str) -> None:
    params = {"network_uid": item["network_uid"], "survey": item["survey"]}
    graph.store.run(q.DELETE_SURVEY_TIES, params)
    graph.store.run(q.DELETE_SURVEY_RESPONSES, params)
    row = db.session.scalar(select(SurveyRound).where(SurveyRound.uid == item["survey"]))
    if row is not None:
        # The round's title and dates stay as a record; who was invited goes with the answers.
        for inv in _invitations(row):
            db.session.delete(inv)
    dataversion.bump(item["network_uid"])
    audit.record(
        actor,
        "retention",
        "survey_round" if row is not None else "survey",
        item["survey"],
        network_uid=item["network_uid"],
        after={k: item[k] for k in ("ended", "ties", "responses", "unlisted", "invitations")},
    )
