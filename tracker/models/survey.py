"""Staff questionnaire rounds and personal invitations (answers themselves live in the graph).

Only what the graph cannot hold well is kept here: the round's settings, one invitation per
invited person (a sha256 of their link's token, never the token), and "someone not listed"
free text, which is kept apart from the graph so it never reaches an analysis.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class SurveyRound(db.Model):
    """One questionnaire round of a network; ``closed_at`` is set when closed early."""

    __tablename__ = "survey_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    network_uid: Mapped[str] = mapped_column(String(36), index=True)
    title: Mapped[str] = mapped_column(String(200))
    topics: Mapped[list[Any]] = mapped_column(JSON, default=list)
    opens: Mapped[str] = mapped_column(String(10))
    closes: Mapped[str] = mapped_column(String(10))
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    schools: Mapped[list[str]] = mapped_column(JSON, default=list)
    layers: Mapped[list[str]] = mapped_column(JSON, default=list)
    consent_text: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(default=None)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=_now)
    updated_at: Mapped[datetime] = mapped_column(default=_now, onupdate=_now)

    invitations = relationship(
        "SurveyInvitation", back_populates="round", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<SurveyRound {self.uid} {self.opens}..{self.closes}>"


class SurveyInvitation(db.Model):
    """One invited person in one round. The timestamps are never shown to coordinators."""

    __tablename__ = "survey_invitations"
    __table_args__ = (UniqueConstraint("round_id", "person_uid", name="uq_invitation_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("survey_rounds.id", ondelete="CASCADE"), index=True
    )
    person_uid: Mapped[str] = mapped_column(String(36))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    token_issued_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    consented_at: Mapped[datetime | None] = mapped_column(default=None)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None)
    last_sent_at: Mapped[datetime | None] = mapped_column(default=None)

    round = relationship("SurveyRound", back_populates="invitations")
    unlisted = relationship(
        "SurveyUnlisted", back_populates="invitation", cascade="all, delete-orphan"
    )


class SurveyUnlisted(db.Model):
    """ "Someone not listed": free text about a person outside the list, never in the graph."""

    __tablename__ = "survey_unlisted"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("survey_invitations.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(200))
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    frequency: Mapped[str | None] = mapped_column(String(20), default=None)
    influence: Mapped[int | None] = mapped_column(default=None)

    invitation = relationship("SurveyInvitation", back_populates="unlisted")
