"""The fifteen warning signs of an "empty" network (Harris), one module each, and the registry.

``evaluate_all(snapshot, thresholds)`` runs every sign and returns the findings in the order
of ``SIGNS`` (the order of ``interfaces.md``): a sign that holds is listed, one that does not
is absent, one that cannot be judged is listed as ``info`` with ``insufficient_data``.
Each finding is a prompt for inquiry with its evidence, never a ranking of schools or people.

A sign that raises an exception is a bug. It must not hide the other signs from a
coordinator, so at run time it is logged and reported as an ``info`` finding with
``{"error": "..."}`` evidence; it is also raised as a :class:`SignFailedWarning`, which the
test suite (``filterwarnings = error``) turns into a failing test, so bugs cannot hide there.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from tracker.analysis.snapshot import Snapshot
from tracker.signs import (
    contrived,
    cosy,
    designated_not_recognised,
    distance_barrier,
    dominance,
    fragile_broker,
    head_dependence,
    inertia,
    layer_dislocation,
    low_connectedness,
    low_trust,
    no_knowledge_transfer,
    overload,
    recognised_not_designated,
    weak_consistency,
)
from tracker.signs.base import SEVERITIES, Finding, Sign, Threshold

__all__ = [
    "DEFAULT_THRESHOLDS",
    "SEVERITIES",
    "SIGNS",
    "Finding",
    "Sign",
    "SignFailedWarning",
    "Threshold",
    "ThresholdError",
    "evaluate_all",
    "sign",
    "validate_thresholds",
]

log = logging.getLogger(__name__)

SIGNS: tuple[ModuleType, ...] = (
    low_connectedness,
    no_knowledge_transfer,
    contrived,
    cosy,
    inertia,
    dominance,
    head_dependence,
    fragile_broker,
    designated_not_recognised,
    recognised_not_designated,
    layer_dislocation,
    low_trust,
    weak_consistency,
    overload,
    distance_barrier,
)
_BY_ID = {module.ID: module for module in SIGNS}

DEFAULT_THRESHOLDS: dict[str, dict[str, Any]] = {
    module.ID: {t.name: t.default for t in module.THRESHOLDS} for module in SIGNS
}


class SignFailedWarning(RuntimeWarning):
    """A sign raised an exception and was reported as an error finding instead."""


class ThresholdError(ValueError):
    """Bad threshold settings; ``errors`` maps ``"sign_id.name"`` to a message per field."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))


def sign(sign_id: str) -> ModuleType:
    """The sign module with this id (KeyError for an unknown id)."""
    return _BY_ID[sign_id]


def validate_thresholds(raw: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """A coordinator's settings checked and typed, every sign's defaults filled in.

    ``raw`` is nested (``{"cosy": {"top_share": "0.7"}}``) or flat with dotted keys
    (``{"cosy.top_share": "0.7"}``, as a settings form posts them); values may be numbers,
    bools or form text. Raises :class:`ThresholdError` (a ValueError) naming every bad
    field; nothing is partly applied.
    """
    errors: dict[str, str] = {}
    result = {sign_id: dict(values) for sign_id, values in DEFAULT_THRESHOLDS.items()}
    for sign_id, name, value in _entries(raw, errors):
        module = _BY_ID.get(sign_id)
        field = f"{sign_id}.{name}"
        if module is None:
            errors[field] = "unknown warning sign"
            continue
        spec = next((t for t in module.THRESHOLDS if t.name == name), None)
        if spec is None:
            errors[field] = "unknown threshold"
            continue
        try:
            result[sign_id][name] = spec.parse(value)
        except ValueError as exc:
            errors[field] = f"{spec.label or name} {exc}"
    if errors:
        raise ThresholdError(errors)
    return result


def _entries(raw: Mapping[str, Any], errors: dict[str, str]) -> list[tuple[str, str, Any]]:
    entries = []
    for key, value in raw.items():
        if isinstance(value, Mapping):
            entries += [(str(key), str(name), v) for name, v in value.items()]
        elif isinstance(key, str) and "." in key:
            sign_id, name = key.split(".", 1)
            entries.append((sign_id, name, value))
        else:
            errors[str(key)] = "expected a sign id with its thresholds, or sign_id.name"
    return entries


def evaluate_all(
    s: Snapshot, thresholds: Mapping[str, Mapping[str, Any]] | None = None
) -> list[Finding]:
    """Every sign's finding as at ``s.at``, in ``SIGNS`` order.

    ``thresholds`` may give some values per sign id (already validated, e.g. from
    :func:`validate_thresholds`); the rest are the defaults.
    """
    findings = []
    for module in SIGNS:
        values = {**DEFAULT_THRESHOLDS[module.ID], **dict((thresholds or {}).get(module.ID, {}))}
        try:
            finding = module.evaluate(s, values)
        except Exception as exc:
            log.exception("warning sign %s failed on network %s", module.ID, s.network_uid)
            warnings.warn(
                f"warning sign {module.ID} failed: {exc!r}", SignFailedWarning, stacklevel=2
            )
            finding = _error_finding(module, exc)
        if finding is not None:
            findings.append(finding)
    return findings


def _error_finding(module: ModuleType, exc: Exception) -> Finding:
    return Finding(
        id=module.ID,
        severity="info",
        title=module.TITLE,
        explanation="This sign could not be computed because of an error in the tracker; "
        "the other signs are unaffected. The error has been logged.",
        source=module.SOURCE,
        # Only the exception's type: its message could quote data (even a name); the log has it.
        evidence={"error": type(exc).__name__},
        suggestion="Report this to the people who run the tracker.",
    )
