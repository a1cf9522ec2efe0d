"""Funding periods of a network."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from tracker import access
from tracker.blueprints.common import confirm_page, confirmed, form_status, submit, today_field
from tracker.forms import iso, with_dates
from tracker.forms.funding import EndFundingForm, FundingForm
from tracker.services import funding as funding_service
from tracker.services import networks as network_service
from tracker.services import new_uid, today

bp = Blueprint("funding", __name__, url_prefix="/networks/<network_uid>/funding")


def _data(form: FundingForm) -> dict:
    return {
        "source": form.source.data,
        "started": iso(form.started.data),
        "ended": iso(form.ended.data),
    }


def _index(network_uid: str, *, end_forms: dict | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    """The list; a refused end form comes back here, open, with its errors."""
    network = network_service.get(network_uid)
    periods = funding_service.listing(g.scope)
    end_forms = dict(end_forms or {})
    if g.scope.can_write:
        for period in periods:
            if period["ended"] is None and period["uid"] not in end_forms:
                end_forms[period["uid"]] = EndFundingForm(
                    formdata=None,
                    data=with_dates({"ended": today(), "version": period["version"]}, "ended"),
                    prefix=f"end-{period['uid']}",
                )
    return render_template(
        "funding/index.html",
        network=network,
        scope=g.scope,
        periods=periods,
        end_forms=end_forms,
    ), status


@bp.get("/")
@access.in_network(*access.READERS)
def index(network_uid: str):  # type: ignore[no-untyped-def]
    return _index(network_uid)


@bp.route("/new", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def create(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    form = FundingForm()
    if request.method == "GET":
        form.uid.data = new_uid()
        form.started.data = today_field()
    done = submit(form, lambda: funding_service.add(g.scope, _data(form), uid=form.uid.data))
    if done.saved:
        flash(f"Funding from {done.value['source']} added.", "success")
        return redirect(url_for("funding.index", network_uid=network_uid))
    return render_template(
        "funding/form.html", form=form, network=network, period=None, scope=g.scope
    ), form_status(form)


@bp.route("/<period_uid>/edit", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def edit(network_uid: str, period_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    period = funding_service.get(g.scope, period_uid)
    form = FundingForm(
        data=with_dates(period, "started", "ended") if request.method == "GET" else None
    )
    done = submit(
        form,
        lambda: funding_service.update(
            g.scope, period_uid, int(form.version.data or 0), _data(form)
        ),
        versioned=True,
    )
    if done.saved:
        flash("Funding period saved.", "success")
        return redirect(url_for("funding.index", network_uid=network_uid))
    return render_template(
        "funding/form.html",
        form=form,
        network=network,
        period=period,
        stale=done.stale,
        scope=g.scope,
    ), form_status(form, done.stale)


@bp.post("/<period_uid>/end")
@access.in_network(*access.WRITERS)
def end(network_uid: str, period_uid: str):  # type: ignore[no-untyped-def]
    funding_service.get(g.scope, period_uid)
    form = EndFundingForm(prefix=f"end-{period_uid}")
    done = submit(
        form,
        lambda: funding_service.end(
            g.scope, period_uid, int(form.version.data or 0), iso(form.ended.data)
        ),
        stale_message=(
            "Someone else changed this funding period since you opened the page. "
            "Nothing was saved; check the period below and try again."
        ),
    )
    if done.saved:
        flash(f"Funding recorded as ended on {iso(form.ended.data)}.", "success")
        return redirect(url_for("funding.index", network_uid=network_uid))
    return _index(network_uid, end_forms={period_uid: form}, status=done.status)


@bp.route("/<period_uid>/delete", methods=["GET", "POST"])
@access.in_network(*access.WRITERS)
def delete(network_uid: str, period_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    period = funding_service.get(g.scope, period_uid)
    if confirmed():
        funding_service.delete(g.scope, period_uid)
        flash(f"Funding period from {period['source']} deleted.", "success")
        return redirect(url_for("funding.index", network_uid=network_uid))
    return confirm_page(
        f"the funding period from {period['source']}",
        [
            f"{period['source']}, from {period['started']}"
            + (f" to {period['ended']}" if period["ended"] else " (still running)")
            + ", will no longer appear in the network's records.",
        ],
        url_for("funding.delete", network_uid=network_uid, period_uid=period_uid),
        url_for("funding.index", network_uid=network_uid),
        network=network,
        end_url=(
            url_for("funding.index", network_uid=network_uid) + f"#end-{period_uid}"
            if period["ended"] is None
            else None
        ),
    )
