"""Batched upserts (``UNWIND $rows``): idempotent, keyed by client-made uids."""

from tracker.graph.store import Query

UPSERT_SCHOOLS = Query(
    "bulk.upsert_schools",
    """
    MATCH (n:Network {uid: $network_uid})
    WITH n
    UNWIND $rows AS row
    MERGE (s:School {uid: row.uid})
    ON CREATE SET s.version = 1
    SET s += row.props, s.updated_at = $now
    WITH n, s, row
    MERGE (s)-[m:MEMBER_OF {uid: row.membership_uid}]->(n)
    SET m.from = row.joined, m.to = row.left
    RETURN count(m) AS rows
    """,
    "w",
)

UPSERT_PEOPLE = Query(
    "bulk.upsert_people",
    """
    MATCH (n:Network {uid: $network_uid})
    WITH n
    UNWIND $rows AS row
    MERGE (p:Person {uid: row.uid})
    ON CREATE SET p.version = 1
    SET p += row.props, p.network_uid = $network_uid, p.updated_at = $now
    MERGE (p)-[:IN_NETWORK]->(n)
    RETURN count(p) AS rows
    """,
    "w",
)

UPSERT_WORK = Query(
    "bulk.upsert_work",
    """
    UNWIND $rows AS row
    MATCH (p:Person {uid: row.person_uid}), (s:School {uid: row.school_uid})
    MERGE (p)-[w:WORKS_AT {uid: row.uid}]->(s)
    SET w.from = row.from, w.to = row.to
    RETURN count(w) AS rows
    """,
    "w",
)
