"""Enquiry groups: members, sessions with attendance, outcomes."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("groups", __name__, url_prefix="/networks/<network_uid>/groups")
