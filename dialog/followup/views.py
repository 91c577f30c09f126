"""Follow-up pages: dashboard, the lists behind its numbers, lessons, charts, exports, report."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from ..actionplan import actions_by_plan_area
from ..agreements import homes_without_agreement, reference_day
from ..assignments import overdue_assignments
from ..basisdata import basis_summary
from ..downloads import attachment
from ..extensions import db
from ..findings import count_open_escalations, open_escalations
from ..models import CareHome, FindingKind, HealthCentre, Municipality
from ..sandbox import RenderFailed
from ..scope import current_scope, require
from . import charts, exports, figures, lessons, lists, tokens
from .filters import (
    HALF_LABELS,
    BadFilter,
    NotVisible,
    selection_from_args,
    visible_health_centres,
    visible_municipalities,
)

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

bp = Blueprint("followup", __name__, url_prefix="/uppfoljning")

LIST_KINDS = {
    "boenden": "Aktiva boenden",
    "dialoger": "Dialoger",
    "fynd": "Fynd",
    "atgarder": "Åtgärder",
    "boenden-utan-dialog": "Boenden utan bokad dialog",
}


def can_follow_up(scope) -> bool:
    return bool(
        scope.admin
        or scope.region_ids
        or scope.municipality_ids
        or scope.care_home_ids
        or scope.health_centre_ids
    )


def _selection():
    scope = current_scope()
    require(can_follow_up(scope), hide=False)
    try:
        sel = selection_from_args(scope, request.args)
    except BadFilter as exc:
        abort(400, str(exc))
    except NotVisible:
        abort(404)
    return sel


def _filter_choices(scope):
    """(id, name) rows of the municipalities and health centres to filter on (no objects)."""
    municipalities = db.session.execute(
        visible_municipalities(scope)
        .with_only_columns(Municipality.id, Municipality.name)
        .order_by(Municipality.name)
    ).all()
    centres = db.session.execute(
        visible_health_centres(scope)
        .with_only_columns(HealthCentre.id, HealthCentre.name)
        .order_by(HealthCentre.name)
    ).all()
    return municipalities, centres


def _context(sel, **extra):
    municipalities, centres = _filter_choices(sel.scope)

    def year_args(year):
        return {**{k: v for k, v in sel.query_args().items() if k != "halvar"}, "ar": year}

    return dict(
        sel=sel,
        args=sel.query_args(),
        year_args=year_args,
        cache_seconds=current_app.config.get("FOLLOWUP_CACHE_SECONDS", 0),
        municipalities=municipalities,
        centres=centres,
        half_labels=HALF_LABELS,
        kinds=figures.KINDS,
        chart_titles=charts.CHARTS,
        **extra,
    )


@bp.context_processor
def pagination_helpers():
    def page_url(number: int) -> str:
        args = {k: v for k, v in request.args.items() if k != "sida" and v != ""}
        return url_for(request.endpoint, **(request.view_args or {}), **args, sida=number)

    return {"page_url": page_url}


def _cached(key: tuple, compute):
    """Per-process cache of computed figures for a short while (FOLLOWUP_CACHE_SECONDS).

    Fifty people opening the same dashboard in a meeting get one computation; a change shows
    within the period. Keyed by the whole scope and selection and today's date; 0 disables.
    """
    seconds = current_app.config.get("FOLLOWUP_CACHE_SECONDS", 0)
    if not seconds:
        return compute()
    cache = current_app.extensions.setdefault("followup_cache", {})
    now = time.monotonic()
    hit = cache.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = compute()
    if len(cache) > 500:
        cache.clear()
    cache[key] = (now + seconds, value)
    return value


def _sel_key(sel) -> tuple:
    return (
        sel.scope,
        sel.year,
        sel.half,
        sel.municipality_id,
        sel.health_centre_id,
        figures.today_local(),
    )


def _dashboard_data(sel):
    board = figures.dashboard(sel)
    without = [
        {"id": home_id, "name": name, "municipality": municipality}
        for home_id, name, municipality in db.session.execute(
            figures.homes_without_dialogue_query(sel)
            .join(Municipality, Municipality.id == CareHome.municipality_id)
            .with_only_columns(CareHome.id, CareHome.name, Municipality.name)
            .limit(50)
        )
    ]
    overdue = (
        [
            {
                "due_date": a.due_date,
                "dialogue_id": a.dialogue_id,
                "description": a.description,
                "party": a.responsible_party.label,
                "status": a.status.label,
                "home": home,
            }
            for a, home in figures.overdue_actions(sel, board.actions["today"])
        ]
        if board.actions["totals"]["overdue"]
        else []
    )
    return board, without, overdue, _steering_figures(sel, board.actions["today"])


def _steering_figures(sel, today):
    """The steering loop's figures (issue 16): each a fixed number of grouped queries, however
    many homes or municipalities the selection holds."""
    scope = sel.scope
    return {
        "agreement_gaps": homes_without_agreement(sel.home_conditions(), reference_day(sel.year)),
        "basis": basis_summary(sel.home_conditions(), sel.year),
        "plan_spread": actions_by_plan_area(sel.dialogues()),
        # Overdue leadership assignments: on the regional dashboard (and the administrators').
        "assignments": overdue_assignments(scope, today)
        if scope.admin or scope.region_ids
        else None,
    }


@bp.get("/")
@login_required
def dashboard():
    sel = _selection()
    board, without, overdue, steering = _cached(
        ("dashboard",) + _sel_key(sel), lambda: _dashboard_data(sel)
    )
    # Escalations are a to-do list, never cached: an acknowledgement shows at once.
    scope = sel.scope
    follows_up = bool(scope.admin or scope.municipality_ids or scope.region_ids)
    escalation_count = count_open_escalations(scope) if follows_up else None
    return render_template(
        "followup/dashboard.html",
        **_context(
            sel,
            board=board,
            without=without,
            overdue=overdue,
            steering=steering,
            escalation_count=escalation_count,
            escalations=open_escalations(sel.scope, limit=10) if escalation_count else [],
        ),
    )


@bp.get("/diagram/<name>.svg")
@login_required
def chart(name):
    if name not in charts.CHARTS:
        abort(404)
    sel = _selection()
    svg = _cached(
        ("chart", name) + _sel_key(sel),
        lambda: charts.render(
            name, figures.partial_dashboard(sel, figures.CHART_SECTIONS[name]), "svg"
        ),
    )
    response = Response(svg, mimetype="image/svg+xml")
    # The SVG carries matplotlib's own style attributes; it is shown only as an image.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/lista/<kind>")
@login_required
def items(kind):
    if kind not in LIST_KINDS:
        abort(404)
    sel = _selection()
    page = request.args.get("sida", 1, type=int) or 1
    try:
        if kind == "boenden":
            stmt, described = lists.active_homes_query(sel), []
        elif kind == "boenden-utan-dialog":
            stmt, described = lists.homes_without_query(sel), [f"Ingen levande dialog {sel.year}"]
        elif kind == "dialoger":
            stmt, described = lists.dialogue_query(sel, request.args)
        elif kind == "fynd":
            stmt, described = lists.finding_query(sel, request.args)
        else:
            stmt, described = lists.action_query(sel, request.args)
    except BadFilter as exc:
        abort(400, str(exc))
    result = lists.paginate(stmt, page)
    criteria = {k: v for k, v in request.args.items() if k != "sida"}
    return render_template(
        "followup/list.html",
        **_context(
            sel,
            kind=kind,
            title=LIST_KINDS[kind],
            described=described,
            result=result,
            criteria=criteria,
            today=figures.today_local(),
        ),
    )


@bp.get("/lardomar")
@login_required
def lessons_library():
    scope = current_scope()
    require(can_follow_up(scope), hide=False)
    criteria = {
        "q": request.args.get("q", "").strip()[:200],
        "area": request.args.get("omrade", ""),
        "year": request.args.get("ar", type=int),
        "kind": request.args.get("slag", ""),
        "municipality_id": request.args.get("kommun", type=int),
    }
    try:
        result = lessons.search_lessons(
            scope, page=request.args.get("sida", 1, type=int) or 1, **criteria
        )
    except BadFilter as exc:
        abort(400, str(exc))
    query_args = {k: v for k, v in request.args.items() if k != "sida" and v}
    return render_template(
        "followup/lessons.html",
        result=result,
        criteria=criteria,
        choices=lessons.lesson_filter_choices(scope),
        query_args=query_args,
        kinds=[FindingKind.SUCCESS_FACTOR, FindingKind.RISK, FindingKind.DEFICIENCY],
    )


@bp.get("/export.xlsx")
@login_required
def export_xlsx():
    sel = _selection()
    # Written to a temporary file row by row, then streamed from it (memory stays flat).
    file = exports.xlsx_file(sel)
    return attachment(exports.chunks(file), exports.filename(sel, ".xlsx"), XLSX_MIMETYPE)


@bp.get("/export-<table>.csv")
@login_required
def export_csv(table):
    if table not in exports.TABLE_SLUGS:
        abort(404)
    sel = _selection()
    text = exports.build_csv(sel, table)
    return attachment(
        text.encode("utf-8"), exports.filename(sel, f"-{table}.csv"), "text/csv; charset=utf-8"
    )


@bp.get("/rapport.docx")
@login_required
def report_docx():
    from .report import build_report, filename

    sel = _selection()
    try:
        data = build_report(sel)
    except RenderFailed as failure:
        flash(f"Rapporten kunde inte skapas: {failure.message}. Välj ett mindre urval.", "error")
        return redirect(url_for("followup.dashboard", **request.args))
    return attachment(data, filename(sel), DOCX_MIMETYPE)


# --- personal API tokens (the panel on the account page) --------------------------------------


@bp.post("/api-nycklar")
@login_required
def create_token():
    user = current_user._get_current_object()
    try:
        row, token = tokens.create_token(user, request.form.get("name", ""))
    except tokens.TokenError as exc:
        flash(str(exc), "error")
        return redirect(url_for("accounts.account") + "#api-nycklar")
    db.session.commit()
    return render_template("followup/token_created.html", row=row, token=token)


@bp.post("/api-nycklar/<int:token_id>/aterkalla")
@login_required
def revoke_token(token_id):
    row = tokens.revoke_token(current_user._get_current_object(), token_id)
    require(row is not None)
    db.session.commit()
    flash(f"API-nyckeln ”{row.name}” är återkallad och fungerar inte längre.", "success")
    return redirect(url_for("accounts.account") + "#api-nycklar")
