"""Basis-data pages: the homes' figures for a year, typing them in, and the CSV import."""

from __future__ import annotations

import logging
from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from ..csv_import_views import CsvImportPages
from ..extensions import db
from ..models import CareHome, Municipality
from ..scope import current_scope, get_or_404, require
from . import csv_import, services
from .forms import FiguresForm

bp = Blueprint("basisdata", __name__, url_prefix="/underlag")
log = logging.getLogger(__name__)


def _year(value) -> int:
    year = value if isinstance(value, int) else date.today().year
    if not 2000 <= year <= 2100:
        abort(404)
    return year


@bp.get("/")
@login_required
def index():
    scope = current_scope()
    require(services.can_use(scope), hide=False)
    year = _year(request.args.get("ar", type=int))
    municipality_id = request.args.get("kommun", type=int)
    query = (
        sa.select(CareHome)
        .where(CareHome.active.is_(True), scope.managed_home_clause())
        .join(Municipality, Municipality.id == CareHome.municipality_id)
        .options(joinedload(CareHome.municipality))
        .order_by(Municipality.name, CareHome.name)
    )
    if municipality_id:
        query = query.where(CareHome.municipality_id == municipality_id)
    homes = db.session.scalars(query).all()
    figures = services.figures_for_homes([h.id for h in homes], [year])
    municipalities = db.session.execute(
        sa.select(Municipality.id, Municipality.name)
        .where(
            Municipality.id.in_(
                sa.select(CareHome.municipality_id).where(scope.managed_home_clause())
            )
        )
        .order_by(Municipality.name)
    ).all()
    return render_template(
        "basisdata/index.html",
        year=year,
        homes=homes,
        figures=figures,
        measures=services.MEASURES,
        short=services.SHORT_LABELS,
        fmt=services.format_value,
        can_edit=lambda h: services.can_edit_home(scope, h),
        municipalities=municipalities,
        municipality_id=municipality_id,
    )


@bp.route("/boenden/<int:home_id>/<int:year>", methods=["GET", "POST"])
@login_required
def edit(home_id, year):
    scope = current_scope()
    home = get_or_404(CareHome, home_id)
    require(scope.can_view_home(home))
    require(services.can_use(scope) and services.can_edit_home(scope, home), hide=False)
    year = _year(year)
    form = FiguresForm()
    figures = services.figures_for_homes([home.id], [year, year - 1])
    this, last = figures.get((home.id, year), {}), figures.get((home.id, year - 1), {})
    if request.method == "GET":
        for measure in services.MEASURES:
            value = this.get(measure)
            getattr(form, measure.value).data = (
                "" if value is None else services.format_value(measure, value).removesuffix(" %")
            )
    status = 200
    if form.validate_on_submit():
        texts = {m.value: getattr(form, m.value).data for m in services.MEASURES}
        try:
            changed = services.save_form(home, year, texts, actor=current_user)
        except services.BasisError as error:
            db.session.rollback()
            for code, message in error.errors.items():
                if hasattr(form, code):
                    getattr(form, code).errors = [message]
            status = 400
        else:
            db.session.commit()
            flash(
                f"Underlaget för {home.name} {year} är sparat ({changed} ändrade värden)."
                if changed
                else f"Inget ändrades i underlaget för {home.name} {year}.",
                "success",
            )
            return redirect(url_for("basisdata.index", ar=year, kommun=home.municipality_id))
    elif form.is_submitted():
        status = 400
    return render_template(
        "basisdata/edit.html",
        form=form,
        home=home,
        year=year,
        last=last,
        measures=services.MEASURES,
        fmt=services.format_value,
    ), status


# --- CSV import -------------------------------------------------------------------------------


PAGES = CsvImportPages(
    importer=csv_import,
    upload_template="basisdata/import.html",
    preview_template="basisdata/import_preview.html",
    upload_endpoint="basisdata.import_csv",
    done_endpoint="basisdata.index",
    done_message=lambda count: f"{count} rader underlag importerades.",
    upload_context=lambda: {"measures": services.MEASURES},
)


def _importer_scope():
    scope = current_scope()
    require(
        services.can_use(scope) and bool(scope.admin or scope.region_ids or scope.municipality_ids),
        hide=False,
    )
    return scope


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_csv():
    return PAGES.upload(_importer_scope())


@bp.post("/import/bekrafta")
@login_required
def import_confirm():
    return PAGES.confirm(_importer_scope())
