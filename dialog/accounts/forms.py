from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

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


class UserForm(FlaskForm):
    username = StringField(
        "Användarnamn", validators=[DataRequired("Fyll i användarnamn."), Length(min=3, max=80)]
    )
    name = StringField("Namn", validators=[DataRequired("Fyll i namn."), Length(max=160)])
    email = EmailField(
        "E-post", validators=[DataRequired("Fyll i e-post."), Email("Ange en giltig e-postadress.")]
    )
    password = PasswordField(
        "Lösenord (minst 10 tecken)",
        validators=[
            DataRequired("Fyll i lösenord."),
            Length(min=10, max=200, message="Lösenordet måste ha minst 10 tecken."),
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
