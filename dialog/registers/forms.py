from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from ..models import ContactRole, Operator


class HomeForm(FlaskForm):
    name = StringField("Namn", validators=[DataRequired("Ange boendets namn."), Length(max=160)])
    address = StringField("Adress", validators=[Optional(), Length(max=240)])
    municipality = SelectField("Kommun", coerce=int, choices=[])
    health_centre = SelectField("Vårdcentral med läkaransvar", coerce=int, choices=[])


class HealthCentreForm(FlaskForm):
    name = StringField(
        "Namn", validators=[DataRequired("Ange vårdcentralens namn."), Length(max=160)]
    )
    address = StringField("Adress", validators=[Optional(), Length(max=240)])
    operator = SelectField("Driftsform", choices=[(o.value, o.label) for o in Operator])
    region = SelectField("Region", coerce=int, choices=[])


class ContactForm(FlaskForm):
    name = StringField("Namn", validators=[DataRequired("Ange namn."), Length(max=160)])
    email = EmailField(
        "E-post",
        validators=[
            DataRequired("Ange e-postadress."),
            Email("Ange en giltig e-postadress."),
            Length(max=254),
        ],
    )
    phone = StringField("Telefon (arbete)", validators=[Optional(), Length(max=40)])
    role = SelectField("Roll", choices=[(r.value, r.label) for r in ContactRole])
    owner = SelectField("Organisation", choices=[])


class MunicipalityForm(FlaskForm):
    name = StringField("Namn", validators=[DataRequired("Ange kommunens namn."), Length(max=120)])
    region = SelectField("Region", coerce=int, choices=[])


class RegionForm(FlaskForm):
    name = StringField("Namn", validators=[DataRequired("Ange regionens namn."), Length(max=120)])


class ImportUploadForm(FlaskForm):
    kind = SelectField(
        "Filen innehåller",
        choices=[
            ("boenden", "Boenden"),
            ("vardcentraler", "Vårdcentraler"),
            ("kontakter", "Kontakter"),
        ],
    )
    file = FileField("CSV-fil", validators=[FileRequired("Välj en CSV-fil.")])


class ImportConfirmForm(FlaskForm):
    kind = HiddenField()
    payload = HiddenField()
