from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from ..models import Role


class LoginForm(FlaskForm):
    login = StringField(
        "Användarnamn eller e-post",
        validators=[DataRequired("Fyll i användarnamn eller e-post."), Length(max=254)],
    )
    password = PasswordField(
        "Lösenord", validators=[DataRequired("Fyll i lösenord."), Length(max=200)]
    )
    remember = BooleanField("Kom ihåg mig på den här enheten")


class PasswordForm(FlaskForm):
    current = PasswordField(
        "Nuvarande lösenord",
        validators=[DataRequired("Fyll i ditt nuvarande lösenord."), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    new = PasswordField(
        "Nytt lösenord (minst 12 tecken)",
        validators=[
            DataRequired("Fyll i ett nytt lösenord."),
            Length(min=12, max=200, message="Lösenordet måste ha minst 12 och högst 200 tecken."),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Upprepa det nya lösenordet",
        validators=[
            DataRequired("Upprepa det nya lösenordet."),
            EqualTo("new", message="Lösenorden är inte lika. Skriv samma lösenord två gånger."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class UserForm(FlaskForm):
    username = StringField(
        "Användarnamn", validators=[DataRequired("Fyll i användarnamn."), Length(min=3, max=80)]
    )
    name = StringField("Namn", validators=[DataRequired("Fyll i namn."), Length(max=160)])
    email = EmailField(
        "E-post", validators=[DataRequired("Fyll i e-post."), Email("Ange en giltig e-postadress.")]
    )
    password = PasswordField(
        "Lösenord (minst 12 tecken)",
        validators=[
            DataRequired("Fyll i lösenord."),
            Length(min=12, max=200, message="Lösenordet måste ha minst 12 tecken."),
        ],
    )
    role = SelectField("Roll", choices=[(r.value, r.label) for r in Role])
    target = SelectField("Organisation", validators=[Optional()], choices=[])


class EditUserForm(FlaskForm):
    name = StringField("Namn", validators=[DataRequired("Fyll i namn."), Length(max=160)])
    email = EmailField(
        "E-post", validators=[DataRequired("Fyll i e-post."), Email("Ange en giltig e-postadress.")]
    )
    role = SelectField("Roll", choices=[(r.value, r.label) for r in Role])
    target = SelectField("Organisation", validators=[Optional()], choices=[])
    active = BooleanField("Kontot är aktivt")


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        "Nytt lösenord (minst 10 tecken)",
        validators=[
            DataRequired("Fyll i ett nytt lösenord."),
            Length(min=10, max=200, message="Lösenordet måste ha minst 10 tecken."),
        ],
    )
