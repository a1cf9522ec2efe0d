"""The four graphs the metrics and warning signs are computed on, built from a snapshot.

- ``advice_graph``: who goes to whom for advice (the questionnaire), directed.
- ``collaboration_graph``: who works with whom in recorded network life (coaching, training,
  enquiry groups, shared sessions and activities), undirected.
- ``tie_graph``: either of the two, undirected; "are these two people connected at all".
- ``school_graph``: schools joined by person ties, knowledge transfer or hosted activities.

Person graphs have one vertex per ``s.people`` in snapshot order, so a vertex index is also
an index into ``s.people``; rows that name someone outside ``s.people`` (a person who has left,
or a nominee from another network) are dropped rather than given a vertex, because a tie to
someone who is not in the network at ``at`` says nothing about its structure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import combinations

import igraph as ig

from tracker.analysis.participation import active_groups, current_pairs
from tracker.analysis.snapshot import Snapshot

# Least to most frequent: the order a tie's rows are compared in.
FREQUENCIES = ("termly", "monthly", "weekly", "daily")
_FREQUENCY_RANK = {name: rank for rank, name in enumerate(FREQUENCIES)}

Pair = tuple[int, int]
# What joins each pair, counted by kind: {(0, 3): {"advice": 2, "group": 1}}.
Occasions = dict[Pair, dict[str, int]]


def _counts() -> dict[str, int]:
    """A tally that starts at zero for any kind (a plain defaultdict: far cheaper to create
    than a Counter, and one is made per pair of people)."""
    return defaultdict(int)


def _person_graph(s: Snapshot, directed: bool) -> ig.Graph:
    g = ig.Graph(n=len(s.people), directed=directed)
    g.vs["uid"] = [p.uid for p in s.people]
    g.vs["key"] = [p.key for p in s.people]
    g.vs["name"] = [p.name for p in s.people]
    g.vs["school"] = [p.school_uid for p in s.people]
    g.vs["layer"] = [p.layer for p in s.people]
    return g


def person_index(s: Snapshot) -> dict[str, int]:
    """Vertex index of each person uid in the person graphs (snapshot order), cached."""
    cached = s.extra.get("_person_index")
    if cached is None:
        cached = {p.uid: i for i, p in enumerate(s.people)}
        s.extra["_person_index"] = cached
    return cached


def _most_frequent(values: Iterable[str | None]) -> str | None:
    known = [v for v in values if v in _FREQUENCY_RANK]
    return max(known, key=_FREQUENCY_RANK.__getitem__) if known else None


def advice_graph(s: Snapshot) -> ig.Graph:
    """Directed advice ties of ``s.advice``, one edge per (source, target) pair.

    Several rows for one pair (one per topic) collapse into one edge: ``topics`` sorted,
    ``frequency`` the most frequent of the rows, ``influence`` the highest, ``weight`` the
    number of rows. Self-nominations are dropped.
    """
    index = person_index(s)
    rows: dict[Pair, list] = defaultdict(list)
    for tie in s.advice:
        a, b = index.get(tie.source), index.get(tie.target)
        if a is None or b is None or a == b:
            continue
        rows[(a, b)].append(tie)
    g = _person_graph(s, directed=True)
    pairs = list(rows)
    g.add_edges(pairs)
    g.es["topics"] = [sorted({t.topic for t in rows[p] if t.topic}) for p in pairs]
    g.es["frequency"] = [_most_frequent(t.frequency for t in rows[p]) for p in pairs]
    g.es["influence"] = [
        max((t.influence for t in rows[p] if t.influence is not None), default=None) for p in pairs
    ]
    g.es["weight"] = [len(rows[p]) for p in pairs]
    return g


def _pairs(members: Iterable[int]) -> Iterator[Pair]:
    """Every unordered pair of distinct vertices, smaller index first."""
    return combinations(sorted(set(members)), 2)


def _on_or_after(date: str | None, since: str | None) -> bool:
    """Whether a dated event counts: all dated events when ``since`` is None."""
    if date is None:
        return since is None
    return since is None or date >= since


def collaboration_occasions(s: Snapshot, since: str | None = None) -> Occasions:
    """For each unordered pair of people, how many shared occasions of each kind.

    Kinds: ``coaching`` (a current pair: one occasion per pair), ``training`` (one per
    TRAINED record, whenever it happened: the cascade link outlives the day), ``group``
    (one per enquiry group running at ``at`` that both belong to), ``activity`` (one per group
    session or network activity dated on or after ``since`` that both attended).
    """
    index = person_index(s)
    occasions: Occasions = defaultdict(_counts)

    def add(uids: Iterable[str | None], kind: str) -> None:
        for pair in _pairs(index[u] for u in uids if u in index):
            occasions[pair][kind] += 1

    for pair in current_pairs(s):
        add((pair.person_a, pair.person_b), "coaching")
    for row in s.trained:
        add((row.trainer_uid, row.trainee_uid), "training")
    running = {group.uid for group in active_groups(s)}
    for group in s.groups:
        if group.uid in running:
            add((m.person_uid for m in group.members), "group")
        for session in group.sessions:
            if _on_or_after(session.date, since):
                add(session.attendees, "activity")
    for activity in s.activities:
        if _on_or_after(activity.date, since):
            add(activity.attendees, "activity")
    return occasions


def _undirected_from(s: Snapshot, occasions: Occasions) -> ig.Graph:
    g = _person_graph(s, directed=False)
    pairs = sorted(occasions)
    g.add_edges(pairs)
    g.es["kinds"] = [sorted(occasions[p]) for p in pairs]
    g.es["weight"] = [sum(occasions[p].values()) for p in pairs]
    return g


def collaboration_graph(s: Snapshot, since: str | None = None) -> ig.Graph:
    """Undirected graph of shared recorded work; see :func:`collaboration_occasions`."""
    return _undirected_from(s, collaboration_occasions(s, since))


def tie_occasions(
    s: Snapshot, since: str | None = None, advice: ig.Graph | None = None
) -> Occasions:
    """Collaboration occasions plus ``advice``: one per advice row in either direction.

    ``advice`` is the snapshot's advice graph when the caller has already built it.
    """
    occasions = collaboration_occasions(s, since)
    advice = advice_graph(s) if advice is None else advice
    for (a, b), weight in zip(advice.get_edgelist(), advice.es["weight"], strict=True):
        occasions[(min(a, b), max(a, b))]["advice"] += weight
    return occasions


def tie_graph(s: Snapshot, since: str | None = None) -> ig.Graph:
    """Undirected union of advice and collaboration: are two people connected at all."""
    return _undirected_from(s, tie_occasions(s, since))


def school_index(s: Snapshot) -> dict[str, int]:
    """Vertex index of each school uid in the school graph (snapshot order)."""
    return {school.uid: i for i, school in enumerate(s.schools)}


def school_links(s: Snapshot, since: str | None = None, ties: Occasions | None = None) -> Occasions:
    """For each unordered pair of schools, what joins them, as counts.

    ``ties``: person ties (``tie_graph`` edges) between people of the two schools, one per
    tie whatever its kinds, which are also counted under their own names (``advice``,
    ``coaching``, ``training``, ``group``, ``activity``); ``transfer``: knowledge transfers
    from one to the other dated on or after ``since``; ``hosted``: attendances at an activity
    hosted by one school by people of the other, dated on or after ``since``. People with no
    school, and schools outside ``s.schools``, join nothing. ``ties`` is ``tie_occasions``
    when the caller has it already.
    """
    schools = school_index(s)
    people = s.people
    links: Occasions = defaultdict(_counts)

    def pair_of(a: str | None, b: str | None) -> Pair | None:
        i, j = schools.get(a or ""), schools.get(b or "")
        if i is None or j is None or i == j:
            return None
        return (min(i, j), max(i, j))

    ties = tie_occasions(s, since) if ties is None else ties
    for (a, b), kinds in ties.items():
        pair = pair_of(people[a].school_uid, people[b].school_uid)
        if pair:
            counts = links[pair]
            counts["ties"] += 1
            for kind in kinds:
                counts[kind] += 1
    for transfer in s.transfers:
        pair = pair_of(transfer.from_school_uid, transfer.to_school_uid)
        if pair and _on_or_after(transfer.date, since):
            links[pair]["transfer"] += 1
    for activity in s.activities:
        if activity.host_school_uid and _on_or_after(activity.date, since):
            for uid in activity.attendees:
                pair = pair_of(activity.host_school_uid, s.school_of(uid))
                if pair:
                    links[pair]["hosted"] += 1
    return links


# The counts in ``school_links`` that make up an edge's weight; the rest are breakdowns.
_WEIGHT_PARTS = ("ties", "transfer", "hosted")


def school_graph(s: Snapshot, since: str | None = None) -> ig.Graph:
    """Undirected graph of schools linked by person ties, transfers or hosted activities.

    Edge ``weight`` = cross-school person ties + transfers + hosted attendances; ``kinds``
    names what joins the pair (person-tie kinds, ``transfer``, ``hosted``); ``ties``,
    ``transfers`` and ``hosted`` give the three parts of the weight.
    """
    return _school_graph_from(s, school_links(s, since))


def _school_graph_from(s: Snapshot, links: Occasions) -> ig.Graph:
    g = ig.Graph(n=len(s.schools), directed=False)
    g.vs["uid"] = [school.uid for school in s.schools]
    g.vs["key"] = [school.key for school in s.schools]
    g.vs["name"] = [school.name for school in s.schools]
    pairs = sorted(links)
    g.add_edges(pairs)
    g.es["kinds"] = [sorted(k for k, n in links[p].items() if n and k != "ties") for p in pairs]
    g.es["weight"] = [sum(links[p].get(k, 0) for k in _WEIGHT_PARTS) for p in pairs]
    g.es["ties"] = [links[p].get("ties", 0) for p in pairs]
    g.es["transfers"] = [links[p].get("transfer", 0) for p in pairs]
    g.es["hosted"] = [links[p].get("hosted", 0) for p in pairs]
    return g


def all_graphs(s: Snapshot, since: str | None = None) -> tuple[ig.Graph, ig.Graph, ig.Graph]:
    """(advice, tie, school) graphs, sharing the work the three have in common."""
    advice = advice_graph(s)
    occasions = tie_occasions(s, since, advice)
    ties = _undirected_from(s, occasions)
    return advice, ties, _school_graph_from(s, school_links(s, since, occasions))
