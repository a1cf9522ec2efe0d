"""The network timeline by term: counts per concept, what happened, and a fixed query count.

The year of activity is written through each concept's public service, as a coordinator would
through the forms, so the timeline reads exactly what the rest of the application writes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from tests.conftest import EMAILS, World, login
from tests.helpers import coordinator_scope, count_queries, spaced_text
from tracker.access import Scope
from tracker.services import activities, coaching, groups, roles, transfers
from tracker.services import timeline as timeline_service
from tracker.services.pseudonyms import pseudonym
from tracker.services.terms import term_of, terms_between


def term_section(page: str, key: str) -> str:
    """The visible text of one term's panel (``key`` like ``2024-autumn``)."""
    match = re.search(rf'<section class="panel term" id="term-{key}".*?</section>', page, re.S)
    assert match, f"no section for term {key}"
    return spaced_text(match.group(0))


def figures(section: str) -> dict[str, int]:
    names = (
        "Group sessions",
        "Coaching sessions",
        "Activities",
        "Outcomes",
        "Roles started",
        "Adoptions",
        "People taking part",
        "Schools taking part",
    )
    found = {}
    for name in names:
        match = re.search(rf"{name} (\d+)", section)
        assert match, f"no figure {name!r} in {section!r}"
        found[name] = int(match.group(1))
    return found


@pytest.fixture
def scope(app: Flask, world: World) -> Iterator[Scope]:
    with app.app_context():
        yield coordinator_scope(world)


def seed_year(world: World, scope: Scope) -> dict[str, Any]:
    """A year of activity in network A (started 2024-09-01). People 0 and 2 work at school 0,
    person 1 at school 1."""
    p0, p1, p2 = (p["uid"] for p in world.people["A"])
    s0, s1 = (s["uid"] for s in world.schools["A"])
    future = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    # Autumn 2024
    activities.add(
        scope,
        {
            "kind": "learning_forum",
            "date": "2024-10-10",
            "title": "",
            "host_uid": s0,
            "attendees": [p0, p1],
        },
    )
    group = groups.create(
        scope,
        {"question": "How do we teach reading for pleasure?", "started": "2024-10-01"},
    )
    groups.add_session(scope, group["uid"], {"date": "2024-11-05", "guests": [p2]})
    groups.add_session(scope, group["uid"], {"date": "2024-11-20", "guests": [p0, p2]})
    pair = coaching.add_pair(
        scope,
        {"person_a": p0, "person_b": p1, "practice": "Questioning", "started": "2024-09-10"},
    )
    coaching.log_session(scope, pair["uid"], "2024-09-20")
    practice = transfers.add_practice(
        scope, {"name": "Reciprocal reading", "school_uid": s0, "shared_on": "2024-10-01"}
    )
    transfers.add_adoption(
        scope,
        practice["uid"],
        {"school_uid": s1, "stage": "heard", "date": "2024-12-01", "carrier_uid": ""},
    )
    # Spring 2025
    activities.add(
        scope,
        {"kind": "workshop", "date": "2025-02-03", "title": "Phonics", "attendees": [p2]},
    )
    coaching.log_session(scope, pair["uid"], "2025-01-15")
    coaching.log_session(scope, pair["uid"], "2025-01-22")
    roles.add(scope, {"person_uid": p1, "title": "lead_learner", "from": "2025-01-06"})
    # Summer 2025
    groups.add_outcome(
        scope,
        group["uid"],
        {"kind": "report", "date": "2025-05-01", "description": "A short report to governors"},
    )
    coaching.add_training(
        scope, {"trainer_uid": p0, "trainee_uid": p2, "practice": "P4C", "date": "2025-04-10"}
    )
    transfers.add_adoption(
        scope,
        practice["uid"],
        {"school_uid": s1, "stage": "trialled", "date": "2025-06-01", "carrier_uid": p0},
    )
    # Outside the timeline: before the network started, and after today.
    activities.add(scope, {"kind": "meeting", "date": "2024-08-01", "attendees": [p0]})
    activities.add(scope, {"kind": "meeting", "date": future, "attendees": [p0]})
    return {"group": group, "pair": pair, "practice": practice}


def test_every_term_from_the_start_to_today_newest_first(app, client, world, scope):
    login(client, EMAILS["coordinatorA"])
    page = client.get(f"/networks/{world.networks['A']['uid']}/timeline/").get_data(as_text=True)
    keys = re.findall(r'<section class="panel term" id="term-([\w-]+)"', page)
    expected = [t.key for t in reversed(terms_between("2024-09-01", dt.date.today()))]
    assert keys == expected
    assert keys[-1] == "2024-autumn" and keys[0] == term_of(dt.date.today()).key
    assert "Autumn 2024 (2024/25)" in spaced_text(page)
    assert "Nothing recorded this term." in term_section(page, "2024-autumn")


def test_counts_per_term(app, client, world, scope):
    seed_year(world, scope)
    login(client, EMAILS["coordinatorA"])
    page = client.get(f"/networks/{world.networks['A']['uid']}/timeline/").get_data(as_text=True)

    assert figures(term_section(page, "2024-autumn")) == {
        "Group sessions": 2,
        "Coaching sessions": 1,
        "Activities": 1,
        "Outcomes": 0,
        "Roles started": 0,
        "Adoptions": 1,
        "People taking part": 3,
        "Schools taking part": 2,
    }
    assert figures(term_section(page, "2025-spring")) == {
        "Group sessions": 0,
        "Coaching sessions": 2,
        "Activities": 1,
        "Outcomes": 0,
        "Roles started": 1,
        "Adoptions": 0,
        "People taking part": 3,
        "Schools taking part": 2,
    }
    assert figures(term_section(page, "2025-summer")) == {
        "Group sessions": 0,
        "Coaching sessions": 0,
        "Activities": 0,
        "Outcomes": 1,
        "Roles started": 0,
        "Adoptions": 1,
        "People taking part": 2,  # the trainer and the trainee (also the carrier)
        "Schools taking part": 2,  # their school, and the adopting school
    }
    # The meetings before the start and after today are in no term.
    sections = [term_section(page, t.key) for t in terms_between("2024-09-01", dt.date.today())]
    counted = [figures(s)["Activities"] for s in sections if "Nothing recorded" not in s]
    assert sum(counted) == 2


def test_what_happened_in_each_term(app, client, world, scope):
    seed_year(world, scope)
    login(client, EMAILS["coordinatorA"])
    page = client.get(f"/networks/{world.networks['A']['uid']}/timeline/").get_data(as_text=True)

    autumn = term_section(page, "2024-autumn")
    assert "Activities by kind: Learning forum: 1" in autumn
    # In date order within the term.
    lines = [
        "Co-coaching on “Questioning”: 1 session",
        "Learning forum at A Primary 0, 2 attendees from 2 schools",
        "Enquiry group “How do we teach reading for pleasure?” met 2 times (2 people)",
        "A Primary 1 heard about “Reciprocal reading”",
    ]
    positions = [autumn.find(line) for line in lines]
    assert all(p >= 0 for p in positions), list(zip(lines, positions, strict=True))
    assert positions == sorted(positions)

    spring = term_section(page, "2025-spring")
    assert "Activities by kind: Workshop: 1" in spring
    assert "Workshop “Phonics”, 1 attendee from 1 school" in spring
    assert "A Person 1 became lead learner" in spring
    assert "Co-coaching on “Questioning”: 2 sessions" in spring

    summer = term_section(page, "2025-summer")
    assert "1 person trained in “P4C”" in summer
    assert "Outcome (report) from enquiry group “How do we teach reading for pleasure?”" in summer
    assert "A Primary 1 trialled “Reciprocal reading”" in summer


def test_evaluator_sees_role_holders_pseudonymised(app, client, world, scope):
    seed_year(world, scope)
    holder = world.people["A"][1]
    label = pseudonym(world.networks["A"]["uid"], holder["uid"])
    login(client, EMAILS["evaluatorA"])
    response = client.get(f"/networks/{world.networks['A']['uid']}/timeline/")
    assert response.status_code == 200
    spring = term_section(response.get_data(as_text=True), "2025-spring")
    assert f"{label} became lead learner" in spring
    for person in world.people["A"]:
        assert person["name"] not in response.get_data(as_text=True)


def test_leader_reads_the_timeline_and_other_networks_get_404(app, client, world, scope):
    login(client, EMAILS["leaderA"])
    assert client.get(f"/networks/{world.networks['A']['uid']}/timeline/").status_code == 200
    assert client.get(f"/networks/{world.networks['B']['uid']}/timeline/").status_code == 404


def test_other_networks_records_stay_out(app, client, world, scope):
    seed_year(world, scope)
    login(client, EMAILS["coordinatorB"])
    page = client.get(f"/networks/{world.networks['B']['uid']}/timeline/").get_data(as_text=True)
    assert "Reciprocal reading" not in page and "Learning forum at" not in page
    assert "Nothing recorded this term." in term_section(page, "2024-autumn")


def test_query_count_does_not_grow_with_terms_or_people(app, client, world, scope):
    login(client, EMAILS["coordinatorA"])
    url = f"/networks/{world.networks['A']['uid']}/timeline/"
    with count_queries(app) as empty:
        assert client.get(url).status_code == 200

    seed_year(world, scope)
    for month in range(1, 13):  # a workshop every month for a year, everyone attending
        activities.add(
            scope,
            {
                "kind": "workshop",
                "date": f"2025-{month:02d}-15",
                "attendees": [p["uid"] for p in world.people["A"]],
            },
        )
    with count_queries(app) as full:
        assert client.get(url).status_code == 200
    assert full == empty
    assert sum(c for name, c in empty.items() if name.startswith("timeline.")) == 7
    assert sum(empty.values()) <= 12


def test_summarise_from_plain_rows():
    """The pure part: rows to terms, without a store."""
    terms = terms_between("2025-01-01", "2025-08-31")
    people = [
        {"uid": "p", "name": "P", "works": [{"school_uid": "s", "from": "2020-01-01", "to": None}]}
    ]
    rows = {
        "activities": [
            {
                "uid": "a",
                "kind": "visit",
                "date": "2025-05-05",
                "title": "School visit",
                "host_uids": ["h"],
                "host_names": ["Host School"],
                "people": ["p"],
            }
        ],
        "group_sessions": [],
        "outcomes": [],
        "coaching": [{"uid": "c", "practice": "X", "sessions": ["2025-02-01"], "people": ["p"]}],
        "trained": [],
        "roles": [],
        "adoptions": [],
    }
    summer, spring = timeline_service.summarise(terms, rows, people)
    assert summer.term.label == "Summer 2025" and spring.term.label == "Spring 2025"
    assert summer.activities == {"visit": 1}
    assert summer.schools == {"h", "s"} and summer.people == {"p"}
    assert summer.events == ["School visit at Host School, 1 attendee from 1 school"]
    assert spring.coaching_sessions == 1 and not spring.empty


def test_network_starting_later_has_no_terms_yet(app, client, world, scope):
    from tracker.services import networks as network_service

    network = world.networks["A"]
    later = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    network_service.update(
        scope.user,
        network["uid"],
        network["version"],
        {"name": network["name"], "kind": network["kind"], "started": later, "priorities": []},
    )
    login(client, EMAILS["coordinatorA"])
    page = client.get(f"/networks/{network['uid']}/timeline/").get_data(as_text=True)
    assert 'class="panel term"' not in page
    assert f"The network starts on {later}: there is no term to show yet." in spaced_text(page)
