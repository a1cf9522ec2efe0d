"""Grants: what a user may do, scoped to a network and optionally a school."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db

ROLES = ("admin", "coordinator", "leader", "evaluator")


class Grant(db.Model):
    """``admin`` has no network. ``coordinator`` without a network may create networks.

    ``leader`` needs a network and a school; ``evaluator`` needs a network and sees
    pseudonyms unless ``names_visible``.
    """

    __tablename__ = "grants"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "network_uid", "school_uid", name="uq_grant_scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    network_uid: Mapped[str | None] = mapped_column(String(36), index=True, default=None)
    school_uid: Mapped[str | None] = mapped_column(String(36), default=None)
    names_visible: Mapped[bool] = mapped_column(default=False)

    user = relationship("User", back_populates="grants")

    def as_dict(self) -> dict[str, object]:
        return {
            "role": self.role,
            "network_uid": self.network_uid,
            "school_uid": self.school_uid,
            "names_visible": self.names_visible,
        }
