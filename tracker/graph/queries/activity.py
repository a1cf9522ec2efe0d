"""Activities: forums, meetings, visits, workshops, joint training (see docs/data-model.md).

``(:Activity)-[:HOSTED_BY]->(:School)``, ``-[:DECIDED_BY]->(:School)`` and
``(:Person)-[:ATTENDED {uid}]->(:Activity)``.
"""

from tracker.graph.store import Query

ACTIVITY_FIELDS = (
    "{.uid, .network_uid, .key, .kind, .date, .title, .levels, .decision, .outcome, "
    ".version, .updated_at}"
)

CREATE = Query(
    "activity.create",
    f"""
    MATCH (n:Network {{uid: $network_uid}})
    MERGE (a:Activity {{uid: $uid}})
    ON CREATE SET a += $props, a.network_uid = $network_uid, a.key = $uid, a.version = 1,
                  a.updated_at = $now
    RETURN a {ACTIVITY_FIELDS} AS activity
    """,
    "w",
)

UPDATE = Query(
    "activity.update",
    f"""
    MATCH (a:Activity {{uid: $uid}})
    WHERE a.network_uid = $network_uid AND a.version = $version
    SET a += $props, a.version = a.version + 1, a.updated_at = $now
    RETURN a {ACTIVITY_FIELDS} AS activity
    """,
    "w",
)

# The two school links are replaced, never added to: clear, then link (each safe to repeat).
CLEAR_SCHOOLS = Query(
    "activity.clear_schools",
    """
    MATCH (a:Activity {uid: $uid})-[r:HOSTED_BY|DECIDED_BY]->(:School)
    WHERE a.network_uid = $network_uid
    DELETE r
    RETURN count(r) AS cleared
    """,
    "w",
)

LINK_HOST = Query(
    "activity.link_host",
    """
    MATCH (a:Activity {uid: $uid}), (s:School {uid: $school_uid})
    WHERE a.network_uid = $network_uid
    MERGE (a)-[r:HOSTED_BY]->(s)
    RETURN count(r) AS linked
    """,
    "w",
)

LINK_DECIDER = Query(
    "activity.link_decider",
    """
    MATCH (a:Activity {uid: $uid}), (s:School {uid: $school_uid})
    WHERE a.network_uid = $network_uid
    MERGE (a)-[r:DECIDED_BY]->(s)
    RETURN count(r) AS linked
    """,
    "w",
)

DROP_ATTENDANCE = Query(
    "activity.drop_attendance",
    """
    MATCH (p:Person)-[r:ATTENDED]->(a:Activity {uid: $uid})
    WHERE a.network_uid = $network_uid AND NOT p.uid IN $keep
    DELETE r
    RETURN count(r) AS dropped
    """,
    "w",
)

ADD_ATTENDANCE = Query(
    "activity.add_attendance",
    """
    MATCH (a:Activity {uid: $uid})
    WHERE a.network_uid = $network_uid
    UNWIND $rows AS row
    MATCH (p:Person {uid: row.person_uid})
    WHERE p.network_uid = $network_uid
    MERGE (p)-[r:ATTENDED {uid: row.uid}]->(a)
    RETURN count(r) AS attendees
    """,
    "w",
)

_DETAIL = f"""
    OPTIONAL MATCH (a)-[hb:HOSTED_BY]->(h:School)
    WITH a, collect(h {{.uid, .name}}) AS hosts
    OPTIONAL MATCH (a)-[dr:DECIDED_BY]->(d:School)
    WITH a, hosts, collect(d {{.uid, .name}}) AS deciders
    OPTIONAL MATCH (p:Person)-[r:ATTENDED]->(a)
    WITH a, hosts, deciders, p, r
    OPTIONAL MATCH (p)-[w:WORKS_AT]->(s:School)
    WITH a, hosts, deciders, p, r,
         collect(w {{.uid, .from, .to, school_uid: s.uid, school_name: s.name}}) AS works
    WITH a, hosts, deciders,
         collect({{uid: p.uid, name: p.name, layer: p.layer, works: works}}) AS attendees
    RETURN a {ACTIVITY_FIELDS} AS activity, hosts, deciders, attendees, a.date AS date,
           a.title AS title
"""

GET = Query(
    "activity.get",
    f"""
    MATCH (a:Activity {{uid: $uid}})
    WHERE a.network_uid = $network_uid
    {_DETAIL}
    """,
)

LIST_IN_NETWORK = Query(
    "activity.list_in_network",
    f"""
    MATCH (a:Activity)
    WHERE a.network_uid = $network_uid
    {_DETAIL}
    ORDER BY date DESC, title
    """,
)

OWNER = Query(
    "activity.owner",
    "MATCH (a:Activity {uid: $uid}) RETURN a.network_uid AS network_uid",
)

PEOPLE_IN_NETWORK = Query(
    "activity.people_in_network",
    """
    MATCH (p:Person)
    WHERE p.uid IN $uids AND p.network_uid = $network_uid
    RETURN p.uid AS uid
    """,
)

DELETE = Query(
    "activity.delete",
    """
    MATCH (a:Activity {uid: $uid})
    WHERE a.network_uid = $network_uid
    DETACH DELETE a
    RETURN count(a) AS deleted
    """,
    "w",
)
