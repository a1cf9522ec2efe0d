"""The staff questionnaire as a respondent sees it: no account, a personal link ``/s/<token>``.

Every page works without JavaScript and on a phone. The token is the only credential, so:
refused links get a clear page with a status that says why (404 unknown, 410 revoked, closed
or withdrawn, 409 already submitted, 403 not open yet); the pages are never cached and never
send the link onwards as a referrer; requests are rate limited per address, and refused
tokens count much more strictly, so guessing links is hopeless. Nothing is stored before
consent, and answers are never audited per person (the audit log must not say who answered).
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf import FlaskForm

from tracker import access
from tracker.extensions import db, limiter
from tracker.forms import attach_errors
from tracker.forms.survey import (
    AboutYouForm,
    ConfirmForm,
    ConsentForm,
    NominationForm,
    UnlistedForm,
)
from tracker.services import Invalid, vocab
from tracker.services import networks as network_service
from tracker.services import surveys as survey_service
from tracker.services.surveys import TokenRefused

bp = Blueprint("survey", __name__, url_prefix="/s/<token>")

# The page's status for each refusal of a link.
REFUSAL_STATUS = {
    "unknown": 404,
    "revoked": 410,
    "closed": 410,
    "withdrawn": 410,
    "submitted": 409,
    "not_open": 403,
}
REFUSAL_TITLES = {
    "unknown": "This link does not work",
    "revoked": "This link has been replaced",
    "closed": "This questionnaire has closed",
    "withdrawn": "You have withdrawn",
    "submitted": "These answers have already been sent",
    "not_open": "This questionnaire is not open yet",
}


def _limit() -> str:
    return current_app.config["SURVEY_RATE_LIMIT"]


def _refused_limit() -> str:
    return current_app.config["SURVEY_REFUSED_RATE_LIMIT"]


def _was_refused(response: Response) -> bool:
    """Only unknown links count towards the strict limit: that is what guessing produces."""
    return response.status_code == 404


def _token_view(view: Any) -> Any:
    """Public, and rate limited per address: every token page shares one generous limit for
    normal use, and one strict limit counted only on unknown links."""
    view = limiter.shared_limit(_refused_limit, scope="survey-refused", deduct_when=_was_refused)(
        view
    )
    view = limiter.shared_limit(_limit, scope="survey")(view)
    return access.public(view)


class _NeedsConsent(Exception):
    """An answer page opened (or posted to) before the person agreed to take part."""


@bp.after_request
def _private(response: Response) -> Response:
    """The URL is a credential: never cache these pages, never leak the URL as a referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.errorhandler(TokenRefused)
def _refused(exc: TokenRefused):  # type: ignore[no-untyped-def]
    db.session.rollback()
    status = REFUSAL_STATUS.get(exc.reason, 404)
    return render_template(
        "survey/refused.html",
        reason=exc.reason,
        title=REFUSAL_TITLES.get(exc.reason, "This link does not work"),
        message=exc.message,
        token=request.view_args.get("token") if request.view_args else None,
        status=status,
    ), status


@bp.errorhandler(_NeedsConsent)
def _needs_consent(exc: _NeedsConsent):  # type: ignore[no-untyped-def]
    token = (request.view_args or {}).get("token", "")
    if request.method == "GET":
        return redirect(url_for("survey.start", token=token))
    invitation = survey_service.open_invitation(token)
    form = ConsentForm(formdata=None)
    form.form_errors.append(
        "Please read this and agree to take part first. Nothing has been saved."
    )
    return render_template("survey/consent.html", inv=invitation, form=form, token=token), 422


def _invitation(token: str, *, answering: bool = True) -> dict[str, Any]:
    """The open invitation behind ``token``; with ``answering``, one that may still change
    its answers (consented, not yet submitted)."""
    invitation = survey_service.open_invitation(token)
    if answering:
        if invitation.get("submitted"):
            raise TokenRefused(
                "submitted",
                "The answers from this link have already been sent, so they cannot be changed.",
            )
        if not invitation.get("consented"):
            raise _NeedsConsent
    return invitation


def _status(form: FlaskForm) -> int:
    return 422 if (form.errors or form.form_errors) else 200


def _number(value: Any) -> Any:
    """A whole number from a radio button; anything else goes to the service as sent, so its
    message (not a conversion error) is what the person reads."""
    text = str(value or "").strip()
    if text.lstrip("-").isdigit():
        return int(text)
    return text or None


def _try(form: FlaskForm, save: Any) -> bool:
    """Run ``save``; a refusal is rolled back and shown on the form."""
    try:
        save()
    except Invalid as exc:
        db.session.rollback()
        attach_errors(form, exc)
        return False
    return True


def _topic_choices(invitation: dict[str, Any]) -> dict[str, str]:
    return {t["id"]: t["label"] for t in invitation["round"]["topics"]}


def _progress(token: str) -> dict[str, Any]:
    held = survey_service.answers(token)
    me = held.get("self") or {}
    return {
        "answers": held,
        "nominated": len(held.get("nominations") or []),
        "unlisted": len(held.get("unlisted") or []),
        "about_you": any(me.get(k) not in (None, "", []) for k in me),
    }


# --- consent and the start page ---------------------------------------------------------------


@bp.route("", methods=["GET", "POST"])
@_token_view
def start(token: str):  # type: ignore[no-untyped-def]
    """Consent first; afterwards the same link opens a page that shows how far they got."""
    invitation = survey_service.open_invitation(token)
    if invitation.get("submitted"):
        if request.method == "POST":
            raise TokenRefused("submitted", "Your answers have already been sent.")
        return render_template("survey/done.html", inv=invitation, token=token)
    if invitation.get("consented"):
        if request.method == "POST":
            return redirect(url_for("survey.colleagues", token=token))
        return render_template("survey/start.html", inv=invitation, token=token, **_progress(token))
    form = ConsentForm()
    if form.validate_on_submit():
        survey_service.give_consent(token)
        return redirect(url_for("survey.colleagues", token=token))
    return render_template("survey/consent.html", inv=invitation, form=form, token=token), _status(
        form
    )


# --- colleagues -------------------------------------------------------------------------------


@bp.get("/colleagues")
@_token_view
def colleagues(token: str):  # type: ignore[no-untyped-def]
    """Search by name, filter by school, then "Add" opens that colleague's short form."""
    invitation = _invitation(token)
    q = (request.args.get("q") or "").strip()[:100]
    school = (request.args.get("school") or "").strip()[:64]
    found = survey_service.nominee_choices(token, q, school)
    held = survey_service.answers(token)
    chosen = {n["nominee_uid"] for n in held["nominations"]}
    network_uid = invitation["network"]["uid"]
    return render_template(
        "survey/colleagues.html",
        inv=invitation,
        token=token,
        q=q,
        school=school,
        people=found,
        schools=_schools(network_uid),
        capped=bool(getattr(found, "truncated", False)),
        searched=bool(q or school),
        nominations=held["nominations"],
        chosen=chosen,
        limit=survey_service.MAX_NOMINATIONS,
        frequencies=vocab.FREQUENCIES,
        topics=_topic_choices(invitation),
    )


def _schools(network_uid: str) -> list[dict[str, str]]:
    """The network's schools for the filter, by name (a network's people span several)."""
    seen: dict[str, str] = {}
    for row in network_service.schools_by_network():
        if row["network_uid"] == network_uid:
            seen.setdefault(row["school_uid"], row["school_name"])
    return [
        {"uid": uid, "name": name}
        for uid, name in sorted(seen.items(), key=lambda item: item[1].casefold())
    ]


def _nominee(token: str, nominee_uid: str, held: dict[str, Any]) -> dict[str, Any] | None:
    """The colleague as the form shows them: from the answers, else from the people the
    person may choose (None when they are not one of them)."""
    for nomination in held["nominations"]:
        if nomination["nominee_uid"] == nominee_uid:
            return {"uid": nominee_uid, "name": nomination["name"], "school": nomination["school"]}
    found = survey_service.nominee_choices(token)
    people = list(found)
    if getattr(found, "truncated", False):
        # A large network: the full list is cut short, so look school by school.
        network_uid = survey_service.open_invitation(token)["network"]["uid"]
        for school in _schools(network_uid):
            people.extend(survey_service.nominee_choices(token, "", school["uid"]))
    person = next((p for p in people if p["uid"] == nominee_uid), None)
    if person is None:
        return None
    return {"uid": nominee_uid, "name": person["name"], "school": person.get("school") or ""}


@bp.route("/colleagues/<nominee_uid>", methods=["GET", "POST"])
@_token_view
def colleague(token: str, nominee_uid: str):  # type: ignore[no-untyped-def]
    invitation = _invitation(token)
    held = survey_service.answers(token)
    existing = next((n for n in held["nominations"] if n["nominee_uid"] == nominee_uid), None)
    person = _nominee(token, nominee_uid, held)
    form = NominationForm(data=_nomination_data(existing) if request.method == "GET" else None)
    form.topics.choices = _topic_choices(invitation)
    if person is None and request.method == "GET":
        return render_template("survey/not_a_colleague.html", inv=invitation, token=token), 404
    if form.validate_on_submit():
        data = {
            "nominee_uid": nominee_uid,
            "topics": form.topics.data or [],
            "frequency": form.frequency.data,
            "influence": _number(form.influence.data),
        }
        replace = form.replace.data == "1"
        if _try(form, lambda: survey_service.save_nomination(token, data, replace=replace)):
            name = person["name"] if person else "your colleague"
            flash(f"Saved: {name}.", "success")
            return redirect(url_for("survey.colleagues", token=token))
    return render_template(
        "survey/colleague.html",
        inv=invitation,
        token=token,
        form=form,
        person=person or {"uid": nominee_uid, "name": "This person", "school": ""},
        existing=existing,
    ), _status(form)


def _nomination_data(existing: dict[str, Any] | None) -> dict[str, Any] | None:
    if existing is None:
        return None
    return {
        "replace": "1",
        "topics": existing.get("topics") or [],
        "frequency": existing.get("frequency"),
        "influence": str(existing.get("influence") or ""),
    }


@bp.route("/colleagues/<nominee_uid>/remove", methods=["GET", "POST"])
@_token_view
def remove(token: str, nominee_uid: str):  # type: ignore[no-untyped-def]
    """GET asks; POST removes that colleague and every tie to them from these answers."""
    invitation = _invitation(token)
    held = survey_service.answers(token)
    existing = next((n for n in held["nominations"] if n["nominee_uid"] == nominee_uid), None)
    form = ConfirmForm()
    if existing is None:
        # Already removed (a second tap, or the back button): nothing to do.
        flash("That person is not among your colleagues, so nothing was removed.", "info")
        return redirect(url_for("survey.colleagues", token=token))
    if form.validate_on_submit():
        survey_service.remove_nomination(token, nominee_uid)
        flash(f"Removed {existing['name']} from your answers.", "success")
        return redirect(url_for("survey.colleagues", token=token))
    return render_template(
        "survey/remove.html", inv=invitation, token=token, form=form, nomination=existing
    )


# --- someone not listed -----------------------------------------------------------------------


@bp.route("/unlisted", methods=["GET", "POST"])
@_token_view
def unlisted(token: str):  # type: ignore[no-untyped-def]
    invitation = _invitation(token)
    form = UnlistedForm()
    form.topics.choices = _topic_choices(invitation)
    if form.validate_on_submit():
        data = {
            "text": form.text.data,
            "topics": form.topics.data or [],
            "frequency": form.frequency.data,
            "influence": _number(form.influence.data),
        }
        if _try(form, lambda: survey_service.save_unlisted(token, data)):
            flash("Saved.", "success")
            return redirect(url_for("survey.unlisted", token=token))
    held = survey_service.answers(token)
    return render_template(
        "survey/unlisted.html",
        inv=invitation,
        token=token,
        form=form,
        entries=held.get("unlisted") or [],
        remove_form=ConfirmForm(formdata=None),
        frequencies=vocab.FREQUENCIES,
        topics=_topic_choices(invitation),
    ), _status(form)


@bp.post("/unlisted/remove")
@_token_view
def remove_unlisted(token: str):  # type: ignore[no-untyped-def]
    _invitation(token)
    form = ConfirmForm()
    entry = str(request.form.get("id") or "")
    if not form.validate_on_submit() or not entry.isdigit():
        return redirect(url_for("survey.unlisted", token=token))
    try:
        survey_service.remove_unlisted(token, int(entry))
    except Invalid:
        db.session.rollback()
        flash("That entry was not found; nothing was removed.", "error")
    else:
        flash("Removed.", "success")
    return redirect(url_for("survey.unlisted", token=token))


# --- about you --------------------------------------------------------------------------------


@bp.route("/about-you", methods=["GET", "POST"])
@_token_view
def about_you(token: str):  # type: ignore[no-untyped-def]
    invitation = _invitation(token)
    if request.method == "GET":
        me = dict(survey_service.answers(token).get("self") or {})
        if me.get("trust_other_schools") is not None:
            me["trust_other_schools"] = str(me["trust_other_schools"])
        form = AboutYouForm(data=me)
    else:
        form = AboutYouForm()
    if form.validate_on_submit():
        data = {
            "leader_in_school": form.leader_in_school.data,
            "leader_in_network": form.leader_in_network.data,
            "trust_other_schools": _number(form.trust_other_schools.data),
            "levels": form.levels.data or [],
        }
        if _try(form, lambda: survey_service.save_self(token, data)):
            flash("Saved.", "success")
            return redirect(url_for("survey.review", token=token))
    return render_template(
        "survey/about_you.html", inv=invitation, token=token, form=form
    ), _status(form)


# --- review, submit, withdraw -----------------------------------------------------------------


@bp.get("/review")
@_token_view
def review(token: str):  # type: ignore[no-untyped-def]
    invitation = _invitation(token)
    return render_template(
        "survey/review.html",
        inv=invitation,
        token=token,
        form=ConfirmForm(formdata=None),
        frequencies=vocab.FREQUENCIES,
        topics=_topic_choices(invitation),
        answer_labels={"yes": "Yes", "no": "No", "unsure": "Unsure"},
        levels=vocab.LEVELS,
        **_progress(token),
    )


@bp.post("/submit")
@_token_view
def submit(token: str):  # type: ignore[no-untyped-def]
    _invitation(token)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("survey.review", token=token))
    try:
        survey_service.submit(token)
    except Invalid as exc:
        db.session.rollback()
        for message in exc.errors.values():
            flash(message, "error")
        return redirect(url_for("survey.review", token=token))
    return redirect(url_for("survey.start", token=token))


@bp.route("/withdraw", methods=["GET", "POST"])
@_token_view
def withdraw(token: str):  # type: ignore[no-untyped-def]
    """At any time, even after sending: deletes every answer from this link, everywhere."""
    invitation = _invitation(token, answering=False)
    form = ConfirmForm()
    if form.validate_on_submit() and form.confirm.data == "yes":
        survey_service.withdraw(token)
        return render_template("survey/withdrawn.html", inv=invitation)
    return render_template("survey/withdraw.html", inv=invitation, token=token, form=form)
