"""Who sees which names on a map.

Privacy is decided here, never in the browser: every node is made through a :class:`Namer`,
which gives a person their name and uid only when the viewer may see them, and otherwise a
pseudonym and a pseudonymous id (a leader can read other schools' people by name and uid in
the people directory, so a map that showed the uid beside a pseudonym would unmask it).

- Coordinators see names.
- Evaluators see pseudonyms unless their grant has names visible.
- Leaders never see individual answers (``security.md``): a named person's advice tie *is*
  their answer, so whenever the map draws on the questionnaire (advice ties, nominations
  received, brokerage) everyone on it is a pseudonym with their layer, their own school's
  people included, unless the coordinator has switched on named maps *and* the consent text
  of every questionnaire round on the map told respondents so (``NAMED_MAPS_STATEMENT``).
  A map of recorded activity only (coaching, groups, roles, training) names everyone, as the
  network's own pages do. (``own_school``, names for the viewer's school only, remains for
  views that need it.)
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable

from flask import current_app
from sqlalchemy import select

from tracker.access import Scope
from tracker.analysis.snapshot import PersonRow
from tracker.extensions import db
from tracker.models import NetworkSettings
from tracker.services.maps.filters import Filters
from tracker.services.pseudonyms import pseudonym

# What a round's consent text must say before leaders may see other schools' people by name.
NAMED_MAPS_STATEMENT = (
    "Your name, and the names of the colleagues you choose, may be shown on the network's "
    "influence maps to the leaders of the network's schools."
)


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
    return "none"


PRIVACY_NOTES = {
    "all": "Names are shown: your access to this network includes everyone's name.",
    "leader_named": "Names are shown: the coordinator switched on named maps, and the "
    "questionnaire's consent text told respondents their names may appear here.",
    "own_school": "People in other schools are shown by pseudonym with their staff layer, "
    "because advice ties come from individual questionnaire answers.",
    "none": "Everyone is shown by pseudonym: your access to this network does not include names.",
    "leader_pseudonyms": "Everyone is shown by pseudonym with their staff layer, your own "
    "school's staff too: advice ties come from individual questionnaire answers, which "
    "leaders do not see. The coordinator can switch on named maps where respondents agreed.",
}


def _privacy(scope: Scope, names: str) -> dict[str, str]:
    note = PRIVACY_NOTES[names]
    if names == "all" and scope.role == "leader":
        note = PRIVACY_NOTES["leader_named"]
    elif names == "none" and scope.role == "leader":
        note = PRIVACY_NOTES["leader_pseudonyms"]
    return {"names": names, "note": note}
