"""Learning forums, meetings, visits, workshops and joint training."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from tracker import access
from tracker.blueprints.common import confirm_page, confirmed, form_status, submit, today_field
from tracker.forms import iso, with_dates
from tracker.forms.activities import ActivityForm, attendee_groups
from tracker.services import activities as activity_service
from tracker.services import networks as network_service
from tracker.services import new_uid, vocab

bp = Blueprint("activities", __name__, url_prefix="/networks/<network_uid>/activities")


def _data(form: ActivityForm) -> dict:
    return {
        "kind": form.kind.data,
        "date": iso(form.date.data),
        "title": form.title.data,
        "host_uid": form.host_uid.data,
        "attendees": form.attendees.data or [],
        "levels": form.levels.data or [],
        "decision": form.decision.data,
        "decided_by_uid": form.decided_by_uid.data,
        "outcome": form.outcome.data,
    }


def _render_form(network, form, activity=None, stale=None):  # type: ignore[no-untyped-def]
    return render_template(
        "activities/form.html",
        network=network,
        scope=g.scope,
        form=form,
        activity=activity,
        stale=stale,
        groups=attendee_groups(g.scope, form.attendees.data),
        levels=vocab.LEVELS,
    ), form_status(form, stale)


@bp.get("/")
@access.in_network(*access.READERS)
def index(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    kind = request.args.get("kind") or ""
    if kind not in vocab.ACTIVITY_KINDS:
        kind = ""
    activities = activity_service.listing(g.scope, kind=kind or None)
    return render_template(
        "activities/index.html",
        network=network,
        scope=g.scope,
        activities=activities,
        kinds=vocab.ACTIVITY_KINDS,
        levels=vocab.LEVELS,
        kind=kind,
    )


@bp.route("/new", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def create(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    form = ActivityForm()
    if request.method == "GET":
        form.uid.data = new_uid()
        form.kind.data = request.args.get("kind") or "learning_forum"
        form.date.data = today_field()
    form.prepare(g.scope)
    done = submit(form, lambda: activity_service.add(g.scope, _data(form), uid=form.uid.data))
    if done.saved:
        activity = done.value
        flash(f"{activity['title']} on {activity['date']} recorded.", "success")
        return redirect(
            url_for("activities.show", network_uid=network_uid, activity_uid=activity["uid"])
        )
    return _render_form(network, form)


@bp.get("/<activity_uid>")
@access.in_network(*access.READERS)
def show(network_uid: str, activity_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    activity = activity_service.get(g.scope, activity_uid)
    return render_template(
        "activities/show.html",
        network=network,
        scope=g.scope,
        activity=activity,
        kinds=vocab.ACTIVITY_KINDS,
        levels=vocab.LEVELS,
    )


@bp.route("/<activity_uid>/edit", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def edit(network_uid: str, activity_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    activity = activity_service.get(g.scope, activity_uid)
    initial = None
    if request.method == "GET":
        initial = with_dates(
            {
                **activity,
                "host_uid": (activity["host"] or {}).get("uid") or "",
                "decided_by_uid": (activity["decided_by"] or {}).get("uid") or "",
                "attendees": activity["attendee_uids"],
                "decision": activity["decision"] or "",
                "outcome": activity["outcome"] or "",
            },
            "date",
        )
    form = ActivityForm(data=initial)
    form.prepare(g.scope)
    done = submit(
        form,
        lambda: activity_service.update(
            g.scope, activity_uid, int(form.version.data or 0), _data(form)
        ),
        versioned=True,
    )
    if done.saved:
        flash("Activity saved.", "success")
        return redirect(
            url_for("activities.show", network_uid=network_uid, activity_uid=activity_uid)
        )
    return _render_form(network, form, activity, done.stale)


@bp.route("/<activity_uid>/delete", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def delete(network_uid: str, activity_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    activity = activity_service.get(g.scope, activity_uid)
    if confirmed():
        activity_service.delete(g.scope, activity_uid)
        flash(f"{activity['title']} on {activity['date']} deleted.", "success")
        return redirect(url_for("activities.index", network_uid=network_uid))
    attendees = len(activity["attendees"])
    consequences = [
        f"{activity['title']} on {activity['date']} and its record of "
        f"{attendees} attendee{'' if attendees == 1 else 's'} will be removed.",
        "It will no longer count in the network's timeline.",
    ]
    if activity["decision"]:
        consequences.append("The decision recorded with it will be removed too.")
    return confirm_page(
        f"“{activity['title']}”",
        consequences,
        url_for("activities.delete", network_uid=network_uid, activity_uid=activity_uid),
        url_for("activities.show", network_uid=network_uid, activity_uid=activity_uid),
        network=network,
        end_url=None,
        can_end=False,
    )
