"""Funding periods of a network."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("funding", __name__, url_prefix="/networks/<network_uid>/funding")
