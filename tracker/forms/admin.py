from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

ROLE_CHOICES = [
    ("", "No grant yet"),
    ("coordinator", "Coordinator"),
    ("leader", "School leader"),
    ("evaluator", "Evaluator"),
    ("admin", "Administrator"),
]


class GrantFields(FlaskForm):
    role = SelectField("Role", choices=dict(ROLE_CHOICES))
    network = SelectField(
        "Network",
        choices=[],
        validate_choice=False,
        description="Leave empty for an administrator, or for a coordinator "
        "who may create networks.",
    )
    school = SelectField(
        "School", choices=[], validate_choice=False, description="School leaders only."
    )
    names_visible = BooleanField("Evaluator may see real names")


class UserForm(GrantFields):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField("Name", validators=[Length(max=120)])
    password = PasswordField(
        "Initial password",
        validators=[DataRequired(), Length(min=12)],
        description="At least 12 characters; tell the person securely.",
    )
    submit = SubmitField("Create account")


class GrantForm(GrantFields):
    submit = SubmitField("Add grant")
