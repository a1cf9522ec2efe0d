"""WTForms classes. Services re-check every rule, since the CLI and imports bypass forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_wtf import FlaskForm

from tracker.services import Invalid


def attach_errors(form: FlaskForm, error: Invalid) -> None:
    """Show a service's refusal next to the fields it names (or at the top if none)."""
    for field, message in error.errors.items():
        target = getattr(form, field, None)
        if target is not None and hasattr(target, "errors"):
            target.errors = [*list(target.errors or []), message]
        else:
            form.form_errors.append(message)


def with_dates(data: dict[str, Any], *fields: str) -> dict[str, Any]:
    """A copy of ``data`` with ISO date strings turned into dates for DateFields."""
    out = dict(data)
    for field in fields:
        if out.get(field):
            out[field] = dt.date.fromisoformat(out[field])
    return out


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
