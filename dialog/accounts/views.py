import logging

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from wtforms.validators import Optional

from ..extensions import db, limiter
from ..models import ROLE_TARGETS, CareHome, HealthCentre, Municipality, Region, Role, User
from ..scope import current_scope, get_or_404, require
from . import identities, oidc, services
from .forms import LoginForm, UserForm

log = logging.getLogger(__name__)

bp = Blueprint("accounts", __name__)


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _failed_login(response):
    # Only failed attempts count towards the limit; a successful login redirects.
    return response.status_code != 302


@bp.route("/logga-in", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed_login)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("web.index"))
    form = LoginForm()
    if not oidc.password_login_enabled():
        if request.method == "POST":
            flash("Inloggning med lösenord är avstängd. Använd knappen nedan.", "error")
        return render_template("accounts/login.html", form=None), (
            403 if request.method == "POST" else 200
        )
    if form.validate_on_submit():
        user = services.authenticate(form.login.data, form.password.data)
        if user is not None:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            log.info("event=login user_id=%d", user.id)
            return redirect(_safe_next(request.args.get("next")))
        log.info("event=login_failed remote=%s", request.remote_addr)
        flash("Fel användarnamn eller lösenord.", "error")
        return render_template("accounts/login.html", form=form), 401
    return render_template("accounts/login.html", form=form)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("web.index")


@bp.post("/logga-ut")
@login_required
def logout():
    # Where the user came through a provider offering RP-initiated logout, end that session too.
    end_session = oidc.end_session_url(oidc.redirect_uri_for("accounts.login"))
    logout_user()
    flash("Du är utloggad.", "info")
    return redirect(end_session or url_for("accounts.login"))


@bp.get("/konto")
@login_required
def account():
    return render_template("accounts/account.html", user=current_user)


def _target_choices():
    choices = [("", "– ingen (administratör) –")]
    for label, model in (
        ("Region", Region),
        ("Kommun", Municipality),
        ("Boende", CareHome),
        ("Vårdcentral", HealthCentre),
    ):
        for obj in db.session.scalars(select(model).order_by(model.name)):
            choices.append((f"{model.__tablename__}:{obj.id}", f"{label}: {obj.name}"))
    return choices


@bp.route("/anvandare", methods=["GET", "POST"])
@login_required
def users():
    require(current_scope().admin, hide=False)
    form = UserForm()
    form.target.choices = _target_choices()
    if not oidc.password_login_enabled():
        # Accounts log in only through a provider: no password to type, an unusable one kept.
        form.password.validators = [Optional()]
    if form.validate_on_submit():
        role = Role(form.role.data)
        target_id = None
        if role is not Role.ADMIN:
            table, _, raw_id = (form.target.data or "").partition(":")
            if table != ROLE_TARGETS[role].table:
                form.target.errors = list(form.target.errors) + [
                    f"Välj en organisation som passar rollen {role.label}."
                ]
                return _render_users(form), 400
            target_id = int(raw_id)
        try:
            user = services.create_user(
                username=form.username.data,
                email=form.email.data,
                name=form.name.data,
                password=form.password.data or oidc.unusable_password(),
                scopes=[(role, target_id)],
            )
        except services.AccountError as error:
            db.session.rollback()
            flash(str(error), "error")
            return _render_users(form), 400
        db.session.commit()
        flash(f"Användaren {user.username} skapades.", "success")
        return redirect(url_for("accounts.users"))
    status = 400 if form.is_submitted() else 200
    return _render_users(form), status


def _render_users(form):
    all_users = db.session.scalars(select(User).order_by(User.name)).all()
    return render_template(
        "accounts/users.html",
        users=all_users,
        form=form,
        sso=identities.users_page_extras(),
    )


@bp.post("/anvandare/<int:user_id>/aktiv")
@login_required
def toggle_active(user_id):
    require(current_scope().admin, hide=False)
    user = get_or_404(User, user_id)
    if user.id == current_user.id:
        flash("Du kan inte inaktivera ditt eget konto.", "error")
    else:
        services.set_active(user, not user.active, actor=current_user)
        db.session.commit()
        flash("Kontot är " + ("aktiverat." if user.active else "inaktiverat."), "success")
    return redirect(url_for("accounts.users"))
