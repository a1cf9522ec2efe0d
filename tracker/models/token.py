"""API tokens for scripts: hashed at rest, owned by a user, expiring and revocable."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class ApiToken(db.Model):
    """A bearer token; only ``sha256(token)`` is kept, so a lost token is re-made, not shown."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=_now)
    expires_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)

    user = relationship("User")

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > _now()
