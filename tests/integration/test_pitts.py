"""The Pitts & Spillane (2009) schools, converted by the script and imported as a package.

Counts are checked against the data's README: 15 schools, 433 teachers (school sizes 30, 21,
25, 19, 26, 49, 76, 42, 33, 29, 12, 28, 14, 14, 15) and 1540 advice arcs.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.conftest import stores_state
from tracker.extensions import graph
from tracker.graph.queries import maintenance
from tracker.packages import import_package

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "pitts_to_package.py"
SIZES = [30, 21, 25, 19, 26, 49, 76, 42, 33, 29, 12, 28, 14, 14, 15]


def test_the_pitts_spillane_schools_import_with_the_readme_counts(app, tmp_path):
    out = tmp_path / "pitts"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "15 schools, 433 teachers, 1540 advice ties" in done.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "advice.csv",
        "network.csv",
        "people.csv",
        "schools.csv",
    ]
    with app.app_context():
        report = import_package(out)
    assert report.ok, [str(p) for p in report.problems[:5]]
    assert report.network_name == "Pitts & Spillane (2009) schools"
    assert report.created == {
        "network.csv": 1,
        "schools.csv": 15,
        "people.csv": 433,
        "advice.csv": 1540,
    }
    with app.app_context():
        nodes = graph.store.run(maintenance.DUMP_NODES)
        rels = graph.store.run(maintenance.DUMP_RELATIONSHIPS)
    schools = {n["props"]["uid"]: n["props"] for n in nodes if "School" in n["labels"]}
    people = [n["props"] for n in nodes if "Person" in n["labels"]]
    assert len(schools) == 15
    assert sorted(s["urn"] for s in schools.values()) == [f"PS{i:03d}" for i in range(1, 16)]
    assert len(people) == 433
    assert {p["layer"] for p in people} == {"teacher"}
    assert all(p["network_uid"] == report.network_uid for p in people)
    advice = [r for r in rels if r["type"] == "SEEKS_ADVICE"]
    assert len(advice) == 1540
    assert {r["props"]["topic"] for r in advice} == {"teaching_and_learning"}
    assert {r["props"].get("frequency") for r in advice} == {None}
    assert {r["props"].get("influence") for r in advice} == {None}
    works = Counter(schools[r["target"]]["urn"] for r in rels if r["type"] == "WORKS_AT")
    assert [works[f"PS{i:03d}"] for i in range(1, 16)] == SIZES
    # Advice was measured within each school only: no tie crosses schools.
    school_of = {r["source"]: r["target"] for r in rels if r["type"] == "WORKS_AT"}
    assert all(school_of[r["source"]] == school_of[r["target"]] for r in advice)
    before = stores_state(app)
    with app.app_context():
        again = import_package(out)
    assert again.unchanged["advice.csv"] == 1540 and not again.changed
    assert stores_state(app) == before
