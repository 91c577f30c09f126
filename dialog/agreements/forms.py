"""Forms of the agreements register. The rules live in services.check_fields."""

from __future__ import annotations

from datetime import date, datetime

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, Field, HiddenField, SelectField, StringField
from wtforms.widgets import DateInput


class SwedishDateField(Field):
    """A date typed as ÅÅÅÅ-MM-DD (the browser's date picker sends that form); empty = None."""

    widget = DateInput()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if isinstance(self.data, date) else ""

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        try:
            self.data = datetime.strptime(valuelist[0].strip(), "%Y-%m-%d").date()
        except ValueError:
            raise ValueError("Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2027-01-01.") from None


def int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class AgreementForm(FlaskForm):
    municipality = SelectField("Kommun", coerce=int_or_none, choices=[], validate_choice=False)
    health_centre = SelectField(
        "Vårdcentral", coerce=int_or_none, choices=[], validate_choice=False
    )
    valid_from = SwedishDateField("Gäller från")
    valid_to = SwedishDateField("Gäller till och med")
    participation_duty = BooleanField(
        "Överenskommelsen omfattar skyldigheten att delta i patientsäkerhetsdialogerna",
        default=True,
    )
    document_name = StringField("Dokumentets namn")
    document_ref = StringField("Länk eller filreferens")


class UploadForm(FlaskForm):
    file = FileField("CSV-fil", validators=[FileRequired("Välj en CSV-fil.")])


class ConfirmForm(FlaskForm):
    payload = HiddenField()
