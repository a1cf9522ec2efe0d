"""Cross-school roles held for a period."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from tracker import access
from tracker.blueprints.common import confirm_page, confirmed, form_status, submit, today_field
from tracker.forms import iso, with_dates
from tracker.forms.roles import EndRoleForm, RoleForm
from tracker.services import networks as network_service
from tracker.services import new_uid, today, vocab
from tracker.services import roles as role_service

bp = Blueprint("roles", __name__, url_prefix="/networks/<network_uid>/roles")

# The service speaks the data model (from/to); the forms cannot name fields after keywords.
FIELD_NAMES = {"from": "start", "to": "end"}


def _data(form: RoleForm) -> dict:
    return {
        "person_uid": form.person_uid.data,
        "title": form.title.data,
        "custom_title": form.custom_title.data,
        "from": iso(form.start.data),
        "to": iso(form.end.data),
        "designated_by": form.designated_by.data,
        "origin": form.origin.data,
        "origin_note": form.origin_note.data,
    }


def _index(network_uid: str, *, end_forms: dict | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    """The list; a refused end form comes back here, open, with its errors."""
    network = network_service.get(network_uid)
    roles = role_service.listing(g.scope)
    end_forms = dict(end_forms or {})
    if g.scope.can_write:
        for role in roles:
            if role["to"] is None and role["uid"] not in end_forms:
                end_forms[role["uid"]] = EndRoleForm(
                    formdata=None,
                    data=with_dates({"end": today(), "version": role["version"]}, "end"),
                    prefix=f"end-{role['uid']}",
                )
    return render_template(
        "roles/index.html",
        network=network,
        scope=g.scope,
        current=[r for r in roles if r["current"]],
        ended=[r for r in roles if not r["current"]],
        end_forms=end_forms,
        origins=vocab.ORIGINS,
    ), status


@bp.get("/")
@access.in_network(*access.READERS)
def index(network_uid: str):  # type: ignore[no-untyped-def]
    return _index(network_uid)


def _render_form(network, form, role=None, stale=None):  # type: ignore[no-untyped-def]
    return render_template(
        "roles/form.html", network=network, scope=g.scope, form=form, role=role, stale=stale
    ), form_status(form, stale)


@bp.route("/new", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def create(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    form = RoleForm()
    if request.method == "GET":
        form.uid.data = new_uid()
        form.person_uid.data = request.args.get("person", "")
        form.start.data = today_field()
        form.origin.data = "design"
    form.prepare(g.scope)
    done = submit(
        form, lambda: role_service.add(g.scope, _data(form), uid=form.uid.data), names=FIELD_NAMES
    )
    if done.saved:
        role = done.value
        holder = (role["person"] or {}).get("name", "")
        flash(f"{role['title_label']} role for {holder} added.", "success")
        return redirect(url_for("roles.index", network_uid=network_uid))
    return _render_form(network, form)


@bp.route("/<role_uid>/edit", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def edit(network_uid: str, role_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    role = role_service.get(g.scope, role_uid)
    initial = None
    if request.method == "GET":
        initial = with_dates(
            {
                "version": role["version"],
                "person_uid": role["person_uid"] or "",
                "title": role_service.CUSTOM if role["custom"] else role["title"],
                "custom_title": role["title"] if role["custom"] else "",
                "start": role["from"],
                "end": role["to"],
                "designated_by": role["designated_by"] or "",
                "origin": role["origin"] or "",
                "origin_note": role["origin_note"] or "",
            },
            "start",
            "end",
        )
    form = RoleForm(data=initial)
    form.prepare(g.scope)
    done = submit(
        form,
        lambda: role_service.update(g.scope, role_uid, int(form.version.data or 0), _data(form)),
        names=FIELD_NAMES,
        versioned=True,
    )
    if done.saved:
        flash("Role saved.", "success")
        return redirect(url_for("roles.index", network_uid=network_uid))
    return _render_form(network, form, role, done.stale)


@bp.post("/<role_uid>/end")
@access.in_network(*access.WRITERS)
def end(network_uid: str, role_uid: str):  # type: ignore[no-untyped-def]
    role_service.get(g.scope, role_uid)
    form = EndRoleForm(prefix=f"end-{role_uid}")
    done = submit(
        form,
        lambda: role_service.end(
            g.scope, role_uid, int(form.version.data or 0), iso(form.end.data)
        ),
        names=FIELD_NAMES,
        stale_message=(
            "Someone else changed this role since you opened the page. Nothing was saved; "
            "check the role below and try again."
        ),
    )
    if done.saved:
        flash(f"Role recorded as ended on {iso(form.end.data)}. Its history is kept.", "success")
        return redirect(url_for("roles.index", network_uid=network_uid))
    return _index(network_uid, end_forms={role_uid: form}, status=done.status)


@bp.route("/<role_uid>/delete", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def delete(network_uid: str, role_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    role = role_service.get(g.scope, role_uid)
    holder = (role["person"] or {}).get("name", "no one")
    what = f"the {role['title_label']} role of {holder}"
    if confirmed():
        role_service.delete(g.scope, role_uid)
        flash(f"Deleted {what}.", "success")
        return redirect(url_for("roles.index", network_uid=network_uid))
    period = f"from {role['from']}" + (f" to {role['to']}" if role["to"] else " (still held)")
    return confirm_page(
        what,
        [
            f"{role['title_label']}, held by {holder} {period}, will no longer appear in the "
            "network's records or count towards its leadership.",
        ],
        url_for("roles.delete", network_uid=network_uid, role_uid=role_uid),
        url_for("roles.index", network_uid=network_uid),
        network=network,
        end_url=(
            url_for("roles.index", network_uid=network_uid) + f"#end-{role_uid}"
            if role["to"] is None
            else None
        ),
    )
