"""Cutting a history at a date: which questionnaire round counts, and what is current."""

from __future__ import annotations

from tracker.analysis.history import History, round_of


def _tie(source: str, target: str, survey: str, asked_at: str) -> dict:
    return {"source": source, "target": target, "topic": "curriculum", "frequency": "weekly",
            "influence": 3, "survey": survey, "asked_at": asked_at}  # fmt: skip


def _history(**rows) -> History:
    people = [
        {"uid": uid, "key": uid, "name": uid.upper(), "layer": "teacher",
         "works": [["s1", "2020-01-01", None]]}
        for uid in ("a", "b", "c")
    ]  # fmt: skip
    return History(
        network={"uid": "n", "name": "N", "started": "2024-09-01", "priorities": ["Reading"]},
        schools=[{"uid": "s1", "key": "S1", "name": "One", "joined": "2024-09-01",
                  "memberships": [["n", "2024-09-01", None], ["m", "2023-01-01", "2024-12-31"]]}],
        people=people,
        **rows,
    )  # fmt: skip


def test_imported_answers_from_one_term_are_one_round() -> None:
    assert round_of("import:2025-05-02") == round_of("import:2025-06-20") == "import:2025-summer"
    assert round_of("import:2025-09-02") == "import:2025-autumn"
    assert round_of("8c1f-round-uid") == "8c1f-round-uid"
    assert round_of(None) is None


def test_the_latest_round_before_the_date_is_analysed_and_the_one_before_kept() -> None:
    history = _history(
        advice=[
            _tie("a", "b", "import:2025-01-10", "2025-01-10"),
            _tie("b", "c", "import:2025-05-02", "2025-05-02"),
            _tie("c", "a", "import:2025-06-20", "2025-06-20"),
        ]
    )
    summer = history.at("2025-07-31")
    assert summer.survey == "import:2025-summer"
    assert {(t.source, t.target) for t in summer.advice} == {("b", "c"), ("c", "a")}
    assert summer.previous_survey == "import:2025-spring"
    assert [(t.source, t.target) for t in summer.previous_advice] == [("a", "b")]
    # Before the summer's later answer arrived, only what had been said so far counts.
    early_june = history.at("2025-06-01")
    assert [(t.source, t.target) for t in early_june.advice] == [("b", "c")]
    assert history.at("2024-12-31").survey is None


def test_a_round_still_open_is_left_out() -> None:
    history = _history(
        advice=[_tie("a", "b", "closed", "2025-01-10"), _tie("b", "c", "open", "2025-03-01")]
    )
    snap = history.at("2025-03-15", exclude_surveys={"open"})
    assert snap.survey == "closed"
    assert [(t.source, t.target) for t in snap.advice] == [("a", "b")]


def test_schools_count_only_the_networks_they_belong_to_at_the_date() -> None:
    history = _history()
    assert history.at("2024-10-01").schools[0].networks == 2
    assert history.at("2025-01-01").schools[0].networks == 1
    assert history.at("2024-08-31").schools == (), "the school joined on 2024-09-01"


def test_ended_pairs_keep_their_sessions_and_new_schools_bring_staff_when_they_join() -> None:
    history = _history(
        coaching=[
            {"uid": "p1", "practice": "P4C", "started": "2024-09-10", "ended": "2025-01-31",
             "sessions": ["2024-10-01", "2025-01-15", "2025-06-01"], "people": ["a", "b"]},
        ],
    )  # fmt: skip
    summer = history.at("2025-07-31")
    assert [(p.uid, p.ended, p.sessions) for p in summer.coaching] == [
        ("p1", "2025-01-31", ("2024-10-01", "2025-01-15", "2025-06-01"))
    ], "an ended pair is kept with its end date; its sessions still count"
    assert summer.schools[0].joined == "2024-09-01"
    # Before the school joined, its staff are not yet in the network.
    assert history.at("2024-08-01").people == ()


def test_the_same_schools_recorded_as_two_networks_are_one_collaboration() -> None:
    """Overload counts partnerships: a copy of this network (same schools) is not another."""
    history = _history(
        partner_networks={
            "copy": [["s1", "2024-09-01", None]],
            "other": [["s1", "2023-01-01", "2024-12-31"], ["s9", "2023-01-01", None]],
        }
    )
    history.schools[0]["memberships"] = [
        ["n", "2024-09-01", None], ["copy", "2024-09-01", None], ["other", "2023-01-01", None]
    ]  # fmt: skip
    assert history.at("2024-10-01").schools[0].networks == 2, "n and its copy count once"
    assert history.at("2025-06-01").schools[0].networks == 2, "other's set is {s9} by then"
