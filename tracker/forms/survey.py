"""Forms of the staff questionnaire: the coordinator's rounds and the respondent's answers.

Choice fields do not check their choices here (``validate_choice=False``): the survey service
checks every value, with one clear message per rule, and the forms show that message. The
same rules then hold for the web form, a package import and the CLI.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget, RadioInput

from tracker.services import vocab

STAFF_LAYERS = {key: vocab.LAYERS[key] for key in ("senior", "teacher", "support")}
INFLUENCE = {str(n): str(n) for n in range(1, 6)}
INFLUENCE_HINT = "1 = a little, 5 = a great deal."
TRUST = {str(n): str(n) for n in range(1, 6)}
YES_NO = {"yes": "Yes", "no": "No", "unsure": "Unsure"}
TRUST_HINT = "1 = not at all, 5 = completely."


class Checkboxes(SelectMultipleField):
    """Several choices as a list of checkboxes (one tap each on a phone)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:  # the service says which values are allowed
        return None


class Radios(RadioField):
    """One choice as radio buttons; the service checks the value."""

    widget = ListWidget(prefix_label=False)
    option_widget = RadioInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)

    def pre_validate(self, form: Any) -> None:
        return None


# --- coordinator -------------------------------------------------------------------------------


class RoundForm(FlaskForm):
    """Open a round. ``uid`` is made when the form is shown, so a double submit opens one."""

    uid = HiddenField()
    title = StringField(
        "Title",
        description="Staff see it at the top of the questionnaire, e.g. “Advice, autumn 2026”.",
        validators=[DataRequired(), Length(max=200)],
    )
    topics = Checkboxes("Topics", description="Staff say which of these they seek advice on.")
    custom_topics = TextAreaField(
        "Other topics",
        description="Optional: one per line, up to 8, each at most 60 characters.",
        validators=[Length(max=8 * 61)],
    )
    opens = DateField("Opens", validators=[InputRequired()])
    closes = DateField("Closes", validators=[InputRequired()])
    schools = Checkboxes(
        "Schools invited", description="Leave every box empty to invite every school."
    )
    layers = Checkboxes(
        "Staff invited",
        choices=dict(STAFF_LAYERS),
        description="Leave every box empty to invite all staff.",
    )
    consent_text = TextAreaField(
        "Consent text",
        description="Shown first; nothing is stored until the person agrees to it.",
        validators=[DataRequired(), Length(max=5000)],
    )
    submit = SubmitField("Open the round")


class ExtendForm(FlaskForm):
    version = HiddenField()
    closes = DateField("New closing date", validators=[InputRequired()])
    submit = SubmitField("Extend")


class VersionForm(FlaskForm):
    """Close early or reopen: only the version the page was opened at."""

    version = HiddenField()


class IssueLinksForm(FlaskForm):
    reissue = BooleanField(
        "Replace every existing link",
        description="Old links stop working. Leave unticked to make links only for people "
        "who have none.",
    )


class SendForm(FlaskForm):
    reminder = HiddenField()


class PersonActionForm(FlaskForm):
    """Revoke or re-issue one person's link."""

    person_uid = HiddenField(validators=[DataRequired()])


class WithdrawRespondentForm(FlaskForm):
    person_uid = SelectField("Person who asked to withdraw", choices=[], validate_choice=False)
    confirm = HiddenField()


# --- respondent --------------------------------------------------------------------------------


class ConsentForm(FlaskForm):
    agree = BooleanField(
        "I have read this and agree to take part",
        validators=[DataRequired("Tick the box to agree before you start.")],
    )
    submit = SubmitField("Start the questionnaire")


class NominationForm(FlaskForm):
    """One colleague: topics, how often, how much influence. ``replace`` marks an edit."""

    replace = HiddenField()
    topics = Checkboxes("What do you go to them about?")
    frequency = Radios("How often?", choices=dict(vocab.FREQUENCIES))
    influence = Radios(
        "How much do they influence your practice?", choices=INFLUENCE, description=INFLUENCE_HINT
    )
    submit = SubmitField("Save this colleague")


class UnlistedForm(FlaskForm):
    """Someone not in the list: free text, kept apart from the network's records."""

    text = StringField(
        "Who is it?",
        description="A name or a role, e.g. “a consultant from the local authority”. "
        "At most 200 characters.",
        validators=[
            DataRequired("Say who it is."),
            Length(max=200, message="Keep it to 200 characters or fewer."),
        ],
    )
    topics = Checkboxes("What do you go to them about?")
    frequency = Radios("How often?", choices=dict(vocab.FREQUENCIES))
    influence = Radios(
        "How much do they influence your practice?", choices=INFLUENCE, description=INFLUENCE_HINT
    )
    submit = SubmitField("Add this person")


class AboutYouForm(FlaskForm):
    leader_in_school = Radios(
        "Do you have a leadership role in your school?",
        choices=dict(YES_NO),
    )
    leader_in_network = Radios(
        "Do you have a leadership role in the network?",
        choices=dict(YES_NO),
    )
    trust_other_schools = Radios(
        "How much do you trust colleagues in the network's other schools?",
        choices=TRUST,
        description=TRUST_HINT,
    )
    levels = Checkboxes(
        "Which kinds of learning do you take part in through the network?",
        choices=dict(vocab.LEVELS),
        description="Tick all that apply.",
    )
    submit = SubmitField("Save")


class ConfirmForm(FlaskForm):
    """Submit and withdraw: a button, its CSRF token and (withdraw) ``confirm=yes``."""

    confirm = HiddenField()
