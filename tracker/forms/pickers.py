"""Choosing people and schools in forms: grouped by school, filterable as you type.

The controls are native (a ``<select>`` with one group per school, or a list of checkboxes),
so they work with the keyboard and without JavaScript; ``static/picker.js`` adds a filter box.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from wtforms import SelectMultipleField

from tracker.access import Scope
from tracker.services import people as people_service
from tracker.services import schools as school_service


class PeopleField(SelectMultipleField):
    """Several people at once (attendance, members); rendered by ``people_checklist``."""

    def pre_validate(self, form: Any) -> None:  # the service checks membership of the network
        return None


def current_people(scope: Scope) -> list[dict[str, Any]]:
    """People currently in the network, with ``school_name`` ("No school" for externals)."""
    people = people_service.listing(scope)
    for person in people:
        work = person.get("current_work")
        person["school_name"] = work["school_name"] if work else "No school"
    return people


def person_choices(scope: Scope, *, blank: str | None = "Choose a person") -> dict[str, Any]:
    """Choices for a SelectField, one option group per school (WTForms dict form)."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for person in current_people(scope):
        groups[person["school_name"]].append(
            (person["uid"], f"{person['name']} ({person['layer']})")
        )
    choices: dict[str, Any] = {"": [("", blank)]} if blank else {}
    for school in sorted(groups):
        choices[school] = groups[school]
    return choices


def people_by_school(scope: Scope) -> list[tuple[str, list[dict[str, Any]]]]:
    """(school name, people) pairs for ``people_checklist``."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for person in current_people(scope):
        groups[person["school_name"]].append(person)
    return sorted(groups.items())


def school_choices(scope: Scope, *, blank: str | None = "Choose a school") -> list[tuple[str, str]]:
    """Current member schools of the network."""
    choices = [(s["uid"], s["name"]) for s in school_service.listing(scope) if s["current"]]
    return ([("", blank)] if blank else []) + choices
