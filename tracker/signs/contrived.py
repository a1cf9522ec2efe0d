"""Contrived network (Harris): "formed for the extra resource that this generates. They
subsequently dissipate when other more profitable opportunities arise."

Rule: activity in the latest term below half the network's average; or activity falling for
two terms in a row; or activity stopping after a funding period ends.

Activity is the number of recorded occasions per term (group sessions, network activities,
coaching sessions, training, transfers: ``participation.activity_by_term``), counted over
closed terms only (see ``period``). "Falling" means a real decline, not the wobble of a
steady network: each term lower than the one before and, over the run, down by at least
``min_fall``. The average is that of the terms before the latest, so the latest term is
compared with what the network usually does.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from typing import Any

from tracker.analysis import participation
from tracker.analysis.snapshot import Snapshot
from tracker.services.terms import term_of
from tracker.signs import evidence as ev
from tracker.signs import period
from tracker.signs.base import Finding, Threshold

ID = "contrived"
TITLE = "Contrived network"
SOURCE = "Harris, empty networks: contrived networks"
THRESHOLDS = (
    Threshold("below_average_share", 0.5, "float", 0, 1, "Share of the usual activity",
              "The latest term's activity below this share of the earlier terms' average."),
    Threshold("falling_terms", 2, "int", 1, 6, "Terms of falling activity",
              "Activity lower than the term before for this many terms in a row."),
    Threshold("min_fall", 0.33, "float", 0, 1, "Smallest fall that counts",
              "Over the falling run, activity must drop by at least this share."),
    Threshold("min_terms", 2, "int", 2, 9, "Terms of history needed",
              "Complete terms of recorded history before the trend is judged."),
    Threshold("after_funding_share", 0.1, "float", 0, 1, "Activity left after funding",
              "Activity stops when it runs at or below this share of its funded rate."),
    Threshold("min_days_after_funding", 60, "int", 1, 365, "Days to wait after funding",
              "How long after a funding period ends before judging whether activity stopped."),
)  # fmt: skip

insufficient = ev.insufficient_for(ID, TITLE, SOURCE)

SUGGESTION = (
    "Ask what the network is for beyond its funding. Harris contrasts contrived networks with "
    "ones built on shared work that outlives a grant: Prudhoe's voluntary termly learning "
    "forum, Hartlepool's enquiry groups on questions from a network-wide audit, Oldham's "
    "co-coaching cascade that left capacity in every school. Agree one such routine the "
    "schools will keep without extra money, and put the next dates in the calendar."
)


def evaluate(s: Snapshot, t: Mapping[str, Any]) -> Finding | None:
    terms = [
        row
        for row in participation.activity_by_term(s)
        if period.is_closed(term_of(row["start"]), s.at)
    ]
    counts = [int(row["events"]) for row in terms]
    funding = _funding_stop(s, t)
    judged_trend = len(counts) >= int(t["min_terms"])
    if not judged_trend and funding is None:
        return insufficient(
            f"the network has {len(counts)} complete term(s) of recorded history and the rule "
            f"needs {int(t['min_terms'])}",
            "Keep recording the network's activity; the trend is judged once there is history.",
        )
    if not sum(counts) and funding is None:
        return insufficient(
            "no dated network activity has been recorded in a complete term",
            "Record activities, enquiry group sessions and coaching sessions with their dates.",
        )

    below = falling = False
    average = None
    if judged_trend:
        earlier = counts[:-1]
        average = sum(earlier) / len(earlier)
        below = average > 0 and counts[-1] < float(t["below_average_share"]) * average
        falling = _falling(counts, int(t["falling_terms"]), float(t["min_fall"]))
    stopped = funding is not None and funding["stopped"]
    if not (below or falling or stopped):
        return None

    latest = terms[-1] if terms else None
    deep = average is not None and average > 0 and counts[-1] <= average / 4
    concern = stopped or deep or (below and falling)
    said = []
    if below and latest:
        said.append(
            f"{latest['label']} saw {counts[-1]} recorded occasions against an average of "
            f"{average:.1f} a term before it"
        )
    if falling:
        run = terms[-int(t["falling_terms"]) - 1 :]
        said.append(
            "activity has fallen term on term: "
            + ", ".join(f"{row['label']} {row['events']}" for row in run)
        )
    if stopped and funding:
        said.append(
            f"funding from {funding['source']} ended on {funding['ended']} and activity has "
            f"almost stopped since ({funding['events_after']} occasions in "
            f"{funding['days_after']} days)"
        )
    return Finding(
        id=ID,
        severity="concern" if concern else "warning",
        title=TITLE,
        explanation="In this network " + "; ".join(said) + ".",
        source=SOURCE,
        evidence={
            "period": {"from": terms[0]["start"] if terms else None, "to": s.at},
            "activity_by_term": [
                {
                    "term": row["term"],
                    "label": row["label"],
                    "events": row["events"],
                    "attendances": row["attendances"],
                }
                for row in terms
            ],
            "latest_term": latest["term"] if latest else None,
            "latest_events": counts[-1] if counts else None,
            "average_before": None if average is None else round(average, 2),
            "below_average": below,
            "falling": falling,
            "funding": funding,
            "thresholds": dict(t),
        },
        suggestion=SUGGESTION,
    )


def _falling(counts: list[int], run: int, min_fall: float) -> bool:
    """Each of the last ``run`` terms lower than the one before, and down by ``min_fall``."""
    if len(counts) < run + 1:
        return False
    tail = counts[-run - 1 :]
    steps_down = all(b < a for a, b in itertools.pairwise(tail))
    return steps_down and tail[-1] <= (1 - min_fall) * tail[0]


def _funding_stop(s: Snapshot, t: Mapping[str, Any]) -> dict[str, Any] | None:
    """The latest ended funding period with enough time since, and whether activity stopped."""
    ended = [f for f in s.funding if f.ended and f.ended < s.at]
    if not ended:
        return None
    last = max(ended, key=lambda f: f.ended or "")
    end = dt.date.fromisoformat(last.ended or s.at)
    at = dt.date.fromisoformat(s.at)
    days_after = (at - end).days
    if days_after < int(t["min_days_after_funding"]):
        return None
    first = last.started or period.history_start(s) or last.ended
    start = dt.date.fromisoformat(first or s.at)
    dates = _event_dates(s)
    during = sum(start.isoformat() <= d <= end.isoformat() for d in dates)
    after = sum(end.isoformat() < d <= s.at for d in dates)
    days_during = (end - start).days + 1
    if during == 0 or days_during <= 0:
        return None  # nothing happened while funded: nothing could stop
    rate_during = during / days_during
    rate_after = after / days_after
    return {
        "source": last.source,
        "started": last.started,
        "ended": last.ended,
        "events_during": during,
        "days_during": days_during,
        "events_after": after,
        "days_after": days_after,
        "stopped": rate_after <= float(t["after_funding_share"]) * rate_during,
    }


def _event_dates(s: Snapshot) -> list[str]:
    dates = [date for _, date, _ in participation.occasions(s) if date]
    dates += [x.date for x in s.transfers if x.date]
    return [d for d in dates if d <= s.at]
