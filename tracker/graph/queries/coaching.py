"""Co-coaching pairs and the training cascade (see docs/data-model.md).

``(:CoachingPair {uid, network_uid, key, practice, started, ended, sessions, version})`` with
``(:Person)-[:IN_PAIR {uid}]->`` it (exactly two people), and
``(:Person)-[:TRAINED {uid, practice, date}]->(:Person)`` from trainer to trainee.
"""

from tracker.graph.store import Query

PAIR_FIELDS = (
    "{.uid, .network_uid, .key, .practice, .started, .ended, .sessions, .version, .updated_at}"
)
TRAINING_ROW = (
    "{uid: t.uid, practice: t.practice, date: t.date, trainer_uid: a.uid, trainee_uid: b.uid}"
)

# -- pairs ------------------------------------------------------------------------------------

PAIR_OWNER = Query(
    "coaching.pair_owner",
    "MATCH (c:CoachingPair {uid: $uid}) RETURN c.network_uid AS network_uid",
)

# One statement: the pair and both of its people, or nothing at all.
CREATE_PAIR = Query(
    "coaching.create_pair",
    f"""
    MATCH (n:Network {{uid: $network_uid}})
    MATCH (a:Person {{uid: $person_a}}) WHERE a.network_uid = $network_uid
    MATCH (b:Person {{uid: $person_b}}) WHERE b.network_uid = $network_uid
    MERGE (c:CoachingPair {{uid: $uid}})
    ON CREATE SET c += $props, c.network_uid = $network_uid, c.key = $uid, c.sessions = [],
                  c.version = 1, c.updated_at = $now
    MERGE (a)-[ra:IN_PAIR]->(c) ON CREATE SET ra.uid = $link_a
    MERGE (b)-[rb:IN_PAIR]->(c) ON CREATE SET rb.uid = $link_b
    RETURN c {PAIR_FIELDS} AS pair
    """,
    "w",
)

UPDATE_PAIR = Query(
    "coaching.update_pair",
    f"""
    MATCH (c:CoachingPair {{uid: $uid}})
    WHERE c.network_uid = $network_uid AND c.version = $version
    SET c += $props, c.version = c.version + 1, c.updated_at = $now
    RETURN c {PAIR_FIELDS} AS pair
    """,
    "w",
)

# Changing who is in a pair: drop whoever is no longer named, then link the two (both safe
# to repeat).
DROP_PEOPLE = Query(
    "coaching.drop_people",
    """
    MATCH (p:Person)-[r:IN_PAIR]->(c:CoachingPair {uid: $uid})
    WHERE c.network_uid = $network_uid AND NOT p.uid IN $keep
    DELETE r
    RETURN count(r) AS dropped
    """,
    "w",
)

LINK_PEOPLE = Query(
    "coaching.link_people",
    """
    MATCH (c:CoachingPair {uid: $uid})
    WHERE c.network_uid = $network_uid
    UNWIND $rows AS row
    MATCH (p:Person {uid: row.person_uid})
    WHERE p.network_uid = $network_uid
    MERGE (p)-[r:IN_PAIR]->(c)
    ON CREATE SET r.uid = row.uid
    RETURN count(r) AS linked
    """,
    "w",
)

_PAIR_PEOPLE = f"""
    OPTIONAL MATCH (p:Person)-[r:IN_PAIR]->(c)
    WITH c, collect(p.uid) AS person_uids
    RETURN c {PAIR_FIELDS} AS pair, person_uids, c.started AS started, c.practice AS practice
"""

GET_PAIR = Query(
    "coaching.get_pair",
    f"""
    MATCH (c:CoachingPair {{uid: $uid}})
    WHERE c.network_uid = $network_uid
    {_PAIR_PEOPLE}
    """,
)

LIST_PAIRS = Query(
    "coaching.list_pairs",
    f"""
    MATCH (c:CoachingPair)
    WHERE c.network_uid = $network_uid
    {_PAIR_PEOPLE}
    ORDER BY started DESC, practice
    """,
)

DELETE_PAIR = Query(
    "coaching.delete_pair",
    """
    MATCH (c:CoachingPair {uid: $uid})
    WHERE c.network_uid = $network_uid
    DETACH DELETE c
    RETURN count(c) AS deleted
    """,
    "w",
)

PAIR_PRACTICES = Query(
    "coaching.pair_practices",
    """
    MATCH (c:CoachingPair)
    WHERE c.network_uid = $network_uid
    RETURN c.practice AS practice, count(c) AS uses
    """,
)

PEOPLE_IN_NETWORK = Query(
    "coaching.people_in_network",
    """
    MATCH (p:Person)
    WHERE p.uid IN $uids AND p.network_uid = $network_uid
    RETURN p.uid AS uid
    """,
)

# -- training (who trained whom) ----------------------------------------------------------------

TRAINING_OWNER = Query(
    "coaching.training_owner",
    """
    MATCH (a:Person)-[t:TRAINED]->(b:Person)
    WHERE t.uid = $uid
    RETURN a.network_uid AS network_uid
    """,
)

CREATE_TRAINING = Query(
    "coaching.create_training",
    f"""
    MATCH (a:Person {{uid: $trainer_uid}}), (b:Person {{uid: $trainee_uid}})
    WHERE a.network_uid = $network_uid AND b.network_uid = $network_uid
    MERGE (a)-[t:TRAINED {{uid: $uid}}]->(b)
    ON CREATE SET t.practice = $practice, t.date = $date
    RETURN {TRAINING_ROW} AS training
    """,
    "w",
)

SAME_TRAINING = Query(
    "coaching.same_training",
    f"""
    MATCH (a:Person {{uid: $trainer_uid}})-[t:TRAINED]->(b:Person {{uid: $trainee_uid}})
    WHERE a.network_uid = $network_uid AND t.practice = $practice
    RETURN {TRAINING_ROW} AS training
    """,
)

GET_TRAINING = Query(
    "coaching.get_training",
    f"""
    MATCH (a:Person)-[t:TRAINED]->(b:Person)
    WHERE t.uid = $uid AND a.network_uid = $network_uid AND b.network_uid = $network_uid
    RETURN {TRAINING_ROW} AS training
    """,
)

# ``$practice`` null lists every practice.
LIST_TRAINING = Query(
    "coaching.list_training",
    f"""
    MATCH (a:Person)-[t:TRAINED]->(b:Person)
    WHERE a.network_uid = $network_uid AND b.network_uid = $network_uid
      AND ($practice IS NULL OR t.practice = $practice)
    RETURN {TRAINING_ROW} AS training, t.practice AS practice, t.date AS date
    ORDER BY practice, date
    """,
)

DELETE_TRAINING = Query(
    "coaching.delete_training",
    """
    MATCH (a:Person)-[t:TRAINED]->(b:Person)
    WHERE t.uid = $uid AND a.network_uid = $network_uid AND b.network_uid = $network_uid
    DELETE t
    RETURN count(t) AS deleted
    """,
    "w",
)
