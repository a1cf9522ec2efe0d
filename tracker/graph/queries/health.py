"""Queries used to check that the store answers."""

from tracker.graph.store import Query

PING = Query("health.ping", "RETURN 1 AS ok")

COUNT_NODES = Query(
    "health.count_nodes",
    "MATCH (n) RETURN count(n) AS nodes",
)

COUNT_RELATIONSHIPS = Query(
    "health.count_relationships",
    "MATCH ()-[r]->() RETURN count(r) AS relationships",
)
