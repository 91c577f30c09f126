"""Assignments pages: the list, recording and changing (the region), and reporting back."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from ..bounds import year_in_range
from ..extensions import db
from ..models import Assignment, AssignmentStatus, Region
from ..scope import current_scope, get_or_404, require
from . import services
from .forms import AssignmentForm, ReportForm

bp = Blueprint("assignments", __name__, url_prefix="/uppdrag")


@bp.get("/")
@login_required
def index():
    scope = current_scope()
    require(services.can_use(scope), hide=False)
    show = request.args.get("visa", "oppna")
    query = (
        sa.select(Assignment)
        .where(services.visible_clause(scope))
        .options(
            joinedload(Assignment.region),
            joinedload(Assignment.owner_municipality),
            joinedload(Assignment.owner_health_centre),
            selectinload(Assignment.reports),
        )
        .order_by(Assignment.due_date, Assignment.id)
    )
    if show != "alla":
        query = query.where(Assignment.status.in_([s for s in AssignmentStatus if s.is_open]))
    assignments = db.session.scalars(query.limit(500)).all()
    return render_template(
        "assignments/index.html",
        assignments=assignments,
        show=show,
        today=services.today_local(),
        owner_label=services.owner_label,
        source_label=services.source_label,
        can_record=services.can_record_any(scope),
    )


def _region_for_new(scope) -> Region:
    regions = services.recordable_regions(scope)
    require(bool(regions), hide=False)
    wanted = request.args.get("region", type=int) or request.form.get("region", type=int)
    return next((r for r in regions if r.id == wanted), regions[0])


def _fill_choices(form: AssignmentForm, region: Region, assignment: Assignment | None, year: int):
    form.owner.choices = services.owner_choices(region)
    years = list(range(services.today_local().year + 1, 2019, -1))
    form.source_year.choices = [(y, str(y)) for y in years]
    areas = services.area_choices(region)
    if assignment is not None:
        areas += [a for a in assignment.areas if a not in areas]
    form.areas.choices = [(a.id, a.name) for a in areas]
    findings = services.finding_choices(region, year, assignment.findings if assignment else [])
    form.findings.choices = [(f.id, services.finding_label(f)) for f in findings]


def _data(form: AssignmentForm) -> services.AssignmentData:
    return services.AssignmentData(
        title=form.title.data or "",
        description=form.description.data or "",
        assignee=form.assignee.data or "",
        owner=form.owner.data or "",
        source_year=form.source_year.data,
        source_half=form.source_half.data,
        due_date=form.due_date.data,
        area_ids=list(form.areas.data or []),
        finding_ids=list(form.findings.data or []),
    )


@bp.route("/nytt", methods=["GET", "POST"], defaults={"assignment_id": None})
@bp.route("/<int:assignment_id>/andra", methods=["GET", "POST"])
@login_required
def edit(assignment_id):
    scope = current_scope()
    assignment = None
    if assignment_id is not None:
        assignment = get_or_404(Assignment, assignment_id)
        require(services.can_view(scope, assignment))
        require(services.can_record_in(scope, assignment.region_id), hide=False)
        region = assignment.region
    else:
        region = _region_for_new(scope)
    form = AssignmentForm(obj=assignment)
    if request.method == "GET":
        if assignment is not None:
            form.owner.data = services.owner_value(assignment)
            form.areas.data = [a.id for a in assignment.areas]
            form.findings.data = [f.id for f in assignment.findings]
            form.source_half.data = assignment.source_half
        else:
            # From the compilation report: the dashboard links here with its year and half.
            form.source_year.data = request.args.get("ar", type=int) or services.today_local().year
            form.source_half.data = request.args.get("halvar", type=int)
    year = (
        form.source_year.data
        if isinstance(form.source_year.data, int) and year_in_range(form.source_year.data)
        else services.today_local().year
    )
    _fill_choices(form, region, assignment, year)
    title = "Nytt uppdrag från ledningsgruppen" if assignment is None else "Ändra uppdrag"
    regions = services.recordable_regions(scope) if assignment is None else []
    if form.validate_on_submit():
        try:
            assignment = services.save_assignment(
                assignment, region, _data(form), actor=current_user
            )
        except services.AssignmentError as error:
            db.session.rollback()
            for name, message in error.errors.items():
                getattr(form, name).errors = [message]
            return render_template(
                "assignments/edit.html", form=form, title=title, region=region, regions=regions
            ), 400
        db.session.commit()
        flash(f"Uppdraget ”{assignment.title}” är sparat.", "success")
        return redirect(url_for("assignments.show", assignment_id=assignment.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "assignments/edit.html", form=form, title=title, region=region, regions=regions
    ), status


def _show_page(assignment, form, status=200):
    scope = current_scope()
    return render_template(
        "assignments/show.html",
        assignment=assignment,
        form=form,
        today=services.today_local(),
        owner_label=services.owner_label,
        source_label=services.source_label,
        finding_label=services.finding_label,
        can_edit=services.can_record_in(scope, assignment.region_id),
        can_report=services.can_report(scope, assignment),
    ), status


@bp.get("/<int:assignment_id>")
@login_required
def show(assignment_id):
    assignment = get_or_404(Assignment, assignment_id)
    require(services.can_view(current_scope(), assignment))
    form = ReportForm()
    form.status.data = assignment.status.value
    return _show_page(assignment, form)


@bp.post("/<int:assignment_id>/rapportera")
@login_required
def report(assignment_id):
    scope = current_scope()
    assignment = get_or_404(Assignment, assignment_id)
    require(services.can_view(scope, assignment))
    require(services.can_report(scope, assignment), hide=False)
    form = ReportForm()
    if not form.validate_on_submit():
        return _show_page(assignment, form, 400)
    try:
        status = AssignmentStatus(form.status.data)
    except ValueError:
        status = None
    try:
        services.report_back(assignment, status, form.text.data or "", actor=current_user)
    except services.AssignmentError as error:
        db.session.rollback()
        for name, message in error.errors.items():
            getattr(form, name).errors = [message]
        return _show_page(assignment, form, 400)
    db.session.commit()
    flash("Återrapporten är sparad.", "success")
    return redirect(url_for("assignments.show", assignment_id=assignment.id))
