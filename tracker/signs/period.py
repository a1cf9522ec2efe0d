"""Which terms a sign looks at, as at a date.

Rules speak of "the latest term" and "the last two terms". A term still under way holds only
part of its activity, so judging it as if it were over would make every network look as if it
were fading for the first weeks of each term. Here a term counts as *closed* once its teaching
is essentially over (the closing dates below, a little before the holidays), and:

- "the latest term" is the latest closed term;
- "the last N terms" is the latest N closed terms *plus* whatever has happened since, so a
  window never ignores recent evidence that would clear a network;
- "history" is the closed terms from the one the network started in (its ``started`` date, or
  its earliest dated event when that is missing or earlier).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from tracker.analysis.snapshot import Snapshot
from tracker.services.terms import Term, term_of

# Month and day by which a term's teaching is over (terms.py runs autumn to 31 Dec, spring to
# 31 Mar and summer to 31 Aug, holidays included; schools break up a little before these ends).
CLOSES = {"autumn": (12, 15), "spring": (3, 25), "summer": (7, 15)}


def closes_on(term: Term) -> str:
    month, day = CLOSES[term.season]
    return dt.date(term.year, month, day).isoformat()


def is_closed(term: Term, at: str) -> bool:
    return at >= closes_on(term)


def latest_closed_term(at: str) -> Term:
    term = term_of(at)
    return term if is_closed(term, at) else term.previous()


def window_start(at: str, terms: int) -> str:
    """First day of the last ``terms`` closed terms; the window runs from here to ``at``."""
    term = latest_closed_term(at)
    for _ in range(terms - 1):
        term = term.previous()
    return term.start


def dated_events(s: Snapshot) -> Iterator[str]:
    """Every date the network recorded something happening (not roles, which may predate it)."""
    for activity in s.activities:
        yield activity.date
    for group in s.groups:
        if group.started:
            yield group.started
        for session in group.sessions:
            yield session.date
        for outcome in group.outcomes:
            yield outcome.date
    for pair in s.coaching:
        yield from pair.sessions
    for transfer in s.transfers:
        if transfer.date:
            yield transfer.date
    for row in s.trained:
        if row.date:
            yield row.date


def history_start(s: Snapshot) -> str | None:
    """When the network's recorded life began: ``started`` or its earliest event if earlier."""
    if "_signs:history_start" not in s.extra:
        dates = [d for d in dated_events(s) if d and d <= s.at]
        if s.started and s.started <= s.at:
            dates.append(s.started)
        s.extra["_signs:history_start"] = min(dates) if dates else None
    return s.extra["_signs:history_start"]


def since(s: Snapshot, terms: int) -> str:
    """Start of a sign's window of ``terms`` terms, never before the network's history began
    (so evidence does not speak of a period the network did not exist in)."""
    start = window_start(s.at, terms)
    first = history_start(s)
    return max(start, first) if first and first <= s.at else start


def closed_terms(s: Snapshot) -> list[Term]:
    """The closed terms of the network's history, oldest first (empty for a new network)."""
    first = history_start(s)
    if first is None:
        return []
    term, last = term_of(first), latest_closed_term(s.at)
    out = []
    while term <= last:
        out.append(term)
        term = term.next()
    return out


def terms_of_history(s: Snapshot) -> int:
    return len(closed_terms(s))


def in_window(date: str | None, start: str, at: str) -> bool:
    return date is not None and start <= date <= at
