"""Influence maps (issue 6): the data behind each map view, masked for the person asking.

A request takes the network's history (``load_history``, kept in the worker's memory per
data version: :class:`MapCache`), cuts it at the dates the view needs, builds the person ties
the filters ask for, lays them out with ``tracker.analysis.layout`` and returns the JSON
document of docs/maps.md. Nothing is written.

Privacy is decided here, never in the browser: every node is made through a :class:`Namer`,
which gives a person their name and uid only when the viewer may see them, and otherwise a
pseudonym and a pseudonymous id (a leader can read other schools' people by name and uid in
the people directory, so a map that showed the uid beside a pseudonym would unmask it).

- Coordinators see names.
- Evaluators see pseudonyms unless their grant has names visible.
- Leaders see their own school's people by name. Other schools' people are pseudonyms
  whenever the map draws on questionnaire answers (advice ties, nominations received,
  brokerage), unless the coordinator has switched on named maps *and* the consent text of
  every questionnaire round on the map told respondents so (``NAMED_MAPS_STATEMENT``). A map of
  recorded activity only (coaching, groups, roles, training) may name everyone.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import math
import re
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import igraph as ig
from flask import current_app
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from tracker.access import Scope
from tracker.analysis import graphs, layout, metrics
from tracker.analysis.history import History
from tracker.analysis.participation import current_roles, designated_vs_recognised
from tracker.analysis.snapshot import PersonRow, Snapshot
from tracker.extensions import db, graph
from tracker.graph.snapshot import load_history
from tracker.models import NetworkSettings
from tracker.packages.format import escape_cell
from tracker.services import Invalid, Stale, audit, dataversion, today, vocab
from tracker.services import analysis as analysis_service
from tracker.services.pseudonyms import pseudonym
from tracker.services.terms import Term, term_of

VIEWS = (
    ("network", "Network"),
    ("schools", "Schools"),
    ("ego", "Our school's reach"),
    ("sociogram", "School sociogram"),
    ("change", "Change between two dates"),
    ("whatif", "What if someone leaves"),
)
KINDS = (
    ("advice", "Advice (questionnaire)"),
    ("coaching", "Co-coaching"),
    ("group", "Shared enquiry group"),
    ("role", "Role designated by"),
    ("training", "Trained by"),
)
ACTIVITY_KINDS = frozenset({"coaching", "group", "role", "training"})
EDGE_LABELS = {**dict(KINDS), "transfer": "Knowledge transfer", "mixed": "More than one kind"}
LAYERS = tuple(vocab.LAYERS.items())
FREQUENCIES = tuple(vocab.FREQUENCIES.items())
_FREQUENCY_RANK = {name: rank for rank, name in enumerate(graphs.FREQUENCIES)}
TOPIC_LABELS = {
    "teaching_learning": "Teaching and learning",
    "curriculum": "Curriculum",
    "pupil_care": "Pupil care and welfare",
    "school_improvement": "School improvement",
}
NO_SCHOOL = "No school"
CSV_PARTS = ("nodes", "edges")
NODE_COLUMNS = (
    "id", "label", "kind", "school", "school_name", "layer", "in_degree", "head",
    "role_holder", "broker", "articulation_point", "isolate", "pseudonymised", "change",
    "x", "y",
)  # fmt: skip
EDGE_COLUMNS = (
    "id", "source", "target", "source_label", "target_label", "kind", "kinds", "weight",
    "directed", "reciprocated", "change",
)  # fmt: skip

# What a round's consent text must say before leaders may see other schools' people by name.
NAMED_MAPS_STATEMENT = (
    "Your name, and the names of the colleagues you choose, may be shown on the network's "
    "influence maps to the leaders of the network's schools."
)


# -- filters -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """A map request's parameters, checked; ``as_json`` gives the URL's names back."""

    view: str = "network"
    at: str = ""
    kinds: tuple[str, ...] = tuple(k for k, _ in KINDS)
    topic: str | None = None
    min_frequency: str | None = None
    min_influence: int | None = None
    layers: tuple[str, ...] = ()
    school: str | None = None
    person: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    round: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "view": self.view,
            "at": self.at,
            "kinds": list(self.kinds),
            "topic": self.topic,
            "min_frequency": self.min_frequency,
            "min_influence": self.min_influence,
            "layer": list(self.layers),
            "school": self.school,
            "person": self.person,
            "from": self.date_from,
            "to": self.date_to,
            "round": self.round,
        }

    @property
    def with_advice(self) -> bool:
        return "advice" in self.kinds


_TERM_KEY = re.compile(r"^(\d{4})-(autumn|spring|summer)$")


def _date(value: str | None, name: str, errors: dict[str, str], terms: bool = False) -> str | None:
    """A ``YYYY-MM-DD`` date; with ``terms``, a term key such as ``2025-summer`` stands for
    the term's last day (the change view compares terms)."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    key = _TERM_KEY.match(text) if terms else None
    if key:
        season = ("spring", "summer", "autumn").index(key.group(2))
        return Term(int(key.group(1)), season).end
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        example = " or a term such as 2025-summer" if terms else ""
        errors[name] = f"Give the date as YYYY-MM-DD{example}, for example 2025-07-31."
        return None


def _choice(value: str | None, allowed: Iterable[str], name: str, errors: dict[str, str]) -> Any:
    if value in (None, ""):
        return None
    allowed = list(allowed)
    if value not in allowed:
        errors[name] = "Choose one of: " + ", ".join(allowed) + "."
        return None
    return value


def _many(values: list[str], allowed: Iterable[str], name: str, errors: dict[str, str]) -> tuple:
    allowed = list(allowed)
    chosen = [v for v in values if v != ""]
    wrong = [v for v in chosen if v not in allowed]
    if wrong:
        errors[name] = "Choose from: " + ", ".join(allowed) + "."
        return ()
    return tuple(v for v in allowed if v in chosen)  # the vocabulary's order, no repeats


def read_filters(args: MultiDict) -> tuple[Filters, dict[str, str]]:
    """The checks that need no data: vocabularies, dates, numbers. Unknown names are ignored."""
    errors: dict[str, str] = {}
    view = _choice(args.get("view"), (v for v, _ in VIEWS), "view", errors) or "network"
    at = _date(args.get("at"), "at", errors) or today()
    kinds = _many(args.getlist("kinds"), (k for k, _ in KINDS), "kinds", errors)
    influence = args.get("min_influence", "")
    min_influence = None
    if influence != "":
        try:
            min_influence = int(influence)
        except ValueError:
            min_influence = 0
        if not 1 <= min_influence <= 5:
            errors["min_influence"] = "Give a whole number from 1 to 5."
            min_influence = None
    date_from = _date(args.get("from"), "from", errors, terms=True)
    date_to = _date(args.get("to"), "to", errors, terms=True)
    if date_from and date_to and date_from >= date_to:
        errors["to"] = f"Give a date after the first date ({date_from})."
    filters = Filters(
        view=view,
        at=at,
        kinds=kinds or Filters.kinds,
        topic=(args.get("topic") or "").strip() or None,
        min_frequency=_choice(
            args.get("min_frequency"), graphs.FREQUENCIES, "min_frequency", errors
        ),
        min_influence=min_influence,
        layers=_many(args.getlist("layer"), vocab.LAYERS, "layer", errors),
        school=(args.get("school") or "").strip() or None,
        person=(args.get("person") or "").strip() or None,
        date_from=date_from,
        date_to=date_to,
        round=(args.get("round") or "").strip() or None,
    )
    return filters, errors


# -- who may see which names ---------------------------------------------------------------------


class Namer:
    """Names, labels and node ids of people as one viewer may see them."""

    def __init__(self, network_uid: str, names: str, own_school: str | None) -> None:
        self.network_uid = network_uid
        self.names = names  # all, own_school, none
        self.own_school = own_school
        self._secret = current_app.config["SECRET_KEY"].encode()

    def visible(self, person: PersonRow) -> bool:
        if self.names == "all":
            return True
        if self.names != "own_school" or self.own_school is None:
            return False
        return person.school_uid == self.own_school

    def node_id(self, person: PersonRow) -> str:
        if self.visible(person):
            return person.uid
        message = f"map-node:{self.network_uid}:{person.uid}".encode()
        return "anon-" + hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:20]

    def label(self, person: PersonRow) -> str:
        if self.visible(person):
            return person.name
        return pseudonym(self.network_uid, person.uid)


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip().lower()


def consent_says_named(consent_text: str) -> bool:
    """Whether a round's consent text carries the named-maps statement (spacing and case aside)."""
    return _normalised(NAMED_MAPS_STATEMENT) in _normalised(consent_text)


def _named_maps_on(network_uid: str) -> bool:
    row = db.session.get(NetworkSettings, network_uid)  # read only: never made by a map
    return bool(row and row.named_maps)


def _rounds_allow_names(surveys: Iterable[str | None]) -> bool:
    """Every questionnaire round on the map told its respondents their names may be shown."""
    from tracker.models.survey import SurveyRound

    wanted = {s for s in surveys if s}
    if not wanted:
        return True
    rows = db.session.scalars(select(SurveyRound).where(SurveyRound.uid.in_(wanted))).all()
    found = {row.uid: row for row in rows}
    return all(uid in found and consent_says_named(found[uid].consent_text) for uid in wanted)


def names_policy(scope: Scope, filters: Filters, surveys: Iterable[str | None]) -> str:
    """``all``, ``own_school`` or ``none``: whose names this viewer sees on this map."""
    if scope.role == "evaluator":
        return "all" if scope.names_visible else "none"
    if scope.role != "leader":
        return "all"
    if not filters.with_advice and filters.view not in ("sociogram",):
        return "all"  # recorded activity only: the people pages name these people already
    if _named_maps_on(scope.network_uid) and _rounds_allow_names(surveys):
        return "all"
    return "own_school"


PRIVACY_NOTES = {
    "all": "Names are shown: your access to this network includes everyone's name.",
    "leader_named": "Names are shown: the coordinator switched on named maps, and the "
    "questionnaire's consent text told respondents their names may appear here.",
    "own_school": "People in other schools are shown by pseudonym with their staff layer, "
    "because advice ties come from individual questionnaire answers.",
    "none": "Everyone is shown by pseudonym: your access to this network does not include names.",
}


def _privacy(scope: Scope, names: str) -> dict[str, str]:
    note = PRIVACY_NOTES[names]
    if names == "all" and scope.role == "leader":
        note = PRIVACY_NOTES["leader_named"]
    return {"names": names, "note": note}


# -- person ties under the filters -------------------------------------------------------------


@dataclass
class Tie:
    """What joins two people (``a`` < ``b`` by uid): occasions by kind, and directions."""

    a: str
    b: str
    kinds: Counter = field(default_factory=Counter)
    advice_ab: bool = False
    advice_ba: bool = False
    role_ab: bool = False
    role_ba: bool = False


Ties = dict[tuple[str, str], Tie]


def _tie(ties: Ties, x: str, y: str) -> tuple[Tie, bool]:
    """The tie of the pair, and whether ``x`` is its ``a`` end."""
    key = (x, y) if x < y else (y, x)
    tie = ties.get(key)
    if tie is None:
        tie = ties[key] = Tie(*key)
    return tie, key[0] == x


def _advice_rows(s: Snapshot, f: Filters) -> tuple:
    rank = _FREQUENCY_RANK.get(f.min_frequency or "", -1)
    return tuple(
        t
        for t in s.advice
        if (f.topic is None or t.topic == f.topic)
        and (rank < 0 or _FREQUENCY_RANK.get(t.frequency or "", -1) >= rank)
        and (f.min_influence is None or (t.influence or 0) >= f.min_influence)
    )


def filtered(s: Snapshot, f: Filters) -> Snapshot:
    """The snapshot with the layer filter on people and the advice filters on advice rows."""
    people = s.people if not f.layers else tuple(p for p in s.people if p.layer in f.layers)
    return replace(s, people=people, advice=_advice_rows(s, f), extra={})


def person_ties(s: Snapshot, kinds: Iterable[str]) -> Ties:
    """Ties among ``s.people`` of the chosen kinds (``s`` already filtered)."""
    kinds = set(kinds)
    uids = [p.uid for p in s.people]
    ties: Ties = {}
    if "advice" in kinds:
        advice = graphs.advice_graph(s)
        for (i, j), weight in zip(advice.get_edgelist(), advice.es["weight"], strict=True):
            tie, forward = _tie(ties, uids[i], uids[j])
            tie.kinds["advice"] += weight
            if forward:
                tie.advice_ab = True
            else:
                tie.advice_ba = True
    if kinds & {"coaching", "group", "training"}:
        for (i, j), counts in sorted(graphs.collaboration_occasions(s).items()):
            wanted = {k: n for k, n in counts.items() if k in kinds and n}
            if wanted:
                tie, _ = _tie(ties, uids[i], uids[j])
                tie.kinds.update(wanted)
    if "role" in kinds:
        present = set(uids)
        for role in current_roles(s):
            by, holder = role.designated_by, role.person_uid
            if by in present and holder in present and by != holder:
                tie, forward = _tie(ties, by, holder)
                tie.kinds["role"] += 1
                if forward:
                    tie.role_ab = True
                else:
                    tie.role_ba = True
    return dict(sorted(ties.items()))


@dataclass
class Figures:
    """Per-person figures of one map: nominations, brokerage, cut points, isolates."""

    in_degree: dict[str, int]
    broker: set[str]
    cut_points: set[str]
    degree: dict[str, int]


def figures(s: Snapshot, ties: Ties) -> Figures:
    """Figures on the map's own ties, so a filter changes the highlights with the lines."""
    uids = [p.uid for p in s.people]
    index = {uid: i for i, uid in enumerate(uids)}
    advice = ig.Graph(n=len(uids), directed=True)
    advice.vs["school"] = [p.school_uid for p in s.people]
    arcs = []
    for t in ties.values():
        if t.advice_ab:
            arcs.append((index[t.a], index[t.b]))
        if t.advice_ba:
            arcs.append((index[t.b], index[t.a]))
    advice.add_edges(arcs)
    undirected = ig.Graph(n=len(uids), edges=[(index[t.a], index[t.b]) for t in ties.values()])
    cut = {uids[v] for v in metrics.articulation_points(undirected)}
    brokers = set(cut)
    if arcs:
        for v, counts in metrics.brokerage(advice, "school").items():
            if any(counts.get(role, 0) for role in metrics.CROSS_SCHOOL_ROLES):
                brokers.add(uids[v])
    in_degree = dict(zip(uids, advice.degree(mode="in"), strict=True))
    degree = dict(zip(uids, undirected.degree(), strict=True))
    return Figures(in_degree, brokers, cut, degree)


# -- building documents ---------------------------------------------------------------------------


@dataclass
class Context:
    """What every view builder needs: the cut, the viewer's names, the filters."""

    s: Snapshot
    filters: Filters
    namer: Namer
    limits: dict[str, dict[str, Any]]
    memory: Memory

    @property
    def school_names(self) -> dict[str | None, str]:
        return {**{row.uid: row.name for row in self.s.schools}, None: NO_SCHOOL}


def _size(value: int) -> float:
    return round(10 + 6 * math.sqrt(max(value, 0)), 2)


def _person_node(
    c: Context, p: PersonRow, fig: Figures, point: layout.Point, heads: set[str], holders: set
) -> dict[str, Any]:
    with_advice = c.filters.with_advice
    return {
        "id": c.namer.node_id(p),
        "label": c.namer.label(p),
        "kind": "person",
        "school": p.school_uid,
        "school_name": c.school_names.get(p.school_uid, NO_SCHOOL),
        "layer": p.layer,
        "size": _size(fig.in_degree[p.uid] if with_advice else fig.degree[p.uid]),
        "x": point[0],
        "y": point[1],
        "in_degree": fig.in_degree[p.uid] if with_advice else 0,
        "head": p.uid in heads,
        "role_holder": p.uid in holders,
        "broker": p.uid in fig.broker,
        "articulation_point": p.uid in fig.cut_points,
        "isolate": fig.degree[p.uid] == 0,
        "pseudonymised": not c.namer.visible(p),
        "change": None,
    }


def _edge(t: Tie, ids: Mapping[str, str]) -> dict[str, Any]:
    kinds = sorted(t.kinds)
    source, target = t.a, t.b
    advice = t.advice_ab or t.advice_ba
    if (advice and t.advice_ba and not t.advice_ab) or (not advice and t.role_ba and not t.role_ab):
        source, target = t.b, t.a
    directed = advice or t.role_ab or t.role_ba
    first, second = sorted((ids[t.a], ids[t.b]))
    return {
        "id": f"{first}~{second}",
        "source": ids[source],
        "target": ids[target],
        "kind": kinds[0] if len(kinds) == 1 else "mixed",
        "kinds": kinds,
        "weight": float(sum(t.kinds.values())),
        "directed": bool(directed),
        "reciprocated": bool(t.advice_ab and t.advice_ba),
        "change": None,
    }


def _link(
    edge_id: str,
    source: str,
    target: str,
    kinds: Iterable[str],
    weight: float,
    directed: bool = False,
    reciprocated: bool = False,
) -> dict[str, Any]:
    """An edge that joins schools (or a person to a school), in the JSON's shape."""
    names = sorted(kinds)
    return {
        "id": edge_id,
        "source": source,
        "target": target,
        "kind": names[0] if len(names) == 1 else "mixed",
        "kinds": names,
        "weight": float(weight),
        "directed": directed,
        "reciprocated": reciprocated,
        "change": None,
    }


def _school_node(uid: str, name: str, point: layout.Point, size: float, **flags: Any) -> dict:
    """A school as a node, in the same shape as a person (no layer, never pseudonymised)."""
    return {
        "id": uid,
        "label": name,
        "kind": "school",
        "school": uid,
        "school_name": name,
        "layer": None,
        "size": size,
        "x": point[0],
        "y": point[1],
        "in_degree": 0,
        "head": False,
        "role_holder": False,
        "broker": False,
        "articulation_point": False,
        "isolate": False,
        "pseudonymised": False,
        "change": None,
        **flags,
    }


def _heads(s: Snapshot) -> set[str]:
    from tracker.signs.evidence import is_head

    return {p.uid for p in s.people if is_head(s, p.uid)}


def _holders(s: Snapshot) -> set[str]:
    return {role.person_uid for role in current_roles(s)}


def _clusters(c: Context, centres: Mapping[Any, layout.Point]) -> list[dict[str, Any]]:
    clusters = [
        {"id": key, "label": c.school_names.get(key, NO_SCHOOL), "x": x, "y": y}
        for key, (x, y) in centres.items()
    ]
    return sorted(clusters, key=lambda row: (row["id"] is None, row["label"], str(row["id"])))


def _school_order(s: Snapshot) -> list[str | None]:
    return [*sorted(row.uid for row in s.schools), None]


def _people_map(
    c: Context, s: Snapshot, people: list[PersonRow], ties: Ties, fig: Figures
) -> tuple[list[dict], list[dict], list[dict]]:
    """Nodes, edges and clusters of a person-level map (people sorted by uid for the layout)."""
    people = sorted(people, key=lambda p: p.uid)
    index = {p.uid: i for i, p in enumerate(people)}
    kept = [t for t in ties.values() if t.a in index and t.b in index]
    order = [k for k in _school_order(s) if any(p.school_uid == k for p in people)]
    clusters = tuple(p.school_uid for p in people)
    edges = tuple((index[t.a], index[t.b]) for t in kept)
    placed = c.memory.layout(
        ("clustered", clusters, edges, tuple(order)),
        lambda: layout.clustered(clusters, edges, order),
    )
    heads, holders = _heads(c.s), _holders(c.s)
    ids = {p.uid: c.namer.node_id(p) for p in people}
    nodes = [
        _person_node(c, p, fig, point, heads, holders)
        for p, point in zip(people, placed.points, strict=True)
    ]
    return _ordered(nodes), [_edge(t, ids) for t in kept], _clusters(c, placed.centres)


def _ordered(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Table order: by school, then label (a pseudonym sorts as itself, never by a name)."""
    return sorted(nodes, key=lambda n: (n["school_name"] or "", n["label"], n["id"]))


def _legend(nodes: list[dict], edges: list[dict], extra: Iterable[tuple[str, str, str]] = ()):
    legend = []
    layers = {n["layer"] for n in nodes if n.get("layer")}
    for key, label in LAYERS:
        if key in layers:
            legend.append({"key": f"layer:{key}", "label": label, "kind": "node"})
    flags = (
        ("head", "Head"),
        ("role_holder", "Holds a network role"),
        ("broker", "Broker between schools"),
        ("articulation_point", "Cut point: removing them splits the map"),
        ("isolate", "No tie on this map"),
    )
    for key, label in flags:
        if any(n.get(key) for n in nodes):
            legend.append({"key": key, "label": label, "kind": "node"})
    if any(n["kind"] == "school" for n in nodes):
        legend.append({"key": "school", "label": "School", "kind": "node"})
    present = {e["kind"] for e in edges}
    for key, label in EDGE_LABELS.items():
        if key in present:
            legend.append({"key": f"edge:{key}", "label": label, "kind": "edge"})
    if any(e["reciprocated"] for e in edges):
        legend.append({"key": "reciprocated", "label": "Named each other", "kind": "edge"})
    legend.extend({"key": k, "label": label, "kind": kind} for k, label, kind in extra)
    return legend


def _summary(nodes: list[dict], edges: list[dict], **extra: Any) -> dict[str, Any]:
    people = [n for n in nodes if n["kind"] == "person"]
    schools_of = {n["id"]: n["school"] for n in nodes}
    return {
        "nodes": len(nodes),
        "edges": len(edges),
        "people": len(people),
        "isolates": sum(n["isolate"] for n in people),
        "brokers": sum(n["broker"] for n in people),
        "articulation_points": sum(n["articulation_point"] for n in people),
        "heads": sum(n["head"] for n in people),
        "reciprocated": sum(e["reciprocated"] for e in edges),
        "cross_school_edges": sum(
            1
            for e in edges
            if schools_of.get(e["source"])
            and schools_of.get(e["target"])
            and schools_of[e["source"]] != schools_of[e["target"]]
        ),
        "edge_kinds": dict(sorted(Counter(e["kind"] for e in edges).items())),
        **extra,
    }


def _document(c: Context, nodes, edges, clusters, legend, summary, **extra) -> dict[str, Any]:
    return {
        "view": c.filters.view,
        "at": c.filters.at,
        "filters": c.filters.as_json(),
        "nodes": nodes,
        "edges": edges,
        "clusters": clusters,
        "legend": legend,
        "summary": summary,
        **extra,
    }


# -- the views ------------------------------------------------------------------------------------


def network_view(c: Context) -> dict[str, Any]:
    """Everyone, schools as clusters; ``school`` keeps that school's people and whoever they
    are tied to."""
    s = filtered(c.s, c.filters)
    ties = person_ties(s, c.filters.kinds)
    fig = figures(s, ties)
    people = list(s.people)
    if c.filters.school:
        mine = {p.uid for p in people if p.school_uid == c.filters.school}
        ties = {k: t for k, t in ties.items() if t.a in mine or t.b in mine}
        linked = mine | {u for t in ties.values() for u in (t.a, t.b)}
        people = [p for p in people if p.uid in linked]
    nodes, edges, clusters = _people_map(c, s, people, ties, fig)
    summary = _summary(nodes, edges, schools=len(clusters), survey=c.s.survey)
    return _document(c, nodes, edges, clusters, _legend(nodes, edges), summary)


def _without(s: Snapshot, uid: str) -> Snapshot:
    """The snapshot as if ``uid`` had left: every row naming them dropped."""
    return replace(
        s,
        people=tuple(p for p in s.people if p.uid != uid),
        roles=tuple(r for r in s.roles if r.person_uid != uid),
        groups=tuple(
            replace(
                g,
                members=tuple(m for m in g.members if m.person_uid != uid),
                sessions=tuple(
                    replace(x, attendees=tuple(a for a in x.attendees if a != uid))
                    for x in g.sessions
                ),
            )
            for g in s.groups
        ),
        coaching=tuple(p for p in s.coaching if uid not in (p.person_a, p.person_b)),
        trained=tuple(t for t in s.trained if uid not in (t.trainer_uid, t.trainee_uid)),
        activities=tuple(
            replace(a, attendees=tuple(x for x in a.attendees if x != uid)) for a in s.activities
        ),
        transfers=tuple(
            replace(t, carrier_uid=None) if t.carrier_uid == uid else t for t in s.transfers
        ),
        advice=tuple(t for t in s.advice if uid not in (t.source, t.target)),
        responses=tuple(r for r in s.responses if r.person_uid != uid),
        previous_advice=tuple(t for t in s.previous_advice if uid not in (t.source, t.target)),
        extra={},
    )


def _school_partners(s: Snapshot, ties: Ties) -> dict[str, set[str]]:
    """Each school's partner schools through the map's person ties."""
    school = {p.uid: p.school_uid for p in s.people}
    partners: dict[str, set[str]] = {row.uid: set() for row in s.schools}
    for t in ties.values():
        x, y = school.get(t.a), school.get(t.b)
        if x and y and x != y and x in partners and y in partners:
            partners[x].add(y)
            partners[y].add(x)
    return partners


def _held(s: Snapshot, limits: dict[str, dict[str, Any]]) -> list[str]:
    from tracker.signs import evaluate_all

    return [f.id for f in evaluate_all(s, limits) if "insufficient_data" not in (f.evidence or {})]


def whatif_view(c: Context, person: PersonRow | None) -> dict[str, Any]:
    """The network map with one person's ties marked as lost, and what their leaving does
    to the school links and the warning signs. Computed on a copy: nothing is written."""
    doc = network_view(c)
    names = c.school_names
    limits = json.dumps(c.limits, sort_keys=True, default=str)
    key = ("signs", c.s.at, c.s.survey, c.s.previous_survey, limits)
    signs_now = c.memory.remember(key, lambda: _held(c.s, c.limits))
    result: dict[str, Any] = {
        "person": None,
        "schools_losing_only_link": [],
        "cross_school_ties_lost": 0,
        "signs_now": signs_now,
        "signs_after": signs_now,
    }
    if person is not None:
        s = filtered(c.s, c.filters)
        ties = person_ties(s, c.filters.kinds)
        after = {k: t for k, t in ties.items() if person.uid not in (t.a, t.b)}
        before_partners = _school_partners(s, ties)
        after_partners = _school_partners(s, after)
        losing = []
        for row in c.s.schools:
            lost = sorted(before_partners[row.uid] - after_partners[row.uid])
            if lost:
                losing.append(
                    {
                        "school": row.uid,
                        "school_name": row.name,
                        "lost_links_to": [{"school": u, "school_name": names[u]} for u in lost],
                        "cut_off": not after_partners[row.uid],
                    }
                )
        school = {p.uid: p.school_uid for p in s.people}
        node_id = c.namer.node_id(person)
        result.update(
            person={
                "id": node_id,
                "label": c.namer.label(person),
                "school": person.school_uid,
                "school_name": names.get(person.school_uid, NO_SCHOOL),
                "layer": person.layer,
            },
            schools_losing_only_link=losing,
            cross_school_ties_lost=sum(
                1
                for t in ties.values()
                if person.uid in (t.a, t.b)
                and school.get(t.a)
                and school.get(t.b)
                and school[t.a] != school[t.b]
            ),
            signs_after=_held(_without(c.s, person.uid), c.limits),
        )
        for node in doc["nodes"]:
            node["change"] = "lost" if node["id"] == node_id else "same"
        for edge in doc["edges"]:
            edge["change"] = "lost" if node_id in (edge["source"], edge["target"]) else "same"
        doc["summary"].update(
            schools_losing_a_link=len(losing),
            schools_cut_off=sum(row["cut_off"] for row in losing),
            cross_school_ties_lost=result["cross_school_ties_lost"],
        )
    doc["whatif"] = result
    doc["legend"].extend(
        [
            {"key": "change:lost", "label": "Goes if this person leaves", "kind": "edge"},
            {"key": "change:same", "label": "Stays", "kind": "edge"},
        ]
    )
    return doc


def change_view(c: Context, before: Snapshot, after: Snapshot) -> dict[str, Any]:
    """Ties gained and lost between two dates, drawn on one layout of both."""
    f = c.filters
    s_before, s_after = filtered(before, f), filtered(after, f)
    ties_before = person_ties(s_before, f.kinds)
    ties_after = person_ties(s_after, f.kinds)
    people = {p.uid: p for p in s_before.people}
    people.update({p.uid: p for p in s_after.people})
    union = replace(s_after, people=tuple(people.values()), extra={})
    ties = {**ties_before, **ties_after}
    fig = figures(union, ties_after)
    nodes, edges, clusters = _people_map(c, union, list(people.values()), ties, fig)
    in_before = {p.uid for p in s_before.people}
    in_after = {p.uid for p in s_after.people}
    change_of_person = {
        c.namer.node_id(p): "gained"
        if p.uid not in in_before
        else ("lost" if p.uid not in in_after else "same")
        for p in people.values()
    }
    for node in nodes:
        node["change"] = change_of_person[node["id"]]
    ids = {p.uid: c.namer.node_id(p) for p in people.values()}
    change_of_edge = {}
    for key, t in ties.items():
        first, second = sorted((ids[t.a], ids[t.b]))
        was, now = key in ties_before, key in ties_after
        change_of_edge[f"{first}~{second}"] = (
            "same" if was and now else ("gained" if now else "lost")
        )
    for edge in edges:
        edge["change"] = change_of_edge[edge["id"]]
    counts = Counter(e["change"] for e in edges)
    people_counts = Counter(n["change"] for n in nodes)
    summary = _summary(
        nodes,
        edges,
        schools=len(clusters),
        **{"from": before.at, "to": after.at},
        survey_from=before.survey,
        survey_to=after.survey,
        gained=counts.get("gained", 0),
        lost=counts.get("lost", 0),
        same=counts.get("same", 0),
        people_joined=people_counts.get("gained", 0),
        people_left=people_counts.get("lost", 0),
    )
    extra = (
        ("change:gained", "Gained", "edge"),
        ("change:lost", "Lost", "edge"),
        ("change:same", "Unchanged", "edge"),
    )
    return _document(c, nodes, edges, clusters, _legend(nodes, edges, extra), summary)


def schools_view(c: Context) -> dict[str, Any]:
    """Schools as nodes; lines weighted by the cross-school person ties of the chosen kinds;
    knowledge transfers as arrows from the sharing school to the adopting one."""
    s = filtered(c.s, c.filters)
    ties = person_ties(s, c.filters.kinds)
    school = {p.uid: p.school_uid for p in s.people}
    rows = sorted(c.s.schools, key=lambda r: r.uid)
    index = {r.uid: i for i, r in enumerate(rows)}
    pairs: dict[tuple[str, str], Counter] = defaultdict(Counter)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    received: Counter = Counter()
    for t in ties.values():
        x, y = school.get(t.a), school.get(t.b)
        if not x or not y or x == y or x not in index or y not in index:
            continue
        key = (x, y) if x < y else (y, x)
        pairs[key].update(t.kinds)
        counts[key] += 1
        received[y] += t.advice_ab
        received[x] += t.advice_ba
    flows: Counter = Counter(
        (t.from_school_uid, t.to_school_uid)
        for t in c.s.transfers
        if t.from_school_uid in index
        and t.to_school_uid in index
        and t.from_school_uid != t.to_school_uid
    )
    links = sorted(pairs)
    g = ig.Graph(n=len(rows), edges=[(index[a], index[b]) for a, b in links])
    cut = {rows[v].uid for v in metrics.articulation_points(g)}
    edge_pairs = links + sorted((min(a, b), max(a, b)) for a, b in flows)
    weights = [counts[p] for p in links] + [flows[p] for p in sorted(flows)]
    placed = layout.nodes_only(
        len(rows), [(index[a], index[b]) for a, b in edge_pairs], [float(w) for w in weights]
    )
    staff = Counter(p.school_uid for p in s.people)
    degree = g.degree()
    nodes = [
        _school_node(
            r.uid,
            r.name,
            point,
            _size(staff.get(r.uid, 0)),
            in_degree=received.get(r.uid, 0),
            broker=r.uid in cut,
            articulation_point=r.uid in cut,
            isolate=degree[i] == 0,
            people=staff.get(r.uid, 0),
        )
        for i, (r, point) in enumerate(zip(rows, placed.points, strict=True))
    ]
    edges = [_link(f"{a}~{b}", a, b, pairs[(a, b)], counts[(a, b)]) for a, b in links]
    edges += [
        _link(f"transfer:{a}>{b}", a, b, ["transfer"], n, True, (b, a) in flows)
        for (a, b), n in sorted(flows.items())
    ]
    nodes = sorted(nodes, key=lambda n: (n["label"], n["id"]))
    summary = {
        "nodes": len(nodes),
        "edges": len(edges),
        "schools": len(nodes),
        "school_links": len(links),
        "transfer_flows": len(flows),
        "transfers": sum(flows.values()),
        "components": len(metrics.components(g)) if rows else 0,
        "isolated_schools": sum(n["isolate"] for n in nodes),
        "cross_school_ties": sum(counts.values()),
    }
    return _document(c, nodes, edges, [], _legend(nodes, edges), summary)


def _centre(c: Context, scope: Scope) -> str | None:
    """The school a centred view is about: the filter, a leader's own school, or the first."""
    if c.filters.school:
        return c.filters.school
    if scope.role == "leader" and scope.school_uid in {r.uid for r in c.s.schools}:
        return scope.school_uid
    return c.s.schools[0].uid if c.s.schools else None


def ego_view(c: Context, centre: str | None) -> dict[str, Any]:
    """One school's people, their ties out, and the schools they reach (as school nodes, so
    no other school's people are shown), with who carries each link."""
    s = filtered(c.s, c.filters)
    ties = person_ties(s, c.filters.kinds)
    fig = figures(s, ties)
    names = c.school_names
    school = {p.uid: p.school_uid for p in s.people}
    mine = sorted((p for p in s.people if p.school_uid == centre), key=lambda p: p.uid)
    index = {p.uid: i for i, p in enumerate(mine)}
    inside = [t for t in ties.values() if t.a in index and t.b in index]
    reach: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for t in ties.values():
        for here, there in ((t.a, t.b), (t.b, t.a)):
            other = school.get(there)
            if here in index and other and other != centre and other in names:
                reach[other][here].update(t.kinds)
    reached = sorted(reach, key=lambda u: (names[u], u))
    placed = layout.ego(len(mine), [(index[t.a], index[t.b]) for t in inside], len(reached))
    heads, holders = _heads(c.s), _holders(c.s)
    ids = {p.uid: c.namer.node_id(p) for p in mine}
    nodes = [
        _person_node(c, p, fig, point, heads, holders)
        for p, point in zip(mine, placed.points[: len(mine)], strict=True)
    ]
    nodes += [
        _school_node(uid, names[uid], point, _size(len(reach[uid])))
        for uid, point in zip(reached, placed.points[len(mine) :], strict=True)
    ]
    edges = [_edge(t, ids) for t in inside]
    edges += [
        _link(f"{ids[person]}>{uid}", ids[person], uid, kinds, sum(kinds.values()))
        for uid in reached
        for person, kinds in sorted(reach[uid].items())
    ]
    by_id = {n["id"]: n for n in nodes}
    reached_rows = [
        {
            "school": uid,
            "school_name": names[uid],
            "through": [ids[p] for p in sorted(reach[uid], key=lambda p: by_id[ids[p]]["label"])],
            "through_labels": sorted(by_id[ids[p]]["label"] for p in reach[uid]),
            "ties": sum(sum(k.values()) for k in reach[uid].values()),
        }
        for uid in reached
    ]
    others = [r for r in c.s.schools if r.uid != centre]
    summary = _summary(
        nodes,
        edges,
        school=centre,
        school_name=names.get(centre, ""),
        schools_reached=len(reached),
        schools_not_reached=[
            {"school": r.uid, "school_name": r.name} for r in others if r.uid not in reach
        ],
        reached=reached_rows,
        people_reaching_out=len({p for uid in reached for p in reach[uid]}),
    )
    clusters = []
    if centre:
        x, y = placed.centres["centre"]
        clusters = [{"id": centre, "label": names.get(centre, ""), "x": x, "y": y}]
    nodes = [*_ordered([n for n in nodes if n["kind"] == "person"]),
             *[n for n in nodes if n["kind"] == "school"]]  # fmt: skip
    return _document(c, nodes, edges, clusters, _legend(nodes, edges), summary)


def sociogram_view(c: Context, centre: str | None) -> dict[str, Any]:
    """Torrance's sociogram of one school: its staff in three layers (senior, teacher,
    support), advice nominations between them from the questionnaire, reciprocated ties
    marked; and beside it, who is designated (holds a role) against who is recognised
    (receives nominations)."""
    f = replace(c.filters, kinds=("advice",))
    s = filtered(c.s, f)
    mine = sorted((p for p in s.people if p.school_uid == centre), key=lambda p: p.uid)
    local = replace(s, people=tuple(mine), extra={})
    ties = person_ties(local, ("advice",))
    fig = figures(local, ties)
    placed = layout.layered([p.layer for p in mine], [fig.in_degree[p.uid] for p in mine])
    heads, holders = _heads(c.s), _holders(c.s)
    c2 = replace(c, filters=f)
    ids = {p.uid: c.namer.node_id(p) for p in mine}
    nodes = [
        _person_node(c2, p, fig, point, heads, holders)
        for p, point in zip(mine, placed.points, strict=True)
    ]
    edges = [_edge(t, ids) for t in ties.values()]
    limits = c.limits
    dvr = designated_vs_recognised(
        s,
        int(limits.get("designated_not_recognised", {}).get("max_nominations", 1)),
        float(limits.get("recognised_not_designated", {}).get("top_fraction", 0.1)),
    )
    titles: dict[str, list[str]] = defaultdict(list)
    for role in current_roles(c.s):
        titles[role.person_uid].append(role.title)
    rows = []
    designated_only: list[str] = []
    recognised_only: list[str] = []
    if dvr is not None:
        flagged_d = set(dvr["designated_not_recognised"])
        flagged_r = set(dvr["recognised_not_designated"])
        for row in dvr["people"]:
            p = c.s.person(row["uid"])
            if p is None or row["uid"] not in ids:
                continue
            node_id = ids[row["uid"]]
            if row["uid"] in flagged_d:
                designated_only.append(node_id)
            if row["uid"] in flagged_r:
                recognised_only.append(node_id)
            rows.append(
                {
                    "id": node_id,
                    "label": c.namer.label(p),
                    "layer": p.layer,
                    # A role's title can name the person it belongs to: only with their name.
                    "roles": sorted(titles.get(p.uid, [])) if c.namer.visible(p) else [],
                    "role_holder": bool(titles.get(p.uid)),
                    "nominations": row["nominations"],
                    "designated_not_recognised": row["uid"] in flagged_d,
                    "recognised_not_designated": row["uid"] in flagged_r,
                }
            )
    rows.sort(key=lambda r: (-r["nominations"], r["label"]))
    layers = Counter(p.layer for p in mine)
    layer_of = {p.uid: p.layer for p in mine}
    nominees = [t.b for t in ties.values() if t.advice_ab]
    nominees += [t.a for t in ties.values() if t.advice_ba]
    to_senior = sum(layer_of[x] == "senior" for x in nominees)
    arcs = len(nominees)
    summary = _summary(
        nodes,
        edges,
        school=centre,
        school_name=c.school_names.get(centre, ""),
        layers={key: layers.get(key, 0) for key, _ in LAYERS if layers.get(key)},
        nominations=arcs,
        senior_share=round(to_senior / arcs, 3) if arcs else None,
        survey=c.s.survey,
        designated_vs_recognised=rows,
        designated_not_recognised=designated_only,
        recognised_not_designated=recognised_only,
    )
    clusters = [
        {"id": key, "label": dict(LAYERS).get(key, key), "x": x, "y": y}
        for key, (x, y) in placed.centres.items()
    ]
    doc = _document(c2, _ordered(nodes), edges, clusters, _legend(nodes, edges), summary)
    return doc


# -- what is kept between requests ----------------------------------------------------------------


class _Recent(OrderedDict):
    """A small least-recently-used mapping."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get_or_make(self, key: Any, make: Callable[[], Any]) -> Any:
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = self[key] = make()
        while len(self) > self.size:
            self.popitem(last=False)
        return value


class Memory:
    """One network's history at one data version, with the cuts and layouts made from it.

    Every write to a network bumps its data version (``tracker.services.dataversion``), so
    an entry is either current or never read again: the same rule as the dashboard's cache,
    kept in the worker's memory because a map request must write nothing.
    """

    def __init__(self, history: History) -> None:
        self.history = history
        self.rounds = history.survey_dates("9999-12-31")
        self._lock = threading.Lock()
        self._cuts = _Recent(12)
        self._layouts = _Recent(48)

    def cut(self, at: str, exclude: frozenset[str]) -> Snapshot:
        with self._lock:
            return self._cuts.get_or_make((at, exclude), lambda: self.history.at(at, exclude))

    def layout(self, key: Any, make: Callable[[], layout.Layout]) -> layout.Layout:
        with self._lock:
            return self._layouts.get_or_make(key, make)

    def remember(self, key: Any, make: Callable[[], Any]) -> Any:
        """Anything else computed from this history alone (the signs as they stand)."""
        with self._lock:
            return self._layouts.get_or_make(key, make)


class MapCache:
    """Recent :class:`Memory` entries of one app, keyed by (network, data version)."""

    SIZE = 4

    def __init__(self) -> None:
        self._entries = _Recent(self.SIZE)
        self._lock = threading.Lock()

    def memory(self, network_uid: str) -> Memory:
        version = dataversion.current(network_uid)  # read before the graph: never newer data
        key = (network_uid, version)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        made = Memory(load_history(graph.store, network_uid))
        with self._lock:
            for old in [k for k in self._entries if k[0] == network_uid and k != key]:
                del self._entries[old]  # an older version is never read again
            return self._entries.get_or_make(key, lambda: made)


def _memory(network_uid: str) -> Memory:
    cache = current_app.extensions.setdefault("maps_cache", MapCache())
    return cache.memory(network_uid)


# -- one request --------------------------------------------------------------------------------


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


# -- CSV ----------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return escape_cell(";".join(str(v) for v in value))
    return escape_cell(str(value))


def to_csv(data: Mapping[str, Any], part: str) -> str:
    """The map's nodes or edges as CSV, with the same labels (and masks) as the JSON; cells a
    spreadsheet would run as formulas are escaped."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if part == "nodes":
        writer.writerow(NODE_COLUMNS)
        for node in data["nodes"]:
            writer.writerow([_cell(node.get(col)) for col in NODE_COLUMNS])
        return out.getvalue()
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    writer.writerow(EDGE_COLUMNS)
    for edge in data["edges"]:
        row = {
            **edge,
            "source_label": labels.get(edge["source"], ""),
            "target_label": labels.get(edge["target"], ""),
        }
        writer.writerow([_cell(row.get(col)) for col in EDGE_COLUMNS])
    return out.getvalue()


# -- the named-maps setting ---------------------------------------------------------------------


def settings_view(network_uid: str) -> dict[str, Any]:
    """The setting, its version, and each questionnaire round with whether its consent text
    carries the named-maps statement."""
    from tracker.models.survey import SurveyRound

    row = db.session.get(NetworkSettings, network_uid)
    rounds = db.session.scalars(
        select(SurveyRound)
        .where(SurveyRound.network_uid == network_uid)
        .order_by(SurveyRound.opens, SurveyRound.id)
    ).all()
    return {
        "named_maps": bool(row and row.named_maps),
        "version": row.version if row else 1,
        "statement": NAMED_MAPS_STATEMENT,
        "rounds": [
            {
                "uid": r.uid,
                "title": r.title,
                "opens": r.opens,
                "closes": r.closes,
                "says_named": consent_says_named(r.consent_text),
            }
            for r in rounds
        ],
    }


def save_settings(scope: Scope, form: Mapping[str, Any]) -> bool:
    """Switch named maps on or off. On needs the coordinator's confirmation and at least one
    round whose consent text carries the statement. Audited; the caller commits."""
    try:
        version = int(form.get("version") or 0)
    except ValueError:
        version = 0
    settings = dataversion.settings_for(scope.network_uid)
    if settings.version != version:
        raise Stale({"version": settings.version}, [])
    wanted = form.get("named_maps") in ("on", "yes", "y", "1", "true")
    errors: dict[str, str] = {}
    if wanted:
        if form.get("confirm") not in ("on", "yes", "y", "1", "true"):
            errors["confirm"] = (
                "Confirm that respondents were told their names may be shown on the maps."
            )
        if not any(r["says_named"] for r in settings_view(scope.network_uid)["rounds"]):
            errors["named_maps"] = (
                "No questionnaire round's consent text carries the statement below, so "
                "respondents were not told. Put it in the next round's consent text first."
            )
    if errors:
        raise Invalid(errors)
    before = {"named_maps": bool(settings.named_maps)}
    settings.named_maps = wanted
    settings.version += 1
    audit.record(
        scope.user,
        "maps.named_maps",
        "network",
        scope.network_uid,
        network_uid=scope.network_uid,
        before=before,
        after={"named_maps": wanted},
        commit=False,
    )
    return wanted
