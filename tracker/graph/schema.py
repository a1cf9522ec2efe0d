"""Indexes and uniqueness rules as data; each backend renders its own DDL."""

from __future__ import annotations

from dataclasses import dataclass, field

# Labels whose nodes are found by a client-made ``uid``. Extend this list as concepts arrive.
UID_LABELS: tuple[str, ...] = (
    "Network",
    "School",
    "Person",
    "FundingPeriod",
    "EnquiryGroup",
    "GroupSession",
    "Outcome",
    "CoachingPair",
    "Role",
    "Activity",
    "Practice",
    "Response",
)

# Labels whose nodes belong to one network and are listed by ``network_uid``.
NETWORK_SCOPED: tuple[str, ...] = tuple(
    label for label in UID_LABELS if label not in {"Network", "School"}
)


@dataclass(frozen=True)
class Schema:
    """``unique``: (label, property) pairs that must be unique; ``indexed``: lookups only."""

    unique: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    indexed: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def labels(self) -> set[str]:
        return {label for label, _ in (*self.unique, *self.indexed)}


SCHEMA = Schema(
    unique=tuple((label, "uid") for label in UID_LABELS),
    indexed=(("School", "urn"), *((label, "network_uid") for label in NETWORK_SCOPED)),
)


def _safe_name(text: str) -> str:
    if not text.replace("_", "").isalnum() or not text[0].isalpha():
        raise ValueError(f"unsafe identifier in schema: {text!r}")
    return text


def render_falkordb(schema: Schema) -> tuple[list[str], list[tuple[str, str]]]:
    """FalkorDB: Cypher index statements, then (label, property) pairs for GRAPH.CONSTRAINT."""
    indexed = sorted({*schema.unique, *schema.indexed})
    statements = [
        f"CREATE INDEX FOR (n:{_safe_name(label)}) ON (n.{_safe_name(prop)})"
        for label, prop in indexed
    ]
    return statements, list(schema.unique)


def render_neo4j(schema: Schema) -> list[str]:
    """Neo4j 5: named constraints and range indexes, each ``IF NOT EXISTS``."""
    statements = []
    for label, prop in schema.unique:
        name = f"{_safe_name(label).lower()}_{_safe_name(prop)}_unique"
        statements.append(
            f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE"
        )
    for label, prop in schema.indexed:
        name = f"{_safe_name(label).lower()}_{_safe_name(prop)}_index"
        statements.append(f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})")
    return statements
