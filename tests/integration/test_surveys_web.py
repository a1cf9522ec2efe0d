"""Questionnaire rounds through the coordinator's pages: open, extend, close, reopen, links,
email without a mail server, revoke and re-issue, withdrawal on request, response rates with
"fewer than 5", and comparing two rounds. Leaders and evaluators only read; another network's
rounds are 404.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import EMAILS, World, login, stores_state
from tests.helpers import (
    audit_rows,
    coordinator_scope,
    field_error,
    refused,
    spaced_text,
    visible_text,
)
from tests.integration.test_survey_web import (
    CONSENT,
    TIE,
    day,
    invitation,
    link,
    open_round,
    responses,
    ties_from,
)
from tracker.extensions import db
from tracker.models import SurveyRound
from tracker.services import people as people_service
from tracker.services import surveys


def base(world: World, key: str = "A") -> str:
    return f"/networks/{world.networks[key]['uid']}/surveys"


def round_form(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "uid": str(uuid.uuid4()),
        "title": "Advice network, spring",
        "topics": ["teaching_learning", "curriculum"],
        "custom_topics": "Assessment for learning",
        "opens": day(0),
        "closes": day(21),
        "layers": [],
        "schools": [],
        "consent_text": CONSENT,
        **changes,
    }


def coordinator(app: Flask, key: str = "A") -> FlaskClient:
    client = app.test_client()
    login(client, EMAILS[f"coordinator{key}"])
    return client


def add_staff(app: Flask, world: World, count: int, school: int = 0) -> list[str]:
    """``count`` more teachers at network A's school ``school``."""
    with app.app_context():
        scope = coordinator_scope(world)
        return [
            people_service.add(
                scope,
                {
                    "name": f"Teacher {school}-{i:02d}",
                    "layer": "teacher",
                    "school_uid": world.schools["A"][school]["uid"],
                    "from": "2021-09-01",
                },
            )["uid"]
            for i in range(count)
        ]


def answer_and_send(app: Flask, path: str, nominees: list[str]) -> None:
    """A respondent's whole questionnaire, through the services (the web forms are tested in
    test_survey_web.py)."""
    token = path.rsplit("/", 1)[1]
    with app.app_context():
        surveys.give_consent(token)
        for nominee in nominees:
            surveys.save_nomination(token, {"nominee_uid": nominee, **TIE})
        surveys.submit(token)


def rounds(app: Flask) -> list[SurveyRound]:
    with app.app_context():
        found = db.session.scalars(select(SurveyRound).order_by(SurveyRound.id)).all()
        db.session.expunge_all()
        return list(found)


def page_text(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return spaced_text(response.get_data(as_text=True))


# --- opening and running a round ---------------------------------------------------------------


def test_open_a_round_through_the_form(app, world):
    client = coordinator(app)
    form_page = client.get(f"{base(world)}/new").get_data(as_text=True)
    assert re.search(r'name="uid" type="hidden" value="[0-9a-f-]{36}"', form_page)
    assert f'value="{day(0)}"' in form_page
    for topic in surveys.TOPICS:
        assert re.search(rf'<input checked[^>]*value="{topic}"', form_page), topic
    assert "A Primary 0" in form_page and "A Primary 1" in form_page
    assert "B Primary 0" not in form_page

    form = round_form(world)
    response = client.post(f"{base(world)}/new", data=form)
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == f"{base(world)}/{form['uid']}"
    # A double submit opens one round.
    assert client.post(f"{base(world)}/new", data=form).status_code == 302
    [made] = rounds(app)
    assert (made.uid, made.title, made.opens, made.closes) == (
        form["uid"],
        "Advice network, spring",
        day(0),
        day(21),
    )
    assert made.topics == ["teaching_learning", "curriculum", "Assessment for learning"]
    [entry] = audit_rows(app, form["uid"])
    assert (entry.action, entry.object_kind) == ("open", "survey_round")

    show = page_text(client, f"{base(world)}/{form['uid']}")
    assert "Teaching and learning, Curriculum, Assessment for learning" in show
    assert "Invited 3" in show
    assert "People invited (3)" in show
    index = page_text(client, f"{base(world)}/")
    assert "Advice network, spring open" in index


def test_a_round_for_one_school_and_layer_invites_only_them(app, world):
    client = coordinator(app)
    school = world.schools["A"][0]["uid"]
    form = round_form(world, schools=[school], layers=["senior", "support"])
    assert client.post(f"{base(world)}/new", data=form).status_code == 302
    with app.app_context():
        invited = {p["person_uid"] for p in surveys.invitees(coordinator_scope(world), form["uid"])}
    assert invited == {world.people["A"][0]["uid"], world.people["A"][2]["uid"]}


def test_a_bad_round_is_refused_and_changes_nothing(app, world):
    client = coordinator(app)
    url = f"{base(world)}/new"
    page = refused(app, client, url, round_form(world, closes=day(-1), opens=day(-5)))
    assert "already passed" in field_error(page, "closes")
    page = refused(app, client, url, round_form(world, opens=day(5), closes=day(2)))
    assert "before the opening date" in field_error(page, "closes")
    assert field_error(refused(app, client, url, round_form(world, title="")), "title")
    page = refused(app, client, url, round_form(world, schools=[world.schools["B"][0]["uid"]]))
    assert "belong to this network" in field_error(page, "schools")
    page = refused(app, client, url, round_form(world, topics=[], custom_topics=""))
    assert "at least one topic" in field_error(page, "topics")
    assert rounds(app) == []


def test_extend_close_and_reopen(app, client, world):
    made = open_round(app, world)
    path = link(app, world, made["uid"], world.people["A"][0]["uid"])
    client = coordinator(app)
    url = f"{base(world)}/{made['uid']}"
    show = client.get(url).get_data(as_text=True)
    assert 'name="extend-version" type="hidden" value="1"' in show
    assert 'name="state-version" type="hidden" value="1"' in show

    response = client.post(f"{url}/extend", data={"extend-closes": day(45), "extend-version": "1"})
    assert response.status_code == 302
    assert rounds(app)[0].closes == day(45)
    assert f"now closes on {day(45)}" in page_text(client, url)

    # A form opened before that change is stale; an earlier date is refused.
    page = refused(
        app, client, f"{url}/extend", {"extend-closes": day(50), "extend-version": "1"}, 409
    )
    assert "Someone else changed this round" in visible_text(page)
    page = refused(
        app, client, f"{url}/extend", {"extend-closes": day(40), "extend-version": "2"}, 422
    )
    assert "after the current closing date" in visible_text(page)

    assert client.post(f"{url}/close", data={"state-version": "2"}).status_code == 302
    assert rounds(app)[0].closed_at is not None
    show = page_text(client, url)
    assert "closed" in show and f"Reopen until {day(45)}" in show
    assert app.test_client().get(path).status_code == 410
    page = refused(app, client, f"{url}/close", {"state-version": "3"}, 422)
    assert "already closed" in visible_text(page)

    assert client.post(f"{url}/reopen", data={"state-version": "3"}).status_code == 302
    assert rounds(app)[0].closed_at is None
    assert app.test_client().get(path).status_code == 200
    page = refused(app, client, f"{url}/reopen", {"state-version": "4"}, 422)
    assert "was not closed early" in visible_text(page)
    actions = [e.action for e in audit_rows(app, made["uid"])]
    assert actions == ["open", "reissue_link", "extend", "close", "reopen"]


# --- links ------------------------------------------------------------------------------------


def _csv(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_links_download_as_csv_and_each_link_works(app, world):
    with app.app_context():
        people_service.add(
            coordinator_scope(world),
            {
                "name": '=HYPERLINK("http://evil")',
                "layer": "teacher",
                "school_uid": world.schools["A"][1]["uid"],
                "from": "2020-09-01",
            },
        )
    made = open_round(app, world)
    client = coordinator(app)
    url = f"{base(world)}/{made['uid']}"
    assert "No link yet 4" in page_text(client, url)

    response = client.post(f"{url}/links")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="advice-network-autumn-links.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    rows = _csv(response)
    assert list(rows[0]) == ["person_id", "name", "school", "email", "link"]
    assert len(rows) == 4
    assert '\'=HYPERLINK("http://evil")' in {r["name"] for r in rows}
    paths = [urlsplit(r["link"]).path for r in rows]
    assert all(r["link"].startswith("http://localhost/s/") for r in rows)
    respondent = app.test_client()
    for path in paths:
        assert "Before you start" in page_text(respondent, path)
    assert "Active links 4" in page_text(client, url)

    # Again: only people without a link get one, so nobody's link changes.
    assert _csv(client.post(f"{url}/links")) == []
    # Replacing every link: the old ones stop working.
    fresh = _csv(client.post(f"{url}/links", data={"reissue": "y"}))
    assert len(fresh) == 4
    assert respondent.get(paths[0]).status_code == 404
    assert respondent.get(urlsplit(fresh[0]["link"]).path).status_code == 200
    assert [e.action for e in audit_rows(app, made["uid"])].count("issue_links") == 3


def test_sending_without_a_mail_server_says_so_and_changes_nothing(app, world):
    made = open_round(app, world)
    client = coordinator(app)
    url = f"{base(world)}/{made['uid']}"
    assert "Email is not set up on this server" in page_text(client, url)
    for data in ({}, {"reminder": "1"}):
        page = refused(app, client, f"{url}/send", data, 422)
        assert "not set up to send email" in visible_text(page)
        assert "nothing was sent" in visible_text(page)


def test_revoke_and_reissue_one_link(app, world):
    made = open_round(app, world)
    person = world.people["A"][1]["uid"]
    path = link(app, world, made["uid"], person)
    client = coordinator(app)
    url = f"{base(world)}/{made['uid']}"
    show = client.get(url).get_data(as_text=True)
    row = re.search(r"<tr>\s*<td>A Person 1</td>.*?</tr>", show, re.S)
    assert row and "active" in row.group(0) and "Revoke link" in row.group(0)

    assert client.post(f"{url}/revoke", data={"person_uid": person}).status_code == 302
    assert app.test_client().get(path).status_code == 410
    assert invitation(app, person).revoked_at is not None
    assert "A Person 1's link no longer works" in page_text(client, url)
    # Nothing to revoke twice, and nobody outside the round.
    refused(app, client, f"{url}/revoke", {"person_uid": person}, 422)
    refused(app, client, f"{url}/revoke", {"person_uid": world.people["B"][0]["uid"]}, 422)
    refused(app, client, f"{url}/reissue", {"person_uid": world.people["B"][0]["uid"]}, 422)

    response = client.post(f"{url}/reissue", data={"person_uid": person})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    new_link = re.search(
        r"<code>(http://localhost/s/[^<]+)</code>", response.get_data(as_text=True)
    )
    assert new_link
    fresh = urlsplit(new_link.group(1)).path
    assert fresh != path
    assert app.test_client().get(fresh).status_code == 200
    assert app.test_client().get(path).status_code == 404


def test_withdraw_a_respondent_on_request(app, world):
    made = open_round(app, world)
    me, colleague = world.people["A"][0]["uid"], world.people["A"][1]["uid"]
    path = link(app, world, made["uid"], me)
    answer_and_send(app, path, [colleague])
    assert ties_from(app, me) and responses(app, me)
    client = coordinator(app)
    url = f"{base(world)}/{made['uid']}/withdraw"

    form = client.get(url).get_data(as_text=True)
    assert "You are not told whether they had answered" in visible_text(form)
    # Choosing the person only asks for confirmation.
    before = stores_state(app)
    confirm = client.post(url, data={"person_uid": me})
    assert confirm.status_code == 200
    assert "Withdraw A Person 0?" in visible_text(confirm.get_data(as_text=True))
    assert stores_state(app) == before
    refused(app, client, url, {"person_uid": "", "confirm": "yes"}, 422)
    refused(app, client, url, {"person_uid": world.people["B"][0]["uid"], "confirm": "yes"}, 422)

    done = client.post(url, data={"person_uid": me, "confirm": "yes"})
    assert done.status_code == 302
    assert ties_from(app, me) == []
    assert responses(app, me) == []
    assert invitation(app, me).withdrawn_at is not None
    assert app.test_client().get(path).status_code == 410
    entry = audit_rows(app, made["uid"])[-1]
    assert (entry.action, entry.object_kind, entry.after) == (
        "withdraw_respondent",
        "survey_round",
        {"person_uid": me},
    )
    message = page_text(client, f"{base(world)}/{made['uid']}")
    assert "any answers from them are deleted" in message


# --- rates and comparison ---------------------------------------------------------------------


def test_response_rates_hide_groups_of_fewer_than_five(app, world):
    staff = add_staff(app, world, 6)
    made = open_round(app, world)
    paths = {p: link(app, world, made["uid"], p) for p in staff}
    client = coordinator(app)
    url = f"{base(world)}/{made['uid']}"

    for person in staff[:4]:
        answer_and_send(app, paths[person], [world.people["A"][0]["uid"]])
    text = page_text(client, url)
    assert "All schools 9 fewer than 5" in text
    assert "A Primary 0 8 fewer than 5" in text
    assert "Teacher 7 fewer than 5" in text
    assert re.search(r"\b4\b", text.split("Response rates")[1].split("Personal links")[0]) is None

    answer_and_send(app, paths[staff[4]], [world.people["A"][0]["uid"]])
    text = page_text(client, url)
    assert "All schools 9 5 (56%)" in text
    # One school alone would be hidden, and the total would give it away, so the other goes too.
    assert "A Primary 1 1 fewer than 5" in text
    assert "A Primary 0 8 not shown" in text
    assert "Teacher 7 5 (71%)" in text
    assert "Senior leader (head, deputy, SMT) 1 fewer than 5" in text
    index = page_text(client, f"{base(world)}/")
    assert "9 5 (56%)" in index


def test_compare_two_rounds(app, world):
    a_uid, b_uid = (
        open_round(app, world, title=title)["uid"] for title in ("Last year", "This year")
    )
    people = [p["uid"] for p in world.people["A"]]
    # In both rounds person 0 and person 1 answer; their ties change between the rounds.
    answer_and_send(app, link(app, world, a_uid, people[0]), [people[1], people[2]])
    answer_and_send(app, link(app, world, a_uid, people[1]), [people[2]])
    answer_and_send(app, link(app, world, b_uid, people[0]), [people[1]])
    answer_and_send(app, link(app, world, b_uid, people[1]), [people[0]])
    client = coordinator(app)
    url = f"{base(world)}/compare"

    assert "Choose a round" in page_text(client, url)
    response = client.get(f"{url}?a={a_uid}&b={a_uid}")
    assert response.status_code == 422
    assert "two different rounds" in visible_text(response.get_data(as_text=True))
    response = client.get(f"{url}?a={a_uid}&b=nonsense")
    assert response.status_code == 422

    text = page_text(client, f"{url}?a={a_uid}&b={b_uid}")
    # Gained: 1 -> 0 (across schools). Lost: 0 -> 2 and 1 -> 2 (1 -> 2 across schools).
    assert "Ties gained 1 Ties lost 2 Gained across schools 1 Lost across schools 1" in text
    assert "Shown once “This year” has closed" in text
    assert "fewer than 5 of 3" in text

    with app.app_context():
        surveys.close(coordinator_scope(world), b_uid, 1)
    text = page_text(client, f"{url}?a={a_uid}&b={b_uid}")
    # Person 2 had ties in the first round and none in the second.
    assert "Newly isolated" in text and "A Person 2 A Primary 0" in text


# --- who may see what -------------------------------------------------------------------------


def test_leaders_and_evaluators_only_read(app, world):
    made = open_round(app, world)
    other = open_round(app, world, title="Second round")
    url = f"{base(world)}/{made['uid']}"
    for role in ("leaderA", "evaluatorA"):
        client = app.test_client()
        login(client, EMAILS[role])
        index = page_text(client, f"{base(world)}/")
        assert "Advice network, autumn" in index and "Open a round" not in index
        show = page_text(client, url)
        assert "Response rates" in show and "fewer than 5" in show
        for hidden in ("Issue links", "People invited", "A Person 0", "Close the round"):
            assert hidden not in show, (role, hidden)
        assert client.get(
            f"{base(world)}/compare?a={other['uid']}&b={made['uid']}"
        ).status_code == (200)
        before = stores_state(app)
        for action, data in (
            ("extend", {"extend-closes": day(40), "extend-version": "1"}),
            ("close", {"state-version": "1"}),
            ("links", {}),
            ("revoke", {"person_uid": world.people["A"][0]["uid"]}),
            ("withdraw", {"person_uid": world.people["A"][0]["uid"], "confirm": "yes"}),
        ):
            assert client.post(f"{url}/{action}", data=data).status_code == 403, (role, action)
        assert client.get(f"{base(world)}/new").status_code == 403
        assert client.get(f"{url}/withdraw").status_code == 403
        assert stores_state(app) == before


def test_another_networks_rounds_are_not_found(app, world):
    mine = open_round(app, world)
    theirs = open_round(app, world, "B")
    client = coordinator(app)
    assert client.get(f"{base(world, 'B')}/").status_code == 404
    assert client.get(f"{base(world, 'B')}/{theirs['uid']}").status_code == 404
    before = stores_state(app)
    for url in (f"{base(world)}/{theirs['uid']}", f"{base(world)}/{theirs['uid']}/withdraw"):
        assert client.get(url).status_code == 404
    for action in ("extend", "close", "links", "revoke", "reissue", "send", "withdraw"):
        assert client.post(f"{base(world)}/{theirs['uid']}/{action}").status_code == 404, action
    assert client.get(f"{base(world)}/compare?a={mine['uid']}&b={theirs['uid']}").status_code == 422
    assert stores_state(app) == before
    assert "Advice network, autumn" in page_text(client, f"{base(world)}/")
