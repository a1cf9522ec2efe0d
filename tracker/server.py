"""Runs the app under gunicorn from ``tracker run``."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

# A questionnaire link is a credential: it must not end up in access logs.
_TOKEN_PATH = re.compile(r"(/s/)[^/?\s]+")


def redact(text: str) -> str:
    """``text`` with any respondent token in a ``/s/<token>`` path replaced by ``…``."""
    return _TOKEN_PATH.sub(r"\1…", text)


class RedactingLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger, with respondents' tokens removed from the access log lines."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        values = super().atoms(resp, req, environ, request_time)
        # Every text atom: the request line, the path, the referrer, raw environ values.
        return {k: redact(v) if isinstance(v, str) else v for k, v in values.items()}


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, app: Flask, options: dict[str, Any]):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def serve(app: Flask, *, host: str, port: int, workers: int) -> None:
    _Gunicorn(
        app,
        {
            "bind": f"{host}:{port}",
            "workers": max(1, workers),
            "threads": 4,
            "worker_class": "gthread",
            "accesslog": "-",
            "logger_class": RedactingLogger,
            "graceful_timeout": 10,
            "timeout": 60,
        },
    ).run()
