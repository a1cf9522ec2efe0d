"""Computed results (metrics, signs) cached per network, date and data version."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class CachedResult(db.Model):
    """One computed result; a row under an older ``data_version`` is never read again."""

    __tablename__ = "cached_results"
    __table_args__ = (UniqueConstraint("network_uid", "kind", "at", "data_version", "variant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_uid: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # analysis
    at: Mapped[str] = mapped_column(String(10))  # YYYY-MM-DD
    data_version: Mapped[int] = mapped_column()
    variant: Mapped[str] = mapped_column(String(64), default="")  # e.g. a thresholds digest
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(default=_now)
