"""Forms of the agreements register. The rules live in services.check_fields."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField

from ..bounds import parse_id
from ..form_fields import SwedishDateField


class AgreementForm(FlaskForm):
    municipality = SelectField("Kommun", coerce=parse_id, choices=[], validate_choice=False)
    health_centre = SelectField("Vårdcentral", coerce=parse_id, choices=[], validate_choice=False)
    valid_from = SwedishDateField("Gäller från")
    valid_to = SwedishDateField("Gäller till och med")
    participation_duty = BooleanField(
        "Överenskommelsen omfattar skyldigheten att delta i patientsäkerhetsdialogerna",
        default=True,
    )
    document_name = StringField("Dokumentets namn")
    document_ref = StringField("Länk eller filreferens")
