"""Low connectedness (Castells, in Harris): the network cannot carry "noise free communication
between its components" when schools sit apart from each other.

Rule: in the last two terms the school-level graph has more than one component, or a member
school has no cross-school tie, or the network's E-I index is below -0.8.

The school-level graph is ``graphs.school_graph`` over the window, read as domain.md defines
it for connectedness: schools linked by a cross-school tie or a shared activity. A transfer
alone is a flow of knowledge, not a tie (a practice can travel as a document), so it neither
joins two parts of the network nor keeps a school from being cut off; the E-I index is that of
people's ties by school in the tie graph (advice and recorded collaboration), the measure of
how far the network's working relationships cross school boundaries. Training given before
the window does not count as a recent tie.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.analysis import metrics
from tracker.analysis.snapshot import Snapshot
from tracker.signs import evidence as ev
from tracker.signs import period
from tracker.signs.base import Finding, Threshold

ID = "low_connectedness"
TITLE = "Low connectedness"
SOURCE = "Castells (2001), connectedness, in Harris"
THRESHOLDS = (
    Threshold("window_terms", 2, "int", 1, 6, "Terms looked back",
              "A school with no cross-school tie in this many terms counts as cut off."),
    Threshold("max_components", 1, "int", 1, 50, "Separate parts allowed",
              "The sign holds when the school-level graph falls into more parts than this."),
    Threshold("min_ei", -0.8, "float", -1, 1, "Lowest E-I index",
              "E-I index of people's ties by school, from -1 (all inside schools) to +1."),
)  # fmt: skip

insufficient = ev.insufficient_for(ID, TITLE, SOURCE)

SUGGESTION = (
    "Bring the separate schools into shared work: Prudhoe's termly learning forum, hosted in "
    "turn by each school, brought staff of every school together to share what they were "
    "learning, and Hartlepool's enquiry groups drew volunteer teachers from several schools "
    "onto network-wide questions. Invite the schools named here to host the next forum or to "
    "send someone to an enquiry group."
)


def evaluate(s: Snapshot, t: Mapping[str, Any]) -> Finding | None:
    if len(s.schools) < 2:
        return insufficient(
            "the network has fewer than two schools",
            "Add the network's member schools.",
        )  # fmt: skip
    since = period.since(s, int(t["window_terms"]))
    schools = ev.school_graph(s, since)
    ties = ev.tie_graph(s, since)
    if schools.ecount() == 0 and ties.ecount() == 0 and not _anything_recorded(s, since):
        return insufficient(
            f"nothing joining people or schools has been recorded since {since}",
            "Record activities, enquiry groups, coaching, transfers or a questionnaire round.",
        )  # fmt: skip

    parts = metrics.components(_linked(schools))
    isolated = _without_ties(s, schools)
    ei = metrics.ei_index(ties, "school")
    split = len(parts) > int(t["max_components"])
    inward = ei is not None and ei < float(t["min_ei"])
    if not (split or isolated or inward):
        return None
    if period.terms_of_history(s) < 1:
        # A network in its first term has not had time to link every school.
        return insufficient(
            "the network has not yet completed a term of recorded activity",
            "Record the network's activities, enquiry groups and coaching as they happen.",
        )  # fmt: skip

    groups = [part for part in parts if len(part) >= 2]
    largest = len(parts[0]) if parts else 0
    clauses = sum((len(groups) >= 2, bool(isolated), inward))
    concern = clauses >= 2 or largest * 2 <= len(s.schools)
    advice = ev.advice_graph(s)
    evidence = {
        "period": {"from": since, "to": s.at},
        "schools": len(s.schools),
        "components": len(parts),
        "parts": [ev.schools(s, (s.schools[v].uid for v in part)) for part in parts]
        if split
        else [],
        "isolated_schools": ev.schools(s, isolated),
        "ei_index": None if ei is None else round(ei, 3),
        "advice_ei_index": _round(metrics.ei_index(advice, "school")) if advice.ecount() else None,
        "cross_school_ties": metrics.ei_counts(ties, "school")[0],
        "within_school_ties": metrics.ei_counts(ties, "school")[1],
        "thresholds": dict(t),
    }
    return Finding(
        id=ID,
        severity="concern" if concern else "warning",
        title=TITLE,
        explanation=_explain(s, since, parts if split else [], isolated, ei if inward else None),
        source=SOURCE,
        evidence=evidence,
        suggestion=SUGGESTION,
    )


def _explain(
    s: Snapshot, since: str, parts: list[list[int]], isolated: list[str], ei: float | None
) -> str:
    said = []
    if parts:
        said.append(
            f"the schools form {len(parts)} separate parts with no tie or shared activity "
            "between them"
        )
    if isolated:
        names = ev.name_list([ev.school_name(s, uid) for uid in isolated])
        verb = "has" if len(isolated) == 1 else "have"
        said.append(f"{names} {verb} no tie to, or shared activity with, another school")
    if ei is not None:
        said.append(
            f"people's ties stay overwhelmingly inside their own school (E-I index {ei:.2f})"
        )
    return f"Since {since}, " + "; ".join(said) + "."


def _linked(schools: Any) -> Any:
    """The school graph without links that are transfers only (every school kept)."""
    edges = [e.index for e in schools.es if e["ties"] or e["hosted"]]
    return schools.subgraph_edges(edges, delete_vertices=False)


def _without_ties(s: Snapshot, schools: Any) -> list[str]:
    """Schools with no person tie to, and no shared activity with, another school.

    The school-level graph also links schools by knowledge transfer, which is a flow, not a
    tie: a school that adopted a practice from a document but met nobody is still cut off.
    """
    linked = set()
    for edge in schools.es:
        if edge["ties"] or edge["hosted"]:
            linked.update(edge.tuple)
    return [row.uid for v, row in enumerate(s.schools) if v not in linked]


def _anything_recorded(s: Snapshot, since: str) -> bool:
    return any(d >= since for d in period.dated_events(s) if d and d <= s.at)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
