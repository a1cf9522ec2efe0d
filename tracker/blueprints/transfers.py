"""Knowledge transfer: practices shared by one school and adopted by another."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("transfers", __name__, url_prefix="/networks/<network_uid>/transfers")
