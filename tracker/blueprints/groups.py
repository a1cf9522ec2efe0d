"""Enquiry groups: members, sessions with attendance, outcomes."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from tracker import access
from tracker.blueprints.common import (
    confirm_page,
    confirmed,
    form_status,
    submit,
    today_field,
)
from tracker.forms import iso, with_dates
from tracker.forms.groups import (
    EndGroupForm,
    EndMemberForm,
    GroupForm,
    MemberForm,
    OutcomeForm,
    SessionForm,
)
from tracker.forms.pickers import person_choices
from tracker.services import Stale, new_uid, today
from tracker.services import groups as group_service
from tracker.services import networks as network_service

bp = Blueprint("groups", __name__, url_prefix="/networks/<network_uid>/groups")


# -- groups -----------------------------------------------------------------------------------


def _priority_choices(network: dict[str, Any], current: str | None) -> list[tuple[str, str]]:
    priorities = list(network.get("priorities") or [])
    choices = [("", "None"), *((p, p) for p in priorities)]
    if current and current not in priorities:
        choices.append((current, f"{current} (no longer a network priority)"))
    return choices


def _group_data(form: GroupForm) -> dict[str, Any]:
    return {
        "question": form.question.data,
        "priority": form.priority.data,
        "levels": form.levels.data or [],
        "started": iso(form.started.data),
        "ended": iso(form.ended.data),
        "origin": form.origin.data,
        "origin_note": form.origin_note.data,
    }


@bp.get("/")
@access.in_network(*access.READERS)
def index(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    groups = group_service.listing(g.scope)
    return render_template(
        "groups/index.html",
        network=network,
        scope=g.scope,
        groups=groups,
        levels=group_service.LEVELS,
    )


@bp.route("/new", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def create(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    form = GroupForm()
    form.priority.choices = _priority_choices(network, None)
    if request.method == "GET":
        form.uid.data = new_uid()
        form.started.data = today_field()
    done = submit(form, lambda: group_service.create(g.scope, _group_data(form), uid=form.uid.data))
    if done.saved:
        flash("Enquiry group added. Add its members next.", "success")
        return redirect(
            url_for("groups.show", network_uid=network_uid, group_uid=done.value["uid"])
        )
    return render_template(
        "groups/form.html", form=form, network=network, group=None, scope=g.scope
    ), form_status(form)


@bp.get("/<group_uid>")
@access.in_network(*access.READERS)
def show(network_uid: str, group_uid: str):  # type: ignore[no-untyped-def]
    return _show(network_uid, group_uid)


def _show(
    network_uid: str,
    group_uid: str,
    *,
    member_form: MemberForm | None = None,
    end_member_form: EndMemberForm | None = None,
    end_form: EndGroupForm | None = None,
    status: int = 200,
):  # type: ignore[no-untyped-def]
    """The group page; a refused member, leaving or end form comes back here with its errors."""
    network = network_service.get(network_uid)
    group = group_service.detail(g.scope, group_uid)
    if g.scope.can_write and member_form is None:
        member_form = MemberForm(data={"uid": new_uid(), "role": "member", "start": today_field()})
    if member_form is not None:
        member_form.person_uid.choices = person_choices(g.scope)
    if g.scope.can_write and end_member_form is None:
        end_member_form = EndMemberForm(data={"left": today_field()})
    if end_member_form is not None:
        end_member_form.membership_uid.choices = [
            (m["uid"], f"{m['person']['name']} ({m['role']} since {m['from']})")
            for m in group["current_members"]
            if m["to"] is None
        ]
    return render_template(
        "groups/show.html",
        network=network,
        scope=g.scope,
        group=group,
        levels=group_service.LEVELS,
        origins=group_service.ORIGINS,
        roles=group_service.GROUP_ROLES,
        kinds=group_service.OUTCOME_KINDS,
        member_form=member_form,
        end_member_form=end_member_form,
        end_form=end_form or EndGroupForm(data={"ended": today_field()}),
        today=today(),
    ), status


@bp.route("/<group_uid>/edit", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def edit(network_uid: str, group_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    group = group_service.get(g.scope, group_uid)
    form = GroupForm(
        data=with_dates(dict(group), "started", "ended") if request.method == "GET" else None
    )
    form.priority.choices = _priority_choices(network, group.get("priority"))
    if request.method == "GET":
        form.priority.data = group.get("priority") or ""
        form.origin.data = group.get("origin") or ""
    done = submit(
        form,
        lambda: group_service.update(
            g.scope, group_uid, int(form.version.data or 0), _group_data(form)
        ),
        versioned=True,
    )
    if done.saved:
        flash("Group saved.", "success")
        return redirect(url_for("groups.show", network_uid=network_uid, group_uid=group_uid))
    return render_template(
        "groups/form.html", form=form, network=network, group=group, stale=done.stale, scope=g.scope
    ), form_status(form, done.stale)


@bp.post("/<group_uid>/end")
@access.in_network(*access.WRITERS)
def end(network_uid: str, group_uid: str):  # type: ignore[no-untyped-def]
    group_service.get(g.scope, group_uid)
    form = EndGroupForm()
    if submit(form, lambda: group_service.end(g.scope, group_uid, iso(form.ended.data))).saved:
        flash(f"Group ended on {iso(form.ended.data)}. Its record is kept.", "success")
        return redirect(url_for("groups.show", network_uid=network_uid, group_uid=group_uid))
    return _show(network_uid, group_uid, end_form=form, status=422)


@bp.route("/<group_uid>/delete", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def delete(network_uid: str, group_uid: str):  # type: ignore[no-untyped-def]
    group = group_service.detail(g.scope, group_uid)
    if confirmed():
        group_service.delete(g.scope, group_uid)
        flash("Enquiry group deleted. The history log keeps a copy of what it held.", "success")
        return redirect(url_for("groups.index", network_uid=network_uid))
    sessions, outcomes = len(group["sessions"]), len(group["outcomes"])
    members = len(group["current_members"]) + len(group["former_members"])
    return confirm_page(
        "this enquiry group",
        [
            f"“{group['question']}”",
            f"Its {sessions} session{'s' if sessions != 1 else ''} with their attendance "
            f"and its {outcomes} outcome{'s' if outcomes != 1 else ''} are deleted too.",
            f"Its {members} membership{'s' if members != 1 else ''} are removed; "
            "the people stay in the network.",
        ],
        url_for("groups.delete", network_uid=network_uid, group_uid=group_uid),
        url_for("groups.show", network_uid=network_uid, group_uid=group_uid),
        end_url=(
            url_for("groups.show", network_uid=network_uid, group_uid=group_uid) + "#end-group"
            if group["ended"] is None
            else None
        ),
        redirect_post=False,
    )


# -- members ----------------------------------------------------------------------------------


@bp.post("/<group_uid>/members")
@access.in_network(*access.WRITERS)
def add_member(network_uid: str, group_uid: str):  # type: ignore[no-untyped-def]
    group_service.get(g.scope, group_uid)
    form = MemberForm()
    form.person_uid.choices = person_choices(g.scope)
    done = submit(
        form,
        lambda: group_service.add_member(
            g.scope,
            group_uid,
            {
                "person_uid": form.person_uid.data,
                "role": form.role.data,
                "from": iso(form.start.data),
            },
            membership_uid=form.uid.data,
        ),
        names={"from": "start"},
    )
    if done.saved:
        flash("Member added.", "success")
        return redirect(url_for("groups.show", network_uid=network_uid, group_uid=group_uid))
    return _show(network_uid, group_uid, member_form=form, status=422)


@bp.post("/<group_uid>/members/end")
@access.in_network(*access.WRITERS)
def end_member(network_uid: str, group_uid: str):  # type: ignore[no-untyped-def]
    group_service.get(g.scope, group_uid)
    form = EndMemberForm()
    done = submit(
        form,
        lambda: group_service.end_member(
            g.scope, group_uid, form.membership_uid.data or "", iso(form.left.data)
        ),
        names={"to": "left"},
    )
    if done.saved:
        flash(f"Recorded as leaving the group on {iso(form.left.data)}.", "success")
        return redirect(url_for("groups.show", network_uid=network_uid, group_uid=group_uid))
    return _show(network_uid, group_uid, end_member_form=form, status=422)


# -- sessions ---------------------------------------------------------------------------------


def _session_data(form: SessionForm) -> dict[str, Any]:
    return {
        "date": iso(form.date.data),
        "note": form.note.data,
        "present": form.present.data or [],
        "guests": form.guests.data or [],
    }


def _session_page(
    network: dict[str, Any],
    group: dict[str, Any],
    form: SessionForm,
    session: dict[str, Any] | None,
    stale: Stale | None = None,
):  # type: ignore[no-untyped-def]
    members, guests = group_service.attendance_choices(
        g.scope,
        group["uid"],
        on=iso(form.date.data),
        present=form.present.data or [],
        guests=form.guests.data or [],
    )
    return render_template(
        "groups/session_form.html",
        network=network,
        scope=g.scope,
        group=group,
        session=session,
        form=form,
        stale=stale,
        member_groups=members,
        guest_groups=guests,
    ), form_status(form, stale)


@bp.route("/<group_uid>/sessions/new", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def add_session(network_uid: str, group_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    group = group_service.get(g.scope, group_uid)
    form = SessionForm()
    if request.method == "GET":
        form.uid.data = new_uid()
        form.date.data = today_field()
    done = submit(
        form,
        lambda: group_service.add_session(
            g.scope, group_uid, _session_data(form), session_uid=form.uid.data
        ),
    )
    if done.saved:
        session, count = done.value, len(done.value["attendees"])
        flash(
            f"Session on {session['date']} recorded with {count} "
            f"attendee{'s' if count != 1 else ''}.",
            "success",
        )
        return redirect(url_for("groups.show", network_uid=network_uid, group_uid=group_uid))
    return _session_page(network, group, form, None)


@bp.route("/<group_uid>/sessions/<session_uid>/edit", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def edit_session(network_uid: str, group_uid: str, session_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    group = group_service.get(g.scope, group_uid)
    session = group_service.get_session(g.scope, group_uid, session_uid)
    form = SessionForm(data=with_dates(dict(session), "date") if request.method == "GET" else None)
    if request.method == "GET":
        form.present.data, form.guests.data = group_service.split_attendance(
            g.scope, group_uid, session
        )
    done = submit(
        form,
        lambda: group_service.update_session(
            g.scope, group_uid, session_uid, int(form.version.data or 0), _session_data(form)
        ),
        versioned=True,
    )
    if done.saved:
        flash("Session saved.", "success")
        return redirect(url_for("groups.show", network_uid=network_uid, group_uid=group_uid))
    return _session_page(network, group, form, session, done.stale)


@bp.route("/<group_uid>/sessions/<session_uid>/delete", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def delete_session(network_uid: str, group_uid: str, session_uid: str):  # type: ignore[no-untyped-def]
    session = group_service.get_session(g.scope, group_uid, session_uid)
    back = url_for("groups.show", network_uid=network_uid, group_uid=group_uid)
    if confirmed():
        group_service.delete_session(g.scope, group_uid, session_uid)
        flash(f"Session on {session['date']} deleted.", "success")
        return redirect(back)
    count = len(session["attendees"])
    return confirm_page(
        f"the session on {session['date']}",
        [f"Its attendance record ({count} attendee{'s' if count != 1 else ''}) is deleted too."],
        url_for(
            "groups.delete_session",
            network_uid=network_uid,
            group_uid=group_uid,
            session_uid=session_uid,
        ),
        back,
        redirect_post=False,
        can_end=False,
    )


# -- outcomes ---------------------------------------------------------------------------------


def _outcome_data(form: OutcomeForm) -> dict[str, Any]:
    return {
        "kind": form.kind.data,
        "date": iso(form.date.data),
        "description": form.description.data,
    }


@bp.route("/<group_uid>/outcomes/new", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def add_outcome(network_uid: str, group_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    group = group_service.get(g.scope, group_uid)
    form = OutcomeForm()
    if request.method == "GET":
        form.uid.data = new_uid()
        form.date.data = today_field()
    done = submit(
        form,
        lambda: group_service.add_outcome(
            g.scope, group_uid, _outcome_data(form), outcome_uid=form.uid.data
        ),
    )
    if done.saved:
        flash("Outcome recorded.", "success")
        return redirect(url_for("groups.show", network_uid=network_uid, group_uid=group_uid))
    return render_template(
        "groups/outcome_form.html",
        network=network,
        scope=g.scope,
        group=group,
        outcome=None,
        form=form,
    ), form_status(form)


@bp.route("/<group_uid>/outcomes/<outcome_uid>/edit", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def edit_outcome(network_uid: str, group_uid: str, outcome_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    group = group_service.get(g.scope, group_uid)
    outcome = group_service.get_outcome(g.scope, group_uid, outcome_uid)
    form = OutcomeForm(data=with_dates(dict(outcome), "date") if request.method == "GET" else None)
    done = submit(
        form,
        lambda: group_service.update_outcome(
            g.scope, group_uid, outcome_uid, int(form.version.data or 0), _outcome_data(form)
        ),
        versioned=True,
    )
    if done.saved:
        flash("Outcome saved.", "success")
        return redirect(url_for("groups.show", network_uid=network_uid, group_uid=group_uid))
    return render_template(
        "groups/outcome_form.html",
        network=network,
        scope=g.scope,
        group=group,
        outcome=outcome,
        form=form,
        stale=done.stale,
    ), form_status(form, done.stale)


@bp.route("/<group_uid>/outcomes/<outcome_uid>/delete", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def delete_outcome(network_uid: str, group_uid: str, outcome_uid: str):  # type: ignore[no-untyped-def]
    outcome = group_service.get_outcome(g.scope, group_uid, outcome_uid)
    back = url_for("groups.show", network_uid=network_uid, group_uid=group_uid)
    if confirmed():
        group_service.delete_outcome(g.scope, group_uid, outcome_uid)
        flash("Outcome deleted.", "success")
        return redirect(back)
    kind = group_service.OUTCOME_KINDS.get(outcome["kind"], outcome["kind"])
    return confirm_page(
        "this outcome",
        [f"{kind}, {outcome['date']}: {outcome['description']}"],
        url_for(
            "groups.delete_outcome",
            network_uid=network_uid,
            group_uid=group_uid,
            outcome_uid=outcome_uid,
        ),
        back,
        redirect_post=False,
        can_end=False,
    )
