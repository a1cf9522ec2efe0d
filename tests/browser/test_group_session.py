"""A coordinator records an enquiry group session in a real browser: date, members, a guest.

The network is seeded through the services (the forms for schools and people have their own
browser test); the session is recorded only through the page, with CSRF on.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, sign_in
from tests.browser.test_coordinator_journey import coordinator_scope, shot, submit
from tests.conftest import PASSWORD
from tracker.extensions import graph
from tracker.graph.queries import maintenance
from tracker.services import groups, networks, people, schools, users

pytestmark = pytest.mark.browser

EMAIL = "coordinator.harbourside@example.org"
STAFF = {
    # name: (school index, layer)
    "Yusuf Abernethy": (0, "teacher"),
    "Mirela Castellanos": (0, "senior"),
    "Priya Lindqvist": (0, "support"),
    "Tobias Wrenfield": (1, "teacher"),
    "Oluwaseun Drummond": (1, "teacher"),
    "Hattie Brackenbury": (1, "support"),
}
MEMBERS = ("Yusuf Abernethy", "Mirela Castellanos", "Priya Lindqvist")


def _seed(live: LiveServer) -> tuple[str, str, dict[str, str]]:
    """A network with two schools, six staff, and a group whose members all work at the first."""
    with live.app.app_context():
        user = users.create("test", EMAIL, PASSWORD, role="coordinator")
        network = networks.create(
            user,
            {
                "name": "Harbourside Learning Network",
                "kind": "learning_network",
                "started": "2024-09-02",
                "priorities": ["Oracy across the curriculum"],
            },
        )
        scope = coordinator_scope(live.app, EMAIL, network["uid"])
        school_uids = [
            schools.add(
                scope,
                {"name": name, "urn": str(947100 + i), "phase": "primary", "joined": "2024-09-02"},
            )["uid"]
            for i, name in enumerate(("Harbourside Primary School", "Quayside Junior School"))
        ]
        uids = {
            name: people.add(
                scope,
                {
                    "name": name,
                    "layer": layer,
                    "school_uid": school_uids[school],
                    "from": "2019-09-01",
                    "job_title": "Class teacher",
                },
            )["uid"]
            for name, (school, layer) in STAFF.items()
        }
        group = groups.create(
            scope,
            {
                "question": "How does structured talk change pupils' writing?",
                "priority": "Oracy across the curriculum",
                "levels": ["pupil", "adult"],
                "started": "2024-10-01",
                "origin": "design",
            },
        )
        for name in MEMBERS:
            groups.add_member(
                scope,
                group["uid"],
                {
                    "person_uid": uids[name],
                    "role": "lead" if name == MEMBERS[0] else "member",
                    "from": "2024-10-01",
                },
            )
    return network["uid"], group["uid"], uids


def test_coordinator_records_a_session_with_two_members_and_a_guest(
    page: Page, live_server: LiveServer
) -> None:
    app, base = live_server.app, live_server.url
    network_uid, group_uid, uids = _seed(live_server)
    sign_in(page, base, EMAIL)

    page.goto(f"{base}/networks/{network_uid}")
    page.get_by_role("navigation", name="Harbourside Learning Network").get_by_role(
        "link", name="Enquiry groups"
    ).click()
    page.get_by_role("link", name="How does structured talk change pupils' writing?").click()
    expect(page).to_have_url(f"{base}/networks/{network_uid}/groups/{group_uid}")
    page.get_by_role("link", name="Record a session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a session")

    page.get_by_label("Date", exact=True).fill("2025-03-12")
    page.get_by_label("Note", exact=True).fill("Talk frames tried in Year 5")

    present = page.get_by_role("group", name="Members present")
    expect(present.get_by_role("checkbox")).to_have_count(len(MEMBERS))
    present.get_by_role("checkbox", name=re.compile(r"Yusuf Abernethy")).check()
    present.get_by_role("checkbox", name=re.compile(r"Priya Lindqvist")).check()

    # The guest works at the other school: narrow the long list with the filter box first.
    guests = page.get_by_role("group", name="Guests")
    guest = guests.get_by_role("checkbox", name=re.compile(r"Oluwaseun Drummond"))
    guests.get_by_label("Filter by name or school").fill("drumm")
    expect(guest).to_be_visible()
    expect(guests.get_by_role("checkbox", name=re.compile(r"Tobias Wrenfield"))).to_be_hidden()
    expect(guests.get_by_text("Quayside Junior School")).to_be_visible()
    guest.check()
    guests.get_by_label("Filter by name or school").fill("")
    expect(guests.get_by_role("checkbox", name=re.compile(r"Tobias Wrenfield"))).to_be_visible()
    shot(page, "group-session-form.png")

    assert submit(page, "Save session") == 302
    expect(page).to_have_url(f"{base}/networks/{network_uid}/groups/{group_uid}")
    expect(page.get_by_role("status")).to_contain_text("recorded with 3 attendees")

    # The graph: one session of this group, three ATTENDED, the guest still not a member.
    with app.app_context():
        node_rows = graph.store.run(maintenance.DUMP_NODES)
        rel_rows = graph.store.run(maintenance.DUMP_RELATIONSHIPS)
    of_group = [
        r["source"] for r in rel_rows if r["type"] == "OF_GROUP" and r["target"] == group_uid
    ]
    assert len(of_group) == 1
    [session] = [
        n["props"]
        for n in node_rows
        if "GroupSession" in n["labels"] and n["props"]["uid"] in of_group
    ]
    assert (session["date"], session["note"], session["network_uid"]) == (
        "2025-03-12",
        "Talk frames tried in Year 5",
        network_uid,
    )
    attended = sorted(
        r["source"] for r in rel_rows if r["type"] == "ATTENDED" and r["target"] == session["uid"]
    )
    expected = ["Yusuf Abernethy", "Priya Lindqvist", "Oluwaseun Drummond"]
    assert attended == sorted(uids[name] for name in expected)
    members = {
        r["source"] for r in rel_rows if r["type"] == "MEMBER_OF_GROUP" and r["target"] == group_uid
    }
    assert members == {uids[name] for name in MEMBERS}
    assert uids["Oluwaseun Drummond"] not in members

    # The page: the session row with its count and names, the guest marked.
    row = page.locator("table.sessions tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(0)).to_have_text("2025-03-12")
    expect(row.locator("td").nth(1)).to_have_text("3 (1 guest)")
    expect(row.locator("ul.attendees > li")).to_have_text(
        ["Priya Lindqvist", "Yusuf Abernethy", "Oluwaseun Drummond guest"]
    )
    expect(row.get_by_role("link", name="Oluwaseun Drummond")).to_have_attribute(
        "href", f"/networks/{network_uid}/people/{uids['Oluwaseun Drummond']}"
    )
    with app.app_context():
        detail = groups.detail(coordinator_scope(app, EMAIL, network_uid), group_uid)
    assert [(a["name"], a["guest"]) for a in detail["sessions"][0]["attendees"]] == [
        ("Priya Lindqvist", False),
        ("Yusuf Abernethy", False),
        ("Oluwaseun Drummond", True),
    ]
    shot(page, "group.png")
