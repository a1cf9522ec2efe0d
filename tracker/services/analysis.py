"""Metrics, warning signs and trends for a network, cached per date and data version.

The graph is read once per computation (``tracker/graph/snapshot.py``: a fixed set of
queries); the history is then cut at the requested date and at the end of each earlier term
for the trend, and everything is computed in Python (``tracker/analysis``, ``tracker/signs``).
The result is stored in ``cached_results`` under (network, date, data version, thresholds);
any audited write or questionnaire answer bumps the data version, so a cached result is
either current or never read again. A cache hit does no graph work at all.

People's names are in the cached result as recorded; :func:`for_viewer` masks them for the
person asking (evaluators see pseudonyms unless granted names; leaders see other schools'
people as pseudonyms), so the browser never receives a name the viewer may not see.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from tracker.access import Scope
from tracker.analysis import graphs as analysis_graphs
from tracker.analysis import metrics as analysis_metrics
from tracker.analysis.history import History
from tracker.analysis.snapshot import Snapshot
from tracker.extensions import db, graph
from tracker.graph.snapshot import load_history
from tracker.models import CachedResult, SurveyRound
from tracker.services import Invalid, Stale, audit, dataversion, today
from tracker.services.pseudonyms import pseudonym
from tracker.services.terms import Term, term_of
from tracker.signs import (
    DEFAULT_THRESHOLDS,
    Finding,
    ThresholdError,
    evaluate_all,
    validate_thresholds,
)

TREND_TERMS = 6  # terms shown in the dashboard's trend charts, the current one included
CACHE_KIND = "analysis"
KEEP_VERSIONS = 3  # stale cache rows older than this many data versions are pruned


# -- thresholds ------------------------------------------------------------------------------


def thresholds(network_uid: str) -> dict[str, dict[str, Any]]:
    """The defaults with the network's own changes laid over them."""
    saved = dataversion.settings_for(network_uid).thresholds or {}
    merged = {sign: dict(values) for sign, values in DEFAULT_THRESHOLDS.items()}
    for sign, values in saved.items():
        if sign in merged:
            merged[sign].update({k: v for k, v in values.items() if k in merged[sign]})
    return merged


def save_thresholds(
    scope: Scope, raw: dict[str, dict[str, Any]], version: int
) -> dict[str, dict[str, Any]]:
    """Validate and store a network's thresholds (only values that differ from the default)."""
    settings = dataversion.settings_for(scope.network_uid)
    if settings.version != version:
        raise Stale(thresholds(scope.network_uid), [])
    current = thresholds(scope.network_uid)
    for sign, values in raw.items():  # what was not sent keeps its value
        current.setdefault(sign, {}).update(values)
    try:
        clean = validate_thresholds(current)
    except ThresholdError as error:
        raise Invalid(error.errors) from error
    changes = {
        sign: {k: v for k, v in values.items() if DEFAULT_THRESHOLDS[sign].get(k) != v}
        for sign, values in clean.items()
    }
    changes = {sign: values for sign, values in changes.items() if values}
    before = settings.thresholds or {}
    settings.thresholds = changes
    settings.version += 1
    audit.record(
        scope.user,
        "thresholds.update",
        "network",
        scope.network_uid,
        network_uid=scope.network_uid,
        before=before,
        after=changes,
    )
    return thresholds(scope.network_uid)


def settings_version(network_uid: str) -> int:
    return dataversion.settings_for(network_uid).version


# -- computing ---------------------------------------------------------------------------------


def _digest(values: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:32]


def open_surveys(network_uid: str, at: str) -> set[str]:
    """Questionnaire rounds still open on ``at``: their answers are not analysed yet."""
    rounds = db.session.scalars(select(SurveyRound).where(SurveyRound.network_uid == network_uid))
    still_open = set()
    for r in rounds:
        closed = r.closed_at.date().isoformat() if r.closed_at else r.closes
        if r.opens <= at and closed >= at:
            still_open.add(r.uid)
    return still_open


def compute(
    history: History,
    at: str,
    limits: dict[str, dict[str, Any]],
    exclude: Collection[str] = (),
) -> dict[str, Any]:
    """The whole result for one date: metrics, signs and the trend by term. Pure."""
    snap = history.at(at, exclude)
    metrics = analysis_metrics.compute(snap)
    names = {p.uid: p.name for p in snap.people}
    for row in metrics.get("people", []):  # names to show; masked per viewer on the way out
        row["name"] = names.get(row["uid"], "")
    findings = evaluate_all(snap, limits)
    trend = []
    term = term_of(at)
    terms: list[Term] = []
    for _ in range(TREND_TERMS):  # back to the network's first term at most
        terms.append(term)
        if snap.started and term.start <= snap.started:
            break
        term = term.previous()
    for t in reversed(terms):
        end = min(t.end, at)
        if end == at:
            trend.append(_trend_point(t, snap, findings))
        else:
            cut = history.at(end, exclude)
            trend.append(_trend_point(t, cut, evaluate_all(cut, limits)))
    return {
        "network": snap.network_uid,
        "name": snap.name,
        "at": at,
        "survey": snap.survey,
        "metrics": metrics,
        "signs": [f.as_json() for f in findings],
        "trend": trend,
        "people_schools": {p.uid: p.school_uid for p in snap.people},
    }


def _trend_point(term: Term, snap: Snapshot, findings: list[Finding]) -> dict[str, Any]:
    """Activity, connectedness and the signs that held, for the term ending at ``snap.at``."""
    start, end = term.start, snap.at
    activities = sum(1 for a in snap.activities if start <= a.date <= end)
    sessions = sum(1 for g in snap.groups for s in g.sessions if start <= s.date <= end)
    coaching = sum(1 for c in snap.coaching for d in c.sessions if start <= d <= end)
    transfers = sum(1 for t in snap.transfers if t.date and start <= t.date <= end)
    schools = analysis_graphs.school_graph(snap, since=start)
    linked = {v for e in schools.es for v in e.tuple}
    return {
        "term": term.key,
        "label": term.label,
        "end": end,
        "activity": activities + sessions + coaching,
        "transfers": transfers,
        "school_links": schools.ecount(),
        "linked_schools": len(linked),
        "schools": len(snap.schools),
        "signs": sorted(f.id for f in findings if not f.insufficient),
    }


def results(network_uid: str, at: str | None = None) -> dict[str, Any]:
    """The cached result for the network at ``at`` (today by default), computing on a miss."""
    at = _check_at(at)
    version = dataversion.current(network_uid)
    limits = thresholds(network_uid)
    variant = _digest(limits)
    cached = db.session.scalar(
        select(CachedResult).where(
            CachedResult.network_uid == network_uid,
            CachedResult.kind == CACHE_KIND,
            CachedResult.at == at,
            CachedResult.data_version == version,
            CachedResult.variant == variant,
        )
    )
    if cached is not None:
        return {**cached.payload, "cached": True}
    history = load_history(graph.store, network_uid)
    payload = compute(history, at, limits, open_surveys(network_uid, at))
    payload["data_version"] = version
    _store(network_uid, at, version, variant, payload)
    return {**payload, "cached": False}


def _store(network_uid: str, at: str, version: int, variant: str, payload: dict) -> None:
    db.session.execute(
        delete(CachedResult).where(
            CachedResult.network_uid == network_uid,
            CachedResult.data_version < version - KEEP_VERSIONS,
        )
    )
    db.session.add(
        CachedResult(
            network_uid=network_uid,
            kind=CACHE_KIND,
            at=at,
            data_version=version,
            variant=variant,
            payload=payload,
        )
    )
    try:
        db.session.commit()
    except IntegrityError:  # another request computed the same result first: keep theirs
        db.session.rollback()


def _check_at(at: str | None) -> str:
    if at in (None, ""):
        return today()
    try:
        return dt.date.fromisoformat(str(at)).isoformat()
    except ValueError:
        raise Invalid({"at": "Give the date as YYYY-MM-DD, for example 2026-07-31."}) from None


# -- what each viewer may see ---------------------------------------------------------------


def for_viewer(payload: dict[str, Any], scope: Scope | None) -> dict[str, Any]:
    """A copy of ``payload`` with people's names masked where ``scope`` may not see them.

    Evaluators without a names grant see pseudonyms for everyone; leaders see their own
    school's people by name and everyone else's as pseudonyms. Coordinators (and the CLI,
    ``scope=None``) see names.
    """
    schools = payload.get("people_schools", {})
    if scope is None or (not scope.pseudonymise and scope.role != "leader"):
        visible = None
    elif scope.pseudonymise:
        visible = set()
    else:
        visible = {uid for uid, school in schools.items() if school == scope.school_uid}
    body = {k: v for k, v in payload.items() if k != "people_schools"}
    if visible is None:
        return body
    return _mask(body, payload["network"], set(schools), visible)


def _mask(value: Any, network_uid: str, people: set[str], visible: set[str]) -> Any:
    if isinstance(value, list):
        return [_mask(v, network_uid, people, visible) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: _mask(v, network_uid, people, visible) for k, v in value.items()}
    uid = value.get("uid")
    if uid in people and uid not in visible:
        if "name" in out:
            out["name"] = pseudonym(network_uid, uid)
        if "job_title" in out:
            out["job_title"] = None
        out["pseudonymised"] = True
    return out


# -- the JSON documents of interfaces.md ----------------------------------------------------


def signs_document(payload: dict[str, Any]) -> dict[str, Any]:
    return {"network": payload["network"], "at": payload["at"], "signs": payload["signs"]}


def metrics_document(payload: dict[str, Any]) -> dict[str, Any]:
    metrics = payload["metrics"]
    return {"network": payload["network"], "at": payload["at"], **metrics}


# -- what the dashboard shows first ------------------------------------------------------------

SEVERITY_ORDER = {"concern": 0, "warning": 1, "info": 2}

HEADLINE = (
    ("schools", "Schools"),
    ("people", "People"),
    ("advice_ties", "Advice ties (latest round)"),
    ("cross_school_density", "Cross-school density"),
    ("ei_index", "E-I index (by school)"),
    ("reciprocity", "Reciprocity"),
    ("school_components", "Separate groups of schools"),
    ("degree_centralisation", "Degree centralisation"),
)

CHANGES = (
    ("activity", "Sessions and activities this term"),
    ("linked_schools", "Schools with a cross-school link this term"),
    ("school_links", "School-to-school links this term"),
    ("transfers", "Adoption steps this term"),
)


def dashboard_summary(view: dict[str, Any]) -> dict[str, Any]:
    """Signs split into those that hold and those that could not be judged, headline
    figures, and the change from the previous term (from the trend)."""
    held, unjudged = [], []
    for sign in view["signs"]:
        (unjudged if "insufficient_data" in (sign.get("evidence") or {}) else held).append(sign)
    held.sort(key=lambda s: SEVERITY_ORDER.get(s["severity"], 3))
    network = view["metrics"].get("network_metrics", {})
    trend = view["trend"]
    now, before = (trend[-1], trend[-2]) if len(trend) > 1 else (trend[-1], None)
    changes = [
        {
            "label": label,
            "now": now[key],
            "before": before[key] if before else None,
            "delta": now[key] - before[key] if before else None,
        }
        for key, label in CHANGES
    ]
    signs_now, signs_before = set(now["signs"]), set(before["signs"]) if before else set()
    return {
        "held": held,
        "unjudged": unjudged,
        "headline": [(label, network.get(key)) for key, label in HEADLINE],
        "changes": changes,
        "new_signs": sorted(signs_now - signs_before),
        "gone_signs": sorted(signs_before - signs_now),
        "previous_term": before["label"] if before else None,
        "sign_titles": {s["id"]: s["title"] for s in view["signs"]},
    }


# -- retention -------------------------------------------------------------------------------

MAX_RETENTION_MONTHS = 120


def save_retention(scope: Scope, raw: str, version: int) -> int | None:
    """Set how many months questionnaire answers are kept after their round closes (blank:
    until deleted by hand). ``tracker retention`` applies it."""
    settings = dataversion.settings_for(scope.network_uid)
    if settings.version != version:
        raise Stale({"retention_months": settings.retention_months}, [])
    text = (raw or "").strip()
    months: int | None = None
    if text:
        try:
            months = int(text)
        except ValueError:
            months = 0
        if not 1 <= months <= MAX_RETENTION_MONTHS:
            raise Invalid(
                {
                    "retention_months": f"Give a whole number of months from 1 to "
                    f"{MAX_RETENTION_MONTHS}, or leave it blank to keep answers until deleted."
                }
            )
    if months == settings.retention_months:
        return months
    before = settings.retention_months
    settings.retention_months = months
    settings.version += 1
    audit.record(
        scope.user,
        "retention.update",
        "network",
        scope.network_uid,
        network_uid=scope.network_uid,
        before={"retention_months": before},
        after={"retention_months": months},
    )
    return months
