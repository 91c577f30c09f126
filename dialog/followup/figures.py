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
    Attendance,
    CareHome,
    Dialogue,
    DialogueStatus,
    Finding,
    FindingKind,
    Municipality,
    Participant,
    Party,
    PlanArea,
    Side,
)
from ..region_settings import settings_for_region
from ..representation import representation
from ..timeutil import STOCKHOLM
from .filters import HELD, LIVE, Selection

KINDS = [FindingKind.DEFICIENCY, FindingKind.RISK, FindingKind.SUCCESS_FACTOR]
PARTIES = [Party.CARE_HOME, Party.HEALTH_CENTRE, Party.JOINT, Party.REGION]
NO_PLAN_AREA = "Ej kopplad till handlingsplanen"
COUNTING = (Attendance.ATTENDED, Attendance.STAND_IN)


def today_local() -> date:
    return datetime.now(STOCKHOLM).date()


def _from_dialogues(stmt, sel: Selection, *, period: bool = True):
    return stmt.where(*sel.dialogue_conditions(period=period))


# --- coverage ---------------------------------------------------------------------------------

def coverage(sel: Selection) -> dict:
    live = (sa.select(Dialogue.id).where(Dialogue.care_home_id == CareHome.id,
                                         Dialogue.year == sel.year,
                                         Dialogue.status.in_(LIVE)))
    active_homes, without = db.session.execute(
        sa.select(sa.func.count(CareHome.id),
                  sa.func.coalesce(sa.func.sum(sa.case((~live.exists(), 1), else_=0)), 0))
        .where(*sel.home_conditions())).one()
    rows = db.session.execute(_from_dialogues(
        sa.select(Dialogue.status, sa.func.count(Dialogue.id)).select_from(Dialogue), sel)
        .group_by(Dialogue.status)).all()
    by_status = {status: n for status, n in rows}
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
    live = (sa.select(Dialogue.id).where(Dialogue.care_home_id == CareHome.id,
                                         Dialogue.year == sel.year,
                                         Dialogue.status.in_(LIVE)))
    return (sa.select(CareHome).where(*sel.home_conditions(), ~live.exists())
            .order_by(CareHome.name, CareHome.id))


# --- representation ---------------------------------------------------------------------------

@dataclass(slots=True)
class _Seat:
    """A light stand-in for Participant in the seat logic (role and side are all it reads)."""

    role: object
    side: object


def representation_by_dialogue(sel: Selection, *, dialogue_ids=None) -> dict[int, dict]:
    """{dialogue id: {Side: SideStatus}} for the held dialogues of the selection (attendance)."""
    held = (sa.select(Dialogue.id, Municipality.region_id).select_from(Dialogue)
            .join(CareHome, CareHome.id == Dialogue.care_home_id)
            .join(Municipality, Municipality.id == CareHome.municipality_id)
            .where(*sel.dialogue_conditions(), Dialogue.status.in_(HELD)))
    if dialogue_ids is not None:
        held = held.where(Dialogue.id.in_(dialogue_ids))
    region_of = dict(db.session.execute(held).all())
    if not region_of:
        return {}
    held_ids = sa.select(Dialogue.id).where(*sel.dialogue_conditions(),
                                            Dialogue.status.in_(HELD))
    if dialogue_ids is not None:
        held_ids = held_ids.where(Dialogue.id.in_(dialogue_ids))
    people: dict[int, list] = defaultdict(list)
    for dialogue_id, role, side in db.session.execute(
            sa.select(Participant.dialogue_id, Participant.role, Participant.side)
            .where(Participant.dialogue_id.in_(held_ids), Participant.removed_at.is_(None),
                   Participant.attendance.in_(COUNTING))):
        people[dialogue_id].append(_Seat(role, side))
    required = {}
    result = {}
    # Dialogues with the same roles present in the same region share one outcome: compute it
    # once per combination (a few dozen) rather than once per dialogue (thousands nationally).
    memo: dict[tuple, dict] = {}
    for dialogue_id, region_id in region_of.items():
        if region_id not in required:
            required[region_id] = settings_for_region(region_id).required_roles
        present = people[dialogue_id]
        key = (region_id, tuple(sorted((p.side.value, p.role.value) for p in present)))
        if key not in memo:
            memo[key] = representation(present, required[region_id], counts=_always)
        result[dialogue_id] = memo[key]
    return result


def _always(_participant) -> bool:
    return True


def seat_key(side: Side, label: str) -> str:
    return f"{side.value}:{label}"


def representation_figures(sel: Selection, statuses: dict | None = None) -> dict:
    statuses = statuses if statuses is not None else representation_by_dialogue(sel)
    held = len(statuses)
    full = sum(1 for st in statuses.values() if all(s.complete for s in st.values()))
    sides = {side: {"complete": 0, "incomplete": 0} for side in Side}
    missing: dict[tuple, int] = defaultdict(int)
    for st in statuses.values():
        for side, status in st.items():
            sides[side]["complete" if status.complete else "incomplete"] += 1
            for seat in status.missing:
                missing[(side, seat.label)] += 1
    return {
        "held": held,
        "full": full,
        "not_full": held - full,
        "share_full": (full / held) if held else None,
        "sides": [{"side": side, "complete": v["complete"], "incomplete": v["incomplete"],
                   "share": (v["complete"] / held) if held else None}
                  for side, v in sides.items()],
        "missing": [{"side": side, "seat": label, "key": seat_key(side, label), "count": n}
                    for (side, label), n in sorted(missing.items(),
                                                   key=lambda kv: (-kv[1], kv[0][0].value,
                                                                   kv[0][1]))],
    }


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


def findings(sel: Selection) -> dict:
    def of_selection(stmt):
        if _pre_aggregate():
            return stmt.where(Finding.dialogue_id.in_(sel.dialogues()))
        return (stmt.select_from(Finding).join(Dialogue, Dialogue.id == Finding.dialogue_id)
                .where(*sel.dialogue_conditions()))

    rows = db.session.execute(of_selection(
        sa.select(Finding.area_id, Finding.kind, sa.func.count(Finding.id)))
        .group_by(Finding.area_id, Finding.kind)).all()
    names = _area_names()
    by_area: dict[str, dict] = {}
    by_kind = {k: 0 for k in KINDS}
    for area_id, kind, n in rows:
        area = names.get(area_id, "?")
        entry = by_area.setdefault(area, {"area": area, "counts": {k: 0 for k in KINDS},
                                          "total": 0})
        entry["counts"][kind] += n
        entry["total"] += n
        by_kind[kind] += n
    areas = sorted(by_area.values(), key=lambda e: (-e["total"], e["area"]))
    plan_rows = db.session.execute(of_selection(
        sa.select(Finding.plan_area_id, sa.func.count(Finding.id)))
        .group_by(Finding.plan_area_id)).all()
    plan_names = {pid: (name, order) for pid, name, order in db.session.execute(
        sa.select(PlanArea.id, PlanArea.name, PlanArea.sort_order))}
    plan = sorted(({"plan_area": plan_names[pid][0] if pid else NO_PLAN_AREA,
                    "linked": pid is not None, "count": n,
                    "order": plan_names[pid][1] if pid else 999}
                   for pid, n in plan_rows), key=lambda e: (e["order"], e["plan_area"]))

    def top(kind):
        ranked = sorted((e for e in areas if e["counts"][kind]),
                        key=lambda e: (-e["counts"][kind], e["area"]))
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
    history = sa.select(Dialogue.id).where(*sel.dialogue_conditions(period=False),
                                           Dialogue.year.between(first, sel.year))
    years = sa.func.count(sa.distinct(Dialogue.year))
    if _pre_aggregate():
        source = (sa.select(Finding.dialogue_id, Finding.kind, Finding.area_id)
                  .where(Finding.kind != FindingKind.SUCCESS_FACTOR,
                         Finding.dialogue_id.in_(history)).distinct().subquery())
        base = sa.select(Dialogue.care_home_id, source.c.kind, source.c.area_id).select_from(
            source).join(Dialogue, Dialogue.id == source.c.dialogue_id)
        kind_col, area_col = source.c.kind, source.c.area_id
    else:
        base = (sa.select(Dialogue.care_home_id, Finding.kind, Finding.area_id)
                .select_from(Finding).join(Dialogue, Dialogue.id == Finding.dialogue_id)
                .where(Finding.kind != FindingKind.SUCCESS_FACTOR,
                       *sel.dialogue_conditions(period=False),
                       Dialogue.year.between(first, sel.year)))
        kind_col, area_col = Finding.kind, Finding.area_id
    # Only the top rows come back; count(*) over () carries the total along with them.
    stmt = (base.add_columns(years.label("years"), sa.func.min(Dialogue.year),
                             sa.func.count().over().label("total"))
            .group_by(Dialogue.care_home_id, kind_col, area_col)
            .having(years >= 2, sa.func.max(Dialogue.year) == sel.year)
            .order_by(years.desc(), Dialogue.care_home_id, area_col, kind_col)
            .limit(limit))
    found = db.session.execute(stmt).all()
    total = found[0][5] if found else 0
    area_names = _area_names()
    names = dict(db.session.execute(sa.select(CareHome.id, CareHome.name).where(
        CareHome.id.in_({r[0] for r in found}))).all()) if found else {}
    rows = [(home, names.get(home, ""), kind, area_names.get(area_id, "?"), n, first_year)
            for home, kind, area_id, n, first_year, _ in found]
    return {
        "total": total,
        "rows": [{"home_id": r[0], "home": r[1], "kind": r[2], "area": r[3], "years": r[4],
                  "first_year": r[5]} for r in rows],
    }


# --- actions ----------------------------------------------------------------------------------

def actions(sel: Selection, today: date | None = None) -> dict:
    today = today or today_local()
    is_open = Action.status.in_([s for s in ActionStatus if s.is_open])
    overdue = sa.case((sa.and_(is_open, Action.due_date < today), 1), else_=0)
    rows = db.session.execute(
        sa.select(Action.responsible_party, Action.status, overdue.label("overdue"),
                  sa.func.count(Action.id))
        .where(Action.dialogue_id.in_(sel.dialogues()))
        .group_by(Action.responsible_party, Action.status, overdue)).all()
    table = {p: {"party": p, "open": 0, "overdue": 0, "done": 0, "cancelled": 0, "total": 0}
             for p in PARTIES}
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
    totals = {key: sum(e[key] for e in table.values())
              for key in ("open", "overdue", "done", "cancelled", "total")}
    return {"by_party": list(table.values()), "totals": totals, "today": today}


def overdue_actions(sel: Selection, today: date | None = None, limit: int | None = 25):
    today = today or today_local()
    stmt = (_from_dialogues(sa.select(Action, CareHome.name).select_from(Action)
                            .join(Dialogue, Dialogue.id == Action.dialogue_id)
                            .join(CareHome, CareHome.id == Dialogue.care_home_id), sel)
            .where(Action.status.in_([s for s in ActionStatus if s.is_open]),
                   Action.due_date < today)
            .order_by(Action.due_date, Action.id))
    if limit:
        stmt = stmt.limit(limit)
    return db.session.execute(stmt).all()


# --- trends -----------------------------------------------------------------------------------

def trends(sel: Selection) -> list[dict]:
    """Per year (all years in scope and filters, up to the selected one): dialogues, findings."""
    dialogue_rows = db.session.execute(_from_dialogues(
        sa.select(Dialogue.year, Dialogue.status, sa.func.count(Dialogue.id))
        .select_from(Dialogue), sel, period=False)
        .where(Dialogue.year <= sel.year)
        .group_by(Dialogue.year, Dialogue.status)).all()
    in_history = sel.dialogues(period=False).where(Dialogue.year <= sel.year)
    if _pre_aggregate():
        per_dialogue = (sa.select(Finding.dialogue_id, Finding.kind,
                                  sa.func.count(Finding.id).label("n"))
                        .where(Finding.dialogue_id.in_(in_history))
                        .group_by(Finding.dialogue_id, Finding.kind).subquery())
        stmt = (sa.select(Dialogue.year, per_dialogue.c.kind, sa.func.sum(per_dialogue.c.n))
                .select_from(per_dialogue)
                .join(Dialogue, Dialogue.id == per_dialogue.c.dialogue_id)
                .group_by(Dialogue.year, per_dialogue.c.kind))
    else:
        stmt = (sa.select(Dialogue.year, Finding.kind, sa.func.count(Finding.id))
                .select_from(Finding).join(Dialogue, Dialogue.id == Finding.dialogue_id)
                .where(*sel.dialogue_conditions(period=False), Dialogue.year <= sel.year)
                .group_by(Dialogue.year, Finding.kind))
    finding_rows = db.session.execute(stmt).all()
    years: dict[int, dict] = {}

    def year_entry(y):
        return years.setdefault(y, {"year": y, "booked": 0, "held": 0, "documented": 0,
                                    "findings": {k: 0 for k in KINDS}})

    for y, status, n in dialogue_rows:
        e = year_entry(y)
        if status in LIVE:
            e["booked"] += n
        if status in HELD:
            e["held"] += n
        if status is DialogueStatus.DOCUMENTED:
            e["documented"] += n
    for y, kind, n in finding_rows:
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
    return Dashboard(
        sel=sel,
        coverage=coverage(sel),
        representation=representation_figures(sel),
        findings=findings(sel),
        recurring=recurring(sel),
        actions=actions(sel, today),
        trends=trends(sel),
    )


CHART_SECTIONS = {"tackning": "coverage", "representation": "representation",
                  "fynd": "findings", "handlingsplan": "findings", "atgarder": "actions",
                  "trender": "trends"}


def partial_dashboard(sel: Selection, section: str, today: date | None = None) -> Dashboard:
    """Only the one section a chart needs; the others stay empty."""
    empty = Dashboard(sel=sel, coverage={}, representation={}, findings={}, recurring={},
                      actions={}, trends=[])
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
        "period": {"year": board.sel.year, "half": board.sel.half,
                   "municipality_id": board.sel.municipality_id,
                   "health_centre_id": board.sel.health_centre_id},
        "coverage": board.coverage,
        "representation": {
            "held": r["held"], "full": r["full"], "share_full": r["share_full"],
            "sides": [{"side": s["side"].value, "complete": s["complete"],
                       "incomplete": s["incomplete"]} for s in r["sides"]],
            "missing": [{"side": m["side"].value, "seat": m["seat"], "count": m["count"]}
                        for m in r["missing"]],
        },
        "findings": {
            "total": f["total"],
            "by_kind": {e["kind"].value: e["count"] for e in f["by_kind"]},
            "by_area": [{"area": e["area"], "total": e["total"],
                         **{k.value: e["counts"][k] for k in KINDS}} for e in f["by_area"]],
            "by_plan_area": [{"plan_area": e["plan_area"], "count": e["count"]}
                             for e in f["by_plan_area"]],
        },
        "actions": {
            "totals": a["totals"],
            "by_party": [{"party": e["party"].value, **{k: e[k] for k in
                          ("open", "overdue", "done", "cancelled", "total")}}
                         for e in a["by_party"]],
            "as_of": a["today"].isoformat(),
        },
        "recurring": [{"care_home_id": e["home_id"], "kind": e["kind"].value,
                       "area": e["area"], "years": e["years"]} for e in board.recurring["rows"]],
        "trends": [{"year": t["year"], "booked": t["booked"], "held": t["held"],
                    "documented": t["documented"],
                    "findings": {k.value: n for k, n in t["findings"].items()}}
                   for t in board.trends],
    }
