"""Deterministic uids for what a package creates, so that a re-import finds the same objects.

Nodes: ``uuid5(NAMESPACE, f"{network_uid}/{label}/{key}")``. Relationships (and nodes whose
package row has no id of its own): ``uuid5(network_uid, "<kind>/<parts...>")``. Schools are
shared between networks and are named by their ``urn`` alone.
"""

from __future__ import annotations

import functools
import hashlib
import uuid

NAMESPACE = uuid.UUID("0b7d4f0e-52a1-4c55-9d1e-6a2f3c9e8b71")


def uuid5(namespace: uuid.UUID, name: str) -> str:
    """``str(uuid.uuid5(namespace, name))``, without the objects (imports make 100,000s)."""
    digest = bytearray(hashlib.sha1(namespace.bytes + name.encode("utf-8")).digest()[:16])  # noqa: S324 (RFC 4122 names SHA-1)
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def network_uid_for(name: str) -> str:
    """The uid a network imported under ``name`` gets (names are unique, case-insensitively)."""
    return uuid5(NAMESPACE, f"network/{name.strip().lower()}")


def school_uid_for(urn: str) -> str:
    return uuid5(NAMESPACE, f"school/{urn}")


def node_uid(network_uid: str, label: str, key: str) -> str:
    """A network-scoped node found by the coordinator's own id (``person_id``, ``group_id``)."""
    return uuid5(NAMESPACE, f"{network_uid}/{label}/{key}")


def relationship_uid(network_uid: str, kind: str, *parts: object) -> str:
    """A relationship (or id-less row) named by its kind and the uids/values that identify it."""
    text = "/".join("" if part is None else str(part) for part in parts)
    return uuid5(namespace(network_uid), f"{kind}/{text}")


@functools.lru_cache(maxsize=64)
def namespace(network_uid: str) -> uuid.UUID:
    """The namespace of a network's relationship uids: the network's own uid."""
    try:
        return uuid.UUID(network_uid)
    except ValueError:
        # Networks made outside the app could carry a non-UUID uid; stay deterministic anyway.
        return uuid.uuid5(NAMESPACE, f"network/{network_uid}")
