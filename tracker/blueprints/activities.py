"""Learning forums, meetings, visits, workshops and joint training."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("activities", __name__, url_prefix="/networks/<network_uid>/activities")
