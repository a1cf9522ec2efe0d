"""Funding period forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker.forms.network import VersionedForm


class FundingForm(VersionedForm):
    source = StringField(
        "Source",
        description="Who pays: a grant, a trust, a local authority, the schools' own budget.",
        validators=[DataRequired(), Length(max=200)],
    )
    started = DateField("Started", validators=[InputRequired()])
    ended = DateField(
        "Ended", validators=[Optional()], description="Leave empty while the funding continues."
    )
    submit = SubmitField("Save funding period")


class EndFundingForm(FlaskForm):
    """Close a period on a date; the version guards against closing an edited record."""

    version = HiddenField()
    ended = DateField("Ended on", validators=[DataRequired()])
    submit = SubmitField("End funding")
