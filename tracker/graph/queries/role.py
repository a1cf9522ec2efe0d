"""Cross-school roles held for a period (see docs/data-model.md).

``(:Role {uid, network_uid, key, title, from, to, designated_by, origin, origin_note, version})``
held by one person: ``(:Person)-[:HOLDS]->(:Role)``; ``designated_by`` is a person uid or null.
"""

from tracker.graph.store import Query

ROLE_FIELDS = (
    "{.uid, .network_uid, .key, .title, .from, .to, .designated_by, .origin, .origin_note,"
    " .version, .updated_at}"
)

OWNER = Query(
    "role.owner",
    "MATCH (r:Role {uid: $uid}) RETURN r.network_uid AS network_uid",
)

CREATE = Query(
    "role.create",
    f"""
    MATCH (p:Person {{uid: $person_uid}})
    WHERE p.network_uid = $network_uid
    MERGE (r:Role {{uid: $uid}})
    ON CREATE SET r += $props, r.network_uid = $network_uid, r.key = $uid, r.version = 1,
                  r.updated_at = $now
    MERGE (p)-[h:HOLDS]->(r)
    RETURN r {ROLE_FIELDS} AS role, p.uid AS person_uid
    """,
    "w",
)

# One statement: the edit, and the move of the role to another holder if the form names one.
UPDATE = Query(
    "role.update",
    f"""
    MATCH (r:Role {{uid: $uid}})
    WHERE r.network_uid = $network_uid AND r.version = $version
    MATCH (p:Person {{uid: $person_uid}})
    WHERE p.network_uid = $network_uid
    SET r += $props, r.version = r.version + 1, r.updated_at = $now
    WITH r, p
    OPTIONAL MATCH (old:Person)-[h:HOLDS]->(r)
    WHERE old.uid <> p.uid
    DELETE h
    WITH DISTINCT r, p
    MERGE (p)-[k:HOLDS]->(r)
    RETURN r {ROLE_FIELDS} AS role, p.uid AS person_uid
    """,
    "w",
)

_HOLDER = f"""
    OPTIONAL MATCH (p:Person)-[h:HOLDS]->(r)
    WITH r, collect(p.uid) AS holders
    RETURN r {ROLE_FIELDS} AS role, holders, r.from AS started, r.title AS title
"""

GET = Query(
    "role.get",
    f"""
    MATCH (r:Role {{uid: $uid}})
    WHERE r.network_uid = $network_uid
    {_HOLDER}
    """,
)

LIST_IN_NETWORK = Query(
    "role.list_in_network",
    f"""
    MATCH (r:Role)
    WHERE r.network_uid = $network_uid
    {_HOLDER}
    ORDER BY started DESC, title
    """,
)

FOR_PERSON = Query(
    "role.for_person",
    f"""
    MATCH (p:Person {{uid: $person_uid}})-[h:HOLDS]->(r:Role)
    WHERE p.network_uid = $network_uid AND r.network_uid = $network_uid
    RETURN r {ROLE_FIELDS} AS role, r.from AS started, r.title AS title
    ORDER BY started DESC, title
    """,
)

PERSON_IN_NETWORK = Query(
    "role.person_in_network",
    """
    MATCH (p:Person {uid: $uid})
    WHERE p.network_uid = $network_uid
    RETURN p.uid AS uid
    """,
)

DELETE = Query(
    "role.delete",
    """
    MATCH (r:Role {uid: $uid})
    WHERE r.network_uid = $network_uid
    DETACH DELETE r
    RETURN count(r) AS deleted
    """,
    "w",
)
