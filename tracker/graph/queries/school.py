"""Schools and their membership of networks (``MEMBER_OF {uid, from, to}``)."""

from tracker.graph.store import Query

SCHOOL_FIELDS = (
    "{.uid, .name, .urn, .phase, .local_authority, .size, .lat, .lon, .version, .updated_at}"
)

FIND_BY_URN = Query(
    "school.find_by_urn",
    f"""
    MATCH (s:School {{urn: $urn}})
    OPTIONAL MATCH (s)-[m:MEMBER_OF]->(n:Network {{uid: $network_uid}})
    WITH s, collect(m.uid) AS memberships
    RETURN s {SCHOOL_FIELDS} AS school, memberships
    """,
)

CREATE_IN_NETWORK = Query(
    "school.create_in_network",
    f"""
    MATCH (n:Network {{uid: $network_uid}})
    MERGE (s:School {{uid: $uid}})
    ON CREATE SET s += $props, s.version = 1, s.updated_at = $now
    MERGE (s)-[m:MEMBER_OF {{uid: $membership_uid}}]->(n)
    ON CREATE SET m.from = $joined, m.to = $left, m.key = s.uid
    RETURN s {SCHOOL_FIELDS} AS school, m {{.uid, .from, .to}} AS membership
    """,
    "w",
)

UPDATE = Query(
    "school.update",
    f"""
    MATCH (s:School {{uid: $uid}})
    WHERE s.version = $version
    SET s += $props, s.version = s.version + 1, s.updated_at = $now
    RETURN s {SCHOOL_FIELDS} AS school
    """,
    "w",
)

GET_IN_NETWORK = Query(
    "school.get_in_network",
    f"""
    MATCH (s:School {{uid: $uid}})-[m:MEMBER_OF]->(n:Network {{uid: $network_uid}})
    WITH s, m ORDER BY m.from
    WITH s, collect(m {{.uid, .from, .to}}) AS memberships
    RETURN s {SCHOOL_FIELDS} AS school, memberships
    """,
)

LIST_IN_NETWORK = Query(
    "school.list_in_network",
    f"""
    MATCH (s:School)-[m:MEMBER_OF]->(n:Network {{uid: $network_uid}})
    WITH s, m,
         size([(p:Person)-[w:WORKS_AT]->(s)
               WHERE p.network_uid = $network_uid AND (w.to IS NULL OR w.to > $today) | w])
             AS staff
    RETURN s {SCHOOL_FIELDS} AS school, m {{.uid, .from, .to}} AS membership, staff,
           s.name AS name
    ORDER BY name
    """,
)

END_MEMBERSHIP = Query(
    "school.end_membership",
    """
    MATCH (s:School {uid: $uid})-[m:MEMBER_OF]->(n:Network {uid: $network_uid})
    WHERE m.uid = $membership_uid AND m.to IS NULL
    SET m.to = $left
    RETURN m {.uid, .from, .to} AS membership
    """,
    "w",
)

REJOIN = Query(
    "school.rejoin",
    """
    MATCH (s:School {uid: $uid}), (n:Network {uid: $network_uid})
    MERGE (s)-[m:MEMBER_OF {uid: $membership_uid}]->(n)
    ON CREATE SET m.from = $joined, m.to = null
    RETURN m {.uid, .from, .to} AS membership
    """,
    "w",
)

EXISTS = Query(
    "school.exists",
    "MATCH (s:School {uid: $uid}) RETURN s.urn AS urn",
)
