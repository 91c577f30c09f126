"""Forms of the basis-data pages. The rules (numbers, shares) live in services.parse_value."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField

from ..models import Measure


class FiguresForm(FlaskForm):
    """One text field per measure, named by the measure's code."""


for _measure in Measure:
    setattr(
        FiguresForm,
        _measure.value,
        StringField(_measure.label, render_kw={"inputmode": "decimal", "autocomplete": "off"}),
    )
