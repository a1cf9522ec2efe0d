"""An influence map's person ties and the figures on them (nominations, brokers, cut points).

Pure: from a :class:`~tracker.analysis.snapshot.Snapshot` already cut and filtered for one map,
so that a filter changes the highlights together with the lines. Used by
``tracker.services.maps``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import igraph as ig

from tracker.analysis import graphs, metrics
from tracker.analysis.participation import current_roles
from tracker.analysis.snapshot import Snapshot


@dataclass
class Tie:
    """What joins two people (``a`` < ``b`` by uid): occasions by kind, and directions."""

    a: str
    b: str
    kinds: Counter = field(default_factory=Counter)
    advice_ab: bool = False
    advice_ba: bool = False
    role_ab: bool = False
    role_ba: bool = False


Ties = dict[tuple[str, str], Tie]


def _tie(ties: Ties, x: str, y: str) -> tuple[Tie, bool]:
    """The tie of the pair, and whether ``x`` is its ``a`` end."""
    key = (x, y) if x < y else (y, x)
    tie = ties.get(key)
    if tie is None:
        tie = ties[key] = Tie(*key)
    return tie, key[0] == x


def person_ties(s: Snapshot, kinds: Iterable[str]) -> Ties:
    """Ties among ``s.people`` of the chosen kinds (``s`` already filtered)."""
    kinds = set(kinds)
    uids = [p.uid for p in s.people]
    ties: Ties = {}
    if "advice" in kinds:
        advice = graphs.advice_graph(s)
        for (i, j), weight in zip(advice.get_edgelist(), advice.es["weight"], strict=True):
            tie, forward = _tie(ties, uids[i], uids[j])
            tie.kinds["advice"] += weight
            if forward:
                tie.advice_ab = True
            else:
                tie.advice_ba = True
    if kinds & {"coaching", "group", "training"}:
        for (i, j), counts in sorted(graphs.collaboration_occasions(s).items()):
            wanted = {k: n for k, n in counts.items() if k in kinds and n}
            if wanted:
                tie, _ = _tie(ties, uids[i], uids[j])
                tie.kinds.update(wanted)
    if "role" in kinds:
        present = set(uids)
        for role in current_roles(s):
            by, holder = role.designated_by, role.person_uid
            if by in present and holder in present and by != holder:
                tie, forward = _tie(ties, by, holder)
                tie.kinds["role"] += 1
                if forward:
                    tie.role_ab = True
                else:
                    tie.role_ba = True
    return dict(sorted(ties.items()))


@dataclass
class Figures:
    """Per-person figures of one map: nominations, brokerage, cut points, isolates."""

    in_degree: dict[str, int]
    broker: set[str]
    cut_points: set[str]
    degree: dict[str, int]


def figures(s: Snapshot, ties: Ties) -> Figures:
    """Figures on the map's own ties, so a filter changes the highlights with the lines."""
    uids = [p.uid for p in s.people]
    index = {uid: i for i, uid in enumerate(uids)}
    advice = ig.Graph(n=len(uids), directed=True)
    advice.vs["school"] = [p.school_uid for p in s.people]
    arcs = []
    for t in ties.values():
        if t.advice_ab:
            arcs.append((index[t.a], index[t.b]))
        if t.advice_ba:
            arcs.append((index[t.b], index[t.a]))
    advice.add_edges(arcs)
    undirected = ig.Graph(n=len(uids), edges=[(index[t.a], index[t.b]) for t in ties.values()])
    cut = {uids[v] for v in metrics.articulation_points(undirected)}
    brokers = set(cut)
    if arcs:
        for v, counts in metrics.brokerage(advice, "school").items():
            if any(counts.get(role, 0) for role in metrics.CROSS_SCHOOL_ROLES):
                brokers.add(uids[v])
    in_degree = dict(zip(uids, advice.degree(mode="in"), strict=True))
    degree = dict(zip(uids, undirected.degree(), strict=True))
    return Figures(in_degree, brokers, cut, degree)
