"""Influence maps: each view's nodes and edges on a known network, filters, layouts, change,
what-if, who sees which names (JSON, CSV, HTML), bad filters, scope and the named-maps setting.

The known network (``PACKAGE``) is small enough to count by hand:

    schools  Ash (A), Birch (B), Cedar (C), Damson (D)
    people   a1 head, a2 teacher, a3 support (A); b1 head, b2 teacher (B);
             c1 head, c2 teacher, c3 teacher who joins in January 2025 (C); d1 head, d2 (D)
    advice   autumn 2024 round: a2->a1, b2->c1
             summer 2025 round: a2->a1, a1->a2 (named each other), a3->a1, a2->b2 (curriculum,
             termly), b2->b1 (daily, influence 5), c2->a1, d1->c2
    activity coaching b1-c1; enquiry group a2 (lead) with b2; a2 holds a role designated by
             a1; a1 trained a3; a practice moved from Ash to Birch

As at ``AT`` the network map has 10 people and 7 ties: a1-a2 (advice both ways and role),
a1-a3 (advice and training), a2-b2 (advice and group), b2-b1, c2-a1, d1-c2 (advice) and
b1-c1 (coaching); d2 and c3 have none. Damson's only link is c2.

Most tests read one app that is built once for the module (the map routes write nothing,
which ``test_map_routes_write_nothing`` checks); tests that write get their own app.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import PASSWORD, login, make_app, stores_state
from tracker.extensions import db, graph
from tracker.models import AuditEntry, NetworkSettings
from tracker.packages import import_package
from tracker.services import maps, users

AT = "2025-07-15"
BEFORE = "2024-12-20"

PACKAGE: dict[str, list[list[str]]] = {
    "network.csv": [
        ["name", "kind", "started", "priorities"],
        ["Orchard Network", "learning_network", "2024-09-01", "Reading"],
    ],
    "schools.csv": [
        ["school_id", "name", "urn", "phase", "local_authority", "lat", "lon", "joined", "left"],
        ["A", "Ash Primary", "900001", "primary", "", "", "", "2024-09-01", ""],
        ["B", "Birch Primary", "900002", "primary", "", "", "", "2024-09-01", ""],
        ["C", "Cedar Primary", "900003", "primary", "", "", "", "2024-09-01", ""],
        ["D", "Damson Primary", "900004", "primary", "", "", "", "2024-09-01", ""],
    ],
    "people.csv": [
        ["person_id", "name", "school_id", "layer", "job_title", "promoted", "from", "to"],
        ["a1", "Alice Ashworth", "A", "senior", "Headteacher", "yes", "2020-09-01", ""],
        ["a2", "Arun Appleby", "A", "teacher", "Class teacher", "no", "2020-09-01", ""],
        ["a3", "Amy Atherton", "A", "support", "Teaching assistant", "no", "2020-09-01", ""],
        ["b1", "Bella Birchall", "B", "senior", "Headteacher", "yes", "2020-09-01", ""],
        ["b2", "Ben Bramley", "B", "teacher", "Class teacher", "no", "2020-09-01", ""],
        ["c1", "Cara Cedarholm", "C", "senior", "Headteacher", "yes", "2020-09-01", ""],
        ["c2", "Carl Copeland", "C", "teacher", "Class teacher", "no", "2020-09-01", ""],
        ["c3", "Cleo Cresswell", "C", "teacher", "Class teacher", "no", "2025-01-05", ""],
        ["d1", "Dev Damsworth", "D", "senior", "Headteacher", "yes", "2020-09-01", ""],
        ["d2", "Dina Dunmore", "D", "teacher", "Class teacher", "no", "2020-09-01", ""],
    ],
    "roles.csv": [
        ["person_id", "role", "from", "to", "designated_by"],
        ["a2", "lead_learner", "2024-09-01", "", "a1"],
    ],
    "groups.csv": [
        ["group_id", "question", "priority", "started", "ended", "levels"],
        ["g1", "How do we get boys reading for pleasure?", "Reading", "2024-10-01", "", "pupil"],
    ],
    "group_members.csv": [
        ["group_id", "person_id", "role", "from", "to"],
        ["g1", "a2", "lead", "2024-10-01", ""],
        ["g1", "b2", "member", "2024-10-01", ""],
    ],
    "coaching.csv": [
        ["pair_id", "person_a", "person_b", "practice", "started", "ended"],
        ["p1", "b1", "c1", "Philosophy for Children", "2024-10-01", ""],
    ],
    "trained.csv": [
        ["trainer_id", "trainee_id", "practice", "date"],
        ["a1", "a3", "Philosophy for Children", "2024-11-01"],
    ],
    "transfers.csv": [
        [
            "practice_id",
            "practice",
            "from_school_id",
            "to_school_id",
            "carrier_person_id",
            "date",
            "stage",
        ],
        ["pr1", "Philosophy for Children", "A", "B", "a1", "2025-03-01", "trialled"],
    ],
    "advice.csv": [
        ["respondent_id", "nominee_id", "topic", "frequency", "influence", "date"],
        ["a2", "a1", "teaching_learning", "weekly", "4", "2024-12-01"],
        ["b2", "c1", "teaching_learning", "monthly", "3", "2024-12-01"],
        ["a2", "a1", "teaching_learning", "weekly", "4", "2025-06-20"],
        ["a1", "a2", "teaching_learning", "weekly", "4", "2025-06-20"],
        ["a3", "a1", "teaching_learning", "monthly", "3", "2025-06-20"],
        ["a2", "b2", "curriculum", "termly", "2", "2025-06-20"],
        ["b2", "b1", "teaching_learning", "daily", "5", "2025-06-20"],
        ["c2", "a1", "teaching_learning", "monthly", "3", "2025-06-20"],
        ["d1", "c2", "teaching_learning", "weekly", "4", "2025-06-20"],
    ],
}
NAMES = {row[0]: row[1] for row in PACKAGE["people.csv"][1:]}
ASH = ("a1", "a2", "a3")
OTHERS = tuple(key for key in NAMES if key not in ASH)


def write_package(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in PACKAGE.items():
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    return folder


class Orchard:
    """The imported network: uids by package id, and one client per role."""

    def __init__(self, app: Flask, network_uid: str) -> None:
        from tracker.graph.queries import maintenance

        self.app = app
        self.network = network_uid
        with app.app_context():
            rows = graph.store.run(maintenance.DUMP_NODES)
        self.uid: dict[str, str] = {}
        by_name = {name: key for key, name in NAMES.items()}
        schools = {row[1]: row[0] for row in PACKAGE["schools.csv"][1:]}
        for row in rows:
            props = row["props"]
            if "Person" in row["labels"] and props.get("name") in by_name:
                self.uid[by_name[props["name"]]] = props["uid"]
            if "School" in row["labels"] and props.get("name") in schools:
                self.uid[schools[props["name"]]] = props["uid"]
        self.clients: dict[str, FlaskClient] = {}

    def client(self, role: str) -> FlaskClient:
        if role not in self.clients:
            self.clients[role] = self.app.test_client()
            login(self.clients[role], f"{role}@orchard.example")
        return self.clients[role]

    def url(self, endpoint: str = "", **params: Any) -> str:
        return f"/networks/{self.network}/maps/{endpoint}"

    def get(self, role: str, endpoint: str = "data.json", **params: Any):  # type: ignore[no-untyped-def]
        return self.client(role).get(self.url(endpoint), query_string=params)

    def data(self, role: str = "coordinator", **params: Any) -> dict[str, Any]:
        params.setdefault("at", AT)
        response = self.get(role, **params)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        return response.get_json()

    def id(self, key: str) -> str:
        return self.uid[key]


def build_orchard(app: Flask, tmp: Path) -> Orchard:
    with app.app_context():
        report = import_package(write_package(tmp / "orchard"), actor="test")
        assert report.ok, report.problems[:3]
        network = report.network_uid
        orchard = Orchard(app, network)
        users.create("test", "coordinator@orchard.example", PASSWORD, role="coordinator",
                     network_uid=network)  # fmt: skip
        users.create("test", "leader@orchard.example", PASSWORD, role="leader",
                     network_uid=network, school_uid=orchard.id("A"))  # fmt: skip
        users.create("test", "evaluator@orchard.example", PASSWORD, role="evaluator",
                     network_uid=network)  # fmt: skip
        named = users.create("test", "named@orchard.example", PASSWORD, role="evaluator",
                             network_uid=network)  # fmt: skip
        named.grants[0].names_visible = True
        db.session.commit()
    return orchard


@pytest.fixture(scope="module")
def shared_app(tmp_path_factory: pytest.TempPathFactory, graph_dir, migrated_db) -> Iterator[Flask]:
    app = make_app(tmp_path_factory.mktemp("maps"), graph_dir, migrated_db)
    yield app
    with app.app_context():
        graph.store.drop_graph()
        graph.close(app)
        db.engine.dispose()


@pytest.fixture(scope="module")
def orchard(shared_app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Orchard:
    return build_orchard(shared_app, tmp_path_factory.mktemp("package"))


@pytest.fixture
def own_orchard(app: Flask, tmp_path: Path) -> Orchard:
    """The known network in a fresh app, for tests that write."""
    return build_orchard(app, tmp_path)


def pair(edge: dict[str, Any]) -> frozenset[str]:
    return frozenset((edge["source"], edge["target"]))


def pairs(data: dict[str, Any], orchard: Orchard) -> set[frozenset[str]]:
    """The map's edges as pairs of package ids (people only)."""
    back = {uid: key for key, uid in orchard.uid.items()}
    return {frozenset(back[x] for x in pair(e)) for e in data["edges"]}


def ids(*keys: str) -> set[frozenset[str]]:
    return {frozenset(k.split("-")) for k in keys}


# -- counts per view ---------------------------------------------------------------------------


def test_network_view_counts_people_and_ties(orchard):
    data = orchard.data()
    assert data["view"] == "network" and data["at"] == AT
    assert len(data["nodes"]) == 10 and data["summary"]["nodes"] == 10
    assert pairs(data, orchard) == ids("a1-a2", "a1-a3", "a2-b2", "b1-b2", "a1-c2", "c2-d1",
                                       "b1-c1")  # fmt: skip
    by_id = {n["id"]: n for n in data["nodes"]}
    a1, a2 = by_id[orchard.id("a1")], by_id[orchard.id("a2")]
    assert a1["in_degree"] == 3 and a1["head"] and a1["size"] > a2["size"]
    assert a2["role_holder"] and not a1["role_holder"]
    assert {n["label"] for n in data["nodes"] if n["isolate"]} == {NAMES["d2"], NAMES["c3"]}
    # c2 alone joins Damson to the rest: a cut point and a broker; so is a1 (Ash to Cedar).
    assert by_id[orchard.id("c2")]["articulation_point"] and by_id[orchard.id("c2")]["broker"]
    edges = {pair(e): e for e in data["edges"]}
    a1a2 = edges[frozenset((orchard.id("a1"), orchard.id("a2")))]
    assert a1a2["reciprocated"] and a1a2["kind"] == "mixed"
    assert a1a2["kinds"] == ["advice", "role"]
    coaching = edges[frozenset((orchard.id("b1"), orchard.id("c1")))]
    assert coaching["kind"] == "coaching" and not coaching["directed"]
    advice = edges[frozenset((orchard.id("d1"), orchard.id("c2")))]
    assert (advice["source"], advice["target"]) == (orchard.id("d1"), orchard.id("c2"))
    assert [c["label"] for c in data["clusters"]] == sorted(c["label"] for c in data["clusters"])
    assert len(data["clusters"]) == 4
    assert all(0 <= n["x"] <= 1000 and 0 <= n["y"] <= 1000 for n in data["nodes"])
    assert data["privacy"]["names"] == "all"
    assert {entry["key"] for entry in data["legend"]} >= {"head", "edge:mixed", "reciprocated"}


def test_schools_view_joins_schools_and_draws_transfers(orchard):
    data = orchard.data(view="schools")
    assert {n["kind"] for n in data["nodes"]} == {"school"} and len(data["nodes"]) == 4
    links = {frozenset((e["source"], e["target"])): e for e in data["edges"]}
    expected = [("A", "B"), ("A", "C"), ("B", "C"), ("C", "D")]
    assert len([e for e in data["edges"] if e["kind"] != "transfer"]) == 4
    for a, b in expected:
        assert frozenset((orchard.id(a), orchard.id(b))) in links
    transfer = [e for e in data["edges"] if e["kind"] == "transfer"]
    assert len(transfer) == 1 and transfer[0]["directed"]
    assert (transfer[0]["source"], transfer[0]["target"]) == (orchard.id("A"), orchard.id("B"))
    assert data["summary"]["school_links"] == 4 and data["summary"]["transfers"] == 1


def test_ego_view_shows_the_schools_reached_and_through_whom(orchard):
    # A leader's default centre is their own school (Ash); the coordinator sees the names.
    mine = orchard.data("leader", view="ego")["nodes"]
    assert {n["school"] for n in mine if n["kind"] == "person"} == {orchard.id("A")}
    data = orchard.data(view="ego", school=orchard.id("A"))
    people = [n for n in data["nodes"] if n["kind"] == "person"]
    schools = [n for n in data["nodes"] if n["kind"] == "school"]
    assert {n["label"] for n in people} == {NAMES[k] for k in ASH}
    assert {n["id"] for n in schools} == {orchard.id("B"), orchard.id("C")}
    assert len(data["edges"]) == 4  # a1-a2, a1-a3 inside; a2 to Birch, a1 to Cedar
    reached = {row["school"]: row for row in data["summary"]["reached"]}
    assert reached[orchard.id("B")]["through"] == [orchard.id("a2")]
    assert reached[orchard.id("C")]["through"] == [orchard.id("a1")]
    assert [r["school"] for r in data["summary"]["schools_not_reached"]] == [orchard.id("D")]


def test_sociogram_puts_three_layers_in_rows_and_marks_named_each_other(orchard):
    data = orchard.data(view="sociogram", school=orchard.id("A"))
    by_id = {n["id"]: n for n in data["nodes"]}
    assert set(by_id) == {orchard.id(k) for k in ASH}
    assert len(data["edges"]) == 2 and sum(e["reciprocated"] for e in data["edges"]) == 1
    assert {e["kind"] for e in data["edges"]} == {"advice"}
    top, middle, bottom = (by_id[orchard.id(k)]["y"] for k in ASH)  # senior, teacher, support
    assert top < middle < bottom
    assert data["summary"]["layers"] == {"senior": 1, "teacher": 1, "support": 1}
    rows = {r["id"]: r for r in data["summary"]["designated_vs_recognised"]}
    assert rows[orchard.id("a1")]["nominations"] == 3
    assert rows[orchard.id("a2")]["roles"] == ["lead_learner"]


# -- filters -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected", "people"),
    [
        ({"kinds": "advice"}, ("a1-a2", "a1-a3", "a2-b2", "b1-b2", "a1-c2", "c2-d1"), 10),
        ({"kinds": "coaching"}, ("b1-c1",), 10),
        ({"kinds": ["coaching", "training"]}, ("b1-c1", "a1-a3"), 10),
        ({"layer": "senior"}, ("b1-c1",), 4),
        ({"topic": "curriculum"}, ("a1-a2", "a1-a3", "a2-b2", "b1-c1"), 10),
        ({"min_frequency": "weekly"}, ("a1-a2", "a1-a3", "a2-b2", "b1-b2", "c2-d1", "b1-c1"), 10),
        ({"min_influence": "5"}, ("a1-a2", "a1-a3", "a2-b2", "b1-b2", "b1-c1"), 10),
        ({"school": "D"}, ("c2-d1",), 3),
        ({"at": BEFORE}, ("a1-a2", "a1-a3", "a2-b2", "b2-c1", "b1-c1"), 9),
    ],
)
def test_each_filter_changes_the_map_as_expected(orchard, params, expected, people):
    if "school" in params:
        params = {**params, "school": orchard.id(params["school"])}
    data = orchard.data(**params)
    assert pairs(data, orchard) == ids(*expected)
    assert len(data["nodes"]) == people
    assert data["summary"]["edges"] == len(expected)


def test_the_round_filter_picks_an_earlier_round(orchard):
    rounds = orchard.data()["summary"]
    assert rounds["survey"] == "import:2025-summer"
    data = orchard.data(round="import:2024-autumn", kinds="advice")
    assert pairs(data, orchard) == ids("a1-a2", "b2-c1")
    assert data["filters"]["round"] == "import:2024-autumn"


# -- layout ---------------------------------------------------------------------------------------


def test_the_layout_is_the_same_on_every_call(orchard):
    first, second = orchard.data(), orchard.data()
    assert [(n["id"], n["x"], n["y"]) for n in first["nodes"]] == [
        (n["id"], n["x"], n["y"]) for n in second["nodes"]
    ]
    assert len({(n["x"], n["y"]) for n in first["nodes"]}) == len(first["nodes"])
    # Schools as clusters: each school's people sit closer to their own centre than to any other.
    centres = {c["id"]: (c["x"], c["y"]) for c in first["clusters"]}
    for node in first["nodes"]:
        own = centres[node["school"]]
        dist = {k: (node["x"] - x) ** 2 + (node["y"] - y) ** 2 for k, (x, y) in centres.items()}
        assert min(dist, key=dist.get) == node["school"], node["label"]
        assert dist[node["school"]] == min(dist.values()) and own


# -- change and what-if ---------------------------------------------------------------------------


def test_the_change_view_marks_ties_gained_and_lost(orchard):
    data = orchard.data(view="change", **{"from": BEFORE, "to": AT})
    back = {uid: key for key, uid in orchard.uid.items()}
    change = {"-".join(sorted(back[x] for x in pair(e))): e["change"] for e in data["edges"]}
    assert change == {
        "a1-a2": "same", "a1-a3": "same", "a2-b2": "same", "b1-c1": "same",
        "b1-b2": "gained", "a1-c2": "gained", "c2-d1": "gained",
        "b2-c1": "lost",
    }  # fmt: skip
    people = {back[n["id"]]: n["change"] for n in data["nodes"]}
    assert people["c3"] == "gained" and people["a1"] == "same"
    summary = data["summary"]
    assert (summary["gained"], summary["lost"], summary["same"]) == (3, 1, 4)
    assert summary["people_joined"] == 1 and summary["people_left"] == 0
    assert data["filters"]["from"] == BEFORE and data["filters"]["to"] == AT
    # Terms stand for their last day.
    terms = orchard.data(view="change", **{"from": "2024-autumn", "to": "2025-summer"})
    assert (terms["filters"]["from"], terms["filters"]["to"]) == ("2024-12-31", "2025-08-31")
    assert [terms["summary"][k] for k in ("gained", "lost", "same")] == [3, 1, 4]


def test_what_if_the_only_link_to_a_school_leaves(orchard):
    before = orchard.data(view="network")
    data = orchard.data(view="whatif", person=orchard.id("c2"))
    whatif = data["whatif"]
    assert whatif["person"]["label"] == NAMES["c2"]
    losing = {row["school"]: row for row in whatif["schools_losing_only_link"]}
    assert set(losing) == {orchard.id("A"), orchard.id("C"), orchard.id("D")}
    assert losing[orchard.id("D")]["cut_off"] is True
    assert losing[orchard.id("A")]["cut_off"] is False
    assert [r["school"] for r in losing[orchard.id("D")]["lost_links_to"]] == [orchard.id("C")]
    assert whatif["cross_school_ties_lost"] == 2
    lost = {e["id"] for e in data["edges"] if e["change"] == "lost"}
    assert len(lost) == 2
    assert [n["id"] for n in data["nodes"] if n["change"] == "lost"] == [orchard.id("c2")]
    assert "low_connectedness" in whatif["signs_after"]
    assert set(whatif["signs_now"]) != set(whatif["signs_after"])
    # Nothing was taken away for real: the network view is as before.
    assert orchard.data(view="network") == before


def test_what_if_without_a_person_asks_for_one(orchard):
    data = orchard.data(view="whatif")
    assert data["whatif"]["person"] is None
    assert data["whatif"]["signs_now"] == data["whatif"]["signs_after"]


def test_map_routes_write_nothing(orchard):
    for role in ("coordinator", "leader", "evaluator", "named"):
        orchard.client(role)  # signing in writes; the map routes must not
    before = stores_state(orchard.app)
    for params in ({}, {"view": "whatif"}, {"view": "change"}, {"view": "sociogram"}):
        assert orchard.get("coordinator", **params).status_code == 200
        assert orchard.get("leader", "", **params).status_code == 200
        assert orchard.get("evaluator", "data.csv", **params).status_code == 200
    for role, key in (("coordinator", "c2"), ("named", "d1")):
        assert orchard.get(role, view="whatif", person=orchard.id(key)).status_code == 200
    someone = next(n["id"] for n in orchard.data("leader")["nodes"] if n["kind"] == "person")
    assert orchard.get("leader", view="whatif", person=someone).status_code == 200
    assert stores_state(orchard.app) == before


# -- privacy --------------------------------------------------------------------------------------


def _everything(orchard: Orchard, role: str, **params: Any) -> str:
    """The JSON, both CSV parts and the page, as one text."""
    params.setdefault("at", AT)
    texts = []
    for endpoint, extra in (("data.json", {}), ("data.csv", {"part": "nodes"}),
                            ("data.csv", {"part": "edges"}), ("", {})):  # fmt: skip
        response = orchard.get(role, endpoint, **params, **extra)
        assert response.status_code == 200, (endpoint, response.status_code)
        texts.append(response.get_data(as_text=True))
    return "\n".join(texts)


@pytest.mark.parametrize("view", ["network", "sociogram", "ego", "change", "whatif"])
def test_a_leader_sees_questionnaire_maps_only_by_pseudonym(orchard, view):
    """Leaders never see individual answers: on a map with advice ties nobody is named, the
    leader's own school (Ash) included."""
    params: dict[str, Any] = {"view": view}
    if view == "sociogram":
        params["school"] = orchard.id("A")  # their own school's sociogram
    seen = _everything(orchard, "leader", **params)
    hidden = [NAMES[k] for k in (*OTHERS, *ASH)]
    assert not [name for name in hidden if name in seen]
    # Nor their uids: the people directory pairs those with names.
    assert not [k for k in (*OTHERS, *ASH) if orchard.id(k) in seen]
    assert "Person " in seen


def test_a_leader_picks_a_pseudonymised_person_for_what_if(orchard):
    data = orchard.data("leader")
    c2 = next(n for n in data["nodes"] if n["pseudonymised"] and n["in_degree"] == 1
              and n["school"] == orchard.id("C"))  # fmt: skip
    whatif = orchard.data("leader", view="whatif", person=c2["id"])["whatif"]
    assert whatif["person"]["label"] == c2["label"] and whatif["cross_school_ties_lost"] == 2
    assert data["privacy"]["names"] == "none"
    assert "your own school's staff too" in data["privacy"]["note"]
    assert c2["layer"] == "teacher"
    refused = orchard.get("leader", view="whatif", person=orchard.id("c2"), at=AT)
    assert refused.status_code == 422 and "person" in refused.get_json()["errors"]


def test_a_map_of_recorded_activity_alone_names_everyone_for_a_leader(orchard):
    data = orchard.data("leader", kinds=["coaching", "group", "role", "training"])
    assert data["privacy"]["names"] == "all"
    assert NAMES["b1"] in {n["label"] for n in data["nodes"]}
    assert all(n["in_degree"] == 0 for n in data["nodes"])  # nominations are answers


def test_an_evaluator_sees_pseudonyms_unless_granted_names(orchard):
    seen = _everything(orchard, "evaluator")
    assert not [name for name in NAMES.values() if name in seen]
    assert not [k for k in NAMES if orchard.id(k) in seen]
    assert orchard.data("evaluator")["privacy"]["names"] == "none"
    named = _everything(orchard, "named")
    assert all(name in named for name in NAMES.values())


def test_a_coordinator_sees_names(orchard):
    seen = _everything(orchard, "coordinator")
    assert all(name in seen for name in NAMES.values())


def test_the_csv_has_every_node_and_edge_and_guards_formulas(orchard):
    def rows(part: str) -> list[dict[str, str]]:
        response = orchard.get("coordinator", "data.csv", at=AT, part=part)
        assert response.mimetype == "text/csv"
        return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))

    nodes, edges = rows("nodes"), rows("edges")
    assert len(nodes) == 10 and len(edges) == 7
    assert {row["label"] for row in nodes} == set(NAMES.values())
    assert (
        maps.to_csv({"nodes": [{"id": "x", "label": "=cmd()"}], "edges": []}, "nodes")
        .split("\r\n")[1]
        .startswith("x,'=cmd()")
    )


# -- bad requests ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"view": "galaxy"}, "view"),
        ({"at": "2025-02-30"}, "at"),
        ({"kinds": "gossip"}, "kinds"),
        ({"min_frequency": "hourly"}, "min_frequency"),
        ({"min_influence": "9"}, "min_influence"),
        ({"min_influence": "lots"}, "min_influence"),
        ({"layer": "janitor"}, "layer"),
        ({"topic": "gardening"}, "topic"),
        ({"school": "not-a-school"}, "school"),
        ({"view": "whatif", "person": "nobody"}, "person"),
        ({"view": "whatif", "person": "UID:c2", "layer": "senior"}, "person"),
        ({"view": "change", "from": AT, "to": BEFORE}, "to"),
        ({"view": "change", "from": "2025-winter"}, "from"),
        ({"round": "import:1999-autumn"}, "round"),
    ],
)
def test_bad_filter_values_answer_422_naming_the_field(orchard, params, field):
    if str(params.get("person", "")).startswith("UID:"):
        params = {**params, "person": orchard.id(params["person"][4:])}
    orchard.client("coordinator")  # signed in first: signing in writes, the maps must not
    before = stores_state(orchard.app)
    response = orchard.get("coordinator", **params)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    page = orchard.get("coordinator", "", **params)
    assert page.status_code == 422
    table = orchard.get("coordinator", "data.csv", **params)
    assert table.status_code == 422 and f"{field}:" in table.get_data(as_text=True)
    assert stores_state(orchard.app) == before


def test_a_bad_csv_part_is_refused(orchard):
    response = orchard.get("coordinator", "data.csv", at=AT, part="everything")
    assert response.status_code == 422 and "part:" in response.get_data(as_text=True)


def test_another_network_answers_404(orchard):
    with orchard.app.app_context():
        other = users.create("test", "elsewhere@orchard.example", PASSWORD, role="coordinator")
        from tracker.services import networks

        made = networks.create(other, {"name": "Elsewhere", "kind": "cluster",
                                       "started": "2024-09-01", "priorities": []})  # fmt: skip
        db.session.commit()
    for role in ("coordinator", "leader", "evaluator"):
        for endpoint in ("", "data.json", "data.csv"):
            url = f"/networks/{made['uid']}/maps/{endpoint}"
            assert orchard.client(role).get(url).status_code == 404, (role, endpoint)
    assert orchard.client("leader").get(orchard.url("settings")).status_code == 403


# -- what is kept between requests --------------------------------------------------------------


def _coordinator_scope(orchard: Orchard):  # type: ignore[no-untyped-def]
    from tracker.access import Scope
    from tracker.models import User

    user = db.session.scalar(select(User).where(User.email == "coordinator@orchard.example"))
    return Scope(user, orchard.network, "coordinator")


def test_a_write_shows_on_the_next_map_and_a_repeat_reads_no_graph(own_orchard):
    from tracker.services import schools

    orchard = own_orchard
    assert len(orchard.data(view="schools")["nodes"]) == 4
    with orchard.app.app_context():
        schools.add(
            _coordinator_scope(orchard),
            {"name": "Elm Primary", "urn": "900005", "phase": "primary", "joined": "2024-09-01"},
        )
    assert len(orchard.data(view="schools")["nodes"]) == 5
    kept = orchard.data()
    with orchard.app.app_context():
        graph.store.drop_graph()  # behind the tracker's back: only what is kept can answer
    assert orchard.data() == kept


# -- the named-maps setting ----------------------------------------------------------------------


def _named_round(orchard: Orchard, consent: str) -> None:
    """A web round whose respondent a2 (Ash) names b2 (Birch), answered before ``AT``."""
    from tracker.services import surveys

    with orchard.app.app_context():
        scope = _coordinator_scope(orchard)
        made = surveys.open_round(
            scope,
            {"title": "Summer check-in", "topics": ["teaching_learning"], "opens": "2025-07-01",
             "closes": "2025-07-10", "consent_text": consent},
            on="2025-07-01",
        )  # fmt: skip
        links = surveys.issue_links(scope, made["uid"], "http://localhost/", on="2025-07-01")
        token = next(r for r in links if r["person_uid"] == orchard.id("a2"))["link"]
        token = token.rsplit("/", 1)[1]
        surveys.give_consent(token, on="2025-07-02")
        surveys.save_nomination(
            token,
            {"nominee_uid": orchard.id("b2"), "topics": ["teaching_learning"],
             "frequency": "monthly", "influence": 3},
            on="2025-07-02",
        )  # fmt: skip
        surveys.submit(token, on="2025-07-02")
        db.session.commit()


def _settings_version(orchard: Orchard) -> str:
    page = orchard.client("coordinator").get(orchard.url("settings")).get_data(as_text=True)
    return page.split('name="version" value="', 1)[1].split('"', 1)[0]


def test_named_maps_need_the_consent_statement_and_a_confirmation(own_orchard):
    orchard = own_orchard
    _named_round(orchard, "You may withdraw at any time.")  # the statement is missing
    client = orchard.client("coordinator")
    url = orchard.url("settings")
    before = stores_state(orchard.app)
    refused = client.post(url, data={"version": _settings_version(orchard), "named_maps": "on",
                                     "confirm": "on"})  # fmt: skip
    assert refused.status_code == 422 and "consent text" in refused.get_data(as_text=True)
    assert stores_state(orchard.app) == before
    _named_round(orchard, f"Thank you for taking part. {maps.NAMED_MAPS_STATEMENT}")
    before = stores_state(orchard.app)
    unconfirmed = client.post(url, data={"version": _settings_version(orchard),
                                         "named_maps": "on"})  # fmt: skip
    assert unconfirmed.status_code == 422 and 'id="confirm-error"' in unconfirmed.get_data(
        as_text=True
    )
    stale = client.post(url, data={"version": "999", "named_maps": "on", "confirm": "on"})
    assert stale.status_code == 409
    assert stores_state(orchard.app) == before
    assert orchard.client("leader").post(url, data={"named_maps": "on"}).status_code == 403
    saved = client.post(url, data={"version": _settings_version(orchard), "named_maps": "on",
                                   "confirm": "on"})  # fmt: skip
    assert saved.status_code == 302
    with orchard.app.app_context():
        assert db.session.get(NetworkSettings, orchard.network).named_maps is True
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "maps.named_maps"))
        assert (entry.before, entry.after) == ({"named_maps": False}, {"named_maps": True})


def test_named_maps_show_names_to_leaders_only_for_rounds_that_said_so(own_orchard):
    orchard = own_orchard
    _named_round(orchard, f"Please read. {maps.NAMED_MAPS_STATEMENT}")
    hidden_before = _everything(orchard, "leader")
    assert NAMES["b2"] not in hidden_before  # the setting is off
    client = orchard.client("coordinator")
    response = client.post(orchard.url("settings"), data={
        "version": _settings_version(orchard), "named_maps": "on", "confirm": "on"})  # fmt: skip
    assert response.status_code == 302
    shown = _everything(orchard, "leader")
    assert NAMES["b2"] in shown and orchard.data("leader")["privacy"]["names"] == "all"
    # The imported summer round (no consent text on record) still hides names.
    older = _everything(orchard, "leader", at="2025-06-30")
    assert NAMES["b2"] not in older and NAMES["d1"] not in older
    # Evaluators are not leaders: the setting does not name anyone for them.
    assert NAMES["b2"] not in _everything(orchard, "evaluator")
