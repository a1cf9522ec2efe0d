"""The analysis engine on hand-built snapshots whose every figure is worked out by hand.

The main world (``world``): three schools A, B, C; at 2026-03-15 with a two-term window from
2025-09-01.

- A: head a1 (senior), a2 (teacher), a3 (support); B: head b1, b2 (teacher); C: c1 alone;
  x1 is an external partner with no school.
- Advice: a2 -> a1 twice (two topics), a3 -> a1, b2 -> b1, b1 -> a1, a1 -> b1; a1 names
  someone outside the network and c1 names themself (both dropped).
- Enquiry group g1 (running): a1 leads, b2 member; sessions 2026-01-10 (a1, b2, x1) and
  2024-10-01 (a1, a2, before the window). Group g0 ended in 2025 (a3, c1 were members).
- Coaching pair a2-b2 (sessions 2026-02-01 and 2025-01-01); an ended pair a3-c1.
- a1 trained a2 on 2025-10-01.
- Forum hosted by A on 2026-02-10 (a1, b1, b2), with a decision by A.
- Transfers: A -> B trialled 2026-01-20, A -> B heard 2024-01-01, unknown -> C 2026-01-01.
- Roles: a1 coordinator (by design), b2 school link (by default), an ended role for c1.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace

import igraph as ig
import pytest

from tracker.analysis import graphs, metrics, participation
from tracker.analysis.snapshot import (
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
SINCE = "2025-09-01"
PEOPLE = ["a1", "a2", "a3", "b1", "b2", "c1", "x1"]
V = {uid: i for i, uid in enumerate(PEOPLE)}


def _advice(source: str, target: str, topic: str = "tl", frequency=None, influence=None):
    return AdviceTie(source, target, topic, frequency, influence, "r1", "2026-02-01")


def build_world() -> Snapshot:
    return Snapshot(
        network_uid="net",
        name="Test network",
        at=AT,
        schools=(
            SchoolRow("sA", "A", "School A", networks=2),
            SchoolRow("sB", "B", "School B"),
            SchoolRow("sC", "C", "School C"),
        ),
        people=(
            PersonRow("a1", "P-a1", "Ann", "senior", "sA"),
            PersonRow("a2", "P-a2", "Bea", "teacher", "sA"),
            PersonRow("a3", "P-a3", "Cal", "support", "sA"),
            PersonRow("b1", "P-b1", "Dee", "senior", "sB"),
            PersonRow("b2", "P-b2", "Eve", "teacher", "sB"),
            PersonRow("c1", "P-c1", "Fay", "teacher", "sC"),
            PersonRow("x1", "P-x1", "Gus", "external", None),
        ),
        roles=(
            RoleRow("r1", "a1", "coordinator", "2025-09-01", None, origin="design"),
            RoleRow("r2", "b2", "school_link", "2025-09-01", None, origin="default"),
            RoleRow("r3", "c1", "lead_learner", "2024-09-01", "2025-07-31", origin="design"),
        ),
        groups=(
            GroupRow(
                "g1",
                "How do we close the gap?",
                "gap",
                ("adult",),
                "2024-09-01",
                None,
                origin="default",
                members=(
                    MemberRow("a1", "lead", None, None),
                    MemberRow("b2", "member", None, None),
                ),
                sessions=(
                    SessionRow("2026-01-10", ("a1", "b2", "x1")),
                    SessionRow("2024-10-01", ("a1", "a2")),
                ),
                outcomes=(OutcomeRow("report", "2025-06-30"),),
            ),
            GroupRow(
                "g0",
                "Old question",
                None,
                ("pupil",),
                "2024-09-01",
                "2025-07-31",
                members=(
                    MemberRow("a3", "member", None, None),
                    MemberRow("c1", "lead", None, None),
                ),
            ),
        ),
        coaching=(
            CoachingRow("k1", "a2", "b2", "P4C", "2024-09-01", None, ("2026-02-01", "2025-01-01")),
            CoachingRow("k0", "a3", "c1", "P4C", "2024-09-01", "2025-07-31", ("2025-10-01",)),
        ),
        trained=(TrainedRow("a1", "a2", "P4C", "2025-10-01"),),
        activities=(
            ActivityRow(
                "act1",
                "learning_forum",
                "2026-02-10",
                "sA",
                "sA",
                ("adult", "leadership"),
                True,
                False,
                ("a1", "b1", "b2"),
            ),
        ),
        transfers=(
            TransferRow("pr1", "P4C", "sA", "sB", "a1", "2026-01-20", "trialled"),
            TransferRow("pr2", "Marking", "sA", "sB", None, "2024-01-01", "heard"),
            TransferRow("pr3", "Reading", None, "sC", None, "2026-01-01", "heard"),
        ),
        survey="r1",
        advice=(
            _advice("a2", "a1", "tl", "weekly", 4),
            _advice("a2", "a1", "curriculum", "daily", 3),
            _advice("a3", "a1", "tl", "monthly", None),
            _advice("b2", "b1"),
            _advice("b1", "a1", "tl", "termly", 5),
            _advice("a1", "b1"),
            _advice("a1", "ghost"),
            _advice("c1", "c1"),
        ),
        responses=(
            ResponseRow("a2", "r1", "2026-02-01", "no", "no", 4, ("adult", "pupil")),
            ResponseRow("b2", "r1", "2026-02-01", "yes", "unsure", 3, ("adult",)),
        ),
    )


@pytest.fixture(scope="module")
def world() -> Snapshot:
    return build_world()


@pytest.fixture(scope="module")
def result(world: Snapshot) -> dict:
    return metrics.compute(world)


def _edges(g: ig.Graph) -> dict[tuple[str, str], dict]:
    uids = g.vs["uid"]
    return {(uids[e.source], uids[e.target]): e.attributes() for e in g.es}


def _person(result: dict, uid: str) -> dict:
    return next(row for row in result["people"] if row["uid"] == uid)


def _school(result: dict, uid: str) -> dict:
    return next(row for row in result["schools"] if row["uid"] == uid)


# -- graphs -------------------------------------------------------------------------------------


def test_advice_graph_collapses_rows_and_drops_outsiders(world: Snapshot) -> None:
    g = graphs.advice_graph(world)
    assert g.is_directed()
    assert g.vs["uid"] == PEOPLE
    assert g.vs["school"] == ["sA", "sA", "sA", "sB", "sB", "sC", None]
    assert g.vs["layer"][0] == "senior"
    assert g.vs["name"][0] == "Ann"
    edges = _edges(g)
    assert set(edges) == {("a2", "a1"), ("a3", "a1"), ("b2", "b1"), ("b1", "a1"), ("a1", "b1")}
    assert edges[("a2", "a1")] == {
        "topics": ["curriculum", "tl"],
        "frequency": "daily",
        "influence": 4,
        "weight": 2,
    }
    assert edges[("a3", "a1")]["frequency"] == "monthly"
    assert edges[("a3", "a1")]["influence"] is None
    assert edges[("b2", "b1")]["frequency"] is None


def test_frequency_is_the_most_frequent_row() -> None:
    base = build_world()
    rows = tuple(
        _advice("a2", "a1", f"t{i}", frequency)
        for i, frequency in enumerate(["monthly", "termly", "weekly", None])
    )
    g = graphs.advice_graph(replace(base, advice=rows))
    assert g.es[0]["frequency"] == "weekly"
    assert g.es[0]["topics"] == ["t0", "t1", "t2", "t3"]
    assert g.es[0]["weight"] == 4


def test_collaboration_graph_in_a_window(world: Snapshot) -> None:
    g = graphs.collaboration_graph(world, since=SINCE)
    assert not g.is_directed()
    edges = {tuple(sorted(k)): v for k, v in _edges(g).items()}
    assert edges == {
        ("a2", "b2"): {"kinds": ["coaching"], "weight": 1},
        ("a1", "a2"): {"kinds": ["training"], "weight": 1},
        ("a1", "b2"): {"kinds": ["activity", "group"], "weight": 3},
        ("a1", "x1"): {"kinds": ["activity"], "weight": 1},
        ("b2", "x1"): {"kinds": ["activity"], "weight": 1},
        ("a1", "b1"): {"kinds": ["activity"], "weight": 1},
        ("b1", "b2"): {"kinds": ["activity"], "weight": 1},
    }


def test_collaboration_graph_without_a_window_counts_every_dated_event(world: Snapshot) -> None:
    """The 2024 session joins a1 and a2 as well; the ended pair and group still do not."""
    edges = {tuple(sorted(k)): v for k, v in _edges(graphs.collaboration_graph(world)).items()}
    assert edges[("a1", "a2")] == {"kinds": ["activity", "training"], "weight": 2}
    assert ("a3", "c1") not in edges


def test_tie_graph_adds_advice(world: Snapshot) -> None:
    edges = {tuple(sorted(k)): v for k, v in _edges(graphs.tie_graph(world, SINCE)).items()}
    assert edges[("a1", "a2")] == {"kinds": ["advice", "training"], "weight": 3}
    assert edges[("a1", "a3")] == {"kinds": ["advice"], "weight": 1}
    assert edges[("a1", "b1")] == {"kinds": ["activity", "advice"], "weight": 3}
    assert edges[("b1", "b2")] == {"kinds": ["activity", "advice"], "weight": 2}
    assert len(edges) == 8
    assert ("c1", "c1") not in edges


def test_school_graph(world: Snapshot) -> None:
    g = graphs.school_graph(world, SINCE)
    assert g.vs["uid"] == ["sA", "sB", "sC"]
    assert g.vs["name"] == ["School A", "School B", "School C"]
    assert g.ecount() == 1
    edge = g.es[0]
    assert edge.tuple == (0, 1)
    # Ties a1-b1, a1-b2, a2-b2; one transfer in the window; b1 and b2 at A's forum.
    assert (edge["ties"], edge["transfers"], edge["hosted"]) == (3, 1, 2)
    assert edge["weight"] == 6
    assert edge["kinds"] == ["activity", "advice", "coaching", "group", "hosted", "transfer"]
    assert graphs.school_graph(world).es[0]["transfers"] == 2


def test_school_graph_counts_a_transfer_alone() -> None:
    world = replace(build_world(), advice=(), groups=(), coaching=(), activities=(), trained=())
    g = graphs.school_graph(world)
    assert [(e.tuple, e["kinds"], e["weight"]) for e in g.es] == [((0, 1), ["transfer"], 2)]


# -- metric functions on small graphs -----------------------------------------------------------


def test_density_and_reciprocity_edge_cases() -> None:
    assert metrics.density(ig.Graph(n=0, directed=True)) == 0.0
    assert metrics.density(ig.Graph(n=1)) == 0.0
    assert metrics.density(ig.Graph.Full(4)) == 1.0
    assert metrics.density(ig.Graph(n=3, edges=[(0, 1)], directed=True)) == pytest.approx(1 / 6)
    assert metrics.reciprocity(ig.Graph(n=3, directed=True)) is None
    assert metrics.reciprocity(ig.Graph(n=2, edges=[(0, 1)])) == 1.0
    g = ig.Graph(n=3, edges=[(0, 1), (1, 0), (1, 2)], directed=True)
    assert metrics.reciprocity(g) == pytest.approx(2 / 3)
    assert metrics.reciprocity(g, "dyad") == pytest.approx(1 / 2)


def test_components_are_largest_first() -> None:
    g = ig.Graph(n=6, edges=[(4, 3), (5, 4), (0, 1)], directed=True)
    assert metrics.components(g) == [[3, 4, 5], [0, 1], [2]]
    assert metrics.strong_components(g) == [[0], [1], [2], [3], [4], [5]]
    assert metrics.isolates(g) == [2]


def _labelled(n: int, edges: list[tuple[int, int]], groups: list, directed=True) -> ig.Graph:
    g = ig.Graph(n=n, edges=edges, directed=directed)
    g.vs["group"] = groups
    return g


def test_ei_index_and_groups() -> None:
    # Group x: 0, 1; group y: 2; vertex 3 has no group.
    g = _labelled(4, [(0, 1), (1, 0), (0, 2), (2, 1), (3, 0)], ["x", "x", "y", None])
    assert metrics.ei_counts(g, "group") == (2, 2)
    assert metrics.ei_index(g, "group") == 0.0
    assert metrics.ei_by_group(g, "group") == {"x": 0.0, "y": 1.0}
    assert metrics.ei_by_group(g, "group", mode="out") == {"x": (1 - 2) / 3, "y": 1.0}
    assert metrics.ei_by_group(g, "group", mode="in") == {"x": (1 - 2) / 3, "y": 1.0}
    assert metrics.ei_index(g, "group", exclude=["y"]) == -1.0
    assert metrics.ei_index(_labelled(2, [], ["x", "y"]), "group") is None
    assert metrics.ei_by_group(_labelled(2, [], ["x", "y"]), "group") == {"x": None, "y": None}


def test_degree_centralisation_of_stars() -> None:
    star_in = ig.Graph(n=5, edges=[(i, 0) for i in range(1, 5)], directed=True)
    assert metrics.degree_centralisation(star_in, "in") == 1.0
    assert metrics.degree_centralisation(star_in, "out") == pytest.approx(1 / 16)
    assert metrics.degree_centralisation(star_in, "all") == 1.0
    assert metrics.degree_centralisation(ig.Graph.Star(6), "all") == 1.0
    assert metrics.degree_centralisation(ig.Graph.Ring(6), "in") == 0.0
    assert metrics.degree_centralisation(ig.Graph(n=2), "all") is None
    assert metrics.degree_centralisation(ig.Graph(n=1, directed=True), "in") is None
    # A repeated arc is one tie.
    repeated = ig.Graph(n=3, edges=[(1, 0), (1, 0), (2, 0)], directed=True)
    assert metrics.degree_centralisation(repeated, "in") == 1.0


def test_betweenness_centralisation() -> None:
    assert metrics.betweenness_centralisation(ig.Graph.Star(5)) == 1.0
    assert metrics.betweenness_centralisation(ig.Graph.Ring(5)) == 0.0
    assert metrics.betweenness_centralisation(ig.Graph(n=2)) is None
    # Directed path 0 -> 1 -> 2: b = (0, 1, 0), so (1 + 1) / ((n - 1)^2 (n - 2)) = 2 / 4.
    path = ig.Graph(n=3, edges=[(0, 1), (1, 2)], directed=True)
    assert metrics.betweenness_centralisation(path) == pytest.approx(2 / 4)


def test_brokerage_on_the_published_small_example() -> None:
    """The four-vertex example hand-enumerated in the cograph R package's tests and checked
    there against sna::brokerage: A->B, A->C, B->C, B->D, C->D, D->A; A, B in group 1."""
    g = _labelled(4, [(0, 1), (0, 2), (1, 2), (1, 3), (2, 3), (3, 0)], [1, 1, 2, 2])
    got = metrics.brokerage(g, "group")
    assert got[0] == {**dict.fromkeys(metrics.BROKERAGE_ROLES, 0), "itinerant": 1, "gatekeeper": 1}
    assert got[1] == {**dict.fromkeys(metrics.BROKERAGE_ROLES, 0), "representative": 1}
    assert got[2] == {**dict.fromkeys(metrics.BROKERAGE_ROLES, 0), "gatekeeper": 1}
    assert got[3] == {
        **dict.fromkeys(metrics.BROKERAGE_ROLES, 0),
        "itinerant": 1,
        "representative": 1,
    }


def test_brokerage_liaison_coordinator_and_missing_groups() -> None:
    chain = _labelled(3, [(0, 1), (1, 2)], ["x", "y", "z"])
    assert metrics.brokerage(chain, "group")[1]["liaison"] == 1
    same = _labelled(3, [(0, 1), (1, 2)], ["x", "x", "x"])
    assert metrics.brokerage(same, "group")[1]["coordinator"] == 1
    closed = _labelled(3, [(0, 1), (1, 2), (0, 2)], ["x", "x", "x"])
    assert sum(metrics.brokerage(closed, "group")[1].values()) == 0
    repeated = _labelled(3, [(0, 1), (0, 1), (1, 2)], ["x", "y", "z"])
    assert metrics.brokerage(repeated, "group")[1]["liaison"] == 1
    unknown = _labelled(3, [(0, 1), (1, 2)], ["x", "y", None])
    assert sum(metrics.brokerage(unknown, "group")[1].values()) == 0


def test_cut_points() -> None:
    g = ig.Graph(n=5, edges=[(0, 1), (1, 2), (2, 0), (2, 3), (3, 4)], directed=True)
    assert metrics.articulation_points(g) == [2, 3]
    assert metrics.bridges(g) == [(2, 3), (3, 4)]
    # A mutual pair is one undirected tie, so it is a bridge.
    assert metrics.bridges(ig.Graph(n=2, edges=[(0, 1), (1, 0)], directed=True)) == [(0, 1)]


def test_eigenvector_of_a_star_and_of_pieces() -> None:
    scores = metrics.eigenvector(ig.Graph.Star(5))
    assert scores[0] == pytest.approx(1.0)
    assert scores[1] == pytest.approx(1 / 2)  # leading eigenvalue 2: leaf = centre / 2
    # A triangle beats a separate pair; the pair scores 0, as on the whole graph.
    pieces = ig.Graph(n=6, edges=[(0, 1), (1, 2), (2, 0), (3, 4)])
    assert metrics.eigenvector(pieces) == pytest.approx([1, 1, 1, 0, 0, 0])
    # Two equal pairs share the leading eigenvalue and both keep their scores.
    assert metrics.eigenvector(ig.Graph(n=4, edges=[(0, 1), (2, 3)])) == pytest.approx([1] * 4)
    assert metrics.eigenvector(ig.Graph(n=3)) == [0.0, 0.0, 0.0]


def test_gini_and_top_share() -> None:
    assert metrics.gini([]) is None
    assert metrics.gini([0, 0]) is None
    assert metrics.gini([3, 3, 3, 3]) == pytest.approx(0.0)
    assert metrics.gini([0, 0, 0, 1]) == pytest.approx(0.75)
    assert metrics.gini([1, 2, 3, 4, 5]) == pytest.approx(4 / 15)
    assert metrics.top_share([]) is None
    assert metrics.top_share([5]) == 1.0
    assert metrics.top_share([1, 1, 1, 1, 6]) == pytest.approx(0.6)
    assert metrics.top_share([10, 1, 1, 1, 1, 1, 1, 1, 1, 1], 0.2) == pytest.approx(11 / 19)
    assert metrics.top_share([1, 2, 3, 4], fraction=0.5) == pytest.approx(0.7)


# -- compute on the world -----------------------------------------------------------------------


def test_compute_is_json_ready(result: dict) -> None:
    assert json.loads(json.dumps(result)) == result
    assert result["network"] == "net"
    assert result["at"] == AT
    assert {"network_metrics", "schools", "people"} <= set(result)


def test_network_metrics(result: dict) -> None:
    net = result["network_metrics"]
    assert net["since"] == SINCE
    assert (net["schools"], net["people"], net["advice_ties"], net["advice_rows"]) == (3, 7, 5, 8)
    assert net["density"] == pytest.approx(5 / 42)
    assert net["within_school_density"] == pytest.approx(3 / 8)
    assert net["cross_school_density"] == pytest.approx(2 / 22)
    assert net["reciprocity"] == pytest.approx(2 / 5)
    assert net["ei_index"] == pytest.approx(-0.2)
    assert net["components"] == 3
    assert net["advice_isolates"] == 2
    assert net["degree_centralisation"] == pytest.approx(16 / 36)
    assert net["senior_nomination_share"] == 1.0
    assert net["ties"] == 8
    assert net["isolates"] == 1
    assert net["tie_components"] == 2
    assert (net["articulation_points"], net["bridges"], net["brokers"]) == (1, 1, 2)
    assert net["school_components"] == 2
    assert net["school_component_members"] == [["sA", "sB"], ["sC"]]
    assert net["isolated_schools"] == ["sC"]
    # Degrees 1, 1, 0: (0 + 0 + 1) / ((3 - 1)(3 - 2)).
    assert net["school_degree_centralisation"] == pytest.approx(0.5)
    assert net["sources"]["density"] == "advice"
    assert net["sources"]["school_components"] == "schools"
    assert net["sources"]["isolates"] == "ties"
    for name in (
        "schools",
        "people",
        "advice_ties",
        "density",
        "cross_school_density",
        "reciprocity",
        "ei_index",
        "components",
        "school_components",
        "degree_centralisation",
    ):
        assert name in net


def test_person_rows(result: dict) -> None:
    assert [row["person_id"] for row in result["people"]] == [f"P-{u}" for u in PEOPLE]
    a1, b1, a2 = _person(result, "a1"), _person(result, "b1"), _person(result, "a2")
    assert (a1["in_degree"], a1["out_degree"]) == (3, 1)
    assert a1["brokerage"]["representative"] == 2
    assert b1["brokerage"]["representative"] == 1
    assert a1["broker"] and a1["articulation_point"]
    assert b1["broker"] and not b1["articulation_point"]
    assert not a2["broker"]
    assert a1["betweenness"] == pytest.approx(2.0)  # a2 -> b1 and a3 -> b1 pass through a1
    assert a1["eigenvector"] == 1.0
    assert a1["school_id"] == "A"
    assert (a1["attended"], a1["led"], a1["coached"], a1["participation"]) == (2, 1, 1, 4)
    assert a1["cross_school_participation"] == 2
    assert (a2["attended"], a2["coached"], a2["cross_school_participation"]) == (1, 1, 1)
    assert a1["roles"] == ["coordinator"]
    assert _person(result, "c1")["roles"] == []
    assert _person(result, "c1")["isolate"]
    x1 = _person(result, "x1")
    assert x1["school_id"] is None
    assert x1["cross_school_ties"] == 0
    assert x1["ties"] == 2
    assert _person(result, "a2")["cross_school_ties"] == 1


def test_school_rows(result: dict) -> None:
    a, b, c = (_school(result, uid) for uid in ("sA", "sB", "sC"))
    assert (a["school_id"], a["name"], a["people"], a["staff"]) == ("A", "School A", 3, 3)
    assert a["density"] == pytest.approx(2 / 6)
    assert b["density"] == pytest.approx(1 / 2)
    assert c["density"] is None
    # A: internal 2 arcs, external b1 -> a1 and a1 -> b1; B: internal 1, the same 2 external.
    assert a["ei_index"] == 0.0
    assert b["ei_index"] == pytest.approx(1 / 3)
    assert c["ei_index"] is None
    assert a["in_degree_centralisation"] == pytest.approx(1.0)
    assert (a["partner_schools"], c["partner_schools"]) == (1, 0)
    assert c["isolated"] and not a["isolated"]
    assert (a["component"], b["component"], c["component"]) == (0, 0, 1)
    assert a["cross_school_ties"] == 3
    assert c["isolates"] == 1
    assert (a["brokers"], b["brokers"], a["articulation_points"]) == (1, 1, 1)
    assert (a["roles"], b["roles"], c["roles"]) == (1, 1, 0)
    assert (a["activities_hosted"], a["decisions"]) == (1, 1)
    # In the window: the 2024 transfer to B is too old.
    assert (a["shared"], b["adopted"], c["adopted"]) == (1, 1, 1)
    assert a["networks"] == 2
    assert a["participation"] == 4 + 2


def test_participation_summary(result: dict) -> None:
    summary = result["participation"]
    assert summary["participants"] == 5
    assert summary["gini"] == pytest.approx(2 * 41 / 55 - 6 / 5)
    assert summary["top20_share"] == pytest.approx(4 / 11)
    assert summary["gini_all_people"] == pytest.approx(metrics.gini([4, 2, 0, 1, 3, 0, 1]))
    assert summary["cross_school_participants"] == 5


def test_activity_by_term(result: dict) -> None:
    terms = result["activity_by_term"]
    assert [t["label"] for t in terms] == [
        "Spring 2024",
        "Summer 2024",
        "Autumn 2024",
        "Spring 2025",
        "Summer 2025",
        "Autumn 2025",
        "Spring 2026",
    ]
    last = terms[-1]
    assert (last["group_sessions"], last["activities"], last["coaching_sessions"]) == (1, 1, 1)
    assert (last["transfers"], last["trainings"], last["events"]) == (2, 0, 5)
    assert last["attendances"] == 6
    assert last["people_active"] == 5
    assert terms[-2]["trainings"] == 1
    assert terms[-2]["events"] == 1
    assert [t["events"] for t in terms] == [1, 0, 1, 1, 0, 1, 5]
    assert terms[4]["outcomes"] == 1


def test_transfer_matrix(result: dict) -> None:
    matrix = result["transfer_matrix"]
    assert matrix["schools"] == ["sA", "sB", "sC"]
    assert matrix["counts"] == [[0, 2, 0], [0, 0, 0], [0, 0, 0]]
    assert matrix["flows"] == [
        {"from": "sA", "to": "sB", "count": 2, "stages": {"heard": 1, "trialled": 1}}
    ]
    assert matrix["unknown_source"] == [0, 0, 1]
    assert (matrix["shared"], matrix["adopted"]) == ([2, 0, 0], [0, 2, 1])


def test_level_coverage(result: dict) -> None:
    levels = result["levels"]
    assert levels["covered"] == ["adult", "leadership"]
    assert levels["missing"] == ["pupil", "organisational", "school_to_school"]
    assert levels["levels"]["adult"] == {"groups": 1, "activities": 1, "respondents": 2}
    assert levels["levels"]["pupil"] == {"groups": 0, "activities": 0, "respondents": 1}
    assert levels["share_covered"] == pytest.approx(2 / 5)


def test_leadership_density(result: dict) -> None:
    density = result["leadership_density"]
    assert density["by_layer"]["senior"]["share"] == pytest.approx(1 / 2)
    assert density["by_layer"]["teacher"] == {
        "people": 3,
        "leaders": 2,
        "share": pytest.approx(2 / 3),
        "roles": 1,
        "leads": 0,
        "coaches": 2,
    }
    assert density["by_layer"]["support"]["share"] == 0.0
    assert density["by_layer"]["external"]["share"] == 0.0
    assert density["staff"]["share"] == pytest.approx(3 / 6)
    assert list(density["by_layer"])[:3] == ["senior", "teacher", "support"]
    assert result["leadership_origins"] == {
        "design": 1,
        "default": 2,
        "desperation": 0,
        "unknown": 0,
    }


def test_designated_versus_recognised(world: Snapshot, result: dict) -> None:
    found = result["designated_vs_recognised"]
    assert found["designated_not_recognised"] == ["b2"]
    assert found["recognised_not_designated"] == []
    assert found["top_cutoff"] == 3
    rows = {row["uid"]: row for row in found["people"]}
    assert rows["a1"]["nominations"] == 3
    assert rows["a1"]["roles"] == ["coordinator"]
    assert "c1" not in rows
    wider = participation.designated_vs_recognised(world, top_fraction=0.3)
    assert wider["recognised_not_designated"] == ["b1"]


# -- edge cases -----------------------------------------------------------------------------------


def test_empty_network() -> None:
    result = metrics.compute(Snapshot(network_uid="n0", name="Empty", at=AT))
    net = result["network_metrics"]
    assert (net["people"], net["schools"], net["advice_ties"], net["ties"]) == (0, 0, 0, 0)
    assert net["density"] is None
    assert net["degree_centralisation"] is None
    assert net["school_components"] == 0
    assert net["tie_density"] == 0.0
    assert result["schools"] == [] and result["people"] == []
    assert result["activity_by_term"] == []
    assert result["participation"]["gini"] is None
    assert result["designated_vs_recognised"] is None
    assert result["leadership_density"]["staff"]["share"] is None
    assert json.loads(json.dumps(result)) == result


def test_no_advice_leaves_advice_figures_empty(world: Snapshot) -> None:
    result = metrics.compute(replace(world, advice=(), survey=None))
    net = result["network_metrics"]
    for name in ("density", "cross_school_density", "reciprocity", "ei_index", "components"):
        assert net[name] is None
    assert net["ties"] == 7  # the collaboration ties remain
    a1 = _person(result, "a1")
    assert a1["in_degree"] is None and a1["brokerage"] is None
    # a3 hung on a1 by advice alone; without it nobody is a cut point, so nobody brokers.
    assert net["articulation_points"] == 0
    assert not any(row["broker"] for row in result["people"])
    assert _person(result, "a3")["isolate"]
    assert _school(result, "sA")["density"] is None
    assert result["designated_vs_recognised"] is None


def test_window_is_a_parameter(world: Snapshot) -> None:
    everything = metrics.compute(world, window_terms=None)
    assert everything["network_metrics"]["since"] is None
    assert _person(everything, "a1")["attended"] == 3
    one_term = metrics.compute(world, window_terms=1)
    assert one_term["network_metrics"]["since"] == "2026-01-01"
    assert _person(one_term, "a1")["coached"] == 0


def test_window_start() -> None:
    assert participation.window_start("2026-03-15", 2) == "2025-09-01"
    assert participation.window_start("2026-03-15", 1) == "2026-01-01"
    assert participation.window_start("2026-10-01", 3) == "2026-01-01"
    assert participation.window_start("2026-10-01", None) is None


def test_people_outside_the_snapshot_are_dropped_everywhere(world: Snapshot) -> None:
    """A session attended by someone who has left, and coaching with them, join nobody."""
    leaver = replace(
        world,
        activities=(
            *world.activities,
            ActivityRow(
                "act2", "visit", "2026-03-01", "sC", None, (), False, False, ("gone", "c1")
            ),
        ),
        coaching=(*world.coaching, CoachingRow("k2", "c1", "gone", None, None, None, ())),
    )
    ties = graphs.tie_graph(leaver, SINCE)
    assert ties.vcount() == len(PEOPLE)
    assert ties.degree(V["c1"]) == 0
    result = metrics.compute(leaver)
    assert _person(result, "c1")["attended"] == 1
    assert _person(result, "c1")["cross_school_participation"] == 0


def test_person_with_no_school_in_groups_is_not_a_school_tie(world: Snapshot) -> None:
    links = graphs.school_links(world, SINCE)
    assert set(links) == {(0, 1)}
    assert links[(0, 1)]["ties"] == 3
    assert math.isclose(metrics.cross_school_density(graphs.advice_graph(world)), 2 / 22)


def test_all_graphs_builds_what_the_single_builders_build(world: Snapshot) -> None:
    advice, ties, schools = graphs.all_graphs(world, SINCE)
    for shared, alone in (
        (advice, graphs.advice_graph(world)),
        (ties, graphs.tie_graph(world, SINCE)),
        (schools, graphs.school_graph(world, SINCE)),
    ):
        assert shared.get_edgelist() == alone.get_edgelist()
        assert [e.attributes() for e in shared.es] == [e.attributes() for e in alone.es]
        assert shared.vs["uid"] == alone.vs["uid"]


def test_advice_figure_names_match_what_is_computed(result: dict) -> None:
    net = result["network_metrics"]
    for name in metrics.ADVICE_FIGURES:
        assert net["sources"][name] == "advice"
        assert net[name] is not None


def test_freeman_of_degree_sequences() -> None:
    assert metrics.freeman([3, 0, 0, 0], directed=True) == pytest.approx(9 / 9)
    assert metrics.freeman([2, 1, 1], directed=False) == pytest.approx(2 / 2)
    assert metrics.freeman([1], directed=True) is None
    assert metrics.freeman([1, 1], directed=False) is None
