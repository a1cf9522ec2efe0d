"""Read one network's history for the analysis: a fixed set of queries, whatever its size."""

from __future__ import annotations

from collections.abc import Collection

from tracker.analysis.history import History
from tracker.analysis.snapshot import Snapshot
from tracker.graph.queries import snapshot as q
from tracker.graph.store import GraphStore, NotFound


def load_history(store: GraphStore, network_uid: str) -> History:
    """Everything recorded about the network; ``NotFound`` if there is no such network."""
    params = {"network_uid": network_uid}
    network = store.run(q.NETWORK, params)
    if not network:
        raise NotFound(f"no network {network_uid}")
    return History(
        network=network[0],
        schools=store.run(q.SCHOOLS, params),
        partner_networks={
            row["network_uid"]: row["members"] for row in store.run(q.PARTNER_NETWORKS, params)
        },
        people=store.run(q.PEOPLE, params),
        roles=store.run(q.ROLES, params),
        groups=store.run(q.GROUPS, params),
        group_sessions=store.run(q.GROUP_SESSIONS, params),
        outcomes=store.run(q.OUTCOMES, params),
        coaching=store.run(q.COACHING, params),
        trained=store.run(q.TRAINED, params),
        activities=store.run(q.ACTIVITIES, params),
        transfers=store.run(q.TRANSFERS, params),
        funding=store.run(q.FUNDING, params),
        advice=store.run(q.ADVICE, params),
        responses=store.run(q.RESPONSES, params),
    )


def snapshot(
    store: GraphStore, network_uid: str, at: str, exclude_surveys: Collection[str] = ()
) -> Snapshot:
    return load_history(store, network_uid).at(at, exclude_surveys)
