"""What if someone leaves: their ties marked as lost, and what that does to the school links
and the warning signs. Computed on a copy of the snapshot: nothing is written."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from tracker.analysis.snapshot import PersonRow, Snapshot
from tracker.analysis.ties import Ties, person_ties
from tracker.services.maps.document import NO_SCHOOL, Context
from tracker.services.maps.filters import filtered
from tracker.services.maps.views import network_view


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
