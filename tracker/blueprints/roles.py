"""Cross-school roles held for a period."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("roles", __name__, url_prefix="/networks/<network_uid>/roles")
