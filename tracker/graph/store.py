"""The GraphStore protocol, named queries and the domain errors every backend raises."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

from tracker.graph.schema import Schema


class GraphError(Exception):
    """Base class for errors raised by the graph layer."""


class NotFound(GraphError):
    """The object asked for does not exist (or is outside the caller's scope)."""


class Conflict(GraphError):
    """A write collided with the current state: a uniqueness rule or a stale version."""


class StoreUnavailable(GraphError):
    """The graph store cannot be reached or could not be started."""


class QueryRefused(GraphError):
    """The store refused a query (e.g. a write sent down the read-only path)."""


_REGISTRY: dict[str, Query] = {}


@dataclass(frozen=True)
class Query:
    """A named Cypher statement. Only registered queries can be run by a store.

    ``mode`` is ``"r"`` for reads (sent down each backend's read-only path) and ``"w"`` for
    writes. The text must follow ``docs/cypher-portability.md``: parameters for every value.
    """

    name: str
    text: str
    mode: Literal["r", "w"] = "r"

    def __post_init__(self) -> None:
        if self.mode not in ("r", "w"):
            raise ValueError(f"query {self.name}: mode must be 'r' or 'w'")
        if ";" in self.text.strip().rstrip(";"):
            raise ValueError(f"query {self.name}: one statement per query")
        existing = _REGISTRY.get(self.name)
        if existing is not None and existing.text != self.text:
            raise ValueError(f"query name {self.name!r} registered twice with different text")
        _REGISTRY[self.name] = self


def registered_queries() -> dict[str, Query]:
    """Every named query defined so far (import ``tracker.graph.queries`` to load them all)."""
    return dict(_REGISTRY)


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


class _Unportable(Exception):
    """Raised by the fast check; the slow one then finds the value again and names it."""


def _portable(value: Any) -> Any:
    """``value`` itself when it is portable as it is, a copy with tuples as lists, or raise.

    Exact-type tests and no path strings: imports pass hundreds of thousands of values per
    batch. Anything unusual (subclasses, other mappings) goes to the slow check.
    """
    kind = type(value)
    if kind is str or value is None or kind is bool:
        return value
    if kind is int:
        if INT64_MIN <= value <= INT64_MAX:
            return value
        raise _Unportable
    if kind is float:
        if value - value == 0.0:  # false for nan and both infinities
            return value
        raise _Unportable
    if kind is list:
        out = value
        for i, item in enumerate(value):
            if type(item) is str or item is None:
                continue
            checked = _portable(item)
            if checked is not item:
                if out is value:
                    out = list(value)
                out[i] = checked
        return out
    if kind is dict:
        out = value
        for key, item in value.items():
            if type(key) is not str:
                raise _Unportable
            if type(item) is str or item is None:
                continue
            checked = _portable(item)
            if checked is not item:
                if out is value:
                    out = dict(value)
                out[key] = checked
        return out
    if kind is tuple:
        return [_portable(item) for item in value]
    raise _Unportable


def check_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Reject parameter values that the two backends would not treat identically.

    Values that are already plain (``dict``, ``list``, ``str``, in-range ``int``, finite
    ``float``, ``bool``, ``None``) are returned as they are, not copied; tuples become lists
    and other mappings plain dicts. The path to a bad value is only worked out when raising.
    """
    try:
        return {key: _portable(value) for key, value in params.items()}
    except _Unportable:
        return _check_slowly(params)


def _check_slowly(params: Mapping[str, Any]) -> dict[str, Any]:
    """The same rules, one value at a time with its path: names the value that fails."""

    def check(value: Any, path: str) -> Any:
        if value is None or isinstance(value, bool | str):
            return value
        if isinstance(value, int):
            if not INT64_MIN <= value <= INT64_MAX:
                raise TypeError(f"parameter {path}: integer outside int64")
            return value
        if isinstance(value, float):
            if not math.isfinite(value):
                raise TypeError(f"parameter {path}: float must be finite")
            return value
        if isinstance(value, list | tuple):
            return [check(v, f"{path}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, Mapping):
            out = {}
            for k, v in value.items():
                if not isinstance(k, str):
                    raise TypeError(f"parameter {path}: map keys must be strings")
                out[k] = check(v, f"{path}.{k}")
            return out
        raise TypeError(f"parameter {path}: unsupported type {type(value).__name__}")

    return {k: check(v, k) for k, v in params.items()}


@runtime_checkable
class GraphStore(Protocol):
    """What the rest of the application may ask of a graph database."""

    backend: str
    queries: Counter[str]  # how many times each named query has run (for N+1 checks)

    def run(self, query: Query, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a named query and return its rows as plain dicts keyed by column name."""
        ...

    def run_many(self, query: Query, batches: Iterable[Mapping[str, Any]]) -> int:
        """Run one write query once per parameter batch; return the number of batches run."""
        ...

    def ping(self) -> bool:
        """True when the store answers."""
        ...

    def ensure_schema(self, schema: Schema) -> None:
        """Create the indexes and uniqueness rules in ``schema``; safe to repeat."""
        ...

    def drop_graph(self) -> None:
        """Delete every node and relationship of this store's graph (tests, restore)."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...
