"""Per-network settings kept beside the graph: thresholds, retention, map names, data version."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class NetworkSettings(db.Model):
    """One row per network, made on first use.

    ``data_version`` goes up with every write to the network's data (audited writes, imports,
    questionnaire answers), so results cached under an older version are stale.
    """

    __tablename__ = "network_settings"

    network_uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    thresholds: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    retention_months: Mapped[int | None] = mapped_column(default=None)
    named_maps: Mapped[bool] = mapped_column(default=False)
    data_version: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=_now, onupdate=_now)

    def __repr__(self) -> str:
        return f"<NetworkSettings {self.network_uid} v{self.data_version}>"
