"""Runs the app under gunicorn from ``tracker run``."""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication


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
            "graceful_timeout": 10,
            "timeout": 60,
        },
    ).run()
