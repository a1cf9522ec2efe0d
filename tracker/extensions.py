"""Extensions created once per process and attached to the app with ``init_app``."""

from __future__ import annotations

import threading

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

from tracker.graph.connect import open_store
from tracker.graph.store import GraphStore, StoreUnavailable


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


class Graph:
    """One graph store per app per process, opened lazily on first use.

    Opening is lazy so that ``create_app`` never starts servers; the first request (or
    ``tracker run``/``init``) starts the embedded server if that is the configured store.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def init_app(self, app: Flask) -> None:
        app.extensions["tracker_graph"] = {"store": None}

    def store_for(self, app: Flask) -> GraphStore:
        holder = app.extensions["tracker_graph"]
        if holder["store"] is None:
            with self._lock:
                if holder["store"] is None:
                    try:
                        holder["store"] = open_store(app.config)
                    except OSError as exc:
                        raise StoreUnavailable(f"graph store could not be opened: {exc}") from exc
        return holder["store"]

    @property
    def store(self) -> GraphStore:
        return self.store_for(current_app._get_current_object())  # type: ignore[attr-defined]

    def close(self, app: Flask) -> None:
        holder = app.extensions.get("tracker_graph", {})
        if holder.get("store") is not None:
            holder["store"].close()
            holder["store"] = None


graph = Graph()
