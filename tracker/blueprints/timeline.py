"""The network's life by term."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("timeline", __name__, url_prefix="/networks/<network_uid>/timeline")
