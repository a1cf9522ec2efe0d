"""Knowledge transfer: practices shared by one school and adopted by others.

``(:School)-[:SHARED {uid, date}]->(:Practice)`` and
``(:Practice)-[:ADOPTED_BY {uid, date, stage, from_school_uid, carrier_uid}]->(:School)``.
Adoption steps are relationships without a version of their own: edits of a step are guarded by
the practice's ``version``, which every step edit or deletion moves on.
"""

from tracker.graph.store import Query

PRACTICE_FIELDS = "{.uid, .network_uid, .key, .name, .version, .updated_at}"
ADOPTION_FIELDS = "{.uid, .date, .stage, .from_school_uid, .carrier_uid}"

CREATE = Query(
    "transfer.create_practice",
    f"""
    MATCH (n:Network {{uid: $network_uid}}), (s:School {{uid: $school_uid}})
    MERGE (p:Practice {{uid: $uid}})
    ON CREATE SET p += $props, p.network_uid = $network_uid, p.key = $uid, p.version = 1,
                  p.updated_at = $now
    MERGE (s)-[r:SHARED {{uid: $shared_uid}}]->(p)
    ON CREATE SET r.date = $shared_on
    RETURN p {PRACTICE_FIELDS} AS practice
    """,
    "w",
)

UPDATE = Query(
    "transfer.update_practice",
    f"""
    MATCH (p:Practice {{uid: $uid}})
    WHERE p.network_uid = $network_uid AND p.version = $version
    SET p += $props, p.version = p.version + 1, p.updated_at = $now
    RETURN p {PRACTICE_FIELDS} AS practice
    """,
    "w",
)

CLEAR_SHARED = Query(
    "transfer.clear_shared",
    """
    MATCH (:School)-[r:SHARED]->(p:Practice {uid: $uid})
    WHERE p.network_uid = $network_uid
    DELETE r
    RETURN count(r) AS cleared
    """,
    "w",
)

LINK_SHARED = Query(
    "transfer.link_shared",
    """
    MATCH (p:Practice {uid: $uid}), (s:School {uid: $school_uid})
    WHERE p.network_uid = $network_uid
    MERGE (s)-[r:SHARED {uid: $shared_uid}]->(p)
    SET r.date = $shared_on
    RETURN r {.uid, .date} AS shared
    """,
    "w",
)

# When the sharing school is corrected, steps that came from the old sharer follow it.
MOVE_FROM_SCHOOL = Query(
    "transfer.move_from_school",
    """
    MATCH (p:Practice {uid: $uid})-[r:ADOPTED_BY]->(:School)
    WHERE p.network_uid = $network_uid AND r.from_school_uid = $old_school_uid
    SET r.from_school_uid = $new_school_uid
    RETURN count(r) AS moved
    """,
    "w",
)

ADD_ADOPTION = Query(
    "transfer.add_adoption",
    f"""
    MATCH (p:Practice {{uid: $practice_uid}}), (s:School {{uid: $school_uid}})
    WHERE p.network_uid = $network_uid
    MERGE (p)-[r:ADOPTED_BY {{uid: $uid}}]->(s)
    ON CREATE SET r += $props
    RETURN r {ADOPTION_FIELDS} AS adoption
    """,
    "w",
)

# The adopting school may change, so the step is recreated under the same uid.
UPDATE_ADOPTION = Query(
    "transfer.update_adoption",
    f"""
    MATCH (p:Practice {{uid: $practice_uid}})-[r:ADOPTED_BY]->(:School)
    WHERE p.network_uid = $network_uid AND p.version = $version AND r.uid = $uid
    MATCH (s:School {{uid: $school_uid}})
    DELETE r
    CREATE (p)-[n:ADOPTED_BY {{uid: $uid}}]->(s)
    SET n += $props, p.version = p.version + 1, p.updated_at = $now
    RETURN n {ADOPTION_FIELDS} AS adoption, p.version AS version
    """,
    "w",
)

DELETE_ADOPTION = Query(
    "transfer.delete_adoption",
    """
    MATCH (p:Practice {uid: $practice_uid})-[r:ADOPTED_BY]->(:School)
    WHERE p.network_uid = $network_uid AND r.uid = $uid
    DELETE r
    SET p.version = p.version + 1, p.updated_at = $now
    RETURN p.version AS version
    """,
    "w",
)

ADOPTION_OWNER = Query(
    "transfer.adoption_owner",
    """
    MATCH (p:Practice)-[r:ADOPTED_BY]->(:School)
    WHERE r.uid = $uid
    RETURN p.network_uid AS network_uid, p.uid AS practice_uid
    """,
)

_DETAIL = f"""
    OPTIONAL MATCH (s:School)-[sh:SHARED]->(p)
    WITH p, collect({{school_uid: s.uid, school_name: s.name, date: sh.date, uid: sh.uid}})
         AS shared
    OPTIONAL MATCH (p)-[r:ADOPTED_BY]->(a:School)
    WITH p, shared,
         collect({{uid: r.uid, date: r.date, stage: r.stage, from_school_uid: r.from_school_uid,
                  carrier_uid: r.carrier_uid, school_uid: a.uid, school_name: a.name}})
         AS adoptions
    RETURN p {PRACTICE_FIELDS} AS practice, shared, adoptions, p.name AS name
"""

GET = Query(
    "transfer.get_practice",
    f"""
    MATCH (p:Practice {{uid: $uid}})
    WHERE p.network_uid = $network_uid
    {_DETAIL}
    """,
)

LIST_IN_NETWORK = Query(
    "transfer.list_in_network",
    f"""
    MATCH (p:Practice)
    WHERE p.network_uid = $network_uid
    {_DETAIL}
    ORDER BY name
    """,
)

OWNER = Query(
    "transfer.practice_owner",
    "MATCH (p:Practice {uid: $uid}) RETURN p.network_uid AS network_uid",
)

CARRIER = Query(
    "transfer.carrier",
    """
    OPTIONAL MATCH (c:Person {uid: $uid})
    WHERE c.network_uid = $network_uid
    WITH c
    OPTIONAL MATCH (g:EnquiryGroup {uid: $uid})
    WHERE g.network_uid = $network_uid
    RETURN c.uid AS person_uid, g.uid AS group_uid
    """,
)

CARRIER_GROUPS = Query(
    "transfer.carrier_groups",
    """
    MATCH (g:EnquiryGroup)
    WHERE g.uid IN $uids AND g.network_uid = $network_uid
    RETURN g.uid AS uid, g.question AS question
    """,
)

DELETE = Query(
    "transfer.delete_practice",
    """
    MATCH (p:Practice {uid: $uid})
    WHERE p.network_uid = $network_uid
    DETACH DELETE p
    RETURN count(p) AS deleted
    """,
    "w",
)
