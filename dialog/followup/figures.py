"""The dashboard's figures: plain aggregate queries over a Selection.

Each function runs one or two GROUP BY queries; nothing loads whole objects except the short
lists (homes without a dialogue, overdue actions). The report, the exports' sums and the API's
summary call the same functions, so every view shows the same numbers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    Action,
    ActionStatus,
    Area,
    CareHome,
    Dialogue,
    DialogueStatus,
    Finding,
    FindingKind,
    Party,
    PlanArea,
)
from ..models.tallies import (
    KIND_COLUMNS,
    MASK_FIRST_YEAR,
    MASK_LAST_YEAR,
    FindingTally,
    RecurringTally,
)
from ..timeutil import STOCKHOLM
from .filters import HELD, LIVE, Selection
from .seats import (  # noqa: F401 (re-exported for lists, rows and the report)
    representation_by_dialogue,
    representation_figures,
    seat_key,
)

KINDS = [FindingKind.DEFICIENCY, FindingKind.RISK, FindingKind.SUCCESS_FACTOR]
PARTIES = [Party.CARE_HOME, Party.HEALTH_CENTRE, Party.JOINT, Party.REGION]
NO_PLAN_AREA = "Ej kopplad till handlingsplanen"


def today_local() -> date:
    return datetime.now(STOCKHOLM).date()


def _from_dialogues(stmt, sel: Selection, *, period: bool = True):
    return stmt.where(*sel.dialogue_conditions(period=period))


# --- coverage ---------------------------------------------------------------------------------


def _first_year() -> int | None:
    """The first year with a dialogue (the trends of a half-year go back to it)."""
    return db.session.scalar(sa.select(sa.func.min(Dialogue.year)))


def dialogue_counts(sel: Selection, *, history: bool = False) -> list[tuple]:
    """[(year, in period 1/0, status, n)] for the period, or with history=True for every year
    up to the selected one (one query serves both the coverage and the trends)."""
    conds = sel.dialogue_conditions(period=not history)
    if history:
        conds += sel.history_conditions(_first_year() if sel.half else None)
    inner = (
        sa.select(Dialogue.year, sel.in_period().label("in_period"), Dialogue.status)
        .where(*conds)
        .subquery()
    )
    columns = (inner.c.year, inner.c.in_period, inner.c.status)
    return db.session.execute(sa.select(*columns, sa.func.count()).group_by(*columns)).all()


def coverage(sel: Selection, dialogue_rows: list | None = None) -> dict:
    live = sa.select(Dialogue.id).where(
        Dialogue.care_home_id == CareHome.id, Dialogue.year == sel.year, Dialogue.status.in_(LIVE)
    )
    active_homes, without = db.session.execute(
        sa.select(
            sa.func.count(CareHome.id),
            sa.func.coalesce(sa.func.sum(sa.case((~live.exists(), 1), else_=0)), 0),
        ).where(*sel.home_conditions())
    ).one()
    if dialogue_rows is None:
        dialogue_rows = dialogue_counts(sel)
    by_status: dict = defaultdict(int)
    for _, in_period, status, n in dialogue_rows:
        if in_period:
            by_status[status] += n
    return coverage_figures(by_status, active_homes, without)


def coverage_figures(by_status: dict, active_homes: int | None, without: int | None) -> dict:
    """The coverage figures from {status: dialogues in the period} and the homes' two counts."""
    return {
        "active_homes": active_homes or 0,
        "booked": sum(by_status.get(s, 0) for s in LIVE),
        "planned": by_status.get(DialogueStatus.PLANNED, 0),
        "held": sum(by_status.get(s, 0) for s in HELD),
        "documented": by_status.get(DialogueStatus.DOCUMENTED, 0),
        "cancelled": by_status.get(DialogueStatus.CANCELLED, 0),
        "homes_without": without or 0,
    }


def homes_without_dialogue_query(sel: Selection):
    """Active homes in the selection with no live dialogue in the selected year."""
    live = sa.select(Dialogue.id).where(
        Dialogue.care_home_id == CareHome.id, Dialogue.year == sel.year, Dialogue.status.in_(LIVE)
    )
    return (
        sa.select(CareHome)
        .where(*sel.home_conditions(), ~live.exists())
        .order_by(CareHome.name, CareHome.id)
    )


# --- findings ---------------------------------------------------------------------------------


def _area_names() -> dict[int, str]:
    """Area and plan-area names, read once per request (two small catalogues)."""
    from flask import g, has_request_context

    if has_request_context() and "followup_area_names" in g:
        return g.followup_area_names
    names = dict(db.session.execute(sa.select(Area.id, Area.name)).all())
    if has_request_context():
        g.followup_area_names = names
    return names


def finding_counts(sel: Selection, *, history: bool = False) -> list[tuple]:
    """[(year, in period 1/0, kind, area id, plan area id, n)] for the period, or with
    history=True also for every year before it (for the findings and the trends). The areas
    are only told apart within the period (the trends need the kinds alone)."""
    rows = _period_finding_counts(sel)
    return rows + _earlier_finding_counts(sel) if history else rows


def _period_finding_counts(sel: Selection) -> list[tuple]:
    if _pre_aggregate():
        # SQLite: straight from the covering index, the dialogues as a list.
        stmt = sa.select(Finding.kind, Finding.area_id, Finding.plan_area_id, sa.func.count())
        stmt = stmt.where(Finding.dialogue_id.in_(sel.dialogues()))
    else:
        stmt = sa.select(
            Finding.kind, Finding.area_id, Finding.plan_area_id, sa.func.count()
        ).join_from(Finding, Dialogue, Dialogue.id == Finding.dialogue_id)
        stmt = _from_dialogues(stmt, sel)
    stmt = stmt.group_by(Finding.kind, Finding.area_id, Finding.plan_area_id)
    return [(sel.year, 1, kind, area, plan, n) for kind, area, plan, n in db.session.execute(stmt)]


def _earlier_finding_counts(sel: Selection) -> list[tuple]:
    """The trends' other years, per year and kind, from the findings' tally per dialogue (kept
    by triggers, models/tallies.py) rather than from every finding of every year."""
    conds = sel.dialogue_conditions(period=False)
    conds += sel.history_conditions(_first_year() if sel.half else None)
    conds.append(sa.not_(sa.and_(*sel.period_conditions())))
    columns = [getattr(FindingTally, name) for name in KIND_COLUMNS.values()]
    stmt = (
        sa.select(Dialogue.year, *(sa.func.sum(c) for c in columns))
        .join_from(FindingTally, Dialogue, Dialogue.id == FindingTally.dialogue_id)
        .where(*conds)
        .group_by(Dialogue.year)
    )
    return [
        (year, 0, kind, None, None, n)
        for year, *counts in db.session.execute(stmt)
        for kind, n in zip(KIND_COLUMNS, counts)
        if n
    ]


def findings(sel: Selection, finding_rows: list | None = None) -> dict:
    if finding_rows is None:
        finding_rows = finding_counts(sel)
    area_rows, plan_rows = [], []
    for _, in_period, kind, area_id, plan_area_id, n in finding_rows:
        if in_period:
            area_rows.append((kind, area_id, n))
            plan_rows.append((plan_area_id, n))
    return findings_figures(area_rows, plan_rows, _area_names(), plan_area_names())


def plan_area_names() -> dict[int, tuple[str, int]]:
    """{plan area id: (name, sort order)}."""
    return {
        pid: (name, order)
        for pid, name, order in db.session.execute(
            sa.select(PlanArea.id, PlanArea.name, PlanArea.sort_order)
        )
    }


def findings_figures(
    area_rows: list[tuple], plan_rows: list[tuple], names: dict, plan_names: dict
) -> dict:
    """The findings figures from [(kind, area id, n)] and [(plan area id, n)] of the period."""
    by_area_id: dict = defaultdict(int)
    by_plan_id: dict = defaultdict(int)
    for kind, area_id, n in area_rows:
        by_area_id[(area_id, kind)] += n
    for plan_area_id, n in plan_rows:
        by_plan_id[plan_area_id] += n
    by_area: dict[str, dict] = {}
    by_kind = {k: 0 for k in KINDS}
    for (area_id, kind), n in by_area_id.items():
        area = names.get(area_id, "?")
        entry = by_area.setdefault(
            area, {"area": area, "counts": {k: 0 for k in KINDS}, "total": 0}
        )
        entry["counts"][kind] += n
        entry["total"] += n
        by_kind[kind] += n
    areas = sorted(by_area.values(), key=lambda e: (-e["total"], e["area"]))
    plan = sorted(
        (
            {
                "plan_area": plan_names[pid][0] if pid else NO_PLAN_AREA,
                "linked": pid is not None,
                "count": n,
                "order": plan_names[pid][1] if pid else 999,
            }
            for pid, n in by_plan_id.items()
        ),
        key=lambda e: (e["order"], e["plan_area"]),
    )

    def top(kind):
        ranked = sorted(
            (e for e in areas if e["counts"][kind]), key=lambda e: (-e["counts"][kind], e["area"])
        )
        return [{"area": e["area"], "count": e["counts"][kind]} for e in ranked[:5]]

    return {
        "total": sum(by_kind.values()),
        "by_kind": [{"kind": k, "count": by_kind[k]} for k in KINDS],
        "by_area": areas,
        "by_plan_area": plan,
        "top_risks": top(FindingKind.RISK),
        "top_deficiencies": top(FindingKind.DEFICIENCY),
    }


RECURRING_YEARS = 5


def _pre_aggregate() -> bool:
    """Aggregate findings per dialogue before joining? Faster on SQLite (a covering-index
    scan); PostgreSQL plans the plain join better (measured on the national demo data)."""
    return db.engine.dialect.name == "sqlite"


def recurring(sel: Selection, limit: int = 15) -> dict:
    """(home, kind, area) found in at least two of the last five years, the latest being the
    selected year.

    Success factors are left out: what recurs and needs attention are risks and deficiencies.
    """
    first = sel.year - RECURRING_YEARS + 1
    if _tally_applies(sel, first):
        found = _recurring_from_tally(sel, first, limit)
    else:
        found = _recurring_from_findings(sel, first, limit)
    total = found[0][5] if found else 0
    area_names = _area_names()
    names = (
        dict(
            db.session.execute(
                sa.select(CareHome.id, CareHome.name).where(CareHome.id.in_({r[0] for r in found}))
            ).all()
        )
        if found
        else {}
    )
    rows = [
        (home, names.get(home, ""), kind, area_names.get(area_id, "?"), n, first_year)
        for home, kind, area_id, n, first_year, _ in found
    ]
    return {
        "total": total,
        "rows": [
            {
                "home_id": r[0],
                "home": r[1],
                "kind": r[2],
                "area": r[3],
                "years": r[4],
                "first_year": r[5],
            }
            for r in rows
        ],
    }


def _tally_applies(sel: Selection, first: int) -> bool:
    """The recurring tally is per home: it serves selections made of whole homes (not a health
    centre's dialogues) within the years its masks hold."""
    return (
        not sel.scope.health_centre_ids
        and sel.health_centre_id is None
        and MASK_FIRST_YEAR <= first
        and sel.year <= MASK_LAST_YEAR
    )


def _shifted(value, bits: int):
    # PostgreSQL shifts a bigint by an integer only (a bigint shift count is no operator).
    return value.op(">>")(sa.literal(bits, sa.Integer))


def _top_recurring(home, kind, area, window, sel: Selection, first: int, limit: int, *conds):
    """The first `limit` (home, kind, area) rows whose `window` (the years from `first` as
    bits, bit 0 = `first`) holds the selected year and at least one other, most years first,
    each with the total count of such rows alongside."""
    latest = 1 << (sel.year - first)
    years = sum(_shifted(window, i).op("&")(1) for i in range(RECURRING_YEARS))
    stmt = (
        sa.select(
            home,
            kind,
            area,
            years.label("years"),
            window.label("window"),
            sa.func.count().over().label("total"),
        )
        .where(window.op("&")(latest) != 0, window != latest, *conds)
        .order_by(years.desc(), home, area, kind)
        .limit(limit)
    )
    return [
        (home_id, kind_, area_id, n, first + ((bits & -bits).bit_length() - 1), total)
        for home_id, kind_, area_id, n, bits, total in db.session.execute(stmt)
    ]


def _recurring_from_tally(sel: Selection, first: int, limit: int) -> list[tuple]:
    """recurring()'s rows from the recurring tally (kept by triggers, models/tallies.py): one row
    per (home, kind, area) with its years as bits, instead of every finding of five years."""
    t = RecurringTally
    window = _shifted(t.years_mask, first - MASK_FIRST_YEAR).op("&")((1 << RECURRING_YEARS) - 1)
    conds = []
    if not sel.scope.admin or sel.municipality_id is not None:
        homes = sa.select(CareHome.id).where(sel.scope.home_clause())
        if sel.municipality_id is not None:
            homes = homes.where(CareHome.municipality_id == sel.municipality_id)
        conds.append(t.care_home_id.in_(homes))
    return _top_recurring(t.care_home_id, t.kind, t.area_id, window, sel, first, limit, *conds)


def _recurring_from_findings(sel: Selection, first: int, limit: int) -> list[tuple]:
    """recurring()'s rows counted from the findings: one hash aggregate per (home, kind, area)
    whose years are the bits of a mask (bit 0 = the first year), instead of grouping per year
    first and then again per (home, kind, area): about half the time on PostgreSQL and a third
    less on SQLite (measured on the national data). SQLite has no bit_or(): the sum of the
    distinct bits is the same mask."""
    bit = sa.literal(1).op("<<")(Dialogue.year - first)
    if db.engine.dialect.name == "sqlite":
        mask = sa.func.sum(sa.distinct(bit))
    else:
        mask = sa.func.bit_or(bit)
    per_triple = (
        sa.select(Dialogue.care_home_id, Finding.kind, Finding.area_id, mask.label("years_mask"))
        .join_from(Finding, Dialogue, Dialogue.id == Finding.dialogue_id)
        .where(
            Finding.kind != FindingKind.SUCCESS_FACTOR,
            *sel.dialogue_conditions(period=False),
            Dialogue.year.between(first, sel.year),
        )
        .group_by(Dialogue.care_home_id, Finding.kind, Finding.area_id)
        .subquery()
    )
    c = per_triple.c
    return _top_recurring(c.care_home_id, c.kind, c.area_id, c.years_mask, sel, first, limit)


# --- actions ----------------------------------------------------------------------------------


def actions(sel: Selection, today: date | None = None) -> dict:
    today = today or today_local()
    is_open = Action.status.in_([s for s in ActionStatus if s.is_open])
    overdue = sa.case((sa.and_(is_open, Action.due_date < today), 1), else_=0)
    rows = db.session.execute(
        sa.select(
            Action.responsible_party,
            Action.status,
            overdue.label("overdue"),
            # count(*), not count(id): the id is not in the covering index, and counting it
            # keeps PostgreSQL from an index-only scan (45 → 14 ms nationally).
            sa.func.count(),
        )
        .where(Action.dialogue_id.in_(sel.dialogues()))
        .group_by(Action.responsible_party, Action.status, overdue)
    ).all()
    return action_figures(rows, today)


def action_figures(rows, today: date) -> dict:
    """The actions figures from [(responsible party, status, overdue 1/0, n)]."""
    table = {
        p: {"party": p, "open": 0, "overdue": 0, "done": 0, "cancelled": 0, "total": 0}
        for p in PARTIES
    }
    for party, status, late, n in rows:
        entry = table[party]
        entry["total"] += n
        if status.is_open:
            entry["open"] += n
            entry["overdue"] += n if late else 0
        elif status is ActionStatus.DONE:
            entry["done"] += n
        else:
            entry["cancelled"] += n
    totals = {
        key: sum(e[key] for e in table.values())
        for key in ("open", "overdue", "done", "cancelled", "total")
    }
    return {"by_party": list(table.values()), "totals": totals, "today": today}


def overdue_actions(sel: Selection, today: date | None = None, limit: int | None = 25):
    today = today or today_local()
    stmt = (
        _from_dialogues(
            sa.select(Action, CareHome.name)
            .select_from(Action)
            .join(Dialogue, Dialogue.id == Action.dialogue_id)
            .join(CareHome, CareHome.id == Dialogue.care_home_id),
            sel,
        )
        .where(Action.status.in_([s for s in ActionStatus if s.is_open]), Action.due_date < today)
        .order_by(Action.due_date, Action.id)
    )
    if limit:
        stmt = stmt.limit(limit)
    return db.session.execute(stmt).all()


# --- trends -----------------------------------------------------------------------------------


def trends(
    sel: Selection, dialogue_rows: list | None = None, finding_rows: list | None = None
) -> list[dict]:
    """Per year (all years in scope and filters, up to the selected one): dialogues, findings."""
    if dialogue_rows is None:
        dialogue_rows = dialogue_counts(sel, history=True)
    if finding_rows is None:
        finding_rows = finding_counts(sel, history=True)
    years: dict[int, dict] = {}

    def year_entry(y):
        return years.setdefault(
            y,
            {"year": y, "booked": 0, "held": 0, "documented": 0, "findings": {k: 0 for k in KINDS}},
        )

    for y, _, status, n in dialogue_rows:
        e = year_entry(y)
        if status in LIVE:
            e["booked"] += n
        if status in HELD:
            e["held"] += n
        if status is DialogueStatus.DOCUMENTED:
            e["documented"] += n
    for y, _, kind, _, _, n in finding_rows:
        year_entry(y)["findings"][kind] += n
    return [years[y] for y in sorted(years)]


# --- everything -------------------------------------------------------------------------------


@dataclass
class Dashboard:
    sel: Selection
    coverage: dict
    representation: dict
    findings: dict
    recurring: dict
    actions: dict
    trends: list
    extra: dict = field(default_factory=dict)


def dashboard(sel: Selection, today: date | None = None) -> Dashboard:
    # The counts of every year up to the selected one serve both the period and the trends.
    dialogue_rows = dialogue_counts(sel, history=True)
    finding_rows = finding_counts(sel, history=True)
    return Dashboard(
        sel=sel,
        coverage=coverage(sel, dialogue_rows),
        representation=representation_figures(sel),
        findings=findings(sel, finding_rows),
        recurring=recurring(sel),
        actions=actions(sel, today),
        trends=trends(sel, dialogue_rows, finding_rows),
    )


CHART_SECTIONS = {
    "tackning": "coverage",
    "representation": "representation",
    "fynd": "findings",
    "handlingsplan": "findings",
    "atgarder": "actions",
    "trender": "trends",
}


def partial_dashboard(sel: Selection, section: str, today: date | None = None) -> Dashboard:
    """Only the one section a chart needs; the others stay empty."""
    empty = Dashboard(
        sel=sel, coverage={}, representation={}, findings={}, recurring={}, actions={}, trends=[]
    )
    if section == "coverage":
        empty.coverage = coverage(sel)
    elif section == "representation":
        empty.representation = representation_figures(sel)
    elif section == "findings":
        empty.findings = findings(sel)
    elif section == "actions":
        empty.actions = actions(sel, today)
    elif section == "trends":
        empty.trends = trends(sel)
    return empty


def summary_json(board: Dashboard) -> dict:
    """The figures as plain JSON (the API's summary and the report's data)."""
    f, r, a = board.findings, board.representation, board.actions
    return {
        "period": {
            "year": board.sel.year,
            "half": board.sel.half,
            "municipality_id": board.sel.municipality_id,
            "health_centre_id": board.sel.health_centre_id,
        },
        "coverage": board.coverage,
        "representation": {
            "held": r["held"],
            "full": r["full"],
            "share_full": r["share_full"],
            "sides": [
                {"side": s["side"].value, "complete": s["complete"], "incomplete": s["incomplete"]}
                for s in r["sides"]
            ],
            "missing": [
                {"side": m["side"].value, "seat": m["seat"], "count": m["count"]}
                for m in r["missing"]
            ],
        },
        "findings": {
            "total": f["total"],
            "by_kind": {e["kind"].value: e["count"] for e in f["by_kind"]},
            "by_area": [
                {"area": e["area"], "total": e["total"], **{k.value: e["counts"][k] for k in KINDS}}
                for e in f["by_area"]
            ],
            "by_plan_area": [
                {"plan_area": e["plan_area"], "count": e["count"]} for e in f["by_plan_area"]
            ],
        },
        "actions": {
            "totals": a["totals"],
            "by_party": [
                {
                    "party": e["party"].value,
                    **{k: e[k] for k in ("open", "overdue", "done", "cancelled", "total")},
                }
                for e in a["by_party"]
            ],
            "as_of": a["today"].isoformat(),
        },
        "recurring": [
            {
                "care_home_id": e["home_id"],
                "kind": e["kind"].value,
                "area": e["area"],
                "years": e["years"],
            }
            for e in board.recurring["rows"]
        ],
        "trends": [
            {
                "year": t["year"],
                "booked": t["booked"],
                "held": t["held"],
                "documented": t["documented"],
                "findings": {k.value: n for k, n in t["findings"].items()},
            }
            for t in board.trends
        ],
    }
