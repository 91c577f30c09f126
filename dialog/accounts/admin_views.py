"""An administrator edits an existing account: role and scope, a new password, reactivation."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..models import ROLE_TARGETS, Role, User
from ..scope import current_scope, get_or_404, require
from . import admin
from .forms import EditUserForm, ResetPasswordForm
from .services import AccountError
from .views import bp, target_choices


def _user(user_id: int) -> User:
    require(current_scope().admin, hide=False)
    return get_or_404(User, user_id)


def _render(user, form, password_form, status=200):
    return render_template(
        "accounts/edit_user.html", user=user, form=form, password_form=password_form
    ), status


def _parse_target(form, role: Role) -> int | None:
    if role is Role.ADMIN:
        return None
    table, _, raw_id = (form.target.data or "").partition(":")
    if table != ROLE_TARGETS[role].table or not raw_id.isdigit():
        form.target.errors = list(form.target.errors) + [
            f"Välj en organisation som passar rollen {role.label}."
        ]
        return None
    return int(raw_id)


@bp.route("/anvandare/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit_user(user_id):
    user = _user(user_id)
    form = EditUserForm()
    form.target.choices = target_choices()
    password_form = ResetPasswordForm(formdata=None)
    if request.method == "GET":
        form.name.data, form.email.data, form.active.data = user.name, user.email, user.active
        first = user.scopes[0] if user.scopes else None
        if first is not None:
            form.role.data = first.role.value
            if first.target_id is not None:
                form.target.data = f"{ROLE_TARGETS[first.role].table}:{first.target_id}"
        return _render(user, form, password_form)
    if not form.validate_on_submit():
        return _render(user, form, password_form, 400)
    role = Role(form.role.data)
    target_id = _parse_target(form, role)
    if role is not Role.ADMIN and target_id is None:
        return _render(user, form, password_form, 400)
    try:
        changed = admin.update_user(
            user,
            name=form.name.data,
            email=form.email.data,
            role=role,
            target_id=target_id,
            active=bool(form.active.data),
            actor=current_user,
        )
    except AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _render(user, form, password_form, 400)
    db.session.commit()
    flash(f"Kontot {user.username} är ändrat." if changed else "Inget var ändrat.", "success")
    return redirect(url_for("accounts.edit_user", user_id=user.id))


@bp.post("/anvandare/<int:user_id>/losenord")
@login_required
def reset_password(user_id):
    user = _user(user_id)
    password_form = ResetPasswordForm()
    form = EditUserForm(formdata=None, obj=user)
    form.target.choices = target_choices()
    if not password_form.validate_on_submit():
        return _render(user, form, password_form, 400)
    try:
        admin.reset_password(user, password_form.password.data, actor=current_user)
    except AccountError as error:
        db.session.rollback()
        password_form.password.errors = [str(error)]
        return _render(user, form, password_form, 400)
    db.session.commit()
    flash(
        f"Nytt lösenord är satt för {user.username}. Berätta det för användaren på ett säkert sätt.",
        "success",
    )
    return redirect(url_for("accounts.edit_user", user_id=user.id))
