"""Reading a network's history from the real graph and cutting it at dates."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.helpers import coordinator_scope, count_queries
from tracker.extensions import graph
from tracker.graph.queries import snapshot as q
from tracker.graph.snapshot import load_history, snapshot
from tracker.graph.store import NotFound
from tracker.services import groups, people


@pytest.fixture
def recorded(app, world):
    """Network A with a group, two sessions a term apart, and one person who left."""
    with app.app_context():
        scope = coordinator_scope(world)
        a, b, c = (p["uid"] for p in world.people["A"])
        group = groups.create(
            scope,
            {
                "question": "How do we teach reading?",
                "priority": "Reading",
                "started": "2024-09-10",
                "levels": ["pupil", "adult"],
            },
        )
        for who, role in ((a, "lead"), (b, "member")):
            groups.add_member(
                scope, group["uid"], {"person_uid": who, "role": role, "from": "2024-09-10"}
            )
        groups.add_session(scope, group["uid"], {"date": "2024-10-01", "present": [a, b]})
        groups.add_session(
            scope, group["uid"], {"date": "2025-02-01", "present": [a], "guests": [c]}
        )
        people.end_work(scope, c, "2025-03-31")
        return {"group": group["uid"], "people": (a, b, c), "network": scope.network_uid}


def test_the_history_is_read_with_a_fixed_set_of_queries(app, world, recorded):
    with count_queries(app) as ran, app.app_context():
        history = load_history(graph.store, recorded["network"])
    assert ran == Counter(query.name for query in q.ALL), "each query once, nothing else"
    with count_queries(app) as small, app.app_context():
        load_history(graph.store, world.networks["B"]["uid"])  # three people, no activity
    assert small == ran, "the number of queries does not grow with the network"
    assert history.network["name"] == "Network A"
    assert len(history.people) == 3
    assert len(history.group_sessions) == 2
    assert sorted(len(s["attendees"]) for s in history.group_sessions) == [2, 2]


def test_a_cut_keeps_what_was_current_and_what_had_happened(app, recorded):
    a, b, c = recorded["people"]
    with app.app_context():
        history = load_history(graph.store, recorded["network"])
    autumn = history.at("2024-12-31")
    later = history.at("2025-06-30")

    assert {p.uid for p in autumn.people} == {a, b, c}
    assert {p.uid for p in later.people} == {a, b}, "c left on 2025-03-31"
    assert [s.date for s in autumn.groups[0].sessions] == ["2024-10-01"]
    assert [s.date for s in later.groups[0].sessions] == ["2024-10-01", "2025-02-01"]
    assert later.groups[0].sessions[1].attendees == tuple(sorted((a, c)))
    assert {m.person_uid: m.role for m in later.groups[0].members} == {a: "lead", b: "member"}
    assert later.groups[0].priority == "Reading"
    assert later.priorities == ("Reading", "Writing")
    schools = {s.uid for s in later.schools}
    assert {p.school_uid for p in later.people} <= schools
    assert all(s.networks == 1 for s in later.schools)
    before = history.at("2024-09-01")
    assert before.groups == (), "the group started on 2024-09-10"


def test_snapshot_of_an_unknown_network_is_not_found(app, world):
    with app.app_context(), pytest.raises(NotFound):
        snapshot(graph.store, "no-such-network", "2025-01-01")
