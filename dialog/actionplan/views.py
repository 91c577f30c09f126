"""The local action plan: the page with the texts per area, saving them, and the Word file."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..downloads import attachment
from ..extensions import db
from ..models import Municipality, Region
from ..scope import current_scope, get_or_404, require
from . import document, services
from .forms import TextsForm

bp = Blueprint("actionplan", __name__, url_prefix="/handlingsplan")


def _year(source) -> int:
    year = source.get("ar", type=int) or services.today_local().year
    if not 2000 <= year <= 2100:
        abort(404)
    return year


def _target(source) -> services.Target:
    """The plan named by kommun=… or region=…, or the user's first; 404 outside the scope."""
    scope = current_scope()
    require(services.can_use(scope), hide=False)
    municipality_id = source.get("kommun", type=int)
    region_id = source.get("region", type=int)
    chosen = source.get("mal", "")  # the picker: k<municipality id> or r<region id>
    if chosen[1:].isdigit():
        municipality_id = int(chosen[1:]) if chosen[0] == "k" else None
        region_id = int(chosen[1:]) if chosen[0] == "r" else None
    if municipality_id:
        municipality = get_or_404(Municipality, municipality_id)
        target = services.Target(municipality.region, municipality)
    elif region_id:
        target = services.Target(get_or_404(Region, region_id), None)
    else:
        targets = services.targets_for(scope)
        require(bool(targets), hide=False)
        target = targets[0]
    require(services.can_edit(scope, target))
    return target


def _page(target, year, form, errors=None, submitted=None, status=200):
    content = services.plan_content(target, year)
    return render_template(
        "actionplan/plan.html",
        target=target,
        year=year,
        content=content,
        form=form,
        errors=errors or {},
        submitted=submitted or {},
        targets=services.targets_for(current_scope()),
    ), status


@bp.get("/")
@login_required
def plan():
    target = _target(request.args)
    year = _year(request.args)
    return _page(target, year, TextsForm(year=year))


@bp.post("/texter")
@login_required
def save_texts():
    target = _target(request.form)
    year = _year(request.form)
    form = TextsForm()
    if not form.validate_on_submit():
        abort(400)
    texts = {}
    for key, value in request.form.items():
        if key.startswith("text-") and key[5:].isdigit():
            texts[int(key[5:])] = value
    try:
        changed = services.save_texts(target, year, texts, actor=current_user)
    except services.PlanError as error:
        db.session.rollback()
        return _page(
            target,
            year,
            form,
            errors=error.errors,
            submitted={str(k): v for k, v in texts.items()},
            status=400,
        )
    db.session.commit()
    flash(
        f"Texterna i handlingsplanen för {target.name} {year} är sparade."
        if changed
        else "Inga texter ändrades.",
        "success",
    )
    return redirect(url_for("actionplan.plan", ar=year, **target.query_args()))


@bp.get("/handlingsplan.docx")
@login_required
def download():
    target = _target(request.args)
    year = _year(request.args)
    content = services.plan_content(target, year)
    return attachment(
        document.build_document(content), document.filename(content), document.DOCX_MIMETYPE
    )
