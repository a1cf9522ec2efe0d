from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from tracker import access
from tracker.blueprints.common import form_status, submit
from tracker.forms import iso, with_dates
from tracker.forms.network import NetworkForm
from tracker.services import audit, new_uid, today
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
    done = submit(
        form, lambda: network_service.create(current_user, _data(form), uid=form.uid.data)
    )
    if done.saved:
        network = done.value
        flash(f"Network “{network['name']}” created. Add its schools next.", "success")
        return redirect(url_for("networks.show", network_uid=network["uid"]))
    return render_template("networks/form.html", form=form, network=None), form_status(form)


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
    done = submit(
        form,
        lambda: network_service.update(
            current_user, network_uid, int(form.version.data or 0), _data(form)
        ),
        versioned=True,
    )
    if done.saved:
        flash("Network saved.", "success")
        return redirect(url_for("networks.show", network_uid=network_uid))
    return render_template(
        "networks/form.html", form=form, network=network, stale=done.stale, scope=g.scope
    ), form_status(form, done.stale)


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
