"""FalkorDB implementation of GraphStore on the native ``falkordb`` client."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import redis
from falkordb import FalkorDB

from tracker.graph.schema import Schema, render_falkordb
from tracker.graph.store import (
    Conflict,
    GraphError,
    Query,
    QueryRefused,
    StoreUnavailable,
    check_params,
)

DEFAULT_TIMEOUT_MS = 30_000


def _plain(value: Any) -> Any:
    """Turn the client's OrderedDicts and nested lists into plain Python values."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise GraphError(
        f"query returned a {type(value).__name__}; return maps or scalars, not nodes or paths"
    )


def _translate(exc: Exception) -> GraphError:
    if isinstance(exc, redis.ConnectionError | redis.TimeoutError | OSError):
        return StoreUnavailable(f"graph store (FalkorDB) unreachable: {exc}")
    message = str(exc)
    if "constraint violation" in message:
        return Conflict(message)
    if "read-only" in message:
        return QueryRefused(message)
    if "Query timed out" in message:
        return GraphError(f"query timed out: {message}")
    return GraphError(message)


class FalkorStore:
    """One graph (a FalkorDB key) on one server, reached by TCP or a unix socket."""

    backend = "falkordb"

    def __init__(
        self,
        *,
        graph_name: str,
        host: str = "127.0.0.1",
        port: int = 6379,
        password: str | None = None,
        unix_socket_path: str | None = None,
        timeout_ms: int = DEFAULT_TIMEOUT_MS,
    ) -> None:
        self.graph_name = graph_name
        self.timeout_ms = timeout_ms
        # Queries sent, by name: bounded (one entry per named query); tests count with it.
        self.queries: Counter[str] = Counter()
        kwargs: dict[str, Any] = {"password": password, "socket_connect_timeout": 5}
        if unix_socket_path:
            kwargs["unix_socket_path"] = unix_socket_path
        else:
            kwargs.update(host=host, port=port)
        try:
            # The client asks the server for INFO while constructing, so it can fail here.
            self._db = FalkorDB(**kwargs)
        except (redis.RedisError, OSError) as exc:
            raise _translate(exc) from exc
        self._graph = self._db.select_graph(graph_name)

    @property
    def connection(self) -> redis.Redis:
        """The underlying Redis connection (the embedded manager and RQ share it)."""
        return self._db.connection

    def run(self, query: Query, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        self.queries[query.name] += 1
        checked = check_params(params or {})
        try:
            if query.mode == "r":
                result = self._graph.ro_query(query.text, checked, timeout=self.timeout_ms)
            else:
                result = self._graph.query(query.text, checked, timeout=self.timeout_ms)
        except redis.ResponseError as exc:
            if query.mode == "r" and "empty key" in str(exc):
                return []  # the graph has never been written: nothing to read, as on Neo4j
            raise _translate(exc) from exc
        except (redis.RedisError, OSError) as exc:
            raise _translate(exc) from exc
        columns = [column[1] for column in result.header]
        return [
            {name: _plain(value) for name, value in zip(columns, row, strict=True)}
            for row in result.result_set
        ]

    def run_many(self, query: Query, batches: Iterable[Mapping[str, Any]]) -> int:
        count = 0
        for params in batches:
            self.run(query, params)
            count += 1
        return count

    def ping(self) -> bool:
        try:
            return bool(self.connection.ping())
        except (redis.RedisError, OSError):
            return False

    def ensure_schema(self, schema: Schema) -> None:
        statements, unique = render_falkordb(schema)
        try:
            for statement in statements:
                try:
                    self._graph.query(statement)
                except redis.ResponseError as exc:
                    if "already indexed" not in str(exc):
                        raise
            existing = {
                (row[1], tuple(row[2]))
                for row in self._graph.ro_query("CALL db.constraints()").result_set
            }
            for label, prop in unique:
                if (label, (prop,)) in existing:
                    continue
                self.connection.execute_command(
                    "GRAPH.CONSTRAINT",
                    "CREATE",
                    self.graph_name,
                    "UNIQUE",
                    "NODE",
                    label,
                    "PROPERTIES",
                    "1",
                    prop,
                )
            self._wait_for_constraints()
        except (redis.RedisError, OSError) as exc:
            raise _translate(exc) from exc

    def _wait_for_constraints(self, limit_s: float = 30.0) -> None:
        deadline = time.monotonic() + limit_s
        while True:
            rows = self._graph.ro_query("CALL db.constraints()").result_set
            states = [row[4] for row in rows]
            if "FAILED" in states:
                raise Conflict("a uniqueness rule failed to build: duplicate uids in the graph")
            if all(state == "OPERATIONAL" for state in states):
                return
            if time.monotonic() > deadline:
                raise StoreUnavailable("uniqueness rules still building after 30 s")
            time.sleep(0.05)

    def drop_graph(self) -> None:
        try:
            if self.graph_name in self._db.list_graphs():
                self._graph.delete()
            # Leave an empty graph, as Neo4j does: a read-only query on a missing graph key
            # fails ("Invalid graph operation on empty key") instead of returning no rows.
            self._graph.query("RETURN 0")
        except (redis.RedisError, OSError) as exc:
            raise _translate(exc) from exc

    def compact(self) -> None:
        """Ask the server to rewrite its append-only file (after a bulk import).

        Replaying a large raw AOF at start-up is very slow; the rewrite runs in the background.
        """
        try:
            self.connection.execute_command("BGREWRITEAOF")
        except redis.ResponseError as exc:
            if "already in progress" not in str(exc):
                raise _translate(exc) from exc
        except (redis.RedisError, OSError) as exc:
            raise _translate(exc) from exc

    def close(self) -> None:
        self.connection.close()
