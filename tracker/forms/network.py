from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tracker.services.networks import KINDS
from tracker.services.people import LAYERS
from tracker.services.schools import PHASES


class VersionedForm(FlaskForm):
    """Create forms carry a client-made uid (double submits create one object); edit forms
    carry the version they were opened at (stale edits are refused)."""

    uid = HiddenField()
    version = HiddenField()


class NetworkForm(VersionedForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    kind = SelectField("Kind", choices=dict(KINDS))
    started = DateField("Started", validators=[InputRequired()])
    priorities = TextAreaField(
        "Priorities",
        description="One per line: the network's enquiry questions or themes.",
        validators=[Length(max=5000)],
    )
    submit = SubmitField("Save network")


class SchoolForm(VersionedForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    urn = StringField(
        "URN",
        description="The national school number (URN or SEED code).",
        validators=[DataRequired(), Length(max=20)],
    )
    phase = SelectField("Phase", choices=dict(PHASES))
    local_authority = StringField("Local authority", validators=[Length(max=120)])
    size = IntegerField("Pupils on roll", validators=[Optional(), NumberRange(0, 10_000)])
    lat = DecimalField("Latitude", places=None, validators=[Optional(), NumberRange(-90, 90)])
    lon = DecimalField("Longitude", places=None, validators=[Optional(), NumberRange(-180, 180)])
    joined = DateField("Joined the network", validators=[Optional()])
    submit = SubmitField("Save school")


class PersonForm(VersionedForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    layer = SelectField("Layer", choices=dict(LAYERS))
    job_title = StringField("Job title", validators=[Length(max=120)])
    promoted = BooleanField("Holds a promoted post")
    email = StringField(
        "Email",
        validators=[Optional(), Length(max=254)],
        description="Only for sending questionnaire links; leaders and evaluators never see it.",
    )
    school_uid = SelectField("School", choices=[], validate_choice=False)
    start = DateField("Started at the school", validators=[Optional()])
    end = DateField(
        "Left the school",
        validators=[Optional()],
        description="Leave empty if they still work there.",
    )
    submit = SubmitField("Save person")


class EndForm(FlaskForm):
    """End a period (a membership or a job) on a date; the history is kept."""

    on = DateField("Date", validators=[DataRequired()])
    submit = SubmitField("End")


class MoveForm(FlaskForm):
    uid = HiddenField()
    school_uid = SelectField("New school", choices=[], validate_choice=False)
    on = DateField("Date of the move", validators=[DataRequired()])
    submit = SubmitField("Move")
