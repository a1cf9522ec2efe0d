"""The network dashboard (signs first, headline figures, trends) and the signs' settings."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from tracker import access
from tracker.extensions import db
from tracker.services import Invalid, Stale, dataversion
from tracker.services import analysis as analysis_service
from tracker.services import networks as network_service
from tracker.signs import SIGNS

bp = Blueprint("dashboard", __name__, url_prefix="/networks/<network_uid>/dashboard")


def _at() -> str | None:
    return request.args.get("at") or None


@bp.get("/")
@access.in_network(*access.READERS)
def index(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    try:
        payload = analysis_service.results(network_uid, _at())
    except Invalid as error:
        return render_template(
            "dashboard/index.html",
            network=network,
            scope=g.scope,
            error=error.errors["at"],
            at=request.args.get("at", ""),
            view=None,
        ), 422
    view = analysis_service.for_viewer(payload, g.scope)
    return render_template(
        "dashboard/index.html",
        network=network,
        scope=g.scope,
        error=None,
        at=view["at"],
        view=view,
        summary=analysis_service.dashboard_summary(view),
        signs=SIGNS,
        titles={sign.ID: sign.TITLE for sign in SIGNS},
    )


@bp.route("/settings", methods=["GET", "POST"])
@access.in_network("coordinator")
def settings(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    errors: dict[str, str] = {}
    stale = False
    values: dict[str, dict[str, Any]] = analysis_service.thresholds(network_uid)
    version = analysis_service.settings_version(network_uid)
    status = 200
    retention = dataversion.settings_for(network_uid).retention_months
    if request.method == "POST":
        raw = _posted_thresholds()
        posted_version = _int(request.form.get("version"))
        try:
            if "retention_months" in request.form:
                retention = request.form["retention_months"]
                analysis_service.save_retention(g.scope, retention, posted_version)
            else:
                analysis_service.save_thresholds(g.scope, raw, posted_version)
        except Invalid as error:
            db.session.rollback()
            errors, values, status = error.errors, _merge(values, raw), 422
        except Stale:
            db.session.rollback()
            stale, status = True, 409
        else:
            db.session.commit()
            flash("Settings saved.", "success")
            return redirect(url_for("dashboard.settings", network_uid=network_uid))
    return render_template(
        "dashboard/settings.html",
        network=network,
        scope=g.scope,
        signs=SIGNS,
        values=values,
        errors=errors,
        stale=stale,
        version=version,
        retention=retention,
        max_retention=analysis_service.MAX_RETENTION_MONTHS,
    ), status


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def _posted_thresholds() -> dict[str, dict[str, Any]]:
    """Form fields named ``<sign id>.<threshold name>``; a field not sent keeps its value.

    A yes/no threshold is sent as a hidden ``off`` followed by its checkbox's ``on``.
    """
    raw: dict[str, dict[str, Any]] = {}
    for sign in SIGNS:
        for threshold in sign.THRESHOLDS:
            field = f"{sign.ID}.{threshold.name}"
            if field not in request.form:
                continue
            values = request.form.getlist(field)
            value: Any = "on" in values if threshold.kind == "bool" else values[-1]
            raw.setdefault(sign.ID, {})[threshold.name] = value
    return raw


def _merge(values: dict[str, dict[str, Any]], raw: dict[str, dict[str, Any]]) -> dict:
    merged = {sign: dict(v) for sign, v in values.items()}
    for sign, fields in raw.items():
        merged.setdefault(sign, {}).update(fields)
    return merged
