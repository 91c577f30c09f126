from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField


class SettingsForm(FlaskForm):
    public = BooleanField("Sidan och dokumenten kan öppnas utan inloggning")
    method_text = TextAreaField("Text om metoden")
