"""Small pieces the questionnaire modules share.

Timestamps, token digests, lists from form fields, the network's name and the uid of a
respondent's Response node (derived, so saving it twice makes one node).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from tracker.extensions import graph
from tracker.graph.queries import survey as q
from tracker.graph.store import NotFound
from tracker.models import SurveyInvitation, SurveyRound
from tracker.packages.ids import relationship_uid


def _stamp() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [line for line in (part.strip() for part in value.splitlines()) if line]
    return [str(v).strip() for v in value if str(v).strip()]


def _network_name(network_uid: str) -> str:
    rows = graph.store.run(q.NETWORK_NAME, {"network_uid": network_uid})
    if not rows:
        raise NotFound(f"network {network_uid}")
    return rows[0]["name"]


def _response_uid(row: SurveyRound, inv: SurveyInvitation) -> str:
    return relationship_uid(row.network_uid, "response", row.uid, inv.person_uid)
