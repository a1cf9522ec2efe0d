"""Networks: the top of every scope."""

from tracker.graph.store import Query

NETWORK_FIELDS = "{.uid, .name, .kind, .started, .priorities, .version, .created_at, .updated_at}"

CREATE = Query(
    "network.create",
    f"""
    MERGE (n:Network {{uid: $uid}})
    ON CREATE SET n += $props, n.version = 1, n.created_at = $now, n.updated_at = $now
    RETURN n {NETWORK_FIELDS} AS network
    """,
    "w",
)

UPDATE = Query(
    "network.update",
    f"""
    MATCH (n:Network {{uid: $uid}})
    WHERE n.version = $version
    SET n += $props, n.version = n.version + 1, n.updated_at = $now
    RETURN n {NETWORK_FIELDS} AS network
    """,
    "w",
)

GET = Query(
    "network.get",
    f"MATCH (n:Network {{uid: $uid}}) RETURN n {NETWORK_FIELDS} AS network",
)

FIND_BY_NAME = Query(
    "network.find_by_name",
    f"MATCH (n:Network) WHERE toLower(n.name) = toLower($name) "
    f"RETURN n {NETWORK_FIELDS} AS network",
)

LIST = Query(
    "network.list",
    f"""
    MATCH (n:Network)
    WHERE $all OR n.uid IN $uids
    OPTIONAL MATCH (s:School)-[m:MEMBER_OF]->(n)
    WHERE m.to IS NULL OR m.to > $today
    WITH n, count(DISTINCT s) AS schools
    OPTIONAL MATCH (p:Person)-[w:WORKS_AT]->(:School)
    WHERE p.network_uid = n.uid AND (w.to IS NULL OR w.to > $today)
    WITH n, schools, count(DISTINCT p) AS people
    RETURN n {NETWORK_FIELDS} AS network, schools, people, n.name AS name
    ORDER BY name
    """,
)

SCHOOLS_OF_ALL = Query(
    "network.schools_of_all",
    """
    MATCH (s:School)-[m:MEMBER_OF]->(n:Network)
    RETURN n.uid AS network_uid, n.name AS network_name, s.uid AS school_uid,
           s.name AS school_name
    ORDER BY network_name, school_name
    """,
)
