"""API tokens: made once and shown once, kept as a SHA-256 digest, checked in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from flask import Request
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import ApiToken, User
from tracker.services import Invalid, audit

PREFIX = "lnt_"  # makes a leaked token easy to recognise in logs and secret scanners
MAX_DAYS = 365
DEFAULT_DAYS = 90


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(user: User, name: str, days: int = DEFAULT_DAYS) -> tuple[str, ApiToken]:
    """A new token for ``user``; the plain text is returned here and never again."""
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = "Name the token after the script that will use it."
    elif len(name) > 80:
        errors["name"] = "Keep the name under 80 characters."
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = f"A token lasts from 1 to {MAX_DAYS} days."
    if errors:
        raise Invalid(errors)
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=_digest(token),
        expires_at=_now() + timedelta(days=days),
    )
    db.session.add(row)
    db.session.flush()
    audit.record(user, "token.create", "api_token", str(row.id), after={"name": name})
    return token, row


def listing(user: User) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(db.session.scalars(query))


def revoke(user: User, token_id: int | str) -> None:
    try:
        row = db.session.get(ApiToken, int(token_id))
    except (TypeError, ValueError):
        row = None
    if row is None or row.user_id != user.id:
        raise Invalid({"token": "There is no such token on your account."})
    if row.revoked_at is None:
        row.revoked_at = _now()
        audit.record(user, "token.revoke", "api_token", str(row.id), before={"name": row.name})


def user_for(token: str) -> User | None:
    """The active user a bearer token belongs to, or None (unknown, revoked, expired)."""
    digest = _digest(token)
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if row is None or not hmac.compare_digest(row.token_hash, digest) or not row.active:
        return None
    user = row.user
    if user is None or not user.active:
        return None
    row.last_used_at = _now()
    db.session.commit()
    return user


def load_from_request(request: Request) -> User | None:
    """Flask-Login's request loader: ``Authorization: Bearer`` on ``/api/`` paths only, so a
    token can never stand in for the session cookie (and its CSRF protection) on the web app."""
    if not request.path.startswith("/api/"):
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return user_for(token.strip())
