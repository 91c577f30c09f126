"""Forms of the assignments pages; the rules live in services."""

from __future__ import annotations

from datetime import date, datetime

from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, DateInput, ListWidget

from ..bounds import parse_id
from ..models import AssignmentStatus


def int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


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
            raise ValueError("Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2027-06-30.") from None


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        pass  # the service checks the ids against the region's catalogue


class AssignmentForm(FlaskForm):
    title = StringField("Uppdraget")
    description = TextAreaField("Beskrivning")
    assignee = StringField("Till vem (grupp eller part)")
    owner = SelectField("Rapporterar tillbaka", choices=[], validate_choice=False)
    source_year = SelectField(
        "Från sammanställningen år", coerce=int_or_none, choices=[], validate_choice=False
    )
    source_half = SelectField(
        "Halvår",
        coerce=int_or_none,
        choices=[("", "Helår"), ("1", "januari–juni"), ("2", "juli–december")],
        validate_choice=False,
    )
    due_date = SwedishDateField("Klart senast")
    areas = MultiCheckboxField("Områden", coerce=parse_id, choices=[])
    findings = MultiCheckboxField("Fynd i sammanställningen", coerce=parse_id, choices=[])


class ReportForm(FlaskForm):
    status = RadioField(
        "Status",
        choices=[(s.value, s.label) for s in AssignmentStatus],
        validate_choice=False,
    )
    text = TextAreaField("Återrapport")
