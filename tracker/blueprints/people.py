from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from tracker import access
from tracker.blueprints.common import form_status, submit, today_field
from tracker.forms import iso, with_dates
from tracker.forms.network import EndForm, MoveForm, PersonForm
from tracker.services import networks as network_service
from tracker.services import new_uid, today
from tracker.services import people as people_service
from tracker.services import roles as role_service
from tracker.services import schools as school_service

bp = Blueprint("people", __name__, url_prefix="/networks/<network_uid>/people")


def _school_choices(include_none: bool = True) -> list[tuple[str, str]]:
    current = [s for s in school_service.listing(g.scope) if s["current"]]
    choices = [(s["uid"], s["name"]) for s in current]
    return (
        [("", "No school (pupil, parent, governor or external)")] if include_none else []
    ) + choices


def _data(form: PersonForm) -> dict:
    return {
        "name": form.name.data,
        "layer": form.layer.data,
        "job_title": form.job_title.data,
        "promoted": form.promoted.data,
        "email": form.email.data,
        "school_uid": form.school_uid.data,
        "from": iso(form.start.data),
        "to": iso(form.end.data),
    }


@bp.get("/")
@access.in_network(*access.READERS)
def index(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    include_left = request.args.get("include_left") == "1"
    people = people_service.listing(g.scope, include_left=include_left)
    layer = request.args.get("layer") or ""
    if layer:
        people = [p for p in people if p["layer"] == layer]
    search = (request.args.get("q") or "").strip().lower()
    if search:
        people = [
            p
            for p in people
            if search in p["name"].lower()
            or search in ((p["current_work"] or {}).get("school_name") or "").lower()
        ]
    return render_template(
        "people/index.html",
        network=network,
        people=people,
        scope=g.scope,
        layers=people_service.LAYERS,
        layer=layer,
        q=search,
        include_left=include_left,
    )


@bp.route("/new", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def create(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    form = PersonForm()
    form.school_uid.choices = _school_choices()
    if request.method == "GET":
        form.uid.data = new_uid()
        form.layer.data = "teacher"
        form.school_uid.data = request.args.get("school", "")
        form.start.data = today_field()
    done = submit(
        form,
        lambda: people_service.add(g.scope, _data(form), uid=form.uid.data),
        names={"from": "start", "to": "end"},
    )
    if done.saved:
        person = done.value
        flash(f"{person['name']} added.", "success")
        return redirect(url_for("people.show", network_uid=network_uid, person_uid=person["uid"]))
    return render_template(
        "people/form.html", form=form, network=network, person=None, scope=g.scope
    ), form_status(form)


@bp.get("/<person_uid>")
@access.in_network(*access.READERS)
def show(network_uid: str, person_uid: str):  # type: ignore[no-untyped-def]
    return _show(network_uid, person_uid)


def _show(
    network_uid: str,
    person_uid: str,
    *,
    end_form: EndForm | None = None,
    move_form: MoveForm | None = None,
    status: int = 200,
):  # type: ignore[no-untyped-def]
    """The person page; a refused end or move form comes back here with its errors."""
    network = network_service.get(network_uid)
    person = people_service.get(g.scope, person_uid)
    end_form = end_form or EndForm(data=with_dates({"on": today()}, "on"))
    if move_form is None:
        move_form = MoveForm(data=with_dates({"on": today(), "uid": new_uid()}, "on"))
        move_form.school_uid.choices = _school_choices(include_none=False)
    return render_template(
        "people/show.html",
        network=network,
        person=person,
        scope=g.scope,
        end_form=end_form,
        move_form=move_form,
        layers=people_service.LAYERS,
        roles=role_service.for_person(g.scope, person_uid),
    ), status


@bp.route("/<person_uid>/edit", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def edit(network_uid: str, person_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    person = people_service.get(g.scope, person_uid)
    form = PersonForm(data=person if request.method == "GET" else None)
    for field in ("school_uid", "start", "end"):
        delattr(form, field)
    done = submit(
        form,
        lambda: people_service.update(
            g.scope,
            person_uid,
            int(form.version.data or 0),
            {
                "name": form.name.data,
                "layer": form.layer.data,
                "job_title": form.job_title.data,
                "promoted": form.promoted.data,
                "email": form.email.data,
            },
        ),
        versioned=True,
    )
    if done.saved:
        flash("Saved.", "success")
        return redirect(url_for("people.show", network_uid=network_uid, person_uid=person_uid))
    return render_template(
        "people/form.html",
        form=form,
        network=network,
        person=person,
        stale=done.stale,
        scope=g.scope,
    ), form_status(form, done.stale)


@bp.post("/<person_uid>/end")
@access.in_network(*access.WRITERS)
def end(network_uid: str, person_uid: str):  # type: ignore[no-untyped-def]
    form = EndForm()
    people_service.get(g.scope, person_uid)
    done = submit(
        form,
        lambda: people_service.end_work(g.scope, person_uid, iso(form.on.data)),
        names={"to": "on"},
    )
    if done.saved:
        flash(f"Recorded as leaving on {iso(form.on.data)}. The history is kept.", "success")
        return redirect(url_for("people.show", network_uid=network_uid, person_uid=person_uid))
    return _show(network_uid, person_uid, end_form=form, status=422)


@bp.post("/<person_uid>/move")
@access.in_network(*access.WRITERS)
def move(network_uid: str, person_uid: str):  # type: ignore[no-untyped-def]
    form = MoveForm()
    form.school_uid.choices = _school_choices(include_none=False)
    people_service.get(g.scope, person_uid)
    done = submit(
        form,
        lambda: people_service.move(
            g.scope, person_uid, form.school_uid.data, iso(form.on.data), works_uid=form.uid.data
        ),
        names={"from": "on"},
    )
    if done.saved:
        flash(f"Moved on {iso(form.on.data)}. Both periods are kept.", "success")
        return redirect(url_for("people.show", network_uid=network_uid, person_uid=person_uid))
    return _show(network_uid, person_uid, move_form=form, status=422)
