"""Funding periods through HTTP: add, edit, end, delete, and every refusal."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import EMAILS, World, login, stores_state
from tests.helpers import audit_rows, field_error, nodes, refused, visible_text


def periods(app: Flask) -> list[dict[str, Any]]:
    return nodes(app, "FundingPeriod")


def base(world: World, key: str = "A") -> str:
    return f"/networks/{world.networks[key]['uid']}/funding"


def good(**changes: str) -> dict[str, str]:
    return {
        "uid": str(uuid.uuid4()),
        "source": "Education Endowment Foundation grant",
        "started": "2024-09-01",
        "ended": "",
        **changes,
    }


def add(client: FlaskClient, world: World, key: str = "A", **changes: str) -> dict[str, str]:
    form = good(**changes)
    response = client.post(f"{base(world, key)}/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return form


def test_add_lists_and_audits_a_period(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = add(client, world)

    [period] = periods(app)
    assert period["uid"] == period["key"] == form["uid"]
    assert period["network_uid"] == world.networks["A"]["uid"]
    assert (period["source"], period["started"], period.get("ended")) == (
        "Education Endowment Foundation grant",
        "2024-09-01",
        None,
    )
    assert period["version"] == 1
    [entry] = audit_rows(app, form["uid"])
    assert (entry.action, entry.object_kind) == ("add", "funding_period")
    assert entry.network_uid == world.networks["A"]["uid"]
    page = visible_text(client.get(f"{base(world)}/").get_data(as_text=True))
    assert "Education Endowment Foundation grant current 2024-09-01 still running" in page


def test_create_form_defaults_to_today(app, client, world):
    import datetime as dt

    login(client, EMAILS["coordinatorA"])
    page = client.get(f"{base(world)}/new").get_data(as_text=True)
    assert f'value="{dt.date.today().isoformat()}"' in page
    assert re.search(r'name="uid" type="hidden" value="[0-9a-f-]{36}"', page)


def test_double_submit_creates_one_period(app, client, world):
    login(client, EMAILS["coordinatorA"])
    form = good()
    assert client.post(f"{base(world)}/new", data=form).status_code == 302
    assert client.post(f"{base(world)}/new", data=form).status_code == 302
    assert [p["uid"] for p in periods(app)] == [form["uid"]]
    assert len(audit_rows(app, form["uid"])) == 1


def test_uid_of_another_networks_period_is_not_reused(app, client, world):
    login(client, EMAILS["coordinatorB"])
    taken = add(client, world, "B")["uid"]
    client.post("/logout")
    login(client, EMAILS["coordinatorA"])
    form = good(uid=taken, source="Local authority")
    assert client.post(f"{base(world)}/new", data=form).status_code == 302
    by_source = {p["source"]: p for p in periods(app)}
    assert by_source["Local authority"]["uid"] != taken
    assert by_source["Local authority"]["network_uid"] == world.networks["A"]["uid"]
    assert by_source["Education Endowment Foundation grant"]["uid"] == taken


def test_end_before_start_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    page = refused(app, client, f"{base(world)}/new", good(ended="2024-08-31"))
    assert "is before the start date (2024-09-01)" in field_error(page, "ended")


def test_missing_source_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    page = refused(app, client, f"{base(world)}/new", good(source="  "))
    assert field_error(page, "source")


def test_edit_bumps_version_and_audits_the_change(app, client, world):
    login(client, EMAILS["coordinatorA"])
    uid = add(client, world)["uid"]
    page = client.get(f"{base(world)}/{uid}/edit").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in page
    response = client.post(
        f"{base(world)}/{uid}/edit",
        data={"source": "EEF", "started": "2024-09-02", "ended": "2025-08-31", "version": "1"},
    )
    assert response.status_code == 302
    [period] = periods(app)
    assert (period["source"], period["started"], period["ended"], period["version"]) == (
        "EEF",
        "2024-09-02",
        "2025-08-31",
        2,
    )
    entries = audit_rows(app, uid)
    assert [e.action for e in entries] == ["add", "update"]
    assert entries[1].before["source"] == "Education Endowment Foundation grant"
    assert entries[1].after["source"] == "EEF"


def test_stale_edit_is_refused_with_what_changed(app, client, world):
    login(client, EMAILS["coordinatorA"])
    uid = add(client, world)["uid"]
    assert (
        client.post(
            f"{base(world)}/{uid}/edit",
            data={"source": "Trust", "started": "2024-09-01", "version": "1"},
        ).status_code
        == 302
    )
    page = refused(
        app,
        client,
        f"{base(world)}/{uid}/edit",
        {"source": "Mine", "started": "2024-09-01", "version": "1"},
        status=409,
    )
    text = visible_text(page)
    assert "Someone else changed this record" in text
    assert "source: now “Trust”" in text
    assert 'name="version" type="hidden" value="2"' in page


def test_end_closes_the_period_and_keeps_it(app, client, world):
    login(client, EMAILS["coordinatorA"])
    uid = add(client, world)["uid"]
    response = client.post(
        f"{base(world)}/{uid}/end",
        data={f"end-{uid}-ended": "2025-07-31", f"end-{uid}-version": "1"},
    )
    assert response.status_code == 302
    [period] = periods(app)
    assert period["ended"] == "2025-07-31" and period["version"] == 2
    assert [e.action for e in audit_rows(app, uid)] == ["add", "end"]
    page = client.get(f"{base(world)}/").get_data(as_text=True)
    assert "2024-09-01 2025-07-31" in visible_text(page)
    assert '<span class="tag">current</span>' not in page
    assert f'<tr id="period-{uid}" class="ended">' in page


def test_end_before_start_is_refused_next_to_the_date(app, client, world):
    login(client, EMAILS["coordinatorA"])
    uid = add(client, world)["uid"]
    page = refused(
        app,
        client,
        f"{base(world)}/{uid}/end",
        {f"end-{uid}-ended": "2024-01-01", f"end-{uid}-version": "1"},
    )
    assert "is before the start date (2024-09-01)" in field_error(page, f"end-{uid}-ended")


def test_ending_an_ended_period_is_refused(app, client, world):
    login(client, EMAILS["coordinatorA"])
    uid = add(client, world, ended="2025-03-31")["uid"]
    page = refused(
        app,
        client,
        f"{base(world)}/{uid}/end",
        {f"end-{uid}-ended": "2025-07-31", f"end-{uid}-version": "1"},
    )
    assert "already ended on 2025-03-31" in field_error(page, f"end-{uid}-ended")


def test_delete_asks_first_then_deletes_on_post(app, client, world):
    login(client, EMAILS["coordinatorA"])
    uid = add(client, world)["uid"]
    confirm = client.get(f"{base(world)}/{uid}/delete")
    assert confirm.status_code == 200
    assert "Delete the funding period from Education Endowment Foundation grant?" in visible_text(
        confirm.get_data(as_text=True)
    )
    assert len(periods(app)) == 1

    # A POST without the confirmation deletes nothing and goes back to the question.
    before = stores_state(app)
    unconfirmed = client.post(f"{base(world)}/{uid}/delete")
    assert unconfirmed.status_code == 302
    assert unconfirmed.headers["Location"].endswith(f"{base(world)}/{uid}/delete")
    assert stores_state(app) == before

    assert client.post(f"{base(world)}/{uid}/delete", data={"confirm": "yes"}).status_code == 302
    assert periods(app) == []
    entries = audit_rows(app, uid)
    assert entries[-1].action == "delete"
    assert entries[-1].before["source"] == "Education Endowment Foundation grant"


def test_other_networks_period_is_404_everywhere(app, client, world):
    login(client, EMAILS["coordinatorB"])
    uid = add(client, world, "B")["uid"]
    client.post("/logout")
    login(client, EMAILS["coordinatorA"])
    before = stores_state(app)
    assert client.get(f"{base(world)}/{uid}/edit").status_code == 404
    assert client.get(f"{base(world)}/{uid}/delete").status_code == 404
    assert client.post(f"{base(world)}/{uid}/delete", data={"confirm": "yes"}).status_code == 404
    assert (
        client.post(
            f"{base(world)}/{uid}/edit", data={"source": "X", "started": "2024-09-01", "version": 1}
        ).status_code
        == 404
    )
    assert (
        client.post(f"{base(world)}/{uid}/end", data={f"end-{uid}-ended": "2025-01-01"}).status_code
        == 404
    )
    assert stores_state(app) == before
    assert "Education Endowment" not in client.get(f"{base(world)}/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["leaderA", "evaluatorA"])
def test_readers_see_but_cannot_write(app, client, world, role):
    login(client, EMAILS["coordinatorA"])
    uid = add(client, world)["uid"]
    client.post("/logout")
    login(client, EMAILS[role])
    page = client.get(f"{base(world)}/")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Education Endowment Foundation grant" in body
    assert "Add funding period" not in body and "/delete" not in body
    before = stores_state(app)
    assert client.get(f"{base(world)}/new").status_code == 403
    assert client.post(f"{base(world)}/new", data=good()).status_code == 403
    assert client.post(f"{base(world)}/{uid}/edit", data=good(version="1")).status_code == 403
    assert client.post(f"{base(world)}/{uid}/delete", data={"confirm": "yes"}).status_code == 403
    assert stores_state(app) == before
