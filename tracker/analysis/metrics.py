"""Whole-network, group and person metrics on any igraph graph, and ``compute(snapshot)``.

The metric functions take a graph and, where groups matter, the name of a vertex attribute
(a school uid, a layer, a department in a reference data set), so the same code is checked
against the published data sets in ``../shared/data`` (tests/unit/test_reference_data.py)
and run on a network's snapshot. Definitions follow UCINET where UCINET has one, so a
figure here can be compared with the literature; docs/analysis.md states each formula.

A vertex whose group attribute is None (a person with no school) belongs to no group: ties
that touch it are left out of group-based figures (E-I, brokerage) instead of being guessed.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import igraph as ig

from tracker.analysis.concentration import gini, top_share
from tracker.analysis.graphs import all_graphs
from tracker.analysis.participation import (
    STAFF_LAYERS,
    activity_by_term,
    current_roles,
    designated_vs_recognised,
    in_window,
    leadership_density,
    level_coverage,
    origin_mix,
    participation_summary,
    person_participation,
    transfer_matrix,
    window_start,
)
from tracker.analysis.snapshot import Snapshot

Mode = Literal["in", "out", "all"]

__all__ = [
    "ADVICE_FIGURES",
    "BROKERAGE_ROLES",
    "CROSS_SCHOOL_ROLES",
    "SOURCES",
    "Graphs",
    "articulation_points",
    "betweenness_centralisation",
    "bridges",
    "brokerage",
    "build_graphs",
    "by_group",
    "components",
    "compute",
    "cross_school_density",
    "degree_centralisation",
    "degree_counts",
    "density",
    "ei_by_group",
    "ei_counts",
    "ei_group_counts",
    "ei_index",
    "eigenvector",
    "freeman",
    "gini",
    "graph_metrics",
    "group_sizes",
    "isolates",
    "reciprocity",
    "strong_components",
    "top_share",
    "within_school_density",
]

BROKERAGE_ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")


# -- whole network ----------------------------------------------------------------------------


def density(g: ig.Graph) -> float:
    """Ties present over ties possible: m / n(n-1) directed, m / (n(n-1)/2) undirected.

    Loops are not possible ties. A graph of fewer than two vertices has density 0.
    """
    n = g.vcount()
    if n < 2:
        return 0.0
    possible = n * (n - 1) if g.is_directed() else n * (n - 1) / 2
    return g.ecount() / possible


def reciprocity(g: ig.Graph, mode: Literal["arc", "dyad"] = "arc") -> float | None:
    """Share of ties that are returned; None for a graph with no ties.

    ``arc`` (default; UCINET "Arc Reciprocity", igraph's and networkx's default): arcs whose
    reverse also exists / all arcs. ``dyad`` (UCINET "Dyad Reciprocity"): mutual pairs /
    connected pairs, M / (M + A). An undirected graph is fully reciprocal (1.0).
    """
    if g.ecount() == 0:
        return None
    if not g.is_directed():
        return 1.0
    return g.reciprocity(ignore_loops=True, mode="default" if mode == "arc" else "ratio")


def components(g: ig.Graph) -> list[list[int]]:
    """Connected components (weak for a directed graph), largest first, each sorted."""
    parts = [sorted(c) for c in g.connected_components(mode="weak")]
    return sorted(parts, key=lambda c: (-len(c), c[0] if c else 0))


def strong_components(g: ig.Graph) -> list[list[int]]:
    """Strong components of a directed graph, largest first (UCINET's "Components")."""
    parts = [sorted(c) for c in g.connected_components(mode="strong")]
    return sorted(parts, key=lambda c: (-len(c), c[0] if c else 0))


def isolates(g: ig.Graph) -> list[int]:
    """Vertices with no tie in either direction."""
    return [v for v, d in enumerate(g.degree(mode="all", loops=False)) if d == 0]


# -- groups: E-I index ------------------------------------------------------------------------


def _groups(g: ig.Graph, attr: str, exclude: Iterable[Hashable] = ()) -> list[Any]:
    """The group of each vertex, with excluded values and missing attributes as None."""
    skip = set(exclude)
    return [None if v is None or v in skip else v for v in g.vs[attr]]


def ei_counts(g: ig.Graph, attr: str, exclude: Iterable[Hashable] = ()) -> tuple[int, int]:
    """(external, internal) ties by ``attr``: ties between groups, ties within a group.

    On a directed graph these are arcs (a mutual pair counts twice), as in Krackhardt and
    Stern and UCINET. Ties touching a vertex whose group is None or in ``exclude`` are left
    out (the Krackhardt reference reports the E-I index by department both with the CEO's
    department 0 as a group and with ties to or from it dropped).
    """
    groups = _groups(g, attr, exclude)
    external = internal = 0
    for a, b in g.get_edgelist():
        ga, gb = groups[a], groups[b]
        if ga is None or gb is None or a == b:
            continue
        if ga == gb:
            internal += 1
        else:
            external += 1
    return external, internal


def _ei(external: int, internal: int) -> float | None:
    total = external + internal
    return (external - internal) / total if total else None


def ei_index(g: ig.Graph, attr: str, exclude: Iterable[Hashable] = ()) -> float | None:
    """Krackhardt and Stern's E-I index, (E - I) / (E + I), for the whole network.

    -1 means every tie stays within a group, +1 every tie crosses groups. None when no tie
    joins two vertices with a group. See :func:`ei_counts` for what is counted.
    """
    return _ei(*ei_counts(g, attr, exclude))


def ei_group_counts(
    g: ig.Graph, attr: str, mode: Mode = "all", exclude: Iterable[Hashable] = ()
) -> dict[Any, tuple[int, int]]:
    """(external, internal) ties of each group; see :func:`ei_by_group` for ``mode``."""
    groups = _groups(g, attr, exclude)
    counts: dict[Any, list[int]] = {value: [0, 0] for value in groups if value is not None}
    directed = g.is_directed()
    for a, b in g.get_edgelist():
        ga, gb = groups[a], groups[b]
        if ga is None or gb is None or a == b:
            continue
        if ga == gb:
            counts[ga][1] += 1
            continue
        if mode == "all" or not directed:
            counts[ga][0] += 1
            counts[gb][0] += 1
        elif mode == "out":
            counts[ga][0] += 1
        else:
            counts[gb][0] += 1
    return {value: (e, i) for value, (e, i) in counts.items()}


def ei_by_group(
    g: ig.Graph, attr: str, mode: Mode = "all", exclude: Iterable[Hashable] = ()
) -> dict[Any, float | None]:
    """E-I index of each group (each value of ``attr``).

    A group's internal ties are those with both ends in it. Its external ties depend on
    ``mode``: ``all`` (default) every tie with exactly one end in the group, sent or received,
    which is how the tracker reads "how outward-looking is this school"; ``out`` only ties its
    members send (UCINET's group E-I on a directed matrix reads rows, i.e. out-ties), ``in``
    only ties they receive. On an undirected graph the three agree. With ``out`` (or ``in``)
    the groups' external and internal counts add up to the whole network's; with ``all``
    each external tie is counted once by each of its two groups. The reference data sets
    publish only whole-network E-I, which all three modes reproduce when summed this way.
    A group with no countable tie has None.
    """
    return {value: _ei(e, i) for value, (e, i) in ei_group_counts(g, attr, mode, exclude).items()}


# -- centralisation ---------------------------------------------------------------------------


def _simple_undirected(g: ig.Graph) -> ig.Graph:
    """The graph with direction, loops and repeated ties removed (UCINET's "symmetrise").

    A graph that is already simple and undirected is returned as it is, not copied.
    """
    if not g.is_directed() and g.is_simple():
        return g
    u = g.as_undirected(mode="collapse") if g.is_directed() else g.copy()
    u.simplify(multiple=True, loops=True)
    return u


def _simple(g: ig.Graph) -> ig.Graph:
    """The graph without loops or repeated ties (the same object when it has none)."""
    if g.is_simple():
        return g
    simple = g.copy()
    simple.simplify(multiple=True, loops=True)
    return simple


def degree_centralisation(g: ig.Graph, mode: Mode = "in") -> float | None:
    """Freeman degree centralisation, normalised as UCINET does; None below the minimum size.

    Directed graph, ``in`` or ``out``: sum(max - d_i) / (n - 1)^2, UCINET's In- and
    Out-Centralization (and igraph's ``centr_degree(loops=FALSE)``). ``all`` on a directed
    graph symmetrises it first and uses the undirected formula, as UCINET's "Degree
    Centralization" does. Undirected graph (any mode): sum(max - d_i) / ((n - 1)(n - 2)),
    which is 1 for a star; needs n >= 3. Degrees count distinct neighbours, not repeats.
    """
    if g.is_directed() and mode in ("in", "out"):
        return freeman(_simple(g).degree(mode=mode, loops=False), directed=True)
    return freeman(_simple_undirected(g).degree(loops=False), directed=False)


def freeman(degrees: Sequence[int], directed: bool) -> float | None:
    """Freeman degree centralisation of a degree sequence: sum(max - d_i) over its largest
    possible value, (n-1)^2 directed (in or out), (n-1)(n-2) undirected."""
    n = len(degrees)
    if n < (2 if directed else 3):
        return None
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) ** 2 if directed else (n - 1) * (n - 2))


def betweenness_centralisation(g: ig.Graph, scores: Sequence[float] | None = None) -> float | None:
    """Freeman betweenness centralisation: sum(max - b_i) / the star's sum; None if n < 3.

    ``b_i`` is raw betweenness along directed paths on a directed graph. The star's sum, the
    largest possible, is (n-1)^2 (n-2) for directed paths and half that for undirected ones
    (igraph's ``centr_betw`` and UCINET's normalisation agree). ``scores``: the raw
    betweenness when the caller has it already.
    """
    n = g.vcount()
    if n < 3:
        return None
    if scores is None:
        scores = g.betweenness(directed=g.is_directed())
    star = (n - 1) ** 2 * (n - 2)
    if not g.is_directed():
        star /= 2
    top = max(scores)
    return sum(top - b for b in scores) / star


# -- person centrality ------------------------------------------------------------------------


def eigenvector(g: ig.Graph) -> list[float]:
    """Eigenvector centrality on the undirected, simple version of ``g``, largest = 1.

    This is Bonacich's measure, defined for a connected graph. On a disconnected graph the
    leading eigenvector lives on the component with the largest leading eigenvalue (the
    densest core), so people elsewhere score 0; that is the standard whole-graph answer,
    computed here per component so igraph has no disconnected graph to warn about. When
    several components tie for that eigenvalue each keeps its own scores.
    """
    u = _simple_undirected(g)
    scores = [0.0] * u.vcount()
    best: list[tuple[float, list[int], list[float]]] = []
    for part in u.connected_components():
        if len(part) < 2:
            continue
        sub = u.induced_subgraph(part)
        values, value = sub.eigenvector_centrality(return_eigenvalue=True)
        peak = max(abs(x) for x in values)
        best.append((value, part, [abs(x) / peak for x in values]))
    if not best:
        return scores
    top = max(value for value, _, _ in best)
    for value, part, values in best:
        if math.isclose(value, top, rel_tol=1e-9):
            for vertex, score in zip(part, values, strict=True):
                scores[vertex] = score
    return scores


# -- brokerage and cut points -----------------------------------------------------------------


def brokerage(g: ig.Graph, attr: str) -> dict[int, dict[str, int]]:
    """Gould and Fernandez brokerage counts of each vertex on a directed graph.

    Vertex ``b`` brokers each 2-path a -> b -> c with a != c and no arc a -> c. By the groups
    of (a, b, c): coordinator (all one group), itinerant (a and c together, b outside),
    representative (a with b, c outside: b speaks for its group), gatekeeper (b with c,
    a outside: b lets the outside in), liaison (all three different). Paths through a vertex
    with no group are not counted. An undirected graph is read as mutual arcs.
    """
    groups = list(g.vs[attr])
    out_sets = [set(n) for n in g.get_adjlist(mode="out")]
    in_sets = [set(n) for n in g.get_adjlist(mode="in")]
    result: dict[int, dict[str, int]] = {}
    for b in range(g.vcount()):
        counts = dict.fromkeys(BROKERAGE_ROLES, 0)
        gb = groups[b]
        if gb is not None:
            for a in in_sets[b]:
                ga = groups[a]
                if ga is None or a == b:
                    continue
                for c in out_sets[b]:
                    if c in (a, b) or c in out_sets[a] or groups[c] is None:
                        continue
                    counts[_role(ga, gb, groups[c])] += 1
        result[b] = counts
    return result


def _role(ga: Any, gb: Any, gc: Any) -> str:
    if ga == gb == gc:
        return "coordinator"
    if ga == gc:
        return "itinerant"
    if ga == gb:
        return "representative"
    if gb == gc:
        return "gatekeeper"
    return "liaison"


def articulation_points(g: ig.Graph) -> list[int]:
    """Vertices whose removal disconnects their component (on the undirected version)."""
    return sorted(_simple_undirected(g).articulation_points())


def bridges(g: ig.Graph) -> list[tuple[int, int]]:
    """Ties whose removal disconnects their component (undirected version), as (low, high)."""
    u = _simple_undirected(g)
    pairs = (u.es[e].tuple for e in u.bridges())
    return sorted((min(a, b), max(a, b)) for a, b in pairs)


# -- helpers ---------------------------------------------------------------------------------


def degree_counts(g: ig.Graph, mode: Mode) -> list[int]:
    """Degrees counting distinct neighbours, not repeated ties or loops."""
    return _simple(g).degree(mode=mode, loops=False)


def group_sizes(values: Iterable[Hashable]) -> Counter:
    """How many vertices carry each attribute value (None left out)."""
    return Counter(v for v in values if v is not None)


def by_group(values: Iterable[Hashable]) -> dict[Hashable, list[int]]:
    """Vertex indices of each attribute value, in vertex order (None left out)."""
    members: dict[Hashable, list[int]] = defaultdict(list)
    for vertex, value in enumerate(values):
        if value is not None:
            members[value].append(vertex)
    return dict(members)


# -- a network's figures ----------------------------------------------------------------------


def _round(value: float | None, places: int = 6) -> float | None:
    return None if value is None else round(value, places)


def _school_pair_counts(g: ig.Graph) -> tuple[int, int, int, int]:
    """(within arcs, cross arcs, within pairs possible, cross pairs possible) by school,
    counted as ordered pairs on a directed graph; people with no school are left out."""
    schools = g.vs["school"]
    within = cross = 0
    for a, b in g.get_edgelist():
        if schools[a] is None or schools[b] is None:
            continue
        if schools[a] == schools[b]:
            within += 1
        else:
            cross += 1
    sizes = group_sizes(schools)
    known = sum(sizes.values())
    possible_within = sum(k * (k - 1) for k in sizes.values())
    possible_cross = known * known - sum(k * k for k in sizes.values())
    if not g.is_directed():
        possible_within //= 2
        possible_cross //= 2
    return within, cross, possible_within, possible_cross


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def cross_school_density(g: ig.Graph) -> float | None:
    """Ties between people of different schools over the pairs of such people possible."""
    _, cross, _, possible = _school_pair_counts(g)
    return _ratio(cross, possible)


def within_school_density(g: ig.Graph) -> float | None:
    """Ties between people of the same school over the same-school pairs possible."""
    within, _, possible, _ = _school_pair_counts(g)
    return _ratio(within, possible)


CROSS_SCHOOL_ROLES = ("itinerant", "representative", "gatekeeper", "liaison")


# Which graph each figure comes from, so a reader (and the JSON) can tell.
SOURCES = {
    "advice": "advice graph: questionnaire nominations of the latest survey round, directed",
    "ties": "tie graph: advice or recorded collaboration in the window, undirected",
    "schools": "school graph: schools joined by person ties, transfers or hosted activities",
    "records": "recorded activity (groups, coaching, training, activities, transfers, roles)",
}


@dataclass(frozen=True)
class Graphs:
    """The three graphs one ``compute`` call works on, built once and shared."""

    advice: ig.Graph
    ties: ig.Graph
    schools: ig.Graph
    has_advice: bool


def build_graphs(s: Snapshot, since: str | None) -> Graphs:
    """The advice, tie and school graphs of a snapshot (``since`` bounds dated events)."""
    advice, ties, schools = all_graphs(s, since)
    return Graphs(advice, ties, schools, bool(s.advice))


class _Figures:
    """Per-vertex figures that several rows need, computed once per graph."""

    def __init__(self, g: Graphs) -> None:
        self.school_parts = components(g.schools)
        self.cut_points = set(articulation_points(g.ties))
        self.bridges = bridges(g.ties)
        self.tie_degree = g.ties.degree()
        self.brokerage: dict[int, dict[str, int]] = {}
        if g.has_advice:
            self.in_degree = degree_counts(g.advice, "in")
            self.out_degree = degree_counts(g.advice, "out")
            self.betweenness = g.advice.betweenness(directed=True)
            self.eigenvector = eigenvector(g.advice)
            self.brokerage = brokerage(g.advice, "school")
        self.broker = [
            v in self.cut_points
            or any(self.brokerage.get(v, {}).get(role, 0) for role in CROSS_SCHOOL_ROLES)
            for v in range(g.ties.vcount())
        ]
        schools = g.ties.vs["school"]
        self.cross_ties = [0] * g.ties.vcount()
        for a, b in g.ties.get_edgelist():
            if schools[a] and schools[b] and schools[a] != schools[b]:
                self.cross_ties[a] += 1
                self.cross_ties[b] += 1


_TIE_FIGURES = (
    "ties",
    "tie_density",
    "tie_cross_school_density",
    "tie_ei_index",
    "tie_components",
    "isolates",
    "articulation_points",
    "bridges",
)
_SCHOOL_FIGURES = (
    "school_links",
    "school_density",
    "school_components",
    "school_component_members",
    "isolated_schools",
    "school_degree_centralisation",
)


def _advice_figures(advice: ig.Graph, f: _Figures) -> dict[str, Any]:
    return {
        "density": density(advice),
        "within_school_density": within_school_density(advice),
        "cross_school_density": cross_school_density(advice),
        "reciprocity": reciprocity(advice),
        "reciprocity_dyad": reciprocity(advice, "dyad"),
        "ei_index": ei_index(advice, "school"),
        "ei_index_layer": ei_index(advice, "layer"),
        "components": len(components(advice)),
        "advice_isolates": len(isolates(advice)),
        "degree_centralisation": degree_centralisation(advice, "in"),
        "out_degree_centralisation": degree_centralisation(advice, "out"),
        "betweenness_centralisation": betweenness_centralisation(advice, f.betweenness),
        "senior_nomination_share": _senior_share(advice),
    }


ADVICE_FIGURES = (
    "density",
    "within_school_density",
    "cross_school_density",
    "reciprocity",
    "reciprocity_dyad",
    "ei_index",
    "ei_index_layer",
    "components",
    "advice_isolates",
    "degree_centralisation",
    "out_degree_centralisation",
    "betweenness_centralisation",
    "senior_nomination_share",
)


def _network_row(s: Snapshot, g: Graphs, f: _Figures) -> dict[str, Any]:
    row: dict[str, Any] = {
        "schools": len(s.schools),
        "people": len(s.people),
        "survey": s.survey,
        "advice_ties": g.advice.ecount(),
        "advice_rows": len(s.advice),
    }
    if g.has_advice:
        row.update(_advice_figures(g.advice, f))
    else:
        row.update(dict.fromkeys(ADVICE_FIGURES))
    ties, schools = g.ties, g.schools
    row.update(
        {
            "ties": ties.ecount(),
            "tie_density": density(ties),
            "tie_cross_school_density": cross_school_density(ties),
            "tie_ei_index": ei_index(ties, "school"),
            "tie_components": len(components(ties)),
            "isolates": len(isolates(ties)),
            "articulation_points": len(f.cut_points),
            "bridges": len(f.bridges),
            "brokers": sum(f.broker),
            "school_links": schools.ecount(),
            "school_density": density(schools),
            "school_components": len(f.school_parts),
            "school_component_members": [
                [s.schools[i].uid for i in part] for part in f.school_parts
            ],
            "isolated_schools": [s.schools[i].uid for i in isolates(schools)],
            "school_degree_centralisation": degree_centralisation(schools, "all"),
        }
    )
    row["sources"] = {
        **dict.fromkeys(("advice_ties", "advice_rows", *ADVICE_FIGURES), "advice"),
        **dict.fromkeys(_TIE_FIGURES, "ties"),
        "brokers": "advice (Gould-Fernandez by school) or ties (articulation points)",
        **dict.fromkeys(_SCHOOL_FIGURES, "schools"),
    }
    return row


def _senior_share(advice: ig.Graph) -> float | None:
    """Share of advice nominations (arcs) that go to senior staff (Torrance's "gift")."""
    layers = advice.vs["layer"]
    targets = [layers[b] for _, b in advice.get_edgelist()]
    return _ratio(sum(layer == "senior" for layer in targets), len(targets))


def _within_school(advice: ig.Graph) -> tuple[Counter, list[int]]:
    """Arcs inside each school, and each person's in-degree from their own school: a
    school's own advice network without building a subgraph per school."""
    schools = advice.vs["school"]
    arcs: Counter = Counter()
    in_within = [0] * advice.vcount()
    for a, b in advice.get_edgelist():
        if schools[a] is not None and schools[a] == schools[b]:
            arcs[schools[a]] += 1
            in_within[b] += 1
    return arcs, in_within


def _school_rows(s: Snapshot, g: Graphs, f: _Figures) -> list[dict[str, Any]]:
    members = by_group(g.ties.vs["school"])
    advice_ei = ei_by_group(g.advice, "school") if g.has_advice else {}
    tie_ei = ei_by_group(g.ties, "school")
    component_of = {v: n for n, part in enumerate(f.school_parts) for v in part}
    partners = g.schools.degree()
    arcs_within, in_within = _within_school(g.advice)
    rows = []
    for i, school in enumerate(s.schools):
        people = members.get(school.uid, [])
        row: dict[str, Any] = {
            "school_id": school.key,
            "uid": school.uid,
            "name": school.name,
            "people": len(people),
            "staff": sum(s.people[v].layer in STAFF_LAYERS for v in people),
            "density": None,
            "ei_index": advice_ei.get(school.uid),
            "in_degree_centralisation": None,
            "nominations_received": None,
        }
        if g.has_advice:
            k = len(people)
            row["density"] = arcs_within[school.uid] / (k * (k - 1)) if k >= 2 else None
            row["in_degree_centralisation"] = freeman([in_within[v] for v in people], True)
            row["nominations_received"] = sum(f.in_degree[v] for v in people)
        row.update(
            {
                "tie_ei_index": tie_ei.get(school.uid),
                "cross_school_ties": sum(f.cross_ties[v] for v in people),
                "partner_schools": partners[i],
                "isolated": partners[i] == 0,
                "component": component_of[i],
                "isolates": sum(f.tie_degree[v] == 0 for v in people),
                "brokers": sum(f.broker[v] for v in people),
                "articulation_points": len(f.cut_points.intersection(people)),
            }
        )
        rows.append(row)
    return rows


def _person_rows(s: Snapshot, g: Graphs, f: _Figures) -> list[dict[str, Any]]:
    school_key = {school.uid: school.key for school in s.schools}
    rows = []
    for v, person in enumerate(s.people):
        advice: dict[str, Any] = dict.fromkeys(
            ("in_degree", "out_degree", "betweenness", "eigenvector", "brokerage")
        )
        if g.has_advice:
            advice = {
                "in_degree": f.in_degree[v],
                "out_degree": f.out_degree[v],
                "betweenness": _round(f.betweenness[v]),
                "eigenvector": _round(f.eigenvector[v]),
                "brokerage": f.brokerage[v],
            }
        rows.append(
            {
                "person_id": person.key,
                "uid": person.uid,
                "school_id": school_key.get(person.school_uid or ""),
                "school_uid": person.school_uid,
                "layer": person.layer,
                **advice,
                "broker": f.broker[v],
                "articulation_point": v in f.cut_points,
                "ties": f.tie_degree[v],
                "cross_school_ties": f.cross_ties[v],
                "isolate": f.tie_degree[v] == 0,
            }
        )
    return rows


def graph_metrics(s: Snapshot, g: Graphs) -> dict[str, Any]:
    """The figures that come from the graphs: network row, school rows, person rows."""
    figures = _Figures(g)
    return {
        "network_metrics": _network_row(s, g, figures),
        "schools": _school_rows(s, g, figures),
        "people": _person_rows(s, g, figures),
    }


def _add_record_columns(
    s: Snapshot, result: dict[str, Any], since: str | None, per_person: dict[str, dict[str, int]]
) -> None:
    """Participation, roles, hosting and transfer columns on the school and person rows."""
    titles: dict[str, list[str]] = defaultdict(list)
    for role in current_roles(s):
        titles[role.person_uid].append(role.title)
    for row in result["people"]:
        mine = per_person[row["uid"]]
        row.update(
            {
                "attended": mine["attended"],
                "led": mine["led"],
                "coached": mine["coached"],
                "participation": mine["total"],
                "cross_school_participation": mine["cross_school"],
                "roles": sorted(titles.get(row["uid"], [])),
            }
        )
    transfers = transfer_matrix(s, since)
    roles = Counter(s.school_of(r.person_uid) for r in current_roles(s))
    recent = [a for a in s.activities if in_window(a.date, since)]
    hosted = Counter(a.host_school_uid for a in recent)
    decided = Counter(a.decided_by_school_uid for a in recent if a.has_decision)
    participation: Counter = Counter()
    for person in s.people:
        participation[person.school_uid] += per_person[person.uid]["total"]
    for i, (school, row) in enumerate(zip(s.schools, result["schools"], strict=True)):
        row.update(
            {
                "participation": participation.get(school.uid, 0),
                "roles": roles.get(school.uid, 0),
                "activities_hosted": hosted.get(school.uid, 0),
                "decisions": decided.get(school.uid, 0),
                "shared": transfers["shared"][i],
                "adopted": transfers["adopted"][i],
                "networks": school.networks,
            }
        )


def compute(s: Snapshot, window_terms: int | None = 2) -> dict[str, Any]:
    """Every figure for a snapshot, JSON-ready (docs/analysis.md defines each one).

    Dated events (sessions, activities, coaching sessions, training, transfers) count in a
    window of ``window_terms`` terms ending with the term holding ``s.at`` (default 2, the
    signs' "last two terms"; None for every event up to ``at``); the window's first day is
    reported as ``network_metrics.since``. Advice figures come from the latest survey round
    and are None when the snapshot has no advice; ``network_metrics.sources`` names the
    graph behind each network figure.
    """
    since = window_start(s.at, window_terms)
    result: dict[str, Any] = {"network": s.network_uid, "at": s.at}
    result.update(graph_metrics(s, build_graphs(s, since)))
    result["network_metrics"]["since"] = since
    per_person = person_participation(s, since)
    _add_record_columns(s, result, since, per_person)
    result.update(
        {
            "participation": participation_summary(per_person),
            "activity_by_term": activity_by_term(s),
            "transfer_matrix": transfer_matrix(s),
            "levels": level_coverage(s, since),
            "leadership_density": leadership_density(s),
            "leadership_origins": origin_mix(s),
            "designated_vs_recognised": designated_vs_recognised(s),
            "sources": SOURCES,
        }
    )
    return result
