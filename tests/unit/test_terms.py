"""School terms: boundaries, labels, academic years and ranges (pure functions, no I/O)."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.services.terms import Term, term_of, terms_between


@pytest.mark.parametrize(
    ("day", "label", "academic_year"),
    [
        ("2025-09-01", "Autumn 2025", "2025/26"),
        ("2025-12-31", "Autumn 2025", "2025/26"),
        ("2026-01-01", "Spring 2026", "2025/26"),
        ("2026-03-31", "Spring 2026", "2025/26"),
        ("2026-04-01", "Summer 2026", "2025/26"),
        ("2026-08-31", "Summer 2026", "2025/26"),
        ("2025-08-31", "Summer 2025", "2024/25"),
        ("1999-10-15", "Autumn 1999", "1999/00"),
        ("2000-02-29", "Spring 2000", "1999/00"),
    ],
)
def test_term_of_each_boundary(day: str, label: str, academic_year: str) -> None:
    term = term_of(day)
    assert term.label == label
    assert str(term) == label
    assert term.academic_year == academic_year


def test_term_of_accepts_a_date_object() -> None:
    assert term_of(dt.date(2024, 11, 5)) == term_of("2024-11-05") == Term(2024, 2)


@pytest.mark.parametrize(
    ("term", "start", "end"),
    [
        (Term(2025, 2), "2025-09-01", "2025-12-31"),
        (Term(2026, 0), "2026-01-01", "2026-03-31"),
        (Term(2026, 1), "2026-04-01", "2026-08-31"),
    ],
)
def test_term_start_and_end(term: Term, start: str, end: str) -> None:
    assert (term.start, term.end) == (start, end)
    assert term.contains(start) and term.contains(end)
    assert not term.contains(term.previous().end)
    assert not term.contains(term.next().start)
    assert term_of(start) == term_of(end) == term


def test_next_and_previous_walk_the_year_round() -> None:
    autumn = Term(2025, 2)
    assert autumn.next() == Term(2026, 0)
    assert autumn.next().label == "Spring 2026"
    assert autumn.next().next().label == "Summer 2026"
    assert autumn.next().next().next().label == "Autumn 2026"
    assert autumn.previous().label == "Summer 2025"
    assert Term(2026, 0).previous() == autumn


def test_terms_follow_calendar_order() -> None:
    assert Term(2025, 1) < Term(2025, 2) < Term(2026, 0)
    assert sorted([Term(2026, 0), Term(2025, 2), Term(2025, 1)]) == [
        Term(2025, 1),
        Term(2025, 2),
        Term(2026, 0),
    ]


def test_key_names_year_and_season() -> None:
    assert Term(2025, 2).key == "2025-autumn"
    assert term_of("2026-05-01").key == "2026-summer"
    assert term_of("2026-05-01").season == "summer"


def test_terms_between_covers_both_ends_oldest_first() -> None:
    terms = terms_between("2024-09-01", "2025-10-20")
    assert [t.label for t in terms] == [
        "Autumn 2024",
        "Spring 2025",
        "Summer 2025",
        "Autumn 2025",
    ]


def test_terms_between_inside_one_term() -> None:
    assert terms_between("2025-01-06", "2025-03-01") == [Term(2025, 0)]


def test_terms_between_is_empty_when_the_end_comes_first() -> None:
    assert terms_between("2025-10-01", "2025-09-30") == []


def test_bad_dates_are_refused() -> None:
    with pytest.raises(ValueError, match=r"month must be in 1\.\.12"):
        term_of("2025-13-01")
    with pytest.raises(ValueError, match="Invalid isoformat"):
        terms_between("2025-09-01", "not a date")
