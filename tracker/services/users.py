"""Accounts and grants (admin pages and ``tracker user create``)."""

from __future__ import annotations

from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import ROLES, Grant, User
from tracker.services import Invalid, audit

MIN_PASSWORD = 12


def normalise_email(raw: str) -> str:
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise Invalid({"email": f"Enter a valid email address ({exc})."}) from None


def check_password_strength(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid({field: f"Use at least {MIN_PASSWORD} characters."})
    if len(password) > 1024:
        raise Invalid({field: "Use at most 1024 characters."})


def by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))


def check_grant(role: str, network_uid: str | None, school_uid: str | None) -> None:
    """The shape rules for a grant (which roles need a network or a school)."""
    if role not in ROLES:
        raise Invalid({"role": "Choose a role: " + ", ".join(ROLES) + "."})
    if role == "admin" and (network_uid or school_uid):
        raise Invalid({"network": "An administrator's grant has no network."})
    if role in {"leader", "evaluator"} and not network_uid:
        raise Invalid({"network": f"A {role} needs a network."})
    if role == "leader" and not school_uid:
        raise Invalid({"school": "A school leader needs a school in that network."})
    if role != "leader" and school_uid:
        raise Invalid({"school": "Only school leaders are granted a school."})


def create(
    actor: User | str,
    email: str,
    password: str,
    *,
    name: str = "",
    role: str | None = None,
    network_uid: str | None = None,
    school_uid: str | None = None,
    names_visible: bool = False,
) -> User:
    email = normalise_email(email)
    if by_email(email) is not None:
        raise Invalid({"email": "An account with this email already exists."})
    check_password_strength(password)
    if role:
        check_grant(role, network_uid, school_uid)
    user = User(email=email, name=name.strip()[:120])
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    if role:
        db.session.add(
            Grant(
                user_id=user.id,
                role=role,
                network_uid=network_uid,
                school_uid=school_uid,
                names_visible=names_visible,
            )
        )
    db.session.flush()
    audit.record(
        actor, "create", "user", str(user.id), network_uid=network_uid, after=describe(user)
    )
    return user


def describe(user: User) -> dict[str, Any]:
    # Flush first: refresh() reloads from the database and would drop unflushed changes.
    db.session.flush()
    db.session.refresh(user)
    return {
        "email": user.email,
        "name": user.name,
        "active": user.active,
        "grants": [g.as_dict() for g in user.grants],
    }


def add_grant(
    actor: User | str,
    user: User,
    role: str,
    network_uid: str | None,
    school_uid: str | None,
    names_visible: bool = False,
) -> Grant:
    check_grant(role, network_uid, school_uid)
    exists = db.session.scalar(
        select(Grant).filter_by(
            user_id=user.id, role=role, network_uid=network_uid, school_uid=school_uid
        )
    )
    if exists is not None:
        raise Invalid({"role": "This account already holds that grant."})
    before = describe(user)
    grant = Grant(
        user_id=user.id,
        role=role,
        network_uid=network_uid,
        school_uid=school_uid,
        names_visible=names_visible,
    )
    db.session.add(grant)
    db.session.flush()
    audit.record(
        actor,
        "grant",
        "user",
        str(user.id),
        network_uid=network_uid,
        before=before,
        after=describe(user),
    )
    return grant


def remove_grant(actor: User | str, grant: Grant) -> None:
    user = grant.user
    before = describe(user)
    network_uid = grant.network_uid
    db.session.delete(grant)
    db.session.flush()
    # Revoke live sessions so the removed access stops at once.
    user.revoke_sessions()
    audit.record(
        actor,
        "revoke_grant",
        "user",
        str(user.id),
        network_uid=network_uid,
        before=before,
        after=describe(user),
    )


def set_active(actor: User | str, user: User, active: bool) -> None:
    before = describe(user)
    user.active = active
    user.revoke_sessions()
    audit.record(
        actor,
        "activate" if active else "deactivate",
        "user",
        str(user.id),
        before=before,
        after=describe(user),
    )


def revoke_sessions(actor: User | str, user: User) -> None:
    user.revoke_sessions()
    audit.record(
        actor,
        "revoke_sessions",
        "user",
        str(user.id),
        after={"session_version": user.session_version},
    )


def change_password(user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise Invalid({"current_password": "That is not your current password."})
    check_password_strength(new, "new_password")
    user.set_password(new)
    user.revoke_sessions()
    audit.record(user, "change_password", "user", str(user.id))


def load_from_session_id(session_id: str) -> User | None:
    """Flask-Login's user loader: the cookie carries ``id:session_version``."""
    try:
        raw_id, raw_version = session_id.split(":", 1)
        user = db.session.get(User, int(raw_id))
        version = int(raw_version)
    except (ValueError, TypeError):
        return None
    if user is None or not user.active or user.session_version != version:
        return None
    return user
