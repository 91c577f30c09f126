"""The bounds every input must keep, in one place: ids, years and the characters of text.

- Ids: primary keys are INTEGER columns, 32-bit signed on PostgreSQL. A larger number cannot
  name a row, and handing it to the database driver fails (SQLite: OverflowError; PostgreSQL:
  "integer out of range"), so anything outside 1 … 2^31 - 1 is "not found" before any query.
  The `int` URL converter (see init_app) and `parse_id` apply this to URLs, query strings and
  forms.
- Years: dialogues, due dates, filters and imports live in MIN_YEAR … MAX_YEAR.
- Text: control characters (NUL and the rest of C0 and C1, except tab, line feed and carriage
  return) are never meaningful in a form field; PostgreSQL refuses NUL outright. Requests
  carrying them are refused as a whole (see init_app), so nothing of such a request is stored.
"""

from __future__ import annotations

import re
from datetime import date

from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

MAX_DB_ID = 2**31 - 1
MIN_YEAR = 2000
MAX_YEAR = 2100

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_MESSAGE = (
    "Formuläret innehåller osynliga styrtecken (till exempel NUL) som inte kan sparas. "
    "Inget har sparats. Skriv in texten igen, utan att klistra in den från ett annat "
    "program, och försök igen."
)


def valid_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_DB_ID


def parse_id(value) -> int | None:
    """An id from text (a form or query value), or None when it is not one."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if valid_id(value) else None
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if valid_id(number) else None


def year_in_range(year: int | None) -> bool:
    return year is not None and MIN_YEAR <= year <= MAX_YEAR


def date_in_range(day: date | None) -> bool:
    return day is not None and year_in_range(day.year)


YEAR_MESSAGE = f"Året måste vara mellan {MIN_YEAR} och {MAX_YEAR}."


class YearInRange:
    """WTForms validator for a date field: the year within MIN_YEAR … MAX_YEAR."""

    def __call__(self, form, field):
        from wtforms.validators import ValidationError

        if field.data is not None and not date_in_range(field.data):
            raise ValidationError(YEAR_MESSAGE)


def has_control_characters(text: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(text))


class IdConverter(IntegerConverter):
    """<int:…> in every route: a database id, 1 … 2^31 - 1; anything else does not match (404)."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 (Werkzeug's name)
        kwargs.setdefault("max", MAX_DB_ID)
        super().__init__(map, *args, **kwargs)


class BoundedArgs(ImmutableMultiDict):
    """Query and form values: .get(name, type=int) gives the default for numbers no column
    can hold, so an out-of-range id in a query string is "missing", never a driver error."""

    def get(self, key, default=None, type=None):  # noqa: A002 (Werkzeug's names)
        value = super().get(key, default, type)
        if type is int and isinstance(value, int) and abs(value) > MAX_DB_ID:
            return default
        return value


class RefusedInput(BadRequest):
    """A request refused for what it carries; the description is Swedish, for the user."""


def _text_values(request) -> list[str]:
    values = [request.path]
    values += [v for _, v in request.args.items(multi=True)]
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        values += [v for _, v in request.form.items(multi=True)]
        values += [f.filename or "" for _, f in request.files.items(multi=True)]
    return values


def init_app(app) -> None:
    from flask import Request, request

    class DialogRequest(Request):
        parameter_storage_class = BoundedArgs

    app.request_class = DialogRequest
    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def refuse_control_characters():
        if any(has_control_characters(value) for value in _text_values(request)):
            raise RefusedInput(CONTROL_MESSAGE)
