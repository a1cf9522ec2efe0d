"""The dashboard, its cache, who sees which names, the thresholds page and the CLI documents."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from tests.conftest import EMAILS, login, stores_state
from tests.helpers import coordinator_scope, count_queries
from tracker.extensions import db, graph
from tracker.models import AuditEntry, CachedResult
from tracker.services import analysis, groups, schools
from tracker.signs import SIGNS

AT = "2025-06-30"


@pytest.fixture
def groups_off_priority(app, world):
    """Network A runs two enquiry groups, one on a priority: exactly half serve one."""
    with app.app_context():
        scope = coordinator_scope(world)
        for question, priority in (("Phonics for all?", "Reading"), ("Better lunchtimes?", "")):
            groups.create(
                scope,
                {"question": question, "priority": priority, "started": "2024-10-01"},
            )
    return world


def _sign_ids(payload: dict) -> set[str]:
    return {s["id"] for s in payload["signs"] if "insufficient_data" not in s["evidence"]}


def test_the_result_is_computed_once_per_data_version(app, world):
    network = world.networks["A"]["uid"]
    with app.app_context():
        first = analysis.results(network, AT)
        again = analysis.results(network, AT)
        assert (first["cached"], again["cached"]) == (False, True)
        assert again["signs"] == first["signs"] and again["trend"] == first["trend"]
        schools.add(
            coordinator_scope(world),
            {"name": "A Primary 9", "urn": "A109", "phase": "primary", "joined": "2024-09-01"},
        )
        after_write = analysis.results(network, AT)
        assert after_write["cached"] is False
        assert after_write["data_version"] > first["data_version"]
        assert after_write["metrics"]["network_metrics"]["schools"] == 3
        rows = db.session.scalar(select(func.count()).select_from(CachedResult))
        assert rows == 2


def test_a_cache_hit_does_no_graph_work(app, world):
    """With the graph emptied behind the tracker's back, only the cache can still answer."""
    network = world.networks["A"]["uid"]
    with app.app_context():
        computed = analysis.results(network, AT)
        graph.store.drop_graph()
        with count_queries(app) as ran:
            hit = analysis.results(network, AT)
        assert hit["cached"] is True
        assert hit["metrics"] == computed["metrics"]
        assert ran == Counter(), "not one graph query"


def test_the_dashboard_shows_signs_figures_and_six_terms(app, groups_off_priority, client):
    login(client, EMAILS["coordinatorA"])
    network = groups_off_priority.networks["A"]["uid"]
    response = client.get(f"/networks/{network}/dashboard/?at={AT}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Warning signs" in page and "Headline figures" in page
    assert page.count('class="chart"') == 4
    # The network started on 2024-09-01: three terms so far, none from before it began.
    assert page.count('<rect class="bar') == 4 * 3
    assert "Autumn 2024" in page and "Summer 2025" in page and "Summer 2024" not in page
    for sign in SIGNS:
        assert str(escape(sign.TITLE)) in page, sign.ID  # every sign has a row in the term grid


def test_a_bad_date_is_refused_on_the_page(app, world, client):
    login(client, EMAILS["coordinatorA"])
    response = client.get(f"/networks/{world.networks['A']['uid']}/dashboard/?at=2025-02-30")
    assert response.status_code == 422
    assert "YYYY-MM-DD" in response.get_data(as_text=True)


def _names(world, key: str = "A") -> list[str]:
    return [p["name"] for p in world.people[key]]


def test_evaluators_see_no_names_and_leaders_only_their_schools(app, world):
    network = world.networks["A"]["uid"]
    # Person i works at school i % 2 (tests/conftest.py).
    own = [p["name"] for i, p in enumerate(world.people["A"]) if i % 2 == 0]
    others = [p["name"] for i, p in enumerate(world.people["A"]) if i % 2 == 1]
    assert own and others
    seen = {}
    for role in ("coordinatorA", "leaderA", "evaluatorA"):
        client = app.test_client()
        login(client, EMAILS[role])
        metrics = client.get(f"/api/v1/networks/{network}/metrics?at={AT}")
        page = client.get(f"/networks/{network}/dashboard/?at={AT}")
        assert metrics.status_code == page.status_code == 200
        seen[role] = json.dumps(metrics.get_json()) + page.get_data(as_text=True)
    assert all(name in seen["coordinatorA"] for name in _names(world))
    assert not any(name in seen["evaluatorA"] for name in _names(world))
    assert "Person " in seen["evaluatorA"]
    assert all(name in seen["leaderA"] for name in own)
    assert not any(name in seen["leaderA"] for name in others)


def test_the_signs_document_has_the_interface_shape(app, groups_off_priority, runner):
    result = runner.invoke(args=["signs", "Network A", "--at", AT, "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document) == {"network", "at", "signs"}
    assert document["at"] == AT
    ids = [s["id"] for s in document["signs"]]
    assert ids == [s.ID for s in SIGNS if s.ID in ids], "in the documented order"
    for sign in document["signs"]:
        assert set(sign) == {
            "id",
            "severity",
            "title",
            "explanation",
            "source",
            "evidence",
            "suggestion",
        }
        assert sign["severity"] in {"info", "warning", "concern"}
    readable = runner.invoke(args=["signs", "Network A", "--at", AT])
    assert readable.exit_code == 0 and f"Warning signs as at {AT}" in readable.output


def test_the_metrics_document_has_the_interface_shape(app, world, runner):
    result = runner.invoke(args=["metrics", world.networks["A"]["uid"], "--at", AT, "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert {"network", "at", "network_metrics", "schools", "people"} <= set(document)
    required = {
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
    }
    assert required <= set(document["network_metrics"])
    assert document["network_metrics"]["schools"] == 2
    assert document["network_metrics"]["people"] == 3
    person = document["people"][0]
    assert {"person_id", "uid", "in_degree", "out_degree", "betweenness", "broker"} <= set(person)
    assert {"school_id", "uid", "name"} <= set(document["schools"][0])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["signs", "Network A", "--at", "2025-02-30"], "YYYY-MM-DD"),
        (["metrics", "No such network"], "No such network"),
    ],
)
def test_the_cli_says_what_is_wrong_in_one_line(app, world, runner, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_changed_threshold_flips_a_sign_and_is_audited(app, groups_off_priority, client):
    network = groups_off_priority.networks["A"]["uid"]
    login(client, EMAILS["coordinatorA"])
    dashboard = f"/networks/{network}/dashboard/?at={AT}"
    assert 'id="sign-weak_consistency"' not in _held(client.get(dashboard))
    page = client.get(f"/networks/{network}/dashboard/settings")
    assert page.status_code == 200
    form = {"version": "1", "weak_consistency.min_share": "0.75"}
    response = client.post(f"/networks/{network}/dashboard/settings", data=form)
    assert response.status_code == 302
    assert 'id="sign-weak_consistency"' in _held(client.get(dashboard))
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "thresholds.update")
        )
        assert entry.after == {"weak_consistency": {"min_share": 0.75}}
        assert analysis.thresholds(network)["weak_consistency"]["min_share"] == 0.75


def _held(response) -> str:
    """The page up to the list of signs that could not be judged."""
    return response.get_data(as_text=True).split("Could not be judged")[0]


@pytest.mark.parametrize(
    ("form", "status", "text"),
    [
        ({"version": "1", "weak_consistency.min_share": "1.5"}, 422, "at most 1"),
        ({"version": "1", "weak_consistency.min_share": "lots"}, 422, "must be a number"),
        ({"version": "7", "weak_consistency.min_share": "0.6"}, 409, "changed these settings"),
        ({"version": "1", "retention_months": "0"}, 422, "from 1 to 120"),
        ({"version": "1", "retention_months": "ten"}, 422, "from 1 to 120"),
    ],
)
def test_bad_thresholds_change_nothing(app, world, client, form, status, text):
    network = world.networks["A"]["uid"]
    login(client, EMAILS["coordinatorA"])
    client.get(f"/networks/{network}/dashboard/settings")
    before = stores_state(app)
    response = client.post(f"/networks/{network}/dashboard/settings", data=form)
    assert response.status_code == status
    assert text in response.get_data(as_text=True)
    assert stores_state(app) == before


def test_the_retention_setting_is_saved_and_audited(app, world, client):
    network = world.networks["A"]["uid"]
    login(client, EMAILS["coordinatorA"])
    url = f"/networks/{network}/dashboard/settings"
    assert client.post(url, data={"version": "1", "retention_months": "24"}).status_code == 302
    with app.app_context():
        from tracker.services import dataversion

        assert dataversion.settings_for(network).retention_months == 24
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "retention.update"))
        assert entry.after == {"retention_months": 24}
    assert 'value="24"' in client.get(url).get_data(as_text=True)
    assert client.post(url, data={"version": "2", "retention_months": ""}).status_code == 302
    with app.app_context():
        assert dataversion.settings_for(network).retention_months is None
