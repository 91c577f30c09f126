"""Forms of the assignments pages; the rules live in services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField

from ..bounds import parse_id
from ..form_fields import MultiCheckboxField, SwedishDateField
from ..models import AssignmentStatus


class CatalogueCheckboxes(MultiCheckboxField):
    def pre_validate(self, form):
        pass  # the service checks the ids against the region's catalogue


class AssignmentForm(FlaskForm):
    title = StringField("Uppdraget")
    description = TextAreaField("Beskrivning")
    assignee = StringField("Till vem (grupp eller part)")
    owner = SelectField("Rapporterar tillbaka", choices=[], validate_choice=False)
    source_year = SelectField(
        "Från sammanställningen år", coerce=parse_id, choices=[], validate_choice=False
    )
    source_half = SelectField(
        "Halvår",
        coerce=parse_id,
        choices=[("", "Helår"), ("1", "januari–juni"), ("2", "juli–december")],
        validate_choice=False,
    )
    due_date = SwedishDateField("Klart senast")
    areas = CatalogueCheckboxes("Områden", coerce=parse_id, choices=[])
    findings = CatalogueCheckboxes("Fynd i sammanställningen", coerce=parse_id, choices=[])


class ReportForm(FlaskForm):
    status = RadioField(
        "Status",
        choices=[(s.value, s.label) for s in AssignmentStatus],
        validate_choice=False,
    )
    text = TextAreaField("Återrapport")
