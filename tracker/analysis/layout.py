"""Where each node of an influence map is drawn: deterministic igraph layouts in a 0..1000 box.

The browser draws the map with these coordinates as they are (a preset layout), so the same
data must give the same picture on every reload and on every worker. Three things make that
so: callers pass vertices in a fixed order (sorted by uid), every force-directed layout starts
from a fixed seed position (a circle or a disc), and igraph's random number generator, which
breaks ties when two vertices meet, is a ``random.Random`` with a fixed seed for the length of
each call (igraph's generator is process-wide, hence the lock).

Pure: no Flask, no driver. Coordinates are floats rounded to two places.
"""

from __future__ import annotations

import math
import random
import threading
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import igraph as ig

BOX = 1000.0
MARGIN = 40.0
SEED = 20260601
PERSON_RADIUS = 18.0  # a cluster of n people gets a disc of radius about this * sqrt(n)
CLUSTER_GAP = 60.0  # the least space between two clusters' discs
LAYER_ORDER = ("senior", "teacher", "support")  # Torrance's three layers, top to bottom

Point = tuple[float, float]
Pair = tuple[int, int]

_rng_lock = threading.Lock()


@contextmanager
def _fixed_random(seed: int = SEED) -> Iterator[None]:
    """igraph's random numbers from a seeded generator for the duration of one layout."""
    with _rng_lock:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)


@dataclass(frozen=True)
class Layout:
    """Each vertex's point, and each cluster's centre, in the same 0..1000 box."""

    points: list[Point]
    centres: dict[Hashable, Point]


# -- building blocks -------------------------------------------------------------------------


def circle(n: int, radius: float = 1.0) -> list[Point]:
    """``n`` points on a circle, the first at the top, clockwise."""
    if n == 1:
        return [(0.0, 0.0)]
    return [
        (radius * math.sin(2 * math.pi * i / n), -radius * math.cos(2 * math.pi * i / n))
        for i in range(n)
    ]


def disc(n: int, radius: float = 1.0) -> list[Point]:
    """``n`` points spread evenly over a disc (Vogel's sunflower), the first at the centre."""
    golden = math.pi * (3 - math.sqrt(5))
    return [
        (
            radius * math.sqrt(i / max(n - 1, 1)) * math.cos(i * golden),
            radius * math.sqrt(i / max(n - 1, 1)) * math.sin(i * golden),
        )
        for i in range(n)
    ]


def force(n: int, edges: Sequence[Pair], weights: Sequence[float] | None = None) -> list[Point]:
    """Fruchterman-Reingold from a sunflower start; n < 3 and edgeless graphs keep the start
    (a disc reads better than points flung apart by repulsion alone)."""
    start = disc(n, math.sqrt(n))
    if n < 3 or not edges:
        return start
    g = ig.Graph(n=n, edges=list(edges), directed=False)
    with _fixed_random():
        coords = g.layout_fruchterman_reingold(
            weights=list(weights) if weights is not None else None,
            niter=300,
            seed=[list(p) for p in start],
            grid=False,
        ).coords
    return [(float(x), float(y)) for x, y in coords]


def fit_disc(points: Sequence[Point], radius: float) -> list[Point]:
    """Points centred on (0, 0) and scaled so the farthest lies on ``radius``."""
    if not points:
        return []
    cx = sum(x for x, _ in points) / len(points)
    cy = sum(y for _, y in points) / len(points)
    moved = [(x - cx, y - cy) for x, y in points]
    far = max(math.hypot(x, y) for x, y in moved)
    scale = radius / far if far > 0 else 0.0
    return [(x * scale, y * scale) for x, y in moved]


def fit_box(points: Sequence[Point], margin: float = MARGIN) -> tuple[list[Point], Callable]:
    """Points scaled (same factor on both axes) and centred into the 0..1000 box; also the
    transform, so cluster centres can be moved the same way."""
    if not points:
        return [], lambda p: p
    xs, ys = [x for x, _ in points], [y for _, y in points]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    room = BOX - 2 * margin
    scale = room / max(width, height) if max(width, height) > 0 else 0.0
    dx = (BOX - width * scale) / 2 - min(xs) * scale
    dy = (BOX - height * scale) / 2 - min(ys) * scale

    def move(p: Point) -> Point:
        return (round(p[0] * scale + dx, 2), round(p[1] * scale + dy, 2))

    return [move(p) for p in points], move


def _spread(centres: list[Point], radii: list[float], gap: float) -> list[Point]:
    """Centres scaled apart until no two clusters' discs (plus ``gap``) overlap."""
    factor = 0.0
    for i, j in _all_pairs(len(centres)):
        need = radii[i] + radii[j] + gap
        d = math.dist(centres[i], centres[j])
        factor = max(factor, need / d if d > 1e-9 else need / 1e-3)
    factor = factor or 1.0
    return [(x * factor, y * factor) for x, y in centres]


def _all_pairs(n: int) -> Iterator[Pair]:
    for i in range(n):
        for j in range(i + 1, n):
            yield i, j


# -- the map layouts ---------------------------------------------------------------------------


def clustered(
    clusters: Sequence[Hashable | None],
    edges: Sequence[Pair],
    cluster_order: Sequence[Hashable | None] | None = None,
) -> Layout:
    """People grouped by school: the school graph is laid out first (schools joined by the
    cross-school edges, weighted by their number), then each school's people around its
    centre in a disc sized by head count, laid out by their ties within the school.

    ``clusters[v]`` is vertex v's cluster (None is a cluster too: people with no school);
    ``cluster_order`` fixes the clusters' order (default: sorted, None last).
    """
    order = list(cluster_order) if cluster_order is not None else _sorted_keys(set(clusters))
    index = {key: i for i, key in enumerate(order)}
    members: dict[int, list[int]] = defaultdict(list)
    for v, key in enumerate(clusters):
        members[index[key]].append(v)
    within: dict[int, list[Pair]] = defaultdict(list)
    between: dict[Pair, int] = defaultdict(int)
    for a, b in edges:
        ca, cb = index[clusters[a]], index[clusters[b]]
        if ca == cb:
            within[ca].append((a, b))
        else:
            between[(min(ca, cb), max(ca, cb))] += 1
    k = len(order)
    radii = [PERSON_RADIUS * math.sqrt(max(len(members[c]), 1)) for c in range(k)]
    pairs = sorted(between)
    centres = _spread(
        fit_disc(force(k, pairs, [between[p] for p in pairs]), 1.0) if k > 1 else [(0.0, 0.0)],
        radii,
        CLUSTER_GAP,
    )
    points: list[Point] = [(0.0, 0.0)] * len(clusters)
    for c in range(k):
        for v, p in zip(members[c], _inner(members[c], within[c], radii[c]), strict=True):
            points[v] = (centres[c][0] + p[0], centres[c][1] + p[1])
    boxed, move = fit_box([*points, *_corners(centres, radii)])
    return Layout(boxed[: len(points)], {order[c]: move(centres[c]) for c in range(k)})


def _inner(vertices: list[int], edges: list[Pair], radius: float) -> list[Point]:
    """One cluster's people, laid out by their ties to each other inside a disc."""
    local = {v: i for i, v in enumerate(vertices)}
    pairs = sorted((local[a], local[b]) for a, b in edges)
    return fit_disc(force(len(vertices), pairs), radius if len(vertices) > 1 else 0.0)


def _corners(centres: list[Point], radii: list[float]) -> list[Point]:
    """The extreme points of every cluster's disc, so empty-looking discs still fit the box."""
    return [
        (x + dx * r, y + dy * r)
        for (x, y), r in zip(centres, radii, strict=True)
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1))
    ]


def _sorted_keys(keys: set[Hashable | None]) -> list[Hashable | None]:
    return sorted(keys, key=lambda k: (k is None, str(k)))


def nodes_only(n: int, edges: Sequence[Pair], weights: Sequence[float] | None = None) -> Layout:
    """A plain force-directed layout (the school-level map), in the box."""
    boxed, _ = fit_box(fit_disc(force(n, edges, weights), 1.0) if n else [])
    return Layout(boxed, {})


def ego(centre_count: int, centre_edges: Sequence[Pair], ring_count: int) -> Layout:
    """The centre school's people in a disc in the middle, the schools they reach on a ring
    around it (in the order given); vertices are the centre's people, then the ring."""
    radius = PERSON_RADIUS * math.sqrt(max(centre_count, 1))
    inner = _inner(list(range(centre_count)), list(centre_edges), radius)
    ring = circle(ring_count, radius + 3 * CLUSTER_GAP) if ring_count > 1 else []
    if ring_count == 1:
        ring = [(radius + 3 * CLUSTER_GAP, 0.0)]
    extent = radius + 3 * CLUSTER_GAP if ring_count else radius
    frame = [(extent, extent), (-extent, -extent)]
    boxed, move = fit_box([*inner, *ring, *frame])
    return Layout(boxed[: centre_count + ring_count], {"centre": move((0.0, 0.0))})


def layered(
    layers: Sequence[str],
    rank: Sequence[float],
    layer_order: Sequence[str] = LAYER_ORDER,
) -> Layout:
    """Torrance's sociogram: one row per staff layer (senior at the top, then teachers, then
    support staff; other layers below), the most-nominated person of each row in its middle
    and the rest alternately right and left of them.

    ``rank[v]`` orders people within a row, highest in the middle; ties keep the given order.
    """
    rows = [*layer_order, *sorted(set(layers) - set(layer_order))]
    present = [row for row in rows if row in set(layers)]
    if not present:
        return Layout([], {})
    y_step = (BOX - 2 * MARGIN) / max(len(present), 1)
    widest = max(sum(1 for layer in layers if layer == row) for row in present)
    x_step = (BOX - 2 * MARGIN) / max(widest, 1)
    points: list[Point] = [(0.0, 0.0)] * len(layers)
    centres: dict[Hashable, Point] = {}
    for r, row in enumerate(present):
        y = round(MARGIN + y_step * (r + 0.5), 2)
        centres[row] = (BOX / 2, y)
        people = sorted(
            (v for v, layer in enumerate(layers) if layer == row), key=lambda v: (-rank[v], v)
        )
        for i, v in enumerate(people):
            offset = (i + 1) // 2 * (1 if i % 2 else -1)
            points[v] = (round(BOX / 2 + offset * x_step, 2), y)
    return Layout(points, centres)


def positions(layout: Layout, ids: Sequence[str]) -> Mapping[str, Point]:
    """Vertex points keyed by the caller's ids."""
    return dict(zip(ids, layout.points, strict=True))
