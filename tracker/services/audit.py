"""Writes audit rows. Called after the graph write, committed before the answer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import AuditEntry, User
from tracker.services import dataversion


def record(
    actor: User | str,
    action: str,
    object_kind: str,
    object_uid: str | None,
    *,
    network_uid: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    commit: bool = True,
) -> AuditEntry:
    entry = AuditEntry(
        user_id=actor.id if isinstance(actor, User) else None,
        actor=actor.email if isinstance(actor, User) else str(actor),
        action=action,
        object_kind=object_kind,
        object_uid=object_uid,
        network_uid=network_uid,
        before=before,
        after=after,
    )
    db.session.add(entry)
    if network_uid is not None:
        dataversion.bump(network_uid)  # the network's cached results are stale now
    if commit:
        db.session.commit()
    return entry


def history(
    *, object_uid: str | None = None, network_uid: str | None = None, limit: int = 200
) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if object_uid is not None:
        query = query.where(AuditEntry.object_uid == object_uid)
    if network_uid is not None:
        query = query.where(AuditEntry.network_uid == network_uid)
    return list(db.session.scalars(query))
