from flask import Blueprint, render_template, request
from flask_login import login_required

from ..scope import current_scope
from ..timeutil import today_local
from . import services

bp = Blueprint("planning", __name__)


@bp.get("/arsoversikt")
@login_required
def year_view():
    scope = current_scope()
    today = today_local()
    requested = request.args.get("ar", type=int)
    # In December the year that needs booking is next year: open on it.
    year = requested or services.default_year(today)
    year = min(max(year, 2000), 2100)
    sort = request.args.get("sortera", "kommun")
    descending = request.args.get("ordning") == "fallande"
    municipality_id = request.args.get("kommun", type=int)
    health_centre_id = request.args.get("vardcentral", type=int)
    state = request.args.get("status") or None
    overview = services.year_overview(
        scope,
        year,
        municipality_id=municipality_id,
        health_centre_id=health_centre_id,
        state=state,
        sort=sort,
        descending=descending,
        page=request.args.get("sida", 1, type=int) or 1,
    )
    municipalities, centres = services.filter_choices(scope)
    return render_template(
        "planning/year.html",
        overview=overview,
        year=year,
        sort=sort,
        descending=descending,
        municipalities=municipalities,
        centres=centres,
        municipality_id=municipality_id,
        health_centre_id=health_centre_id,
        state=state,
        state_labels=services.STATE_LABELS,
        state_order=services.STATE_ORDER,
        season=services.booking_season(scope, today, year, requested is None),
    )
