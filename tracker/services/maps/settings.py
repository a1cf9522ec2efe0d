"""The named-maps setting: may leaders see other schools' people by name on advice maps.

Switching it on needs the coordinator's confirmation and a round whose consent text told
respondents so (``NAMED_MAPS_STATEMENT``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from tracker.access import Scope
from tracker.extensions import db
from tracker.models import NetworkSettings
from tracker.services import Invalid, Stale, audit, dataversion
from tracker.services.maps.privacy import NAMED_MAPS_STATEMENT, consent_says_named


def settings_view(network_uid: str) -> dict[str, Any]:
    """The setting, its version, and each questionnaire round with whether its consent text
    carries the named-maps statement."""
    from tracker.models.survey import SurveyRound

    row = db.session.get(NetworkSettings, network_uid)
    rounds = db.session.scalars(
        select(SurveyRound)
        .where(SurveyRound.network_uid == network_uid)
        .order_by(SurveyRound.opens, SurveyRound.id)
    ).all()
    return {
        "named_maps": bool(row and row.named_maps),
        "version": row.version if row else 1,
        "statement": NAMED_MAPS_STATEMENT,
        "rounds": [
            {
                "uid": r.uid,
                "title": r.title,
                "opens": r.opens,
                "closes": r.closes,
                "says_named": consent_says_named(r.consent_text),
            }
            for r in rounds
        ],
    }


def save_settings(scope: Scope, form: Mapping[str, Any]) -> bool:
    """Switch named maps on or off. On needs the coordinator's confirmation and at least one
    round whose consent text carries the statement. Audited; the caller commits."""
    try:
        version = int(form.get("version") or 0)
    except ValueError:
        version = 0
    settings = dataversion.settings_for(scope.network_uid)
    if settings.version != version:
        raise Stale({"version": settings.version}, [])
    wanted = form.get("named_maps") in ("on", "yes", "y", "1", "true")
    errors: dict[str, str] = {}
    if wanted:
        if form.get("confirm") not in ("on", "yes", "y", "1", "true"):
            errors["confirm"] = (
                "Confirm that respondents were told their names may be shown on the maps."
            )
        if not any(r["says_named"] for r in settings_view(scope.network_uid)["rounds"]):
            errors["named_maps"] = (
                "No questionnaire round's consent text carries the statement below, so "
                "respondents were not told. Put it in the next round's consent text first."
            )
    if errors:
        raise Invalid(errors)
    before = {"named_maps": bool(settings.named_maps)}
    settings.named_maps = wanted
    settings.version += 1
    audit.record(
        scope.user,
        "maps.named_maps",
        "network",
        scope.network_uid,
        network_uid=scope.network_uid,
        before=before,
        after={"named_maps": wanted},
        commit=False,
    )
    return wanted
