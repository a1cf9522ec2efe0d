"""Domain operations: validate, check scope, write the graph, then audit. No HTTP here."""

from __future__ import annotations

import datetime as dt
import time
import uuid


class Invalid(Exception):
    """Input that breaks a domain rule; ``errors`` maps a field name to a message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class Stale(Exception):
    """An edit based on an old version; ``current`` is the object as it is now."""

    def __init__(self, current: dict, changed: list[tuple[str, object, object]]):
        super().__init__("this record was changed by someone else since you opened it")
        self.current = current
        self.changed = changed


def now_ms() -> int:
    return int(time.time() * 1000)


def today() -> str:
    return dt.date.today().isoformat()


def new_uid() -> str:
    return str(uuid.uuid4())


def valid_uid(value: str | None) -> str:
    """A client-made uid (from a form's hidden field) or a fresh one if it is not a UUID."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return new_uid()


def check_date(value: str | None, field: str, errors: dict[str, str]) -> str | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        errors[field] = "Use a date written as YYYY-MM-DD."
        return None


def required_date(
    value: str | None, field: str, errors: dict[str, str], missing: str
) -> str | None:
    """``check_date`` for a date the form must give; ``missing`` says so when it is absent."""
    day = check_date(value, field, errors)
    if not day and field not in errors:
        errors[field] = missing
    return day


def check_end(
    value: str | None,
    field: str,
    errors: dict[str, str],
    *,
    started: str | None,
    ended: str | None,
    missing: str,
    what: str,
) -> str | None:
    """The date something stops: given, not after an earlier end, not before it started."""
    day = required_date(value, field, errors, missing)
    if ended is not None:
        errors[field] = f"This {what} already ended on {ended}."
    check_order(started, day, field, errors)
    return day


def check_order(start: str | None, end: str | None, field: str, errors: dict[str, str]) -> None:
    if start and end and end < start:
        errors[field] = f"The end date ({end}) is before the start date ({start})."


def changed_fields(before: dict, after: dict) -> list[tuple[str, object, object]]:
    return [
        (key, before.get(key), after.get(key))
        for key in sorted(set(before) | set(after))
        if key not in {"version", "updated_at"} and before.get(key) != after.get(key)
    ]
