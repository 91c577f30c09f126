"""Forms of the year planner. The fixed fields are a Flask-WTF form; the per-home rows and
preferences are a variable number of plain inputs, parsed here."""

from __future__ import annotations

from datetime import time

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import DateField, IntegerField, SelectField, TimeField
from wtforms.validators import DataRequired, NumberRange, ValidationError

from ...bounds import MAX_YEAR, MIN_YEAR, YEAR_MESSAGE, YearInRange
from .algorithm import PARTS, WEEKDAYS, PlanInputError, Preference, Slot, slot_from_text

LENGTHS = [
    (60, "1 timme"),
    (90, "1,5 timme"),
    (120, "2 timmar"),
    (150, "2,5 timmar"),
    (180, "3 timmar"),
]
WEEKDAY_CHOICES = [("", "Ingen önskan")] + [(str(i), WEEKDAYS[i].capitalize()) for i in range(5)]
PART_CHOICES = [("", "Ingen önskan")] + [(k, v.capitalize()) for k, v in PARTS.items()]


def options_html(choices) -> Markup:
    """The options of a preference select with nothing chosen, built once per page rather than
    once per home."""
    return Markup("".join(f'<option value="{escape(v)}">{escape(t)}</option>' for v, t in choices))


class PlannerForm(FlaskForm):
    year = IntegerField(
        "År",
        validators=[DataRequired("Ange år."), NumberRange(MIN_YEAR, MAX_YEAR, YEAR_MESSAGE)],
    )
    period_start = DateField(
        "Från och med",
        format="%Y-%m-%d",
        validators=[DataRequired("Ange periodens första dag (ÅÅÅÅ-MM-DD)."), YearInRange()],
    )
    period_end = DateField(
        "Till och med",
        format="%Y-%m-%d",
        validators=[DataRequired("Ange periodens sista dag (ÅÅÅÅ-MM-DD)."), YearInRange()],
    )
    length = SelectField("Mötets längd", coerce=int, choices=LENGTHS, default=120)
    day_start = TimeField(
        "Tidigast start",
        default=time(8, 0),
        validators=[DataRequired("Ange tidigaste starttid (TT:MM).")],
    )
    day_end = TimeField(
        "Senast slut",
        default=time(16, 0),
        validators=[DataRequired("Ange senaste sluttid (TT:MM).")],
    )
    usual_start = TimeField(
        "Vanlig starttid",
        default=time(13, 0),
        validators=[DataRequired("Ange vanlig starttid (TT:MM).")],
    )

    def validate_period_end(self, field):
        if self.period_start.data and field.data and field.data < self.period_start.data:
            raise ValidationError("Periodens sista dag ligger före den första.")

    def validate_day_end(self, field):
        if self.day_start.data and field.data and field.data <= self.day_start.data:
            raise ValidationError("Senast slut måste vara efter tidigast start.")


def _int(value) -> int | None:
    """A weekday or an id from the form; None for anything else, and for numbers no id column
    can hold (more than nine digits)."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 9 else None


def _preference(data, prefix: str, key) -> Preference:
    weekday = _int(data.get(f"{prefix}dag-{key}"))
    part = data.get(f"{prefix}del-{key}") or None
    return Preference(
        weekday if weekday is not None and 0 <= weekday <= 4 else None,
        part if part in PARTS else None,
    )


def selected_home_ids(data) -> list[int]:
    return [i for i in (_int(v) for v in data.getlist("boende")) if i is not None]


def preferences(data, home_ids) -> dict[int, Preference]:
    return {i: _preference(data, "", i) for i in home_ids}


def centre_preferences(data) -> dict[int, Preference]:
    found = {}
    for name in data:
        if name.startswith("vc-dag-") or name.startswith("vc-del-"):
            key = _int(name.rsplit("-", 1)[1])
            if key is not None:
                found[key] = _preference(data, "vc-", key)
    return found


def edited_rows(data) -> tuple[dict[int, Slot], list[int], list[tuple[int, str]]]:
    """The proposal rows as submitted: (slots to book, home ids left out, errors)."""
    slots, left_out, errors = {}, [], []
    for home_id in selected_home_ids(data):
        if not data.get(f"boka-{home_id}"):
            left_out.append(home_id)
            continue
        try:
            slots[home_id] = slot_from_text(
                home_id,
                data.get(f"datum-{home_id}", ""),
                data.get(f"start-{home_id}", ""),
                data.get(f"slut-{home_id}", ""),
            )
        except PlanInputError as error:
            errors.append((home_id, str(error)))
    return slots, left_out, errors
