"""Forms for enquiry groups: the group, its members, sessions with attendance, outcomes.

Choices that depend on the network (its priorities, its people) are set by the view at request
time; the service re-checks every value, so a forged choice is refused there.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.forms.network import VersionedForm
from tracker.forms.pickers import PeopleField
from tracker.services import vocab


class CheckboxesField(SelectMultipleField):
    """A short fixed list of checkboxes (levels of learning)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: object) -> None:  # the service names the allowed values
        return None


class GroupForm(VersionedForm):
    question = TextAreaField(
        "Question",
        description="The enquiry question the group is working on.",
        validators=[DataRequired(), Length(max=500)],
    )
    priority = SelectField("Network priority it serves", choices=[], validate_choice=False)
    levels = CheckboxesField(
        "Levels of learning",
        choices=dict(vocab.LEVELS),
        description="Tick every level the group's work aims at.",
    )
    started = DateField("Started", validators=[InputRequired()])
    ended = DateField(
        "Ended", validators=[Optional()], description="Leave empty while the group still meets."
    )
    origin = SelectField(
        "How the group came about",
        choices={"": "Not recorded", **vocab.ORIGINS},
        validate_choice=False,
    )
    origin_note = TextAreaField(
        "Note on its origin",
        description="Optional: who saw the need, or what prompted it.",
        validators=[Length(max=1000)],
    )
    submit = SubmitField("Save group")


class EndGroupForm(FlaskForm):
    """End the group on a date: it stays on record with everything it did."""

    ended = DateField("Ended on", validators=[DataRequired()])
    submit = SubmitField("End the group")


class MemberForm(FlaskForm):
    uid = HiddenField()
    person_uid = SelectField("Person", choices=[], validate_choice=False)
    role = SelectField("Role in the group", choices=dict(vocab.GROUP_ROLES), validate_choice=False)
    start = DateField("Member from", validators=[DataRequired()])
    submit = SubmitField("Add to the group")


class EndMemberForm(FlaskForm):
    membership_uid = SelectField("Member", choices=[], validate_choice=False)
    left = DateField("Left the group on", validators=[DataRequired()])
    submit = SubmitField("Record leaving")


class SessionForm(VersionedForm):
    date = DateField("Date", validators=[InputRequired()])
    note = TextAreaField(
        "Note",
        description="Optional: what the session worked on.",
        validators=[Length(max=2000)],
    )
    present = PeopleField("Members present", description="Tick the members who came.")
    guests = PeopleField(
        "Guests",
        description="Anyone else from the network who took part: find them by name or school.",
    )
    submit = SubmitField("Save session")


class OutcomeForm(VersionedForm):
    kind = SelectField("Kind", choices=dict(vocab.OUTCOME_KINDS), validate_choice=False)
    date = DateField("Date", validators=[InputRequired()])
    description = TextAreaField(
        "Description",
        description="What was made or changed, and where it can be found.",
        validators=[DataRequired(), Length(max=2000)],
    )
    submit = SubmitField("Save outcome")
