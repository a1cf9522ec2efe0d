"""The network's life by term."""

from __future__ import annotations

from flask import Blueprint, g, render_template

from tracker import access
from tracker.services import timeline as timeline_service
from tracker.services import vocab

bp = Blueprint("timeline", __name__, url_prefix="/networks/<network_uid>/timeline")


@bp.get("/")
@access.in_network(*access.READERS)
def index(network_uid: str):  # type: ignore[no-untyped-def]
    timeline = timeline_service.for_network(g.scope)
    return render_template(
        "timeline/index.html",
        network=timeline["network"],
        scope=g.scope,
        terms=timeline["terms"],
        kinds=vocab.ACTIVITY_KINDS,
    )
