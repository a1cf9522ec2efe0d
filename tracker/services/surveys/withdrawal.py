"""Withdrawal: every answer of one respondent deleted everywhere.

Shared by the respondent's own "withdraw" and the coordinator's withdrawal on request; the
audit log says who asked, never who had answered.
"""

from __future__ import annotations

from tracker.access import Scope
from tracker.extensions import db, graph
from tracker.graph.queries import survey as q
from tracker.models import SurveyInvitation, SurveyRound
from tracker.services import audit, dataversion
from tracker.services.surveys.common import _response_uid, _stamp
from tracker.services.surveys.rounds import _invitation, _round


def _erase(row: SurveyRound, inv: SurveyInvitation) -> None:
    """Delete one respondent's answers everywhere: graph first, then the relational rows."""
    params = {"person_uid": inv.person_uid, "survey": row.uid, "network_uid": row.network_uid}
    graph.store.run(q.DELETE_RESPONDENT_TIES, params)
    graph.store.run(
        q.DELETE_RESPONSE, {"uid": _response_uid(row, inv), "network_uid": row.network_uid}
    )
    for unlisted in list(inv.unlisted):
        db.session.delete(unlisted)
    inv.withdrawn_at = inv.withdrawn_at or _stamp()
    inv.consented_at = None
    inv.submitted_at = None
    dataversion.bump(row.network_uid)


def withdraw_respondent(scope: Scope, uid: str, person_uid: str) -> None:
    """Withdraw a person on their request: their answers go, their link stops working.

    The same happens (and the same is audited) whether or not they had answered, so the
    audit log says who asked, never who had answered.
    """
    row = _round(scope, uid)
    inv = _invitation(row, person_uid)
    _erase(row, inv)
    audit.record(
        scope.user,
        "withdraw_respondent",
        "survey_round",
        row.uid,
        network_uid=scope.network_uid,
        after={"person_uid": inv.person_uid},
    )
