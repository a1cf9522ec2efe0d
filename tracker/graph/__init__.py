"""The graph layer: the only package that knows Cypher or a database driver."""

from tracker.graph.store import (
    Conflict,
    GraphError,
    GraphStore,
    NotFound,
    Query,
    StoreUnavailable,
)

__all__ = ["Conflict", "GraphError", "GraphStore", "NotFound", "Query", "StoreUnavailable"]
