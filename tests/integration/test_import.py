"""Network package import: every file, re-import as a no-op, updates in place, and every refusal.

Each refused import is one test that checks both stores are exactly as they were.
"""

from __future__ import annotations

import itertools
import json
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.conftest import World, stores_state
from tracker.extensions import db, graph
from tracker.graph.queries import maintenance
from tracker.models import AuditEntry
from tracker.packages import ImportReport, PackageError, Problem, import_package

FULL: dict[str, str] = {
    "network.csv": """name,kind,started,priorities
Northshore Learning Network,learning_network,2024-09-01,Reading for pleasure;Oracy
""",
    "funding.csv": """source,started,ended
Local authority,2024-09-01,2025-08-31
Trust,2025-09-01,
""",
    "schools.csv": """school_id,name,urn,phase,local_authority,lat,lon,joined,left
S1,North Primary,900001,primary,Northshire,54.1,-1.2,2024-09-01,
S2,South Academy,900002,secondary,Northshire,54.2,-1.3,2024-09-01,
S3,East Nursery,900003,nursery,,,,2025-01-06,
""",
    "people.csv": """person_id,name,school_id,layer,job_title,promoted,from,to
P1,Ann Head,S1,senior,Headteacher,yes,2015-09-01,
P2,Ben Teacher,S1,teacher,Year 4 teacher,no,2019-09-01,
P3,Cat Teacher,S2,teacher,English lead,yes,2018-09-01,
P4,Dan Support,S2,support,Teaching assistant,no,2020-09-01,
P5,Eve Head,S3,senior,Headteacher,yes,2010-09-01,
P6,Fay Adviser,,external,Literacy adviser,no,,
""",
    "roles.csv": """person_id,role,from,to,designated_by,origin
P2,lead_learner,2024-09-01,,P1,design
P3,Strand leader,2024-10-01,2025-07-31,,default
""",
    "groups.csv": """group_id,question,priority,started,ended,levels,origin
G1,How do we build a reading culture?,Reading for pleasure,2024-10-01,,pupil;adult,default
""",
    "group_members.csv": """group_id,person_id,role,from,to
G1,P2,lead,2024-10-01,
G1,P3,member,2024-10-01,
""",
    "group_sessions.csv": """group_id,date,attendees
G1,2024-10-15,P2;P3
G1,2024-11-12,P2;P3;P4
""",
    "outcomes.csv": """group_id,date,kind,description
G1,2025-03-01,artefact,A shared reading spine
""",
    "coaching.csv": """pair_id,person_a,person_b,practice,started,ended
C1,P2,P3,Philosophy for Children,2024-09-15,
""",
    "coaching_sessions.csv": """pair_id,date
C1,2024-10-01
C1,2024-11-01
""",
    "trained.csv": """trainer_id,trainee_id,practice,date
P2,P3,Philosophy for Children,2024-09-10
""",
    "activities.csv": """\
activity_id,kind,date,host_school_id,title,levels,decided_by_school_id,outcome
A1,learning_forum,2024-11-20,S1,Autumn forum,adult;school_to_school,S2,Agreed a reading spine
""",
    "attendance.csv": """activity_id,person_id
A1,P1
A1,P2
A1,P5
""",
    "transfers.csv": """\
practice_id,practice,from_school_id,to_school_id,carrier_person_id,date,stage
T1,Reading spine,S1,S2,P2,2025-01-10,heard
T1,Reading spine,S1,S2,P2,2025-02-10,trialled
""",
    "advice.csv": """respondent_id,nominee_id,topic,frequency,influence,date
P3,P2,teaching_and_learning,weekly,4,2025-05-01
P4,P2,teaching_and_learning,,,2025-05-01
""",
    "responses.csv": """respondent_id,date,leader_in_school,leader_in_network,trust_other_schools
P3,2025-05-01,yes,no,4
""",
}

NETWORK = "Northshore Learning Network"
WESTFIELD = "name,kind,started,priorities\nWestfield Federation,federation,2023-09-01,\n"
NO_G1 = "no group with id “G1” in groups.csv (not in the package)"


def write_package(folder: Path, files: dict[str, str | bytes]) -> Path:
    """A package folder holding ``files`` (text is written as UTF-8)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


def write_zip(path: Path, files: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return path


def changed(files: dict[str, str], name: str, old: str, new: str) -> dict[str, str]:
    """A copy of ``files`` with one edit in one file (the edit must apply)."""
    assert old in files[name], f"{old!r} not in {name}"
    return {**files, name: files[name].replace(old, new)}


def dump(app: Flask) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    with app.app_context():
        return graph.store.run(maintenance.DUMP_NODES), graph.store.run(
            maintenance.DUMP_RELATIONSHIPS
        )


def labels(app: Flask) -> Counter[str]:
    nodes, _ = dump(app)
    return Counter(label for node in nodes for label in node["labels"])


def rel_types(app: Flask) -> Counter[str]:
    _, rels = dump(app)
    return Counter(rel["type"] for rel in rels)


def nodes_of(app: Flask, label: str) -> list[dict[str, Any]]:
    nodes, _ = dump(app)
    return [n["props"] for n in nodes if label in n["labels"]]


def run_import(app: Flask, path: Path, **options: Any) -> ImportReport:
    with app.app_context():
        return import_package(path, **options)


@pytest.fixture
def full(tmp_path: Path) -> Path:
    return write_package(tmp_path / "full", FULL)


# -- a whole package -----------------------------------------------------------------------


def test_every_file_is_imported(app, full):
    report = run_import(app, full)
    assert report.ok, [str(p) for p in report.problems]
    assert report.network_name == NETWORK
    assert report.files == list(FULL)
    expected_rows = {name: len(text.strip().splitlines()) - 1 for name, text in FULL.items()}
    assert report.created == expected_rows
    assert set(report.updated.values()) == {0}
    assert set(report.unchanged.values()) == {0}
    assert report.rows == sum(expected_rows.values())
    assert labels(app) == {
        "Network": 1,
        "FundingPeriod": 2,
        "School": 3,
        "Person": 6,
        "Role": 2,
        "EnquiryGroup": 1,
        "GroupSession": 2,
        "Outcome": 1,
        "CoachingPair": 1,
        "Activity": 1,
        "Practice": 1,
        "Response": 1,
    }
    assert rel_types(app) == {
        "MEMBER_OF": 3,
        "IN_NETWORK": 6,
        "WORKS_AT": 5,
        "HOLDS": 2,
        "MEMBER_OF_GROUP": 2,
        "OF_GROUP": 3,
        "ATTENDED": 5 + 3,
        "IN_PAIR": 2,
        "TRAINED": 1,
        "HOSTED_BY": 1,
        "DECIDED_BY": 1,
        "SHARED": 1,
        "ADOPTED_BY": 2,
        "SEEKS_ADVICE": 2,
    }


def test_imported_records_follow_the_data_model(app, full):
    report = run_import(app, full)
    network_uid = report.network_uid
    people = {p["key"]: p for p in nodes_of(app, "Person")}
    assert people["P1"] | {"uid": None, "updated_at": None} == {
        "uid": None,
        "updated_at": None,
        "key": "P1",
        "network_uid": network_uid,
        "name": "Ann Head",
        "layer": "senior",
        "job_title": "Headteacher",
        "promoted": True,
        "version": 1,
    }
    schools = {s["urn"]: s for s in nodes_of(app, "School")}
    assert schools["900001"]["lat"] == 54.1
    assert schools["900003"].get("lat") is None
    roles = {r["key"]: r for r in nodes_of(app, "Role")}
    lead = next(r for r in roles.values() if r["title"] == "lead_learner")
    assert lead["designated_by"] == people["P1"]["uid"]
    assert lead["origin"] == "design"
    assert next(r for r in roles.values() if r["title"] == "strand_leader")["to"] == "2025-07-31"
    group = nodes_of(app, "EnquiryGroup")[0]
    assert group["levels"] == ["pupil", "adult"]
    assert group["key"] == "G1"
    pair = nodes_of(app, "CoachingPair")[0]
    assert pair["sessions"] == ["2024-10-01", "2024-11-01"]
    network = nodes_of(app, "Network")[0]
    assert network["priorities"] == ["Reading for pleasure", "Oracy"]
    _, rels = dump(app)
    advice = [r for r in rels if r["type"] == "SEEKS_ADVICE"]
    weekly = next(r for r in advice if r["props"].get("frequency") == "weekly")
    assert weekly["source"] == people["P3"]["uid"] and weekly["target"] == people["P2"]["uid"]
    assert weekly["props"]["influence"] == 4
    assert weekly["props"]["survey"] == "import:2025-05-01"
    binary = next(r for r in advice if r["props"].get("frequency") is None)
    assert binary["props"].get("influence") is None
    memberships = {r["props"]["key"] for r in rels if r["type"] == "MEMBER_OF"}
    assert memberships == {"S1", "S2", "S3"}
    with app.app_context():
        entries = db.session.scalars(db.select(AuditEntry)).all()
    assert [(e.action, e.object_kind, e.object_uid) for e in entries] == [
        ("import", "package", network_uid)
    ]
    assert entries[0].after["created"] == report.totals()["created"]


def test_reimporting_the_same_package_changes_nothing(app, full):
    first = run_import(app, full)
    before = stores_state(app)
    again = run_import(app, full)
    assert again.ok
    assert again.network_uid == first.network_uid
    assert set(again.created.values()) == {0}
    assert set(again.updated.values()) == {0}
    assert again.unchanged == first.created
    assert again.written == 0
    # No version bumps, no new audit rows: both stores exactly as they were.
    assert stores_state(app) == before


def test_a_dry_run_counts_and_writes_nothing(app, world, full):
    before = stores_state(app)
    report = run_import(app, full, dry_run=True)
    assert report.ok and report.dry_run
    assert report.created["people.csv"] == 6
    assert report.network_uid  # the uid the network would get
    assert stores_state(app) == before


def test_a_dry_run_after_an_import_reports_what_would_change(app, full, tmp_path):
    run_import(app, full)
    edited = changed(FULL, "people.csv", "P2,Ben Teacher", "P2,Benjamin Teacher")
    edited = changed(
        edited,
        "people.csv",
        "P6,Fay Adviser,,external,Literacy adviser,no,,\n",
        "P6,Fay Adviser,,external,Literacy adviser,no,,\nP7,Gus New,S3,teacher,,no,2024-09-01,\n",
    )
    before = stores_state(app)
    report = run_import(app, write_package(tmp_path / "edited", edited), dry_run=True)
    assert (
        report.created["people.csv"],
        report.updated["people.csv"],
        report.unchanged["people.csv"],
    ) == (1, 1, 5)
    assert stores_state(app) == before


def _versions(app: Flask, label: str) -> dict[str, tuple[str, int]]:
    return {n["key"]: (n["uid"], n["version"]) for n in nodes_of(app, label)}


def test_a_changed_package_updates_in_place(app, full, tmp_path):
    run_import(app, full)
    people_before = _versions(app, "Person")
    edited = changed(
        FULL,
        "people.csv",
        "P2,Ben Teacher,S1,teacher,Year 4 teacher",
        "P2,Ben Teacher,S1,teacher,Year 5 teacher",
    )
    edited = changed(edited, "groups.csv", "2024-10-01,,pupil;adult", "2024-10-01,2025-07-20,pupil")
    edited = changed(edited, "schools.csv", "S2,South Academy", "S2,South Academy Trust School")
    edited = changed(edited, "advice.csv", "weekly,4", "daily,5")
    report = run_import(app, write_package(tmp_path / "edited", edited))
    assert report.ok
    assert report.updated == {
        **dict.fromkeys(FULL, 0),
        "people.csv": 1,
        "groups.csv": 1,
        "schools.csv": 1,
        "advice.csv": 1,
    }
    assert report.created == dict.fromkeys(FULL, 0)
    people_after = _versions(app, "Person")
    assert people_after["P2"] == (people_before["P2"][0], 2)
    assert {k: v for k, v in people_after.items() if k != "P2"} == {
        k: v for k, v in people_before.items() if k != "P2"
    }
    assert (
        next(p for p in nodes_of(app, "Person") if p["key"] == "P2")["job_title"]
        == "Year 5 teacher"
    )
    group = nodes_of(app, "EnquiryGroup")[0]
    assert (group["ended"], group["levels"], group["version"]) == ("2025-07-20", ["pupil"], 2)
    assert {s["name"] for s in nodes_of(app, "School")} >= {"South Academy Trust School"}
    assert rel_types(app)["SEEKS_ADVICE"] == 2
    _, rels = dump(app)
    assert {r["props"].get("frequency") for r in rels if r["type"] == "SEEKS_ADVICE"} == {
        "daily",
        None,
    }
    # And importing the edited package again is a no-op.
    before = stores_state(app)
    assert not run_import(app, tmp_path / "edited").changed
    assert stores_state(app) == before


def test_a_person_who_moves_school_keeps_the_old_period(app, full, tmp_path):
    run_import(app, full)
    edited = changed(
        FULL,
        "people.csv",
        "P2,Ben Teacher,S1,teacher,Year 4 teacher,no,2019-09-01,",
        "P2,Ben Teacher,S2,teacher,Year 4 teacher,no,2025-09-01,",
    )
    report = run_import(app, write_package(tmp_path / "moved", edited))
    assert report.updated["people.csv"] == 1
    uid = _versions(app, "Person")["P2"][0]
    _, rels = dump(app)
    schools = {s["uid"]: s["urn"] for s in nodes_of(app, "School")}
    periods = sorted(
        (schools[r["target"]], r["props"]["from"], r["props"].get("to"))
        for r in rels
        if r["type"] == "WORKS_AT" and r["source"] == uid
    )
    assert periods == [("900001", "2019-09-01", "2025-09-01"), ("900002", "2025-09-01", None)]


def test_the_same_school_in_two_networks_is_one_school(app, full, tmp_path):
    first = run_import(app, full)
    other = {
        "network.csv": WESTFIELD,
        "schools.csv": (
            "school_id,name,urn,phase,local_authority,lat,lon,joined,left\n"
            "W-NORTH,North Primary,900001,primary,Northshire,54.1,-1.2,2023-09-01,\n"
            "W-WEST,West Primary,900010,primary,Westshire,,,2023-09-01,\n"
        ),
        "people.csv": (
            "person_id,name,school_id,layer,job_title,promoted,from,to\n"
            "X1,Ann Head,W-NORTH,senior,Headteacher,yes,2015-09-01,\n"
        ),
    }
    second = run_import(app, write_package(tmp_path / "other", other))
    assert second.ok
    assert second.network_uid != first.network_uid
    assert (second.created["schools.csv"], second.unchanged["schools.csv"]) == (2, 0)
    north = [s for s in nodes_of(app, "School") if s["urn"] == "900001"]
    assert len(north) == 1
    assert north[0]["version"] == 1  # the same details: the shared school was not rewritten
    _, rels = dump(app)
    memberships = sorted(
        (r["props"]["key"], r["target"])
        for r in rels
        if r["type"] == "MEMBER_OF" and r["source"] == north[0]["uid"]
    )
    assert memberships == sorted([("S1", first.network_uid), ("W-NORTH", second.network_uid)])
    # People are not merged across networks: the same head is two records.
    assert len([p for p in nodes_of(app, "Person") if p["name"] == "Ann Head"]) == 2
    before = stores_state(app)
    assert not run_import(app, full).changed
    assert not run_import(app, tmp_path / "other").changed
    assert stores_state(app) == before


def test_a_school_made_in_the_web_app_is_matched_by_urn(app, world: World, full):
    with app.app_context():
        from tracker.services import networks as network_service

        network_service.get(world.networks["A"]["uid"])
    web_school = world.schools["A"][0]
    edited = changed(
        FULL, "schools.csv", "S3,East Nursery,900003", f"S3,East Nursery,{web_school['urn']}"
    )
    report = run_import(app, write_package(Path(app.instance_path) / "pkg", edited))
    assert report.ok
    matches = [s for s in nodes_of(app, "School") if s["urn"] == web_school["urn"]]
    assert [s["uid"] for s in matches] == [web_school["uid"]]
    assert matches[0]["name"] == "East Nursery"  # the package's details apply to the school


def test_importing_into_a_named_network(app, world: World, full):
    network = world.networks["B"]
    report = run_import(app, full, network="Network B")
    assert report.ok
    assert report.network_uid == network["uid"]
    assert report.updated["network.csv"] == 1
    renamed = next(n for n in nodes_of(app, "Network") if n["uid"] == network["uid"])
    assert (renamed["name"], renamed["version"]) == (NETWORK, 2)
    assert len(nodes_of(app, "Network")) == 2


def test_an_unknown_network_option_is_a_package_error(app, full):
    before = stores_state(app)
    with pytest.raises(PackageError, match="no network"), app.app_context():
        import_package(full, network="No Such Network")
    assert stores_state(app) == before


def test_writes_go_in_batches_with_progress(app, full):
    app.config["PACKAGE_BATCH_ROWS"] = 3
    calls: list[tuple[int, int]] = []
    report = run_import(app, full, progress=lambda done, total: calls.append((done, total)))
    total = report.written
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert all(b[0] - a[0] <= 3 for a, b in itertools.pairwise(calls))
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert len(calls) > total // 3


def test_a_large_import_compacts_the_append_only_file(app, full):
    app.config["PACKAGE_COMPACT_ROWS"] = 1
    with app.app_context():
        connection = graph.store.connection  # type: ignore[attr-defined]
        before = connection.info("persistence")
    run_import(app, full)
    with app.app_context():
        after = connection.info("persistence")
    started = (
        after.get("aof_rewrite_in_progress")
        or after.get("aof_rewrite_scheduled")
        or after.get("aof_rewrites", 0) > before.get("aof_rewrites", 0)
        or after.get("aof_last_rewrite_time_sec", -1) != before.get("aof_last_rewrite_time_sec", -1)
    )
    assert started, after


# -- refusals: each writes nothing at all ----------------------------------------------------


def without(files: dict[str, str], name: str) -> dict[str, str]:
    return {k: v for k, v in files.items() if k != name}


LAYERS = "senior, teacher, support, pupil, governor, parent, external"

REFUSALS: list[tuple[str, dict[str, str | bytes], list[str]]] = [
    (
        "missing required file",
        without(FULL, "people.csv"),
        ["people.csv:0: -: required file is missing"],
    ),
    (
        "missing column",
        changed(FULL, "people.csv", "job_title,promoted,from", "job_title,from"),
        ["people.csv:1: promoted: required column is missing"],
    ),
    (
        "empty required file",
        {**FULL, "schools.csv": ""},
        ["schools.csv:0: -: is empty: it needs a header row naming its columns"],
    ),
    (
        "unknown school id",
        changed(FULL, "people.csv", "P2,Ben Teacher,S1", "P2,Ben Teacher,S9"),
        ["people.csv:3: school_id: no school with id “S9” in schools.csv"],
    ),
    (
        "dangling attendee",
        changed(FULL, "group_sessions.csv", "P2;P3;P4", "P2;P3;P9"),
        ["group_sessions.csv:3: attendees: no person with id “P9” in people.csv"],
    ),
    (
        "reference to a file that is not in the package",
        without(FULL, "groups.csv"),
        [
            f"group_members.csv:2: group_id: {NO_G1}",
            f"group_members.csv:3: group_id: {NO_G1}",
            f"group_sessions.csv:2: group_id: {NO_G1}",
            f"group_sessions.csv:3: group_id: {NO_G1}",
            f"outcomes.csv:2: group_id: {NO_G1}",
        ],
    ),
    (
        "duplicate id",
        {**FULL, "people.csv": FULL["people.csv"] + "P2,Ben Again,S1,teacher,,no,2019-09-01,\n"},
        ["people.csv:8: person_id: “P2” is already used on line 3"],
    ),
    (
        "duplicate urn",
        changed(FULL, "schools.csv", "S3,East Nursery,900003", "S3,East Nursery,900002"),
        ["schools.csv:4: urn: “900002” is already used on line 3"],
    ),
    (
        "bad date",
        changed(FULL, "people.csv", "no,2019-09-01,", "no,2019-13-01,"),
        ["people.csv:3: from: “2019-13-01” is not a date written as YYYY-MM-DD"],
    ),
    (
        "date without hyphens",
        changed(FULL, "funding.csv", "Trust,2025-09-01", "Trust,20250901"),
        ["funding.csv:3: started: “20250901” is not a date written as YYYY-MM-DD"],
    ),
    (
        "dates out of order",
        changed(FULL, "roles.csv", "2024-10-01,2025-07-31", "2024-10-01,2024-07-31"),
        ["roles.csv:3: to: 2024-07-31 is before from 2024-10-01"],
    ),
    (
        "school left before it joined",
        changed(FULL, "schools.csv", "2025-01-06,", "2025-01-06,2024-12-31"),
        ["schools.csv:4: left: 2024-12-31 is before joined 2025-01-06"],
    ),
    (
        "unknown layer",
        changed(FULL, "people.csv", "S1,teacher,Year 4", "S1,teacherr,Year 4"),
        [f"people.csv:3: layer: “teacherr” is not one of: {LAYERS}"],
    ),
    (
        "unknown network kind",
        changed(FULL, "network.csv", "learning_network", "club"),
        [
            "network.csv:2: kind: “club” is not one of: "
            "learning_network, federation, partnership, cluster"
        ],
    ),
    (
        "unknown activity kind",
        changed(FULL, "activities.csv", "A1,learning_forum", "A1,party"),
        [
            "activities.csv:2: kind: “party” is not one of: "
            "learning_forum, meeting, visit, workshop, training"
        ],
    ),
    (
        "unknown stage",
        changed(FULL, "transfers.csv", "2025-02-10,trialled", "2025-02-10,adopted"),
        ["transfers.csv:3: stage: “adopted” is not one of: heard, trialled, embedded"],
    ),
    (
        "unknown level",
        changed(FULL, "groups.csv", "pupil;adult", "pupil;parents"),
        [
            "groups.csv:2: levels: “parents” is not one of: "
            "pupil, adult, leadership, organisational, school_to_school"
        ],
    ),
    (
        "unknown origin",
        changed(FULL, "roles.csv", "P1,design", "P1,accident"),
        ["roles.csv:2: origin: “accident” is not one of: design, default, desperation"],
    ),
    (
        "unknown frequency",
        changed(FULL, "advice.csv", "weekly,4", "hourly,4"),
        ["advice.csv:2: frequency: “hourly” is not one of: termly, monthly, weekly, daily"],
    ),
    (
        "influence out of range",
        changed(FULL, "advice.csv", "weekly,4", "weekly,6"),
        ["advice.csv:2: influence: 6 is outside 1 to 5"],
    ),
    (
        "influence not a whole number",
        changed(FULL, "advice.csv", "weekly,4", "weekly,4.5"),
        ["advice.csv:2: influence: “4.5” is not a whole number"],
    ),
    (
        "huge number",
        changed(FULL, "advice.csv", "weekly,4", "weekly," + "9" * 40),
        ["advice.csv:2: influence: “99999999999999999999…” is too long to be a number"],
    ),
    (
        "latitude out of range",
        changed(FULL, "schools.csv", "54.1,-1.2", "1e308,-1.2"),
        ["schools.csv:2: lat: 1e308 is outside -90 to 90"],
    ),
    (
        "self nomination",
        changed(FULL, "advice.csv", "P4,P2,", "P4,P4,"),
        ["advice.csv:3: nominee_id: a respondent cannot nominate themselves"],
    ),
    (
        "duplicate nomination",
        changed(
            FULL, "advice.csv", "P4,P2,teaching_and_learning,,,", "P3,P2,teaching_and_learning,,,"
        ),
        ["advice.csv:3: -: this nomination is already given on line 2"],
    ),
    (
        "adoption stages out of order",
        changed(FULL, "transfers.csv", "2025-02-10,trialled", "2025-01-01,trialled"),
        ["transfers.csv:3: date: trialled on 2025-01-01 is before heard on 2025-01-10 (line 2)"],
    ),
    (
        "one practice id with two names",
        changed(
            FULL,
            "transfers.csv",
            "T1,Reading spine,S1,S2,P2,2025-02-10",
            "T1,Reading spines,S1,S2,P2,2025-02-10",
        ),
        ["transfers.csv:3: practice: practice_id “T1” is called “Reading spine” on line 2"],
    ),
    (
        "staff without a school",
        changed(FULL, "people.csv", "P4,Dan Support,S2,support", "P4,Dan Support,,support"),
        ["people.csv:5: school_id: is empty; support staff need the school they work at"],
    ),
    (
        "coaching pair of one person",
        changed(FULL, "coaching.csv", "C1,P2,P3", "C1,P2,P2"),
        ["coaching.csv:2: person_b: a coaching pair needs two different people"],
    ),
    (
        "two networks in network.csv",
        {**FULL, "network.csv": FULL["network.csv"] + "Other,cluster,2024-01-01,\n"},
        ["network.csv:3: -: a package describes one network: give only one row"],
    ),
    (
        "more cells than columns",
        changed(FULL, "attendance.csv", "A1,P5", "A1,P5,extra"),
        ["attendance.csv:4: -: has 3 cells but the header names 2 columns"],
    ),
    (
        "a file name the format does not know",
        {**FULL, "peopel.csv": FULL["people.csv"]},
        ["peopel.csv:0: -: not a file of the network package format (check the spelling)"],
    ),
    (
        "an id with a list separator",
        changed(FULL, "coaching.csv", "C1,P2", "C1;C2,P2"),
        [
            "coaching.csv:2: pair_id: an id cannot contain “;” (it separates lists)",
            "coaching_sessions.csv:2: pair_id: no coaching pair with id “C1” in coaching.csv",
            "coaching_sessions.csv:3: pair_id: no coaching pair with id “C1” in coaching.csv",
        ],
    ),
    (
        "not UTF-8",
        {
            **FULL,
            "people.csv": FULL["people.csv"].replace("Dan Support", "Dan Zoë").encode("latin-1"),
        },
        [
            "people.csv:5: -: is not UTF-8 text (byte 0xeb); "
            "save the file as “CSV UTF-8” and try again"
        ],
    ),
    (
        "UTF-16",
        {**FULL, "funding.csv": FULL["funding.csv"].encode("utf-16")},
        ["funding.csv:0: -: is UTF-16 text; save it as “CSV UTF-8” and try again"],
    ),
    (
        "a NUL byte",
        {**FULL, "trained.csv": FULL["trained.csv"].replace("Children", "Chil\x00dren")},
        ["trained.csv:2: -: contains a NUL character; this is not a CSV"],
    ),
]


@pytest.fixture
def imported(app: Flask, full: Path) -> ImportReport:
    """The full package already in the graph, so a refused import has something to spoil."""
    report = run_import(app, full)
    assert report.ok
    return report


@pytest.mark.parametrize(
    ("files", "expected"),
    [pytest.param(files, expected, id=name) for name, files, expected in REFUSALS],
)
def test_a_refused_import_writes_nothing(app, imported, tmp_path, files, expected):
    package = write_package(tmp_path / "broken", files)
    before = stores_state(app)
    report = run_import(app, package)
    assert not report.ok
    assert [str(p) for p in report.problems] == expected
    assert stores_state(app) == before


def test_every_problem_is_reported_in_file_order(app, imported, tmp_path):
    files = changed(FULL, "people.csv", "S1,teacher,Year 4", "S1,teacherr,Year 4")
    files = changed(files, "people.csv", "no,2019-09-01,", "no,2019-09-31,")
    files = changed(files, "advice.csv", "weekly,4", "weekly,9")
    files = changed(
        files, "schools.csv", "S3,East Nursery,900003,nursery", "S3,East Nursery,900003,college"
    )
    files = without(files, "network.csv")
    before = stores_state(app)
    report = run_import(app, write_package(tmp_path / "broken", files))
    assert [str(p) for p in report.problems] == [
        "network.csv:0: -: required file is missing",
        "schools.csv:4: phase: “college” is not one of: "
        "nursery, primary, secondary, special, all_through",
        f"people.csv:3: layer: “teacherr” is not one of: {LAYERS}",
        "people.csv:3: from: “2019-09-31” is not a date written as YYYY-MM-DD",
        "advice.csv:2: influence: 9 is outside 1 to 5",
    ]
    assert stores_state(app) == before


def test_changing_a_schools_urn_is_refused(app, imported, tmp_path):
    files = changed(FULL, "schools.csv", "S1,North Primary,900001", "S1,North Primary,900099")
    before = stores_state(app)
    report = run_import(app, write_package(tmp_path / "urn", files))
    assert [str(p) for p in report.problems] == [
        "schools.csv:2: urn: school_id “S1” is North Primary (URN 900001) in this network; "
        "a school's URN is changed in the web app, not by an import"
    ]
    assert stores_state(app) == before


def test_renaming_onto_another_networks_name_is_refused(app, imported, tmp_path):
    other = {
        "network.csv": WESTFIELD,
        "schools.csv": FULL["schools.csv"].split("\n")[0] + "\n",
        "people.csv": FULL["people.csv"].split("\n")[0] + "\n",
    }
    assert run_import(app, write_package(tmp_path / "west", other)).ok
    before = stores_state(app)
    report = run_import(app, tmp_path / "west", network=NETWORK)
    assert [str(p) for p in report.problems] == [
        "network.csv:2: name: another network is already called “Westfield Federation”"
    ]
    assert stores_state(app) == before


# -- what the reader accepts -----------------------------------------------------------------


def test_a_byte_order_mark_and_loose_headers_are_accepted(app, tmp_path):
    files: dict[str, str | bytes] = dict(FULL)
    files["people.csv"] = (
        b"\xef\xbb\xbf"
        + FULL["people.csv"].replace("person_id,name", " Person_ID , Name ").encode()
    )
    files["schools.csv"] = FULL["schools.csv"].replace("\n", "\r\n")
    report = run_import(app, write_package(tmp_path / "bom", files))
    assert report.ok, [str(p) for p in report.problems]
    assert {p["key"] for p in nodes_of(app, "Person")} == {"P1", "P2", "P3", "P4", "P5", "P6"}


def test_labels_are_accepted_for_vocabulary_values(app, tmp_path):
    files = changed(FULL, "activities.csv", "A1,learning_forum", "A1,Learning forum")
    files = changed(files, "network.csv", "learning_network", "Learning Network")
    report = run_import(app, write_package(tmp_path / "labels", files))
    assert report.ok
    assert nodes_of(app, "Activity")[0]["kind"] == "learning_forum"


def test_quoted_cells_may_hold_commas_lines_and_quotes(app, tmp_path):
    files = changed(
        FULL,
        "outcomes.csv",
        "A shared reading spine",
        '"A spine, in two parts:\nfiction and ""non-fiction"""',
    )
    files = changed(
        files,
        "outcomes.csv",
        "group_id,date,kind,description\n",
        "group_id,date,kind,description\n\n",
    )
    report = run_import(app, write_package(tmp_path / "quoted", files))
    assert report.ok, [str(p) for p in report.problems]
    assert nodes_of(app, "Outcome")[0]["description"] == (
        'A spine, in two parts:\nfiction and "non-fiction"'
    )


def test_a_formula_escape_is_undone(app, tmp_path):
    files = changed(FULL, "people.csv", "P6,Fay Adviser", "P6,'=Fay Adviser")
    run_import(app, write_package(tmp_path / "formula", files))
    assert "=Fay Adviser" in {p["name"] for p in nodes_of(app, "Person")}


# -- zip packages ----------------------------------------------------------------------------


def test_a_zip_package_imports_like_a_folder(app, tmp_path):
    report = run_import(app, write_zip(tmp_path / "package.zip", FULL))
    assert report.ok
    assert report.created["advice.csv"] == 2


def test_a_zip_of_a_folder_is_read_from_that_folder(app, tmp_path):
    files = {f"northshore/{name}": text for name, text in FULL.items()}
    files["__MACOSX/northshore/._people.csv"] = b"\x00\x05\x16\x07"
    files["northshore/README.txt"] = "notes"
    report = run_import(app, write_zip(tmp_path / "package.zip", files))
    assert report.ok, [str(p) for p in report.problems]


ZIP_REFUSALS = [
    (
        "path traversal",
        {"../evil.csv": "x"},
        "../evil.csv:0: -: reaches outside the package (a '..' in its path)",
    ),
    (
        "nested traversal",
        {"a/../../evil.csv": "x"},
        "a/../../evil.csv:0: -: reaches outside the package (a '..' in its path)",
    ),
    ("absolute name", {"/etc/people.csv": "x"}, "/etc/people.csv:0: -: has an absolute path"),
    ("windows drive", {"C:\\people.csv": "x"}, "C:\\people.csv:0: -: has an absolute path"),
]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [pytest.param(extra, expected, id=name) for name, extra, expected in ZIP_REFUSALS],
)
def test_an_unsafe_zip_is_refused(app, imported, tmp_path, extra, expected):
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in FULL.items():
            archive.writestr(name, text)
        for name, text in extra.items():
            info = zipfile.ZipInfo("placeholder")
            info.filename = name  # ZipInfo would clean the name; a hostile zip does not
            archive.writestr(info, text)
    before = stores_state(app)
    report = run_import(app, path)
    assert expected in [str(p) for p in report.problems]
    assert stores_state(app) == before
    assert not (tmp_path.parent / "evil.csv").exists()


def test_a_symlink_in_a_zip_is_refused(app, imported, tmp_path):
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in FULL.items():
            if name != "people.csv":
                archive.writestr(name, text)
        info = zipfile.ZipInfo("people.csv")
        info.external_attr = 0o120777 << 16
        archive.writestr(info, "/etc/passwd")
    before = stores_state(app)
    report = run_import(app, path)
    assert [str(p) for p in report.problems] == [
        "people.csv:0: -: is a symbolic link; packages hold plain files"
    ]
    assert stores_state(app) == before


def test_a_symlink_in_a_folder_is_refused(app, imported, tmp_path):
    folder = write_package(tmp_path / "linked", without(FULL, "people.csv"))
    secret = tmp_path / "secret.csv"
    secret.write_text(FULL["people.csv"])
    (folder / "people.csv").symlink_to(secret)
    before = stores_state(app)
    report = run_import(app, folder)
    assert "people.csv:0: -: is a symbolic link; packages hold plain files" in [
        str(p) for p in report.problems
    ]
    assert stores_state(app) == before


def test_a_file_over_the_size_limit_is_refused(app, imported, tmp_path):
    app.config["PACKAGE_MAX_FILE_BYTES"] = 300
    path = write_zip(tmp_path / "big.zip", FULL)
    before = stores_state(app)
    report = run_import(app, path)
    size = len(FULL["people.csv"].encode())
    assert size > 300
    assert [str(p) for p in report.problems] == [
        f"people.csv:0: -: is {size} bytes; one file may be at most 300 bytes"
    ]
    assert stores_state(app) == before


def test_a_zip_bomb_is_refused_before_it_is_unpacked(app, imported, tmp_path):
    app.config["PACKAGE_MAX_TOTAL_BYTES"] = 10 * 1024 * 1024
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in FULL.items():
            archive.writestr(name, text)
        archive.writestr("padding.txt", b"0" * (64 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    before = stores_state(app)
    report = run_import(app, path)
    assert [str(p) for p in report.problems] == [
        "bomb.zip:0: -: unpacks to more than 10.0 MiB, the most a package may hold"
    ]
    assert stores_state(app) == before


def test_too_many_files_are_refused(app, imported, tmp_path):
    app.config["PACKAGE_MAX_FILES"] = 20
    files: dict[str, str | bytes] = {**FULL, **{f"notes/{i}.txt": "x" for i in range(10)}}
    before = stores_state(app)
    report = run_import(app, write_zip(tmp_path / "many.zip", files))
    assert [str(p) for p in report.problems] == [
        "many.zip:0: -: holds 27 entries; a package holds at most 20"
    ]
    assert stores_state(app) == before


def test_a_file_that_is_not_a_package_is_a_package_error(app, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(FULL["people.csv"])
    with pytest.raises(PackageError, match="not a zip file or a folder"), app.app_context():
        import_package(path)
    with pytest.raises(PackageError, match="no package at"), app.app_context():
        import_package(tmp_path / "missing")


def test_problems_print_as_file_line_column_message():
    problem = Problem("people.csv", 7, "layer", "“x” is not one of: senior")
    assert str(problem) == "people.csv:7: layer: “x” is not one of: senior"
    assert json.loads(json.dumps(problem.as_dict())) == {
        "file": "people.csv",
        "line": 7,
        "column": "layer",
        "message": "“x” is not one of: senior",
    }


# -- the command line --------------------------------------------------------------------------


def test_cli_import_prints_a_summary_table(app, runner, full):
    result = runner.invoke(args=["import", str(full)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"Imported “{NETWORK}” (")
    assert lines[1].split() == ["file", "created", "updated", "unchanged"]
    assert lines[2].split() == ["network.csv", "1", "0", "0"]
    assert lines[5].split() == ["people.csv", "6", "0", "0"]
    assert lines[-1].split() == ["total", "33", "0", "0"]
    # Not a terminal: progress comes as plain lines on stderr.
    progress = result.stderr.splitlines()
    assert progress[0] == "written 0 of 45 rows"
    assert progress[-1] == "written 45 of 45 rows"
    again = runner.invoke(args=["import", str(full)])
    assert again.exit_code == 0
    assert again.stdout.splitlines()[-1] == "Nothing changed: the graph already holds this package."
    assert again.stderr == ""


def test_cli_import_json(app, runner, full):
    result = runner.invoke(args=["import", str(full), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["network_name"] == NETWORK
    assert report["created"]["advice.csv"] == 2
    assert report["files"][0] == {"file": "network.csv", "created": 1, "updated": 0, "unchanged": 0}
    assert result.stderr == ""


def test_cli_dry_run_writes_nothing(app, runner, full):
    before = stores_state(app)
    result = runner.invoke(args=["import", str(full), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith(f"Would import “{NETWORK}”")
    assert result.stdout.splitlines()[-1] == "Dry run: nothing was written."
    assert stores_state(app) == before


def test_cli_lists_every_problem_and_writes_nothing(app, runner, imported, tmp_path):
    files = changed(FULL, "people.csv", "S1,teacher,Year 4", "S1,teacherr,Year 4")
    files = changed(files, "advice.csv", "weekly,4", "weekly,9")
    package = write_package(tmp_path / "broken", files)
    before = stores_state(app)
    result = runner.invoke(args=["import", str(package)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"people.csv:3: layer: “teacherr” is not one of: {LAYERS}",
        "advice.csv:2: influence: 9 is outside 1 to 5",
        "Error: 2 problems found; nothing was imported.",
    ]
    assert stores_state(app) == before


def test_cli_json_reports_problems_and_fails(app, runner, tmp_path):
    package = write_package(tmp_path / "broken", without(FULL, "schools.csv"))
    before = stores_state(app)
    result = runner.invoke(args=["import", str(package), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["problems"] == [
        {"file": "schools.csv", "line": 0, "column": "-", "message": "required file is missing"}
    ]
    assert stores_state(app) == before


def test_cli_unknown_network_fails_in_one_line(app, runner, full):
    result = runner.invoke(args=["import", str(full), "--network", "Nowhere"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "Error: no network with uid or name “Nowhere”"


def test_cli_import_of_a_non_package_fails_in_one_line(app, runner, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: notes.txt is not a zip file or a folder of CSV files"


def test_changed_links_replace_the_old_ones(app, full, tmp_path):
    run_import(app, full)
    edited = changed(FULL, "coaching.csv", "C1,P2,P3", "C1,P2,P4")
    edited = changed(edited, "activities.csv", "2024-11-20,S1,", "2024-11-20,S3,")
    edited = changed(
        edited, "activities.csv", "adult;school_to_school,S2,", "adult;school_to_school,,"
    )
    edited = changed(edited, "group_sessions.csv", "G1,2024-10-15,P2;P3", "G1,2024-10-15,P2;P3;P5")
    edited = changed(
        edited, "coaching_sessions.csv", "C1,2024-11-01\n", "C1,2024-11-01\nC1,2024-12-01\n"
    )
    report = run_import(app, write_package(tmp_path / "links", edited))
    assert report.ok
    assert (report.updated["coaching.csv"], report.updated["activities.csv"]) == (1, 1)
    assert report.updated["group_sessions.csv"] == 1
    assert (report.created["coaching_sessions.csv"], report.unchanged["coaching_sessions.csv"]) == (
        1,
        2,
    )
    people = {p["uid"]: p["key"] for p in nodes_of(app, "Person")}
    schools = {s["uid"]: s["urn"] for s in nodes_of(app, "School")}
    _, rels = dump(app)
    assert sorted(people[r["source"]] for r in rels if r["type"] == "IN_PAIR") == ["P2", "P4"]
    assert [schools[r["target"]] for r in rels if r["type"] == "HOSTED_BY"] == ["900003"]
    assert [r for r in rels if r["type"] == "DECIDED_BY"] == []
    pair = nodes_of(app, "CoachingPair")[0]
    assert (pair["sessions"], pair["version"]) == (["2024-10-01", "2024-11-01", "2024-12-01"], 2)
    sessions = {s["uid"]: s["date"] for s in nodes_of(app, "GroupSession")}
    first = sorted(
        people[r["source"]]
        for r in rels
        if r["type"] == "ATTENDED" and sessions.get(r["target"]) == "2024-10-15"
    )
    assert first == ["P2", "P3", "P5"]
    before = stores_state(app)
    assert not run_import(app, tmp_path / "links").changed
    assert stores_state(app) == before


def test_deterministic_uids_match_the_standard_library():
    import uuid

    from tracker.packages import ids

    network_uid = "6f1c2a52-3f5e-4d8e-9a57-5b1d0c7e9a10"
    assert ids.node_uid(network_uid, "Person", "P1") == str(
        uuid.uuid5(ids.NAMESPACE, f"{network_uid}/Person/P1")
    )
    assert ids.relationship_uid(network_uid, "WORKS_AT", "a", "b", None) == str(
        uuid.uuid5(uuid.UUID(network_uid), "WORKS_AT/a/b/")
    )
    assert ids.school_uid_for("100001") == str(uuid.uuid5(ids.NAMESPACE, "school/100001"))
