"""Named Cypher for network packages (see docs/data-model.md).

Reads fetch one kind of record for a whole network in one query (imports compare a package
with them, exports write them out). Writes take ``UNWIND $rows`` batches.

``UPSERT_*`` MERGE on uids, so a batch that is sent twice changes nothing the second time.
``CREATE_*`` write rows the import's plan found to be new, with their properties inline (a
``SET`` clause per row costs the store more): nodes take the same rows as their ``UPSERT_*``
twin, which the importer sends instead if a node's uid turns out to exist (uids are unique,
so the ``CREATE`` fails whole). Relationships have no uniqueness rule to catch a duplicate:
they are only CREATEd in a network the same import has just created (``CREATE_NETWORK``), and
MERGEd otherwise (see tracker/packages/importer.py).
"""

from tracker.graph.store import Query

SCHOOL_FIELDS = "{.uid, .name, .urn, .phase, .local_authority, .size, .lat, .lon, .version}"
PERSON_FIELDS = "{.uid, .key, .name, .layer, .job_title, .promoted, .version}"

# -- reads -----------------------------------------------------------------------------------

SCHOOLS_IN_NETWORK = Query(
    "package.schools_in_network",
    f"""
    MATCH (s:School)-[m:MEMBER_OF]->(n:Network {{uid: $network_uid}})
    RETURN s {SCHOOL_FIELDS} AS school, m {{.uid, .key, .from, .to}} AS membership
    """,
)

SCHOOLS_BY_URN = Query(
    "package.schools_by_urn",
    f"""
    UNWIND $rows AS urn
    MATCH (s:School {{urn: urn}})
    RETURN s {SCHOOL_FIELDS} AS school
    """,
)

TAKEN_SCHOOL_UIDS = Query(
    "package.taken_school_uids",
    """
    UNWIND $rows AS uid
    MATCH (s:School {uid: uid})
    RETURN s.uid AS uid
    """,
)

TAKEN_NETWORK_UID = Query(
    "package.taken_network_uid",
    "MATCH (n:Network {uid: $uid}) RETURN n.uid AS uid",
)

PEOPLE = Query(
    "package.people",
    f"""
    MATCH (p:Person)
    WHERE p.network_uid = $network_uid
    OPTIONAL MATCH (p)-[w:WORKS_AT]->(s:School)
    WITH p, collect(w {{.uid, .from, .to, school_uid: s.uid}}) AS works
    RETURN p {PERSON_FIELDS} AS person, works
    """,
)

FUNDING = Query(
    "package.funding",
    """
    MATCH (f:FundingPeriod)
    WHERE f.network_uid = $network_uid
    RETURN f {.uid, .key, .source, .started, .ended, .version} AS funding
    """,
)

ROLES = Query(
    "package.roles",
    """
    MATCH (r:Role)
    WHERE r.network_uid = $network_uid
    OPTIONAL MATCH (p:Person)-[h:HOLDS]->(r)
    WITH r, collect(p.uid) AS holders
    RETURN r {.uid, .key, .title, .from, .to, .designated_by, .origin, .origin_note,
              .version} AS role, holders
    """,
)

GROUPS = Query(
    "package.groups",
    """
    MATCH (g:EnquiryGroup)
    WHERE g.network_uid = $network_uid
    RETURN g {.uid, .key, .question, .priority, .levels, .started, .ended, .origin,
              .origin_note, .version} AS group
    """,
)

GROUP_MEMBERS = Query(
    "package.group_members",
    """
    MATCH (p:Person)-[m:MEMBER_OF_GROUP]->(g:EnquiryGroup)
    WHERE g.network_uid = $network_uid
    RETURN m {.uid, .role, .from, .to} AS membership, p.uid AS person_uid, g.uid AS group_uid
    """,
)

GROUP_SESSIONS = Query(
    "package.group_sessions",
    """
    MATCH (s:GroupSession)-[:OF_GROUP]->(g:EnquiryGroup)
    WHERE s.network_uid = $network_uid
    OPTIONAL MATCH (p:Person)-[a:ATTENDED]->(s)
    WITH s, g, collect(p.uid) AS attendees
    RETURN s {.uid, .date, .note} AS session, g.uid AS group_uid, attendees
    """,
)

OUTCOMES = Query(
    "package.outcomes",
    """
    MATCH (o:Outcome)-[:OF_GROUP]->(g:EnquiryGroup)
    WHERE o.network_uid = $network_uid
    RETURN o {.uid, .kind, .date, .description} AS outcome, g.uid AS group_uid
    """,
)

COACHING = Query(
    "package.coaching",
    """
    MATCH (c:CoachingPair)
    WHERE c.network_uid = $network_uid
    OPTIONAL MATCH (p:Person)-[i:IN_PAIR]->(c)
    WITH c, collect(p.uid) AS people
    RETURN c {.uid, .key, .practice, .started, .ended, .sessions, .version} AS pair, people
    """,
)

TRAINED = Query(
    "package.trained",
    """
    MATCH (a:Person)-[t:TRAINED]->(b:Person)
    WHERE a.network_uid = $network_uid
    RETURN t {.uid, .practice, .date} AS trained, a.uid AS trainer_uid, b.uid AS trainee_uid
    """,
)

ACTIVITIES = Query(
    "package.activities",
    """
    MATCH (a:Activity)
    WHERE a.network_uid = $network_uid
    OPTIONAL MATCH (a)-[:HOSTED_BY]->(h:School)
    WITH a, collect(h.uid) AS hosts
    OPTIONAL MATCH (a)-[:DECIDED_BY]->(d:School)
    WITH a, hosts, collect(d.uid) AS deciders
    RETURN a {.uid, .key, .kind, .date, .title, .levels, .decision, .outcome, .version}
           AS activity, hosts, deciders
    """,
)

ATTENDANCE = Query(
    "package.attendance",
    """
    MATCH (p:Person)-[r:ATTENDED]->(a:Activity)
    WHERE a.network_uid = $network_uid
    RETURN r.uid AS uid, p.uid AS person_uid, a.uid AS activity_uid
    """,
)

PRACTICES = Query(
    "package.practices",
    """
    MATCH (pr:Practice)
    WHERE pr.network_uid = $network_uid
    RETURN pr {.uid, .key, .name, .version} AS practice
    """,
)

SHARED = Query(
    "package.shared",
    """
    MATCH (s:School)-[r:SHARED]->(pr:Practice)
    WHERE pr.network_uid = $network_uid
    RETURN r {.uid, .date} AS shared, s.uid AS school_uid, pr.uid AS practice_uid
    """,
)

ADOPTED = Query(
    "package.adopted",
    """
    MATCH (pr:Practice)-[r:ADOPTED_BY]->(s:School)
    WHERE pr.network_uid = $network_uid
    RETURN r {.uid, .date, .stage, .from_school_uid, .carrier_uid} AS adopted,
           pr.uid AS practice_uid, s.uid AS school_uid
    """,
)

ADVICE = Query(
    "package.advice",
    """
    MATCH (a:Person)-[r:SEEKS_ADVICE]->(b:Person)
    WHERE a.network_uid = $network_uid
    RETURN r.uid AS uid, a.uid AS source, b.uid AS target, r.topic AS topic,
           r.frequency AS frequency, r.influence AS influence, r.survey AS survey,
           r.asked_at AS asked_at
    """,
)

RESPONSES = Query(
    "package.responses",
    """
    MATCH (r:Response)
    WHERE r.network_uid = $network_uid
    RETURN r {.uid, .person_uid, .survey, .date, .leader_in_school, .leader_in_network,
              .trust_other_schools, .levels} AS response
    """,
)

# -- reads for an import's plan: scalar columns, only what the comparison needs ----------------
# (the client parses every cell in Python; maps and collected lists cost several times more)

PLAN_PEOPLE = Query(
    "package.plan_people",
    """
    MATCH (p:Person)
    WHERE p.network_uid = $network_uid
    RETURN p.uid AS uid, p.key AS key, p.name AS name, p.layer AS layer,
           p.job_title AS job_title, p.promoted AS promoted
    """,
)

PLAN_WORK = Query(
    "package.plan_work",
    """
    MATCH (p:Person)-[w:WORKS_AT]->(s:School)
    WHERE p.network_uid = $network_uid
    RETURN p.uid AS person_uid, w.uid AS uid, w.from AS since, w.to AS until,
           s.uid AS school_uid
    """,
)

PLAN_GROUP_SESSIONS = Query(
    "package.plan_group_sessions",
    """
    MATCH (s:GroupSession)-[:OF_GROUP]->(g:EnquiryGroup)
    WHERE s.network_uid = $network_uid
    RETURN s.uid AS uid, s.date AS date, s.note AS note, g.uid AS group_uid
    """,
)

PLAN_SESSION_ATTENDANCE = Query(
    "package.plan_session_attendance",
    """
    MATCH (p:Person)-[a:ATTENDED]->(s:GroupSession)
    WHERE s.network_uid = $network_uid
    RETURN p.uid AS person_uid, s.uid AS session_uid
    """,
)

PLAN_ATTENDANCE = Query(
    "package.plan_attendance",
    """
    MATCH (p:Person)-[r:ATTENDED]->(a:Activity)
    WHERE a.network_uid = $network_uid
    RETURN p.uid AS person_uid, a.uid AS activity_uid
    """,
)

PLAN_ADVICE = Query(
    "package.plan_advice",
    """
    MATCH (a:Person)-[r:SEEKS_ADVICE]->(b:Person)
    WHERE a.network_uid = $network_uid
    RETURN r.uid AS uid, a.uid AS source, b.uid AS target, r.topic AS topic,
           r.asked_at AS asked_at, r.frequency AS frequency, r.influence AS influence,
           r.survey AS survey
    """,
)

PLAN_RESPONSES = Query(
    "package.plan_responses",
    """
    MATCH (r:Response)
    WHERE r.network_uid = $network_uid
    RETURN r.uid AS uid, r.person_uid AS person_uid, r.date AS date, r.survey AS survey,
           r.leader_in_school AS leader_in_school, r.leader_in_network AS leader_in_network,
           r.trust_other_schools AS trust_other_schools, r.levels AS levels
    """,
)

# -- writes ----------------------------------------------------------------------------------

UPSERT_NETWORK = Query(
    "package.upsert_network",
    """
    UNWIND $rows AS row
    MERGE (n:Network {uid: row.uid})
    ON CREATE SET n.version = 1, n.created_at = $now
    ON MATCH SET n.version = n.version + 1
    SET n += row.props, n.updated_at = $now
    RETURN count(n) AS rows
    """,
    "w",
)

# A network this import creates: fails (uid unique) if another import created it meanwhile.
CREATE_NETWORK = Query(
    "package.create_network",
    """
    UNWIND $rows AS row
    CREATE (n:Network {uid: row.uid, version: 1, created_at: $now, updated_at: $now})
    SET n += row.props
    RETURN count(n) AS rows
    """,
    "w",
)

UPSERT_SCHOOLS = Query(
    "package.upsert_schools",
    """
    UNWIND $rows AS row
    MERGE (s:School {uid: row.uid})
    ON CREATE SET s.version = 1
    ON MATCH SET s.version = s.version + 1
    SET s += row.props, s.updated_at = $now
    RETURN count(s) AS rows
    """,
    "w",
)

UPSERT_MEMBERSHIPS = Query(
    "package.upsert_memberships",
    """
    MATCH (n:Network {uid: $network_uid})
    WITH n
    UNWIND $rows AS row
    MATCH (s:School {uid: row.school_uid})
    MERGE (s)-[m:MEMBER_OF {uid: row.uid}]->(n)
    SET m.key = row.key, m.from = row.from, m.to = row.to
    RETURN count(m) AS rows
    """,
    "w",
)

UPSERT_PEOPLE = Query(
    "package.upsert_people",
    """
    MATCH (n:Network {uid: $network_uid})
    WITH n
    UNWIND $rows AS row
    MERGE (p:Person {uid: row.uid})
    ON CREATE SET p.version = 1, p.network_uid = $network_uid, p.key = row.key
    ON MATCH SET p.version = p.version + 1
    SET p += row.props, p.updated_at = $now
    MERGE (p)-[:IN_NETWORK]->(n)
    RETURN count(p) AS rows
    """,
    "w",
)

# People at a school, as flat rows: uid, key, the person's name, layer, job_title and
# promoted (every people.csv row has all four), school_uid, and the WORKS_AT work_uid, from, to.
UPSERT_STAFF = Query(
    "package.upsert_staff",
    """
    MATCH (n:Network {uid: $network_uid})
    WITH n
    UNWIND $rows AS row
    MERGE (p:Person {uid: row.uid})
    ON CREATE SET p.version = 1, p.network_uid = $network_uid, p.key = row.key
    ON MATCH SET p.version = p.version + 1
    SET p.name = row.name, p.layer = row.layer, p.job_title = row.job_title,
        p.promoted = row.promoted, p.updated_at = $now
    MERGE (p)-[:IN_NETWORK]->(n)
    WITH p, row
    MATCH (s:School {uid: row.school_uid})
    MERGE (p)-[w:WORKS_AT {uid: row.work_uid}]->(s)
    SET w.from = row.from, w.to = row.to
    RETURN count(p) AS rows
    """,
    "w",
)

# New staff: the person, IN_NETWORK and WORKS_AT in one pass (rows as for UPSERT_STAFF).
CREATE_STAFF = Query(
    "package.create_staff",
    """
    MATCH (n:Network {uid: $network_uid})
    WITH n
    UNWIND $rows AS row
    CREATE (p:Person {uid: row.uid, key: row.key, network_uid: $network_uid, version: 1,
                      updated_at: $now, name: row.name, layer: row.layer,
                      job_title: row.job_title, promoted: row.promoted})
    CREATE (p)-[:IN_NETWORK]->(n)
    WITH p, row
    MATCH (s:School {uid: row.school_uid})
    CREATE (p)-[w:WORKS_AT {uid: row.work_uid, from: row.from, to: row.to}]->(s)
    RETURN count(p) AS rows
    """,
    "w",
)

# New people without a school (rows as for UPSERT_PEOPLE).
CREATE_PEOPLE = Query(
    "package.create_people",
    """
    MATCH (n:Network {uid: $network_uid})
    WITH n
    UNWIND $rows AS row
    CREATE (p:Person {uid: row.uid, key: row.key, network_uid: $network_uid, version: 1,
                      updated_at: $now})
    SET p += row.props
    CREATE (p)-[:IN_NETWORK]->(n)
    RETURN count(p) AS rows
    """,
    "w",
)

UPSERT_WORK = Query(
    "package.upsert_work",
    """
    UNWIND $rows AS row
    MATCH (p:Person {uid: row.person_uid}), (s:School {uid: row.school_uid})
    MERGE (p)-[w:WORKS_AT {uid: row.uid}]->(s)
    SET w.from = row.from, w.to = row.to
    RETURN count(w) AS rows
    """,
    "w",
)


def _upsert_scoped(label: str) -> Query:
    """A versioned node that belongs to one network, found by uid (label from a fixed list)."""
    return Query(
        f"package.upsert_{label.lower()}",
        f"""
        UNWIND $rows AS row
        MERGE (x:{label} {{uid: row.uid}})
        ON CREATE SET x.version = 1, x.network_uid = $network_uid, x.key = row.key
        ON MATCH SET x.version = x.version + 1
        SET x += row.props, x.updated_at = $now
        RETURN count(x) AS rows
        """,
        "w",
    )


def _create_scoped(label: str) -> Query:
    """New nodes of ``_upsert_scoped(label)``, from the same rows."""
    return Query(
        f"package.create_{label.lower()}",
        f"""
        UNWIND $rows AS row
        CREATE (x:{label} {{uid: row.uid, key: row.key, network_uid: $network_uid, version: 1,
                            updated_at: $now}})
        SET x += row.props
        RETURN count(x) AS rows
        """,
        "w",
    )


UPSERT_FUNDING = _upsert_scoped("FundingPeriod")
UPSERT_GROUPS = _upsert_scoped("EnquiryGroup")
UPSERT_PAIRS = _upsert_scoped("CoachingPair")
UPSERT_ACTIVITIES = _upsert_scoped("Activity")
UPSERT_PRACTICES = _upsert_scoped("Practice")
CREATE_FUNDING = _create_scoped("FundingPeriod")
CREATE_GROUPS = _create_scoped("EnquiryGroup")
CREATE_PAIRS = _create_scoped("CoachingPair")
CREATE_ACTIVITIES = _create_scoped("Activity")
CREATE_PRACTICES = _create_scoped("Practice")

UPSERT_ROLES = Query(
    "package.upsert_roles",
    """
    UNWIND $rows AS row
    MATCH (p:Person {uid: row.person_uid})
    MERGE (r:Role {uid: row.uid})
    ON CREATE SET r.version = 1, r.network_uid = $network_uid, r.key = row.key
    ON MATCH SET r.version = r.version + 1
    SET r += row.props, r.updated_at = $now
    MERGE (p)-[:HOLDS]->(r)
    RETURN count(r) AS rows
    """,
    "w",
)

CREATE_ROLES = Query(
    "package.create_roles",
    """
    UNWIND $rows AS row
    MATCH (p:Person {uid: row.person_uid})
    CREATE (r:Role {uid: row.uid, key: row.key, network_uid: $network_uid, version: 1,
                    updated_at: $now})
    SET r += row.props
    CREATE (p)-[:HOLDS]->(r)
    RETURN count(r) AS rows
    """,
    "w",
)

UPSERT_GROUP_MEMBERS = Query(
    "package.upsert_group_members",
    """
    UNWIND $rows AS row
    MATCH (p:Person {uid: row.person_uid}), (g:EnquiryGroup {uid: row.group_uid})
    MERGE (p)-[m:MEMBER_OF_GROUP {uid: row.uid}]->(g)
    SET m.role = row.role, m.from = row.from, m.to = row.to
    RETURN count(m) AS rows
    """,
    "w",
)

UPSERT_SESSIONS = Query(
    "package.upsert_sessions",
    """
    UNWIND $rows AS row
    MATCH (g:EnquiryGroup {uid: row.group_uid})
    MERGE (s:GroupSession {uid: row.uid})
    ON CREATE SET s.network_uid = $network_uid, s.version = 1
    ON MATCH SET s.version = coalesce(s.version, 1) + 1
    SET s += row.props, s.updated_at = $now
    MERGE (s)-[:OF_GROUP]->(g)
    RETURN count(s) AS rows
    """,
    "w",
)

CREATE_SESSIONS = Query(
    "package.create_sessions",
    """
    UNWIND $rows AS row
    MATCH (g:EnquiryGroup {uid: row.group_uid})
    CREATE (s:GroupSession {uid: row.uid, network_uid: $network_uid, version: 1,
                            updated_at: $now})
    SET s += row.props
    CREATE (s)-[:OF_GROUP]->(g)
    RETURN count(s) AS rows
    """,
    "w",
)

ATTEND_SESSIONS = Query(
    "package.attend_sessions",
    """
    UNWIND $rows AS row
    MATCH (p:Person {uid: row.person_uid}), (s:GroupSession {uid: row.target_uid})
    MERGE (p)-[a:ATTENDED {uid: row.uid}]->(s)
    RETURN count(a) AS rows
    """,
    "w",
)

UPSERT_OUTCOMES = Query(
    "package.upsert_outcomes",
    """
    UNWIND $rows AS row
    MATCH (g:EnquiryGroup {uid: row.group_uid})
    MERGE (o:Outcome {uid: row.uid})
    ON CREATE SET o.network_uid = $network_uid, o.version = 1, o.updated_at = $now
    SET o += row.props
    MERGE (o)-[:OF_GROUP]->(g)
    RETURN count(o) AS rows
    """,
    "w",
)

CREATE_OUTCOMES = Query(
    "package.create_outcomes",
    """
    UNWIND $rows AS row
    MATCH (g:EnquiryGroup {uid: row.group_uid})
    CREATE (o:Outcome {uid: row.uid, network_uid: $network_uid, version: 1, updated_at: $now})
    SET o += row.props
    CREATE (o)-[:OF_GROUP]->(g)
    RETURN count(o) AS rows
    """,
    "w",
)

JOIN_PAIRS = Query(
    "package.join_pairs",
    """
    UNWIND $rows AS row
    MATCH (p:Person {uid: row.person_uid}), (c:CoachingPair {uid: row.pair_uid})
    MERGE (p)-[i:IN_PAIR {uid: row.uid}]->(c)
    RETURN count(i) AS rows
    """,
    "w",
)

LEAVE_PAIRS = Query(
    "package.leave_pairs",
    """
    UNWIND $rows AS row
    MATCH (p:Person)-[i:IN_PAIR]->(c:CoachingPair {uid: row.pair_uid})
    WHERE NOT p.uid IN row.people
    DELETE i
    RETURN count(c) AS rows
    """,
    "w",
)

UPSERT_TRAINED = Query(
    "package.upsert_trained",
    """
    UNWIND $rows AS row
    MATCH (a:Person {uid: row.trainer_uid}), (b:Person {uid: row.trainee_uid})
    MERGE (a)-[t:TRAINED {uid: row.uid}]->(b)
    SET t.practice = row.practice, t.date = row.date
    RETURN count(t) AS rows
    """,
    "w",
)

UNLINK_HOSTS = Query(
    "package.unlink_hosts",
    """
    UNWIND $rows AS row
    MATCH (a:Activity {uid: row.uid})-[h:HOSTED_BY]->(s:School)
    WHERE row.school_uid IS NULL OR s.uid <> row.school_uid
    DELETE h
    RETURN count(a) AS rows
    """,
    "w",
)

LINK_HOSTS = Query(
    "package.link_hosts",
    """
    UNWIND $rows AS row
    MATCH (a:Activity {uid: row.uid}), (s:School {uid: row.school_uid})
    MERGE (a)-[h:HOSTED_BY]->(s)
    RETURN count(h) AS rows
    """,
    "w",
)

UNLINK_DECIDERS = Query(
    "package.unlink_deciders",
    """
    UNWIND $rows AS row
    MATCH (a:Activity {uid: row.uid})-[d:DECIDED_BY]->(s:School)
    WHERE row.school_uid IS NULL OR s.uid <> row.school_uid
    DELETE d
    RETURN count(a) AS rows
    """,
    "w",
)

LINK_DECIDERS = Query(
    "package.link_deciders",
    """
    UNWIND $rows AS row
    MATCH (a:Activity {uid: row.uid}), (s:School {uid: row.school_uid})
    MERGE (a)-[d:DECIDED_BY]->(s)
    RETURN count(d) AS rows
    """,
    "w",
)

CREATE_ATTEND_SESSIONS = Query(
    "package.create_attend_sessions",
    """
    UNWIND $rows AS row
    MATCH (p:Person {uid: row.person_uid}), (s:GroupSession {uid: row.target_uid})
    CREATE (p)-[a:ATTENDED {uid: row.uid}]->(s)
    RETURN count(a) AS rows
    """,
    "w",
)

ATTEND_ACTIVITIES = Query(
    "package.attend_activities",
    """
    UNWIND $rows AS row
    MATCH (p:Person {uid: row.person_uid}), (a:Activity {uid: row.target_uid})
    MERGE (p)-[r:ATTENDED {uid: row.uid}]->(a)
    RETURN count(r) AS rows
    """,
    "w",
)

CREATE_ATTEND_ACTIVITIES = Query(
    "package.create_attend_activities",
    """
    UNWIND $rows AS row
    MATCH (p:Person {uid: row.person_uid}), (a:Activity {uid: row.target_uid})
    CREATE (p)-[r:ATTENDED {uid: row.uid}]->(a)
    RETURN count(r) AS rows
    """,
    "w",
)

UPSERT_SHARED = Query(
    "package.upsert_shared",
    """
    UNWIND $rows AS row
    MATCH (s:School {uid: row.school_uid}), (pr:Practice {uid: row.practice_uid})
    MERGE (s)-[r:SHARED {uid: row.uid}]->(pr)
    SET r.date = row.date
    RETURN count(r) AS rows
    """,
    "w",
)

UPSERT_ADOPTED = Query(
    "package.upsert_adopted",
    """
    UNWIND $rows AS row
    MATCH (pr:Practice {uid: row.practice_uid}), (s:School {uid: row.school_uid})
    MERGE (pr)-[r:ADOPTED_BY {uid: row.uid}]->(s)
    SET r.date = row.date, r.stage = row.stage, r.from_school_uid = row.from_school_uid,
        r.carrier_uid = row.carrier_uid
    RETURN count(r) AS rows
    """,
    "w",
)

UPSERT_ADVICE = Query(
    "package.upsert_advice",
    """
    UNWIND $rows AS row
    MATCH (a:Person {uid: row.source}), (b:Person {uid: row.target})
    MERGE (a)-[r:SEEKS_ADVICE {uid: row.uid}]->(b)
    ON CREATE SET r.survey = $survey_prefix + row.asked_at, r.asked_at = row.asked_at
    SET r.topic = row.topic, r.frequency = row.frequency, r.influence = row.influence
    RETURN count(r) AS rows
    """,
    "w",
)

CREATE_ADVICE = Query(
    "package.create_advice",
    """
    UNWIND $rows AS row
    MATCH (a:Person {uid: row.source}), (b:Person {uid: row.target})
    CREATE (a)-[r:SEEKS_ADVICE {uid: row.uid, survey: $survey_prefix + row.asked_at,
                                asked_at: row.asked_at, topic: row.topic,
                                frequency: row.frequency, influence: row.influence}]->(b)
    RETURN count(r) AS rows
    """,
    "w",
)

# Responses as flat rows: uid, person_uid, date and the answers (levels only when the
# package has that column, so an update leaves levels alone otherwise).
UPSERT_RESPONSES = Query(
    "package.upsert_responses",
    """
    UNWIND $rows AS row
    MERGE (r:Response {uid: row.uid})
    ON CREATE SET r.network_uid = $network_uid, r.survey = $survey_prefix + row.date
    SET r += row
    RETURN count(r) AS rows
    """,
    "w",
)

CREATE_RESPONSES = Query(
    "package.create_responses",
    """
    UNWIND $rows AS row
    CREATE (r:Response {uid: row.uid, network_uid: $network_uid, person_uid: row.person_uid,
                        survey: $survey_prefix + row.date, date: row.date,
                        leader_in_school: row.leader_in_school,
                        leader_in_network: row.leader_in_network,
                        trust_other_schools: row.trust_other_schools, levels: row.levels})
    RETURN count(r) AS rows
    """,
    "w",
)
