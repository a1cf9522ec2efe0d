"""Knowledge-transfer forms: a practice and the steps of its adoption by other schools."""

from __future__ import annotations

from typing import Any

from wtforms import DateField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from tracker.access import Scope
from tracker.forms.activities import school_options
from tracker.forms.network import VersionedForm
from tracker.forms.pickers import person_choices
from tracker.services import vocab


class PracticeForm(VersionedForm):
    name = StringField(
        "Practice or resource",
        description="For example “Reciprocal reading”, “Maths mastery planning template”.",
        validators=[InputRequired(), Length(max=200)],
    )
    school_uid = SelectField("Shared by", choices=[], validate_choice=False)
    shared_on = DateField("Shared on", validators=[InputRequired()])

    def prepare(self, scope: Scope) -> None:
        self.school_uid.choices = school_options(scope, "Choose a school", self.school_uid.data)


class AdoptionForm(VersionedForm):
    school_uid = SelectField("Adopting school", choices=[], validate_choice=False)
    stage = SelectField("Stage", choices=[], validate_choice=False)
    date = DateField("Date", validators=[InputRequired()])
    carrier_uid = SelectField(
        "Carried by",
        description="The person who brought the practice across, if you know.",
        choices=[],
        validate_choice=False,
    )

    def prepare(self, scope: Scope, *, carrier_name: str | None = None) -> None:
        self.school_uid.choices = school_options(scope, "Choose a school", self.school_uid.data)
        self.stage.choices = dict(vocab.ADOPTION_STAGES)
        choices: dict[str, Any] = person_choices(scope, blank="No one recorded")
        chosen = self.carrier_uid.data
        listed = {uid for group in choices.values() for uid, _ in group}
        if chosen and chosen not in listed:
            # A carrier who has since left, or a group from an import: keep them selectable.
            choices["Already recorded"] = [(chosen, carrier_name or "Recorded carrier")]
        self.carrier_uid.choices = choices
