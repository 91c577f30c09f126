"""Forms for recording a dialogue. The rules (required fields, dates, the patient-data guard)
live in the services, so the forms, the import and the tests all get the same messages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, TextAreaField

from ..bounds import parse_id
from ..form_fields import SwedishDateField
from ..models import ActionStatus, ContactRole, FindingKind, Party


def int_or_none(value):
    """An id from a select, or None for the empty choice; anything else is not a choice."""
    if value in (None, "", "None"):
        return None
    number = parse_id(value)
    if number is None:
        raise ValueError("not an id")
    return number


class VersionForm(FlaskForm):
    """Buttons that change the dialogue carry the version the page was rendered from."""

    version = HiddenField()


class ConfirmForm(VersionForm):
    """The second step of a step that cannot simply be undone (locking, deleting)."""

    confirmed = HiddenField()


class UnlockForm(VersionForm):
    reason = TextAreaField("Varför låses dialogen upp?")


class FollowUpForm(FlaskForm):
    """The owner's follow-up of an action: status, done date or reason, a progress note."""

    status = SelectField(
        "Status", choices=[(s.value, s.label) for s in ActionStatus], validate_choice=False
    )
    done_on = SwedishDateField("Klar den")
    cancel_reason = TextAreaField("Varför avbröts åtgärden?")
    note = TextAreaField("Anteckning om hur det går")
    note_date = SwedishDateField("Anteckningens datum")
    seen = HiddenField()


class AcknowledgeForm(FlaskForm):
    comment = TextAreaField("Kommentar (valfri)")


class FindingForm(VersionForm):
    kind = RadioField(
        "Typ", choices=[(k.value, k.label) for k in FindingKind], validate_choice=False
    )
    area_id = SelectField("Område", coerce=int_or_none, choices=[], validate_choice=False)
    plan_area_id = SelectField(
        "Område i nationella handlingsplanen", coerce=int_or_none, choices=[], validate_choice=False
    )
    description = TextAreaField("Beskrivning")
    concerns = RadioField(
        "Gäller",
        choices=[(p.value, p.label) for p in Party],
        default=Party.JOINT.value,
        validate_choice=False,
    )
    spread_as_lesson = BooleanField("Sprid som lärdom")
    escalate = BooleanField("Lyft till MAS/MAR och region")


class ActionForm(VersionForm):
    description = TextAreaField("Åtgärd")
    finding_id = SelectField("Hör till", coerce=int_or_none, choices=[], validate_choice=False)
    responsible_party = SelectField(
        "Ansvarig part",
        choices=[("", "Välj part")] + [(p.value, p.label) for p in Party],
        validate_choice=False,
    )
    responsible_role = SelectField(
        "Ansvarig roll",
        choices=[("", "Ingen särskild roll")] + [(r.value, r.label) for r in ContactRole],
        validate_choice=False,
    )
    due_date = SwedishDateField("Klart senast")
    status = SelectField(
        "Status",
        choices=[(s.value, s.label) for s in ActionStatus],
        default=ActionStatus.NOT_STARTED.value,
        validate_choice=False,
    )


class NoteForm(VersionForm):
    note_date = SwedishDateField("Datum")
    text = TextAreaField("Anteckning")


class ImportForm(FlaskForm):
    document = FileField("Ifylld dokumentationsmall (.docx)")


def enum_or_none(enum_cls, value):
    try:
        return enum_cls(value) if value else None
    except ValueError:
        return None
