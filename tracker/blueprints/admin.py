from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from tracker import access
from tracker.extensions import db
from tracker.forms import attach_errors
from tracker.forms.admin import GrantFields, GrantForm, UserForm
from tracker.models import Grant, User
from tracker.services import Invalid, audit
from tracker.services import networks as network_service
from tracker.services import users as user_service

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _fill_choices(form: GrantFields) -> dict[str, str]:
    networks = network_service.listing(None)
    form.network.choices = [("", "No network")] + [(n["uid"], n["name"]) for n in networks]
    pairs = network_service.schools_by_network()
    form.school.choices = [("", "No school")] + [
        (f"{p['network_uid']}/{p['school_uid']}", f"{p['network_name']} — {p['school_name']}")
        for p in pairs
    ]
    return {n["uid"]: n["name"] for n in networks}


def _grant_args(form: GrantFields) -> tuple[str, str | None, str | None]:
    """Role, network and school from the form; a school must be in the chosen network."""
    network_uid = form.network.data or None
    school_uid = None
    if form.school.data:
        school_network, _, school_uid = form.school.data.partition("/")
        if school_network != network_uid:
            raise Invalid({"school": "Choose a school in the chosen network."})
    valid = {value for value, _ in form.school.choices}
    if form.school.data and form.school.data not in valid:
        raise Invalid({"school": "Choose a school from the list."})
    if network_uid and network_uid not in {value for value, _ in form.network.choices}:
        raise Invalid({"network": "Choose a network from the list."})
    return form.role.data or "", network_uid, school_uid


@bp.get("/")
@access.admin
def users():  # type: ignore[no-untyped-def]
    accounts = list(db.session.scalars(select(User).order_by(User.email)))
    names = {n["uid"]: n["name"] for n in network_service.listing(None)}
    return render_template("admin/users.html", accounts=accounts, network_names=names)


@bp.route("/users/new", methods=["GET", "POST"])
@access.admin
def create_user():  # type: ignore[no-untyped-def]
    form = UserForm()
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            role, network_uid, school_uid = _grant_args(form)
            user = user_service.create(
                current_user,
                form.email.data or "",
                form.password.data or "",
                name=form.name.data or "",
                role=role or None,
                network_uid=network_uid,
                school_uid=school_uid,
                names_visible=bool(form.names_visible.data),
            )
        except Invalid as exc:
            db.session.rollback()
            attach_errors(form, exc)
        else:
            flash(f"Account created for {user.email}.", "success")
            return redirect(url_for("admin.user", user_id=user.id))
    return render_template("admin/user_form.html", form=form), (
        422 if form.errors or form.form_errors else 200
    )


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@access.admin
def user(user_id: int):  # type: ignore[no-untyped-def]
    account = db.session.get(User, user_id) or abort(404)
    form = GrantForm()
    names = _fill_choices(form)
    if form.validate_on_submit():
        try:
            role, network_uid, school_uid = _grant_args(form)
            user_service.add_grant(
                current_user, account, role, network_uid, school_uid, bool(form.names_visible.data)
            )
        except Invalid as exc:
            db.session.rollback()
            attach_errors(form, exc)
        else:
            flash("Grant added.", "success")
            return redirect(url_for("admin.user", user_id=user_id))
    schools = {p["school_uid"]: p["school_name"] for p in network_service.schools_by_network()}
    entries = audit.history(object_uid=str(account.id), limit=50)
    return render_template(
        "admin/user.html",
        account=account,
        form=form,
        network_names=names,
        school_names=schools,
        entries=entries,
    ), (422 if form.errors or form.form_errors else 200)


@bp.post("/grants/<int:grant_id>/remove")
@access.admin
def remove_grant(grant_id: int):  # type: ignore[no-untyped-def]
    grant = db.session.get(Grant, grant_id) or abort(404)
    user_id = grant.user_id
    user_service.remove_grant(current_user, grant)
    flash("Grant removed; that account's sessions were signed out.", "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/active")
@access.admin
def set_active(user_id: int):  # type: ignore[no-untyped-def]
    account = db.session.get(User, user_id) or abort(404)
    active = request.form.get("active") == "1"
    if account.id == current_user.id and not active:
        flash("You cannot deactivate your own account.", "error")
    else:
        user_service.set_active(current_user, account, active)
        flash("Account " + ("reactivated." if active else "deactivated and signed out."), "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/sign-out")
@access.admin
def sign_out(user_id: int):  # type: ignore[no-untyped-def]
    account = db.session.get(User, user_id) or abort(404)
    user_service.revoke_sessions(current_user, account)
    flash(f"{account.email} is signed out everywhere.", "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.get("/audit")
@access.admin
def audit_log():  # type: ignore[no-untyped-def]
    return render_template("admin/audit.html", entries=audit.history(limit=300))
