"""The map layouts: the same input gives the same coordinates, inside the box, schools apart."""

from __future__ import annotations

import math
import random

import pytest

from tracker.analysis import layout

# Three schools of 5, 3 and 1 people and one person with no school; ties inside A and B,
# two ties from A to B and one from B to C.
CLUSTERS = ["A"] * 5 + ["B"] * 3 + ["C"] + [None]
EDGES = [(0, 1), (1, 2), (2, 3), (3, 4), (0, 4), (5, 6), (6, 7), (0, 5), (1, 6), (7, 8)]


def _inside(points: list[layout.Point]) -> bool:
    return all(0 <= x <= layout.BOX and 0 <= y <= layout.BOX for x, y in points)


def test_the_same_input_gives_the_same_coordinates_whatever_the_global_random_state():
    random.seed(1)
    first = layout.clustered(CLUSTERS, EDGES)
    random.seed(99)
    state = random.getstate()
    second = layout.clustered(CLUSTERS, EDGES)
    assert first == second
    assert random.getstate() == state, "the layout must not draw on the global generator"


def test_clusters_hold_their_people_and_do_not_overlap():
    placed = layout.clustered(CLUSTERS, EDGES)
    assert len(placed.points) == len(CLUSTERS) and _inside(placed.points)
    assert set(placed.centres) == {"A", "B", "C", None}
    assert len(set(placed.points)) == len(placed.points)
    for point, cluster in zip(placed.points, CLUSTERS, strict=True):
        nearest = min(placed.centres, key=lambda k: math.dist(point, placed.centres[k]))
        assert nearest == cluster
    # The farthest member of A is nearer A's centre than the nearest member of any other school.
    a_radius = max(math.dist(p, placed.centres["A"]) for p in placed.points[:5])
    others = min(math.dist(p, placed.centres["A"]) for p in placed.points[5:])
    assert a_radius < others
    # A lone person sits on their school's centre.
    assert placed.points[8] == placed.centres["C"]


def test_linked_schools_sit_closer_than_unlinked_ones():
    clusters = ["A", "A", "B", "B", "C", "C", "D", "D"]
    edges = [(0, 2), (1, 3), (0, 3), (4, 6), (5, 7), (4, 7)]  # A with B, C with D
    placed = layout.clustered(clusters, edges)
    c = placed.centres
    assert math.dist(c["A"], c["B"]) < math.dist(c["A"], c["C"])
    assert math.dist(c["C"], c["D"]) < math.dist(c["B"], c["D"])


def test_the_cluster_order_given_is_kept():
    placed = layout.clustered(["B", "A"], [], cluster_order=["B", "A"])
    assert list(placed.centres) == ["B", "A"]


@pytest.mark.parametrize("n", [0, 1, 2, 7])
def test_small_maps_fit_the_box(n):
    placed = layout.nodes_only(n, [(i, i + 1) for i in range(n - 1)])
    assert len(placed.points) == n and _inside(placed.points)
    if n == 1:
        assert placed.points == [(500.0, 500.0)]


def test_the_sociogram_has_one_row_per_layer_and_the_most_named_in_the_middle():
    layers = ["teacher", "senior", "support", "teacher", "teacher", "governor"]
    rank = [1, 5, 0, 4, 2, 0]
    placed = layout.layered(layers, rank)
    y = {layer: placed.points[layers.index(layer)][1] for layer in set(layers)}
    assert y["senior"] < y["teacher"] < y["support"] < y["governor"]
    teachers = sorted((placed.points[v][0], rank[v]) for v in (0, 3, 4))
    assert teachers[1] == (500.0, 4), "the most-nominated teacher in the middle"
    assert _inside(placed.points)
    assert list(placed.centres) == ["senior", "teacher", "support", "governor"]


def test_the_ego_layout_rings_the_schools_reached_round_the_centre():
    placed = layout.ego(4, [(0, 1), (1, 2)], 3)
    centre = placed.centres["centre"]
    inner = max(math.dist(p, centre) for p in placed.points[:4])
    ring = [math.dist(p, centre) for p in placed.points[4:]]
    assert len(placed.points) == 7 and _inside(placed.points)
    assert min(ring) > inner
    assert max(ring) - min(ring) < 0.01, "the schools reached lie on one circle"
    assert layout.ego(2, [], 0).points == layout.ego(2, [], 0).points


def test_fit_box_keeps_the_shape():
    points, move = layout.fit_box([(0, 0), (2, 1)])
    (x0, y0), (x1, y1) = points
    assert math.isclose((x1 - x0) / (y1 - y0), 2.0)
    assert move((1, 0.5)) == (500.0, 500.0)
