"""A map request's filters: checked against the vocabularies, then applied to a snapshot.

``read_filters`` needs no data; the checks that need the network's data (schools, rounds,
topics) are made in ``page``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from werkzeug.datastructures import MultiDict

from tracker.analysis import graphs
from tracker.analysis.snapshot import Snapshot
from tracker.services import today, vocab
from tracker.services.terms import Term

VIEWS = (
    ("network", "Network"),
    ("schools", "Schools"),
    ("ego", "Our school's reach"),
    ("sociogram", "School sociogram"),
    ("change", "Change between two dates"),
    ("whatif", "What if someone leaves"),
)
KINDS = (
    ("advice", "Advice (questionnaire)"),
    ("coaching", "Co-coaching"),
    ("group", "Shared enquiry group"),
    ("role", "Role designated by"),
    ("training", "Trained by"),
)
_FREQUENCY_RANK = {name: rank for rank, name in enumerate(graphs.FREQUENCIES)}


@dataclass(frozen=True)
class Filters:
    """A map request's parameters, checked; ``as_json`` gives the URL's names back."""

    view: str = "network"
    at: str = ""
    kinds: tuple[str, ...] = tuple(k for k, _ in KINDS)
    topic: str | None = None
    min_frequency: str | None = None
    min_influence: int | None = None
    layers: tuple[str, ...] = ()
    school: str | None = None
    person: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    round: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "view": self.view,
            "at": self.at,
            "kinds": list(self.kinds),
            "topic": self.topic,
            "min_frequency": self.min_frequency,
            "min_influence": self.min_influence,
            "layer": list(self.layers),
            "school": self.school,
            "person": self.person,
            "from": self.date_from,
            "to": self.date_to,
            "round": self.round,
        }

    @property
    def with_advice(self) -> bool:
        return "advice" in self.kinds


_TERM_KEY = re.compile(r"^(\d{4})-(autumn|spring|summer)$")


def _date(value: str | None, name: str, errors: dict[str, str], terms: bool = False) -> str | None:
    """A ``YYYY-MM-DD`` date; with ``terms``, a term key such as ``2025-summer`` stands for
    the term's last day (the change view compares terms)."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    key = _TERM_KEY.match(text) if terms else None
    if key:
        season = ("spring", "summer", "autumn").index(key.group(2))
        return Term(int(key.group(1)), season).end
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        example = " or a term such as 2025-summer" if terms else ""
        errors[name] = f"Give the date as YYYY-MM-DD{example}, for example 2025-07-31."
        return None


def _choice(value: str | None, allowed: Iterable[str], name: str, errors: dict[str, str]) -> Any:
    if value in (None, ""):
        return None
    allowed = list(allowed)
    if value not in allowed:
        errors[name] = "Choose one of: " + ", ".join(allowed) + "."
        return None
    return value


def _many(values: list[str], allowed: Iterable[str], name: str, errors: dict[str, str]) -> tuple:
    allowed = list(allowed)
    chosen = [v for v in values if v != ""]
    wrong = [v for v in chosen if v not in allowed]
    if wrong:
        errors[name] = "Choose from: " + ", ".join(allowed) + "."
        return ()
    return tuple(v for v in allowed if v in chosen)  # the vocabulary's order, no repeats


def read_filters(args: MultiDict) -> tuple[Filters, dict[str, str]]:
    """The checks that need no data: vocabularies, dates, numbers. Unknown names are ignored."""
    errors: dict[str, str] = {}
    view = _choice(args.get("view"), (v for v, _ in VIEWS), "view", errors) or "network"
    at = _date(args.get("at"), "at", errors) or today()
    kinds = _many(args.getlist("kinds"), (k for k, _ in KINDS), "kinds", errors)
    influence = args.get("min_influence", "")
    min_influence = None
    if influence != "":
        try:
            min_influence = int(influence)
        except ValueError:
            min_influence = 0
        if not 1 <= min_influence <= 5:
            errors["min_influence"] = "Give a whole number from 1 to 5."
            min_influence = None
    date_from = _date(args.get("from"), "from", errors, terms=True)
    date_to = _date(args.get("to"), "to", errors, terms=True)
    if date_from and date_to and date_from >= date_to:
        errors["to"] = f"Give a date after the first date ({date_from})."
    filters = Filters(
        view=view,
        at=at,
        kinds=kinds or Filters.kinds,
        topic=(args.get("topic") or "").strip() or None,
        min_frequency=_choice(
            args.get("min_frequency"), graphs.FREQUENCIES, "min_frequency", errors
        ),
        min_influence=min_influence,
        layers=_many(args.getlist("layer"), vocab.LAYERS, "layer", errors),
        school=(args.get("school") or "").strip() or None,
        person=(args.get("person") or "").strip() or None,
        date_from=date_from,
        date_to=date_to,
        round=(args.get("round") or "").strip() or None,
    )
    return filters, errors


def _advice_rows(s: Snapshot, f: Filters) -> tuple:
    rank = _FREQUENCY_RANK.get(f.min_frequency or "", -1)
    return tuple(
        t
        for t in s.advice
        if (f.topic is None or t.topic == f.topic)
        and (rank < 0 or _FREQUENCY_RANK.get(t.frequency or "", -1) >= rank)
        and (f.min_influence is None or (t.influence or 0) >= f.min_influence)
    )


def filtered(s: Snapshot, f: Filters) -> Snapshot:
    """The snapshot with the layer filter on people and the advice filters on advice rows."""
    people = s.people if not f.layers else tuple(p for p in s.people if p.layer in f.layers)
    return replace(s, people=people, advice=_advice_rows(s, f), extra={})
