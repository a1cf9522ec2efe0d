"""Network package export: stable files, the round trip, web-made records and the CLI."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import World, make_app, stores_state
from tests.helpers import coordinator_scope
from tests.integration.test_import import (
    FULL,
    NETWORK,
    nodes_of,
    run_import,
    write_package,
)
from tracker.extensions import db, graph
from tracker.packages import export_package
from tracker.packages.format import FILES
from tracker.services import people as people_service

# Every optional column too, so the round trip covers every property a package can carry.
RICH = {
    **FULL,
    "schools.csv": FULL["schools.csv"]
    .replace("joined,left\n", "joined,left,size\n")
    .replace("2024-09-01,\nS2", "2024-09-01,,420\nS2")
    .replace("2024-09-01,\nS3", "2024-09-01,,1100\nS3")
    .replace("2025-01-06,\n", "2025-01-06,,\n"),
    "roles.csv": FULL["roles.csv"]
    .replace("origin\n", "origin,origin_note\n")
    .replace("design\n", "design,\n")
    .replace("default\n", 'default,"Took it on when the strand lead left, in May"\n'),
    "group_sessions.csv": "group_id,date,attendees,note\n"
    "G1,2024-10-15,P3;P2,First look at the data\n"
    "G1,2024-11-12,P2;P3;P4,\n",
    "transfers.csv": FULL["transfers.csv"]
    .replace("stage\n", "stage,carrier_group_id\n")
    .replace("heard\n", "heard,\n")
    .replace("trialled\n", "trialled,\n")
    + "T2,Talk partners,S2,S3,,2025-03-01,heard,G1\n",
    "responses.csv": "respondent_id,date,leader_in_school,leader_in_network,"
    "trust_other_schools,levels\n"
    "P3,2025-05-01,yes,no,4,adult;leadership\n"
    "P4,2025-05-01,unsure,,,\n",
}


@pytest.fixture
def second_app(tmp_path: Path, graph_dir: str, migrated_db: Path) -> Iterator[Flask]:
    """Another app with its own empty graph and database (the 'empty store' of a round trip)."""
    folder = tmp_path / "second"
    folder.mkdir()
    other = make_app(folder, graph_dir, migrated_db)
    yield other
    with other.app_context():
        graph.store.drop_graph()
        graph.close(other)
        db.engine.dispose()


def read_folder(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def export(app: Flask, network_uid: str, destination: Path) -> Path:
    with app.app_context():
        return export_package(network_uid, destination)


def test_export_then_import_into_an_empty_store_then_export_gives_the_same_files(
    app, second_app, tmp_path
):
    report = run_import(app, write_package(tmp_path / "rich", RICH))
    assert report.ok, [str(p) for p in report.problems]
    first = read_folder(export(app, report.network_uid, tmp_path / "first"))
    assert list(first) == sorted(RICH)
    again = run_import(second_app, tmp_path / "first")
    assert again.ok and again.created == report.created
    second = read_folder(export(second_app, again.network_uid, tmp_path / "second-export"))
    assert second == first
    # The export holds what the package said, in the package's own words.
    assert first["people.csv"].decode() == FULL["people.csv"]
    assert first["roles.csv"].decode().splitlines()[1:] == [
        "P2,lead_learner,2024-09-01,,P1,design,",
        "P3,strand_leader,2024-10-01,2025-07-31,,default,"
        '"Took it on when the strand lead left, in May"',
    ]
    assert first["group_sessions.csv"].decode().splitlines()[1] == (
        "G1,2024-10-15,P2;P3,First look at the data"
    )


def test_an_export_reimported_into_its_own_network_changes_nothing(app, tmp_path):
    report = run_import(app, write_package(tmp_path / "rich", RICH))
    export(app, report.network_uid, tmp_path / "out")
    before = stores_state(app)
    again = run_import(app, tmp_path / "out")
    assert again.ok and not again.changed
    assert stores_state(app) == before


def test_export_writes_only_files_with_data_and_always_the_required_ones(app, tmp_path):
    files = {
        name: FULL[name] for name in ("network.csv", "schools.csv", "people.csv", "advice.csv")
    }
    report = run_import(app, write_package(tmp_path / "small", files))
    out = export(app, report.network_uid, tmp_path / "out")
    assert sorted(p.name for p in out.iterdir()) == [
        "advice.csv",
        "network.csv",
        "people.csv",
        "schools.csv",
    ]
    header = (out / "schools.csv").read_text().splitlines()[0]
    assert header == "school_id,name,urn,phase,local_authority,lat,lon,joined,left,size"


def test_an_export_into_a_folder_removes_package_files_left_from_before(app, tmp_path):
    report = run_import(app, write_package(tmp_path / "full", FULL))
    out = tmp_path / "out"
    out.mkdir()
    (out / "trained.csv").write_text("stale")
    (out / "notes.txt").write_text("mine")
    files = {name: FULL[name] for name in ("network.csv", "schools.csv", "people.csv")}
    small = run_import(app, write_package(tmp_path / "small", files), network=report.network_uid)
    assert small.ok
    export(app, report.network_uid, out)
    assert (out / "trained.csv").read_text().startswith("trainer_id,")  # rewritten, not stale
    assert (out / "notes.txt").read_text() == "mine"


def test_a_zip_export_is_byte_for_byte_repeatable(app, tmp_path):
    report = run_import(app, write_package(tmp_path / "full", FULL))
    one = export(app, report.network_uid, tmp_path / "one.zip").read_bytes()
    two = export(app, report.network_uid, tmp_path / "two.zip").read_bytes()
    assert one == two
    with zipfile.ZipFile(io.BytesIO(one)) as archive:
        names = archive.namelist()
        assert names == [spec.name for spec in FILES if spec.name in FULL]
        assert archive.read("advice.csv").decode().splitlines()[1:] == [
            "P3,P2,teaching_and_learning,weekly,4,2025-05-01",
            "P4,P2,teaching_and_learning,,,2025-05-01",
        ]
    before = stores_state(app)
    assert not run_import(app, tmp_path / "one.zip").changed
    assert stores_state(app) == before


def test_records_made_in_the_web_app_round_trip_and_update_in_place(app, world: World, tmp_path):
    network_uid = world.networks["A"]["uid"]
    out = export(app, network_uid, tmp_path / "web")
    people_rows = (out / "people.csv").read_text().splitlines()
    person = world.people["A"][1]
    assert any(row.startswith(person["uid"] + ",A Person 1,") for row in people_rows)
    before = stores_state(app)
    report = run_import(app, out)
    assert report.ok and not report.changed
    assert report.network_uid == network_uid
    assert stores_state(app) == before
    # Edit the exported spreadsheet: the web-made person is updated, not duplicated.
    edited = (out / "people.csv").read_text().replace("A Person 1,", "A. Person One,")
    (out / "people.csv").write_text(edited)
    report = run_import(app, out)
    assert (report.updated["people.csv"], report.created["people.csv"]) == (1, 0)
    people = [p for p in nodes_of(app, "Person") if p["network_uid"] == network_uid]
    assert len(people) == 3
    renamed = next(p for p in people if p["uid"] == person["uid"])
    assert (renamed["name"], renamed["version"]) == ("A. Person One", 2)


def test_formulas_are_neutralised_in_exports_and_read_back_unchanged(app, world: World, tmp_path):
    network_uid = world.networks["A"]["uid"]
    with app.app_context():
        scope = coordinator_scope(world)
        person = people_service.add(
            scope,
            {"name": '=HYPERLINK("http://x")', "layer": "external", "job_title": "+44 1234"},
        )
    out = export(app, network_uid, tmp_path / "web")
    text = (out / "people.csv").read_text()
    assert "'=HYPERLINK" in text and ",'+44 1234," in text
    assert ",=HYPERLINK" not in text
    before = stores_state(app)
    assert not run_import(app, out).changed
    assert stores_state(app) == before
    stored = next(p for p in nodes_of(app, "Person") if p["uid"] == person["uid"])
    assert stored["name"] == '=HYPERLINK("http://x")'


def test_a_pseudonymised_export_has_no_names(app, tmp_path):
    report = run_import(app, write_package(tmp_path / "full", FULL))
    with app.app_context():
        out = export_package(report.network_uid, tmp_path / "masked", pseudonymise=True)
    text = (out / "people.csv").read_text()
    assert "Ann Head" not in text and "Headteacher" not in text
    assert text.count("Person ") == 6


# -- the command line --------------------------------------------------------------------------


def test_cli_export_writes_a_zip(app, runner, tmp_path):
    run_import(app, write_package(tmp_path / "full", FULL))
    target = tmp_path / "northshore.zip"
    result = runner.invoke(args=["export", NETWORK, "--format", "package", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"Exported “{NETWORK}” to {target}."
    with zipfile.ZipFile(target) as archive:
        assert archive.read("network.csv").decode() == FULL["network.csv"]


def test_cli_export_json_names_the_file(app, runner, tmp_path):
    report = run_import(app, write_package(tmp_path / "full", FULL))
    target = tmp_path / "folder"
    result = runner.invoke(args=["export", report.network_uid, "-o", str(target), "--json"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        f'{{"network": "{report.network_uid}", "format": "package", "path": "{target}"}}'
    )
    assert (target / "people.csv").read_text() == FULL["people.csv"]


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf"])
def test_cli_export_refuses_formats_not_built_yet(app, runner, tmp_path, fmt):
    run_import(app, write_package(tmp_path / "full", FULL))
    result = runner.invoke(args=["export", NETWORK, "--format", fmt, "-o", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == (
        f"Error: --format {fmt} is not available yet; use --format package"
    )
    assert not (tmp_path / "x").exists()


def test_cli_export_of_an_unknown_network_fails_in_one_line(app, runner, tmp_path):
    result = runner.invoke(args=["export", "Nowhere", "-o", str(tmp_path / "x.zip")])
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: not found: no network with uid or name 'Nowhere'"
    assert not (tmp_path / "x.zip").exists()


def test_every_kind_of_web_made_record_round_trips(app, second_app, world: World, tmp_path):
    """Records made by the forms export and re-import as they are (keys are their uids)."""
    from tracker.services import activities, coaching, funding, groups, roles, transfers

    network_uid = world.networks["A"]["uid"]
    a, b, c = (p["uid"] for p in world.people["A"])
    s0, s1 = (s["uid"] for s in world.schools["A"])
    with app.app_context():
        scope = coordinator_scope(world)
        funding.add(scope, {"source": "Trust", "started": "2024-09-01"})
        group = groups.create(
            scope,
            {
                "question": "Why?",
                "priority": "Reading",
                "levels": ["adult", "pupil"],
                "started": "2024-10-01",
                "origin": "design",
            },
        )
        groups.add_member(
            scope, group["uid"], {"person_uid": a, "role": "lead", "from": "2024-10-01"}
        )
        groups.add_member(
            scope, group["uid"], {"person_uid": b, "role": "member", "from": "2024-10-01"}
        )
        groups.add_session(
            scope,
            group["uid"],
            {"date": "2024-11-01", "present": [a, b], "guests": [c], "note": "First meeting"},
        )
        groups.add_outcome(
            scope, group["uid"], {"kind": "report", "date": "2025-01-10", "description": "Findings"}
        )
        pair = coaching.add_pair(
            scope,
            {"person_a": a, "person_b": c, "practice": "Talk for writing", "started": "2024-09-20"},
        )
        coaching.log_session(scope, pair["uid"], "2024-10-04")
        coaching.add_training(
            scope,
            {
                "trainer_uid": a,
                "trainee_uid": b,
                "practice": "Talk for writing",
                "date": "2024-09-10",
            },
        )
        roles.add(
            scope,
            {
                "person_uid": b,
                "title": "lead_learner",
                "from": "2024-09-01",
                "designated_by": a,
                "origin": "design",
            },
        )
        activities.add(
            scope,
            {
                "kind": "visit",
                "date": "2024-12-02",
                "title": "Visit",
                "levels": ["adult"],
                "host_uid": s1,
                "decided_by_uid": s0,
                "attendees": [a, c],
                "decision": "Try it",
                "outcome": "Agreed",
            },
        )
        practice = transfers.add_practice(
            scope, {"name": "Reading spine", "shared_on": "2024-10-01", "school_uid": s0}
        )
        transfers.add_adoption(
            scope,
            practice["uid"],
            {"stage": "heard", "date": "2024-11-01", "school_uid": s1, "carrier_uid": a},
        )
    first = read_folder(export(app, network_uid, tmp_path / "web"))
    assert set(first) == {
        "network.csv",
        "funding.csv",
        "schools.csv",
        "people.csv",
        "roles.csv",
        "groups.csv",
        "group_members.csv",
        "group_sessions.csv",
        "outcomes.csv",
        "coaching.csv",
        "coaching_sessions.csv",
        "trained.csv",
        "activities.csv",
        "attendance.csv",
        "transfers.csv",
    }
    before = stores_state(app)
    report = run_import(app, tmp_path / "web")
    assert report.ok, [str(p) for p in report.problems]
    assert not report.changed, {k: v for k, v in report.updated.items() if v} | {
        k: v for k, v in report.created.items() if v
    }
    assert stores_state(app) == before
    again = run_import(second_app, tmp_path / "web")
    assert again.ok
    second = read_folder(export(second_app, again.network_uid, tmp_path / "web-again"))
    assert second == first
