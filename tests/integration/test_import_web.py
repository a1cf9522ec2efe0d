"""The import page: upload, preview (counts or every problem), confirm, the job page, export."""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import EMAILS, PASSWORD, World, login, stores_state
from tests.integration.test_import import FULL, changed, nodes_of
from tracker import jobs
from tracker.extensions import db
from tracker.models import AuditEntry, Job, User


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def for_network(name: str) -> dict[str, str]:
    """The full package, naming an existing network so that importing does not rename it."""
    return changed(FULL, "network.csv", "Northshore Learning Network", name)


def base(world: World | Site, key: str = "A") -> str:
    return f"/networks/{world.networks[key]['uid']}/package"


def upload(client: FlaskClient, url: str, data: bytes, name: str = "northshore.zip"):  # type: ignore[no-untyped-def]
    return client.post(
        url + "/upload",
        data={"package": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def text(response) -> str:  # type: ignore[no-untyped-def]
    page = response.get_data(as_text=True)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page
    )
    assert match, f"no hidden {name}"
    return html.unescape(match.group(1))


def uploads(app: Flask) -> list[Path]:
    folder = Path(app.instance_path) / "uploads"
    return sorted(folder.glob("*.zip")) if folder.exists() else []


@dataclass
class Site:
    """One network with one coordinator (lighter than ``world``: one password hash)."""

    networks: dict[str, dict[str, Any]]
    users: dict[str, int]


COORDINATOR = "coordinator@example.org"


@pytest.fixture
def site(app: Flask) -> Site:
    from tracker.access import Scope
    from tracker.services import networks, people, schools, users

    with app.app_context():
        user = users.create("test", COORDINATOR, PASSWORD, role="coordinator")
        network = networks.create(
            user, {"name": "Network A", "kind": "cluster", "started": "2024-09-01"}
        )
        scope = Scope(user, network["uid"], "coordinator")
        school = schools.add(
            scope, {"name": "A Primary", "urn": "A100", "phase": "primary", "joined": "2024-09-01"}
        )
        people.add(
            scope,
            {
                "name": "A Person 0",
                "layer": "teacher",
                "school_uid": school["uid"],
                "from": "2020-09-01",
            },
        )
        return Site(networks={"A": network}, users={"coordinatorA": user.id})


@pytest.fixture
def coordinator(app: Flask, site: Site) -> FlaskClient:
    client = app.test_client()
    login(client, COORDINATOR)
    return client


def test_the_page_offers_upload_and_export(coordinator, site):
    response = coordinator.get(base(site) + "/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
    assert f'href="{base(site)}/export.zip"' in page
    assert "Import / export" in page  # the network's navigation shows the section


@pytest.mark.parametrize(
    ("role", "status"), [("leaderA", 403), ("evaluatorA", 403), ("coordinatorB", 404)]
)
def test_only_the_networks_coordinator_may_import(app, world, role, status):
    client = app.test_client()
    login(client, EMAILS[role])
    before = stores_state(app)
    assert client.get(base(world) + "/").status_code == status
    assert upload(client, base(world), zipped(for_network("Network A"))).status_code == status
    assert client.get(base(world) + "/export.zip").status_code == status
    assert stores_state(app) == before
    assert uploads(app) == []


def test_a_preview_shows_what_would_change_and_writes_nothing(app, coordinator, site):
    before = stores_state(app)
    response = upload(coordinator, base(site), zipped(for_network("Network A")))
    assert response.status_code == 200
    page = text(response)
    assert "Nothing has been written yet" in page
    assert "people.csv 6 0 0" in page
    assert "network.csv 0 1 0" in page  # kind and priorities differ from the web-made network
    assert "Total (33 rows) 32 1 0" in page
    assert "renames it" not in page
    assert stores_state(app) == before
    assert len(uploads(app)) == 1  # kept until the import is confirmed and has run


def test_a_package_naming_another_network_is_shown_as_a_rename(coordinator, site):
    page = text(upload(coordinator, base(site), zipped(FULL)))
    assert (
        "network.csv names the network “Northshore Learning Network”: importing renames it." in page
    )


def test_problems_are_all_listed_and_nothing_is_written(app, coordinator, site):
    files = changed(
        for_network("Network A"), "people.csv", "S1,teacher,Year 4", "S1,teacherr,Year 4"
    )
    files = changed(files, "advice.csv", "weekly,4", "weekly,9")
    before = stores_state(app)
    response = upload(coordinator, base(site), zipped(files))
    assert response.status_code == 422
    page = text(response)
    assert "2 problems found in northshore.zip. Nothing has been written." in page
    assert (
        "people.csv 3 layer “teacherr” is not one of: "
        "senior, teacher, support, pupil, governor, parent, external" in page
    )
    assert "advice.csv 2 influence 9 is outside 1 to 5" in page
    assert 'type="file"' in response.get_data(as_text=True)  # upload again from here
    assert stores_state(app) == before
    assert uploads(app) == []


def test_a_file_that_is_not_a_zip_is_refused(app, coordinator, site):
    before = stores_state(app)
    response = upload(coordinator, base(site), b"name,kind\n", name="network.csv")
    assert response.status_code == 422
    assert "Upload a .zip file of the package" in text(response)
    response = upload(coordinator, base(site), b"not really a zip", name="package.zip")
    assert response.status_code == 422
    assert "is not a zip file or a folder of CSV files" in text(response)
    assert stores_state(app) == before
    assert uploads(app) == []


def test_an_upload_over_the_size_limit_is_refused(app, coordinator, site):
    app.config["MAX_CONTENT_LENGTH"] = 2048
    before = stores_state(app)
    response = upload(coordinator, base(site), b"0" * 4096, name="big.zip")
    assert response.status_code == 413
    assert stores_state(app) == before
    assert uploads(app) == []


def test_an_unsafe_zip_is_refused_in_the_preview(app, coordinator, site):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in for_network("Network A").items():
            archive.writestr(name, content)
        info = zipfile.ZipInfo("x")
        info.filename = "../../outside.csv"
        archive.writestr(info, "boom")
    before = stores_state(app)
    response = upload(coordinator, base(site), buffer.getvalue())
    assert response.status_code == 422
    assert "reaches outside the package" in text(response)
    assert stores_state(app) == before
    assert not (Path(app.instance_path).parent / "outside.csv").exists()


def _confirm(coordinator: FlaskClient, site: Site, files: dict[str, str]) -> int:
    preview = upload(coordinator, base(site), zipped(files))
    assert preview.status_code == 200, text(preview)
    token = hidden(preview.get_data(as_text=True), "upload")
    response = coordinator.post(base(site) + "/confirm", data={"upload": token})
    assert response.status_code == 302
    match = re.search(r"/jobs/(\d+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def test_confirming_runs_the_import_as_a_background_job(app, coordinator, site):
    job_id = _confirm(coordinator, site, for_network("Network A"))
    assert jobs.wait(job_id, timeout=60)
    response = coordinator.get(f"{base(site)}/jobs/{job_id}")
    assert response.status_code == 200
    assert "Refresh" not in response.headers
    page = text(response)
    assert "Status: done" in page
    assert "people.csv 6 0 0" in page
    network_uid = site.networks["A"]["uid"]
    keys = {p["key"] for p in nodes_of(app, "Person") if p["network_uid"] == network_uid}
    assert {"P1", "P2", "P3", "P4", "P5", "P6"} <= keys
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert (job.kind, job.status, job.network_uid) == ("import", "done", network_uid)
        assert job.done == job.total == job.result["written"] > 0
        assert job.user_id == site.users["coordinatorA"]
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="import"))
        assert (entry.user_id, entry.network_uid) == (site.users["coordinatorA"], network_uid)
    assert uploads(app) == []  # the upload goes when the job ends
    listing = text(coordinator.get(base(site) + "/"))
    assert "northshore.zip done" in listing


def test_a_preview_can_be_confirmed_only_once(app, coordinator, site):
    preview = upload(coordinator, base(site), zipped(for_network("Network A")))
    token = hidden(preview.get_data(as_text=True), "upload")
    first = coordinator.post(base(site) + "/confirm", data={"upload": token})
    job_id = int(first.headers["Location"].rsplit("/", 1)[1])
    assert jobs.wait(job_id, timeout=60)
    before = stores_state(app)
    again = coordinator.post(base(site) + "/confirm", data={"upload": token})
    assert again.status_code == 422
    assert "That upload has expired or was already imported" in text(again)
    assert stores_state(app) == before


def test_confirm_refuses_an_upload_that_was_not_previewed_here(app, coordinator, site):
    folder = Path(app.instance_path) / "uploads"
    folder.mkdir(exist_ok=True)
    token = "0123456789abcdef0123456789abcdef"
    (folder / f"{token}.zip").write_bytes(zipped(for_network("Network A")))
    before = stores_state(app)
    for sent in (token, "../../tracker", ""):
        response = coordinator.post(base(site) + "/confirm", data={"upload": sent})
        assert response.status_code == 422
    assert stores_state(app) == before


def test_a_job_that_finds_problems_fails_and_lists_them(app, coordinator, site, tmp_path):
    broken = tmp_path / "broken.zip"
    broken.write_bytes(zipped(changed(for_network("Network A"), "people.csv", "P2,Ben", "P1,Ben")))
    before = stores_state(app)
    with app.test_request_context():
        user = db.session.get(User, site.users["coordinatorA"])
        job = jobs.start_import(
            broken, network_uid=site.networks["A"]["uid"], user=user, name="broken.zip"
        )
        job_id = job.id
    assert jobs.wait(job_id, timeout=60)
    page = text(coordinator.get(f"{base(site)}/jobs/{job_id}"))
    assert "Status: failed" in page
    assert "people.csv 3 person_id “P1” is already used on line 2" in page
    assert not broken.exists()
    after = stores_state(app)
    assert after[0] == before[0]  # the graph is untouched; only the job row was added


def test_the_job_page_refreshes_itself_while_the_job_runs(app, coordinator, site):
    with app.app_context():
        job = Job(
            kind="import",
            network_uid=site.networks["A"]["uid"],
            status="running",
            done=4000,
            total=10000,
            result={"file": "big.zip"},
        )
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    response = coordinator.get(f"{base(site)}/jobs/{job_id}")
    assert response.status_code == 200
    assert response.headers["Refresh"] == "2"
    page = response.get_data(as_text=True)
    assert '<progress max="100" value="40">' in page
    assert "4000 of 10000 rows written" in text(response)
    assert "<script>" not in page  # the refresh needs no inline script (CSP)


def test_another_networks_job_is_not_found(app, coordinator, site):
    with app.app_context():
        job = Job(
            kind="import",
            network_uid="7d1f4a0e-0000-4000-8000-000000000000",
            status="done",
            result={"file": "b.zip"},
        )
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    assert coordinator.get(f"{base(site)}/jobs/{job_id}").status_code == 404
    assert coordinator.get(f"{base(site)}/jobs/99999").status_code == 404


def test_the_export_download_is_a_package_of_the_network(app, coordinator, site):
    response = coordinator.get(base(site) + "/export.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "filename=network-a-package.zip" in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert archive.namelist() == ["network.csv", "schools.csv", "people.csv"]
        people = archive.read("people.csv").decode()
    assert "A Person 0" in people
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="export"))
        assert entry.object_uid == site.networks["A"]["uid"]


@pytest.mark.csrf
def test_upload_and_confirm_carry_csrf_tokens(app, site):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post(
        "/login",
        data={"email": COORDINATOR, "password": PASSWORD, "csrf_token": hidden(page, "csrf_token")},
    )
    before = stores_state(app)
    refused = upload(client, base(site), zipped(for_network("Network A")))
    assert refused.status_code == 400
    assert stores_state(app) == before
    form = client.get(base(site) + "/").get_data(as_text=True)
    preview = client.post(
        base(site) + "/upload",
        data={
            "package": (io.BytesIO(zipped(for_network("Network A"))), "p.zip"),
            "csrf_token": hidden(form, "csrf_token"),
        },
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    confirmed = client.post(
        base(site) + "/confirm",
        data={"upload": hidden(page, "upload"), "csrf_token": hidden(page, "csrf_token")},
    )
    assert confirmed.status_code == 302
    assert jobs.wait(int(confirmed.headers["Location"].rsplit("/", 1)[1]), timeout=60)
