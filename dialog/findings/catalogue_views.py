"""Pages for editing a region's area catalogue (administrators and regional users)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..bounds import parse_id
from ..extensions import db
from ..models import Area, Region
from ..scope import current_scope, get_or_404, require
from . import catalogue
from .forms import VersionForm
from .lifecycle import FindingsError, ValidationFailed
from .views import bp


@bp.get("/omraden")
@login_required
def areas_start():
    regions = catalogue.editable_regions(current_scope())
    require(bool(regions), hide=False)
    return redirect(url_for("findings.areas", region_id=regions[0].id))


@bp.route("/regioner/<int:region_id>/omraden", methods=["GET", "POST"])
@login_required
def areas(region_id):
    region = get_or_404(Region, region_id)
    scope = current_scope()
    require(scope.can_view_region(region))
    require(catalogue.can_edit_catalogue(scope, region), hide=False)
    form = VersionForm()
    errors, typed = {}, {}
    if request.method == "POST":
        if not form.validate_on_submit():
            flash("Formuläret har gått ut. Ladda om sidan.", "error")
            return redirect(url_for("findings.areas", region_id=region.id))
        op = request.form.get("op", "")
        area = None
        if request.form.get("area", "").isdigit():
            area_id = parse_id(request.form["area"])
            area = db.session.get(Area, area_id) if area_id else None
            if area is None or area.region_id != region.id:
                require(False)
        try:
            if op == "start":
                n = catalogue.start_own_catalogue(region, actor=current_user)
                flash(f"Regionens egen katalog är skapad med {n} områden.", "success")
            elif op == "add":
                typed["new"] = request.form.get("name", "")
                catalogue.add_area(region, typed["new"], actor=current_user)
                flash("Området är tillagt.", "success")
            elif op == "rename" and area is not None:
                typed[area.id] = request.form.get("name", "")
                catalogue.rename_area(area, typed[area.id], actor=current_user)
                flash("Namnet är ändrat.", "success")
            elif op in ("hide", "show") and area is not None:
                catalogue.set_active(area, op == "show", actor=current_user)
                flash("Området är dolt." if op == "hide" else "Området visas igen.", "success")
            elif op in ("up", "down") and area is not None:
                catalogue.move_area(area, -1 if op == "up" else 1, actor=current_user)
            else:
                require(False, hide=False)
        except FindingsError as error:
            db.session.rollback()
            key = area.id if area is not None else "new"
            errors[key] = (
                error.errors.get("name") if isinstance(error, ValidationFailed) else str(error)
            )
            return render_template("findings/areas.html", **_context(region, errors, typed)), 400
        db.session.commit()
        return redirect(url_for("findings.areas", region_id=region.id))
    return render_template("findings/areas.html", **_context(region, errors, typed))


def _context(region, errors, typed):
    return dict(
        region=region,
        own=catalogue.region_catalogue(region),
        defaults=catalogue.default_catalogue(),
        regions=catalogue.editable_regions(current_scope()),
        errors=errors,
        typed=typed,
    )
