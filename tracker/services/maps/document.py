"""The pieces of a map's JSON document (docs/maps.md): nodes, edges, clusters, legend, summary.

Every person node is made through the viewer's :class:`~tracker.services.maps.privacy.Namer`,
so a name or a real uid reaches the document only when the viewer may see it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tracker.analysis import layout
from tracker.analysis.participation import current_roles
from tracker.analysis.snapshot import PersonRow, Snapshot
from tracker.analysis.ties import Figures, Tie, Ties
from tracker.services import vocab
from tracker.services.maps.cache import Memory
from tracker.services.maps.filters import KINDS, Filters
from tracker.services.maps.privacy import Namer

EDGE_LABELS = {**dict(KINDS), "transfer": "Knowledge transfer", "mixed": "More than one kind"}
LAYERS = tuple(vocab.LAYERS.items())
NO_SCHOOL = "No school"


@dataclass
class Context:
    """What every view builder needs: the cut, the viewer's names, the filters."""

    s: Snapshot
    filters: Filters
    namer: Namer
    limits: dict[str, dict[str, Any]]
    memory: Memory

    @property
    def school_names(self) -> dict[str | None, str]:
        return {**{row.uid: row.name for row in self.s.schools}, None: NO_SCHOOL}


def _size(value: int) -> float:
    return round(10 + 6 * math.sqrt(max(value, 0)), 2)


def _person_node(
    c: Context, p: PersonRow, fig: Figures, point: layout.Point, heads: set[str], holders: set
) -> dict[str, Any]:
    with_advice = c.filters.with_advice
    return {
        "id": c.namer.node_id(p),
        "label": c.namer.label(p),
        "kind": "person",
        "school": p.school_uid,
        "school_name": c.school_names.get(p.school_uid, NO_SCHOOL),
        "layer": p.layer,
        "size": _size(fig.in_degree[p.uid] if with_advice else fig.degree[p.uid]),
        "x": point[0],
        "y": point[1],
        "in_degree": fig.in_degree[p.uid] if with_advice else 0,
        "head": p.uid in heads,
        "role_holder": p.uid in holders,
        "broker": p.uid in fig.broker,
        "articulation_point": p.uid in fig.cut_points,
        "isolate": fig.degree[p.uid] == 0,
        "pseudonymised": not c.namer.visible(p),
        "change": None,
    }


def _edge(t: Tie, ids: Mapping[str, str]) -> dict[str, Any]:
    kinds = sorted(t.kinds)
    source, target = t.a, t.b
    advice = t.advice_ab or t.advice_ba
    if (advice and t.advice_ba and not t.advice_ab) or (not advice and t.role_ba and not t.role_ab):
        source, target = t.b, t.a
    directed = advice or t.role_ab or t.role_ba
    first, second = sorted((ids[t.a], ids[t.b]))
    return {
        "id": f"{first}~{second}",
        "source": ids[source],
        "target": ids[target],
        "kind": kinds[0] if len(kinds) == 1 else "mixed",
        "kinds": kinds,
        "weight": float(sum(t.kinds.values())),
        "directed": bool(directed),
        "reciprocated": bool(t.advice_ab and t.advice_ba),
        "change": None,
    }


def _link(
    edge_id: str,
    source: str,
    target: str,
    kinds: Iterable[str],
    weight: float,
    directed: bool = False,
    reciprocated: bool = False,
) -> dict[str, Any]:
    """An edge that joins schools (or a person to a school), in the JSON's shape."""
    names = sorted(kinds)
    return {
        "id": edge_id,
        "source": source,
        "target": target,
        "kind": names[0] if len(names) == 1 else "mixed",
        "kinds": names,
        "weight": float(weight),
        "directed": directed,
        "reciprocated": reciprocated,
        "change": None,
    }


def _school_node(uid: str, name: str, point: layout.Point, size: float, **flags: Any) -> dict:
    """A school as a node, in the same shape as a person (no layer, never pseudonymised)."""
    return {
        "id": uid,
        "label": name,
        "kind": "school",
        "school": uid,
        "school_name": name,
        "layer": None,
        "size": size,
        "x": point[0],
        "y": point[1],
        "in_degree": 0,
        "head": False,
        "role_holder": False,
        "broker": False,
        "articulation_point": False,
        "isolate": False,
        "pseudonymised": False,
        "change": None,
        **flags,
    }


def _heads(s: Snapshot) -> set[str]:
    from tracker.signs.evidence import is_head

    return {p.uid for p in s.people if is_head(s, p.uid)}


def _holders(s: Snapshot) -> set[str]:
    return {role.person_uid for role in current_roles(s)}


def _clusters(c: Context, centres: Mapping[Any, layout.Point]) -> list[dict[str, Any]]:
    clusters = [
        {"id": key, "label": c.school_names.get(key, NO_SCHOOL), "x": x, "y": y}
        for key, (x, y) in centres.items()
    ]
    return sorted(clusters, key=lambda row: (row["id"] is None, row["label"], str(row["id"])))


def _school_order(s: Snapshot) -> list[str | None]:
    return [*sorted(row.uid for row in s.schools), None]


def _people_map(
    c: Context, s: Snapshot, people: list[PersonRow], ties: Ties, fig: Figures
) -> tuple[list[dict], list[dict], list[dict]]:
    """Nodes, edges and clusters of a person-level map (people sorted by uid for the layout)."""
    people = sorted(people, key=lambda p: p.uid)
    index = {p.uid: i for i, p in enumerate(people)}
    kept = [t for t in ties.values() if t.a in index and t.b in index]
    order = [k for k in _school_order(s) if any(p.school_uid == k for p in people)]
    clusters = tuple(p.school_uid for p in people)
    edges = tuple((index[t.a], index[t.b]) for t in kept)
    placed = c.memory.layout(
        ("clustered", clusters, edges, tuple(order)),
        lambda: layout.clustered(clusters, edges, order),
    )
    heads, holders = _heads(c.s), _holders(c.s)
    ids = {p.uid: c.namer.node_id(p) for p in people}
    nodes = [
        _person_node(c, p, fig, point, heads, holders)
        for p, point in zip(people, placed.points, strict=True)
    ]
    return _ordered(nodes), [_edge(t, ids) for t in kept], _clusters(c, placed.centres)


def _ordered(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Table order: by school, then label (a pseudonym sorts as itself, never by a name)."""
    return sorted(nodes, key=lambda n: (n["school_name"] or "", n["label"], n["id"]))


def _legend(nodes: list[dict], edges: list[dict], extra: Iterable[tuple[str, str, str]] = ()):
    legend = []
    layers = {n["layer"] for n in nodes if n.get("layer")}
    for key, label in LAYERS:
        if key in layers:
            legend.append({"key": f"layer:{key}", "label": label, "kind": "node"})
    flags = (
        ("head", "Head"),
        ("role_holder", "Holds a network role"),
        ("broker", "Broker between schools"),
        ("articulation_point", "Cut point: removing them splits the map"),
        ("isolate", "No tie on this map"),
    )
    for key, label in flags:
        if any(n.get(key) for n in nodes):
            legend.append({"key": key, "label": label, "kind": "node"})
    if any(n["kind"] == "school" for n in nodes):
        legend.append({"key": "school", "label": "School", "kind": "node"})
    present = {e["kind"] for e in edges}
    for key, label in EDGE_LABELS.items():
        if key in present:
            legend.append({"key": f"edge:{key}", "label": label, "kind": "edge"})
    if any(e["reciprocated"] for e in edges):
        legend.append({"key": "reciprocated", "label": "Named each other", "kind": "edge"})
    legend.extend({"key": k, "label": label, "kind": kind} for k, label, kind in extra)
    return legend


def _summary(nodes: list[dict], edges: list[dict], **extra: Any) -> dict[str, Any]:
    people = [n for n in nodes if n["kind"] == "person"]
    schools_of = {n["id"]: n["school"] for n in nodes}
    return {
        "nodes": len(nodes),
        "edges": len(edges),
        "people": len(people),
        "isolates": sum(n["isolate"] for n in people),
        "brokers": sum(n["broker"] for n in people),
        "articulation_points": sum(n["articulation_point"] for n in people),
        "heads": sum(n["head"] for n in people),
        "reciprocated": sum(e["reciprocated"] for e in edges),
        "cross_school_edges": sum(
            1
            for e in edges
            if schools_of.get(e["source"])
            and schools_of.get(e["target"])
            and schools_of[e["source"]] != schools_of[e["target"]]
        ),
        "edge_kinds": dict(sorted(Counter(e["kind"] for e in edges).items())),
        **extra,
    }


def _document(c: Context, nodes, edges, clusters, legend, summary, **extra) -> dict[str, Any]:
    return {
        "view": c.filters.view,
        "at": c.filters.at,
        "filters": c.filters.as_json(),
        "nodes": nodes,
        "edges": edges,
        "clusters": clusters,
        "legend": legend,
        "summary": summary,
        **extra,
    }
