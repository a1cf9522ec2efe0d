"""Activity forms: a forum, meeting, visit, workshop or joint training and who came."""

from __future__ import annotations

from typing import Any

from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from tracker.access import Scope
from tracker.forms.network import VersionedForm
from tracker.forms.pickers import PeopleField, people_by_school
from tracker.services import people as people_service
from tracker.services import schools as school_service
from tracker.services import vocab


class ActivityForm(VersionedForm):
    # Vocabularies are checked by the service, whose messages name the allowed values.
    kind = SelectField("Kind", choices=[], validate_choice=False)
    date = DateField("Date", validators=[InputRequired()])
    title = StringField(
        "Title",
        description="Leave empty to use the kind (“Learning forum”).",
        validators=[Length(max=200)],
    )
    host_uid = SelectField("Host school", choices=[], validate_choice=False)
    attendees = PeopleField(
        "Attendees", choices=[], description="Tick everyone who came. Type to filter the list."
    )
    levels = SelectMultipleField("Levels of learning", choices=[], validate_choice=False)
    decision = TextAreaField(
        "Decision",
        description="Anything decided at the activity. Leave empty if nothing was decided.",
        validators=[Length(max=2000)],
    )
    decided_by_uid = SelectField(
        "School that took the decision",
        description="Leave as “No school” for a decision the whole network took.",
        choices=[],
        validate_choice=False,
    )
    outcome = TextAreaField(
        "Outcome", description="What came of it.", validators=[Length(max=2000)]
    )

    def prepare(self, scope: Scope) -> None:
        """Choices are made per request (they depend on the network)."""
        self.kind.choices = dict(vocab.ACTIVITY_KINDS)
        self.levels.choices = list(vocab.LEVELS.items())
        self.host_uid.choices = school_options(
            scope, "No host school (online or elsewhere)", self.host_uid.data
        )
        self.decided_by_uid.choices = school_options(scope, "No school", self.decided_by_uid.data)


def school_options(scope: Scope, blank: str, *selected: str | None) -> list[tuple[str, str]]:
    """Current member schools, plus any already chosen school that has since left."""
    schools = school_service.listing(scope)
    keep = {uid for uid in selected if uid}
    options = [(s["uid"], s["name"]) for s in schools if s["current"] or s["uid"] in keep]
    return [("", blank), *options]


def attendee_groups(
    scope: Scope, selected: list[str] | None
) -> list[tuple[str, list[dict[str, Any]]]]:
    """``people_by_school``, plus anyone already ticked who has since left (so an edit keeps
    them)."""
    groups = people_by_school(scope)
    listed = {p["uid"] for _, people in groups for p in people}
    missing = [uid for uid in (selected or []) if uid not in listed]
    if missing:
        everyone = {p["uid"]: p for p in people_service.listing(scope, include_left=True)}
        former = [everyone[uid] for uid in missing if uid in everyone]
        if former:
            groups = [*groups, ("Since left the network's schools", former)]
    return groups
