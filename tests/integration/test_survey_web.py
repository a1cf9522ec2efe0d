"""The questionnaire as a respondent meets it, through HTTP: a personal link, no account.

Every refusal in the issue's "Bad input" list gets a clear page with its own status and leaves
both stores as they were; every POST needs its CSRF token; token pages are rate limited, never
cached and never send a referrer. The last tests show that nothing a coordinator can open
tells those who answered apart from those who did not.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import EMAILS, World, login, stores_state
from tests.helpers import coordinator_scope, field_error, nodes, refused, rels, visible_text
from tracker.extensions import db
from tracker.models import SurveyInvitation, SurveyUnlisted
from tracker.services import people as people_service
from tracker.services import surveys

CONSENT = "Your answers help the network see how advice travels. CONSENT-TEXT-MARKER."
TIE = {"topics": ["teaching_learning"], "frequency": "weekly", "influence": "4"}


def day(offset: int) -> str:
    return (dt.date.today() + dt.timedelta(days=offset)).isoformat()


def open_round(app: Flask, world: World, key: str = "A", **changes: Any) -> dict[str, Any]:
    """A round of network ``key`` open today for a month, every school and staff layer."""
    data = {
        "title": "Advice network, autumn",
        "topics": list(surveys.TOPICS),
        "opens": day(0),
        "closes": day(30),
        "schools": [],
        "layers": [],
        "consent_text": CONSENT,
        **changes,
    }
    with app.app_context():
        return surveys.open_round(coordinator_scope(world, key), data)


def link(app: Flask, world: World, round_uid: str, person_uid: str, key: str = "A") -> str:
    """A fresh personal link for ``person_uid``, as the path ``/s/<token>``."""
    with app.app_context():
        url = surveys.reissue(coordinator_scope(world, key), round_uid, person_uid, "http://x")
    path = urlsplit(url).path
    assert re.fullmatch(r"/s/[A-Za-z0-9_-]{40,}", path), path
    return path


def consent(client: FlaskClient, path: str) -> None:
    response = client.post(path, data={"agree": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    assert response.headers["Location"].endswith(f"{path}/colleagues")


def nominate(client: FlaskClient, path: str, nominee: str, **changes: Any) -> None:
    response = client.post(f"{path}/colleagues/{nominee}", data={**TIE, **changes})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def invitation(app: Flask, person_uid: str) -> SurveyInvitation:
    with app.app_context():
        row = db.session.scalar(
            select(SurveyInvitation).where(SurveyInvitation.person_uid == person_uid)
        )
        assert row is not None
        db.session.expunge(row)
        return row


def ties_from(app: Flask, person_uid: str) -> list[dict[str, Any]]:
    return sorted(
        (r for r in rels(app, "SEEKS_ADVICE") if r["source"] == person_uid),
        key=lambda r: (r["target"], r["topic"]),
    )


def responses(app: Flask, person_uid: str) -> list[dict[str, Any]]:
    return [n for n in nodes(app, "Response") if n["person_uid"] == person_uid]


def unlisted_rows(app: Flask) -> list[SurveyUnlisted]:
    with app.app_context():
        rows = db.session.scalars(select(SurveyUnlisted)).all()
        db.session.expunge_all()
        return list(rows)


@pytest.fixture
def survey(app: Flask, world: World) -> dict[str, Any]:
    """Network A's open round and person 0's link (not yet consented)."""
    made = open_round(app, world)
    people = [p["uid"] for p in world.people["A"]]
    return {
        "round": made,
        "me": people[0],
        "colleagues": people[1:],
        "path": link(app, world, made["uid"], people[0]),
    }


@pytest.fixture
def answering(client: FlaskClient, survey: dict[str, Any]) -> dict[str, Any]:
    """The same link, after consent."""
    consent(client, survey["path"])
    return survey


# --- the journey through HTTP ------------------------------------------------------------------


def test_consent_comes_first_and_nothing_is_stored_before_it(app, client, survey):
    path = survey["path"]
    before = stores_state(app)
    page = client.get(path)
    assert page.status_code == 200
    text = visible_text(page.get_data(as_text=True))
    assert "CONSENT-TEXT-MARKER" in text
    assert "This link is for A Person 0" in text
    # The answer pages send the person back to the consent page.
    for step in ("colleagues", "unlisted", "about-you", "review"):
        response = client.get(f"{path}/{step}")
        assert response.status_code == 302, step
        assert urlsplit(response.headers["Location"]).path == path
    # Answers posted before consent are refused, and so is consent without the tick.
    page = refused(app, client, f"{path}/colleagues/{survey['colleagues'][0]}", TIE)
    assert "agree to take part first" in visible_text(page)
    refused(app, client, f"{path}/about-you", {"leader_in_school": "yes"})
    page = refused(app, client, path, {})
    assert "Tick the box to agree" in field_error(page, "agree")
    assert stores_state(app) == before
    assert invitation(app, survey["me"]).consented_at is None

    consent(client, path)
    row = invitation(app, survey["me"])
    assert row.consented_at is not None
    assert row.submitted_at is None
    # Consent alone writes no answer to the graph.
    assert ties_from(app, survey["me"]) == []
    assert responses(app, survey["me"]) == []


def test_nominate_edit_remove_and_come_back(app, client, answering):
    path, me = answering["path"], answering["me"]
    first, second = answering["colleagues"]
    listing = client.get(f"{path}/colleagues").get_data(as_text=True)
    assert "A Person 1" in listing and "A Person 2" in listing
    assert "A Person 0" not in visible_text(listing).split("Find a colleague")[1]
    searched = visible_text(client.get(f"{path}/colleagues?q=person+2").get_data(as_text=True))
    assert "A Person 2" in searched and "A Person 1" not in searched.split("Find a colleague")[1]

    form = client.get(f"{path}/colleagues/{first}").get_data(as_text=True)
    assert "A Person 1" in form and 'name="replace"' in form
    nominate(client, path, first, topics=["teaching_learning", "curriculum"], influence="5")
    nominate(client, path, second, frequency="daily")
    ties = ties_from(app, me)
    assert [(t["target"], t["topic"]) for t in ties] == sorted(
        [(first, "teaching_learning"), (first, "curriculum"), (second, "teaching_learning")]
    )
    assert {t["survey"] for t in ties} == {answering["round"]["uid"]}
    assert {t["asked_at"] for t in ties} == {day(0)}
    by_target = {t["target"]: t for t in ties}
    assert (by_target[first]["influence"], by_target[first]["frequency"]) == (5, "weekly")
    assert (by_target[second]["influence"], by_target[second]["frequency"]) == (4, "daily")
    [response] = responses(app, me)
    assert response["status"] == "in_progress"

    # The edit form comes back filled in, and saving it replaces that colleague's ties.
    edit = client.get(f"{path}/colleagues/{first}").get_data(as_text=True)
    assert re.search(r'name="replace" type="hidden" value="1"', edit)
    assert re.search(r'<input checked[^>]*value="curriculum"', edit)
    nominate(client, path, first, replace="1", topics=["pupil_care"], frequency="monthly")
    assert [(t["target"], t["topic"]) for t in ties_from(app, me) if t["target"] == first] == [
        (first, "pupil_care")
    ]

    # Remove asks first (GET changes nothing), then removes on POST.
    before = stores_state(app)
    assert "Remove A Person 2?" in visible_text(
        client.get(f"{path}/colleagues/{second}/remove").get_data(as_text=True)
    )
    assert stores_state(app) == before
    assert client.post(f"{path}/colleagues/{second}/remove").status_code == 302
    assert {t["target"] for t in ties_from(app, me)} == {first}

    # Someone not listed: kept in SQLite, never in the graph.
    response = client.post(
        f"{path}/unlisted",
        data={"text": "Our link adviser at the local authority", **TIE},
    )
    assert response.status_code == 302
    [entry] = unlisted_rows(app)
    assert (entry.text, entry.frequency, entry.influence) == (
        "Our link adviser at the local authority",
        "weekly",
        4,
    )
    assert "local authority" not in str(stores_state(app)[0])

    about = {
        "leader_in_school": "yes",
        "leader_in_network": "unsure",
        "trust_other_schools": "4",
        "levels": ["adult", "school_to_school"],
    }
    assert client.post(f"{path}/about-you", data=about).status_code == 302
    [response] = responses(app, me)
    assert (response["leader_in_school"], response["leader_in_network"]) == ("yes", "unsure")
    assert (response["trust_other_schools"], response["levels"]) == (
        4,
        ["adult", "school_to_school"],
    )

    # Coming back with the same link (a new browser: no cookie) shows everything saved.
    again = client.application.test_client()
    start = visible_text(again.get(path).get_data(as_text=True))
    assert "Welcome back, A Person 0" in start
    assert "1 chosen" in start and "1 added" in start
    review = visible_text(again.get(f"{path}/review").get_data(as_text=True))
    assert "A Person 1" in review and "Pupil care and welfare" in review
    assert "Our link adviser at the local authority" in review
    assert "Adult learning, School-to-school learning" in review
    about_page = again.get(f"{path}/about-you").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="leader_in_school"[^>]*value="yes"', about_page)
    assert re.search(r'<input checked[^>]*name="trust_other_schools"[^>]*value="4"', about_page)

    assert again.post(f"{path}/submit").status_code == 302
    assert invitation(app, me).submitted_at is not None
    [response] = responses(app, me)
    assert response["status"] == "complete"
    assert "Your answers have been sent" in visible_text(again.get(path).get_data(as_text=True))


def test_withdrawing_deletes_every_answer_and_the_link_says_so(app, client, answering):
    path, me = answering["path"], answering["me"]
    nominate(client, path, answering["colleagues"][0])
    client.post(f"{path}/unlisted", data={"text": "A friend at another trust", **TIE})
    client.post(f"{path}/about-you", data={"leader_in_school": "no"})
    assert client.post(f"{path}/submit").status_code == 302

    page = client.get(f"{path}/withdraw")
    assert page.status_code == 200
    assert "Withdraw and delete my answers" in page.get_data(as_text=True)
    # A POST without the confirmation only shows the question again.
    before = stores_state(app)
    assert client.post(f"{path}/withdraw").status_code == 200
    assert stores_state(app) == before

    done = client.post(f"{path}/withdraw", data={"confirm": "yes"})
    assert done.status_code == 200
    assert "Every answer given with this link has been deleted" in visible_text(
        done.get_data(as_text=True)
    )
    assert ties_from(app, me) == []
    assert responses(app, me) == []
    assert unlisted_rows(app) == []
    row = invitation(app, me)
    assert row.withdrawn_at is not None
    assert (row.consented_at, row.submitted_at) == (None, None)

    gone = client.get(path)
    assert gone.status_code == 410
    assert "You have withdrawn" in visible_text(gone.get_data(as_text=True))
    refused(app, client, f"{path}/colleagues/{answering['colleagues'][0]}", TIE, status=410)


# --- refused links -----------------------------------------------------------------------------


def _refusal(client: FlaskClient, path: str, status: int, words: str) -> None:
    page = client.get(path)
    assert page.status_code == status
    text = visible_text(page.get_data(as_text=True))
    assert words in text
    assert "Nothing was saved" in text


def test_an_unknown_token_gets_404_and_changes_nothing(app, client, survey):
    before = stores_state(app)
    token = survey["path"].rsplit("/", 1)[1]
    for path in (
        "/s/not-a-real-token",
        "/s/" + token[:-1] + ("A" if token[-1] != "A" else "B"),
        "/s/" + "x" * 300,
    ):
        _refusal(client, path, 404, "This link does not work")
        assert client.post(path, data={"agree": "y"}).status_code == 404
        nominee = survey["colleagues"][0]
        assert client.post(f"{path}/colleagues/{nominee}", data=TIE).status_code == 404
        assert client.post(f"{path}/withdraw", data={"confirm": "yes"}).status_code == 404
    assert stores_state(app) == before


def test_a_revoked_link_gets_410(app, client, world, answering):
    with app.app_context():
        surveys.revoke(coordinator_scope(world), answering["round"]["uid"], answering["me"])
    _refusal(client, answering["path"], 410, "This link has been replaced")
    refused(
        app, client, f"{answering['path']}/colleagues/{answering['colleagues'][0]}", TIE, status=410
    )


def test_a_replaced_link_stops_working_but_the_answers_stay(app, client, world, answering):
    nominate(client, answering["path"], answering["colleagues"][0])
    fresh = link(app, world, answering["round"]["uid"], answering["me"])
    _refusal(client, answering["path"], 404, "This link does not work")
    page = visible_text(client.get(f"{fresh}/colleagues").get_data(as_text=True))
    assert "Your colleagues (1)" in page


def test_a_closed_round_gets_410(app, client, world, answering):
    with app.app_context():
        surveys.close(coordinator_scope(world), answering["round"]["uid"], 1)
    _refusal(client, answering["path"], 410, "This questionnaire has closed")
    refused(app, client, f"{answering['path']}/about-you", {"leader_in_school": "yes"}, status=410)


def test_a_round_not_yet_open_is_refused(app, client, world):
    later = open_round(app, world, opens=day(7), closes=day(30))
    path = link(app, world, later["uid"], world.people["A"][0]["uid"])
    _refusal(client, path, 403, "not open yet")
    refused(app, client, path, {"agree": "y"}, status=403)


def test_someone_else_using_a_link_after_submission_changes_nothing(app, client, answering):
    path = answering["path"]
    nominate(client, path, answering["colleagues"][0])
    assert client.post(f"{path}/submit").status_code == 302
    other = client.application.test_client()
    # The start page thanks them and offers withdrawal; every answer page refuses with 409.
    assert "Thank you" in visible_text(other.get(path).get_data(as_text=True))
    for step in ("colleagues", "unlisted", "about-you", "review"):
        _refusal(other, f"{path}/{step}", 409, "already been sent")
    for url, data in (
        (f"{path}/colleagues/{answering['colleagues'][1]}", TIE),
        (f"{path}/colleagues/{answering['colleagues'][0]}", {**TIE, "replace": "1"}),
        (f"{path}/colleagues/{answering['colleagues'][0]}/remove", {}),
        (f"{path}/unlisted", {"text": "Someone", **TIE}),
        (f"{path}/about-you", {"leader_in_school": "no"}),
        (f"{path}/submit", {}),
        (path, {"agree": "y"}),
    ):
        page = refused(app, other, url, data, status=409)
        assert "already been sent" in visible_text(page)


# --- refused answers ---------------------------------------------------------------------------


def test_self_nomination_is_refused(app, client, answering):
    path, me = answering["path"], answering["me"]
    page = client.get(f"{path}/colleagues/{me}")
    assert page.status_code == 404
    assert "This person cannot be chosen" in visible_text(page.get_data(as_text=True))
    page = refused(app, client, f"{path}/colleagues/{me}", TIE)
    assert "You cannot name yourself" in visible_text(page)


def test_a_nominee_outside_the_network_is_refused(app, client, world, answering):
    path = answering["path"]
    outsider = world.people["B"][1]["uid"]
    assert client.get(f"{path}/colleagues/{outsider}").status_code == 404
    page = refused(app, client, f"{path}/colleagues/{outsider}", TIE)
    assert "Choose a colleague from this network's list" in visible_text(page)
    assert "B Person 1" not in page
    refused(app, client, f"{path}/colleagues/no-such-person", TIE)


def test_a_colleague_who_has_left_is_refused(app, client, world, answering):
    leaver = answering["colleagues"][1]
    with app.app_context():
        people_service.end_work(coordinator_scope(world), leaver, day(-1))
    assert client.get(f"{answering['path']}/colleagues/{leaver}").status_code == 404
    refused(app, client, f"{answering['path']}/colleagues/{leaver}", TIE)


BAD_ANSWERS = [
    ({"influence": "7"}, "influence", "from 1 to 5"),
    ({"influence": "0"}, "influence", "from 1 to 5"),
    ({"influence": "lots"}, "influence", "from 1 to 5"),
    ({"influence": ""}, "influence", "from 1 to 5"),
    ({"frequency": "hourly"}, "frequency", "how often"),
    ({"topics": ["gossip"]}, "topics", "this questionnaire's list"),
    ({"topics": []}, "topics", "at least one topic"),
]


def test_a_bad_answer_is_refused_next_to_its_question(app, client, answering):
    url = f"{answering['path']}/colleagues/{answering['colleagues'][0]}"
    for changes, field, words in BAD_ANSWERS:
        page = refused(app, client, url, {**TIE, **changes})
        assert words in field_error(page, field), changes
    # The same rules hold for someone not listed.
    for changes, field, words in BAD_ANSWERS:
        page = refused(
            app, client, f"{answering['path']}/unlisted", {"text": "Mo", **TIE, **changes}
        )
        assert words in field_error(page, field), changes


def test_a_duplicate_nomination_is_refused(app, client, answering):
    path, first = answering["path"], answering["colleagues"][0]
    nominate(client, path, first)
    page = refused(app, client, f"{path}/colleagues/{first}", {**TIE, "influence": "2"})
    assert "You have already named A Person 1" in visible_text(page)
    assert {t["influence"] for t in ties_from(app, answering["me"])} == {4}


def test_oversized_free_text_is_refused(app, client, answering):
    page = refused(app, client, f"{answering['path']}/unlisted", {"text": "x" * 201, **TIE})
    assert "200 characters" in field_error(page, "text")
    page = refused(app, client, f"{answering['path']}/unlisted", {"text": "  ", **TIE})
    assert field_error(page, "text")


def test_about_you_refuses_values_off_the_scale(app, client, answering):
    url = f"{answering['path']}/about-you"
    assert "from 1 to 5" in field_error(
        refused(app, client, url, {"trust_other_schools": "9"}), "trust_other_schools"
    )
    assert field_error(refused(app, client, url, {"leader_in_school": "maybe"}), "leader_in_school")
    assert field_error(refused(app, client, url, {"levels": ["gardening"]}), "levels")


def test_more_than_thirty_colleagues_is_refused(app, client, answering):
    token = answering["path"].rsplit("/", 1)[1]
    with app.app_context():
        for i in range(surveys.MAX_NOMINATIONS):
            surveys.save_unlisted(token, {"text": f"Adviser {i}", **TIE})
    page = refused(app, client, f"{answering['path']}/colleagues/{answering['colleagues'][0]}", TIE)
    assert "at most 30" in visible_text(page)


def test_removing_an_unlisted_entry_of_another_link_changes_nothing(app, client, world, survey):
    other_path = link(app, world, survey["round"]["uid"], survey["colleagues"][0])
    consent(client, other_path)
    client.post(f"{other_path}/unlisted", data={"text": "Theirs", **TIE})
    [theirs] = unlisted_rows(app)
    consent(client, survey["path"])
    before = stores_state(app)
    response = client.post(f"{survey['path']}/unlisted/remove", data={"id": str(theirs.id)})
    assert response.status_code == 302
    assert stores_state(app) == before
    assert [u.text for u in unlisted_rows(app)] == ["Theirs"]


# --- CSRF, rate limits, headers ----------------------------------------------------------------


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.mark.csrf
def test_every_respondent_post_needs_its_csrf_token(app, client, survey):
    path, first = survey["path"], survey["colleagues"][0]
    before = stores_state(app)
    assert client.post(path, data={"agree": "y"}).status_code == 400
    assert stores_state(app) == before
    token = _csrf(client.get(path).get_data(as_text=True))
    assert client.post(path, data={"agree": "y", "csrf_token": token}).status_code == 302

    posts = [
        (f"{path}/colleagues/{first}", TIE),
        (f"{path}/unlisted", {"text": "Someone outside", **TIE}),
        (f"{path}/about-you", {"leader_in_school": "yes"}),
        (f"{path}/colleagues/{first}/remove", {}),
        (f"{path}/unlisted/remove", {"id": "1"}),
        (f"{path}/submit", {}),
        (f"{path}/withdraw", {"confirm": "yes"}),
    ]
    for url, data in posts:
        before = stores_state(app)
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert "Nothing was saved" in visible_text(response.get_data(as_text=True))
        assert stores_state(app) == before, url
        accepted = client.post(url, data={**data, "csrf_token": token})
        assert accepted.status_code in {200, 302}, url
        assert stores_state(app) != before, url


@pytest.mark.ratelimit
def test_unknown_tokens_are_rate_limited_per_address(app, client, survey):
    for i in range(10):
        assert client.get(f"/s/guess-{i}").status_code == 404
    blocked = client.get("/s/guess-10")
    assert blocked.status_code == 429
    assert blocked.headers["Referrer-Policy"] == "no-referrer"
    assert blocked.headers["Cache-Control"] == "no-store"
    # The limit is per address: the same real link from another address still works.
    other = client.get(survey["path"], environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200
    assert client.get(survey["path"]).status_code == 429


@pytest.mark.ratelimit
def test_a_respondent_using_a_good_link_is_not_slowed_by_the_strict_limit(app, client, answering):
    for _ in range(15):
        assert client.get(f"{answering['path']}/colleagues").status_code == 200


def test_token_pages_are_private_and_need_no_script(app, client, answering):
    path = answering["path"]
    nominate(client, path, answering["colleagues"][0])
    pages = [
        path,
        f"{path}/colleagues",
        f"{path}/colleagues?q=a&school=x",
        f"{path}/colleagues/{answering['colleagues'][0]}",
        f"{path}/colleagues/{answering['colleagues'][0]}/remove",
        f"{path}/unlisted",
        f"{path}/about-you",
        f"{path}/review",
        f"{path}/withdraw",
        "/s/unknown-token",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in {200, 404}, url
        assert response.headers["Referrer-Policy"] == "no-referrer", url
        assert response.headers["Cache-Control"] == "no-store", url
        html = response.get_data(as_text=True)
        assert "<script" not in html, url
        assert " style=" not in html, url
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    # Ordinary pages keep the site-wide policy.
    assert client.get("/login").headers["Referrer-Policy"] == "same-origin"


def test_names_are_data_not_markup(app, client, world, survey):
    with app.app_context():
        scope = coordinator_scope(world)
        uid = people_service.add(
            scope,
            {
                "name": "<script>alert(1)</script> Evil",
                "layer": "teacher",
                "school_uid": world.schools["A"][0]["uid"],
                "from": "2020-09-01",
            },
        )["uid"]
    consent(client, survey["path"])
    page = client.get(f"{survey['path']}/colleagues").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Evil" in page
    assert f"/colleagues/{uid}" in page


# --- the coordinator never learns who answered -------------------------------------------------

STAFF = 8  # extra people in network A, so the round has some size


def _more_people(app: Flask, world: World) -> list[str]:
    with app.app_context():
        scope = coordinator_scope(world)
        return [
            people_service.add(
                scope,
                {
                    "name": f"Staff Member {chr(65 + i)}",
                    "layer": ("teacher", "support")[i % 2],
                    "school_uid": world.schools["A"][i % 2]["uid"],
                    "from": "2021-09-01",
                },
            )["uid"]
            for i in range(STAFF)
        ]


def _normalise(page: str) -> str:
    """A page without what changes on every request (CSRF tokens, fresh form uids)."""
    page = re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1-", page)
    page = re.sub(r'(value=")[^"]+("[^>]*name="csrf_token")', r"\1-\2", page)
    return re.sub(r'(name="uid" type="hidden" value=")[^"]+', r"\1-", page)


def _coordinator_pages(client: FlaskClient, world: World, rounds: list[str]) -> dict[str, str]:
    base = f"/networks/{world.networks['A']['uid']}"
    urls = [
        f"{base}/surveys/",
        f"{base}/surveys/{rounds[0]}",
        f"{base}/surveys/{rounds[1]}",
        f"{base}/surveys/{rounds[0]}/withdraw",
        f"{base}/surveys/compare?a={rounds[1]}&b={rounds[0]}",
        f"{base}/history",
        base,
    ]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.get_data(as_text=True)
    return pages


def test_the_coordinators_pages_never_show_who_answered(app, world):
    staff = _more_people(app, world)
    earlier = open_round(app, world, title="Last spring")
    current = open_round(app, world, title="This autumn")
    paths = {p: link(app, world, current["uid"], p) for p in staff}
    for p in staff[:3]:
        link(app, world, earlier["uid"], p)
    coordinator = app.test_client()
    login(coordinator, EMAILS["coordinatorA"])
    before = {
        url: _normalise(page)
        for url, page in _coordinator_pages(
            coordinator, world, [current["uid"], earlier["uid"]]
        ).items()
    }

    # Three people answer and send, one only consents, one saves and withdraws.
    respondent = app.test_client()
    answered, idle = staff[:5], staff[5:]
    for i, person in enumerate(answered):
        path = paths[person]
        consent(respondent, path)
        if i == 3:
            continue
        nominate(respondent, path, staff[(i + 1) % STAFF])
        respondent.post(f"{path}/unlisted", data={"text": "An adviser", **TIE})
        respondent.post(f"{path}/about-you", data={"leader_in_school": "yes"})
        if i == 4:
            respondent.post(f"{path}/withdraw", data={"confirm": "yes"})
        else:
            assert respondent.post(f"{path}/submit").status_code == 302

    after = _coordinator_pages(coordinator, world, [current["uid"], earlier["uid"]])
    for url, page in after.items():
        # Fewer than five sent their answers, so every page is exactly as it was.
        assert _normalise(page) == before[url], url
    show = after[f"/networks/{world.networks['A']['uid']}/surveys/{current['uid']}"]
    assert "fewer than 5" in show
    names = {p: f"Staff Member {chr(65 + i)}" for i, p in enumerate(staff)}
    rows = {
        p: re.search(rf"<tr>\s*<td>{names[p]}</td>.*?</tr>", show, re.S).group(0)  # type: ignore[union-attr]
        for p in staff
    }
    # Every invitee's row reads the same once the name and school are taken out.
    shapes = {
        re.sub(r"<td>[^<]*</td>\s*<td>[^<]*</td>", "", row.replace(p, "UID"))
        for p, row in rows.items()
    }
    assert len(shapes) == 1, shapes
    for page in after.values():
        counts = {p: page.count(names[p]) for p in answered + idle}
        assert len(set(counts.values())) == 1, counts
