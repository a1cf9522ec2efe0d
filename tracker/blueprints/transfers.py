"""Knowledge transfer: practices shared by one school and adopted by another."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from tracker import access
from tracker.blueprints.common import confirm_page, confirmed, form_status, submit, today_field
from tracker.forms import iso, with_dates
from tracker.forms.transfers import AdoptionForm, PracticeForm
from tracker.services import networks as network_service
from tracker.services import new_uid
from tracker.services import transfers as transfer_service

bp = Blueprint("transfers", __name__, url_prefix="/networks/<network_uid>/transfers")


def _practice_data(form: PracticeForm) -> dict:
    return {
        "name": form.name.data,
        "school_uid": form.school_uid.data,
        "shared_on": iso(form.shared_on.data),
    }


def _adoption_data(form: AdoptionForm) -> dict:
    return {
        "school_uid": form.school_uid.data,
        "stage": form.stage.data,
        "date": iso(form.date.data),
        "carrier_uid": form.carrier_uid.data,
    }


def _show_url(network_uid: str, practice_uid: str) -> str:
    return url_for("transfers.show", network_uid=network_uid, practice_uid=practice_uid)


@bp.get("/")
@access.in_network(*access.READERS)
def index(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    practices = transfer_service.listing(g.scope)
    return render_template(
        "transfers/index.html",
        network=network,
        scope=g.scope,
        practices=practices,
        table=transfer_service.transfer_table(practices),
        stages=transfer_service.STAGES,
    )


@bp.route("/new", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def create(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    form = PracticeForm()
    if request.method == "GET":
        form.uid.data = new_uid()
        form.school_uid.data = request.args.get("school", "")
        form.shared_on.data = today_field()
    form.prepare(g.scope)
    done = submit(
        form,
        lambda: transfer_service.add_practice(g.scope, _practice_data(form), uid=form.uid.data),
    )
    if done.saved:
        practice = done.value
        flash(f"“{practice['name']}” recorded. Add the schools that took it up.", "success")
        return redirect(_show_url(network_uid, practice["uid"]))
    return render_template(
        "transfers/practice_form.html", form=form, network=network, practice=None, scope=g.scope
    ), form_status(form)


@bp.get("/<practice_uid>")
@access.in_network(*access.READERS)
def show(network_uid: str, practice_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    practice = transfer_service.get(g.scope, practice_uid)
    return render_template(
        "transfers/show.html",
        network=network,
        scope=g.scope,
        practice=practice,
        stages=transfer_service.STAGES,
    )


@bp.route("/<practice_uid>/edit", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def edit(network_uid: str, practice_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    practice = transfer_service.get(g.scope, practice_uid)
    initial = None
    if request.method == "GET":
        shared = practice["shared"] or {}
        initial = with_dates(
            {
                "name": practice["name"],
                "version": practice["version"],
                "school_uid": shared.get("school_uid") or "",
                "shared_on": shared.get("date"),
            },
            "shared_on",
        )
    form = PracticeForm(data=initial)
    form.prepare(g.scope)
    done = submit(
        form,
        lambda: transfer_service.update_practice(
            g.scope, practice_uid, int(form.version.data or 0), _practice_data(form)
        ),
        versioned=True,
    )
    if done.saved:
        flash("Practice saved.", "success")
        return redirect(_show_url(network_uid, practice_uid))
    return render_template(
        "transfers/practice_form.html",
        form=form,
        network=network,
        practice=practice,
        stale=done.stale,
        scope=g.scope,
    ), form_status(form, done.stale)


@bp.route("/<practice_uid>/delete", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def delete(network_uid: str, practice_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    practice = transfer_service.get(g.scope, practice_uid)
    action_url = url_for("transfers.delete", network_uid=network_uid, practice_uid=practice_uid)
    if confirmed():
        transfer_service.delete_practice(g.scope, practice_uid)
        flash(f"“{practice['name']}” deleted.", "success")
        return redirect(url_for("transfers.index", network_uid=network_uid))
    steps = len(practice["adoptions"])
    return confirm_page(
        f"“{practice['name']}”",
        [
            f"The practice, the record of who shared it and its {steps} adoption "
            f"step{'' if steps == 1 else 's'} will be removed.",
            "It will no longer count in the transfer table or the timeline.",
        ],
        action_url,
        _show_url(network_uid, practice_uid),
        network=network,
        end_url=None,
        can_end=False,
    )


@bp.route("/<practice_uid>/adoptions/new", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def add_adoption(network_uid: str, practice_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    practice = transfer_service.get(g.scope, practice_uid)
    form = AdoptionForm()
    if request.method == "GET":
        form.uid.data = new_uid()
        form.stage.data = "heard"
        form.date.data = today_field()
    form.prepare(g.scope)
    done = submit(
        form,
        lambda: transfer_service.add_adoption(
            g.scope, practice_uid, _adoption_data(form), uid=form.uid.data
        ),
    )
    if done.saved:
        flash("Adoption step recorded.", "success")
        return redirect(_show_url(network_uid, practice_uid))
    return render_template(
        "transfers/adoption_form.html",
        form=form,
        network=network,
        practice=practice,
        step=None,
        scope=g.scope,
    ), form_status(form)


@bp.route("/<practice_uid>/adoptions/<adoption_uid>/edit", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def edit_adoption(network_uid: str, practice_uid: str, adoption_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    practice, step = transfer_service.get_adoption(g.scope, practice_uid, adoption_uid)
    initial = None
    if request.method == "GET":
        initial = with_dates(
            {
                "version": practice["version"],
                "school_uid": step["school_uid"],
                "stage": step["stage"],
                "date": step["date"],
                "carrier_uid": step["carrier_uid"] or "",
            },
            "date",
        )
    form = AdoptionForm(data=initial)
    form.prepare(g.scope, carrier_name=step["carrier_name"])
    done = submit(
        form,
        lambda: transfer_service.update_adoption(
            g.scope, practice_uid, adoption_uid, int(form.version.data or 0), _adoption_data(form)
        ),
        versioned=True,
    )
    if done.saved:
        flash("Adoption step saved.", "success")
        return redirect(_show_url(network_uid, practice_uid))
    return render_template(
        "transfers/adoption_form.html",
        form=form,
        network=network,
        practice=practice,
        step=step,
        stale=done.stale,
        scope=g.scope,
    ), form_status(form, done.stale)


@bp.route("/<practice_uid>/adoptions/<adoption_uid>/delete", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def delete_adoption(network_uid: str, practice_uid: str, adoption_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    practice, step = transfer_service.get_adoption(g.scope, practice_uid, adoption_uid)
    action_url = url_for(
        "transfers.delete_adoption",
        network_uid=network_uid,
        practice_uid=practice_uid,
        adoption_uid=adoption_uid,
    )
    if confirmed():
        transfer_service.delete_adoption(g.scope, practice_uid, adoption_uid)
        flash("Adoption step deleted.", "success")
        return redirect(_show_url(network_uid, practice_uid))
    stage = transfer_service.STAGES.get(step["stage"], step["stage"]).lower()
    return confirm_page(
        "this adoption step",
        [
            f"The record that {step['school_name']} {stage} “{practice['name']}” "
            f"on {step['date']} will be removed.",
            "The practice and its other steps stay.",
        ],
        action_url,
        _show_url(network_uid, practice_uid),
        network=network,
        end_url=None,
        can_end=False,
    )
