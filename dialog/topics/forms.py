from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField

from ..bounds import parse_id


class TopicForm(FlaskForm):
    area = SelectField("Område", coerce=parse_id, choices=[], validate_choice=False)
    text = TextAreaField("Ämne att ta upp")
