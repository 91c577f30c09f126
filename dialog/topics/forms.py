from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField


def int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class TopicForm(FlaskForm):
    area = SelectField("Område", coerce=int_or_none, choices=[], validate_choice=False)
    text = TextAreaField("Ämne att ta upp")
