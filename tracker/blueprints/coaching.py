"""Co-coaching pairs, their sessions, and who trained whom (the cascade)."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from tracker import access
from tracker.blueprints.common import confirm_page, confirmed, form_status, submit, today_field
from tracker.extensions import db
from tracker.forms import iso, with_dates
from tracker.forms.coaching import (
    PRACTICE_LIST,
    EndPairForm,
    PairForm,
    RemoveSessionForm,
    SessionForm,
    TrainingForm,
)
from tracker.graph.store import NotFound
from tracker.services import Invalid, Stale, new_uid
from tracker.services import coaching as coaching_service
from tracker.services import networks as network_service

bp = Blueprint("coaching", __name__, url_prefix="/networks/<network_uid>/coaching")

KINDS = {"across": "across schools", "within": "within a school"}


def _pair_data(form: PairForm) -> dict:
    return {
        "person_a": form.person_a.data,
        "person_b": form.person_b.data,
        "practice": form.practice.data,
        "started": iso(form.started.data),
        "ended": iso(form.ended.data),
    }


def _pair_page(network_uid: str, pair_uid: str):  # type: ignore[no-untyped-def]
    return url_for("coaching.show", network_uid=network_uid, pair_uid=pair_uid)


@bp.get("/")
@access.in_network(*access.READERS)
def index(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    pairs = coaching_service.list_pairs(g.scope)
    return render_template(
        "coaching/index.html",
        network=network,
        scope=g.scope,
        pairs=pairs,
        kinds=KINDS,
        cascades=coaching_service.cascade_summaries(g.scope),
        trainings=coaching_service.list_training(g.scope),
    )


def _render_pair_form(network, form, pair=None, stale=None):  # type: ignore[no-untyped-def]
    return render_template(
        "coaching/form.html",
        network=network,
        scope=g.scope,
        form=form,
        pair=pair,
        stale=stale,
        practices=coaching_service.practices(g.scope),
        practice_list=PRACTICE_LIST,
    ), form_status(form, stale)


@bp.route("/new", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def create(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    form = PairForm()
    if request.method == "GET":
        form.uid.data = new_uid()
        form.started.data = today_field()
        form.practice.data = request.args.get("practice", "")
    form.prepare(g.scope)
    done = submit(
        form, lambda: coaching_service.add_pair(g.scope, _pair_data(form), uid=form.uid.data)
    )
    if done.saved:
        names = " and ".join(p["name"] for p in done.value["people"])
        flash(f"Pair {names} added.", "success")
        return redirect(_pair_page(network_uid, done.value["uid"]))
    return _render_pair_form(network, form)


@bp.get("/<pair_uid>")
@access.in_network(*access.READERS)
def show(network_uid: str, pair_uid: str):  # type: ignore[no-untyped-def]
    return _show(network_uid, pair_uid)


def _show(
    network_uid: str,
    pair_uid: str,
    *,
    session_form: SessionForm | None = None,
    end_form: EndPairForm | None = None,
    status: int = 200,
):  # type: ignore[no-untyped-def]
    """The pair's page; a refused session or end form comes back here with its errors."""
    network = network_service.get(network_uid)
    pair = coaching_service.get_pair(g.scope, pair_uid)
    if session_form is None:
        session_form = SessionForm(formdata=None, data={"date": today_field()})
    if end_form is None:
        end_form = EndPairForm(
            formdata=None, data={"ended": today_field(), "version": pair["version"]}
        )
    return render_template(
        "coaching/show.html",
        network=network,
        scope=g.scope,
        pair=pair,
        kinds=KINDS,
        session_form=session_form,
        end_form=end_form,
    ), status


@bp.route("/<pair_uid>/edit", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def edit(network_uid: str, pair_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    pair = coaching_service.get_pair(g.scope, pair_uid)
    initial = None
    if request.method == "GET":
        people = pair["person_uids"] + ["", ""]
        initial = with_dates(
            {**pair, "person_a": people[0], "person_b": people[1]}, "started", "ended"
        )
    form = PairForm(data=initial)
    form.prepare(g.scope)
    done = submit(
        form,
        lambda: coaching_service.update_pair(
            g.scope, pair_uid, int(form.version.data or 0), _pair_data(form)
        ),
        versioned=True,
    )
    if done.saved:
        flash("Pair saved.", "success")
        return redirect(_pair_page(network_uid, pair_uid))
    return _render_pair_form(network, form, pair, done.stale)


@bp.post("/<pair_uid>/sessions")
@access.in_network(*access.WRITERS)
def log_session(network_uid: str, pair_uid: str):  # type: ignore[no-untyped-def]
    coaching_service.get_pair(g.scope, pair_uid)
    form = SessionForm()
    done = submit(
        form,
        lambda: coaching_service.log_session(g.scope, pair_uid, iso(form.date.data)),
        stale_message=(
            "The pair kept changing while the session was being logged. Nothing was saved; "
            "try again."
        ),
    )
    if done.saved:
        day, (_, added) = iso(form.date.data), done.value
        if added:
            flash(f"Session on {day} logged.", "success")
        else:
            flash(f"A session on {day} was already logged; nothing changed.", "info")
        return redirect(_pair_page(network_uid, pair_uid))
    return _show(network_uid, pair_uid, session_form=form, status=done.status)


@bp.post("/<pair_uid>/sessions/remove")
@access.in_network(*access.WRITERS)
def remove_session(network_uid: str, pair_uid: str):  # type: ignore[no-untyped-def]
    coaching_service.get_pair(g.scope, pair_uid)
    form = RemoveSessionForm()
    session_form = SessionForm(formdata=None, data={"date": today_field()})
    if form.validate_on_submit():
        try:
            _, removed = coaching_service.remove_session(g.scope, pair_uid, form.date.data)
        except Invalid as exc:
            db.session.rollback()
            session_form.form_errors.extend(exc.errors.values())
        except Stale:
            session_form.form_errors.append(
                "The pair kept changing while the session was being removed. Nothing was "
                "saved; try again."
            )
            return _show(network_uid, pair_uid, session_form=session_form, status=409)
        else:
            if removed:
                flash(f"Session on {form.date.data} removed.", "success")
            else:
                flash(f"No session on {form.date.data} was logged; nothing changed.", "info")
            return redirect(_pair_page(network_uid, pair_uid))
    else:
        session_form.form_errors.append("Say which session to remove.")
    return _show(network_uid, pair_uid, session_form=session_form, status=422)


@bp.post("/<pair_uid>/end")
@access.in_network(*access.WRITERS)
def end(network_uid: str, pair_uid: str):  # type: ignore[no-untyped-def]
    coaching_service.get_pair(g.scope, pair_uid)
    form = EndPairForm()
    done = submit(
        form,
        lambda: coaching_service.end_pair(
            g.scope, pair_uid, int(form.version.data or 0), iso(form.ended.data)
        ),
        stale_message=(
            "Someone else changed this pair since you opened the page. Nothing was saved; "
            "check the pair below and try again."
        ),
    )
    if done.saved:
        flash(f"Pair recorded as ended on {iso(form.ended.data)}. Its history is kept.", "success")
        return redirect(_pair_page(network_uid, pair_uid))
    return _show(network_uid, pair_uid, end_form=form, status=done.status)


@bp.route("/<pair_uid>/delete", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def delete(network_uid: str, pair_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    pair = coaching_service.get_pair(g.scope, pair_uid)
    names = " and ".join(p["name"] for p in pair["people"])
    if confirmed():
        coaching_service.delete_pair(g.scope, pair_uid)
        flash(f"Pair {names} deleted.", "success")
        return redirect(url_for("coaching.index", network_uid=network_uid))
    count = pair["session_count"]
    return confirm_page(
        f"the pair {names}",
        [
            f"The pair coaching {pair['practice']} since {pair['started']} and its "
            f"{count} logged session{'' if count == 1 else 's'} will be removed.",
            "Training records (who trained whom) are kept: they are separate.",
        ],
        url_for("coaching.delete", network_uid=network_uid, pair_uid=pair_uid),
        _pair_page(network_uid, pair_uid),
        network=network,
        end_url=(_pair_page(network_uid, pair_uid) + "#end") if pair["ended"] is None else None,
    )


# -- training -------------------------------------------------------------------------------


@bp.route("/training/new", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def create_training(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    form = TrainingForm()
    if request.method == "GET":
        form.uid.data = new_uid()
        form.date.data = today_field()
        form.practice.data = request.args.get("practice", "")
        form.trainer_uid.data = request.args.get("trainer", "")
    form.prepare(g.scope)
    done = submit(
        form,
        lambda: coaching_service.add_training(
            g.scope,
            {
                "trainer_uid": form.trainer_uid.data,
                "trainee_uid": form.trainee_uid.data,
                "practice": form.practice.data,
                "date": iso(form.date.data),
            },
            uid=form.uid.data,
        ),
    )
    if done.saved:
        training = done.value
        flash(
            f"{training['trainer']['name']} trained {training['trainee']['name']} "
            f"in {training['practice']}.",
            "success",
        )
        if request.form.get("another"):
            return redirect(
                url_for(
                    "coaching.create_training",
                    network_uid=network_uid,
                    practice=training["practice"],
                    trainer=training["trainer_uid"],
                )
            )
        return redirect(
            url_for("coaching.cascade", network_uid=network_uid, practice=training["practice"])
        )
    return render_template(
        "coaching/training_form.html",
        network=network,
        scope=g.scope,
        form=form,
        practices=coaching_service.practices(g.scope),
        practice_list=PRACTICE_LIST,
    ), form_status(form)


@bp.route("/training/<training_uid>/delete", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def delete_training(network_uid: str, training_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    training = coaching_service.get_training(g.scope, training_uid)
    what = f"{training['trainer']['name']} trained {training['trainee']['name']}"
    cascade_url = url_for(
        "coaching.cascade", network_uid=network_uid, practice=training["practice"]
    )
    if confirmed():
        coaching_service.delete_training(g.scope, training_uid)
        flash(f"Training record “{what}” deleted.", "success")
        return redirect(cascade_url)
    return confirm_page(
        f"the training record “{what}”",
        [
            f"The record that {what} in {training['practice']} on {training['date']} "
            "will be removed.",
            f"The {training['practice']} cascade will be drawn without it: anyone trained "
            "only through this record moves up to start a branch of their own.",
        ],
        url_for("coaching.delete_training", network_uid=network_uid, training_uid=training_uid),
        cascade_url,
        network=network,
        end_url=None,
        can_end=False,
    )


@bp.get("/cascade")
@access.in_network(*access.READERS)
def cascade(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    practice = " ".join((request.args.get("practice") or "").split())
    if not practice:
        # No practice named: the list of cascades to choose from.
        return render_template(
            "coaching/cascade.html",
            network=network,
            scope=g.scope,
            tree=None,
            cascades=coaching_service.cascade_summaries(g.scope),
        )
    tree = coaching_service.cascade(g.scope, practice)
    if not tree["records"] and not tree["pairs"]:
        raise NotFound(f"practice {practice}")
    return render_template(
        "coaching/cascade.html",
        network=network,
        scope=g.scope,
        tree=tree,
        kinds=KINDS,
    )
