"""The metric functions against published and independently computed values.

Every data set in ``../shared/data`` (beside the checkout) is loaded straight from its CSV
files into igraph and each figure in its ``metrics.json``, in ``metrics_per_site.csv`` and
in the UCINET table of ``REFERENCE_VALUES.md`` is compared with ``tracker.analysis.metrics``.
Nothing is skipped: a missing data set fails. Tolerances: 1e-9 for values computed from the
same definition in double precision (networkx), 1e-6 for UCINET's printed single-precision
values, 5e-5 for the four-decimal figures (UCINET's symmetrised degree centralisation, the
rounded top-5 betweenness). ``nodes``/``edges``/counts are compared exactly.
"""

from __future__ import annotations

import csv
import json
import math
import re
from functools import cache
from pathlib import Path
from typing import Any

import igraph as ig
import networkx as nx
import pytest

from tracker.analysis import metrics as m

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
DATASETS = sorted(p.name for p in DATA.iterdir() if (p / "metrics.json").is_file())
EXACT, FLOAT, UCINET, ROUNDED = 0, 1e-9, 1e-6, 5e-5


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def load(dataset: str, relation: str, directed: bool = True) -> ig.Graph:
    """A data set's relation as an igraph graph: vertices in ``nodes.csv`` order with every
    column as a string attribute (``id`` too), one edge per CSV row.

    ``edges_*_undirected.csv`` rows are pairs; loaded ``directed`` they become two arcs each,
    which is how the data set's own ``metrics.json`` was computed (its README says so).
    """
    nodes = _rows(DATA / dataset / "nodes.csv")
    index = {row["id"]: i for i, row in enumerate(nodes)}
    pairs = [(index[r["source"]], index[r["target"]]) for r in _rows(_edges(dataset, relation))]
    if directed and relation.endswith("_undirected"):
        pairs += [(b, a) for a, b in pairs]
    g = ig.Graph(n=len(nodes), edges=pairs, directed=directed)
    for column in nodes[0]:
        g.vs[column] = [row[column] for row in nodes]
    return g


def _edges(dataset: str, relation: str) -> Path:
    return DATA / dataset / f"edges_{relation}.csv"


def reference(dataset: str) -> dict[str, dict[str, Any]]:
    return json.loads((DATA / dataset / "metrics.json").read_text(encoding="utf-8"))


CASES = [(d, r) for d in DATASETS for r in sorted(reference(d))]


def test_every_data_set_is_here() -> None:
    """Five data sets, twelve relations: the README's table, so nothing silently vanishes."""
    assert DATASETS == [
        "ckm_physicians",
        "krackhardt_hightech",
        "lazega_lawfirm",
        "pitts_spillane_schools",
        "uk_faculty",
    ]
    assert len(CASES) == 12
    for dataset, relation in CASES:
        assert _edges(dataset, relation).is_file()


# -- metrics.json, one relation at a time -------------------------------------------------------


@pytest.mark.parametrize(("dataset", "relation"), CASES)
def test_size_density_and_reciprocity(dataset: str, relation: str) -> None:
    want = reference(dataset)[relation]
    g = load(dataset, relation)
    assert g.vcount() == want["nodes"]
    assert g.ecount() == want["edges"]
    assert m.density(g) == pytest.approx(want["density"], abs=FLOAT)
    assert m.reciprocity(g) == pytest.approx(want["reciprocity_arc"], abs=FLOAT)
    assert m.reciprocity(g, "dyad") == pytest.approx(want["reciprocity_dyad"], abs=FLOAT)


@pytest.mark.parametrize(("dataset", "relation"), CASES)
def test_components_and_isolates(dataset: str, relation: str) -> None:
    want = reference(dataset)[relation]
    g = load(dataset, relation)
    weak, strong = m.components(g), m.strong_components(g)
    assert len(weak) == want["weak_components"]
    assert len(weak[0]) == want["largest_weak_component"]
    assert len(strong) == want["strong_components"]
    assert len(strong[0]) == want["largest_strong_component"]
    assert len(m.isolates(g)) == want["isolates"]
    assert sorted(v for part in weak for v in part) == list(range(g.vcount()))


@pytest.mark.parametrize(("dataset", "relation"), CASES)
def test_degree_centralisation(dataset: str, relation: str) -> None:
    want = reference(dataset)[relation]
    g = load(dataset, relation)
    assert m.degree_centralisation(g, "in") == pytest.approx(
        want["in_degree_centralization"], abs=FLOAT
    )
    assert m.degree_centralisation(g, "out") == pytest.approx(
        want["out_degree_centralization"], abs=FLOAT
    )


@pytest.mark.parametrize(("dataset", "relation"), CASES)
def test_top_in_degree_and_betweenness(dataset: str, relation: str) -> None:
    """The top five by in-degree and by raw directed betweenness, as the compute step reads
    them (``degree_counts`` and igraph's ``betweenness(directed=True)``)."""
    want = reference(dataset)[relation]
    g = load(dataset, relation)
    ids = g.vs["id"]
    in_degree = dict(zip(ids, m.degree_counts(g, "in"), strict=True))
    betweenness = dict(zip(ids, g.betweenness(directed=True), strict=True))
    for node, value in want["top5_in_degree"]:
        assert in_degree[str(node)] == value
    for node, value in want["top5_betweenness_raw"]:
        assert betweenness[str(node)] == pytest.approx(value, abs=ROUNDED)
    # Nobody outside the published top five beats its fifth value.
    cut = want["top5_in_degree_cutoff"]
    top = {str(node) for node, _ in want["top5_in_degree"]}
    above = [v for k, v in in_degree.items() if k not in top and v > cut["kth_value"]]
    tied = [v for k, v in in_degree.items() if k not in top and v == cut["kth_value"]]
    assert above == []
    assert len(tied) == cut["n_nodes_outside_top5_tied_with_5th"]


def _ei_cases() -> list[tuple[str, str, str]]:
    return [(d, r, label) for d, r in CASES for label in sorted(reference(d)[r]["ei_index"])]


def _attribute(label: str) -> tuple[str, list[str]]:
    """``"dept (excluding dept in [0])"`` -> ("dept", ["0"]); a plain name -> (name, [])."""
    found = re.fullmatch(r"(\w+) \(excluding \w+ in \[(.*)\]\)", label)
    if not found:
        return label, []
    return found[1], [v.strip() for v in found[2].split(",")]


@pytest.mark.parametrize(("dataset", "relation", "label"), _ei_cases())
def test_ei_index_over_arcs(dataset: str, relation: str, label: str) -> None:
    want = reference(dataset)[relation]["ei_index"][label]
    g = load(dataset, relation)
    attr, exclude = _attribute(label)
    assert m.ei_counts(g, attr, exclude) == (want["external"], want["internal"])
    assert m.ei_index(g, attr, exclude) == pytest.approx(want["EI"], abs=FLOAT)


@pytest.mark.parametrize(("dataset", "relation", "label"), _ei_cases())
def test_ei_by_group_adds_up_to_the_network(dataset: str, relation: str, label: str) -> None:
    """The per-group conventions against the published whole-network counts: with ``out`` (and
    ``in``) the groups' counts add up to the network's; with ``all`` each external arc is
    counted by both of its groups."""
    want = reference(dataset)[relation]["ei_index"][label]
    g = load(dataset, relation)
    attr, exclude = _attribute(label)
    for mode, factor in (("out", 1), ("in", 1), ("all", 2)):
        counts = m.ei_group_counts(g, attr, mode, exclude)
        assert sum(e for e, _ in counts.values()) == factor * want["external"]
        assert sum(i for _, i in counts.values()) == want["internal"]
        by_group = m.ei_by_group(g, attr, mode, exclude)
        for group, (e, i) in counts.items():
            expected = None if e + i == 0 else (e - i) / (e + i)
            assert by_group[group] == expected


# -- per site ------------------------------------------------------------------------------------


def _site_rows() -> list[dict[str, str]]:
    return _rows(DATA / "metrics_per_site.csv")


@pytest.mark.parametrize(
    "row", _site_rows(), ids=lambda r: f"{r['dataset']}-{r['relation']}-{r['site']}"
)
def test_per_site(row: dict[str, str]) -> None:
    """Pooled multi-site networks are disconnected by design; each site is its own network."""
    g = load(row["dataset"], row["relation"])
    site = g.induced_subgraph([v.index for v in g.vs if v[row["site_attribute"]] == row["site"]])
    assert g.is_directed()
    assert site.vcount() == int(row["nodes"])
    assert site.ecount() == int(row["edges"])
    assert m.density(site) == pytest.approx(float(row["density"]), abs=FLOAT)
    assert m.reciprocity(site) == pytest.approx(float(row["reciprocity_arc"]), abs=FLOAT)
    assert len(m.components(site)) == int(row["weak_components"])
    assert len(m.isolates(site)) == int(row["isolates"])
    assert m.degree_centralisation(site, "in") == pytest.approx(
        float(row["in_degree_centralization"]), abs=FLOAT
    )


def test_per_site_file_covers_every_site() -> None:
    """Pitts: 15 schools; CKM: 4 towns in each of three relations."""
    rows = _site_rows()
    assert sum(r["dataset"] == "pitts_spillane_schools" for r in rows) == 15
    assert sum(r["dataset"] == "ckm_physicians" for r in rows) == 12


# -- REFERENCE_VALUES.md: UCINET's own output for Krackhardt -------------------------------------


def _ucinet_table() -> list[tuple[str, str, float]]:
    """(measure, relation, UCINET value) rows of the Krackhardt UCINET table."""
    text = (DATA / "REFERENCE_VALUES.md").read_text(encoding="utf-8")
    section = text.split("### Krackhardt high-tech", 1)[1].split("###", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[1] in ("advice", "friendship", "reports_to"):
            rows.append((cells[0].split(" (")[0], cells[1], float(cells[2])))
    return rows


def _ucinet_measure(measure: str, g: ig.Graph) -> float:
    n = g.vcount()
    figures = {
        "# of ties": lambda: g.ecount(),
        "Density": lambda: m.density(g),
        "Avg Degree": lambda: g.ecount() / n,
        "Out-Centralization": lambda: m.degree_centralisation(g, "out"),
        "In-Centralization": lambda: m.degree_centralisation(g, "in"),
        "Components": lambda: len(m.strong_components(g)),
        "Largest Component": lambda: len(m.strong_components(g)[0]),
        "Arc Reciprocity": lambda: m.reciprocity(g, "arc"),
        "Dyad Reciprocity": lambda: m.reciprocity(g, "dyad"),
    }
    return figures[measure]()


UCINET_MEASURES = (
    "# of ties",
    "Density",
    "Avg Degree",
    "Out-Centralization",
    "In-Centralization",
    "Components",
    "Largest Component",
    "Arc Reciprocity",
    "Dyad Reciprocity",
)


def test_ucinet_table_is_read() -> None:
    """The table has 45 rows; the 27 that are tracker metrics are all checked below."""
    rows = _ucinet_table()
    assert len(rows) == 45
    assert sum(measure in UCINET_MEASURES for measure, _, _ in rows) == 27


@pytest.mark.parametrize(
    ("measure", "relation", "value"),
    [row for row in _ucinet_table() if row[0] in UCINET_MEASURES],
    ids=lambda v: str(v),
)
def test_krackhardt_against_ucinet(measure: str, relation: str, value: float) -> None:
    g = load("krackhardt_hightech", relation)
    assert _ucinet_measure(measure, g) == pytest.approx(value, abs=UCINET)


@pytest.mark.parametrize(
    ("relation", "value"), [("advice", 0.3421), ("friendship", 0.5789), ("reports_to", 0.3368)]
)
def test_krackhardt_symmetrised_degree_centralisation(relation: str, value: float) -> None:
    """UCINET's "Deg Centralization" on the symmetrised matrix, printed to four places in the
    same log (REFERENCE_VALUES.md lists it as an unverified target): ``mode="all"``."""
    g = load("krackhardt_hightech", relation)
    assert m.degree_centralisation(g, "all") == pytest.approx(value, abs=ROUNDED)


# -- Lazega: 36 partners, mutual cowork, undirected (sand::lazega) -------------------------------


def test_lazega_partners_undirected() -> None:
    want = json.loads(
        (DATA / "lazega_lawfirm" / "metrics_partners36_cowork_mutual.json").read_text("utf-8")
    )
    g = load("lazega_lawfirm", "cowork_mutual_undirected", directed=False)
    partners = g.induced_subgraph([v.index for v in g.vs if v["status"] == "1"])
    assert not partners.is_directed()
    assert partners.vcount() == want["nodes"]
    assert partners.ecount() == want["edges_undirected"]
    assert m.density(partners) == pytest.approx(want["density"], abs=FLOAT)
    assert len(m.components(partners)) == want["components"]
    assert len(m.isolates(partners)) == want["isolates"]
    assert m.reciprocity(partners) == 1.0
    for attr, figures in want["ei_index_undirected_edges"].items():
        assert m.ei_counts(partners, attr) == (figures["external"], figures["internal"])
        assert m.ei_index(partners, attr) == pytest.approx(figures["EI"], abs=FLOAT)


def test_ckm_undirected_pairs_match_the_published_layers() -> None:
    """MUNA's undirected CKM layers (449 / 498 / 423 edges) are the symmetrised graphs that
    ``degree_centralisation(mode="all")`` and the cut-point functions work on."""
    for relation, pairs in (("advice", 449), ("discussion", 498), ("friendship", 423)):
        g = load("ckm_physicians", relation)
        symmetric = g.as_undirected(mode="collapse")
        assert symmetric.ecount() == pairs
        assert m.degree_centralisation(g, "all") == pytest.approx(
            _freeman_undirected(symmetric.degree()), abs=FLOAT
        )


def _freeman_undirected(degrees: list[int]) -> float:
    n, top = len(degrees), max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


# -- figures with no published value: an independent implementation (networkx) -----------------


def _nx(g: ig.Graph) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(range(g.vcount()))
    graph.add_edges_from(g.get_edgelist())
    return graph


@pytest.mark.parametrize(("dataset", "relation"), CASES)
def test_cut_points_match_networkx(dataset: str, relation: str) -> None:
    g = load(dataset, relation)
    undirected = _nx(g)
    assert m.articulation_points(g) == sorted(nx.articulation_points(undirected))
    assert m.bridges(g) == sorted(tuple(sorted(e)) for e in nx.bridges(undirected))


@pytest.mark.parametrize(("dataset", "relation"), CASES)
def test_betweenness_centralisation_matches_its_formula(dataset: str, relation: str) -> None:
    """Freeman's formula on networkx's normalised betweenness (which divides raw directed
    betweenness by (n-1)(n-2)): sum(max - c_i) / (n - 1)."""
    g = load(dataset, relation)
    digraph = nx.DiGraph()
    digraph.add_nodes_from(range(g.vcount()))
    digraph.add_edges_from(g.get_edgelist())
    scores = list(nx.betweenness_centrality(digraph, normalized=True).values())
    top = max(scores)
    expected = sum(top - c for c in scores) / (g.vcount() - 1)
    assert m.betweenness_centralisation(g) == pytest.approx(expected, abs=FLOAT)


def _sna_role(ga: str, gb: str, gc: str) -> str:
    """Classification in the order of sna's ``brokerage_R`` (source i -> broker j -> k)."""
    if gb == ga:
        return "coordinator" if gb == gc else "representative"
    if gb == gc:
        return "gatekeeper"
    return "itinerant" if ga == gc else "liaison"


def test_brokerage_on_krackhardt_matches_a_direct_count() -> None:
    """Gould-Fernandez by department against a plain triple loop over every (a, b, c)."""
    g = load("krackhardt_hightech", "advice")
    dept = g.vs["dept"]
    arcs = set(g.get_edgelist())
    n = g.vcount()
    expected = {v: dict.fromkeys(m.BROKERAGE_ROLES, 0) for v in range(n)}
    for b in range(n):
        for a in range(n):
            for c in range(n):
                if len({a, b, c}) < 3 or (a, b) not in arcs or (b, c) not in arcs:
                    continue
                if (a, c) in arcs:
                    continue
                expected[b][_sna_role(dept[a], dept[b], dept[c])] += 1
    got = m.brokerage(g, "dept")
    assert got == expected
    # Every open 2-path is counted once, in exactly one role.
    open_paths = sum(sum(roles.values()) for roles in got.values())
    assert open_paths == sum(sum(roles.values()) for roles in expected.values()) > 0


def _leading(h: nx.Graph) -> tuple[float, dict[int, float]]:
    """Leading eigenvalue (Rayleigh quotient) and eigenvector of a connected graph."""
    x = nx.eigenvector_centrality(h, max_iter=5000, tol=1e-12)
    ax = {v: sum(x[u] for u in h[v]) for v in h}
    return sum(ax[v] * x[v] for v in h) / sum(x[v] ** 2 for v in h), x


@pytest.mark.parametrize(("dataset", "relation"), CASES)
def test_eigenvector_matches_networkx_on_the_main_component(dataset: str, relation: str) -> None:
    """On the symmetrised graph: networkx's eigenvector of the component with the largest
    leading eigenvalue, scaled to a maximum of 1; everyone else 0."""
    g = load(dataset, relation)
    undirected = _nx(g)
    parts = [
        _leading(undirected.subgraph(c)) for c in nx.connected_components(undirected) if len(c) > 1
    ]
    value, scores = max(parts, key=lambda part: part[0])
    assert sum(math.isclose(other, value, rel_tol=1e-6) for other, _ in parts) == 1
    top = max(scores.values())
    got = m.eigenvector(g)
    for vertex in range(g.vcount()):
        expected = scores.get(vertex, 0.0) / top
        assert got[vertex] == pytest.approx(expected, abs=1e-6)
