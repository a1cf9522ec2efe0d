from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template
from flask_login import current_user
from sqlalchemy import text

from tracker import access
from tracker.extensions import db, graph
from tracker.graph.connect import describe
from tracker.graph.store import GraphError
from tracker.services import networks

bp = Blueprint("main", __name__)


@bp.get("/")
@access.signed_in
def index():  # type: ignore[no-untyped-def]
    grants = access.network_grants(current_user)
    visible = networks.listing(sorted(grants))
    for network in visible:
        network["role"] = grants[network["uid"]].role
    return render_template(
        "index.html",
        networks=visible,
        can_create=access.may_create_networks(current_user),
        is_admin=access.is_admin(current_user),
    )


@bp.get("/healthz")
@access.public
def healthz():  # type: ignore[no-untyped-def]
    """Both stores' state; 503 naming the store that is down."""
    backend = describe(current_app.config["TRACKER_GRAPH_URL"])
    try:
        graph_ok = graph.store.ping()
    except GraphError:
        graph_ok = False
    db_ok = False
    try:
        db_ok = db.session.execute(text("SELECT 1")).scalar() == 1
    except Exception:
        db.session.rollback()
    down = [name for name, ok in (("graph", graph_ok), ("db", db_ok)) if not ok]
    body = {
        "status": "ok" if not down else "unavailable",
        "graph": {"backend": backend, "ok": graph_ok},
        "db": {"ok": db_ok},
    }
    if down:
        body["down"] = down
    return jsonify(body), 200 if not down else 503
