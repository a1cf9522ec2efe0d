"""Retention: delete answers of rounds that ended longer ago than the network keeps them.

Covers web rounds and answers imported from a package (``import:<date>``); each deletion is
audited per round, and the round's title and dates stay as a record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from tracker.extensions import db, graph
from tracker.graph.queries import survey as q
from tracker.models import NetworkSettings, SurveyRound
from tracker.services import audit, dataversion
from tracker.services.surveys.rounds import _invitations


def _months_before(day: str, months: int) -> str:
    date = dt.date.fromisoformat(day)
    index = date.year * 12 + date.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(date.day, last)).isoformat()


def _ended(row: SurveyRound) -> str:
    early = row.closed_at.date().isoformat() if row.closed_at else None
    return min(row.closes, early) if early else row.closes


def apply_retention(
    network_uid: str | None, *, today: str, dry_run: bool, actor: str = "retention"
) -> list[dict[str, Any]]:
    """Delete answers of rounds that ended more than the network's retention period ago.

    Covers web rounds and answers imported without one (``import:<date>``). Each deletion is
    audited per round; ``dry_run`` only counts. Networks without a retention setting are left.
    """
    query = select(NetworkSettings).where(NetworkSettings.retention_months.is_not(None))
    if network_uid:
        query = query.where(NetworkSettings.network_uid == network_uid)
    plan: list[dict[str, Any]] = []
    for settings in db.session.scalars(query).all():
        cutoff = _months_before(today, int(settings.retention_months or 0))
        plan.extend(_expired(settings.network_uid, cutoff))
    if not dry_run:
        for item in plan:
            _purge(item, actor)
    return plan


def _expired(network_uid: str, cutoff: str) -> list[dict[str, Any]]:
    params = {"network_uid": network_uid}
    ties = {r["survey"]: r["ties"] for r in graph.store.run(q.TIES_BY_SURVEY, params)}
    responses = {
        r["survey"]: r["responses"] for r in graph.store.run(q.RESPONSES_BY_SURVEY, params)
    }
    out = []
    rounds = db.session.scalars(
        select(SurveyRound)
        .where(SurveyRound.network_uid == network_uid)
        .order_by(SurveyRound.opens)
    ).all()
    for row in rounds:
        if _ended(row) >= cutoff:
            continue
        invitations = _invitations(row)
        unlisted = sum(len(inv.unlisted) for inv in invitations)
        item = {
            "network_uid": network_uid,
            "survey": row.uid,
            "title": row.title,
            "ended": _ended(row),
            "ties": int(ties.get(row.uid, 0)),
            "responses": int(responses.get(row.uid, 0)),
            "unlisted": unlisted,
            "invitations": len(invitations),
        }
        if item["ties"] or item["responses"] or unlisted or invitations:
            out.append(item)
    imported = sorted(
        s for s in set(ties) | set(responses) if isinstance(s, str) and s.startswith("import:")
    )
    for survey in imported:
        ended = survey[len("import:") :]
        if ended < cutoff:
            out.append(
                {
                    "network_uid": network_uid,
                    "survey": survey,
                    "title": f"Answers imported from a package ({ended})",
                    "ended": ended,
                    "ties": int(ties.get(survey, 0)),
                    "responses": int(responses.get(survey, 0)),
                    "unlisted": 0,
                    "invitations": 0,
                }
            )
    return out


def _purge(item: dict[str, Any], actor: str) -> None:
    params = {"network_uid": item["network_uid"], "survey": item["survey"]}
    graph.store.run(q.DELETE_SURVEY_TIES, params)
    graph.store.run(q.DELETE_SURVEY_RESPONSES, params)
    row = db.session.scalar(select(SurveyRound).where(SurveyRound.uid == item["survey"]))
    if row is not None:
        # The round's title and dates stay as a record; who was invited goes with the answers.
        for inv in _invitations(row):
            db.session.delete(inv)
    dataversion.bump(item["network_uid"])
    audit.record(
        actor,
        "retention",
        "survey_round" if row is not None else "survey",
        item["survey"],
        network_uid=item["network_uid"],
        after={k: item[k] for k in ("ended", "ties", "responses", "unlisted", "invitations")},
    )
