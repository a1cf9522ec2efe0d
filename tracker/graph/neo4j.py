"""Neo4j 5 implementation of GraphStore on the official ``neo4j`` driver."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import neo4j
from neo4j import exceptions as neo4j_errors

from tracker.graph.schema import Schema, render_neo4j
from tracker.graph.store import (
    Conflict,
    GraphError,
    Query,
    QueryRefused,
    StoreUnavailable,
    check_params,
)

DEFAULT_TIMEOUT_S = 30.0


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise GraphError(
        f"query returned a {type(value).__name__}; return maps or scalars, not nodes or paths"
    )


def _translate(exc: Exception) -> GraphError:
    if isinstance(exc, neo4j_errors.ServiceUnavailable | neo4j_errors.SessionExpired | OSError):
        return StoreUnavailable(f"graph store (Neo4j) unreachable: {exc}")
    if isinstance(exc, neo4j_errors.ConstraintError):
        return Conflict(str(exc))
    if isinstance(exc, neo4j_errors.Forbidden):
        return QueryRefused(str(exc))
    if getattr(exc, "code", None) == "Neo.ClientError.Statement.AccessMode":
        return QueryRefused(str(exc))  # a write sent down execute_read
    return GraphError(str(exc))


class Neo4jStore:
    """One Neo4j database reached through the official driver."""

    backend = "neo4j"

    def __init__(
        self,
        *,
        uri: str,
        user: str,
        password: str,
        database: str = "neo4j",
        timeout_s: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self.database = database
        self.timeout_s = timeout_s
        # Queries sent, by name: bounded (one entry per named query); tests count with it.
        self.queries: Counter[str] = Counter()
        self._driver = neo4j.GraphDatabase.driver(uri, auth=(user, password))

    def _execute(self, query: Query, params: dict[str, Any]) -> list[dict[str, Any]]:
        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            result = tx.run(query.text, params)
            return [{key: _plain(record[key]) for key in record.keys()} for record in result]  # noqa: SIM118

        tx_config = neo4j.unit_of_work(timeout=self.timeout_s)(work)
        with self._driver.session(database=self.database) as session:
            if query.mode == "r":
                return session.execute_read(tx_config)
            return session.execute_write(tx_config)

    def run(self, query: Query, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        self.queries[query.name] += 1
        checked = check_params(params or {})
        try:
            return self._execute(query, checked)
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as exc:
            raise _translate(exc) from exc

    def run_many(self, query: Query, batches: Iterable[Mapping[str, Any]]) -> int:
        count = 0
        for params in batches:
            self.run(query, params)
            count += 1
        return count

    def ping(self) -> bool:
        try:
            self._driver.verify_connectivity()
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError):
            return False
        return True

    def ensure_schema(self, schema: Schema) -> None:
        try:
            with self._driver.session(database=self.database) as session:
                for statement in render_neo4j(schema):
                    session.run(statement).consume()
                session.run("CALL db.awaitIndexes(60)").consume()
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as exc:
            raise _translate(exc) from exc

    def drop_graph(self) -> None:
        try:
            with self._driver.session(database=self.database) as session:
                session.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS").consume()
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as exc:
            raise _translate(exc) from exc

    def compact(self) -> None:
        """Nothing to do: Neo4j manages its own transaction logs."""

    def close(self) -> None:
        self._driver.close()


__all__ = ["Neo4jStore", "QueryRefused"]
