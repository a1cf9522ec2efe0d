"""English school terms: which term a date falls in, and the terms between two dates.

Terms here are the three broad seasons a coordinator reports by, not a local authority's
exact term dates: autumn 1 Sep to 31 Dec, spring 1 Jan to 31 Mar, summer 1 Apr to 31 Aug.
Holidays belong to the term they fall in, so every date has exactly one term. Pure functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

SEASONS = ("autumn", "spring", "summer")

# (first month, last month, last day) of each season.
_BOUNDS = {"autumn": (9, 12, 31), "spring": (1, 3, 31), "summer": (4, 8, 31)}


@dataclass(frozen=True, order=True)
class Term:
    """One term. ``year`` is the calendar year the term falls in (Autumn 2025, Spring 2026)."""

    year: int
    index: int  # 0 spring, 1 summer, 2 autumn: calendar order within ``year``

    @property
    def season(self) -> str:
        return ("spring", "summer", "autumn")[self.index]

    @property
    def label(self) -> str:
        return f"{self.season.capitalize()} {self.year}"

    @property
    def academic_year(self) -> str:
        """``2025/26`` for Autumn 2025, Spring 2026 and Summer 2026."""
        first = self.year if self.season == "autumn" else self.year - 1
        return f"{first}/{(first + 1) % 100:02d}"

    @property
    def start(self) -> str:
        month, _, _ = _BOUNDS[self.season]
        return dt.date(self.year, month, 1).isoformat()

    @property
    def end(self) -> str:
        _, month, day = _BOUNDS[self.season]
        return dt.date(self.year, month, day).isoformat()

    @property
    def key(self) -> str:
        """A short id for links and anchors: ``2025-autumn``."""
        return f"{self.year}-{self.season}"

    def next(self) -> Term:
        return Term(self.year + 1, 0) if self.index == 2 else Term(self.year, self.index + 1)

    def previous(self) -> Term:
        return Term(self.year - 1, 2) if self.index == 0 else Term(self.year, self.index - 1)

    def contains(self, day: str | dt.date) -> bool:
        return self.start <= _iso(day) <= self.end

    def __str__(self) -> str:
        return self.label


def _iso(day: str | dt.date) -> str:
    if isinstance(day, dt.date):
        return day.isoformat()
    return dt.date.fromisoformat(day).isoformat()


def term_of(day: str | dt.date) -> Term:
    """The term a date (``'YYYY-MM-DD'`` or a ``date``) falls in."""
    date = day if isinstance(day, dt.date) else dt.date.fromisoformat(day)
    if date.month >= 9:
        return Term(date.year, 2)
    if date.month >= 4:
        return Term(date.year, 1)
    return Term(date.year, 0)


def terms_between(first: str | dt.date, last: str | dt.date) -> list[Term]:
    """Every term from the one holding ``first`` to the one holding ``last``, oldest first.

    Empty when ``last`` is before ``first``.
    """
    if _iso(last) < _iso(first):
        return []
    term, final = term_of(first), term_of(last)
    terms = [term]
    while term < final:
        term = term.next()
        terms.append(term)
    return terms
