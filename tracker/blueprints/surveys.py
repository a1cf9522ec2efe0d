"""Questionnaire rounds as the network sees them: open, extend, close, links, rates, compare.

What these pages must never show is who answered. They show counts (with any breakdown
under five respondents as "fewer than 5"), link states (active, revoked, none) and the
coordinator's own actions; nothing here depends on whether a given person consented,
saved or sent anything. Leaders and evaluators may read the rounds and their rates; only
coordinators act, and only coordinators see the list of people invited.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import (
    Blueprint,
    Response,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from tracker import access
from tracker.blueprints.common import form_status, submit, today_field
from tracker.extensions import db
from tracker.forms import iso, with_dates
from tracker.forms.pickers import school_choices
from tracker.forms.survey import (
    STAFF_LAYERS,
    ExtendForm,
    IssueLinksForm,
    PersonActionForm,
    RoundForm,
    SendForm,
    VersionForm,
    WithdrawRespondentForm,
)
from tracker.services import Invalid, new_uid
from tracker.services import networks as network_service
from tracker.services import surveys as survey_service

bp = Blueprint("surveys", __name__, url_prefix="/networks/<network_uid>/surveys")

STALE = (
    "Someone else changed this round since you opened the page. Nothing was saved; "
    "check the round below and try again."
)
NO_MAIL = (
    "This server is not set up to send email (MAIL_SERVER and the other MAIL_ settings are "
    "empty), so nothing was sent. Use “Issue links and download CSV” and send the links "
    "with your own mail merge."
)


def _base_url() -> str:
    """Where the links point: this site, as the coordinator reached it."""
    return request.host_url.rstrip("/")


def _private(response: Response) -> Response:
    """Pages and files that carry links: not cached, not passed on as a referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


# --- list and new round ------------------------------------------------------------------------


@bp.get("/")
@access.in_network(*access.READERS)
def index(network_uid: str):  # type: ignore[no-untyped-def]
    rounds = survey_service.list_rounds(g.scope)
    overall = {
        r["uid"]: survey_service.response_rates(g.scope, r["uid"])["overall"] for r in rounds
    }
    return render_template(
        "surveys/index.html",
        network=network_service.get(network_uid),
        scope=g.scope,
        rounds=rounds,
        overall=overall,
    )


def _topics(form: RoundForm) -> list[str]:
    custom = [line.strip() for line in (form.custom_topics.data or "").splitlines()]
    return list(form.topics.data or []) + [line for line in custom if line]


def _round_data(form: RoundForm) -> dict[str, Any]:
    return {
        "title": form.title.data,
        "topics": _topics(form),
        "opens": iso(form.opens.data),
        "closes": iso(form.closes.data),
        "schools": list(form.schools.data or []),
        "layers": list(form.layers.data or []),
        "consent_text": form.consent_text.data,
    }


@bp.route("/new", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def create(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    form = RoundForm()
    form.topics.choices = dict(survey_service.TOPICS)
    form.schools.choices = dict(school_choices(g.scope, blank=None))
    if request.method == "GET":
        form.uid.data = new_uid()
        form.topics.data = list(survey_service.TOPICS)
        form.opens.data = today_field()
        form.closes.data = today_field() + dt.timedelta(days=21)
        form.consent_text.data = survey_service.DEFAULT_CONSENT
    done = submit(
        form,
        lambda: survey_service.open_round(g.scope, _round_data(form), uid=form.uid.data),
        names={"topics": "topics", "schools": "schools", "layers": "layers"},
    )
    if done.saved:
        flash(
            f"Round “{done.value['title']}” opened with {done.value.get('invited', 0)} "
            "people invited. Issue their links below.",
            "success",
        )
        return redirect(
            url_for("surveys.show", network_uid=network_uid, round_uid=done.value["uid"])
        )
    return render_template(
        "surveys/form.html", form=form, network=network, scope=g.scope
    ), form_status(form)


# --- one round ---------------------------------------------------------------------------------


def _show(
    network_uid: str,
    round_uid: str,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
    notice: str | None = None,
):  # type: ignore[no-untyped-def]
    """The round page; a refused action comes back here with its form and errors."""
    survey = survey_service.get_round(g.scope, round_uid)
    page: dict[str, Any] = {
        "network": network_service.get(network_uid),
        "scope": g.scope,
        "survey": survey,
        "rates": survey_service.response_rates(g.scope, round_uid),
        "notice": notice,
        "staff_layers": STAFF_LAYERS,
    }
    if g.scope.can_write:
        forms = dict(forms or {})
        version = {"version": survey["version"]}
        forms.setdefault(
            "extend",
            ExtendForm(
                formdata=None,
                data=with_dates({**version, "closes": survey["closes"]}, "closes"),
                prefix="extend",
            ),
        )
        # Close and reopen share a prefix: the page shows one of them, by the round's status.
        forms.setdefault("close", VersionForm(formdata=None, data=version, prefix="state"))
        forms.setdefault("reopen", VersionForm(formdata=None, data=version, prefix="state"))
        forms.setdefault("links", IssueLinksForm(formdata=None))
        forms.setdefault("person", PersonActionForm(formdata=None))
        forms.setdefault("send", SendForm(formdata=None))
        page.update(
            forms=forms,
            links=survey_service.link_status(g.scope, round_uid),
            invitees=survey_service.invitees(g.scope, round_uid),
            mail=survey_service.mail_configured(),
        )
    return _private(Response(render_template("surveys/show.html", **page), status=status))


@bp.get("/<round_uid>")
@access.in_network(*access.READERS)
def show(network_uid: str, round_uid: str):  # type: ignore[no-untyped-def]
    return _show(network_uid, round_uid)


def _round_action(network_uid: str, round_uid: str, name: str, form: Any, save: Any, done: str):  # type: ignore[no-untyped-def]
    """Extend, close or reopen: saved -> back to the round; refused -> the round with the form."""
    survey_service.get_round(g.scope, round_uid)
    result = submit(form, save, stale_message=STALE)
    if result.saved:
        flash(done, "success")
        return redirect(url_for("surveys.show", network_uid=network_uid, round_uid=round_uid))
    if not (form.errors or form.form_errors):
        form.form_errors.append("Nothing was saved: the form was incomplete. Try again.")
    return _show(network_uid, round_uid, forms={name: form}, status=result.status)


def _version(form: Any) -> int:
    value = str(form.version.data or "")
    return int(value) if value.isdigit() else 0


@bp.post("/<round_uid>/extend")
@access.in_network(*access.WRITERS)
def extend(network_uid: str, round_uid: str):  # type: ignore[no-untyped-def]
    form = ExtendForm(prefix="extend")
    return _round_action(
        network_uid,
        round_uid,
        "extend",
        form,
        lambda: survey_service.extend(g.scope, round_uid, iso(form.closes.data), _version(form)),
        f"The round now closes on {iso(form.closes.data)}.",
    )


@bp.post("/<round_uid>/close")
@access.in_network(*access.WRITERS)
def close(network_uid: str, round_uid: str):  # type: ignore[no-untyped-def]
    form = VersionForm(prefix="state")
    return _round_action(
        network_uid,
        round_uid,
        "close",
        form,
        lambda: survey_service.close(g.scope, round_uid, _version(form)),
        "The round is closed. Its links no longer accept answers.",
    )


@bp.post("/<round_uid>/reopen")
@access.in_network(*access.WRITERS)
def reopen(network_uid: str, round_uid: str):  # type: ignore[no-untyped-def]
    form = VersionForm(prefix="state")
    return _round_action(
        network_uid,
        round_uid,
        "reopen",
        form,
        lambda: survey_service.reopen(g.scope, round_uid, _version(form)),
        "The round is open again until its closing date.",
    )


def _filename(title: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:60] or "round"
    return f"{slug}-links.csv"


@bp.post("/<round_uid>/links")
@access.in_network(*access.WRITERS)
def issue_links(network_uid: str, round_uid: str):  # type: ignore[no-untyped-def]
    """A CSV of fresh links for a mail merge. The links exist only in this download."""
    survey = survey_service.get_round(g.scope, round_uid)
    form = IssueLinksForm()
    if not form.validate_on_submit():
        return _show(network_uid, round_uid, forms={"links": form}, status=422)
    try:
        rows = survey_service.issue_links(
            g.scope, round_uid, _base_url(), reissue=bool(form.reissue.data)
        )
    except Invalid as exc:
        db.session.rollback()
        return _show(network_uid, round_uid, status=422, notice=_message(exc))
    response = Response(survey_service.links_csv(rows), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(survey["title"])}"'
    return _private(response)


@bp.post("/<round_uid>/send")
@access.in_network(*access.WRITERS)
def send(network_uid: str, round_uid: str):  # type: ignore[no-untyped-def]
    survey_service.get_round(g.scope, round_uid)
    form = SendForm()
    reminder = form.reminder.data == "1"
    if not form.validate_on_submit():
        return _show(network_uid, round_uid, status=422)
    if not survey_service.mail_configured():
        return _show(network_uid, round_uid, status=422, notice=NO_MAIL)
    try:
        sent = survey_service.send_links(g.scope, round_uid, _base_url(), reminder=reminder)
    except Invalid as exc:
        db.session.rollback()
        return _show(network_uid, round_uid, status=422, notice=_message(exc) or NO_MAIL)
    what = "Reminders" if reminder else "Links"
    if sent.get("hidden"):
        flash(
            "Reminders sent to everyone who has not sent their answers. While fewer than five "
            "people have answered, the numbers are not shown: they would tell who has.",
            "success",
        )
    else:
        flash(
            f"{what} sent: {sent.get('sent', 0)}. No email address: "
            f"{sent.get('skipped_no_email', 0)}. Failed: {sent.get('failed', 0)}.",
            "success" if not sent.get("failed") else "error",
        )
    return redirect(url_for("surveys.show", network_uid=network_uid, round_uid=round_uid))


def _message(error: Invalid) -> str:
    return " ".join(error.errors.values())


def _invitee(round_uid: str, person_uid: str) -> dict[str, Any] | None:
    return next(
        (p for p in survey_service.invitees(g.scope, round_uid) if p["person_uid"] == person_uid),
        None,
    )


@bp.post("/<round_uid>/revoke")
@access.in_network(*access.WRITERS)
def revoke(network_uid: str, round_uid: str):  # type: ignore[no-untyped-def]
    survey_service.get_round(g.scope, round_uid)
    form = PersonActionForm()
    person = _invitee(round_uid, form.person_uid.data or "")
    if not form.validate_on_submit() or person is None:
        return _show(
            network_uid, round_uid, status=422, notice="Choose someone invited to this round."
        )
    try:
        survey_service.revoke(g.scope, round_uid, person["person_uid"])
    except Invalid as exc:
        db.session.rollback()
        return _show(network_uid, round_uid, status=422, notice=_message(exc))
    flash(f"{person['name']}'s link no longer works.", "success")
    return redirect(url_for("surveys.show", network_uid=network_uid, round_uid=round_uid))


@bp.post("/<round_uid>/reissue")
@access.in_network(*access.WRITERS)
def reissue(network_uid: str, round_uid: str):  # type: ignore[no-untyped-def]
    """A new link for one person, shown once on this page (it is not kept anywhere)."""
    survey = survey_service.get_round(g.scope, round_uid)
    form = PersonActionForm()
    person = _invitee(round_uid, form.person_uid.data or "")
    if not form.validate_on_submit() or person is None:
        return _show(
            network_uid, round_uid, status=422, notice="Choose someone invited to this round."
        )
    try:
        link = survey_service.reissue(g.scope, round_uid, person["person_uid"], _base_url())
    except Invalid as exc:
        db.session.rollback()
        return _show(network_uid, round_uid, status=422, notice=_message(exc))
    page = render_template(
        "surveys/link.html",
        network=network_service.get(network_uid),
        scope=g.scope,
        survey=survey,
        person=person,
        link=link,
    )
    return _private(Response(page))


@bp.route("/<round_uid>/withdraw", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def withdraw(network_uid: str, round_uid: str):  # type: ignore[no-untyped-def]
    """On a person's request: choose them, confirm, and their answers are deleted (audited).
    The messages are the same whether or not they had answered."""
    network = network_service.get(network_uid)
    survey = survey_service.get_round(g.scope, round_uid)
    people = survey_service.invitees(g.scope, round_uid)
    form = WithdrawRespondentForm()
    form.person_uid.choices = {
        "": "Choose a person",
        **{p["person_uid"]: f"{p['name']} ({p['school']})" for p in people},
    }
    person = None
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        person = next((p for p in people if p["person_uid"] == form.person_uid.data), None)
        if person is None:
            form.person_uid.errors = ["Choose someone invited to this round."]
            status = 422
        elif form.confirm.data == "yes":
            survey_service.withdraw_respondent(g.scope, round_uid, person["person_uid"])
            flash(
                f"{person['name']} is withdrawn from “{survey['title']}”: any answers from "
                "them are deleted and their link no longer works.",
                "success",
            )
            return redirect(url_for("surveys.show", network_uid=network_uid, round_uid=round_uid))
    elif request.method == "POST":
        status = 422
    return render_template(
        "surveys/withdraw.html",
        network=network,
        scope=g.scope,
        survey=survey,
        form=form,
        person=person,
    ), status


# --- comparing two rounds ----------------------------------------------------------------------


@bp.get("/compare")
@access.in_network(*access.READERS)
def compare(network_uid: str):  # type: ignore[no-untyped-def]
    rounds = survey_service.list_rounds(g.scope)
    known = {r["uid"] for r in rounds}
    a = request.args.get("a") or ""
    b = request.args.get("b") or ""
    result = None
    error = None
    status = 200
    if a or b:
        if a not in known or b not in known:
            error = "Choose two rounds of this network."
            status = 422
        elif a == b:
            error = "Choose two different rounds."
            status = 422
        else:
            try:
                result = survey_service.compare(g.scope, a, b)
            except Invalid as exc:
                db.session.rollback()
                error = " ".join(exc.errors.values())
                status = 422
    return render_template(
        "surveys/compare.html",
        network=network_service.get(network_uid),
        scope=g.scope,
        rounds=rounds,
        a=a,
        b=b,
        result=result,
        error=error,
    ), status
