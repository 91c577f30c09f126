"""Single sign-on routes: /logga-in/oidc/<name> and its callback, and the administrator's pages
for group mappings, locks and links."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..extensions import db
from ..models import ROLE_TARGETS, GroupMapping, OidcIdentity, Role, User
from ..scope import current_scope, get_or_404, require
from . import identities, oidc
from .redirects import safe_next
from .views import start_session, target_choices

log = logging.getLogger(__name__)

bp = Blueprint("oidc", __name__)

REFUSAL_STATUS = {"unreachable": 502, "failed": 400, "cancelled": 400}


def _provider_or_404(name: str) -> oidc.Provider:
    provider = oidc.get_provider(name)
    if provider is None:
        abort(404)
    return provider


@bp.get("/logga-in/oidc/<name>")
def start(name):
    provider = _provider_or_404(name)
    if current_user.is_authenticated:
        return redirect(url_for("web.index"))
    try:
        return oidc.start(provider, request.args.get("next"))
    except oidc.SignInFailed as failure:
        return _refuse(provider, failure.kind, failure.reason)


@bp.get("/logga-in/oidc/<name>/callback")
def callback(name):
    provider = _provider_or_404(name)
    try:
        answer = oidc.finish(provider)
        user = identities.admit(provider, answer)
    except oidc.SignInFailed as failure:
        db.session.rollback()
        return _refuse(provider, failure.kind, failure.reason)
    except identities.Refused as refusal:
        db.session.rollback()
        return _refuse(provider, refusal.kind, refusal.reason, refusal.email)
    db.session.commit()
    next_url = session.get(oidc.SESSION_NEXT)  # start_session begins a fresh session
    start_session(user)
    oidc.remember_login(provider, answer)
    log.info("event=login_oidc provider=%s user_id=%d", provider.name, user.id)
    return redirect(safe_next(next_url))


def _refuse(provider, kind: str, reason: str, email: str | None = None):
    identities.record_refusal(provider, kind, reason, email)
    db.session.commit()
    current_app.logger.warning("OIDC %s: login refused (%s): %s", provider.name, kind, reason)
    page = render_template(
        "accounts/oidc_refused.html",
        provider=provider,
        kind=kind,
        email=email,
        contact=current_app.config["ACCESS_CONTACT"],
    )
    return page, REFUSAL_STATUS.get(kind, 403)


# Administration ------------------------------------------------------------------------------


class GroupMappingForm(FlaskForm):
    provider = SelectField("Inloggningstjänst", choices=[])
    group_name = StringField(
        "Grupp (namn eller id som tjänsten skickar)",
        validators=[DataRequired("Fyll i gruppen."), Length(max=255)],
    )
    role = SelectField("Roll", choices=[(r.value, r.label) for r in Role if r is not Role.ADMIN])
    target = SelectField("Organisation", validators=[Optional()], choices=[])


def _require_admin():
    require(current_scope().admin, hide=False)


@bp.route("/anvandare/gruppkopplingar", methods=["GET", "POST"])
@login_required
def group_mappings():
    _require_admin()
    form = GroupMappingForm()
    form.provider.choices = [(p.name, f"{p.label} ({p.name})") for p in oidc.providers()]
    form.target.choices = [c for c in target_choices() if c[0]]
    if form.validate_on_submit():
        role = Role(form.role.data)
        table, _, raw_id = (form.target.data or "").partition(":")
        if table != ROLE_TARGETS[role].table or not raw_id.isdigit():
            form.target.errors = list(form.target.errors) + [
                f"Välj en organisation som passar rollen {role.label}."
            ]
            return _render_mappings(form), 400
        try:
            identities.add_mapping(
                form.provider.data, form.group_name.data, role, int(raw_id), actor=current_user
            )
        except identities.MappingError as error:
            db.session.rollback()
            form.group_name.errors = list(form.group_name.errors) + [str(error)]
            return _render_mappings(form), 400
        db.session.commit()
        flash("Gruppkopplingen sparades.", "success")
        return redirect(url_for("oidc.group_mappings"))
    status = 400 if form.is_submitted() else 200
    return _render_mappings(form), status


def _render_mappings(form):
    return render_template(
        "accounts/group_mappings.html", form=form, mappings=identities.mappings()
    )


@bp.post("/anvandare/gruppkopplingar/<int:mapping_id>/ta-bort")
@login_required
def remove_group_mapping(mapping_id):
    _require_admin()
    mapping = get_or_404(GroupMapping, mapping_id)
    identities.remove_mapping(mapping, actor=current_user)
    db.session.commit()
    flash("Gruppkopplingen togs bort, och behörigheterna den gav.", "success")
    return redirect(url_for("oidc.group_mappings"))


@bp.post("/anvandare/<int:user_id>/las-behorighet")
@login_required
def toggle_lock(user_id):
    _require_admin()
    user = get_or_404(User, user_id)
    locked = not identities.is_locked(user)
    identities.set_locked(user, locked, actor=current_user)
    db.session.commit()
    flash(
        f"Behörigheten för {user.name} är "
        + ("låst: gruppkopplingar ger inga nya behörigheter." if locked else "upplåst."),
        "success",
    )
    return redirect(url_for("accounts.users"))


@bp.post("/anvandare/koppling/<int:identity_id>/ta-bort")
@login_required
def unlink(identity_id):
    _require_admin()
    identity = get_or_404(OidcIdentity, identity_id)
    name = identity.user.name
    identities.unlink(identity, actor=current_user)
    db.session.commit()
    flash(f"Kopplingen till inloggningstjänsten för {name} togs bort.", "success")
    return redirect(url_for("accounts.users"))
