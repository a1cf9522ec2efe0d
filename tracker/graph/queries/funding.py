"""Named Cypher for funding (see docs/data-model.md)."""

from tracker.graph.store import Query  # noqa: F401
