"""The change view: ties gained and lost between two dates, on one layout of both."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from tracker.analysis.snapshot import Snapshot
from tracker.analysis.ties import figures, person_ties
from tracker.services.maps.document import Context, _document, _legend, _people_map, _summary
from tracker.services.maps.filters import filtered


def change_view(c: Context, before: Snapshot, after: Snapshot) -> dict[str, Any]:
    """Ties gained and lost between two dates, drawn on one layout of both."""
    f = c.filters
    s_before, s_after = filtered(before, f), filtered(after, f)
    ties_before = person_ties(s_before, f.kinds)
    ties_after = person_ties(s_after, f.kinds)
    people = {p.uid: p for p in s_before.people}
    people.update({p.uid: p for p in s_after.people})
    union = replace(s_after, people=tuple(people.values()), extra={})
    ties = {**ties_before, **ties_after}
    fig = figures(union, ties_after)
    nodes, edges, clusters = _people_map(c, union, list(people.values()), ties, fig)
    in_before = {p.uid for p in s_before.people}
    in_after = {p.uid for p in s_after.people}
    change_of_person = {
        c.namer.node_id(p): "gained"
        if p.uid not in in_before
        else ("lost" if p.uid not in in_after else "same")
        for p in people.values()
    }
    for node in nodes:
        node["change"] = change_of_person[node["id"]]
    ids = {p.uid: c.namer.node_id(p) for p in people.values()}
    change_of_edge = {}
    for key, t in ties.items():
        first, second = sorted((ids[t.a], ids[t.b]))
        was, now = key in ties_before, key in ties_after
        change_of_edge[f"{first}~{second}"] = (
            "same" if was and now else ("gained" if now else "lost")
        )
    for edge in edges:
        edge["change"] = change_of_edge[edge["id"]]
    counts = Counter(e["change"] for e in edges)
    people_counts = Counter(n["change"] for n in nodes)
    summary = _summary(
        nodes,
        edges,
        schools=len(clusters),
        **{"from": before.at, "to": after.at},
        survey_from=before.survey,
        survey_to=after.survey,
        gained=counts.get("gained", 0),
        lost=counts.get("lost", 0),
        same=counts.get("same", 0),
        people_joined=people_counts.get("gained", 0),
        people_left=people_counts.get("lost", 0),
    )
    extra = (
        ("change:gained", "Gained", "edge"),
        ("change:lost", "Lost", "edge"),
        ("change:same", "Unchanged", "edge"),
    )
    return _document(c, nodes, edges, clusters, _legend(nodes, edges, extra), summary)
