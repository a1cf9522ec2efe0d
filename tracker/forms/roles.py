"""Cross-school role forms. ``from``/``to`` are Python keywords, so the fields are start/end."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker.access import Scope
from tracker.forms.coaching import person_options
from tracker.forms.network import VersionedForm
from tracker.services import vocab
from tracker.services.roles import CUSTOM


class RoleForm(VersionedForm):
    # Vocabularies and people are checked by the service, whose messages name what is allowed.
    person_uid = SelectField("Person", choices=[], validate_choice=False)
    title = SelectField("Role", choices=[], validate_choice=False)
    custom_title = StringField(
        "Title of another role",
        description="Only when the role is not in the list, for example “Maths champion”.",
        validators=[Length(max=120)],
    )
    start = DateField("From", validators=[InputRequired()])
    end = DateField("To", validators=[Optional()], description="Leave empty while it is held.")
    designated_by = SelectField(
        "Designated by",
        description="Usually the head. Leave empty for a role taken up by default.",
        choices=[],
        validate_choice=False,
    )
    origin = SelectField("Origin", choices=[], validate_choice=False)
    origin_note = TextAreaField(
        "Note on how it arose",
        description="For a role taken up in desperation, the crisis that prompted it.",
        validators=[Length(max=1000)],
    )
    submit = SubmitField("Save role")

    def prepare(self, scope: Scope) -> None:
        """Choices depend on the network, so they are made per request."""
        self.person_uid.choices = person_options(scope, self.person_uid.data)
        self.designated_by.choices = person_options(
            scope, self.designated_by.data, blank="No one (or not recorded)"
        )
        self.title.choices = [
            *vocab.ROLE_TITLES.items(),
            (CUSTOM, "Another role (write its title below)"),
        ]
        self.origin.choices = [("", "Not recorded"), *vocab.ORIGINS.items()]


class EndRoleForm(FlaskForm):
    """Close a role on a date; the version guards against closing an edited record."""

    version = HiddenField()
    end = DateField("Ended on", validators=[DataRequired()])
    submit = SubmitField("End role")
