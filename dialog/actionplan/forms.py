"""The texts form: one text area per plan area, named text-<plan area id> (built per request)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField


class TextsForm(FlaskForm):
    year = HiddenField()
