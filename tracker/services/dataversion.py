"""The network's data version: cached results are keyed by it, and every write bumps it."""

from __future__ import annotations

from sqlalchemy import update

from tracker.extensions import db
from tracker.models import NetworkSettings


def settings_for(network_uid: str) -> NetworkSettings:
    """The network's settings row, made (not yet committed) if it does not exist."""
    row = db.session.get(NetworkSettings, network_uid)
    if row is None:
        row = NetworkSettings(network_uid=network_uid, thresholds={}, data_version=0)
        db.session.add(row)
        db.session.flush()
    return row


def current(network_uid: str) -> int:
    row = db.session.get(NetworkSettings, network_uid)
    return row.data_version if row else 0


def bump(network_uid: str) -> None:
    """Mark the network's cached results stale; committed with the caller's transaction."""
    settings_for(network_uid)
    db.session.execute(
        update(NetworkSettings)
        .where(NetworkSettings.network_uid == network_uid)
        .values(data_version=NetworkSettings.data_version + 1)
    )
