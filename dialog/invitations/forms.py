from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from .answers import STAND_IN_ROLES
from .mail_settings import WEEKDAYS


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


class OwnAnswerForm(FlaskForm):
    """A logged-in participant's answer on the dialogue page (no stand-in: use the link)."""

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


class MailSettingsForm(FlaskForm):
    followup_mail = BooleanField("Skicka påminnelser om åtgärder och veckosammanfattningar")
    action_reminder_days = IntegerField(
        "Påminn så här många dagar före datumet",
        validators=[
            InputRequired("Ange ett antal dagar (0–90)."),
            NumberRange(0, 90, "Ange 0–90."),
        ],
    )
    overdue_reminders = BooleanField("Påminn en gång när en åtgärd har blivit försenad")
    digest_weekday = SelectField(
        "Veckosammanfattningen skickas på",
        choices=[(str(i), d) for i, d in enumerate(WEEKDAYS)],
    )
