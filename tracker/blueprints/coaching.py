"""Co-coaching pairs, their sessions, and who trained whom (the cascade)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("coaching", __name__, url_prefix="/networks/<network_uid>/coaching")
