"""Builds a GraphStore from configuration; starts the embedded server when asked to."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from tracker.graph.embedded import EmbeddedServer
from tracker.graph.falkor import FalkorStore
from tracker.graph.neo4j import Neo4jStore
from tracker.graph.store import GraphStore

_SERVERS: dict[str, EmbeddedServer] = {}


def embedded_server(data_dir: str) -> EmbeddedServer:
    """The process-wide handle on the embedded server for ``data_dir``."""
    server = _SERVERS.get(data_dir)
    if server is None:
        server = _SERVERS[data_dir] = EmbeddedServer(data_dir)
    return server


def open_store(config: dict[str, Any] | Any) -> GraphStore:
    """Open the store named by ``TRACKER_GRAPH_URL`` for ``TRACKER_GRAPH_NAME``."""
    url = config["TRACKER_GRAPH_URL"]
    name = config["TRACKER_GRAPH_NAME"]
    if url == "embedded":
        address = embedded_server(config["TRACKER_EMBEDDED_DIR"]).start()
        return FalkorStore(
            graph_name=name, unix_socket_path=address.unix_socket_path, password=address.password
        )
    parts = urlsplit(url)
    if parts.scheme == "falkordb":
        return FalkorStore(
            graph_name=name,
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 6379,
            password=unquote(parts.password) if parts.password else None,
        )
    if parts.scheme in {"neo4j", "neo4j+s", "bolt", "bolt+s"}:
        return Neo4jStore(
            uri=url,
            user=config.get("NEO4J_USER", "neo4j"),
            password=config.get("NEO4J_PASSWORD", ""),
            database=name,
        )
    raise ValueError(
        f"TRACKER_GRAPH_URL {url!r} not understood: use 'embedded', falkordb://, neo4j:// or bolt://"
    )


def describe(url: str) -> str:
    """The backend name for a configured URL, without connecting."""
    if url == "embedded":
        return "falkordb (embedded)"
    scheme = urlsplit(url).scheme
    return "falkordb" if scheme == "falkordb" else "neo4j"
