"""Named Cypher, one module per concept. Importing this package registers every query."""

from tracker.graph.queries import (
    activity,
    coaching,
    funding,
    group,
    health,
    maintenance,
    network,
    package,
    person,
    role,
    school,
    snapshot,
    survey,
    timeline,
    transfer,
)

__all__ = [
    "activity",
    "coaching",
    "funding",
    "group",
    "health",
    "maintenance",
    "network",
    "package",
    "person",
    "role",
    "school",
    "snapshot",
    "survey",
    "timeline",
    "transfer",
]
