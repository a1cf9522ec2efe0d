"""A coordinator's first session, a refused form, a phone, and what leaders and evaluators see.

Each test makes its own users, network and URNs: the app and its stores live for the session.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS, LiveServer, new_page, sign_in
from tests.conftest import PASSWORD, stores_state
from tracker.access import Scope
from tracker.models import User
from tracker.services import networks, people, schools, users
from tracker.services.pseudonyms import pseudonym

pytestmark = pytest.mark.browser

UID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
PSEUDONYM = re.compile(r"Person [A-Z2-7]{6}")


def coordinator_scope(app: Flask, email: str, network_uid: str) -> Scope:
    """The coordinator's scope, for reading the graph back through the services."""
    user = users.by_email(email)
    assert isinstance(user, User)
    return Scope(user, network_uid, "coordinator")


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def submit(page: Page, button: str) -> int:
    """Click a form's submit button and return the status of the POST it sends."""
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name=button, exact=True).click()
    status = answer.value.status
    page.wait_for_load_state()
    return status


def test_coordinator_builds_a_network_through_the_forms(
    browser: Browser, live_server: LiveServer
) -> None:
    app, base = live_server.app, live_server.url
    email = "amara.journey@example.org"
    with app.app_context():
        users.create("test", email, PASSWORD, name="Amara Osei", role="coordinator")

    page = new_page(browser, DESKTOP)
    page.goto(f"{base}/login")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    shot(page, "login.png")
    sign_in(page, base, email)
    expect(page.get_by_role("heading", name="Your networks")).to_be_visible()

    # The network.
    page.get_by_role("link", name="New network").click()
    page.get_by_label("Name", exact=True).fill("Northfield Learning Network")
    page.get_by_label("Kind", exact=True).select_option(label="Learning network")
    page.get_by_label("Started", exact=True).fill("2024-09-02")
    page.get_by_label("Priorities", exact=True).fill(
        "Reading for pleasure in Key Stage 2\nMaths mastery through teacher enquiry"
    )
    assert submit(page, "Create network") == 302
    expect(page).to_have_url(re.compile(rf"{base}/networks/{UID}$"))
    network_uid = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("heading", level=1)).to_have_text("Northfield Learning Network")
    with app.app_context():
        [listed] = networks.listing([network_uid])
        creator = users.by_email(email)
        assert creator is not None
        held = {(g.role, g.network_uid) for g in creator.grants}
    assert {
        k: listed[k] for k in ("name", "kind", "started", "priorities", "schools", "people")
    } == {
        "name": "Northfield Learning Network",
        "kind": "learning_network",
        "started": "2024-09-02",
        "priorities": [
            "Reading for pleasure in Key Stage 2",
            "Maths mastery through teacher enquiry",
        ],
        "schools": 0,
        "people": 0,
    }
    assert ("coordinator", network_uid) in held

    # Two schools: the person starts at the first and moves to the second.
    typed_schools = [
        {
            "name": "Harbour View Primary School",
            "urn": "931001",
            "phase": "primary",
            "local_authority": "Northshire",
            "lat": 54.9783,
            "lon": -1.6178,
        },
        {
            "name": "St Aidan's Church of England Academy",
            "urn": "931002",
            "phase": "secondary",
            "local_authority": "Northshire",
            "lat": 54.9921,
            "lon": -1.5634,
        },
    ]
    school_uids = []
    for typed in typed_schools:
        page.goto(f"{base}/networks/{network_uid}")
        page.get_by_role("link", name="Add a school").click()
        page.get_by_label("Name", exact=True).fill(typed["name"])
        page.get_by_label("URN", exact=True).fill(typed["urn"])
        page.get_by_label("Phase", exact=True).select_option(typed["phase"])
        page.get_by_label("Local authority", exact=True).fill(typed["local_authority"])
        page.get_by_label("Latitude", exact=True).fill(str(typed["lat"]))
        page.get_by_label("Longitude", exact=True).fill(str(typed["lon"]))
        page.get_by_label("Joined the network", exact=True).fill("2024-09-02")
        assert submit(page, "Add school") == 302
        expect(page).to_have_url(re.compile(rf"/networks/{network_uid}/schools/{UID}$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(typed["name"])
        school_uid = page.url.rsplit("/", 1)[1]
        school_uids.append(school_uid)
        with app.app_context():
            stored = schools.get(coordinator_scope(app, email, network_uid), school_uid)
        assert {k: stored[k] for k in (*typed, "size")} == {**typed, "size": None}
        assert [(m["from"], m["to"]) for m in stored["memberships"]] == [("2024-09-02", None)]

    # A person at the first school.
    page.goto(f"{base}/networks/{network_uid}")
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Name", exact=True).fill("Bethany Achterberg-Nwosu")
    page.get_by_label("Layer", exact=True).select_option("senior")
    page.get_by_label("Job title", exact=True).fill("Deputy headteacher")
    page.get_by_label("Holds a promoted post").check()
    page.get_by_label("School", exact=True).select_option(label=typed_schools[0]["name"])
    page.get_by_label("Started at the school", exact=True).fill("2018-09-03")
    assert submit(page, "Add person") == 302
    expect(page).to_have_url(re.compile(rf"/networks/{network_uid}/people/{UID}$"))
    person_uid = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("heading", level=1)).to_have_text("Bethany Achterberg-Nwosu")
    with app.app_context():
        stored = people.get(coordinator_scope(app, email, network_uid), person_uid)
    assert {k: stored[k] for k in ("name", "layer", "job_title", "promoted")} == {
        "name": "Bethany Achterberg-Nwosu",
        "layer": "senior",
        "job_title": "Deputy headteacher",
        "promoted": True,
    }
    assert [(w["school_uid"], w["from"], w["to"]) for w in stored["works"]] == [
        (school_uids[0], "2018-09-03", None)
    ]

    # The move: the first period ends, a second starts, and the page shows both.
    page.get_by_text("Move to another school").click()
    page.get_by_label("New school", exact=True).select_option(label=typed_schools[1]["name"])
    page.get_by_label("Date of the move", exact=True).fill("2026-09-01")
    assert submit(page, "Move") == 302
    timeline = page.locator("ol.timeline > li")
    expect(timeline).to_have_text(
        [
            f"{typed_schools[1]['name']} from 2026-09-01 (current)",
            f"{typed_schools[0]['name']} from 2018-09-03 to 2026-09-01",
        ]
    )
    with app.app_context():
        stored = people.get(coordinator_scope(app, email, network_uid), person_uid)
        [listed] = networks.listing([network_uid])
    assert [(w["school_uid"], w["from"], w["to"]) for w in stored["works"]] == [
        (school_uids[0], "2018-09-03", "2026-09-01"),
        (school_uids[1], "2026-09-01", None),
    ]
    assert stored["current_work"]["school_uid"] == school_uids[1]
    assert (listed["schools"], listed["people"]) == (2, 1)
    shot(page, "person.png")

    page.goto(f"{base}/networks/{network_uid}/schools/{school_uids[1]}")
    expect(page.get_by_role("link", name="Bethany Achterberg-Nwosu")).to_be_visible()
    shot(page, "school.png")
    page.goto(f"{base}/networks/{network_uid}")
    expect(page.locator(".figures dd")).to_have_text(["2", "1"])
    shot(page, "network.png")
    page.context.close()


@dataclass
class Seeded:
    network_uid: str
    coordinator: str
    school_uids: list[str] = field(default_factory=list)
    people: dict[str, str] = field(default_factory=dict)  # uid -> real name


def seed(app: Flask, tag: str, urn_base: int) -> Seeded:
    """A network built through the services, for tests about something other than the forms."""
    email = f"coordinator.{tag}@example.org"
    with app.app_context():
        user = users.create("test", email, PASSWORD, role="coordinator")
        network = networks.create(
            user,
            {
                "name": f"{tag.capitalize()} Schools Partnership",
                "kind": "partnership",
                "started": "2023-09-01",
                "priorities": ["Oracy across the curriculum"],
            },
        )
        seeded = Seeded(network["uid"], email)
        scope = Scope(user, network["uid"], "coordinator")
        for i, name in enumerate(
            (f"{tag.capitalize()} Infant School", f"{tag.capitalize()} Junior School")
        ):
            school = schools.add(
                scope,
                {
                    "name": name,
                    "urn": str(urn_base + i),
                    "phase": "primary",
                    "joined": "2023-09-01",
                },
            )
            seeded.school_uids.append(school["uid"])
        for i, (name, layer) in enumerate(
            (
                ("Gwendolyn Marchbanks", "senior"),
                ("Rashid Oyelaran", "teacher"),
                ("Ines Calloway", "support"),
            )
        ):
            person = people.add(
                scope,
                {
                    "name": name,
                    "layer": layer,
                    "job_title": "Oracy lead",
                    "school_uid": seeded.school_uids[i % 2],
                    "from": "2021-09-01",
                },
            )
            seeded.people[person["uid"]] = name
    return seeded


def test_a_refused_school_shows_the_error_at_the_urn_and_writes_nothing(
    page: Page, live_server: LiveServer
) -> None:
    app, base = live_server.app, live_server.url
    seeded = seed(app, "riverside", 932000)
    sign_in(page, base, seeded.coordinator)
    page.goto(f"{base}/networks/{seeded.network_uid}/schools/new")
    page.get_by_label("Name", exact=True).fill("Riverside Infants (again)")
    page.get_by_label("URN", exact=True).fill("932000")
    page.get_by_label("Phase", exact=True).select_option("primary")
    before = stores_state(app)

    assert submit(page, "Add school") == 422

    urn = page.get_by_label("URN", exact=True)
    expect(urn).to_have_attribute("aria-invalid", "true")
    described = (urn.get_attribute("aria-describedby") or "").split()
    errors = [page.locator(f"#{ident}") for ident in described]
    error_texts = [e.inner_text() for e in errors if "error" in (e.get_attribute("class") or "")]
    assert error_texts == ["Riverside Infant School already has URN 932000 in this network."]
    expect(page.locator(".field.has-error")).to_have_count(1)
    expect(page.get_by_role("alert")).to_contain_text("Nothing has been saved")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Riverside Infants (again)")
    assert stores_state(app) == before


def test_the_network_page_fits_a_phone(browser: Browser, live_server: LiveServer) -> None:
    app, base = live_server.app, live_server.url
    seeded = seed(app, "moorland", 933000)
    page = new_page(browser, PHONE)
    sign_in(page, base, seeded.coordinator)
    person_uid = next(iter(seeded.people))
    for path in (
        "",
        "/schools/",
        f"/schools/{seeded.school_uids[0]}",
        "/people/",
        f"/people/{person_uid}",
    ):
        page.goto(f"{base}/networks/{seeded.network_uid}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path or 'network page'} scrolls sideways: {width}px"
        main_nav = page.get_by_role("navigation", name="Main")
        expect(main_nav.get_by_role("link", name="Networks", exact=True)).to_be_in_viewport()
        # The network's own sections sit in a second bar named after the network.
        network_nav = page.get_by_role("navigation", name="Moorland Schools Partnership")
        for name in ("Overview", "Schools", "People"):
            link = network_nav.get_by_role("link", name=name, exact=True)
            expect(link).to_be_in_viewport()
    page.goto(f"{base}/networks/{seeded.network_uid}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Moorland Schools Partnership")
    shot(page, "network-phone.png")
    page.context.close()


def test_leaders_read_only_and_evaluators_see_pseudonyms(
    browser: Browser, live_server: LiveServer
) -> None:
    app, base = live_server.app, live_server.url
    seeded = seed(app, "estuary", 934000)
    network = f"{base}/networks/{seeded.network_uid}"
    with app.app_context():
        users.create(
            "test",
            "leader.estuary@example.org",
            PASSWORD,
            role="leader",
            network_uid=seeded.network_uid,
            school_uid=seeded.school_uids[0],
        )
        users.create(
            "test",
            "evaluator.estuary@example.org",
            PASSWORD,
            role="evaluator",
            network_uid=seeded.network_uid,
        )
        labels = {uid: pseudonym(seeded.network_uid, uid) for uid in seeded.people}
    person_uid = next(iter(seeded.people))

    leader = new_page(browser, DESKTOP)
    sign_in(leader, base, "leader.estuary@example.org")
    leader.goto(network)
    expect(leader.get_by_text("read-only as a school leader")).to_be_visible()
    leader.goto(f"{network}/schools/")
    for name in ("Estuary Infant School", "Estuary Junior School"):
        expect(leader.get_by_role("link", name=name)).to_be_visible()
    leader.goto(f"{network}/people/")
    for name in seeded.people.values():
        expect(leader.get_by_role("link", name=name)).to_be_visible()
    for path in (
        "",
        "/schools/",
        f"/schools/{seeded.school_uids[0]}",
        "/people/",
        f"/people/{person_uid}",
    ):
        leader.goto(f"{network}{path}")
        expect(leader.get_by_role("heading", level=1)).to_be_visible()
        for control in ("Add school", "Add a school", "Add person", "Add person here"):
            expect(leader.get_by_role("link", name=control, exact=True)).to_have_count(0)
        expect(leader.get_by_role("link", name=re.compile(r"^Edit"))).to_have_count(0)
        expect(leader.get_by_text("Move to another school")).to_have_count(0)
    leader.context.close()

    evaluator = new_page(browser, DESKTOP)
    sign_in(evaluator, base, "evaluator.estuary@example.org")
    evaluator.goto(f"{network}/people/")
    rows = evaluator.locator("tbody tr td:first-child a")
    expect(rows).to_have_count(len(seeded.people))
    assert sorted(rows.all_inner_texts()) == sorted(labels.values())
    for path in ("", "/people/", f"/schools/{seeded.school_uids[0]}", f"/people/{person_uid}"):
        evaluator.goto(f"{network}{path}")
        expect(evaluator.get_by_role("heading", level=1)).to_be_visible()
        content = evaluator.content()
        for name in seeded.people.values():
            assert name not in content
            assert name.split()[1] not in content
        assert "Oracy lead" not in content
    expect(evaluator.get_by_role("heading", level=1)).to_have_text(labels[person_uid])
    assert PSEUDONYM.fullmatch(labels[person_uid])
    evaluator.context.close()
