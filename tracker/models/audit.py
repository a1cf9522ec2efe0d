"""The audit log: who did what, when, with the object's state before and after."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class AuditEntry(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=_now, index=True)
    user_id: Mapped[int | None] = mapped_column(default=None, index=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60))
    object_kind: Mapped[str] = mapped_column(String(40))
    object_uid: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    network_uid: Mapped[str | None] = mapped_column(String(36), index=True, default=None)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for each field that differs."""
        before, after = self.before or {}, self.after or {}
        return [
            (key, before.get(key), after.get(key))
            for key in sorted(set(before) | set(after))
            if before.get(key) != after.get(key)
        ]
