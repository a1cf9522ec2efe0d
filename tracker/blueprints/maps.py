"""Influence maps: the page, its data as JSON and CSV, and the named-maps setting.

The three map routes read only; the browser draws the JSON with the server's coordinates.
Bad filter values answer 422 naming the field (a page, a JSON body or a text body).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from tracker import access
from tracker.extensions import db
from tracker.services import Invalid, Stale, vocab
from tracker.services import maps as maps_service
from tracker.services import networks as network_service

bp = Blueprint("maps", __name__, url_prefix="/networks/<network_uid>/maps")


@bp.get("/")
@access.in_network(*access.READERS)
def index(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    page = maps_service.build(g.scope, request.args)
    return render_template(
        "maps/index.html",
        network=network,
        scope=g.scope,
        data=page.data,
        errors=page.errors,
        filters=page.filters,
        views=list(maps_service.VIEWS),
        schools=page.schools,
        people=page.people,
        rounds=page.rounds,
        kinds=list(maps_service.KINDS),
        layers=list(vocab.LAYERS.items()),
        topics=page.topics,
        frequencies=list(vocab.FREQUENCIES.items()),
        can_configure=g.scope.role == "coordinator",
        named_maps=page.named_maps,
    ), (422 if page.errors else 200)


@bp.get("/data.json")
@access.in_network(*access.READERS)
def data(network_uid: str):  # type: ignore[no-untyped-def]
    page = maps_service.build(g.scope, request.args)
    if page.errors:
        return jsonify({"errors": page.errors, "filters": page.filters}), 422
    return jsonify(page.data)


@bp.get("/data.csv")
@access.in_network(*access.READERS)
def csv(network_uid: str):  # type: ignore[no-untyped-def]
    part = request.args.get("part", "nodes")
    page = maps_service.build(g.scope, request.args)
    errors = dict(page.errors)
    if part not in maps_service.CSV_PARTS:
        errors["part"] = "Choose one of: nodes, edges."
    if errors:
        text = "".join(f"{name}: {message}\n" for name, message in errors.items())
        return Response(text, status=422, mimetype="text/plain")
    assert page.data is not None
    name = f"map-{page.data['view']}-{page.data['at']}-{part}.csv"
    return Response(
        maps_service.to_csv(page.data, part),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/settings", methods=["GET", "POST"])
@access.in_network("coordinator")
def settings(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    errors: dict[str, str] = {}
    stale = False
    status = 200
    wanted = None
    if request.method == "POST":
        wanted = request.form.get("named_maps") == "on"
        try:
            on = maps_service.save_settings(g.scope, request.form)
        except Invalid as error:
            db.session.rollback()
            errors, status = error.errors, 422
        except Stale:
            db.session.rollback()
            stale, status = True, 409
        else:
            db.session.commit()
            flash(
                "Named maps are on: leaders see other schools' people by name on maps drawn "
                "from rounds whose consent text says so."
                if on
                else "Named maps are off: leaders see other schools' people by pseudonym.",
                "success",
            )
            return redirect(url_for("maps.settings", network_uid=network_uid))
    view = maps_service.settings_view(network_uid)
    return render_template(
        "maps/settings.html",
        network=network,
        scope=g.scope,
        settings=view,
        checked=view["named_maps"] if wanted is None else wanted,
        errors=errors,
        stale=stale,
    ), status
