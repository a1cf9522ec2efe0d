"""Network packages: upload with preview, import progress, export."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("packages", __name__, url_prefix="/networks/<network_uid>/package")
