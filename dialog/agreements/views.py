"""The agreements register: list, create, edit, deactivate. CSV import in import_views.py."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import CareHome, HealthCentre, LocalAgreement, Municipality
from ..scope import current_scope, get_or_404, require
from . import services
from .forms import AgreementForm

bp = Blueprint("agreements", __name__, url_prefix="/overenskommelser")


@bp.get("/")
@login_required
def index():
    scope = current_scope()
    require(services.can_use_register(scope), hide=False)
    today = services.today_local()
    query = (
        sa.select(LocalAgreement)
        .where(services.visible_clause(scope))
        .join(Municipality, Municipality.id == LocalAgreement.municipality_id)
        .join(HealthCentre, HealthCentre.id == LocalAgreement.health_centre_id)
        .options(joinedload(LocalAgreement.municipality), joinedload(LocalAgreement.health_centre))
        .order_by(Municipality.name, HealthCentre.name, LocalAgreement.valid_from.desc())
    )
    municipality_id = request.args.get("kommun", type=int)
    if municipality_id:
        query = query.where(LocalAgreement.municipality_id == municipality_id)
    show_inactive = bool(request.args.get("inaktiva"))
    if not show_inactive:
        query = query.where(LocalAgreement.active.is_(True))
    agreements = db.session.scalars(query).all()
    municipalities = db.session.execute(
        sa.select(Municipality.id, Municipality.name)
        .where(
            Municipality.id.in_(
                sa.select(LocalAgreement.municipality_id).where(services.visible_clause(scope))
            )
        )
        .order_by(Municipality.name)
    ).all()
    home_conditions = [CareHome.active.is_(True), scope.home_clause()]
    if municipality_id:
        home_conditions.append(CareHome.municipality_id == municipality_id)
    gaps = services.homes_without_agreement(home_conditions, today)
    return render_template(
        "agreements/index.html",
        agreements=agreements,
        today=today,
        state_label=services.state_label,
        is_link=services.is_link,
        can_edit=lambda a: services.can_edit(scope, a),
        can_create=services.can_edit_any(scope),
        municipalities=municipalities,
        municipality_id=municipality_id,
        show_inactive=show_inactive,
        gaps=gaps,
    )


def _choices(form: AgreementForm, agreement: LocalAgreement | None):
    scope = current_scope()
    municipalities = services.editable_municipalities(scope)
    if agreement is not None and agreement.municipality not in municipalities:
        municipalities.append(agreement.municipality)
    form.municipality.choices = [(0, "– välj kommun –")] + [(m.id, m.name) for m in municipalities]
    centres = services.centres_in_regions({m.region_id for m in municipalities})
    if agreement is not None and agreement.health_centre not in centres:
        centres.append(agreement.health_centre)
    form.health_centre.choices = [(0, "– välj vårdcentral –")] + [(c.id, c.name) for c in centres]
    return {m.id: m for m in municipalities}, {c.id: c for c in centres}


@bp.route("/ny", methods=["GET", "POST"], defaults={"agreement_id": None})
@bp.route("/<int:agreement_id>/redigera", methods=["GET", "POST"])
@login_required
def edit(agreement_id):
    scope = current_scope()
    agreement = None
    if agreement_id is not None:
        agreement = get_or_404(LocalAgreement, agreement_id)
        require(services.can_view(scope, agreement))
        require(services.can_edit(scope, agreement), hide=False)
    else:
        require(services.can_edit_any(scope), hide=False)
    form = AgreementForm(obj=agreement)
    municipalities, centres = _choices(form, agreement)
    if request.method == "GET" and agreement is not None:
        form.municipality.data = agreement.municipality_id
        form.health_centre.data = agreement.health_centre_id
    title = "Ny lokal överenskommelse" if agreement is None else "Ändra lokal överenskommelse"
    if form.validate_on_submit():
        municipality = municipalities.get(form.municipality.data)
        # Only a municipality the user may edit (a stale or forged choice is refused).
        require(municipality is None or services.can_edit_for(scope, municipality), hide=False)
        try:
            agreement = services.save_agreement(
                agreement,
                municipality=municipality,
                centre=centres.get(form.health_centre.data),
                valid_from=form.valid_from.data,
                valid_to=form.valid_to.data,
                participation_duty=form.participation_duty.data,
                document_name=form.document_name.data,
                document_ref=form.document_ref.data,
                actor=current_user,
            )
        except services.AgreementError as error:
            db.session.rollback()
            for name, message in error.errors.items():
                getattr(form, name).errors = [message]
            return render_template("agreements/edit.html", form=form, title=title), 400
        db.session.commit()
        flash(
            f"Överenskommelsen mellan {agreement.municipality.name} och "
            f"{agreement.health_centre.name} är sparad.",
            "success",
        )
        return redirect(url_for("agreements.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("agreements/edit.html", form=form, title=title), status


@bp.post("/<int:agreement_id>/aktiv")
@login_required
def toggle_active(agreement_id):
    scope = current_scope()
    agreement = get_or_404(LocalAgreement, agreement_id)
    require(services.can_view(scope, agreement))
    require(services.can_edit(scope, agreement), hide=False)
    services.set_active(agreement, not agreement.active, actor=current_user)
    db.session.commit()
    flash(
        "Överenskommelsen är "
        + ("återaktiverad." if agreement.active else "inaktiverad. Historiken finns kvar."),
        "success",
    )
    return redirect(url_for("agreements.index"))
