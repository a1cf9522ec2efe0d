"""Accounts. Passwords are Argon2id hashes; the session version revokes old cookies."""

from __future__ import annotations

import contextlib
import functools
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db

# RFC 9106 second recommended option (64 MiB, 3 passes), Argon2id. ``ARGON2_PARAMS`` in the
# app's configuration may change them (the test suite uses a cheaper Argon2id, as Django's
# test settings do, so that thousands of accounts can be made quickly).
ARGON2_DEFAULTS = {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}


@functools.lru_cache(maxsize=4)
def _hasher_for(params: tuple[tuple[str, int], ...]) -> tuple[PasswordHasher, str]:
    hasher = PasswordHasher(**dict(params))
    return hasher, hasher.hash("not a real password")


def _hasher() -> PasswordHasher:
    return _hasher_for(_params())[0]


def _params() -> tuple[tuple[str, int], ...]:
    configured = current_app.config.get("ARGON2_PARAMS") or ARGON2_DEFAULTS
    return tuple(sorted(configured.items()))


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=_now)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)

    grants = relationship(
        "Grant", back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def set_password(self, password: str) -> None:
        self.password_hash = _hasher().hash(password)

    def check_password(self, password: str) -> bool:
        hasher = _hasher()
        try:
            ok = hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if ok and hasher.check_needs_rehash(self.password_hash):
            self.password_hash = hasher.hash(password)
        return ok

    @staticmethod
    def burn_verification_time(password: str) -> None:
        """Spend the time a real check would, so unknown emails are not revealed by timing."""
        hasher, dummy = _hasher_for(_params())
        with contextlib.suppress(VerificationError):
            hasher.verify(dummy, password)

    def get_id(self) -> str:
        # The session version travels in the cookie; bumping it revokes every session.
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    def revoke_sessions(self) -> None:
        self.session_version += 1

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def __repr__(self) -> str:
        return f"<User {self.email}>"
