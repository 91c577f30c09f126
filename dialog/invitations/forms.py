from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from .answers import STAND_IN_ROLES


class AnswerForm(FlaskForm):
    response = RadioField(
        "Ditt svar",
        choices=[
            ("ja", "Ja, jag kommer"),
            ("nej", "Nej, jag kan inte komma"),
            ("kanske", "Kanske"),
        ],
        validators=[InputRequired("Välj Ja, Nej eller Kanske.")],
    )
    comment = TextAreaField("Kommentar (valfri)", validators=[Optional(), Length(max=500)])
    stand_in_name = StringField("Ersättarens namn", validators=[Optional(), Length(max=160)])
    stand_in_email = StringField(
        "Ersättarens e-postadress", validators=[Optional(), Length(max=254)]
    )
    stand_in_role = SelectField("Ersättarens roll", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stand_in_role.choices = [("", "Välj roll")] + [
            (r.value, r.label) for r in STAND_IN_ROLES
        ]
