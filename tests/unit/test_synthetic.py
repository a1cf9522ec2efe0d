"""The synthetic package generator: complete, consistent, deterministic, and able to scale."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from tracker.packages import format as package_format
from tracker.packages.reader import read_package
from tracker.packages.synthetic import BENCHMARK, COLUMNS, write_package
from tracker.packages.validate import check
from tracker.services import vocab

Rows = dict[str, list[dict[str, str]]]


def _read(folder: Path) -> Rows:
    out: Rows = {}
    for name in COLUMNS:
        with open(folder / name, encoding="utf-8", newline="") as handle:
            out[name] = list(csv.DictReader(handle))
    return out


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int], Rows]:
    folder = tmp_path_factory.mktemp("synthetic") / "pkg"
    counts = write_package(folder, seed=11, schools=24)
    return folder, counts, _read(folder)


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# -- shape --------------------------------------------------------------------------------------


def test_every_file_of_the_format_is_written_with_every_column(package):
    folder, counts, rows = package
    assert sorted(p.name for p in folder.iterdir()) == sorted(COLUMNS)
    for spec in package_format.FILES:
        with open(folder / spec.name, encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert tuple(header) == spec.all_columns, spec.name
        assert counts[spec.name] == len(rows[spec.name])
        assert counts[spec.name] > 0, f"{spec.name} is empty"
    assert len(rows["network.csv"]) == len(rows["funding.csv"]) == 1


def test_the_importers_own_checks_find_no_problem(package):
    folder, counts, _ = package
    parsed, problems = check(read_package(folder))
    assert [str(p) for p in problems] == []
    assert parsed.rows == counts


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    assert write_package(a, seed=5) == write_package(b, seed=5)
    write_package(c, seed=6)
    for name in COLUMNS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert (a / "people.csv").read_bytes() != (c / "people.csv").read_bytes()


def test_vocabularies_are_respected(package):
    _, _, rows = package
    assert {r["phase"] for r in rows["schools.csv"]} <= set(vocab.PHASES)
    assert {r["layer"] for r in rows["people.csv"]} == {"senior", "teacher", "support"}
    assert {r["promoted"] for r in rows["people.csv"]} == {"yes", "no"}
    assert {r["role"] for r in rows["group_members.csv"]} == set(vocab.GROUP_ROLES)
    assert {r["kind"] for r in rows["outcomes.csv"]} <= set(vocab.OUTCOME_KINDS)
    assert {r["kind"] for r in rows["activities.csv"]} == set(vocab.ACTIVITY_KINDS)
    assert {r["stage"] for r in rows["transfers.csv"]} == set(vocab.ADOPTION_STAGES)
    assert {r["frequency"] for r in rows["advice.csv"]} <= set(vocab.FREQUENCIES)
    assert {r["origin"] for r in rows["roles.csv"]} == set(vocab.ORIGINS)
    assert {r["origin"] for r in rows["groups.csv"]} <= set(vocab.ORIGINS)
    levels = [lv for f in ("groups.csv", "activities.csv", "responses.csv") for r in rows[f]
              for lv in r["levels"].split(";") if lv]  # fmt: skip
    assert set(levels) == set(vocab.LEVELS)
    assert {int(r["influence"]) for r in rows["advice.csv"]} <= {1, 2, 3, 4, 5}
    assert {int(r["trust_other_schools"]) for r in rows["responses.csv"]} <= {1, 2, 3, 4, 5}
    for row in rows["roles.csv"]:
        assert row["role"] in vocab.ROLE_TITLES or row["role"][0].isupper()  # custom titles


# -- referential integrity ----------------------------------------------------------------------


def test_every_reference_resolves_and_every_id_is_unique(package):
    _, _, rows = package
    schools = [r["school_id"] for r in rows["schools.csv"]]
    people = [r["person_id"] for r in rows["people.csv"]]
    groups = [r["group_id"] for r in rows["groups.csv"]]
    pairs = [r["pair_id"] for r in rows["coaching.csv"]]
    activities = [r["activity_id"] for r in rows["activities.csv"]]
    for ids in (schools, people, groups, pairs, activities):
        assert len(ids) == len(set(ids))
    assert len({r["urn"] for r in rows["schools.csv"]}) == len(schools)
    school_set, people_set = set(schools), set(people)

    def refs(file: str, column: str, known: set[str], optional: bool = False) -> None:
        for row in rows[file]:
            for value in row[column].split(";"):
                if value or not optional:
                    assert value in known, (file, column, value)

    refs("people.csv", "school_id", school_set)
    for file, column in (
        ("roles.csv", "person_id"),
        ("group_members.csv", "person_id"),
        ("coaching.csv", "person_a"),
        ("coaching.csv", "person_b"),
        ("trained.csv", "trainer_id"),
        ("trained.csv", "trainee_id"),
        ("attendance.csv", "person_id"),
        ("advice.csv", "respondent_id"),
        ("advice.csv", "nominee_id"),
        ("responses.csv", "respondent_id"),
        ("group_sessions.csv", "attendees"),
    ):
        refs(file, column, people_set)
    refs("roles.csv", "designated_by", people_set, optional=True)
    refs("transfers.csv", "carrier_person_id", people_set, optional=True)
    for file in ("group_members.csv", "group_sessions.csv", "outcomes.csv"):
        refs(file, "group_id", set(groups))
    refs("transfers.csv", "carrier_group_id", set(groups), optional=True)
    refs("coaching_sessions.csv", "pair_id", set(pairs))
    refs("attendance.csv", "activity_id", set(activities))
    for column in ("host_school_id",):
        refs("activities.csv", column, school_set)
    refs("activities.csv", "decided_by_school_id", school_set, optional=True)
    refs("transfers.csv", "from_school_id", school_set)
    refs("transfers.csv", "to_school_id", school_set)

    # Rows without an id of their own are still one row per thing.
    def unique(file: str, *columns: str) -> None:
        keys = [tuple(r[c] for c in columns) for r in rows[file]]
        assert len(keys) == len(set(keys)), (file, columns)

    unique("roles.csv", "person_id", "role", "from")
    unique("group_members.csv", "group_id", "person_id")
    unique("group_sessions.csv", "group_id", "date")
    unique("coaching_sessions.csv", "pair_id", "date")
    unique("trained.csv", "trainer_id", "trainee_id", "practice")
    unique("attendance.csv", "activity_id", "person_id")
    unique("transfers.csv", "practice_id", "to_school_id", "stage")
    unique("advice.csv", "respondent_id", "nominee_id")
    unique("responses.csv", "respondent_id")
    names = defaultdict(set)
    for row in rows["transfers.csv"]:
        names[row["practice_id"]].add(row["practice"])
        assert row["from_school_id"] != row["to_school_id"]
        assert not (row["carrier_person_id"] and row["carrier_group_id"])
    assert all(len(n) == 1 for n in names.values())
    for row in rows["coaching.csv"]:
        assert row["person_a"] != row["person_b"]


# -- dates ----------------------------------------------------------------------------------------


def test_dates_are_in_order_and_people_take_part_only_while_they_are_there(package):
    _, _, rows = package
    start, end = _day("2024-09-01"), _day("2025-08-31")
    joined = {r["school_id"]: _day(r["joined"]) for r in rows["schools.csv"]}
    person = {r["person_id"]: r for r in rows["people.csv"]}

    def present(pid: str, day: dt.date) -> bool:
        p = person[pid]
        return (
            _day(p["from"]) <= day
            and joined[p["school_id"]] <= day
            and (not p["to"] or day <= _day(p["to"]))
        )

    def period(first: str, last: str) -> tuple[dt.date, dt.date]:
        lo, hi = _day(first), _day(last) if last else end
        assert start <= lo <= hi <= end
        return lo, hi

    assert all(start <= d <= end for d in joined.values())
    for p in rows["people.csv"]:
        assert not p["to"] or _day(p["from"]) <= _day(p["to"]) <= end
    for r in rows["roles.csv"]:
        lo, hi = period(r["from"], r["to"])
        assert present(r["person_id"], lo)
    groups = {g["group_id"]: period(g["started"], g["ended"]) for g in rows["groups.csv"]}
    members = defaultdict(set)
    for m in rows["group_members.csv"]:
        lo, hi = period(m["from"], m["to"])
        g_lo, g_hi = groups[m["group_id"]]
        assert g_lo <= lo and hi <= g_hi
        assert present(m["person_id"], lo)
        members[m["group_id"]].add(m["person_id"])
    guests = 0
    for s in rows["group_sessions.csv"]:
        day = _day(s["date"])
        g_lo, g_hi = groups[s["group_id"]]
        assert g_lo <= day <= g_hi and day.weekday() < 5
        for pid in s["attendees"].split(";"):
            assert present(pid, day)
            guests += pid not in members[s["group_id"]]
    assert 0 < guests < len(rows["group_sessions.csv"])  # mostly members, sometimes a guest
    for o in rows["outcomes.csv"]:
        g_lo, g_hi = groups[o["group_id"]]
        assert g_lo <= _day(o["date"]) <= g_hi
    pairs = {p["pair_id"]: period(p["started"], p["ended"]) for p in rows["coaching.csv"]}
    for p in rows["coaching.csv"]:
        assert present(p["person_a"], _day(p["started"]))
        assert present(p["person_b"], _day(p["started"]))
    for s in rows["coaching_sessions.csv"]:
        lo, hi = pairs[s["pair_id"]]
        assert lo <= _day(s["date"]) <= hi
    for t in rows["trained.csv"]:
        assert present(t["trainer_id"], _day(t["date"]))
        assert present(t["trainee_id"], _day(t["date"]))
    when = {}
    for a in rows["activities.csv"]:
        day = when[a["activity_id"]] = _day(a["date"])
        assert start <= day <= end and day.weekday() < 5
        assert joined[a["host_school_id"]] <= day
    for a in rows["attendance.csv"]:
        assert present(a["person_id"], when[a["activity_id"]])
    stages = defaultdict(dict)
    for t in rows["transfers.csv"]:
        day = _day(t["date"])
        assert joined[t["from_school_id"]] <= day and joined[t["to_school_id"]] <= day
        stages[(t["practice_id"], t["to_school_id"])][t["stage"]] = day
    for steps in stages.values():
        ordered = [steps[s] for s in vocab.ADOPTION_STAGES if s in steps]
        assert "heard" in steps and ordered == sorted(ordered)
    for a in rows["advice.csv"]:
        assert present(a["respondent_id"], _day(a["date"]))
        assert present(a["nominee_id"], _day(a["date"]))


# -- believable content ---------------------------------------------------------------------------


def test_the_network_looks_like_the_sources_describe(package):
    _, _, rows = package
    people = {r["person_id"]: r for r in rows["people.csv"]}
    school = {pid: p["school_id"] for pid, p in people.items()}
    heads = [p for p in people.values() if p["job_title"] in {"Headteacher", "Principal"}]
    assert sorted(p["school_id"] for p in heads) == sorted(
        r["school_id"] for r in rows["schools.csv"]
    )
    layers = Counter(p["layer"] for p in people.values())
    assert 0.05 < layers["senior"] / len(people) < 0.2
    assert 0.25 < layers["support"] / len(people) < 0.45
    assert len({r["phase"] for r in rows["schools.csv"]}) >= 3
    assert any(r["joined"] != "2024-09-01" for r in rows["schools.csv"])

    priorities = rows["network.csv"][0]["priorities"].split(";")
    on_priority = [g for g in rows["groups.csv"] if g["priority"]]
    assert {g["priority"] for g in on_priority} <= set(priorities)
    assert len(on_priority) > len(rows["groups.csv"]) / 2
    with_outcomes = {o["group_id"] for o in rows["outcomes.csv"]}
    assert 0 < len(with_outcomes) < len(rows["groups.csv"])  # outcomes for some groups only

    # The cascade: the first wave is two per school, then coaching others at home.
    trainers = Counter((t["trainer_id"], t["practice"]) for t in rows["trained.csv"])
    root, practice = trainers.most_common(1)[0][0]
    first_wave = [t for t in rows["trained.csv"] if (t["trainer_id"], t["practice"]) == (
        root, practice)]  # fmt: skip
    assert set(Counter(school[t["trainee_id"]] for t in first_wave).values()) == {2}
    wave = {t["trainee_id"] for t in first_wave}
    home = [t for t in rows["trained.csv"] if t["trainer_id"] in wave and t["practice"] == practice]
    assert home and all(school[t["trainer_id"]] == school[t["trainee_id"]] for t in home)
    across = [p for p in rows["coaching.csv"] if school[p["person_a"]] != school[p["person_b"]]]
    assert across and len(across) < len(rows["coaching.csv"])

    # Heads designate; some leadership arose by default, with nobody designating it.
    for r in rows["roles.csv"]:
        if r["designated_by"]:
            assert people[r["designated_by"]]["layer"] == "senior"
        else:
            assert r["origin"] != "design"

    # Forums: one per term per cluster of schools, hosted in turn.
    forums = [a for a in rows["activities.csv"] if a["kind"] == "learning_forum"]
    hosts = [a["host_school_id"] for a in forums]
    assert len(forums) >= 3 * 3 and len(set(hosts)) >= len(forums) * 0.9

    # Advice: mostly within school, heads and seniors over-nominated (Torrance).
    advice = rows["advice.csv"]
    inside = sum(school[a["respondent_id"]] == school[a["nominee_id"]] for a in advice)
    assert 0.6 < inside / len(advice) < 0.95
    senior_share = layers["senior"] / len(people)
    to_seniors = sum(people[a["nominee_id"]]["layer"] == "senior" for a in advice) / len(advice)
    assert to_seniors > 2 * senior_share
    answered = len(rows["responses.csv"]) / len(people)
    assert 0.6 < answered < 0.9


def test_schools_can_be_given_by_the_caller(tmp_path):
    specs = [
        {"name": "Alpha Primary", "urn": "900001", "phase": "primary", "lat": 54.1, "lon": -1.1,
         "school_id": "A", "staff": 12, "size": 210},
        {"name": "Beta High", "urn": "900002", "phase": "secondary", "lat": 54.2, "lon": -1.2,
         "school_id": "B", "joined": "2025-01-06"},
    ]  # fmt: skip
    counts = write_package(
        tmp_path, seed=1, schools=specs, network_name="Pair Network", priorities=["Oracy"]
    )
    rows = _read(tmp_path)
    assert rows["network.csv"][0]["name"] == "Pair Network"
    assert rows["network.csv"][0]["priorities"] == "Oracy"
    assert [(s["school_id"], s["urn"], s["joined"]) for s in rows["schools.csv"]] == [
        ("A", "900001", "2024-09-01"),
        ("B", "900002", "2025-01-06"),
    ]
    assert rows["schools.csv"][0]["size"] == "210"
    assert sum(p["school_id"] == "A" for p in rows["people.csv"]) == 12
    assert counts["groups.csv"] >= 2
    assert check(read_package(tmp_path))[1] == []


def test_without_advice_the_questionnaire_files_hold_only_their_header(tmp_path):
    counts = write_package(tmp_path, seed=3, advice=False, months=6, start="2025-01-01")
    assert counts["advice.csv"] == counts["responses.csv"] == 0
    assert (tmp_path / "advice.csv").read_text().strip() == ",".join(COLUMNS["advice.csv"])
    assert counts["group_sessions.csv"] > 0
    assert check(read_package(tmp_path))[1] == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"schools": 1}, "at least two schools"),
        ({"months": 0}, "months at least 1"),
        ({"staff_scale": 0}, "must be positive"),
        ({"activity_scale": -1}, "must be positive"),
        ({"months": 1, "start": "2025-08-01"}, "no school term"),
    ],
)
def test_impossible_requests_are_refused(tmp_path, options, message):
    with pytest.raises(ValueError, match=message):
        write_package(tmp_path, seed=1, **options)
    assert not any(tmp_path.iterdir())


def test_the_benchmark_package_has_at_least_200000_valid_rows(tmp_path):
    counts = write_package(tmp_path, **BENCHMARK)
    assert sum(counts.values()) >= 200_000
    assert counts["schools.csv"] == 200
    assert all(counts.values())
    parsed, problems = check(read_package(tmp_path))
    assert problems == []
    assert sum(parsed.rows.values()) == sum(counts.values())
