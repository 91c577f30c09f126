"""The shared-material page: the region's documents with sample values and the method text."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..documents import sample_document, sample_kinds
from ..downloads import attachment
from ..extensions import db, limiter, login_manager
from ..models import Region
from ..scope import current_scope, get_or_404, require
from . import services
from .forms import SettingsForm

bp = Blueprint("material", __name__, url_prefix="/material")
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.get("/")
@login_required
def index():
    regions = services.regions_of(current_scope())
    require(bool(regions))
    return redirect(url_for("material.region", region_id=regions[0].id))


def _open_region(region_id: int) -> Region:
    """The region's material: its own users always, anyone else only when it is public."""
    region = get_or_404(Region, region_id)
    if services.is_public(region):
        return region
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    require(region in services.regions_of(current_scope()))
    return region


def _page(region, form, status=200):
    scope = current_scope()
    return render_template(
        "material/index.html",
        region=region,
        regions=services.regions_of(scope) if current_user.is_authenticated else [],
        kinds=sample_kinds(),
        method_text=services.method_text(region),
        public=services.is_public(region),
        form=form,
    ), status


@bp.get("/<int:region_id>")
@limiter.limit("60 per minute")  # may be public: slow down scraping
def region(region_id):
    region = _open_region(region_id)
    form = None
    if current_user.is_authenticated and services.can_manage(current_scope(), region):
        settings = services.settings_of(region)
        form = SettingsForm(
            public=bool(settings and settings.public), method_text=services.method_text(region)
        )
    return _page(region, form)


@bp.get("/<int:region_id>/<kind>.docx")
@limiter.limit("30 per minute")
def download(region_id, kind):
    region = _open_region(region_id)
    kinds = {k.key: k for k in sample_kinds()}
    if kind not in kinds:
        abort(404)
    data = sample_document(kind, region.id)
    return attachment(data, f"{kinds[kind].label} exempel {region.name}.docx", DOCX_MIMETYPE)


@bp.post("/<int:region_id>/installningar")
@login_required
def save_settings(region_id):
    scope = current_scope()
    region = get_or_404(Region, region_id)
    require(region in services.regions_of(scope))
    require(services.can_manage(scope, region), hide=False)
    form = SettingsForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.save_settings(
            region, public=form.public.data, text=form.method_text.data or "", actor=current_user
        )
    except services.MaterialError as error:
        db.session.rollback()
        form.method_text.errors = [str(error)]
        return _page(region, form, 400)
    db.session.commit()
    flash("Inställningarna för materialet är sparade.", "success")
    return redirect(url_for("material.region", region_id=region.id))
