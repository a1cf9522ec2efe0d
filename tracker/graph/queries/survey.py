"""The staff questionnaire's answers in the graph.

``(:Person)-[:SEEKS_ADVICE {uid, topic, frequency, influence, survey, asked_at}]->(:Person)``,
one relationship per (respondent, nominee, topic), and one ``(:Response {uid, network_uid,
person_uid, survey, date, status, ...})`` per (round, respondent). ``survey`` is the round's
uid (or ``import:<date>`` for advice that came in a package). Every write is safe to repeat:
relationship and response uids are derived from what they describe.
"""

from tracker.graph.store import Query

RESPONSE_FIELDS = (
    "{.uid, .person_uid, .survey, .date, .status, .leader_in_school, .leader_in_network,"
    " .trust_other_schools, .levels}"
)

NETWORK_NAME = Query(
    "survey.network_name",
    "MATCH (n:Network {uid: $network_uid}) RETURN n.name AS name",
)

EMAILS = Query(
    "survey.emails",
    """
    MATCH (p:Person)
    WHERE p.network_uid = $network_uid AND p.uid IN $uids
    RETURN p.uid AS uid, p.email AS email
    """,
)

UPSERT_RESPONSE = Query(
    "survey.upsert_response",
    f"""
    MATCH (p:Person {{uid: $person_uid}})
    WHERE p.network_uid = $network_uid
    MERGE (r:Response {{uid: $uid}})
    ON CREATE SET r.network_uid = $network_uid, r.person_uid = $person_uid, r.survey = $survey,
                  r.status = $status
    SET r += $props
    RETURN r {RESPONSE_FIELDS} AS response
    """,
    "w",
)

GET_RESPONSE = Query(
    "survey.get_response",
    f"""
    MATCH (r:Response {{uid: $uid}})
    WHERE r.network_uid = $network_uid
    RETURN r {RESPONSE_FIELDS} AS response
    """,
)

SAVE_TIES = Query(
    "survey.save_ties",
    """
    MATCH (a:Person {uid: $person_uid}), (b:Person {uid: $nominee_uid})
    WHERE a.network_uid = $network_uid AND b.network_uid = $network_uid
    UNWIND $rows AS row
    MERGE (a)-[r:SEEKS_ADVICE {uid: row.uid}]->(b)
    SET r.topic = row.topic, r.frequency = $frequency, r.influence = $influence,
        r.survey = $survey, r.asked_at = $asked_at
    RETURN count(r) AS ties
    """,
    "w",
)

DROP_TIES = Query(
    "survey.drop_ties",
    """
    MATCH (a:Person {uid: $person_uid})-[r:SEEKS_ADVICE]->(b:Person {uid: $nominee_uid})
    WHERE r.survey = $survey AND NOT r.uid IN $keep_uids
    DELETE r
    RETURN count(r) AS deleted
    """,
    "w",
)

RESPONDENT_TIES = Query(
    "survey.respondent_ties",
    """
    MATCH (a:Person {uid: $person_uid})-[r:SEEKS_ADVICE]->(b:Person)
    WHERE r.survey = $survey
    RETURN b.uid AS nominee_uid, r.topic AS topic, r.frequency AS frequency,
           r.influence AS influence
    """,
)

DELETE_RESPONDENT_TIES = Query(
    "survey.delete_respondent_ties",
    """
    MATCH (a:Person {uid: $person_uid})-[r:SEEKS_ADVICE]->(:Person)
    WHERE r.survey = $survey
    DELETE r
    RETURN count(r) AS deleted
    """,
    "w",
)

DELETE_RESPONSE = Query(
    "survey.delete_response",
    """
    MATCH (r:Response {uid: $uid})
    WHERE r.network_uid = $network_uid
    DETACH DELETE r
    RETURN count(r) AS deleted
    """,
    "w",
)

SURVEY_TIES = Query(
    "survey.survey_ties",
    """
    MATCH (a:Person)-[r:SEEKS_ADVICE]->(b:Person)
    WHERE a.network_uid = $network_uid AND r.survey = $survey
    RETURN a.uid AS source, b.uid AS target, r.topic AS topic
    """,
)

SURVEY_RESPONSES = Query(
    "survey.survey_responses",
    """
    MATCH (r:Response)
    WHERE r.network_uid = $network_uid AND r.survey = $survey
    RETURN r.person_uid AS person_uid, r.status AS status
    """,
)

TIES_BY_SURVEY = Query(
    "survey.ties_by_survey",
    """
    MATCH (a:Person)-[r:SEEKS_ADVICE]->(:Person)
    WHERE a.network_uid = $network_uid
    WITH r.survey AS survey, count(r) AS ties
    RETURN survey, ties
    """,
)

RESPONSES_BY_SURVEY = Query(
    "survey.responses_by_survey",
    """
    MATCH (r:Response)
    WHERE r.network_uid = $network_uid
    WITH r.survey AS survey, count(r) AS responses
    RETURN survey, responses
    """,
)

DELETE_SURVEY_TIES = Query(
    "survey.delete_survey_ties",
    """
    MATCH (a:Person)-[r:SEEKS_ADVICE]->(:Person)
    WHERE a.network_uid = $network_uid AND r.survey = $survey
    DELETE r
    RETURN count(r) AS deleted
    """,
    "w",
)

DELETE_SURVEY_RESPONSES = Query(
    "survey.delete_survey_responses",
    """
    MATCH (r:Response)
    WHERE r.network_uid = $network_uid AND r.survey = $survey
    DETACH DELETE r
    RETURN count(r) AS deleted
    """,
    "w",
)

PEOPLE = Query(
    "survey.people",
    """
    MATCH (p:Person)
    WHERE p.network_uid = $network_uid
    OPTIONAL MATCH (p)-[w:WORKS_AT]->(s:School)
    WITH p, collect(w {.uid, .from, .to, school_uid: s.uid, school_name: s.name}) AS works
    RETURN p.uid AS uid, p.key AS key, p.name AS name, p.layer AS layer, p.email AS email,
           works
    """,
)
