"""How fast is the analysis engine on a 450-person, 15-school network, with igraph and networkx?

Builds a deterministic synthetic snapshot (15 schools of 30 staff; advice mostly within
schools, some across; enquiry groups, co-coaching, training, forums, transfers, roles), then
in the same run, repeated ``--repeat`` times (medians reported):

- igraph: build the three graphs (``metrics.build_graphs``), then compute the graph figures
  (``metrics.graph_metrics``: the network row, school rows and person rows);
- networkx: the same three graphs and the same figures, written here with networkx;
- the record-based figures (participation, terms, transfers, levels, leadership), which do
  not use a graph library and are timed once for both;
- ``metrics.compute`` end to end (what a dashboard cache miss pays after the snapshot fetch).

Before timing, the two implementations' results are compared figure by figure; a difference
beyond rounding stops the benchmark (exit 1), so the ratio compares equal work. No database,
no network, nothing written unless ``--json FILE``.

    .venv/bin/python benchmarks/analysis_bench.py [--repeat 7] [--json results.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import platform
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import igraph as ig  # noqa: E402
import networkx as nx  # noqa: E402

from tracker.analysis import graphs, metrics, participation  # noqa: E402
from tracker.analysis.snapshot import (  # noqa: E402
    ActivityRow,
    AdviceTie,
    CoachingRow,
    GroupRow,
    MemberRow,
    OutcomeRow,
    PersonRow,
    ResponseRow,
    RoleRow,
    SchoolRow,
    SessionRow,
    Snapshot,
    TrainedRow,
    TransferRow,
)

AT = "2026-03-15"
SEED = 2026
SCHOOLS = 15
STAFF = 30  # per school: 2 senior, 20 teachers, 8 support staff
TOPICS = ("teaching_learning", "curriculum", "pupil_welfare", "school_improvement")
FREQUENCIES = ("termly", "monthly", "weekly", "daily")
LEVELS = tuple(participation.LEVELS)


# -- the synthetic network ---------------------------------------------------------------------


def _day(rng: random.Random, first: str = "2024-09-01", last: str = AT) -> str:
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return (start + dt.timedelta(days=rng.randrange((end - start).days + 1))).isoformat()


def synthetic_snapshot(seed: int = SEED, schools: int = SCHOOLS, staff: int = STAFF) -> Snapshot:
    """A realistic, deterministic network: the same seed gives the same snapshot."""
    rng = random.Random(seed)
    school_rows = tuple(
        SchoolRow(f"school-{i:02d}", f"S{i:02d}", f"School {i:02d}", networks=1 + (i % 4 == 0))
        for i in range(schools)
    )
    people: list[PersonRow] = []
    by_school: dict[str, list[str]] = {}
    for school in school_rows:
        uids = []
        for j in range(staff):
            layer = "senior" if j < 2 else "teacher" if j < 22 else "support"
            uid = f"{school.uid}-p{j:02d}"
            people.append(
                PersonRow(uid, f"{school.key}-{j:02d}", f"Person {uid}", layer, school.uid)
            )
            uids.append(uid)
        by_school[school.uid] = uids
    everyone = [p.uid for p in people]
    layer_of = {p.uid: p.layer for p in people}
    school_of = {p.uid: p.school_uid for p in people}

    advice = []
    for person in people:
        colleagues = [u for u in by_school[person.school_uid] if u != person.uid]
        # Heads and a few experienced teachers are asked more: weight by layer.
        weights = [
            4 if layer_of[u] == "senior" else 2 if u.endswith(("3", "7")) else 1 for u in colleagues
        ]
        for _ in range(rng.randint(2, 5)):
            if rng.random() < 0.12:
                target = rng.choice([u for u in everyone if school_of[u] != person.school_uid])
            else:
                target = rng.choices(colleagues, weights)[0]
            for topic in rng.sample(TOPICS, rng.randint(1, 2)):
                advice.append(
                    AdviceTie(
                        person.uid,
                        target,
                        topic,
                        rng.choice(FREQUENCIES),
                        rng.randint(1, 5),
                        "survey-2026",
                        "2026-02-01",
                    )
                )

    groups = []
    for g in range(24):
        homes = rng.sample([s.uid for s in school_rows], rng.randint(2, 4))
        members = [rng.choice(by_school[h]) for h in homes for _ in range(rng.randint(1, 3))]
        members = list(dict.fromkeys(members))
        sessions = tuple(
            SessionRow(_day(rng), tuple(m for m in members if rng.random() < 0.8))
            for _ in range(rng.randint(3, 8))
        )
        groups.append(
            GroupRow(
                f"group-{g:02d}",
                f"Enquiry question {g}",
                rng.choice(("reading", "barriers", None)),
                tuple(rng.sample(LEVELS, rng.randint(1, 3))),
                "2024-09-01",
                None if g % 6 else "2025-07-31",
                origin=rng.choice(("design", "default", "desperation")),
                members=tuple(
                    MemberRow(m, "lead" if i == 0 else "member", None, None)
                    for i, m in enumerate(members)
                ),
                sessions=sessions,
                outcomes=tuple(OutcomeRow("report", _day(rng)) for _ in range(rng.randint(0, 2))),
            )
        )

    coaching = []
    for c in range(45):
        a = rng.choice(everyone)
        pool = everyone if c % 2 else by_school[school_of[a]]
        b = rng.choice([u for u in pool if u != a])
        dates = tuple(sorted(_day(rng) for _ in range(rng.randint(2, 6))))
        coaching.append(CoachingRow(f"pair-{c:02d}", a, b, "P4C", "2024-09-01", None, dates))

    trained = []
    for school in school_rows:  # Oldham's cascade: two per school trained, then each trains two
        first = rng.sample(by_school[school.uid], 2)
        for t in first:
            trained.append(
                TrainedRow("school-00-p00", t, "P4C", _day(rng, "2024-09-01", "2024-12-31"))
            )
            for trainee in rng.sample(by_school[school.uid], 2):
                if trainee != t:
                    trained.append(TrainedRow(t, trainee, "P4C", _day(rng, "2025-01-01")))

    activities = []
    for k in range(36):
        host = rng.choice(school_rows).uid
        attendees = tuple(rng.sample(everyone, rng.randint(8, 30)))
        activities.append(
            ActivityRow(
                f"activity-{k:02d}",
                rng.choice(("learning_forum", "meeting", "visit", "workshop", "training")),
                _day(rng),
                host,
                host if rng.random() < 0.5 else rng.choice(school_rows).uid,
                tuple(rng.sample(LEVELS, rng.randint(1, 3))),
                rng.random() < 0.6,
                rng.random() < 0.4,
                attendees,
            )
        )

    transfers = []
    for k in range(40):
        source, target = rng.sample([s.uid for s in school_rows], 2)
        transfers.append(
            TransferRow(
                f"practice-{k % 12:02d}",
                f"Practice {k % 12}",
                source if k % 9 else None,
                target,
                rng.choice(everyone),
                _day(rng),
                rng.choice(("heard", "trialled", "embedded")),
            )
        )

    roles = tuple(
        RoleRow(
            f"role-{k:02d}",
            rng.choice(everyone),
            rng.choice(("lead_learner", "enquiry_advocate", "school_link", "co_coach")),
            "2024-09-01",
            None,
            designated_by=rng.choice(everyone),
            origin=rng.choice(("design", "default")),
        )
        for k in range(40)
    )
    responses = tuple(
        ResponseRow(
            uid,
            "survey-2026",
            "2026-02-01",
            "yes",
            "unsure",
            rng.randint(1, 5),
            tuple(rng.sample(LEVELS, 2)),
        )
        for uid in rng.sample(everyone, 300)
    )
    return Snapshot(
        network_uid="bench-network",
        name="Benchmark network",
        at=AT,
        started="2024-09-01",
        schools=school_rows,
        people=tuple(people),
        roles=roles,
        groups=tuple(groups),
        coaching=tuple(coaching),
        trained=tuple(trained),
        activities=tuple(activities),
        transfers=tuple(transfers),
        survey="survey-2026",
        advice=tuple(advice),
        responses=responses,
    )


# -- the same figures with networkx ------------------------------------------------------------


class NxGraphs:
    """networkx counterparts of ``metrics.Graphs``: vertices are 0..n-1 in snapshot order."""

    def __init__(self, s: Snapshot, since: str | None) -> None:
        index = graphs.person_index(s)
        self.advice = nx.DiGraph()
        self.ties = nx.Graph()
        for i, person in enumerate(s.people):
            for graph in (self.advice, self.ties):
                graph.add_node(i, school=person.school_uid, layer=person.layer)
        weights: Counter = Counter()
        for tie in s.advice:
            a, b = index.get(tie.source), index.get(tie.target)
            if a is not None and b is not None and a != b:
                weights[(a, b)] += 1
        self.advice.add_edges_from((a, b, {"weight": w}) for (a, b), w in weights.items())
        occasions = graphs.collaboration_occasions(s, since)
        for (a, b), w in weights.items():
            occasions[(min(a, b), max(a, b))]["advice"] += w
        self.ties.add_edges_from(
            (a, b, {"kinds": sorted(k), "weight": sum(k.values())})
            for (a, b), k in occasions.items()
        )
        self.schools = nx.Graph()
        self.schools.add_nodes_from(range(len(s.schools)))
        links = graphs.school_links(s, since, occasions)
        self.schools.add_edges_from(links)
        self.has_advice = bool(s.advice)


def _nx_density(g: nx.Graph) -> float:
    return nx.density(g) if g.number_of_nodes() >= 2 else 0.0


def _nx_components(g: nx.Graph) -> list[list[int]]:
    parts = nx.weakly_connected_components(g) if g.is_directed() else nx.connected_components(g)
    return sorted((sorted(c) for c in parts), key=lambda c: (-len(c), c[0]))


def _nx_pair_density(g: nx.Graph, cross: bool) -> float | None:
    school = nx.get_node_attributes(g, "school")
    count = 0
    for a, b in g.edges():
        if school[a] is None or school[b] is None:
            continue
        count += (school[a] != school[b]) == cross
    sizes = Counter(v for v in school.values() if v is not None)
    known = sum(sizes.values())
    within = sum(k * (k - 1) for k in sizes.values())
    between = known * known - sum(k * k for k in sizes.values())
    possible = between if cross else within
    if not g.is_directed():
        possible //= 2
    return count / possible if possible else None


def _nx_ei(g: nx.Graph, attr: str) -> float | None:
    groups = nx.get_node_attributes(g, attr)
    e = i = 0
    for a, b in g.edges():
        if groups[a] is None or groups[b] is None:
            continue
        if groups[a] == groups[b]:
            i += 1
        else:
            e += 1
    return (e - i) / (e + i) if e + i else None


def _nx_ei_by_group(g: nx.Graph, attr: str) -> dict[Any, float | None]:
    groups = nx.get_node_attributes(g, attr)
    counts: dict[Any, list[int]] = {v: [0, 0] for v in groups.values() if v is not None}
    for a, b in g.edges():
        ga, gb = groups[a], groups[b]
        if ga is None or gb is None:
            continue
        if ga == gb:
            counts[ga][1] += 1
        else:
            counts[ga][0] += 1
            counts[gb][0] += 1
    return {k: (e - i) / (e + i) if e + i else None for k, (e, i) in counts.items()}


def _nx_reciprocity_dyad(g: nx.DiGraph) -> float | None:
    mutual = sum(1 for a, b in g.edges() if a < b and g.has_edge(b, a))
    connected = g.number_of_edges() - mutual
    return mutual / connected if connected else None


def _nx_centralisation(degrees: list[int], directed: bool) -> float | None:
    n = len(degrees)
    if n < (2 if directed else 3):
        return None
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) ** 2 if directed else (n - 1) * (n - 2))


def _nx_eigenvector(g: nx.DiGraph) -> list[float]:
    undirected = g.to_undirected(as_view=False)
    scores = [0.0] * g.number_of_nodes()
    found = []
    for part in nx.connected_components(undirected):
        if len(part) < 2:
            continue
        # A real graph, not a subgraph view: views make every neighbour look-up slow.
        sub = undirected.subgraph(part).copy() if len(part) < len(undirected) else undirected
        x = nx.eigenvector_centrality(sub, max_iter=10_000, tol=1e-8)
        ax = {v: sum(x[u] for u in sub[v]) for v in sub}
        value = sum(ax[v] * x[v] for v in sub) / sum(x[v] ** 2 for v in sub)
        found.append((value, x))
    if not found:
        return scores
    top = max(value for value, _ in found)
    for value, x in found:
        if math.isclose(value, top, rel_tol=1e-6):
            peak = max(x.values())
            for v, score in x.items():
                scores[v] = score / peak
    return scores


def _nx_brokerage(g: nx.DiGraph) -> dict[int, dict[str, int]]:
    school = nx.get_node_attributes(g, "school")
    result = {}
    for b in g.nodes():
        counts = dict.fromkeys(metrics.BROKERAGE_ROLES, 0)
        if school[b] is not None:
            for a in g.predecessors(b):
                if school[a] is None:
                    continue
                for c in g.successors(b):
                    if c == a or g.has_edge(a, c) or school[c] is None:
                        continue
                    counts[metrics._role(school[a], school[b], school[c])] += 1
        result[b] = counts
    return result


def nx_graph_metrics(s: Snapshot, g: NxGraphs) -> dict[str, Any]:
    """``metrics.graph_metrics`` with networkx: the same keys, the same definitions."""
    advice, ties, school_graph = g.advice, g.ties, g.schools
    n = advice.number_of_nodes()
    cut_points = set(nx.articulation_points(ties))
    tie_bridges = list(nx.bridges(ties))
    tie_degree = [ties.degree(v) for v in range(n)]
    figures: dict[str, Any] = {}
    brokerage: dict[int, dict[str, int]] = {}
    if g.has_advice:
        in_degree = [advice.in_degree(v) for v in range(n)]
        out_degree = [advice.out_degree(v) for v in range(n)]
        betweenness = nx.betweenness_centrality(advice, normalized=False)
        eigen = _nx_eigenvector(advice)
        brokerage = _nx_brokerage(advice)
        top = max(betweenness.values())
        figures = {
            "density": _nx_density(advice),
            "within_school_density": _nx_pair_density(advice, cross=False),
            "cross_school_density": _nx_pair_density(advice, cross=True),
            "reciprocity": nx.reciprocity(advice),
            "reciprocity_dyad": _nx_reciprocity_dyad(advice),
            "ei_index": _nx_ei(advice, "school"),
            "ei_index_layer": _nx_ei(advice, "layer"),
            "components": nx.number_weakly_connected_components(advice),
            "advice_isolates": nx.number_of_isolates(advice),
            "degree_centralisation": _nx_centralisation(in_degree, True),
            "out_degree_centralisation": _nx_centralisation(out_degree, True),
            "betweenness_centralisation": sum(top - b for b in betweenness.values())
            / ((n - 1) ** 2 * (n - 2)),
            "senior_nomination_share": sum(
                advice.nodes[b]["layer"] == "senior" for _, b in advice.edges()
            )
            / advice.number_of_edges(),
        }
    broker = [
        v in cut_points or any(brokerage.get(v, {}).get(r, 0) for r in metrics.CROSS_SCHOOL_ROLES)
        for v in range(n)
    ]
    school = nx.get_node_attributes(ties, "school")
    cross_ties = [0] * n
    for a, b in ties.edges():
        if school[a] and school[b] and school[a] != school[b]:
            cross_ties[a] += 1
            cross_ties[b] += 1
    school_parts = _nx_components(school_graph)
    network = {
        "schools": len(s.schools),
        "people": n,
        "survey": s.survey,
        "advice_ties": advice.number_of_edges(),
        "advice_rows": len(s.advice),
        **figures,
        "ties": ties.number_of_edges(),
        "tie_density": _nx_density(ties),
        "tie_cross_school_density": _nx_pair_density(ties, cross=True),
        "tie_ei_index": _nx_ei(ties, "school"),
        "tie_components": nx.number_connected_components(ties),
        "isolates": nx.number_of_isolates(ties),
        "articulation_points": len(cut_points),
        "bridges": len(tie_bridges),
        "brokers": sum(broker),
        "school_links": school_graph.number_of_edges(),
        "school_density": _nx_density(school_graph),
        "school_components": len(school_parts),
        "school_component_members": [[s.schools[i].uid for i in p] for p in school_parts],
        "isolated_schools": [s.schools[i].uid for i in sorted(nx.isolates(school_graph))],
        "school_degree_centralisation": _nx_centralisation(
            [school_graph.degree(v) for v in range(len(s.schools))], False
        ),
    }
    members: dict[str, list[int]] = defaultdict(list)
    for v in range(n):
        if school[v] is not None:
            members[school[v]].append(v)
    advice_ei = _nx_ei_by_group(advice, "school") if g.has_advice else {}
    tie_ei = _nx_ei_by_group(ties, "school")
    component_of = {v: k for k, part in enumerate(school_parts) for v in part}
    schools = []
    for i, row in enumerate(s.schools):
        people = members.get(row.uid, [])
        inside = advice.subgraph(people)
        schools.append(
            {
                "school_id": row.key,
                "uid": row.uid,
                "name": row.name,
                "people": len(people),
                "staff": sum(s.people[v].layer in participation.STAFF_LAYERS for v in people),
                "density": _nx_density(inside) if g.has_advice and len(people) >= 2 else None,
                "ei_index": advice_ei.get(row.uid),
                "in_degree_centralisation": _nx_centralisation(
                    [inside.in_degree(v) for v in people], True
                )
                if g.has_advice
                else None,
                "nominations_received": sum(in_degree[v] for v in people) if g.has_advice else None,
                "tie_ei_index": tie_ei.get(row.uid),
                "cross_school_ties": sum(cross_ties[v] for v in people),
                "partner_schools": school_graph.degree(i),
                "isolated": school_graph.degree(i) == 0,
                "component": component_of[i],
                "isolates": sum(tie_degree[v] == 0 for v in people),
                "brokers": sum(broker[v] for v in people),
                "articulation_points": len(cut_points.intersection(people)),
            }
        )
    keys = {row.uid: row.key for row in s.schools}
    people_rows = []
    for v, person in enumerate(s.people):
        row = {
            "person_id": person.key,
            "uid": person.uid,
            "school_id": keys.get(person.school_uid or ""),
            "school_uid": person.school_uid,
            "layer": person.layer,
            "in_degree": in_degree[v] if g.has_advice else None,
            "out_degree": out_degree[v] if g.has_advice else None,
            "betweenness": round(betweenness[v], 6) if g.has_advice else None,
            "eigenvector": round(eigen[v], 6) if g.has_advice else None,
            "brokerage": brokerage[v] if g.has_advice else None,
            "broker": broker[v],
            "articulation_point": v in cut_points,
            "ties": tie_degree[v],
            "cross_school_ties": cross_ties[v],
            "isolate": tie_degree[v] == 0,
        }
        people_rows.append(row)
    return {"network_metrics": network, "schools": schools, "people": people_rows}


# -- checking and timing -----------------------------------------------------------------------


def differences(mine: Any, theirs: Any, path: str = "", tolerance: float = 1e-6) -> list[str]:
    """Where two JSON-like results differ beyond ``tolerance`` (floats) or at all."""
    if isinstance(mine, dict) and isinstance(theirs, dict):
        found = (
            [f"{path}: keys {sorted(set(mine) ^ set(theirs))}"] if set(mine) != set(theirs) else []
        )
        for key in set(mine) & set(theirs):
            found += differences(mine[key], theirs[key], f"{path}.{key}", tolerance)
        return found
    if isinstance(mine, list) and isinstance(theirs, list):
        if len(mine) != len(theirs):
            return [f"{path}: {len(mine)} items against {len(theirs)}"]
        return [
            d
            for i, (a, b) in enumerate(zip(mine, theirs, strict=True))
            for d in differences(a, b, f"{path}[{i}]", tolerance)
        ]
    if isinstance(mine, float) or isinstance(theirs, float):
        if mine is None or theirs is None or not math.isclose(mine, theirs, abs_tol=tolerance):
            return [f"{path}: {mine!r} against {theirs!r}"]
        return []
    return [] if mine == theirs else [f"{path}: {mine!r} against {theirs!r}"]


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = work()
    return time.perf_counter() - start, value


def _records(s: Snapshot, since: str | None) -> Any:
    per_person = participation.person_participation(s, since)
    return (
        participation.participation_summary(per_person),
        participation.activity_by_term(s),
        participation.transfer_matrix(s),
        participation.level_coverage(s, since),
        participation.leadership_density(s),
        participation.designated_vs_recognised(s),
    )


def run(repeat: int) -> dict[str, Any]:
    s = synthetic_snapshot()
    since = participation.window_start(s.at, 2)
    mine = metrics.graph_metrics(s, metrics.build_graphs(s, since))
    theirs = nx_graph_metrics(s, NxGraphs(s, since))
    # Eigenvector scores come from different iterative solvers: compare them to 1e-4.
    eigen = [
        (row.pop("eigenvector"), other.pop("eigenvector"))
        for row, other in zip(mine["people"], theirs["people"], strict=True)
    ]
    mine["network_metrics"].pop("sources")  # names the graphs; not a figure
    problems = differences(mine, theirs)
    problems += [
        f"eigenvector {a} against {b}" for a, b in eigen if not math.isclose(a, b, abs_tol=1e-4)
    ]
    if problems:
        raise SystemExit("igraph and networkx disagree:\n" + "\n".join(problems[:20]))

    times: dict[str, list[float]] = defaultdict(list)
    for _ in range(repeat):
        took, built = _timed(lambda: metrics.build_graphs(s, since))
        times["igraph build"].append(took)
        times["igraph compute"].append(_timed(lambda b=built: metrics.graph_metrics(s, b))[0])
        took, built_nx = _timed(lambda: NxGraphs(s, since))
        times["networkx build"].append(took)
        times["networkx compute"].append(_timed(lambda b=built_nx: nx_graph_metrics(s, b))[0])
        times["records (no graph library)"].append(_timed(lambda: _records(s, since))[0])
        times["compute() end to end"].append(_timed(lambda: metrics.compute(s))[0])
    median = {name: statistics.median(values) for name, values in times.items()}
    igraph_total = median["igraph build"] + median["igraph compute"]
    networkx_total = median["networkx build"] + median["networkx compute"]
    g = metrics.build_graphs(s, since)
    return {
        "network": {
            "schools": len(s.schools),
            "people": len(s.people),
            "advice_rows": len(s.advice),
            "advice_ties": g.advice.ecount(),
            "tie_graph_edges": g.ties.ecount(),
            "school_graph_edges": g.schools.ecount(),
            "groups": len(s.groups),
            "coaching_pairs": len(s.coaching),
            "activities": len(s.activities),
            "transfers": len(s.transfers),
        },
        "repeat": repeat,
        "median_seconds": median,
        "all_seconds": dict(times),
        "graph_work_ratio": networkx_total / igraph_total,
        "compute_ratio": median["networkx compute"] / median["igraph compute"],
        "build_ratio": median["networkx build"] / median["igraph build"],
        "python": platform.python_version(),
        "igraph": ig.__version__,
        "networkx": nx.__version__,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="repetitions; medians are shown")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    result = run(args.repeat)
    print("network:", ", ".join(f"{k} {v}" for k, v in result["network"].items()))
    print(f"igraph {result['igraph']}, networkx {result['networkx']}, Python {result['python']}")
    print(f"medians of {args.repeat} runs (ms):")
    for name, seconds in result["median_seconds"].items():
        print(f"  {name:<28} {seconds * 1000:9.1f}")
    print(f"networkx / igraph, graph work (build + compute): {result['graph_work_ratio']:.1f}x")
    print(f"  build {result['build_ratio']:.1f}x, compute {result['compute_ratio']:.1f}x")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
