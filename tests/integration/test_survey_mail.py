"""Questionnaire links and reminders sent to a real SMTP server (aiosmtpd on 127.0.0.1).

Also the people ``email`` field the links are sent to: coordinators record and see it,
leaders and evaluators never do.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import socket
import ssl
import subprocess
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select

from tests.conftest import EMAILS, login, stores_state
from tests.helpers import coordinator_scope, field_error, refused
from tests.integration import test_surveys_service as survey_tests
from tests.integration.test_surveys_service import SurveyWorld, open_with_links
from tracker.extensions import db
from tracker.models import AuditEntry
from tracker.services import Invalid, people, surveys
from tracker.services.surveys import TokenRefused

SENDER = "questionnaire@tracker.example.org"
REFUSED = "refuse@school1.example.org"

# The survey world of the service tests: built once per module, copied for each test.
survey_template = survey_tests.survey_template
sw = survey_tests.sw


class Inbox:
    """An aiosmtpd handler that keeps what it accepts and counts connections."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.sessions = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # type: ignore[no-untyped-def]
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address == REFUSED:
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted"

    def reset(self) -> None:
        self.messages.clear()
        self.sessions = 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def mailing(app: Flask, sw: SurveyWorld, smtp: tuple[Inbox, int]) -> Inbox:
    inbox, port = smtp
    inbox.reset()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False, MAIL_FROM=SENDER)
    return inbox


def set_email(world: SurveyWorld, label: str, email: str) -> None:
    person = people.get(world.scope, world.uid(label))
    people.update(
        world.scope,
        person["uid"],
        person["version"],
        {
            "name": person["name"],
            "layer": person["layer"],
            "job_title": person["job_title"],
            "promoted": person["promoted"],
            "email": email,
        },
    )


def links_in(inbox: Inbox) -> dict[str, str]:
    """Recipient -> the token of the link in their message."""
    out = {}
    for message in inbox.messages:
        body = message.get_payload(decode=True).decode()
        [link] = re.findall(r"http://localhost/s/(\S+)", body)
        out[message["To"]] = link
    return out


def email_of(world: SurveyWorld, label: str) -> str:
    school = 1 if label.startswith("u") else 0
    return f"{label}@school{school}.example.org"


def test_without_smtp_settings_sending_is_refused(app, sw):
    uid, _ = open_with_links(sw)
    assert surveys.mail_configured() is False
    before = stores_state(app)
    with pytest.raises(Invalid) as info:
        surveys.send_links(sw.scope, uid, "http://localhost/")
    assert "not set up" in info.value.errors["mail"]
    assert stores_state(app) == before


def test_links_go_out_on_one_connection_and_each_works_for_its_person(mailing, sw, caplog):
    caplog.set_level(logging.DEBUG)
    set_email(sw, "s1", "")
    made = surveys.open_round(
        sw.scope,
        {
            "title": "Spring",
            "topics": ["curriculum"],
            "opens": dt.date.today().isoformat(),
            "closes": (dt.date.today() + dt.timedelta(days=9)).isoformat(),
        },
    )
    result = surveys.send_links(sw.scope, made["uid"], "http://localhost/")
    counts = {"sent": 17, "skipped_no_email": 1, "failed": 0, "skipped_revoked": 0}
    assert result == {**counts, "hidden": 0}
    assert mailing.sessions == 1
    tokens = links_in(mailing)
    assert len(tokens) == 17
    for label, person_uid in sw.staff.items():
        if label == "s1":
            continue
        token = tokens[email_of(sw, label)]
        assert surveys.open_invitation(token)["person"]["uid"] == person_uid
    message = mailing.messages[0]
    assert message["From"] == SENDER
    assert message["Subject"] == "Survey network staff questionnaire"
    assert surveys.link_status(sw.scope, made["uid"])["sent"] == 17
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "send_links")).all()
    assert entry.after == counts
    # What the app logs (everything but the test server's own "mail.log") has no link in it.
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name != "mail.log")
    assert "17 sent" in ours
    for token in tokens.values():
        assert token not in ours


def test_reminders_go_only_to_those_who_have_not_finished(mailing, sw):
    uid, tokens = open_with_links(sw)
    done = [sw.uid(f"t{i}") for i in range(5)]
    for person in done:
        surveys.give_consent(tokens[person])
        surveys.submit(tokens[person])
    surveys.give_consent(tokens[sw.uid("t5")])  # started, not finished: reminded
    surveys.withdraw(tokens[sw.uid("t6")])
    result = surveys.send_links(sw.scope, uid, "http://localhost/", reminder=True)
    assert result == {
        "sent": 12,
        "skipped_no_email": 0,
        "failed": 0,
        "skipped_revoked": 0,
        "hidden": 0,
    }
    reminded = links_in(mailing)
    expected = {
        email_of(sw, label)
        for label, person in sw.staff.items()
        if person not in done and label != "t6"
    }
    assert set(reminded) == expected
    assert all(m["Subject"].startswith("Reminder: ") for m in mailing.messages)
    # The reminder's link works and keeps what was answered; the finished keep their links.
    assert surveys.open_invitation(reminded[email_of(sw, "t5")])["consented"] is True
    for person in done:
        assert surveys.open_invitation(tokens[person])["submitted"] is True


def test_reminder_counts_are_hidden_while_fewer_than_five_have_answered(mailing, sw):
    uid, tokens = open_with_links(sw)
    for label in ("t0", "t1"):
        surveys.give_consent(tokens[sw.uid(label)])
        surveys.submit(tokens[sw.uid(label)])
    result = surveys.send_links(sw.scope, uid, "http://localhost/", reminder=True)
    assert result["hidden"] == 1
    assert len(links_in(mailing)) == result["sent"] == 16, "the reminders still go out"
    [entry] = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "send_reminders")
    ).all()
    assert entry.after == {"counts_hidden": True}


def test_a_refused_recipient_is_counted_and_keeps_their_link(mailing, sw):
    set_email(sw, "u1", REFUSED)
    uid, tokens = open_with_links(sw)
    result = surveys.send_links(sw.scope, uid, "http://localhost/")
    assert (result["sent"], result["failed"]) == (17, 1)
    assert surveys.open_invitation(tokens[sw.uid("u1")])["person"]["uid"] == sw.uid("u1")
    assert REFUSED not in links_in(mailing)


def test_revoked_links_are_not_sent_again(mailing, sw):
    uid, tokens = open_with_links(sw)
    surveys.revoke(sw.scope, uid, sw.uid("t0"))
    result = surveys.send_links(sw.scope, uid, "http://localhost/")
    assert (result["sent"], result["skipped_revoked"]) == (17, 1)
    with pytest.raises(TokenRefused):
        surveys.open_invitation(tokens[sw.uid("t0")])


def test_a_closed_round_sends_nothing(mailing, sw, app):
    uid, _ = open_with_links(sw)
    surveys.close(sw.scope, uid, 1)
    before = stores_state(app)
    with pytest.raises(Invalid):
        surveys.send_links(sw.scope, uid, "http://localhost/", reminder=True)
    assert stores_state(app) == before
    assert mailing.messages == []


# -- STARTTLS ----------------------------------------------------------------------------------


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1, made with the openssl command."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_smtp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Inbox, int]]:
    cert, key = self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts this test certificate
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True
    )
    controller.start()
    yield inbox, port
    controller.stop()


def test_starttls_is_used_when_configured(app, sw, tls_smtp):
    inbox, port = tls_smtp
    uid, _ = open_with_links(sw)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM=SENDER)
    app.config["MAIL_USE_TLS"] = False
    plain = surveys.send_links(sw.scope, uid, "http://localhost/")
    assert (plain["sent"], plain["failed"]) == (0, 18)  # the server insists on STARTTLS
    app.config["MAIL_USE_TLS"] = True
    secure = surveys.send_links(sw.scope, uid, "http://localhost/")
    assert (secure["sent"], secure["failed"]) == (18, 0)
    assert len(inbox.messages) == 18


# -- the email field of a person ---------------------------------------------------------------


def edit_form(person: dict[str, Any], **changes: str) -> dict[str, str]:
    return {
        "name": person["name"],
        "layer": person["layer"],
        "job_title": person["job_title"] or "",
        "version": str(person["version"]),
        **changes,
    }


def test_coordinators_record_an_email_that_leaders_and_evaluators_never_see(app, client, world):
    person = world.people["A"][0]
    base = f"/networks/{world.networks['A']['uid']}/people/{person['uid']}"
    login(client, EMAILS["coordinatorA"])
    saved = client.post(f"{base}/edit", data=edit_form(person, email="head@a-primary.example"))
    assert saved.status_code == 302, saved.get_data(as_text=True)[:1000]
    assert "head@a-primary.example" in client.get(base).get_data(as_text=True)
    assert 'value="head@a-primary.example"' in client.get(f"{base}/edit").get_data(as_text=True)
    with app.app_context():
        assert people.get(coordinator_scope(world), person["uid"])["email"] == (
            "head@a-primary.example"
        )
        logged = db.session.scalars(select(AuditEntry)).all()
        assert all("head@a-primary.example" not in str((e.before, e.after)) for e in logged)
    for role in ("leaderA", "evaluatorA"):
        client.post("/logout")
        login(client, EMAILS[role])
        for url in (base, f"/networks/{world.networks['A']['uid']}/people/"):
            page = client.get(url)
            assert page.status_code == 200
            assert "head@a-primary.example" not in page.get_data(as_text=True)


def test_a_malformed_email_is_refused(app, client, world):
    person = world.people["A"][1]
    base = f"/networks/{world.networks['A']['uid']}/people/{person['uid']}"
    login(client, EMAILS["coordinatorA"])
    page = refused(app, client, f"{base}/edit", edit_form(person, email="not an email"))
    assert "name@school" in field_error(page, "email")
