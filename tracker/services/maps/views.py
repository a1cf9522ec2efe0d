"""The map views of one cut: the network, the schools, one school's reach, its sociogram."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from typing import Any

import igraph as ig

from tracker.access import Scope
from tracker.analysis import layout, metrics
from tracker.analysis.participation import current_roles, designated_vs_recognised
from tracker.analysis.ties import figures, person_ties
from tracker.services.maps.document import (
    LAYERS,
    Context,
    _document,
    _edge,
    _heads,
    _holders,
    _legend,
    _link,
    _ordered,
    _people_map,
    _person_node,
    _school_node,
    _size,
    _summary,
)
from tracker.services.maps.filters import filtered


def network_view(c: Context) -> dict[str, Any]:
    """Everyone, schools as clusters; ``school`` keeps that school's people and whoever they
    are tied to."""
    s = filtered(c.s, c.filters)
    ties = person_ties(s, c.filters.kinds)
    fig = figures(s, ties)
    people = list(s.people)
    if c.filters.school:
        mine = {p.uid for p in people if p.school_uid == c.filters.school}
        ties = {k: t for k, t in ties.items() if t.a in mine or t.b in mine}
        linked = mine | {u for t in ties.values() for u in (t.a, t.b)}
        people = [p for p in people if p.uid in linked]
    nodes, edges, clusters = _people_map(c, s, people, ties, fig)
    summary = _summary(nodes, edges, schools=len(clusters), survey=c.s.survey)
    return _document(c, nodes, edges, clusters, _legend(nodes, edges), summary)


def schools_view(c: Context) -> dict[str, Any]:
    """Schools as nodes; lines weighted by the cross-school person ties of the chosen kinds;
    knowledge transfers as arrows from the sharing school to the adopting one."""
    s = filtered(c.s, c.filters)
    ties = person_ties(s, c.filters.kinds)
    school = {p.uid: p.school_uid for p in s.people}
    rows = sorted(c.s.schools, key=lambda r: r.uid)
    index = {r.uid: i for i, r in enumerate(rows)}
    pairs: dict[tuple[str, str], Counter] = defaultdict(Counter)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    received: Counter = Counter()
    for t in ties.values():
        x, y = school.get(t.a), school.get(t.b)
        if not x or not y or x == y or x not in index or y not in index:
            continue
        key = (x, y) if x < y else (y, x)
        pairs[key].update(t.kinds)
        counts[key] += 1
        received[y] += t.advice_ab
        received[x] += t.advice_ba
    flows: Counter = Counter(
        (t.from_school_uid, t.to_school_uid)
        for t in c.s.transfers
        if t.from_school_uid in index
        and t.to_school_uid in index
        and t.from_school_uid != t.to_school_uid
    )
    links = sorted(pairs)
    g = ig.Graph(n=len(rows), edges=[(index[a], index[b]) for a, b in links])
    cut = {rows[v].uid for v in metrics.articulation_points(g)}
    edge_pairs = links + sorted((min(a, b), max(a, b)) for a, b in flows)
    weights = [counts[p] for p in links] + [flows[p] for p in sorted(flows)]
    placed = layout.nodes_only(
        len(rows), [(index[a], index[b]) for a, b in edge_pairs], [float(w) for w in weights]
    )
    staff = Counter(p.school_uid for p in s.people)
    degree = g.degree()
    nodes = [
        _school_node(
            r.uid,
            r.name,
            point,
            _size(staff.get(r.uid, 0)),
            in_degree=received.get(r.uid, 0),
            broker=r.uid in cut,
            articulation_point=r.uid in cut,
            isolate=degree[i] == 0,
            people=staff.get(r.uid, 0),
        )
        for i, (r, point) in enumerate(zip(rows, placed.points, strict=True))
    ]
    edges = [_link(f"{a}~{b}", a, b, pairs[(a, b)], counts[(a, b)]) for a, b in links]
    edges += [
        _link(f"transfer:{a}>{b}", a, b, ["transfer"], n, True, (b, a) in flows)
        for (a, b), n in sorted(flows.items())
    ]
    nodes = sorted(nodes, key=lambda n: (n["label"], n["id"]))
    summary = {
        "nodes": len(nodes),
        "edges": len(edges),
        "schools": len(nodes),
        "school_links": len(links),
        "transfer_flows": len(flows),
        "transfers": sum(flows.values()),
        "components": len(metrics.components(g)) if rows else 0,
        "isolated_schools": sum(n["isolate"] for n in nodes),
        "cross_school_ties": sum(counts.values()),
    }
    return _document(c, nodes, edges, [], _legend(nodes, edges), summary)


def _centre(c: Context, scope: Scope) -> str | None:
    """The school a centred view is about: the filter, a leader's own school, or the first."""
    if c.filters.school:
        return c.filters.school
    if scope.role == "leader" and scope.school_uid in {r.uid for r in c.s.schools}:
        return scope.school_uid
    return c.s.schools[0].uid if c.s.schools else None


def ego_view(c: Context, centre: str | None) -> dict[str, Any]:
    """One school's people, their ties out, and the schools they reach (as school nodes, so
    no other school's people are shown), with who carries each link."""
    s = filtered(c.s, c.filters)
    ties = person_ties(s, c.filters.kinds)
    fig = figures(s, ties)
    names = c.school_names
    school = {p.uid: p.school_uid for p in s.people}
    mine = sorted((p for p in s.people if p.school_uid == centre), key=lambda p: p.uid)
    index = {p.uid: i for i, p in enumerate(mine)}
    inside = [t for t in ties.values() if t.a in index and t.b in index]
    reach: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for t in ties.values():
        for here, there in ((t.a, t.b), (t.b, t.a)):
            other = school.get(there)
            if here in index and other and other != centre and other in names:
                reach[other][here].update(t.kinds)
    reached = sorted(reach, key=lambda u: (names[u], u))
    placed = layout.ego(len(mine), [(index[t.a], index[t.b]) for t in inside], len(reached))
    heads, holders = _heads(c.s), _holders(c.s)
    ids = {p.uid: c.namer.node_id(p) for p in mine}
    nodes = [
        _person_node(c, p, fig, point, heads, holders)
        for p, point in zip(mine, placed.points[: len(mine)], strict=True)
    ]
    nodes += [
        _school_node(uid, names[uid], point, _size(len(reach[uid])))
        for uid, point in zip(reached, placed.points[len(mine) :], strict=True)
    ]
    edges = [_edge(t, ids) for t in inside]
    edges += [
        _link(f"{ids[person]}>{uid}", ids[person], uid, kinds, sum(kinds.values()))
        for uid in reached
        for person, kinds in sorted(reach[uid].items())
    ]
    by_id = {n["id"]: n for n in nodes}
    reached_rows = [
        {
            "school": uid,
            "school_name": names[uid],
            "through": [ids[p] for p in sorted(reach[uid], key=lambda p: by_id[ids[p]]["label"])],
            "through_labels": sorted(by_id[ids[p]]["label"] for p in reach[uid]),
            "ties": sum(sum(k.values()) for k in reach[uid].values()),
        }
        for uid in reached
    ]
    others = [r for r in c.s.schools if r.uid != centre]
    summary = _summary(
        nodes,
        edges,
        school=centre,
        school_name=names.get(centre, ""),
        schools_reached=len(reached),
        schools_not_reached=[
            {"school": r.uid, "school_name": r.name} for r in others if r.uid not in reach
        ],
        reached=reached_rows,
        people_reaching_out=len({p for uid in reached for p in reach[uid]}),
    )
    clusters = []
    if centre:
        x, y = placed.centres["centre"]
        clusters = [{"id": centre, "label": names.get(centre, ""), "x": x, "y": y}]
    nodes = [*_ordered([n for n in nodes if n["kind"] == "person"]),
             *[n for n in nodes if n["kind"] == "school"]]  # fmt: skip
    return _document(c, nodes, edges, clusters, _legend(nodes, edges), summary)


def sociogram_view(c: Context, centre: str | None) -> dict[str, Any]:
    """Torrance's sociogram of one school: its staff in three layers (senior, teacher,
    support), advice nominations between them from the questionnaire, reciprocated ties
    marked; and beside it, who is designated (holds a role) against who is recognised
    (receives nominations)."""
    f = replace(c.filters, kinds=("advice",))
    s = filtered(c.s, f)
    mine = sorted((p for p in s.people if p.school_uid == centre), key=lambda p: p.uid)
    local = replace(s, people=tuple(mine), extra={})
    ties = person_ties(local, ("advice",))
    fig = figures(local, ties)
    placed = layout.layered([p.layer for p in mine], [fig.in_degree[p.uid] for p in mine])
    heads, holders = _heads(c.s), _holders(c.s)
    c2 = replace(c, filters=f)
    ids = {p.uid: c.namer.node_id(p) for p in mine}
    nodes = [
        _person_node(c2, p, fig, point, heads, holders)
        for p, point in zip(mine, placed.points, strict=True)
    ]
    edges = [_edge(t, ids) for t in ties.values()]
    limits = c.limits
    dvr = designated_vs_recognised(
        s,
        int(limits.get("designated_not_recognised", {}).get("max_nominations", 1)),
        float(limits.get("recognised_not_designated", {}).get("top_fraction", 0.1)),
    )
    titles: dict[str, list[str]] = defaultdict(list)
    for role in current_roles(c.s):
        titles[role.person_uid].append(role.title)
    rows = []
    designated_only: list[str] = []
    recognised_only: list[str] = []
    if dvr is not None:
        flagged_d = set(dvr["designated_not_recognised"])
        flagged_r = set(dvr["recognised_not_designated"])
        for row in dvr["people"]:
            p = c.s.person(row["uid"])
            if p is None or row["uid"] not in ids:
                continue
            node_id = ids[row["uid"]]
            if row["uid"] in flagged_d:
                designated_only.append(node_id)
            if row["uid"] in flagged_r:
                recognised_only.append(node_id)
            rows.append(
                {
                    "id": node_id,
                    "label": c.namer.label(p),
                    "layer": p.layer,
                    # A role's title can name the person it belongs to: only with their name.
                    "roles": sorted(titles.get(p.uid, [])) if c.namer.visible(p) else [],
                    "role_holder": bool(titles.get(p.uid)),
                    "nominations": row["nominations"],
                    "designated_not_recognised": row["uid"] in flagged_d,
                    "recognised_not_designated": row["uid"] in flagged_r,
                }
            )
    rows.sort(key=lambda r: (-r["nominations"], r["label"]))
    layers = Counter(p.layer for p in mine)
    layer_of = {p.uid: p.layer for p in mine}
    nominees = [t.b for t in ties.values() if t.advice_ab]
    nominees += [t.a for t in ties.values() if t.advice_ba]
    to_senior = sum(layer_of[x] == "senior" for x in nominees)
    arcs = len(nominees)
    summary = _summary(
        nodes,
        edges,
        school=centre,
        school_name=c.school_names.get(centre, ""),
        layers={key: layers.get(key, 0) for key, _ in LAYERS if layers.get(key)},
        nominations=arcs,
        senior_share=round(to_senior / arcs, 3) if arcs else None,
        survey=c.s.survey,
        designated_vs_recognised=rows,
        designated_not_recognised=designated_only,
        recognised_not_designated=recognised_only,
    )
    clusters = [
        {"id": key, "label": dict(LAYERS).get(key, key), "x": x, "y": y}
        for key, (x, y) in placed.centres.items()
    ]
    doc = _document(c2, _ordered(nodes), edges, clusters, _legend(nodes, edges), summary)
    return doc
