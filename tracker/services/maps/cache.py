"""What is kept between requests: a network's history per data version, with its cuts and
layouts, in the worker's memory (a map request writes nothing, so the cache cannot be a table).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from flask import current_app

from tracker.analysis import layout
from tracker.analysis.history import History
from tracker.analysis.snapshot import Snapshot
from tracker.extensions import graph
from tracker.graph.snapshot import load_history
from tracker.services import dataversion


class _Recent(OrderedDict):
    """A small least-recently-used mapping."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get_or_make(self, key: Any, make: Callable[[], Any]) -> Any:
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = self[key] = make()
        while len(self) > self.size:
            self.popitem(last=False)
        return value


class Memory:
    """One network's history at one data version, with the cuts and layouts made from it.

    Every write to a network bumps its data version (``tracker.services.dataversion``), so
    an entry is either current or never read again: the same rule as the dashboard's cache,
    kept in the worker's memory because a map request must write nothing.
    """

    def __init__(self, history: History) -> None:
        self.history = history
        self.rounds = history.survey_dates("9999-12-31")
        self._lock = threading.Lock()
        self._cuts = _Recent(12)
        self._layouts = _Recent(48)

    def cut(self, at: str, exclude: frozenset[str]) -> Snapshot:
        with self._lock:
            return self._cuts.get_or_make((at, exclude), lambda: self.history.at(at, exclude))

    def layout(self, key: Any, make: Callable[[], layout.Layout]) -> layout.Layout:
        with self._lock:
            return self._layouts.get_or_make(key, make)

    def remember(self, key: Any, make: Callable[[], Any]) -> Any:
        """Anything else computed from this history alone (the signs as they stand)."""
        with self._lock:
            return self._layouts.get_or_make(key, make)


class MapCache:
    """Recent :class:`Memory` entries of one app, keyed by (network, data version)."""

    SIZE = 4

    def __init__(self) -> None:
        self._entries = _Recent(self.SIZE)
        self._lock = threading.Lock()

    def memory(self, network_uid: str) -> Memory:
        version = dataversion.current(network_uid)  # read before the graph: never newer data
        key = (network_uid, version)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        made = Memory(load_history(graph.store, network_uid))
        with self._lock:
            for old in [k for k in self._entries if k[0] == network_uid and k != key]:
                del self._entries[old]  # an older version is never read again
            return self._entries.get_or_make(key, lambda: made)


def _memory(network_uid: str) -> Memory:
    cache = current_app.extensions.setdefault("maps_cache", MapCache())
    return cache.memory(network_uid)
