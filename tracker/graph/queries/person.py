"""People in a network and where they work (``WORKS_AT {uid, from, to}``)."""

from tracker.graph.store import Query

PERSON_FIELDS = "{.uid, .name, .layer, .job_title, .promoted, .network_uid, .version, .updated_at}"

CREATE = Query(
    "person.create",
    f"""
    MATCH (n:Network {{uid: $network_uid}})
    MERGE (p:Person {{uid: $uid}})
    ON CREATE SET p += $props, p.network_uid = $network_uid, p.key = $uid, p.version = 1,
                  p.updated_at = $now
    MERGE (p)-[:IN_NETWORK]->(n)
    RETURN p {PERSON_FIELDS} AS person
    """,
    "w",
)

START_WORK = Query(
    "person.start_work",
    """
    MATCH (p:Person {uid: $uid}), (s:School {uid: $school_uid})
    MERGE (p)-[w:WORKS_AT {uid: $works_uid}]->(s)
    ON CREATE SET w.from = $from, w.to = $to
    RETURN w {.uid, .from, .to} AS works_at
    """,
    "w",
)

UPDATE = Query(
    "person.update",
    f"""
    MATCH (p:Person {{uid: $uid}})
    WHERE p.network_uid = $network_uid AND p.version = $version
    SET p += $props, p.version = p.version + 1, p.updated_at = $now
    RETURN p {PERSON_FIELDS} AS person
    """,
    "w",
)

END_WORK = Query(
    "person.end_work",
    """
    MATCH (p:Person {uid: $uid})-[w:WORKS_AT]->(:School)
    WHERE w.uid = $works_uid AND w.to IS NULL
    SET w.to = $to
    RETURN w {.uid, .from, .to} AS works_at
    """,
    "w",
)

GET = Query(
    "person.get",
    f"""
    MATCH (p:Person {{uid: $uid}})
    WHERE p.network_uid = $network_uid
    OPTIONAL MATCH (p)-[w:WORKS_AT]->(s:School)
    WITH p, w, s ORDER BY w.from
    WITH p, collect(w {{.uid, .from, .to, school_uid: s.uid, school_name: s.name}}) AS works
    RETURN p {PERSON_FIELDS} AS person, works
    """,
)

LIST_IN_NETWORK = Query(
    "person.list_in_network",
    f"""
    MATCH (p:Person)
    WHERE p.network_uid = $network_uid
    OPTIONAL MATCH (p)-[w:WORKS_AT]->(s:School)
    WITH p, w, s ORDER BY w.from
    WITH p, collect(w {{.uid, .from, .to, school_uid: s.uid, school_name: s.name}}) AS works,
         p.name AS name
    RETURN p {PERSON_FIELDS} AS person, works, name
    ORDER BY name
    """,
)

OWNER = Query(
    "person.owner",
    "MATCH (p:Person {uid: $uid}) RETURN p.network_uid AS network_uid",
)
