"""One map request: check the filters against the network's data, pick the view, build it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from tracker.access import Scope
from tracker.analysis.history import History
from tracker.analysis.snapshot import Snapshot
from tracker.extensions import db
from tracker.models import NetworkSettings
from tracker.services import analysis as analysis_service
from tracker.services.maps.cache import Memory, _memory
from tracker.services.maps.change import change_view
from tracker.services.maps.document import Context
from tracker.services.maps.filters import Filters, read_filters
from tracker.services.maps.privacy import Namer, _named_maps_on, _privacy, names_policy
from tracker.services.maps.views import (
    _centre,
    ego_view,
    network_view,
    schools_view,
    sociogram_view,
)
from tracker.services.maps.whatif import whatif_view
from tracker.services.terms import term_of

TOPIC_LABELS = {
    "teaching_learning": "Teaching and learning",
    "curriculum": "Curriculum",
    "pupil_care": "Pupil care and welfare",
    "school_improvement": "School improvement",
}


@dataclass
class MapPage:
    """Everything the page, the JSON and the CSV need from one request."""

    filters: dict[str, Any]
    errors: dict[str, str]
    data: dict[str, Any] | None
    schools: list[dict[str, str]] = field(default_factory=list)
    people: list[dict[str, str]] = field(default_factory=list)
    rounds: list[dict[str, str]] = field(default_factory=list)
    topics: list[tuple[str, str]] = field(default_factory=list)
    named_maps: bool = False


def _rounds(found: list[tuple[str, str]]) -> list[dict[str, str]]:
    """Questionnaire rounds with answers, oldest first, as {id, label, date}."""
    from tracker.models.survey import SurveyRound

    ids = [survey for _, survey in found]
    titles = {
        row.uid: row.title
        for row in db.session.scalars(select(SurveyRound).where(SurveyRound.uid.in_(ids)))
    }
    rounds = []
    for date, survey in found:
        if survey in titles:
            label = f"{titles[survey]} (answers to {date})"
        else:
            term = survey.split(":", 1)[-1]
            label = f"Imported answers, {_term_label(term)}"
        rounds.append({"id": survey, "label": label, "date": date})
    return rounds


def _term_label(key: str) -> str:
    year, _, season = key.partition("-")
    return f"{season.capitalize()} {year}" if season else key


def _topics(history: History) -> list[tuple[str, str]]:
    seen = {row.get("topic") for row in history.advice if row.get("topic")}
    ordered = list(TOPIC_LABELS.items())
    ordered += [(t, t.replace("_", " ").capitalize()) for t in sorted(seen - set(TOPIC_LABELS))]
    return ordered


def _cut(memory: Memory, network_uid: str, at: str, survey: str | None = None) -> Snapshot:
    """The network at ``at``; with ``survey``, its advice from that round alone."""
    exclude = set(analysis_service.open_surveys(network_uid, at))
    if survey is not None:
        exclude |= {other for _, other in memory.rounds if other != survey}
    return memory.cut(at, frozenset(exclude))


def _check_data(
    f: Filters,
    errors: dict[str, str],
    s: Snapshot,
    c_rounds: list[dict],
    topics: list,
    still_open: set[str],
) -> None:
    """The checks that need the network's data: schools, rounds, topics."""
    if f.school and f.school not in {row.uid for row in s.schools}:
        errors["school"] = f"Choose one of the network's schools on {f.at}."
    if f.topic and f.topic not in {t for t, _ in topics}:
        errors["topic"] = "Choose one of the questionnaire's topics."
    if f.round:
        match = [r for r in c_rounds if r["id"] == f.round]
        if not match:
            errors["round"] = "Choose one of the network's questionnaire rounds."
        elif match[0]["date"] > f.at:
            errors["round"] = f"This round's answers run to {match[0]['date']}, after {f.at}."
        elif f.round in still_open:
            errors["round"] = f"This round is still open on {f.at}: its answers are not shown yet."


def _people_choices(s: Snapshot, namer: Namer) -> list[dict[str, str]]:
    return sorted(
        ({"uid": namer.node_id(p), "label": f"{namer.label(p)} ({p.layer})"} for p in s.people),
        key=lambda row: (row["label"], row["uid"]),
    )


def _limits(network_uid: str) -> dict[str, dict[str, Any]]:
    """The network's sign thresholds, read without making its settings row (a map writes
    nothing, not even a row that would be rolled back)."""
    if db.session.get(NetworkSettings, network_uid) is None:
        from tracker.signs import DEFAULT_THRESHOLDS

        return {sign: dict(values) for sign, values in DEFAULT_THRESHOLDS.items()}
    return analysis_service.thresholds(network_uid)


def _default_from(to: str) -> str:
    """The end of the term before the one holding ``to``."""
    return term_of(to).previous().end


def build(scope: Scope, args: MultiDict) -> MapPage:
    """Check the request's filters against the network and build the map, or say what is
    wrong with each field (``errors``), in which case ``data`` is None."""
    filters, errors = read_filters(args)
    memory = _memory(scope.network_uid)
    rounds = _rounds(memory.rounds)
    topics = _topics(memory.history)
    s = _cut(memory, scope.network_uid, filters.at)
    still_open = analysis_service.open_surveys(scope.network_uid, filters.at)
    _check_data(filters, errors, s, rounds, topics, still_open)
    if filters.round and "round" not in errors:
        s = _cut(memory, scope.network_uid, filters.at, filters.round)
    page = MapPage(
        filters=filters.as_json(),
        errors=errors,
        data=None,
        schools=[{"uid": row.uid, "name": row.name} for row in s.schools],
        rounds=[{"id": r["id"], "label": r["label"]} for r in rounds],
        topics=topics,
        named_maps=_named_maps_on(scope.network_uid),
    )
    view = filters.view
    before = after = None
    if view == "change" and not ({"from", "to"} & set(errors)):
        to = filters.date_to or filters.at
        start = filters.date_from or _default_from(to)
        if start >= to:
            errors["from"] = f"Give a date before the second date ({to})."
        else:
            filters = replace(filters, date_from=start, date_to=to)
            before = _cut(memory, scope.network_uid, start)
            after = _cut(memory, scope.network_uid, to)
    surveys = [s.survey] if before is None else [before.survey, after.survey]
    namer = Namer(scope.network_uid, names_policy(scope, filters, surveys), scope.school_uid)
    page.people = _people_choices(s, namer)
    person = None
    if filters.person:
        person = next((p for p in s.people if namer.node_id(p) == filters.person), None)
        if person is None:
            errors["person"] = f"Choose one of the people in the network on {filters.at}."
        elif filters.layers and person.layer not in filters.layers:
            errors["person"] = "This person's layer is filtered out of the map: add it back."
    if errors:
        return page
    c = Context(s, filters, namer, _limits(scope.network_uid), memory)
    if view == "network":
        data = network_view(c)
    elif view == "schools":
        data = schools_view(c)
    elif view == "ego":
        data = ego_view(c, _centre(c, scope))
    elif view == "sociogram":
        data = sociogram_view(c, _centre(c, scope))
    elif view == "change":
        data = change_view(c, before, after)
    else:
        data = whatif_view(c, person)
    data["privacy"] = _privacy(scope, namer.names)
    page.filters = data["filters"]
    page.data = data
    return page
