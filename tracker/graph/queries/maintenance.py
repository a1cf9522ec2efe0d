"""Whole-graph reads used by backups and by tests that prove nothing changed."""

from tracker.graph.store import Query

DUMP_NODES = Query(
    "maintenance.dump_nodes",
    "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props",
)

DUMP_RELATIONSHIPS = Query(
    "maintenance.dump_relationships",
    """
    MATCH (a)-[r]->(b)
    RETURN a.uid AS source, type(r) AS type, properties(r) AS props, b.uid AS target
    """,
)
