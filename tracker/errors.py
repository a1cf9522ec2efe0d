"""Domain errors become HTTP answers here, in one place."""

from __future__ import annotations

from flask import Flask, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from tracker.extensions import db
from tracker.graph.store import GraphError, NotFound, StoreUnavailable

MESSAGES = {
    400: ("Bad request", "The request could not be understood."),
    401: ("Please sign in", "You need to sign in to see this page."),
    403: ("Not allowed", "Your account does not allow this."),
    404: ("Not found", "There is nothing here, or it is not in a network you can see."),
    405: ("Not allowed", "This page does not accept that kind of request."),
    413: ("Too large", "The upload is larger than the tracker accepts."),
    429: ("Too many attempts", "Too many requests in a short time. Wait a minute and retry."),
    503: ("Temporarily unavailable", "A data store is not answering. Nothing was changed."),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def render_error(status: int, detail: str | None = None) -> tuple[Response | str, int]:
    title, message = MESSAGES.get(status, ("Error", "Something went wrong."))
    if _wants_json():
        return jsonify({"error": title, "detail": detail or message}), status
    return render_template(
        "error.html", status=status, title=title, message=detail or message
    ), status


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        if exc.code == 401 and not _wants_json():
            flash("Please sign in to continue.", "info")
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return render_error(exc.code or 500)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):  # type: ignore[no-untyped-def]
        return render_error(
            400,
            "The form had expired or was not sent from this site. "
            "Go back, reload the page and try again. Nothing was saved.",
        )

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound):  # type: ignore[no-untyped-def]
        return render_error(404)

    @app.errorhandler(StoreUnavailable)
    def store_down(exc: StoreUnavailable):  # type: ignore[no-untyped-def]
        db.session.rollback()
        app.logger.error("graph store unavailable: %s", exc)
        return render_error(
            503,
            "The graph store is not answering, so nothing was changed. "
            "Try again in a minute; if it persists, tell your administrator.",
        )

    @app.errorhandler(GraphError)
    def graph_error(exc: GraphError):  # type: ignore[no-untyped-def]
        db.session.rollback()
        app.logger.exception("graph error")
        return render_error(500)
