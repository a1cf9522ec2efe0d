from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from tracker import access
from tracker.extensions import db
from tracker.forms import attach_errors, iso, with_dates
from tracker.forms.network import NetworkForm
from tracker.services import Invalid, Stale, audit, new_uid, today
from tracker.services import networks as network_service

bp = Blueprint("networks", __name__, url_prefix="/networks")


def _data(form: NetworkForm) -> dict:
    return {
        "name": form.name.data,
        "kind": form.kind.data,
        "started": iso(form.started.data),
        "priorities": form.priorities.data or "",
    }


@bp.route("/new", methods=["GET", "POST"])
@access.network_creator
def create():  # type: ignore[no-untyped-def]
    form = NetworkForm()
    if request.method == "GET":
        form.uid.data = new_uid()
        form.started.data = None
    if form.validate_on_submit():
        try:
            network = network_service.create(current_user, _data(form), uid=form.uid.data)
        except Invalid as exc:
            db.session.rollback()
            attach_errors(form, exc)
        else:
            flash(f"Network “{network['name']}” created. Add its schools next.", "success")
            return redirect(url_for("networks.show", network_uid=network["uid"]))
    return render_template("networks/form.html", form=form, network=None), (
        422 if form.errors or form.form_errors else 200
    )


@bp.get("/<network_uid>")
@access.in_network(*access.READERS)
def show(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    counts = network_service.listing([network_uid])
    return render_template(
        "networks/show.html",
        network=network,
        scope=g.scope,
        counts=counts[0] if counts else {"schools": 0, "people": 0},
        today=today(),
    )


@bp.route("/<network_uid>/edit", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def edit(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    initial = None
    if request.method == "GET":
        initial = with_dates(
            {**network, "priorities": "\n".join(network["priorities"] or [])}, "started"
        )
    form = NetworkForm(data=initial)
    stale = None
    if form.validate_on_submit():
        try:
            network_service.update(
                current_user, network_uid, int(form.version.data or 0), _data(form)
            )
        except Invalid as exc:
            db.session.rollback()
            attach_errors(form, exc)
        except Stale as exc:
            stale = exc
            form.version.data = exc.current["version"]
        else:
            flash("Network saved.", "success")
            return redirect(url_for("networks.show", network_uid=network_uid))
    failed = bool(form.errors or form.form_errors or stale)
    return render_template(
        "networks/form.html", form=form, network=network, stale=stale, scope=g.scope
    ), 409 if stale else (422 if failed else 200)


@bp.get("/<network_uid>/history")
@access.in_network("coordinator")
def history(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    object_uid = request.args.get("object") or None
    entries = audit.history(network_uid=network_uid, object_uid=object_uid)
    return render_template(
        "networks/history.html",
        network=network,
        entries=entries,
        scope=g.scope,
        object_uid=object_uid,
    )
