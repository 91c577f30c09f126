"""Forms of the documents feature."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import Length, Optional

from .kinds import KINDS

GLOBAL_TARGET = "alla"


class UploadForm(FlaskForm):
    kind = SelectField("Dokument", choices=[(k.key, k.label) for k in KINDS.values()])
    target = SelectField("Gäller", choices=[])
    file = FileField("Mallfil (.docx)", validators=[FileRequired("Välj en .docx-fil.")])
    comment = StringField("Kommentar", validators=[Optional(), Length(max=500)])


class TargetForm(FlaskForm):
    """Go back to the default for one document and target (all regions or one region)."""

    kind = HiddenField()
    target = HiddenField()
