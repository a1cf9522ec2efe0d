"""Settings from the environment and the instance folder."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

DEFAULT_INSTANCE = Path(__file__).resolve().parent.parent / "instance"


def instance_path() -> Path:
    """The instance folder: ``TRACKER_INSTANCE`` or ``instance/`` beside the package."""
    return Path(os.environ.get("TRACKER_INSTANCE", DEFAULT_INSTANCE)).resolve()


def _secret_key(folder: Path) -> str:
    """Generated once into ``instance/secret_key`` (mode 600) unless SECRET_KEY is set."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def from_environment(folder: Path | None = None) -> dict[str, Any]:
    """Build the configuration mapping that ``create_app`` applies."""
    folder = folder or instance_path()
    production = os.environ.get("TRACKER_ENV", "development") == "production"
    return {
        "INSTANCE_PATH": str(folder),
        "SECRET_KEY": _secret_key(folder),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{folder / 'tracker.db'}"
        ),
        "TRACKER_GRAPH_URL": os.environ.get("TRACKER_GRAPH_URL", "embedded"),
        "TRACKER_GRAPH_NAME": os.environ.get("TRACKER_GRAPH_NAME", "tracker"),
        "TRACKER_EMBEDDED_DIR": os.environ.get("TRACKER_EMBEDDED_DIR", str(folder / "graph")),
        "NEO4J_USER": os.environ.get("NEO4J_USER", "neo4j"),
        "NEO4J_PASSWORD": os.environ.get("NEO4J_PASSWORD", ""),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "TRACKER_PROXIES": int(os.environ.get("TRACKER_PROXIES", "0")),
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        # Questionnaire links by email; without MAIL_SERVER and MAIL_FROM the app says so.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "1").lower() in {"1", "true", "yes"},
        "MAIL_FROM": os.environ.get("MAIL_FROM", ""),
    }


DEFAULTS: dict[str, Any] = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_DURATION": 0,
    "PERMANENT_SESSION_LIFETIME": 60 * 60 * 8,
    "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,
    "WTF_CSRF_TIME_LIMIT": 60 * 60 * 8,
    "RATELIMIT_HEADERS_ENABLED": True,
    "LOGIN_RATE_LIMIT": "10 per minute",
    # Questionnaire link pages, per address: generous (a whole school may share one address),
    # and a tight limit counted only on links that are refused (guessing).
    "SURVEY_RATE_LIMIT": "300 per minute",
    "SURVEY_REFUSED_RATE_LIMIT": "10 per minute",
}
