"""Answers given through a web questionnaire round are never matched or changed by an import."""

from __future__ import annotations

import csv
import datetime as dt

from tests.helpers import coordinator_scope
from tracker.extensions import graph
from tracker.graph.queries import maintenance
from tracker.packages import export_package, import_package
from tracker.services import surveys

TODAY = dt.date.today().isoformat()


def _responses(app) -> list[dict]:
    with app.app_context():
        nodes = graph.store.run(maintenance.DUMP_NODES)
    return sorted(
        (n["props"] for n in nodes if "Response" in n["labels"]), key=lambda r: r["survey"]
    )


def test_an_imported_answer_on_the_same_day_leaves_the_web_answer_alone(app, world, tmp_path):
    a, b = (p["uid"] for p in world.people["A"][:2])
    with app.app_context():
        scope = coordinator_scope(world)
        opens = (dt.date.today() - dt.timedelta(days=1)).isoformat()
        closes = (dt.date.today() + dt.timedelta(days=10)).isoformat()
        round_ = surveys.open_round(
            scope,
            {"title": "Autumn round", "topics": ["curriculum"], "opens": opens,
             "closes": closes, "schools": [], "layers": [], "consent_text": ""},
        )  # fmt: skip
        links = {r["person_uid"]: r["link"] for r in surveys.issue_links(scope, round_["uid"], "/")}
        token = links[a].rsplit("/", 1)[1]
        surveys.give_consent(token)
        surveys.save_nomination(
            token, {"nominee_uid": b, "topics": ["curriculum"], "frequency": "weekly",
                    "influence": "4"},
        )  # fmt: skip
        surveys.save_self(
            token, {"leader_in_school": "yes", "leader_in_network": "no",
                    "trust_other_schools": "4", "levels": ["adult"]},
        )  # fmt: skip
        surveys.submit(token)
        web = _responses(app)
        assert [r["survey"] for r in web] == [round_["uid"]]

        folder = tmp_path / "package"
        export_package(scope.network_uid, folder)
        with open(folder / "people.csv", encoding="utf-8") as handle:
            key = next(r["person_id"] for r in csv.DictReader(handle) if r["name"] == "A Person 0")
        with open(folder / "responses.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(("respondent_id", "date", "leader_in_school", "leader_in_network",
                             "trust_other_schools"))  # fmt: skip
            writer.writerow((key, web[0]["date"], "no", "yes", "1"))
        report = import_package(folder, actor="test")
        assert report.ok, report.problems

    after = _responses(app)
    assert len(after) == 2
    imported = next(r for r in after if r["survey"].startswith("import:"))
    assert [r for r in after if r is not imported] == web, "the web answer is untouched"
    assert (imported["leader_in_school"], imported["trust_other_schools"]) == ("no", 1)


def test_an_export_with_web_answers_imports_back_as_no_change(app, world, tmp_path):
    from tests.conftest import stores_state

    a, b = (p["uid"] for p in world.people["A"][:2])
    with app.app_context():
        scope = coordinator_scope(world)
        today = dt.date.today()
        round_ = surveys.open_round(
            scope,
            {"title": "Autumn round", "topics": ["curriculum", "pupil_care"],
             "opens": (today - dt.timedelta(days=1)).isoformat(),
             "closes": (today + dt.timedelta(days=9)).isoformat(),
             "schools": [], "layers": [], "consent_text": ""},
        )  # fmt: skip
        link = next(
            r["link"]
            for r in surveys.issue_links(scope, round_["uid"], "/")
            if r["person_uid"] == a
        )
        token = link.rsplit("/", 1)[1]
        surveys.give_consent(token)
        surveys.save_nomination(
            token, {"nominee_uid": b, "topics": ["curriculum", "pupil_care"],
                    "frequency": "monthly", "influence": "3"},
        )  # fmt: skip
        surveys.save_self(token, {"leader_in_school": "no", "leader_in_network": "no",
                                  "trust_other_schools": "3", "levels": []})  # fmt: skip
        surveys.submit(token)
        export_package(scope.network_uid, tmp_path / "export")
    with open(tmp_path / "export" / "advice.csv", encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 2, "the web answer is in the export"
    before = stores_state(app)
    with app.app_context():
        report = import_package(tmp_path / "export", actor="test")
    assert report.ok, report.problems
    totals = report.totals()
    assert totals["created"] == totals["updated"] == 0, totals
    assert stores_state(app)[0] == before[0], "the graph is exactly as it was"
