"""Everything the analysis needs about one network, in a fixed handful of reads.

Each query returns the network's whole history for one concept as scalar columns (periods and
attendee lists as collected lists); ``tracker/graph/snapshot.py`` turns the rows into a
``History`` that can be cut at any date in Python. The number of queries never grows with
the number of people, terms or dates asked for.
"""

from tracker.graph.store import Query

NETWORK = Query(
    "snapshot.network",
    """
    MATCH (n:Network {uid: $network_uid})
    RETURN n.uid AS uid, n.name AS name, n.kind AS kind, n.started AS started,
           n.priorities AS priorities
    """,
)

# A school's other memberships come too: the overload sign counts a school's networks.
SCHOOLS = Query(
    "snapshot.schools",
    """
    MATCH (s:School)-[m:MEMBER_OF]->(n:Network {uid: $network_uid})
    OPTIONAL MATCH (s)-[o:MEMBER_OF]->(other:Network)
    WITH s, m, collect([other.uid, o.from, o.to]) AS memberships
    RETURN s.uid AS uid, m.key AS key, s.name AS name, s.urn AS urn, s.phase AS phase,
           s.size AS size, s.lat AS lat, s.lon AS lon, m.from AS joined, m.to AS left,
           memberships
    """,
)

# The member schools of every network that shares a school with this one: the same group of
# schools recorded as two networks is one collaboration (see ``History.at``).
PARTNER_NETWORKS = Query(
    "snapshot.partner_networks",
    """
    MATCH (n:Network {uid: $network_uid})<-[m:MEMBER_OF]-(s:School)-[o:MEMBER_OF]->(other:Network)
    WITH DISTINCT other
    MATCH (peer:School)-[pm:MEMBER_OF]->(other)
    RETURN other.uid AS network_uid, collect([peer.uid, pm.from, pm.to]) AS members
    """,
)

PEOPLE = Query(
    "snapshot.people",
    """
    MATCH (p:Person)
    WHERE p.network_uid = $network_uid
    OPTIONAL MATCH (p)-[w:WORKS_AT]->(s:School)
    WITH p, collect([s.uid, w.from, w.to]) AS works
    RETURN p.uid AS uid, p.key AS key, p.name AS name, p.layer AS layer,
           p.job_title AS job_title, p.promoted AS promoted, works
    """,
)

ROLES = Query(
    "snapshot.roles",
    """
    MATCH (p:Person)-[h:HOLDS]->(r:Role)
    WHERE r.network_uid = $network_uid
    RETURN r.uid AS uid, p.uid AS person_uid, r.title AS title, r.from AS start, r.to AS end,
           r.designated_by AS designated_by, r.origin AS origin
    """,
)

GROUPS = Query(
    "snapshot.groups",
    """
    MATCH (g:EnquiryGroup)
    WHERE g.network_uid = $network_uid
    OPTIONAL MATCH (p:Person)-[m:MEMBER_OF_GROUP]->(g)
    WITH g, collect([p.uid, m.role, m.from, m.to]) AS members
    RETURN g.uid AS uid, g.question AS question, g.priority AS priority, g.levels AS levels,
           g.started AS started, g.ended AS ended, g.origin AS origin, members
    """,
)

GROUP_SESSIONS = Query(
    "snapshot.group_sessions",
    """
    MATCH (s:GroupSession)-[o:OF_GROUP]->(g:EnquiryGroup)
    WHERE s.network_uid = $network_uid
    OPTIONAL MATCH (p:Person)-[a:ATTENDED]->(s)
    WITH g, s, collect(p.uid) AS attendees
    RETURN g.uid AS group_uid, s.date AS date, attendees
    """,
)

OUTCOMES = Query(
    "snapshot.outcomes",
    """
    MATCH (o:Outcome)-[r:OF_GROUP]->(g:EnquiryGroup)
    WHERE o.network_uid = $network_uid
    RETURN g.uid AS group_uid, o.kind AS kind, o.date AS date
    """,
)

COACHING = Query(
    "snapshot.coaching",
    """
    MATCH (c:CoachingPair)
    WHERE c.network_uid = $network_uid
    OPTIONAL MATCH (p:Person)-[r:IN_PAIR]->(c)
    WITH c, collect(p.uid) AS people
    RETURN c.uid AS uid, c.practice AS practice, c.started AS started, c.ended AS ended,
           c.sessions AS sessions, people
    """,
)

TRAINED = Query(
    "snapshot.trained",
    """
    MATCH (a:Person)-[t:TRAINED]->(b:Person)
    WHERE a.network_uid = $network_uid
    RETURN a.uid AS trainer_uid, b.uid AS trainee_uid, t.practice AS practice, t.date AS date
    """,
)

ACTIVITIES = Query(
    "snapshot.activities",
    """
    MATCH (a:Activity)
    WHERE a.network_uid = $network_uid
    OPTIONAL MATCH (a)-[hb:HOSTED_BY]->(h:School)
    WITH a, collect(h.uid) AS hosts
    OPTIONAL MATCH (a)-[dec:DECIDED_BY]->(d:School)
    WITH a, hosts, collect(d.uid) AS deciders
    OPTIONAL MATCH (p:Person)-[r:ATTENDED]->(a)
    WITH a, hosts, deciders, collect(p.uid) AS attendees
    RETURN a.uid AS uid, a.kind AS kind, a.date AS date, a.levels AS levels,
           a.decision AS decision, a.outcome AS outcome, hosts, deciders, attendees
    """,
)

TRANSFERS = Query(
    "snapshot.transfers",
    """
    MATCH (p:Practice)-[a:ADOPTED_BY]->(s:School)
    WHERE p.network_uid = $network_uid
    RETURN p.uid AS practice_uid, p.name AS practice, a.from_school_uid AS from_school_uid,
           s.uid AS to_school_uid, a.carrier_uid AS carrier_uid, a.date AS date, a.stage AS stage
    """,
)

FUNDING = Query(
    "snapshot.funding",
    """
    MATCH (f:FundingPeriod)
    WHERE f.network_uid = $network_uid
    RETURN f.source AS source, f.started AS started, f.ended AS ended
    """,
)

ADVICE = Query(
    "snapshot.advice",
    """
    MATCH (a:Person)-[t:SEEKS_ADVICE]->(b:Person)
    WHERE a.network_uid = $network_uid
    RETURN a.uid AS source, b.uid AS target, t.topic AS topic, t.frequency AS frequency,
           t.influence AS influence, t.survey AS survey, t.asked_at AS asked_at
    """,
)

RESPONSES = Query(
    "snapshot.responses",
    """
    MATCH (r:Response)
    WHERE r.network_uid = $network_uid
    RETURN r.person_uid AS person_uid, r.survey AS survey, r.date AS date,
           r.leader_in_school AS leader_in_school, r.leader_in_network AS leader_in_network,
           r.trust_other_schools AS trust_other_schools, r.levels AS levels, r.status AS status
    """,
)

ALL = (
    NETWORK,
    SCHOOLS,
    PARTNER_NETWORKS,
    PEOPLE,
    ROLES,
    GROUPS,
    GROUP_SESSIONS,
    OUTCOMES,
    COACHING,
    TRAINED,
    ACTIVITIES,
    TRANSFERS,
    FUNDING,
    ADVICE,
    RESPONSES,
)
