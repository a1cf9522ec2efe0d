"""Co-coaching through HTTP: pairs, sessions, ending, deleting, training and the cascade."""

from __future__ import annotations

import html
import re
import uuid
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import EMAILS, World, login, stores_state
from tests.helpers import (
    audit_rows,
    coordinator_scope,
    field_error,
    input_value,
    nodes,
    person,
    refused,
    rels,
    spaced_text,
)
from tracker.services import coaching as coaching_service
from tracker.services import people as people_service
from tracker.services import today
from tracker.services.pseudonyms import pseudonym

# -- helpers ------------------------------------------------------------------------------------


def pair_node(app: Flask, uid: str) -> dict[str, Any]:
    [pair] = [p for p in nodes(app, "CoachingPair") if p["uid"] == uid]
    return pair


def pair_people(app: Flask, uid: str) -> set[str]:
    return {r["source"] for r in rels(app, "IN_PAIR") if r["target"] == uid}


def base(world: World, key: str = "A") -> str:
    return f"/networks/{world.networks[key]['uid']}/coaching"


def good_pair(world: World, **changes: str) -> dict[str, str]:
    """A valid pair form for network A: Person 0 (school 0) with Person 1 (school 1)."""
    return {
        "uid": str(uuid.uuid4()),
        "person_a": person(world, 0),
        "person_b": person(world, 1),
        "practice": "Philosophy for Children",
        "started": "2024-10-01",
        "ended": "",
        **changes,
    }


def good_training(world: World, **changes: str) -> dict[str, str]:
    return {
        "uid": str(uuid.uuid4()),
        "trainer_uid": person(world, 0),
        "trainee_uid": person(world, 1),
        "practice": "Philosophy for Children",
        "date": "2024-09-15",
        **changes,
    }


def add_pair(client: FlaskClient, world: World, **changes: str) -> dict[str, str]:
    form = good_pair(world, **changes)
    response = client.post(f"{base(world)}/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return form


def add_training(client: FlaskClient, world: World, **changes: str) -> dict[str, str]:
    form = good_training(world, **changes)
    response = client.post(f"{base(world)}/training/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return form


def add_people(app: Flask, world: World, names_by_school: dict[int, list[str]]) -> dict[str, str]:
    """More people in network A; returns name -> uid."""
    made = {}
    with app.app_context():
        scope = coordinator_scope(world)
        for school, names in names_by_school.items():
            for name in names:
                made[name] = people_service.add(
                    scope,
                    {
                        "name": name,
                        "layer": "teacher",
                        "school_uid": world.schools["A"][school]["uid"],
                        "from": "2020-09-01",
                    },
                )["uid"]
    return made


# -- pairs --------------------------------------------------------------------------------------


def test_add_pair_links_two_people_and_lists_it_across_schools(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add_pair(client, world)

    pair = pair_node(app, form["uid"])
    assert pair["key"] == form["uid"] and pair["network_uid"] == world.networks["A"]["uid"]
    assert (pair["practice"], pair["started"], pair["version"]) == (
        "Philosophy for Children",
        "2024-10-01",
        1,
    )
    assert pair["sessions"] == [] and pair.get("ended") is None
    assert pair_people(app, form["uid"]) == {person(world, 0), person(world, 1)}
    assert all(r["uid"] for r in rels(app, "IN_PAIR"))

    page = spaced_text(client.get(f"{base(world)}/").get_data(as_text=True))
    assert "A Person 0 and A Person 1" in page
    assert "A Primary 0 · A Primary 1 across schools" in page
    assert "Philosophy for Children 2024-10-01 still coaching 0 none yet" in page
    [entry] = audit_rows(app, form["uid"])
    assert (entry.action, entry.object_kind) == ("add", "coaching_pair")
    assert entry.after["people"] == "A Person 0 and A Person 1"


def test_pair_in_one_school_is_shown_within_a_school(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add_pair(client, world, person_b=person(world, 2))

    page = spaced_text(client.get(f"{base(world)}/{form['uid']}").get_data(as_text=True))
    assert "Schools Within a school" in page
    index = spaced_text(client.get(f"{base(world)}/").get_data(as_text=True))
    assert "A Primary 0 · A Primary 0 within a school" in index


def test_new_pair_form_defaults_to_today_and_suggests_used_practices(app, client, world):
    login(client, EMAILS["coordinatorA"])
    add_pair(client, world, practice="Lesson study")
    page = client.get(f"{base(world)}/new").get_data(as_text=True)

    assert input_value(page, "started") == today()
    assert 'list="practice-options"' in page
    assert '<datalist id="practice-options">' in page and '<option value="Lesson study">' in page
    assert uuid.UUID(input_value(page, "uid"))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"person_b": "same"}, "person_b", "two different people"),
        ({"person_b": "other"}, "person_b", "a person of this network"),
        ({"person_a": "other"}, "person_a", "a person of this network"),
        ({"person_b": ""}, "person_b", "Choose the second person"),
        ({"practice": "   "}, "practice", ""),
        ({"ended": "2024-09-30"}, "ended", "is before the start date (2024-10-01)"),
        ({"started": "2024-13-01"}, "started", "date"),
    ],
    ids=[
        "same-person",
        "other-network-b",
        "other-network-a",
        "missing",
        "no-practice",
        "end-before-start",
        "bad-date",
    ],
)
def test_bad_pair_is_refused_and_changes_nothing(app, client, world, changes, field, message):
    substitute = {"same": person(world, 0), "other": person(world, 0, "B")}
    changes = {k: substitute.get(v, v) for k, v in changes.items()}
    login(client, EMAILS["coordinatorA"])
    page = refused(app, client, f"{base(world)}/new", good_pair(world, **changes))
    assert message in field_error(page, field)


def test_double_submit_creates_one_pair(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add_pair(client, world)
    again = client.post(f"{base(world)}/new", data=form)

    assert again.status_code == 302
    assert [p["uid"] for p in nodes(app, "CoachingPair")] == [form["uid"]]
    assert len(rels(app, "IN_PAIR")) == 2
    assert len(audit_rows(app, form["uid"])) == 1


def test_a_uid_taken_in_another_network_gets_a_new_one(app, client, world):
    login(client, EMAILS["coordinatorB"])
    taken = client.post(
        f"{base(world, 'B')}/new",
        data=good_pair(world, person_a=person(world, 0, "B"), person_b=person(world, 1, "B")),
    )
    assert taken.status_code == 302
    [b_pair] = nodes(app, "CoachingPair")
    client.post("/logout")
    login(client, EMAILS["coordinatorA"])
    response = client.post(f"{base(world)}/new", data=good_pair(world, uid=b_pair["uid"]))

    assert response.status_code == 302
    pairs = nodes(app, "CoachingPair")
    assert len(pairs) == 2
    [a_pair] = [p for p in pairs if p["network_uid"] == world.networks["A"]["uid"]]
    assert a_pair["uid"] != b_pair["uid"]
    assert pair_people(app, b_pair["uid"]) == {person(world, 0, "B"), person(world, 1, "B")}


def test_edit_changes_practice_and_person(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add_pair(client, world)
    edit_page = client.get(f"{base(world)}/{form['uid']}/edit").get_data(as_text=True)
    assert 'value="Philosophy for Children"' in edit_page

    response = client.post(
        f"{base(world)}/{form['uid']}/edit",
        data={**form, "person_b": person(world, 2), "practice": "Lesson study", "version": "1"},
    )

    assert response.status_code == 302
    pair = pair_node(app, form["uid"])
    assert (pair["practice"], pair["version"]) == ("Lesson study", 2)
    assert pair_people(app, form["uid"]) == {person(world, 0), person(world, 2)}
    entry = audit_rows(app, form["uid"])[-1]
    assert entry.action == "update"
    assert entry.before["people"] == "A Person 0 and A Person 1"
    assert entry.after["people"] == "A Person 0 and A Person 2"


def test_stale_edit_is_refused_with_what_changed(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add_pair(client, world)
    first = client.post(
        f"{base(world)}/{form['uid']}/edit",
        data={**form, "practice": "Lesson study", "version": "1"},
    )
    assert first.status_code == 302

    page = refused(
        app,
        client,
        f"{base(world)}/{form['uid']}/edit",
        {**form, "practice": "Talk for Writing", "version": "1"},
        status=409,
    )
    text = spaced_text(page)
    assert "Someone else changed this record" in text
    assert "practice: now “Lesson study”" in text
    assert pair_node(app, form["uid"])["practice"] == "Lesson study"


def test_log_and_remove_sessions(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add_pair(client, world)
    url = f"{base(world)}/{form['uid']}"
    show = client.get(url).get_data(as_text=True)
    assert input_value(show, "date") == today()

    for day in ("2024-11-05", "2024-10-08", "2024-12-03"):
        assert client.post(f"{url}/sessions", data={"date": day}).status_code == 302
    assert pair_node(app, form["uid"])["sessions"] == ["2024-10-08", "2024-11-05", "2024-12-03"]

    again = client.post(f"{url}/sessions", data={"date": "2024-11-05"}, follow_redirects=True)
    assert "already logged; nothing changed" in again.get_data(as_text=True)
    assert len(pair_node(app, form["uid"])["sessions"]) == 3

    index = spaced_text(client.get(f"{base(world)}/").get_data(as_text=True))
    assert "2024-10-01 still coaching 3 2024-12-03" in index

    removed = client.post(f"{url}/sessions/remove", data={"date": "2024-11-05"})
    assert removed.status_code == 302
    assert pair_node(app, form["uid"])["sessions"] == ["2024-10-08", "2024-12-03"]
    actions = [e.action for e in audit_rows(app, form["uid"])]
    assert actions == ["add", "log_session", "log_session", "log_session", "remove_session"]


def test_removing_a_session_that_is_not_logged_changes_nothing(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add_pair(client, world)
    url = f"{base(world)}/{form['uid']}/sessions"
    client.post(url, data={"date": "2024-11-05"})
    before = stores_state(app)

    gone = client.post(f"{url}/remove", data={"date": "2024-11-06"}, follow_redirects=True)
    assert "No session on 2024-11-06 was logged; nothing changed" in gone.get_data(as_text=True)
    assert stores_state(app) == before
    page = refused(app, client, f"{url}/remove", {"date": "5 Nov"})
    assert "Use a date written as YYYY-MM-DD." in spaced_text(page)
    assert pair_node(app, form["uid"])["sessions"] == ["2024-11-05"]


@pytest.mark.parametrize(
    ("day", "message"),
    [("2024-09-30", "The pair started on 2024-10-01"), ("", "")],
    ids=["before-start", "missing"],
)
def test_bad_session_is_refused(app, client, world, day, message):
    login(client, EMAILS["coordinatorA"])
    form = add_pair(client, world)
    page = refused(app, client, f"{base(world)}/{form['uid']}/sessions", {"date": day})
    assert message in field_error(page, "date")


def test_session_after_the_pair_ended_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add_pair(client, world, ended="2025-03-31")
    page = refused(app, client, f"{base(world)}/{form['uid']}/sessions", {"date": "2025-04-01"})
    assert "The pair ended on 2025-03-31" in field_error(page, "date")


def test_end_pair_keeps_it_and_its_sessions(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add_pair(client, world)
    url = f"{base(world)}/{form['uid']}"
    client.post(f"{url}/sessions", data={"date": "2024-11-05"})

    response = client.post(f"{url}/end", data={"ended": "2025-03-31", "version": "2"})

    assert response.status_code == 302
    pair = pair_node(app, form["uid"])
    assert (pair["ended"], pair["sessions"], pair["version"]) == ("2025-03-31", ["2024-11-05"], 3)
    assert audit_rows(app, form["uid"])[-1].action == "end"
    index = spaced_text(client.get(f"{base(world)}/").get_data(as_text=True))
    assert "2024-10-01 2025-03-31 1 2024-11-05" in index


@pytest.mark.parametrize(
    ("ended", "message"),
    [
        ("2024-09-01", "is before the start date (2024-10-01)"),
        ("2024-11-01", "A session is logged on 2024-11-05, after this date"),
    ],
    ids=["before-start", "before-last-session"],
)
def test_bad_end_is_refused(app, client, world, ended, message):
    login(client, EMAILS["coordinatorA"])
    form = add_pair(client, world)
    url = f"{base(world)}/{form['uid']}"
    client.post(f"{url}/sessions", data={"date": "2024-11-05"})
    page = refused(app, client, f"{url}/end", {"ended": ended, "version": "2"})
    assert message in field_error(page, "ended")


def test_stale_end_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add_pair(client, world)
    url = f"{base(world)}/{form['uid']}"
    client.post(f"{url}/sessions", data={"date": "2024-11-05"})  # version 2 now
    page = refused(app, client, f"{url}/end", {"ended": "2025-03-31", "version": "1"}, status=409)
    assert "Someone else changed this pair" in spaced_text(page)


def test_delete_needs_a_confirmed_post(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add_pair(client, world)
    url = f"{base(world)}/{form['uid']}/delete"
    client.post(f"{base(world)}/{form['uid']}/sessions", data={"date": "2024-11-05"})

    confirm = client.get(url)
    assert confirm.status_code == 200
    text = spaced_text(confirm.get_data(as_text=True))
    assert "Delete the pair A Person 0 and A Person 1?" in text
    assert "its 1 logged session will be removed" in text

    before = stores_state(app)
    unconfirmed = client.post(url)
    assert unconfirmed.status_code == 302 and unconfirmed.headers["Location"].endswith(url)
    assert stores_state(app) == before

    assert client.post(url, data={"confirm": "yes"}).status_code == 302
    assert nodes(app, "CoachingPair") == [] and rels(app, "IN_PAIR") == []
    entry = audit_rows(app, form["uid"])[-1]
    assert entry.action == "delete" and entry.before["sessions"] == "2024-11-05"
    assert entry.before["practice"] == "Philosophy for Children"


def test_other_networks_pair_under_own_url_is_404(app, client, world):
    login(client, EMAILS["coordinatorB"])
    form = good_pair(world, person_a=person(world, 0, "B"), person_b=person(world, 1, "B"))
    assert client.post(f"{base(world, 'B')}/new", data=form).status_code == 302
    client.post("/logout")
    login(client, EMAILS["coordinatorA"])
    before = stores_state(app)
    url = f"{base(world)}/{form['uid']}"

    assert client.get(url).status_code == 404
    assert client.get(f"{url}/edit").status_code == 404
    assert client.get(f"{url}/delete").status_code == 404
    assert client.post(f"{url}/edit", data={**form, "version": "1"}).status_code == 404
    assert client.post(f"{url}/sessions", data={"date": "2024-11-05"}).status_code == 404
    assert client.post(f"{url}/sessions/remove", data={"date": "2024-11-05"}).status_code == 404
    assert (
        client.post(f"{url}/end", data={"ended": "2025-01-01", "version": "1"}).status_code == 404
    )
    assert client.post(f"{url}/delete", data={"confirm": "yes"}).status_code == 404
    assert stores_state(app) == before


# -- training and the cascade -------------------------------------------------------------------


def test_record_training_and_see_it_in_the_cascade(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = good_training(world)
    response = client.post(f"{base(world)}/training/new", data=form)

    assert response.status_code == 302
    assert "/coaching/cascade?practice=Philosophy" in response.headers["Location"]
    [trained] = rels(app, "TRAINED")
    assert (trained["uid"], trained["source"], trained["target"]) == (
        form["uid"],
        person(world, 0),
        person(world, 1),
    )
    assert (trained["practice"], trained["date"]) == ("Philosophy for Children", "2024-09-15")
    [entry] = audit_rows(app, form["uid"])
    assert (entry.action, entry.object_kind, entry.after["trainee"]) == (
        "add",
        "training",
        "A Person 1",
    )
    page = spaced_text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "A Person 0 (A Primary 0) A Person 1 (A Primary 1) trained 2024-09-15" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"trainee_uid": "same"}, "trainee_uid", "someone other than the trainer"),
        ({"trainee_uid": "other"}, "trainee_uid", "a person of this network"),
        ({"trainer_uid": "other"}, "trainer_uid", "a person of this network"),
        ({"practice": ""}, "practice", ""),
        ({"date": "15/09/2024"}, "date", "date"),
    ],
    ids=["self", "other-network-trainee", "other-network-trainer", "no-practice", "bad-date"],
)
def test_bad_training_is_refused(app, client, world, changes, field, message):
    substitute = {"same": person(world, 0), "other": person(world, 1, "B")}
    changes = {k: substitute.get(v, v) for k, v in changes.items()}
    login(client, EMAILS["coordinatorA"])
    page = refused(app, client, f"{base(world)}/training/new", good_training(world, **changes))
    assert message in field_error(page, field)


def test_record_and_add_another_keeps_trainer_and_practice(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = good_training(world, practice="Lesson study")
    response = client.post(f"{base(world)}/training/new", data={**form, "another": "1"})

    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert input_value(page, "practice") == "Lesson study"
    assert re.search(rf'<option selected value="{person(world, 0)}">', page)
    assert input_value(page, "uid") != form["uid"]


def test_same_training_twice_is_refused_but_double_submit_is_one(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add_training(client, world)
    assert client.post(f"{base(world)}/training/new", data=form).status_code == 302
    assert len(rels(app, "TRAINED")) == 1

    page = refused(app, client, f"{base(world)}/training/new", good_training(world))
    assert "already recorded (on 2024-09-15)" in field_error(page, "trainee_uid")


def test_practice_takes_the_spelling_already_used(app, client, world):
    login(client, EMAILS["coordinatorA"])
    add_pair(client, world, practice="Lesson Study")
    add_training(client, world, practice="  lesson   study ")

    [trained] = rels(app, "TRAINED")
    assert trained["practice"] == "Lesson Study"


def test_cascade_draws_the_oldham_pattern(app, client, world):
    """An outside trainer trains two teachers per school; each then trains one at home."""
    made = add_people(
        app,
        world,
        {
            0: ["Ada Trained", "Ben Trained", "Cal Home", "Dee Home"],
            1: ["Eve Trained", "Fay Trained", "Gus Home", "Hal Home"],
        },
    )
    with app.app_context():
        scope = coordinator_scope(world)
        trainer = people_service.add(
            scope, {"name": "Olga Outside", "layer": "external", "from": "2020-09-01"}
        )["uid"]
        for name in ("Ada Trained", "Ben Trained", "Eve Trained", "Fay Trained"):
            coaching_service.add_training(
                scope,
                {
                    "trainer_uid": trainer,
                    "trainee_uid": made[name],
                    "practice": "P4C",
                    "date": "2024-09-10",
                },
            )
        for who, whom in [
            ("Ada Trained", "Cal Home"),
            ("Ben Trained", "Dee Home"),
            ("Eve Trained", "Gus Home"),
            ("Fay Trained", "Hal Home"),
        ]:
            coaching_service.add_training(
                scope,
                {
                    "trainer_uid": made[who],
                    "trainee_uid": made[whom],
                    "practice": "P4C",
                    "date": "2024-11-01",
                },
            )
        tree = coaching_service.cascade(scope, "P4C")

    [root] = tree["roots"]
    assert root["person"]["name"] == "Olga Outside" and root["person"]["school_name"] is None
    assert [c["person"]["name"] for c in root["children"]] == [
        "Ada Trained",
        "Ben Trained",
        "Eve Trained",
        "Fay Trained",
    ]
    assert [[g["person"]["name"] for g in c["children"]] for c in root["children"]] == [
        ["Cal Home"],
        ["Dee Home"],
        ["Gus Home"],
        ["Hal Home"],
    ]
    assert tree["per_generation"] == [1, 4, 4]
    assert tree["per_school"] == [
        ("A Primary 0", [0, 2, 2]),
        ("A Primary 1", [0, 2, 2]),
        ("No school", [1, 0, 0]),
    ]

    login(client, EMAILS["leaderA"])
    page = client.get(f"{base(world)}/cascade", query_string={"practice": "P4C"})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    # Nested lists: a home-trained teacher sits inside their trainer's item.
    assert re.search(r"Ada Trained</a>.*?<ul>\s*<li>\s*<a [^>]*>Cal Home</a>", body, re.S)
    text = spaced_text(body)
    assert "A Primary 0 0 2 2 4" in text and "All schools 1 4 4 9" in text
    assert "People in the cascade 9" in text


def test_cascade_guards_against_loops(app, client, world):
    p0, p1, p2 = (person(world, i) for i in range(3))
    with app.app_context():
        scope = coordinator_scope(world)
        for who, whom, day in [
            (p0, p1, "2024-09-01"),
            (p1, p2, "2024-10-01"),
            (p2, p0, "2024-11-01"),
        ]:
            coaching_service.add_training(
                scope,
                {"trainer_uid": who, "trainee_uid": whom, "practice": "Loops", "date": day},
            )
        tree = coaching_service.cascade(scope, "Loops")

    [root] = tree["roots"]
    assert root["in_loop"] and root["person"]["uid"] == p0
    assert [a["person"]["uid"] for a in root["also_trained_by"]] == [p2]
    assert tree["people"] == 3 and tree["per_generation"] == [1, 1, 1]

    login(client, EMAILS["coordinatorA"])
    body = client.get(f"{base(world)}/cascade", query_string={"practice": "Loops"}).get_data(
        as_text=True
    )
    tree_html = body.split('id="tree-heading"')[1].split('id="counts-heading"')[0]
    for name in ("A Person 0", "A Person 1", "A Person 2"):
        assert tree_html.count(f">{name}</a>") == 1, name


def test_someone_trained_twice_appears_once(app, client, world):
    p0, p1, p2 = (person(world, i) for i in range(3))
    login(client, EMAILS["coordinatorA"])
    add_training(client, world, trainer_uid=p0, trainee_uid=p2, date="2024-09-01")
    add_training(client, world, trainer_uid=p1, trainee_uid=p2, date="2024-10-01")
    body = client.get(
        f"{base(world)}/cascade", query_string={"practice": "Philosophy for Children"}
    ).get_data(as_text=True)
    tree_html = body.split('id="tree-heading"')[1].split('id="counts-heading"')[0]

    assert tree_html.count(">A Person 2</a>") == 1
    assert "also trained by A Person 1 (2024-10-01)" in spaced_text(tree_html)


def test_cascade_url_is_not_case_sensitive(app, client, world):
    login(client, EMAILS["coordinatorA"])
    add_training(client, world, practice="Lesson Study")
    page = client.get(f"{base(world)}/cascade", query_string={"practice": "lesson  study"})
    assert page.status_code == 200
    assert "Lesson Study: training cascade" in spaced_text(page.get_data(as_text=True))


def test_unknown_practice_cascade_is_404(app, client, world):
    login(client, EMAILS["coordinatorA"])
    assert (
        client.get(f"{base(world)}/cascade", query_string={"practice": "Nope"}).status_code == 404
    )


def test_cascade_without_a_practice_lists_the_practices(app, client, world):
    login(client, EMAILS["coordinatorA"])
    add_training(client, world, practice="Lesson Study")
    page = client.get(f"{base(world)}/cascade")
    assert page.status_code == 200
    assert "Lesson Study (2 people, 1 training records)" in spaced_text(page.get_data(as_text=True))


def test_other_networks_training_does_not_show_in_own_cascade(app, client, world):
    login(client, EMAILS["coordinatorB"])
    form = good_training(
        world, trainer_uid=person(world, 0, "B"), trainee_uid=person(world, 1, "B")
    )
    assert client.post(f"{base(world, 'B')}/training/new", data=form).status_code == 302
    client.post("/logout")
    login(client, EMAILS["coordinatorA"])
    before = stores_state(app)

    cascade = client.get(
        f"{base(world)}/cascade", query_string={"practice": "Philosophy for Children"}
    )
    assert cascade.status_code == 404
    url = f"{base(world)}/training/{form['uid']}/delete"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"confirm": "yes"}).status_code == 404
    assert stores_state(app) == before


def test_delete_training_needs_a_confirmed_post(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add_training(client, world)
    url = f"{base(world)}/training/{form['uid']}/delete"

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "A Person 0 trained A Person 1 in Philosophy for Children on 2024-09-15" in (
        spaced_text(confirm.get_data(as_text=True))
    )
    before = stores_state(app)
    assert client.post(url).status_code == 302
    assert stores_state(app) == before

    assert client.post(url, data={"confirm": "yes"}).status_code == 302
    assert rels(app, "TRAINED") == []
    entry = audit_rows(app, form["uid"])[-1]
    assert (entry.action, entry.before["trainer"]) == ("delete", "A Person 0")


# -- who may do what ----------------------------------------------------------------------------


def test_leader_reads_but_may_not_write(app, client, world):
    login(client, EMAILS["coordinatorA"])
    pair = add_pair(client, world)
    training = add_training(client, world)
    client.post("/logout")
    login(client, EMAILS["leaderA"])

    assert client.get(f"{base(world)}/").status_code == 200
    assert client.get(f"{base(world)}/{pair['uid']}").status_code == 200
    page = client.get(f"{base(world)}/{pair['uid']}").get_data(as_text=True)
    assert "Log session" not in page and "Delete pair" not in page
    before = stores_state(app)
    url = f"{base(world)}/{pair['uid']}"
    assert client.get(f"{base(world)}/new").status_code == 403
    assert client.post(f"{base(world)}/new", data=good_pair(world)).status_code == 403
    assert client.post(f"{url}/edit", data={**pair, "version": "1"}).status_code == 403
    assert client.post(f"{url}/sessions", data={"date": "2024-11-05"}).status_code == 403
    assert client.post(f"{url}/end", data={"ended": "2025-01-01"}).status_code == 403
    assert client.post(f"{url}/delete", data={"confirm": "yes"}).status_code == 403
    assert client.post(f"{base(world)}/training/new", data=good_training(world)).status_code == 403
    delete_training = f"{base(world)}/training/{training['uid']}/delete"
    assert client.post(delete_training, data={"confirm": "yes"}).status_code == 403
    assert stores_state(app) == before


@pytest.mark.parametrize("page", ["index", "pair", "cascade"])
def test_evaluator_sees_pseudonyms(app, client, world, page):
    login(client, EMAILS["coordinatorA"])
    pair = add_pair(client, world)
    add_training(client, world)
    client = app.test_client()  # a fresh browser: no flashed messages from the coordinator
    login(client, EMAILS["evaluatorA"])
    url = {
        "index": f"{base(world)}/",
        "pair": f"{base(world)}/{pair['uid']}",
        "cascade": f"{base(world)}/cascade?practice=Philosophy+for+Children",
    }[page]
    response = client.get(url)

    assert response.status_code == 200
    body = html.unescape(response.get_data(as_text=True))
    with app.app_context():
        labels = [pseudonym(world.networks["A"]["uid"], person(world, i)) for i in (0, 1)]
    assert all(label in body for label in labels)
    for other in world.people["A"]:
        assert other["name"] not in body


def test_practice_with_markup_is_shown_escaped(app, client, world):
    evil = "<script>alert(1)</script>"
    login(client, EMAILS["coordinatorA"])
    pair = add_pair(client, world, practice=evil)
    add_training(client, world, practice=evil)
    for url in (
        f"{base(world)}/",
        f"{base(world)}/{pair['uid']}",
        f"{base(world)}/new",
    ):
        body = client.get(url).get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url
        assert evil not in body, url
    cascade = client.get(f"{base(world)}/cascade", query_string={"practice": evil})
    assert cascade.status_code == 200 and evil not in cascade.get_data(as_text=True)
