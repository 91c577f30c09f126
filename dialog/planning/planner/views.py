"""The year planner's pages: parameters -> proposal -> adjust (re-checked) -> book all."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...dialogues import BookingError
from ...extensions import db
from ...models import CareHome
from ...scope import current_scope, require
from . import forms, overview, service
from .algorithm import (
    HARD_RULES,
    PARTS,
    SOFT_RULES,
    WEEKDAYS,
    Issue,
    Plan,
    PlanInputError,
    PlanRequest,
)

bp = Blueprint("planner", __name__, url_prefix="/planering/arsplanerare")


@dataclass
class Row:
    home: object
    day: str
    start: str
    end: str
    include: bool = True
    issues: list[Issue] = field(default_factory=list)
    error: str = ""
    previous: date | None = None

    @property
    def hard(self) -> list[Issue]:
        return [i for i in self.issues if i.hard]

    @property
    def soft(self) -> list[Issue]:
        return [i for i in self.issues if not i.hard]


def _can_plan():
    scope = current_scope()
    require(scope.can_plan, hide=False)
    return scope


def _params(form, data, home_ids) -> service.PlannerParams:
    return service.PlannerParams(
        year=form.year.data,
        period_start=form.period_start.data,
        period_end=form.period_end.data,
        length=form.length.data,
        day_start=form.day_start.data,
        day_end=form.day_end.data,
        usual_start=form.usual_start.data,
        home_ids=home_ids,
        preferences=forms.preferences(data, home_ids or []),
        centre_preferences=forms.centre_preferences(data),
    )


def _render_start(form, scope, year, status=200, message=None):
    filters = overview.Filters.from_args(request.args)
    start = overview.start_overview(scope, year, filters)
    chosen = set(forms.selected_home_ids(request.form)) if request.method == "POST" else None
    return render_template(
        "planning/planner.html",
        form=form,
        year=year,
        overview=start,
        links=overview.Links(url_for("planner.start"), year, filters),
        chosen=chosen,
        message=message,
        weekday_choices=forms.WEEKDAY_CHOICES,
        part_choices=forms.PART_CHOICES,
        weekday_options=forms.options_html(forms.WEEKDAY_CHOICES),
        part_options=forms.options_html(forms.PART_CHOICES),
        data=request.form,
    ), status


def _render_proposal(form, result, rows, status=200, message=None, data=None):
    plan = result.plan
    hard = sum(len(r.hard) for r in rows)
    soft = sum(len(r.soft) for r in rows)
    return render_template(
        "planning/planner_proposal.html",
        form=form,
        year=form.year.data,
        rows=rows,
        problems=plan.problems,
        hard_count=hard,
        soft_count=soft,
        message=message,
        request_=plan.request,
        hard_rules=HARD_RULES,
        soft_rules=SOFT_RULES,
        weekdays=WEEKDAYS,
        parts=PARTS,
        data=data or {},
    ), status


@bp.get("/")
@login_required
def start():
    scope = _can_plan()
    today = date.today()
    # From October on, the year to plan is usually the next one.
    default_year = today.year + 1 if today.month >= 10 else today.year
    year = min(max(request.args.get("ar", type=int) or default_year, 2000), 2100)
    form = forms.PlannerForm(formdata=None)
    form.year.data = year
    first = max(date(year, 1, 1), today + timedelta(days=1))
    form.period_start.data = first if first.year == year else None
    form.period_end.data = date(year, 12, 18)
    return _render_start(form, scope, year)


@bp.post("/forslag")
@login_required
def propose():
    scope = _can_plan()
    form = forms.PlannerForm()
    year = form.year.data if isinstance(form.year.data, int) else date.today().year
    year = min(max(year, 2000), 2100)
    if not form.validate():
        return _render_start(form, scope, year, 400)
    home_ids = forms.selected_home_ids(request.form)
    try:
        result = service.propose_plan(scope, _params(form, request.form, home_ids), date.today())
    except PlanInputError as error:
        return _render_start(form, scope, year, 400, str(error))
    rows = []
    for home_id, slot in sorted(
        result.plan.slots.items(), key=lambda kv: (kv[1].day, kv[1].start, result.homes[kv[0]].name)
    ):
        rows.append(
            Row(
                result.homes[home_id],
                slot.day.isoformat(),
                f"{slot.start:%H:%M}",
                f"{slot.end:%H:%M}",
                True,
                result.plan.issues[home_id],
                previous=result.previous.get(home_id),
            )
        )
    return _render_proposal(form, result, rows, data=_pref_data(result))


def _pref_data(result) -> dict:
    """The effective preferences, carried as hidden fields through adjust and book."""
    data = {}
    for home in result.plan.request.homes:
        if home.preference.weekday is not None:
            data[f"dag-{home.id}"] = str(home.preference.weekday)
        if home.preference.part:
            data[f"del-{home.id}"] = home.preference.part
    return data


def _edited(scope):
    """Parse and re-check the edited proposal: ((form, result, rows, errors, data), None), or
    (None, message) when the parameters themselves are bad."""
    form = forms.PlannerForm()
    if not form.validate():
        messages = [e for f in form for e in f.errors if f.name != "csrf_token"]
        return None, " ".join(messages) or "Ogiltiga planeringsuppgifter."
    slots, left_out, errors = forms.edited_rows(request.form)
    data = {k: v for k, v in request.form.items() if k.startswith(("dag-", "del-"))}
    try:
        result = (
            service.recheck(
                scope, _params(form, request.form, list(slots) or None), slots, date.today()
            )
            if slots
            else None
        )
    except PlanInputError as error:
        return None, str(error)
    rows = []
    error_of = dict(errors)
    for home_id in forms.selected_home_ids(request.form):
        home = result.homes.get(home_id) if result else None
        if home is None:
            home = db.session.get(CareHome, home_id)
            if home is None or not scope.can_manage_home(home):
                return None, (
                    "Ett eller flera valda boenden finns inte bland de boenden du kan "
                    "planera för. Ingenting är bokat."
                )
        rows.append(
            Row(
                home,
                request.form.get(f"datum-{home_id}", ""),
                request.form.get(f"start-{home_id}", ""),
                request.form.get(f"slut-{home_id}", ""),
                home_id not in left_out and home_id not in error_of,
                result.plan.issues.get(home_id, []) if result else [],
                error_of.get(home_id, ""),
                result.previous.get(home_id) if result else None,
            )
        )
    return (form, result, rows, errors, data), None


def _empty_result(form, rows):
    request_ = PlanRequest(
        form.year.data, form.period_start.data, form.period_end.data, date.today(), []
    )
    return service.PlannerResult(Plan(request_, {}, {}), {r.home.id: r.home for r in rows}, {})


@bp.post("/kontrollera")
@login_required
def recheck():
    scope = _can_plan()
    parsed, problem = _edited(scope)
    wants_json = request.accept_mimetypes.best == "application/json"
    if parsed is None:
        if wants_json:
            return jsonify(error=problem), 400
        flash(problem, "error")
        return redirect(url_for("planner.start"))
    form, result, rows, errors, data = parsed
    if wants_json:
        return jsonify(
            rows=[
                {
                    "home_id": r.home.id,
                    "error": r.error,
                    "include": r.include,
                    "issues": [
                        {"rule": i.rule, "label": i.label, "hard": i.hard, "message": i.message}
                        for i in r.issues
                    ],
                }
                for r in rows
            ],
            problems=[
                {"rule": p.rule, "label": p.label, "message": p.message}
                for p in (result.plan.problems if result else [])
            ],
            hard=sum(len(r.hard) for r in rows) + len(errors),
            soft=sum(len(r.soft) for r in rows),
        )
    return _render_proposal(form, result or _empty_result(form, rows), rows, data=data)


@bp.post("/boka")
@login_required
def book():
    scope = _can_plan()
    parsed, problem = _edited(scope)
    if parsed is None:
        flash(problem, "error")
        return redirect(url_for("planner.start"))
    form, result, rows, errors, data = parsed
    if result is None or errors:
        message = (
            "Ingenting är bokat: rätta de felaktiga raderna först."
            if errors
            else "Ingenting är bokat: inga boenden är valda för bokning."
        )
        return _render_proposal(form, result or _empty_result(form, rows), rows, 400, message, data)
    slots = result.plan.slots
    try:
        dialogues, queued = service.book_plan(
            scope,
            _params(form, request.form, list(slots)),
            slots,
            actor=current_user,
            today=date.today(),
        )
    except (BookingError, PlanInputError) as error:
        db.session.rollback()
        return _render_proposal(form, result, rows, 409, str(error), data)
    db.session.commit()
    booked = "1 dialog är bokad" if len(dialogues) == 1 else f"{len(dialogues)} dialoger är bokade"
    invited = "1 kallelse är köad" if queued == 1 else f"{queued} kallelser är köade"
    flash(f"{booked} och {invited} för utskick.", "success")
    return redirect(url_for("planning.year_view", ar=form.year.data))
