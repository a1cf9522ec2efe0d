from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from tracker import access
from tracker.blueprints.common import form_status, submit, today_field
from tracker.extensions import db
from tracker.forms import attach_errors, iso, with_dates
from tracker.forms.network import EndForm, SchoolForm
from tracker.services import Invalid, new_uid, today
from tracker.services import networks as network_service
from tracker.services import people as people_service
from tracker.services import schools as school_service

bp = Blueprint("schools", __name__, url_prefix="/networks/<network_uid>/schools")


def _data(form: SchoolForm) -> dict:
    data = {
        "name": form.name.data,
        "urn": form.urn.data,
        "phase": form.phase.data,
        "local_authority": form.local_authority.data,
        "size": form.size.data,
        "lat": float(form.lat.data) if form.lat.data is not None else None,
        "lon": float(form.lon.data) if form.lon.data is not None else None,
    }
    if getattr(form, "joined", None) is not None:
        data["joined"] = iso(form.joined.data)
    return data


@bp.get("/")
@access.in_network(*access.READERS)
def index(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    schools = school_service.listing(g.scope)
    return render_template("schools/index.html", network=network, schools=schools, scope=g.scope)


@bp.route("/new", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def create(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    form = SchoolForm()
    if request.method == "GET":
        form.uid.data = new_uid()
        form.joined.data = today_field()
    done = submit(form, lambda: school_service.add(g.scope, _data(form), uid=form.uid.data))
    if done.saved:
        school = done.value
        if school["linked"]:
            flash(
                f"URN {school['urn']} is already known as {school['name']}: that school "
                "record is now linked to this network (its details were kept).",
                "success",
            )
        else:
            flash(f"{school['name']} added to the network.", "success")
        return redirect(url_for("schools.show", network_uid=network_uid, school_uid=school["uid"]))
    return render_template(
        "schools/form.html", form=form, network=network, school=None, scope=g.scope
    ), form_status(form)


@bp.get("/<school_uid>")
@access.in_network(*access.READERS)
def show(network_uid: str, school_uid: str):  # type: ignore[no-untyped-def]
    return _show(network_uid, school_uid)


def _show(network_uid: str, school_uid: str, *, end_form: EndForm | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    """The school page; a refused "left the network" form comes back here with its errors."""
    network = network_service.get(network_uid)
    school = school_service.get(g.scope, school_uid)
    staff = people_service.listing(g.scope, school_uid=school_uid, include_left=True)
    current = [
        p for p in staff if p["current_work"] and p["current_work"]["school_uid"] == school_uid
    ]
    former = [p for p in staff if p not in current]
    end_form = end_form or EndForm(data=with_dates({"on": today()}, "on"))
    return render_template(
        "schools/show.html",
        network=network,
        school=school,
        staff=current,
        former=former,
        scope=g.scope,
        end_form=end_form,
    ), status


@bp.route("/<school_uid>/edit", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def edit(network_uid: str, school_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    school = school_service.get(g.scope, school_uid)
    form = SchoolForm(data=school if request.method == "GET" else None)
    del form.joined
    done = submit(
        form,
        lambda: school_service.update(
            g.scope, school_uid, int(form.version.data or 0), _data(form)
        ),
        versioned=True,
    )
    if done.saved:
        flash("School saved.", "success")
        return redirect(url_for("schools.show", network_uid=network_uid, school_uid=school_uid))
    return render_template(
        "schools/form.html",
        form=form,
        network=network,
        school=school,
        stale=done.stale,
        scope=g.scope,
    ), form_status(form, done.stale)


@bp.post("/<school_uid>/end")
@access.in_network(*access.WRITERS)
def end(network_uid: str, school_uid: str):  # type: ignore[no-untyped-def]
    form = EndForm()
    school = school_service.get(g.scope, school_uid)
    if form.validate_on_submit():
        try:
            school_service.end_membership(g.scope, school_uid, iso(form.on.data))
        except Invalid as exc:
            db.session.rollback()
            attach_errors(form, Invalid({"on": " ".join(exc.errors.values())}))
        else:
            flash(
                f"{school['name']} left the network on {iso(form.on.data)}. Its history is kept.",
                "success",
            )
            return redirect(url_for("schools.show", network_uid=network_uid, school_uid=school_uid))
    return _show(network_uid, school_uid, end_form=form, status=422)
