import logging

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from wtforms.validators import Optional

from ..bounds import parse_id
from ..extensions import db
from ..models import ROLE_TARGETS, CareHome, HealthCentre, Municipality, Region, Role, User
from ..scope import current_scope, get_or_404, require
from ..timeutil import format_datetime
from . import attempts, identities, oidc, services
from .forms import LoginForm, PasswordForm, UserForm
from .redirects import safe_next

log = logging.getLogger(__name__)

bp = Blueprint("accounts", __name__)


@bp.route("/logga-in", methods=["GET", "POST"])
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
        outcome = services.attempt_login(
            form.login.data, form.password.data, address=request.remote_addr
        )
        db.session.commit()  # the login time, or the failure counts
        if outcome.user is not None:
            start_session(outcome.user, remember=form.remember.data)
            log.info("event=login user_id=%d", outcome.user.id)
            return redirect(safe_next(request.args.get("next")))
        log.info("event=login_failed remote=%s", request.remote_addr)
        if outcome.locked_until is not None:
            flash(
                "För många misslyckade inloggningar. Av säkerhetsskäl går det inte att logga in "
                f"just nu. Försök igen {format_datetime(outcome.locked_until)}.",
                "error",
            )
            return render_template("accounts/login.html", form=form), 429
        flash("Fel användarnamn eller lösenord.", "error")
        return render_template("accounts/login.html", form=form), 401
    return render_template("accounts/login.html", form=form)


def start_session(user, remember: bool = False) -> None:
    """Log the user in on a fresh session: nothing from before the login (a planted or stolen
    pre-login cookie) carries over, and the new cookie names the current session generation."""
    session.clear()
    user.login_stamp = None  # a new login time for this session
    login_user(user, remember=remember)


@bp.post("/logga-ut")
@login_required
def logout():
    # Where the user came through a provider offering RP-initiated logout, end that session too.
    end_session = oidc.end_session_url(oidc.redirect_uri_for("accounts.login"))
    # Logging out ends every session and remember-me cookie of this user, not only this one:
    # a copy of a cookie taken before stops working too.
    services.end_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash("Du är utloggad.", "info")
    return redirect(end_session or url_for("accounts.login"))


@bp.route("/konto/losenord", methods=["GET", "POST"])
@login_required
def change_password():
    user = current_user._get_current_object()
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(user, form.current.data, form.new.data)
        except services.AccountError as error:
            db.session.rollback()
            if "nuvarande" in str(error):  # a wrong password counts like a failed login
                attempts.record_failed_login(user.username, request.remote_addr)
                db.session.commit()
            form.current.errors = [*form.current.errors, str(error)]
            return render_template("accounts/password.html", form=form), 400
        db.session.commit()
        start_session(user)  # this session continues on the new generation; others ended
        flash("Lösenordet är bytt. Du har loggats ut på alla andra enheter.", "success")
        return redirect(url_for("accounts.account"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/password.html", form=form), status


@bp.get("/konto")
@login_required
def account():
    return render_template("accounts/account.html", user=current_user)


def target_choices():
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
    form.target.choices = target_choices()
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
            target_id = parse_id(raw_id)
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


@bp.post("/anvandare/<int:user_id>/logga-ut")
@login_required
def logout_everywhere(user_id):
    """An administrator ends every session and remember-me cookie of a user (a lost device)."""
    require(current_scope().admin, hide=False)
    user = get_or_404(User, user_id)
    services.end_sessions(user, actor=current_user, action="loggade ut användaren överallt")
    db.session.commit()
    flash(f"{user.name} är utloggad på alla enheter.", "success")
    return redirect(url_for("accounts.users"))
