"""A member of staff answers the questionnaire on a phone, in a real browser, with CSRF on.

Open the personal link, agree, find and nominate three colleagues (by name search and by the
school filter, with topics, frequency and influence), leave, come back with the same link and
find the answers there, answer about themselves, send, then withdraw. The graph and the
relational store are checked after each step. The round and link are made through the
services, as a coordinator's pages would (those pages have their own HTTP tests).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from tests.browser.conftest import PHONE, LiveServer, new_page
from tests.browser.test_coordinator_journey import coordinator_scope, shot, submit
from tests.conftest import PASSWORD
from tracker.extensions import db, graph
from tracker.graph.queries import maintenance
from tracker.models import SurveyInvitation
from tracker.services import networks, people, schools, surveys, users

pytestmark = pytest.mark.browser

EMAIL = "coordinator.seaview@example.org"
RESPONDENT = "Rosalind Featherstonehaugh"
STAFF = {
    # name: (school index, layer)
    RESPONDENT: (0, "teacher"),
    "Ngozi Abernathy-Clarke": (0, "senior"),
    "Tomasz Wiśniewski": (0, "teacher"),
    "Imogen Ravenscroft": (0, "support"),
    "Declan O'Sullivan": (1, "teacher"),
    "Farah Mahmood": (1, "senior"),
    "Bartholomew Quince": (1, "teacher"),
}
SCHOOLS = ("Seaview Primary School", "Clifftop Community Academy")


def _seed(live: LiveServer) -> tuple[str, str, dict[str, str], str]:
    """A network of two schools and seven staff, an open round and the respondent's link."""
    today = dt.date.today()
    with live.app.app_context():
        users.create("test", EMAIL, PASSWORD, role="coordinator")
        network = networks.create(
            users.by_email(EMAIL),
            {
                "name": "Seaview Learning Network",
                "kind": "learning_network",
                "started": "2024-09-02",
                "priorities": ["Feedback that moves learning on"],
            },
        )
        scope = coordinator_scope(live.app, EMAIL, network["uid"])
        school_uids = [
            schools.add(
                scope,
                {"name": name, "urn": str(958100 + i), "phase": "primary", "joined": "2024-09-02"},
            )["uid"]
            for i, name in enumerate(SCHOOLS)
        ]
        uids = {
            name: people.add(
                scope,
                {
                    "name": name,
                    "layer": layer,
                    "school_uid": school_uids[school],
                    "from": "2020-09-01",
                    "job_title": "Class teacher",
                },
            )["uid"]
            for name, (school, layer) in STAFF.items()
        }
        made = surveys.open_round(
            scope,
            {
                "title": "Who do you go to? Autumn",
                "topics": ["teaching_learning", "curriculum", "pupil_care", "Reading"],
                "opens": today.isoformat(),
                "closes": (today + dt.timedelta(days=21)).isoformat(),
                "consent_text": (
                    "We are mapping how advice travels between our schools.\n"
                    "Only counts are shown to the coordinator; nobody sees what you said "
                    "about whom. You can withdraw at any time."
                ),
            },
        )
        url = surveys.reissue(scope, made["uid"], uids[RESPONDENT], live.url)
    return network["uid"], made["uid"], uids, url


def _graph(app: Flask) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    with app.app_context():
        return graph.store.run(maintenance.DUMP_NODES), graph.store.run(
            maintenance.DUMP_RELATIONSHIPS
        )


def _ties(app: Flask, me: str) -> dict[str, dict[str, Any]]:
    """The respondent's SEEKS_ADVICE ties, by nominee: topics, frequency, influence, round."""
    by_nominee: dict[str, dict[str, Any]] = {}
    for row in _graph(app)[1]:
        if row["type"] != "SEEKS_ADVICE" or row["source"] != me:
            continue
        props = row["props"]
        entry = by_nominee.setdefault(
            row["target"],
            {
                "topics": set(),
                "frequency": props["frequency"],
                "influence": props["influence"],
                "survey": props["survey"],
            },
        )
        entry["topics"].add(props["topic"])
    return by_nominee


def _responses(app: Flask, me: str) -> list[dict[str, Any]]:
    return [
        n["props"]
        for n in _graph(app)[0]
        if "Response" in n["labels"] and n["props"]["person_uid"] == me
    ]


def _invitation(app: Flask, me: str, round_uid: str) -> SurveyInvitation:
    with app.app_context():
        row = db.session.scalar(select(SurveyInvitation).where(SurveyInvitation.person_uid == me))
        assert row is not None and row.round.uid == round_uid
        db.session.expunge_all()
        return row


def _fits_the_phone(page: Page) -> None:
    """No sideways scrolling, and every button, link-button and choice is a 44px target."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px phone"
    small = page.evaluate(
        """() => [...document.querySelectorAll(
              'main button, main .button, main .survey-option, main input[type=search],'
              + ' main select, .survey-steps a, .survey-search > a, .survey-foot a')]
            .filter(e => e.offsetParent !== null)
            .map(e => [e.textContent.trim().slice(0, 30), e.getBoundingClientRect().height])
            .filter(([, h]) => h < 44)"""
    )
    assert small == [], small


def _nominate(page: Page, name: str, topics: list[str], frequency: str, influence: str) -> int:
    page.get_by_role("link", name=f"Add {name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    for topic in topics:
        page.get_by_role("group", name="What do you go to them about?").get_by_label(
            topic, exact=True
        ).check()
    page.get_by_role("group", name="How often?").get_by_label(frequency, exact=True).check()
    page.get_by_role("group", name="How much do they influence your practice?").get_by_label(
        influence, exact=True
    ).check()
    return submit(page, "Save this colleague")


def test_a_respondent_answers_on_a_phone_comes_back_sends_and_withdraws(
    browser: Browser, live_server: LiveServer
) -> None:
    app = live_server.app
    network_uid, round_uid, uids, url = _seed(live_server)
    me = uids[RESPONDENT]
    token_path = re.sub(r"^https?://[^/]+", "", url)
    assert re.fullmatch(r"/s/[A-Za-z0-9_-]{40,}", token_path)

    # 1. The link opens on the consent page; nothing is stored by reading it.
    page = new_page(browser, PHONE)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Before you start")
    expect(page.get_by_text(f"This link is for {RESPONDENT}")).to_be_visible()
    expect(page.get_by_text("We are mapping how advice travels")).to_be_visible()
    _fits_the_phone(page)
    shot(page, "survey-consent.png")
    assert _invitation(app, me, round_uid).consented_at is None

    # Starting without the tick is refused; with it, consent is recorded and nothing else.
    assert submit(page, "Start the questionnaire") == 422
    expect(page.get_by_text("Tick the box to agree before you start.")).to_be_visible()
    assert _invitation(app, me, round_uid).consented_at is None
    page.get_by_label("I have read this and agree to take part").check()
    assert submit(page, "Start the questionnaire") == 302
    expect(page).to_have_url(f"{url}/colleagues")
    assert _invitation(app, me, round_uid).consented_at is not None
    assert _ties(app, me) == {}
    assert _responses(app, me) == []

    # 2. Three colleagues: two found by name, one through the school filter.
    everyone = page.get_by_role("list", name="Colleagues you can choose")
    expect(everyone.get_by_role("listitem")).to_have_count(len(STAFF) - 1)
    expect(everyone.get_by_text(RESPONDENT)).to_have_count(0)
    page.get_by_label("Name", exact=True).fill("ngozi")
    page.get_by_role("button", name="Search").click()
    expect(everyone.get_by_role("listitem")).to_have_count(1)
    assert (
        _nominate(
            page, "Ngozi Abernathy-Clarke", ["Teaching and learning", "Curriculum"], "Weekly", "5"
        )
        == 302
    )
    expect(page.get_by_role("status")).to_contain_text("Saved: Ngozi Abernathy-Clarke.")

    page.get_by_label("School", exact=True).select_option(label=SCHOOLS[1])
    page.get_by_role("button", name="Search").click()
    expect(everyone.get_by_role("listitem")).to_have_count(3)
    _fits_the_phone(page)
    page.get_by_role("heading", name="Find a colleague").evaluate("e => e.scrollIntoView()")
    shot(page, "survey-colleagues.png")
    assert _nominate(page, "Declan O'Sullivan", ["Reading"], "Termly", "3") == 302

    page.get_by_label("Name", exact=True).fill("wiśniew")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Add Tomasz Wiśniewski").click()
    _fits_the_phone(page)
    shot(page, "survey-colleague.png")
    page.get_by_role("link", name="Back to the list without saving").click()
    assert _nominate(page, "Tomasz Wiśniewski", ["Pupil care and welfare"], "Daily", "2") == 302

    chosen = page.get_by_role("list", name="Your colleagues (3)")
    expect(chosen.get_by_role("listitem")).to_have_count(3)
    ties = _ties(app, me)
    assert ties == {
        uids["Ngozi Abernathy-Clarke"]: {
            "topics": {"teaching_learning", "curriculum"},
            "frequency": "weekly",
            "influence": 5,
            "survey": round_uid,
        },
        uids["Declan O'Sullivan"]: {
            "topics": {"Reading"},
            "frequency": "termly",
            "influence": 3,
            "survey": round_uid,
        },
        uids["Tomasz Wiśniewski"]: {
            "topics": {"pupil_care"},
            "frequency": "daily",
            "influence": 2,
            "survey": round_uid,
        },
    }
    [response] = _responses(app, me)
    assert (response["status"], response["survey"], response["network_uid"]) == (
        "in_progress",
        round_uid,
        network_uid,
    )
    assert _invitation(app, me, round_uid).submitted_at is None
    page.context.close()

    # 3. Later, a new browser session with the same link: the answers are still there.
    page = new_page(browser, PHONE)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome back, {RESPONDENT}")
    expect(page.get_by_text("3 chosen")).to_be_visible()
    page.get_by_role("link", name="Continue").click()
    chosen = page.get_by_role("list", name="Your colleagues (3)")
    expect(chosen).to_contain_text("Declan O'Sullivan")
    expect(chosen).to_contain_text("Reading · Termly · influence 3 of 5")
    page.get_by_role("link", name="Change answers about Declan O'Sullivan", exact=True).click()
    expect(
        page.get_by_role("group", name="How often?").get_by_label("Termly", exact=True)
    ).to_be_checked()
    page.get_by_role("group", name="How often?").get_by_label("Monthly", exact=True).check()
    assert submit(page, "Save this colleague") == 302
    assert _ties(app, me)[uids["Declan O'Sullivan"]]["frequency"] == "monthly"
    assert len(_ties(app, me)) == 3

    # 4. Nobody unlisted; about themselves; check and send.
    page.get_by_role("link", name="Next: someone not listed").click()
    page.get_by_role("link", name="Next: about you").click()
    page.get_by_role("group", name="Do you have a leadership role in your school?").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("group", name="Do you have a leadership role in the network?").get_by_label(
        "Unsure", exact=True
    ).check()
    page.get_by_role(
        "group", name="How much do you trust colleagues in the network's other schools?"
    ).get_by_label("4", exact=True).check()
    levels = page.get_by_role(
        "group", name="Which kinds of learning do you take part in through the network?"
    )
    levels.get_by_label("Adult learning", exact=True).check()
    levels.get_by_label("School-to-school learning", exact=True).check()
    _fits_the_phone(page)
    assert submit(page, "Save and check your answers") == 302
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and send")
    expect(page.get_by_text("Adult learning, School-to-school learning")).to_be_visible()
    [response] = _responses(app, me)
    assert (
        response["leader_in_school"],
        response["leader_in_network"],
        response["trust_other_schools"],
        response["levels"],
    ) == ("no", "unsure", 4, ["adult", "school_to_school"])
    assert submit(page, "Send my answers") == 302
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    [response] = _responses(app, me)
    assert response["status"] == "complete"
    assert _invitation(app, me, round_uid).submitted_at is not None
    assert len(_ties(app, me)) == 3

    # Sent answers cannot be changed, even with the link.
    page.goto(f"{url}/colleagues")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "These answers have already been sent"
    )

    # 5. Withdraw: everything from this link is deleted, and the link says so.
    page.goto(url)
    page.get_by_role("link", name="Withdraw my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw from this questionnaire?")
    assert submit(page, "Withdraw and delete my answers") == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("You have withdrawn")
    assert _ties(app, me) == {}
    assert _responses(app, me) == []
    row = _invitation(app, me, round_uid)
    assert row.withdrawn_at is not None
    assert (row.consented_at, row.submitted_at) == (None, None)
    # Colleagues' other ties and people are untouched.
    assert all(uid in {n["props"]["uid"] for n in _graph(app)[0]} for uid in uids.values())
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("You have withdrawn")
    page.context.close()
