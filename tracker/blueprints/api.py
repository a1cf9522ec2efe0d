"""The JSON API for scripts (``/api/v1``): a session cookie or ``Authorization: Bearer``.

Every answer is JSON, errors included (``tracker/errors.py``). The same access rules as the
web pages apply: a network outside the caller's grants is a 404, and names are masked for
evaluators and for leaders looking beyond their school.
"""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request
from flask_login import current_user

from tracker import access
from tracker.services import Invalid
from tracker.services import analysis as analysis_service
from tracker.services import networks as network_service

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _results():  # type: ignore[no-untyped-def]
    try:
        payload = analysis_service.results(g.scope.network_uid, request.args.get("at"))
    except Invalid as error:
        return None, (jsonify({"error": "Invalid date", "detail": error.errors["at"]}), 422)
    return analysis_service.for_viewer(payload, g.scope), None


@bp.get("/networks")
@access.signed_in
def networks():  # type: ignore[no-untyped-def]
    visible = list(access.network_grants(current_user))
    return jsonify(
        [
            {"uid": n["uid"], "name": n["name"], "schools": n["schools"], "people": n["people"]}
            for n in network_service.listing(visible)
        ]
    )


@bp.get("/networks/<network_uid>/signs")
@access.in_network(*access.READERS)
def signs(network_uid: str):  # type: ignore[no-untyped-def]
    view, error = _results()
    return error or jsonify(analysis_service.signs_document(view))


@bp.get("/networks/<network_uid>/metrics")
@access.in_network(*access.READERS)
def metrics(network_uid: str):  # type: ignore[no-untyped-def]
    view, error = _results()
    return error or jsonify(analysis_service.metrics_document(view))


@bp.get("/openapi.json")
@access.public
def openapi():  # type: ignore[no-untyped-def]
    return jsonify(OPENAPI)


_AT = {
    "name": "at",
    "in": "query",
    "required": False,
    "description": "As-at date, YYYY-MM-DD (default: today).",
    "schema": {"type": "string", "format": "date"},
}
_UID = {"name": "network_uid", "in": "path", "required": True, "schema": {"type": "string"}}
_ERRORS = {
    "401": {"description": "No session and no valid bearer token."},
    "404": {"description": "No such network among those the caller may see."},
    "422": {"description": "The `at` date is not YYYY-MM-DD."},
}

OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "Learning Network Tracker API",
        "version": "1",
        "description": "Warning signs and metrics of the networks the caller may read. "
        "Create a token on your account page and send it as `Authorization: Bearer <token>`.",
    },
    "components": {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "cookie": {"type": "apiKey", "in": "cookie", "name": "session"},
        }
    },
    "security": [{"bearer": []}, {"cookie": []}],
    "paths": {
        "/api/v1/networks": {
            "get": {
                "summary": "Networks the caller may read, with school and people counts.",
                "responses": {"200": {"description": "A list of networks."}, **_ERRORS},
            }
        },
        "/api/v1/networks/{network_uid}/signs": {
            "get": {
                "summary": "The warning signs as at a date (the shape of `tracker signs --json`).",
                "parameters": [_UID, _AT],
                "responses": {"200": {"description": "{network, at, signs: [...]}"}, **_ERRORS},
            }
        },
        "/api/v1/networks/{network_uid}/metrics": {
            "get": {
                "summary": "Network, school and person metrics as at a date "
                "(the shape of `tracker metrics --json`).",
                "parameters": [_UID, _AT],
                "responses": {
                    "200": {"description": "{network, at, network_metrics, schools, people}"},
                    **_ERRORS,
                },
            }
        },
    },
}
