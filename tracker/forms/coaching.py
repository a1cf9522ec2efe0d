"""Co-coaching forms: a pair, its sessions, its end, and who trained whom."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker.access import Scope
from tracker.forms.network import VersionedForm
from tracker.forms.pickers import person_choices
from tracker.services import people as people_service

PRACTICE_LIST = "practice-options"


def person_options(scope: Scope, *selected: str | None, blank: str = "Choose a person") -> dict:
    """``person_choices`` (current people grouped by school), plus anyone already chosen who has
    since left, so that editing an old record keeps its people."""
    choices: dict[str, Any] = person_choices(scope, blank=blank)
    listed = {uid for options in choices.values() for uid, _ in options}
    missing = [uid for uid in selected if uid and uid not in listed]
    if missing:
        everyone = {p["uid"]: p for p in people_service.listing(scope, include_left=True)}
        former = [(uid, everyone[uid]["name"]) for uid in missing if uid in everyone]
        if former:
            choices["No longer at a network school"] = former
    return choices


def _practice_field(description: str) -> StringField:
    return StringField(
        "Practice",
        description=description,
        validators=[DataRequired(), Length(max=200)],
        render_kw={"list": PRACTICE_LIST, "autocomplete": "off"},
    )


class PairForm(VersionedForm):
    # People are checked by the service (same network, two different people).
    person_a = SelectField("First person", choices=[], validate_choice=False)
    person_b = SelectField("Second person", choices=[], validate_choice=False)
    practice = _practice_field(
        "What they coach each other in. Pick one already used so pairs and cascades match."
    )
    started = DateField("Started", validators=[InputRequired()])
    ended = DateField(
        "Ended", validators=[Optional()], description="Leave empty while the pair is coaching."
    )
    submit = SubmitField("Save pair")

    def prepare(self, scope: Scope) -> None:
        """Choices depend on the network, so they are made per request."""
        self.person_a.choices = person_options(scope, self.person_a.data)
        self.person_b.choices = person_options(scope, self.person_b.data)


class SessionForm(FlaskForm):
    """Log one coaching session on a date (today unless changed)."""

    date = DateField("Session date", validators=[DataRequired()])
    submit = SubmitField("Log session")


class RemoveSessionForm(FlaskForm):
    date = HiddenField(validators=[DataRequired()])


class EndPairForm(FlaskForm):
    """Close a pair on a date; the version guards against closing an edited record."""

    version = HiddenField()
    ended = DateField("Ended on", validators=[DataRequired()])
    submit = SubmitField("End pair")


class TrainingForm(VersionedForm):
    trainer_uid = SelectField("Trainer", choices=[], validate_choice=False)
    trainee_uid = SelectField("Trained", choices=[], validate_choice=False)
    practice = _practice_field("The practice the training was in.")
    date = DateField("Date of the training", validators=[InputRequired()])
    submit = SubmitField("Record training")

    def prepare(self, scope: Scope) -> None:
        self.trainer_uid.choices = person_options(scope, self.trainer_uid.data)
        self.trainee_uid.choices = person_options(scope, self.trainee_uid.data)
