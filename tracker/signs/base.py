"""What every warning sign is made of: a finding, its threshold metadata and the sign protocol.

A sign is a module with ``ID``, ``TITLE``, ``SOURCE``, ``THRESHOLDS`` and ``evaluate``; this
module holds the shared shapes so each sign file stays small and the registry can validate a
coordinator's settings without knowing any sign's internals.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from tracker.analysis.snapshot import Snapshot

SEVERITIES = ("info", "warning", "concern")
Severity = Literal["info", "warning", "concern"]
Kind = Literal["int", "float", "bool"]


@dataclass(frozen=True)
class Finding:
    """One sign that holds (or cannot be judged) as at a date, with the evidence behind it.

    ``evidence`` is JSON-ready: people appear only as ``{"uid", "name", "school"}`` and schools
    as ``{"uid", "name"}``, so the service layer can pseudonymise names by uid; no other field
    ever carries a person's name.
    """

    id: str
    severity: Severity
    title: str
    explanation: str
    source: str
    evidence: dict[str, Any] = field(default_factory=dict)
    suggestion: str = ""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}")

    @property
    def insufficient(self) -> bool:
        """True when the sign could not be judged for lack of data (not a sign that holds)."""
        return "insufficient_data" in self.evidence

    def as_json(self) -> dict[str, Any]:
        """The ``interfaces.md`` shape of one entry of ``"signs"``."""
        return {
            "id": self.id,
            "severity": self.severity,
            "title": self.title,
            "explanation": self.explanation,
            "source": self.source,
            "evidence": copy.deepcopy(self.evidence),
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class Threshold:
    """A number in a sign's rule that a coordinator may change for their network."""

    name: str
    default: float | int | bool
    kind: Kind = "float"
    min: float | None = None
    max: float | None = None
    label: str = ""
    help: str = ""

    def parse(self, raw: Any) -> float | int | bool:
        """``raw`` (a number, bool or form text) as this threshold's kind; ValueError if bad."""
        if self.kind == "bool":
            return _parse_bool(raw)
        if isinstance(raw, bool):
            raise ValueError("must be a number")
        if isinstance(raw, str):
            raw = raw.strip()
            if not raw:
                raise ValueError("is required")
        try:
            number = float(raw)
        except (TypeError, ValueError):
            raise ValueError("must be a number") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError("must be a finite number")
        if self.kind == "int":
            if not number.is_integer():
                raise ValueError("must be a whole number")
            value: float | int = int(number)
        else:
            value = number
        if self.min is not None and value < self.min:
            raise ValueError(f"must be at least {_show(self.min)}")
        if self.max is not None and value > self.max:
            raise ValueError(f"must be at most {_show(self.max)}")
        return value


_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def _parse_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("must be yes or no")


def _show(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


class Sign(Protocol):
    """The module-level interface every ``tracker/signs/<id>.py`` provides."""

    ID: str
    TITLE: str
    SOURCE: str
    THRESHOLDS: tuple[Threshold, ...]

    def evaluate(self, s: Snapshot, t: Mapping[str, Any]) -> Finding | None:
        """The finding when the sign holds or cannot be judged; None when it does not hold."""
        ...
