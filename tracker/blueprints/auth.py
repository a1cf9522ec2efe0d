from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from tracker import access
from tracker.extensions import db, limiter
from tracker.forms import attach_errors
from tracker.forms.auth import LoginForm, PasswordForm
from tracker.models import User
from tracker.services import Invalid, audit
from tracker.services import tokens as token_service
from tracker.services import users as user_service

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _email_key() -> str:
    return "login:" + (request.form.get("email") or "").strip().lower()


def _safe_next(target: str | None) -> str:
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target  # browsers read /\host as //host
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
@access.public
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_email_key)
def login():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = user_service.by_email(form.email.data or "")
        if user is None:
            User.burn_verification_time(form.password.data or "")
        if user is not None and user.active and user.check_password(form.password.data or ""):
            login_user(user)
            user.last_login_at = datetime.now(UTC).replace(tzinfo=None)
            audit.record(user, "login", "user", str(user.id))
            return redirect(_safe_next(request.args.get("next")))
        # One message for every failure, so it cannot tell which emails have accounts.
        form.form_errors.append("That email and password do not match an active account.")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@access.signed_in
def logout():  # type: ignore[no-untyped-def]
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.post("/account/sign-out-everywhere")
@access.signed_in
def sign_out_everywhere():  # type: ignore[no-untyped-def]
    user_service.revoke_sessions(current_user, current_user)
    logout_user()
    flash("You are signed out on every device.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@access.signed_in
def account():  # type: ignore[no-untyped-def]
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            user_service.change_password(
                current_user, form.current_password.data or "", form.new_password.data or ""
            )
        except Invalid as exc:
            db.session.rollback()
            attach_errors(form, exc)
        else:
            login_user(current_user)  # keep this session; the others are revoked
            flash("Password changed. Other sessions have been signed out.", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)


@bp.route("/account/tokens", methods=["GET", "POST"])
@access.signed_in
def tokens():  # type: ignore[no-untyped-def]
    """API tokens for scripts: made here, shown once, revocable."""
    made, errors, status = None, {}, 200
    if request.method == "POST":
        try:
            days = int(request.form.get("days") or token_service.DEFAULT_DAYS)
        except ValueError:
            days = 0
        try:
            made, _ = token_service.create(current_user, request.form.get("name", ""), days)
        except Invalid as exc:
            db.session.rollback()
            errors, status = exc.errors, 422
        else:
            db.session.commit()
            status = 201
    return render_template(
        "auth/tokens.html",
        tokens=token_service.listing(current_user),
        made=made,
        errors=errors,
        form=request.form if errors else {},
        max_days=token_service.MAX_DAYS,
        default_days=token_service.DEFAULT_DAYS,
    ), status


@bp.post("/account/tokens/revoke")
@access.signed_in
def revoke_token():  # type: ignore[no-untyped-def]
    try:
        token_service.revoke(current_user, request.form.get("token", ""))
    except Invalid as exc:
        db.session.rollback()
        flash(exc.errors["token"], "error")
        return render_template(
            "auth/tokens.html",
            tokens=token_service.listing(current_user),
            made=None,
            errors={},
            form={},
            max_days=token_service.MAX_DAYS,
            default_days=token_service.DEFAULT_DAYS,
        ), 422
    db.session.commit()
    flash("Token revoked: scripts using it are refused from now on.", "success")
    return redirect(url_for("auth.tokens"))
