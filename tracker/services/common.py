"""Graph steps every service repeats: claiming a client-made uid, the version-checked write."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tracker.extensions import graph
from tracker.services import new_uid, now_ms, valid_uid


def claim_uid(
    owner_query: Any, value: str | None, network_uid: str, *, key: str = "uid", **match: str
) -> tuple[str, bool]:
    """The uid to create with, and whether it already names this object (a double submit).

    ``owner_query`` answers the owner of ``key``; it is the same object when the owner is in
    ``network_uid`` and agrees with ``match``. A uid that belongs elsewhere is replaced, so a
    client-made uid never reaches into another network.
    """
    uid = valid_uid(value)
    owner = graph.store.run(owner_query, {key: uid})
    if not owner:
        return uid, False
    row = owner[0]
    if row["network_uid"] == network_uid and all(row[k] == v for k, v in match.items()):
        return uid, True
    return new_uid(), False


def run_versioned(
    query: Any, params: dict[str, Any], version: int, props: dict[str, Any]
) -> list[dict[str, Any]]:
    """Write ``props`` if the object is still at ``version``; no rows means it is stale."""
    return graph.store.run(query, {**params, "version": version, "props": props, "now": now_ms()})


def people_in_network(query: Any, network_uid: str, uids: Iterable[str]) -> set[str]:
    """Those of ``uids`` that are people of the network."""
    wanted = sorted(set(uids))
    if not wanted:
        return set()
    rows = graph.store.run(query, {"uids": wanted, "network_uid": network_uid})
    return {row["uid"] for row in rows}
