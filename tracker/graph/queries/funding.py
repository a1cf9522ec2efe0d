"""Funding periods of a network (``FundingPeriod {uid, source, started, ended, ...}``)."""

from tracker.graph.store import Query

FUNDING_FIELDS = "{.uid, .network_uid, .key, .source, .started, .ended, .version, .updated_at}"

CREATE = Query(
    "funding.create",
    f"""
    MATCH (n:Network {{uid: $network_uid}})
    MERGE (f:FundingPeriod {{uid: $uid}})
    ON CREATE SET f += $props, f.network_uid = $network_uid, f.key = $uid, f.version = 1,
                  f.updated_at = $now
    RETURN f {FUNDING_FIELDS} AS period
    """,
    "w",
)

UPDATE = Query(
    "funding.update",
    f"""
    MATCH (f:FundingPeriod {{uid: $uid}})
    WHERE f.network_uid = $network_uid AND f.version = $version
    SET f += $props, f.version = f.version + 1, f.updated_at = $now
    RETURN f {FUNDING_FIELDS} AS period
    """,
    "w",
)

GET = Query(
    "funding.get",
    f"""
    MATCH (f:FundingPeriod {{uid: $uid}})
    WHERE f.network_uid = $network_uid
    RETURN f {FUNDING_FIELDS} AS period
    """,
)

LIST_IN_NETWORK = Query(
    "funding.list_in_network",
    f"""
    MATCH (f:FundingPeriod)
    WHERE f.network_uid = $network_uid
    RETURN f {FUNDING_FIELDS} AS period, f.started AS started
    ORDER BY started DESC
    """,
)

OWNER = Query(
    "funding.owner",
    "MATCH (f:FundingPeriod {uid: $uid}) RETURN f.network_uid AS network_uid",
)

DELETE = Query(
    "funding.delete",
    """
    MATCH (f:FundingPeriod {uid: $uid})
    WHERE f.network_uid = $network_uid
    DETACH DELETE f
    RETURN count(f) AS deleted
    """,
    "w",
)
