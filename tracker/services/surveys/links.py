"""Personal links: issue, revoke, reissue, list and email them.

A link's token is shown once and stored only as its sha256. The coordinator learns counts and
link states, never whether anyone consented or answered.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections import Counter
from collections.abc import Iterable
from typing import Any

from tracker.access import Scope
from tracker.models import SurveyInvitation, SurveyRound
from tracker.packages.format import escape_cell
from tracker.services import Invalid, audit, mail
from tracker.services import today as today_iso
from tracker.services.surveys.common import _hash, _network_name, _stamp
from tracker.services.surveys.rates import SUPPRESS_BELOW
from tracker.services.surveys.rounds import _invitation, _invitations, _round, _status
from tracker.services.surveys.staff import _display, _people


def _link(base_url: str, token: str) -> str:
    """The respondent's URL: ``base_url`` is the site root (``/s`` is added when missing)."""
    base = base_url.rstrip("/")
    if not base.endswith("/s"):
        base += "/s"
    return f"{base}/{token}"


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

    Answers {sent, skipped_no_email, failed, skipped_revoked, hidden}: the coordinator learns
    counts, never who was reminded; for a reminder while fewer than five have answered,
    ``hidden`` is 1 and the counts are not to be shown (nor are they audited). Invalid when
    SMTP is not configured or the round is closed.
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
    # How many were reminded says how many have answered: hidden, like the rates, while
    # fewer than SUPPRESS_BELOW have.
    answered = sum(1 for i in _invitations(row) if i.submitted_at and not i.withdrawn_at)
    hidden = reminder and answered < SUPPRESS_BELOW
    audit.record(
        scope.user,
        "send_reminders" if reminder else "send_links",
        "survey_round",
        row.uid,
        network_uid=scope.network_uid,
        after={"counts_hidden": True} if hidden else result,
    )
    return {**result, "hidden": int(hidden)}
