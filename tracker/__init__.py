"""The Learning Network Tracker web application."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, abort, request

from tracker import config as settings
from tracker.extensions import csrf, db, graph, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. Registers things only: never migrates, connects or starts servers."""
    config = dict(config or {})
    folder = Path(config.get("INSTANCE_PATH") or settings.instance_path())
    app = Flask(
        __name__,
        instance_path=str(folder),
        instance_relative_config=False,
        template_folder=str(ROOT / "templates"),
    )
    app.config.update(settings.DEFAULTS)
    app.config.update(settings.from_environment(folder))
    app.config.update(config)
    if app.config.get("TRACKER_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        proxies = int(app.config["TRACKER_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    graph.init_app(app)
    login_manager.init_app(app)
    _configure_login()

    from tracker import errors, security_headers
    from tracker.blueprints import (
        activities,
        admin,
        api,
        auth,
        coaching,
        dashboard,
        funding,
        groups,
        main,
        maps,
        networks,
        packages,
        people,
        roles,
        schools,
        survey,
        surveys,
        timeline,
        transfers,
    )

    for module in (
        main,
        auth,
        networks,
        dashboard,
        maps,
        schools,
        people,
        groups,
        coaching,
        roles,
        activities,
        transfers,
        funding,
        timeline,
        packages,
        surveys,
        survey,
        admin,
        api,
    ):
        app.register_blueprint(module.bp)
    # Sections of a network shown in its navigation, once their pages exist.
    app.config["NETWORK_NAV"] = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.endswith(".index")
    } | {"networks.show"}
    errors.register(app)
    security_headers.register(app)
    app.before_request(_deny_undeclared)

    from tracker.cli import register_commands

    register_commands(app)
    return app


def _configure_login() -> None:
    from tracker.services.tokens import load_from_request
    from tracker.services.users import load_from_session_id

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_from_session_id)
    login_manager.request_loader(load_from_request)


def _deny_undeclared() -> None:
    """Deny by default: a view that declares no access rule is never served."""
    from flask import current_app

    endpoint = request.endpoint
    if endpoint is None or endpoint == "static":
        return
    view = current_app.view_functions.get(endpoint)
    if getattr(view, "access_rule", None) is None:
        abort(403)
