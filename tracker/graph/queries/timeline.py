"""The network's life by term: one read per concept over a date range (``$first``..``$last``).

Each query returns plain scalars and lists; terms, counts and people's schools at the date are
worked out in Python (``tracker/services/timeline.py``), so the number of queries never grows
with the number of terms or people.
"""

from tracker.graph.store import Query

ACTIVITIES = Query(
    "timeline.activities",
    """
    MATCH (a:Activity)
    WHERE a.network_uid = $network_uid AND a.date >= $first AND a.date <= $last
    OPTIONAL MATCH (a)-[hb:HOSTED_BY]->(h:School)
    WITH a, collect(h.uid) AS host_uids, collect(h.name) AS host_names
    OPTIONAL MATCH (p:Person)-[r:ATTENDED]->(a)
    WITH a, host_uids, host_names, collect(p.uid) AS people
    RETURN a.uid AS uid, a.kind AS kind, a.date AS date, a.title AS title, host_uids,
           host_names, people
    """,
)

GROUP_SESSIONS = Query(
    "timeline.group_sessions",
    """
    MATCH (s:GroupSession)
    WHERE s.network_uid = $network_uid AND s.date >= $first AND s.date <= $last
    OPTIONAL MATCH (s)-[o:OF_GROUP]->(g:EnquiryGroup)
    WITH s, collect(g.uid) AS group_uids, collect(g.question) AS questions
    OPTIONAL MATCH (p:Person)-[r:ATTENDED]->(s)
    WITH s, group_uids, questions, collect(p.uid) AS people
    RETURN s.uid AS uid, s.date AS date, group_uids, questions, people
    """,
)

OUTCOMES = Query(
    "timeline.outcomes",
    """
    MATCH (o:Outcome)
    WHERE o.network_uid = $network_uid AND o.date >= $first AND o.date <= $last
    OPTIONAL MATCH (o)-[r:OF_GROUP]->(g:EnquiryGroup)
    WITH o, collect(g.question) AS questions
    RETURN o.uid AS uid, o.kind AS kind, o.date AS date, o.description AS description,
           questions
    """,
)

# Session dates are a list property: the pairs come whole and are cut by term in Python.
COACHING = Query(
    "timeline.coaching",
    """
    MATCH (c:CoachingPair)
    WHERE c.network_uid = $network_uid
    OPTIONAL MATCH (p:Person)-[r:IN_PAIR]->(c)
    WITH c, collect(p.uid) AS people
    RETURN c.uid AS uid, c.practice AS practice, c.sessions AS sessions, people
    """,
)

TRAINED = Query(
    "timeline.trained",
    """
    MATCH (a:Person)-[t:TRAINED]->(b:Person)
    WHERE a.network_uid = $network_uid AND t.date >= $first AND t.date <= $last
    RETURN t.uid AS uid, t.date AS date, t.practice AS practice, a.uid AS trainer,
           b.uid AS trainee
    """,
)

ROLES = Query(
    "timeline.roles",
    """
    MATCH (r:Role)
    WHERE r.network_uid = $network_uid AND r.from >= $first AND r.from <= $last
    OPTIONAL MATCH (p:Person)-[h:HOLDS]->(r)
    WITH r, collect(p.uid) AS holders
    RETURN r.uid AS uid, r.title AS title, r.from AS date, holders
    """,
)

ADOPTIONS = Query(
    "timeline.adoptions",
    """
    MATCH (p:Practice)-[r:ADOPTED_BY]->(s:School)
    WHERE p.network_uid = $network_uid AND r.date >= $first AND r.date <= $last
    RETURN r.uid AS uid, r.date AS date, r.stage AS stage, p.name AS practice,
           s.uid AS school_uid, s.name AS school_name, r.carrier_uid AS carrier_uid
    """,
)
