"""Network packages: upload with preview, import progress, export."""

from __future__ import annotations

import io
import secrets
import time
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    send_file,
    session,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired

from tracker import access, jobs
from tracker.extensions import db
from tracker.models import Job
from tracker.packages import ImportReport, PackageError, import_package
from tracker.packages.export import package_files, zip_bytes
from tracker.services import audit
from tracker.services import networks as network_service

bp = Blueprint("packages", __name__, url_prefix="/networks/<network_uid>/package")

UPLOADS_KEPT_S = 24 * 60 * 60
SESSION_KEY = "package_uploads"


class UploadForm(FlaskForm):
    package = FileField(
        "Network package (.zip)",
        description="A zip of the package's CSV files: network.csv, schools.csv, people.csv "
        "and any of the others.",
        validators=[
            FileRequired("Choose the package's .zip file."),
            FileAllowed(["zip"], "Upload a .zip file of the package's CSV files."),
        ],
    )


class ConfirmForm(FlaskForm):
    upload = HiddenField(validators=[DataRequired()])


def _uploads() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _forget_old_uploads(folder: Path) -> None:
    """Previews nobody confirmed: their files go after a day."""
    cutoff = time.time() - UPLOADS_KEPT_S
    for path in folder.glob("*.zip"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _pending() -> dict[str, dict[str, str]]:
    return dict(session.get(SESSION_KEY) or {})


def _index(network: dict[str, Any], form: UploadForm, status: int = 200):  # type: ignore[no-untyped-def]
    recent = db.session.scalars(
        db.select(Job)
        .filter_by(network_uid=network["uid"], kind="import")
        .order_by(Job.id.desc())
        .limit(10)
    ).all()
    return render_template(
        "packages/index.html", network=network, scope=g.scope, form=form, jobs=recent
    ), status


@bp.get("/")
@access.in_network(*access.WRITERS)
def index(network_uid: str):  # type: ignore[no-untyped-def]
    return _index(network_service.get(network_uid), UploadForm())


@bp.post("/upload")
@access.in_network(*access.WRITERS)
def upload(network_uid: str):  # type: ignore[no-untyped-def]
    """Check the package and show what it would change; nothing is written yet."""
    network = network_service.get(network_uid)
    form = UploadForm()
    if not form.validate_on_submit():
        return _index(network, form, 422)
    folder = _uploads()
    _forget_old_uploads(folder)
    token = secrets.token_hex(16)
    path = folder / f"{token}.zip"
    form.package.data.save(path)
    name = Path(form.package.data.filename or "package.zip").name
    try:
        report = import_package(path, network=network_uid, dry_run=True, actor=current_user)
    except PackageError as exc:
        path.unlink(missing_ok=True)
        form.package.errors = [str(exc)]
        return _index(network, form, 422)
    if not report.ok:
        path.unlink(missing_ok=True)
        return render_template(
            "packages/preview.html",
            network=network,
            scope=g.scope,
            report=report,
            name=name,
            form=UploadForm(formdata=None),
            confirm=None,
        ), 422
    pending = _pending()
    pending[token] = {"network_uid": network_uid, "name": name}
    session[SESSION_KEY] = pending
    return render_template(
        "packages/preview.html",
        network=network,
        scope=g.scope,
        report=report,
        name=name,
        form=None,
        confirm=ConfirmForm(formdata=None, upload=token),
    )


@bp.post("/confirm")
@access.in_network(*access.WRITERS)
def confirm(network_uid: str):  # type: ignore[no-untyped-def]
    """Start the import of a previewed upload as a background job."""
    network = network_service.get(network_uid)
    form = ConfirmForm()
    pending = _pending()
    token = form.upload.data if form.validate_on_submit() else None
    held = pending.get(token or "")
    path = _uploads() / f"{token}.zip" if token and token.isalnum() else None
    if held is None or held["network_uid"] != network_uid or path is None or not path.exists():
        form = UploadForm(formdata=None)
        form.package.errors = ["That upload has expired or was already imported. Upload it again."]
        return _index(network, form, 422)
    pending.pop(token)
    session[SESSION_KEY] = pending
    job = jobs.start_import(path, network_uid=network_uid, user=current_user, name=held["name"])
    return redirect(url_for("packages.job", network_uid=network_uid, job_id=job.id))


@bp.get("/jobs/<int:job_id>")
@access.in_network(*access.WRITERS)
def job(network_uid: str, job_id: int):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    found = db.session.get(Job, job_id)
    if found is None or found.network_uid != network_uid:
        abort(404)
    result = found.result or {}
    report = ImportReport.from_dict(result) if "ok" in result else None
    response = current_app.make_response(
        render_template(
            "packages/job.html",
            network=network,
            scope=g.scope,
            job=found,
            report=report,
            result=result,
        )
    )
    if not found.finished:
        response.headers["Refresh"] = "2"  # the page reloads itself until the job ends
    return response


@bp.get("/export.zip")
@access.in_network(*access.WRITERS)
def export(network_uid: str):  # type: ignore[no-untyped-def]
    network = network_service.get(network_uid)
    data = zip_bytes(package_files(network_uid))
    audit.record(
        current_user,
        "export",
        "package",
        network_uid,
        network_uid=network_uid,
        after={"format": "package", "bytes": len(data)},
    )
    slug = "".join(c if c.isalnum() else "-" for c in network["name"].lower()).strip("-")
    return send_file(
        io.BytesIO(data),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"{slug or 'network'}-package.zip",
    )
