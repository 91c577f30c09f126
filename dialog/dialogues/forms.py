from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import URL, DataRequired, Length, Optional

from ..bounds import YearInRange
from ..form_fields import MultiCheckboxField


class RebookForm(FlaskForm):
    """Time and place of a dialogue, in Stockholm wall-clock time."""

    day = DateField(
        "Datum",
        validators=[DataRequired("Ange ett datum (ÅÅÅÅ-MM-DD)."), YearInRange()],
        format="%Y-%m-%d",
    )
    start = TimeField("Starttid", validators=[DataRequired("Ange starttid (TT:MM).")])
    end = TimeField("Sluttid", validators=[DataRequired("Ange sluttid (TT:MM).")])
    location = StringField("Plats", validators=[Optional(), Length(max=240)])
    video_link = StringField(
        "Videolänk",
        validators=[
            Optional(),
            Length(max=500),
            URL(require_tld=False, message="Ange en fullständig länk som börjar med https://."),
        ],
    )
    version = HiddenField()


class BookingForm(RebookForm):
    health_centre = SelectField("Vårdcentral", coerce=int, choices=[])
    participants = MultiCheckboxField("Deltagare", coerce=int, choices=[])
    # A participant from the home typed in on the spot (saved as a contact of the home).
    new_name = StringField("Namn", validators=[Optional(), Length(max=160)])
    new_email = StringField("E-postadress", validators=[Optional(), Length(max=254)])
    new_role = SelectField("Roll på boendet", choices=[], validate_choice=False)


class CancelForm(FlaskForm):
    reason = TextAreaField(
        "Anledning", validators=[DataRequired("Ange varför dialogen ställs in."), Length(max=500)]
    )
    version = HiddenField()


class ParticipantsForm(FlaskForm):
    participants = MultiCheckboxField("Deltagare", coerce=int, choices=[])
    version = HiddenField()
