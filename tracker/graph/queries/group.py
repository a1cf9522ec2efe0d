"""Enquiry groups, their members, sessions (with attendance) and outcomes.

``(:Person)-[:MEMBER_OF_GROUP {uid, role, from, to}]->(:EnquiryGroup)``;
``(:GroupSession)-[:OF_GROUP]->(:EnquiryGroup)`` with ``(:Person)-[:ATTENDED {uid}]->`` it;
``(:Outcome)-[:OF_GROUP]->(:EnquiryGroup)``. Every statement is scoped by ``network_uid``.
"""

from tracker.graph.store import Query

GROUP_FIELDS = (
    "{.uid, .network_uid, .key, .question, .priority, .levels, .started, .ended, .origin,"
    " .origin_note, .version, .updated_at}"
)
MEMBERSHIP_ROW = "{.uid, .role, .from, .to, person_uid: p.uid}"
SESSION_FIELDS = "{.uid, .network_uid, .date, .note, .version, .updated_at}"
OUTCOME_FIELDS = "{.uid, .network_uid, .kind, .date, .description, .version, .updated_at}"

# -- the group ------------------------------------------------------------------------------

OWNER = Query(
    "group.owner",
    "MATCH (g:EnquiryGroup {uid: $uid}) RETURN g.network_uid AS network_uid",
)

CREATE = Query(
    "group.create",
    f"""
    MATCH (n:Network {{uid: $network_uid}})
    MERGE (g:EnquiryGroup {{uid: $uid}})
    ON CREATE SET g += $props, g.network_uid = $network_uid, g.key = $uid, g.version = 1,
                  g.updated_at = $now
    RETURN g {GROUP_FIELDS} AS enquiry_group
    """,
    "w",
)

UPDATE = Query(
    "group.update",
    f"""
    MATCH (g:EnquiryGroup {{uid: $uid}})
    WHERE g.network_uid = $network_uid AND g.version = $version
    SET g += $props, g.version = g.version + 1, g.updated_at = $now
    RETURN g {GROUP_FIELDS} AS enquiry_group
    """,
    "w",
)

END = Query(
    "group.end",
    f"""
    MATCH (g:EnquiryGroup {{uid: $uid}})
    WHERE g.network_uid = $network_uid AND g.ended IS NULL
    SET g.ended = $ended, g.version = g.version + 1, g.updated_at = $now
    RETURN g {GROUP_FIELDS} AS enquiry_group
    """,
    "w",
)

GET = Query(
    "group.get",
    f"""
    MATCH (g:EnquiryGroup {{uid: $uid}})
    WHERE g.network_uid = $network_uid
    RETURN g {GROUP_FIELDS} AS enquiry_group
    """,
)

LIST_IN_NETWORK = Query(
    "group.list_in_network",
    f"""
    MATCH (g:EnquiryGroup)
    WHERE g.network_uid = $network_uid
    OPTIONAL MATCH (s:GroupSession)-[so:OF_GROUP]->(g)
    WITH g, count(so) AS sessions, max(s.date) AS last_session
    OPTIONAL MATCH (x:Outcome)-[xo:OF_GROUP]->(g)
    WITH g, sessions, last_session, count(xo) AS outcomes
    OPTIONAL MATCH (p:Person)-[m:MEMBER_OF_GROUP]->(g)
    WITH g, sessions, last_session, outcomes,
         collect(m {MEMBERSHIP_ROW}) AS members
    RETURN g {GROUP_FIELDS} AS enquiry_group, sessions, last_session, outcomes, members
    """,
)

DELETE = Query(
    "group.delete",
    """
    MATCH (g:EnquiryGroup {uid: $uid})
    WHERE g.network_uid = $network_uid
    OPTIONAL MATCH (x)-[o:OF_GROUP]->(g)
    WHERE x:GroupSession OR x:Outcome
    DETACH DELETE x, g
    """,
    "w",
)

# -- members --------------------------------------------------------------------------------

MEMBERS = Query(
    "group.members",
    f"""
    MATCH (p:Person)-[m:MEMBER_OF_GROUP]->(g:EnquiryGroup {{uid: $uid}})
    WHERE g.network_uid = $network_uid
    RETURN m {MEMBERSHIP_ROW} AS membership, m.from AS since
    ORDER BY since
    """,
)

MEMBERSHIP_OWNER = Query(
    "group.membership_owner",
    """
    MATCH (:Person)-[m:MEMBER_OF_GROUP {uid: $membership_uid}]->(g:EnquiryGroup)
    RETURN g.uid AS group_uid, g.network_uid AS network_uid
    """,
)

ADD_MEMBER = Query(
    "group.add_member",
    f"""
    MATCH (g:EnquiryGroup {{uid: $uid}}), (p:Person {{uid: $person_uid}})
    WHERE g.network_uid = $network_uid AND p.network_uid = $network_uid
    MERGE (p)-[m:MEMBER_OF_GROUP {{uid: $membership_uid}}]->(g)
    ON CREATE SET m.role = $role, m.from = $from, m.to = $to
    RETURN m {MEMBERSHIP_ROW} AS membership
    """,
    "w",
)

END_MEMBER = Query(
    "group.end_member",
    f"""
    MATCH (p:Person)-[m:MEMBER_OF_GROUP]->(g:EnquiryGroup {{uid: $uid}})
    WHERE g.network_uid = $network_uid AND m.uid = $membership_uid AND m.to IS NULL
    SET m.to = $to
    RETURN m {MEMBERSHIP_ROW} AS membership
    """,
    "w",
)

PEOPLE_IN_NETWORK = Query(
    "group.people_in_network",
    """
    MATCH (p:Person)
    WHERE p.uid IN $uids AND p.network_uid = $network_uid
    RETURN p.uid AS uid
    """,
)

# -- sessions -------------------------------------------------------------------------------

SESSION_OWNER = Query(
    "group.session_owner",
    """
    MATCH (s:GroupSession {uid: $session_uid})
    OPTIONAL MATCH (s)-[o:OF_GROUP]->(g:EnquiryGroup)
    WITH s, g
    RETURN s.network_uid AS network_uid, g.uid AS group_uid
    """,
)

# Attendance rows are ``{person_uid, uid}``; MERGE on the pattern so an attendee is recorded
# once however often the form is sent, whatever uid an earlier import gave the relationship.
CREATE_SESSION = Query(
    "group.create_session",
    """
    MATCH (g:EnquiryGroup {uid: $uid})
    WHERE g.network_uid = $network_uid
    MERGE (s:GroupSession {uid: $session_uid})
    ON CREATE SET s += $props, s.network_uid = $network_uid, s.version = 1, s.updated_at = $now
    MERGE (s)-[o:OF_GROUP]->(g)
    WITH s
    UNWIND $attendees AS a
    MATCH (p:Person {uid: a.person_uid})
    WHERE p.network_uid = $network_uid
    MERGE (p)-[r:ATTENDED]->(s)
    ON CREATE SET r.uid = a.uid
    RETURN count(r) AS attended
    """,
    "w",
)

UPDATE_SESSION = Query(
    "group.update_session",
    f"""
    MATCH (s:GroupSession {{uid: $session_uid}})-[o:OF_GROUP]->(g:EnquiryGroup {{uid: $uid}})
    WHERE s.network_uid = $network_uid AND coalesce(s.version, 1) = $version
    SET s += $props, s.version = coalesce(s.version, 1) + 1, s.updated_at = $now
    RETURN s {SESSION_FIELDS} AS session
    """,
    "w",
)

SET_ATTENDANCE = Query(
    "group.set_attendance",
    """
    MATCH (s:GroupSession {uid: $session_uid})-[o:OF_GROUP]->(g:EnquiryGroup {uid: $uid})
    WHERE s.network_uid = $network_uid
    OPTIONAL MATCH (gone:Person)-[r:ATTENDED]->(s)
    WHERE NOT gone.uid IN $person_uids
    DELETE r
    WITH DISTINCT s
    UNWIND $attendees AS a
    MATCH (p:Person {uid: a.person_uid})
    WHERE p.network_uid = $network_uid
    MERGE (p)-[r2:ATTENDED]->(s)
    ON CREATE SET r2.uid = a.uid
    RETURN count(r2) AS attended
    """,
    "w",
)

SESSIONS = Query(
    "group.sessions",
    f"""
    MATCH (s:GroupSession)-[o:OF_GROUP]->(g:EnquiryGroup {{uid: $uid}})
    WHERE g.network_uid = $network_uid
    OPTIONAL MATCH (p:Person)-[a:ATTENDED]->(s)
    WITH s, collect(p.uid) AS attendees, s.date AS date
    RETURN s {SESSION_FIELDS} AS session, attendees, date
    ORDER BY date DESC
    """,
)

DELETE_SESSION = Query(
    "group.delete_session",
    """
    MATCH (s:GroupSession {uid: $session_uid})-[o:OF_GROUP]->(g:EnquiryGroup {uid: $uid})
    WHERE s.network_uid = $network_uid AND g.network_uid = $network_uid
    DETACH DELETE s
    """,
    "w",
)

# -- outcomes -------------------------------------------------------------------------------

OUTCOME_OWNER = Query(
    "group.outcome_owner",
    """
    MATCH (x:Outcome {uid: $outcome_uid})
    OPTIONAL MATCH (x)-[o:OF_GROUP]->(g:EnquiryGroup)
    WITH x, g
    RETURN x.network_uid AS network_uid, g.uid AS group_uid
    """,
)

CREATE_OUTCOME = Query(
    "group.create_outcome",
    f"""
    MATCH (g:EnquiryGroup {{uid: $uid}})
    WHERE g.network_uid = $network_uid
    MERGE (x:Outcome {{uid: $outcome_uid}})
    ON CREATE SET x += $props, x.network_uid = $network_uid, x.version = 1, x.updated_at = $now
    MERGE (x)-[o:OF_GROUP]->(g)
    RETURN x {OUTCOME_FIELDS} AS outcome
    """,
    "w",
)

UPDATE_OUTCOME = Query(
    "group.update_outcome",
    f"""
    MATCH (x:Outcome {{uid: $outcome_uid}})-[o:OF_GROUP]->(g:EnquiryGroup {{uid: $uid}})
    WHERE x.network_uid = $network_uid AND coalesce(x.version, 1) = $version
    SET x += $props, x.version = coalesce(x.version, 1) + 1, x.updated_at = $now
    RETURN x {OUTCOME_FIELDS} AS outcome
    """,
    "w",
)

OUTCOMES = Query(
    "group.outcomes",
    f"""
    MATCH (x:Outcome)-[o:OF_GROUP]->(g:EnquiryGroup {{uid: $uid}})
    WHERE g.network_uid = $network_uid
    RETURN x {OUTCOME_FIELDS} AS outcome, x.date AS date
    ORDER BY date DESC
    """,
)

DELETE_OUTCOME = Query(
    "group.delete_outcome",
    """
    MATCH (x:Outcome {uid: $outcome_uid})-[o:OF_GROUP]->(g:EnquiryGroup {uid: $uid})
    WHERE x.network_uid = $network_uid AND g.network_uid = $network_uid
    DETACH DELETE x
    """,
    "w",
)
