"""The report's figures for every municipality of a selection at once: GROUP BY municipality.

figures.py answers for one selection; the report's section per municipality used to call it
once per municipality (about eight queries each, 2,000 nationally). Here each family is one
grouped query for all municipalities, and the per-municipality dicts have exactly the shape and
values figures.coverage / representation_figures / findings / actions give for
replace(sel, municipality_id=m) (tests/followup/test_by_municipality.py compares them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

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
    Municipality,
    Participant,
    PlanArea,
    Side,
)
from ..representation import representation
from .figures import KINDS, NO_PLAN_AREA, PARTIES, today_local
from .filters import HELD, LIVE, Selection
from .seats import COUNTING, _always, _required_roles, _Seat, seat_key


@dataclass
class MunicipalityFigures:
    id: int
    name: str
    coverage: dict
    representation: dict
    findings: dict
    actions: dict


def municipalities(sel: Selection, today: date | None = None) -> list[MunicipalityFigures]:
    """Every municipality with an active home in the selection or a dialogue in its period,
    by name, with its figures. A fixed number of queries, however many municipalities."""
    today = today or today_local()
    home_municipality = sa.select(CareHome.municipality_id).where(*sel.home_conditions())
    dialogue_municipality = (
        sa.select(CareHome.municipality_id)
        .join(Dialogue, Dialogue.care_home_id == CareHome.id)
        .where(*sel.dialogue_conditions())
    )
    ids = sa.union(home_municipality, dialogue_municipality).subquery()
    named = _rows(
        sa.select(Municipality.id, Municipality.name)
        .where(Municipality.id.in_(sa.select(ids.c[0])))
        .order_by(Municipality.name)
    ).all()
    if not named:
        return []
    coverage = coverage_by_municipality(sel)
    represented = representation_by_municipality(sel)
    found = findings_by_municipality(sel)
    acted = actions_by_municipality(sel, today)
    return [
        MunicipalityFigures(
            id=mid,
            name=name,
            coverage=coverage.get(mid) or _coverage({}, 0, 0),
            representation=represented.get(mid) or _representation([]),
            findings=found.get(mid) or _findings([], [], {}, {}),
            actions=acted.get(mid) or _actions([], today),
        )
        for mid, name in named
    ]


def _rows(stmt):
    """Plain rows through the session's connection (no ORM loading: these are only counts)."""
    return db.session.connection().execute(stmt)


# --- coverage ---------------------------------------------------------------------------------


def _coverage(by_status: dict, active_homes: int, without: int) -> dict:
    return {
        "active_homes": active_homes or 0,
        "booked": sum(by_status.get(s, 0) for s in LIVE),
        "planned": by_status.get(DialogueStatus.PLANNED, 0),
        "held": sum(by_status.get(s, 0) for s in HELD),
        "documented": by_status.get(DialogueStatus.DOCUMENTED, 0),
        "cancelled": by_status.get(DialogueStatus.CANCELLED, 0),
        "homes_without": without or 0,
    }


def coverage_by_municipality(sel: Selection) -> dict[int, dict]:
    """{municipality id: figures.coverage(...)} in two queries."""
    live = sa.select(Dialogue.id).where(
        Dialogue.care_home_id == CareHome.id, Dialogue.year == sel.year, Dialogue.status.in_(LIVE)
    )
    homes = {
        mid: (n, without)
        for mid, n, without in _rows(
            sa.select(
                CareHome.municipality_id,
                sa.func.count(CareHome.id),
                sa.func.coalesce(sa.func.sum(sa.case((~live.exists(), 1), else_=0)), 0),
            )
            .where(*sel.home_conditions())
            .group_by(CareHome.municipality_id)
        )
    }
    statuses: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for mid, status, n in _rows(
        sa.select(CareHome.municipality_id, Dialogue.status, sa.func.count())
        .select_from(Dialogue)
        .join(CareHome, CareHome.id == Dialogue.care_home_id)
        .where(*sel.dialogue_conditions())
        .group_by(CareHome.municipality_id, Dialogue.status)
    ):
        statuses[mid][status] += n
    return {
        mid: _coverage(statuses.get(mid, {}), *homes.get(mid, (0, 0)))
        for mid in set(homes) | set(statuses)
    }


# --- representation ---------------------------------------------------------------------------


def representation_by_municipality(sel: Selection) -> dict[int, dict]:
    """{municipality id: seats.representation_figures(...)}: held dialogues grouped by
    municipality, region and who attended in each seat-filling (side, role), as in
    seats.representation_groups, with the seat logic run once per group."""
    default, own = _required_roles()
    pairs = sorted(
        {
            (side, role)
            for required in (default, *own.values())
            for side, seats in required.items()
            for seat in seats
            for role in seat
        },
        key=lambda pair: (pair[0].value, pair[1].value),
    )
    counts = [
        sa.func.sum(
            sa.case((sa.and_(Participant.side == side, Participant.role == role), 1), else_=0)
        ).label(f"n{i}")
        for i, (side, role) in enumerate(pairs)
    ]
    per_dialogue = (
        sa.select(CareHome.municipality_id, Municipality.region_id, *counts)
        .select_from(Dialogue)
        .join(CareHome, CareHome.id == Dialogue.care_home_id)
        .join(Municipality, Municipality.id == CareHome.municipality_id)
        .outerjoin(
            Participant,
            sa.and_(
                Participant.dialogue_id == Dialogue.id,
                Participant.removed_at.is_(None),
                Participant.attendance.in_(COUNTING),
            ),
        )
        .where(*sel.dialogue_conditions(), Dialogue.status.in_(HELD))
        .group_by(Dialogue.id, CareHome.municipality_id, Municipality.region_id)
        .subquery()
    )
    columns = [per_dialogue.c.municipality_id, per_dialogue.c.region_id] + [
        per_dialogue.c[f"n{i}"] for i in range(len(pairs))
    ]
    groups: dict[int, list] = defaultdict(list)
    memo: dict[tuple, dict] = {}
    for mid, region_id, *present, n in _rows(
        sa.select(*columns, sa.func.count()).group_by(*columns)
    ):
        key = (region_id if region_id in own else None, *(int(k or 0) for k in present))
        if key not in memo:
            people = [
                _Seat(role, side)
                for (side, role), k in zip(pairs, present)
                for _ in range(int(k or 0))
            ]
            memo[key] = representation(people, own.get(region_id, default), counts=_always)
        groups[mid].append((memo[key], n))
    return {mid: _representation(g) for mid, g in groups.items()}


def _representation(groups: list[tuple[dict, int]]) -> dict:
    """The tallies of seats.representation_figures from [(statuses, number of dialogues)]."""
    held = sum(n for _, n in groups)
    full = sum(n for st, n in groups if all(s.complete for s in st.values()))
    sides = {side: {"complete": 0, "incomplete": 0} for side in Side}
    missing: dict[tuple, int] = defaultdict(int)
    for st, n in groups:
        for side, status in st.items():
            sides[side]["complete" if status.complete else "incomplete"] += n
            for seat in status.missing:
                missing[(side, seat.label)] += n
    return {
        "held": held,
        "full": full,
        "not_full": held - full,
        "share_full": (full / held) if held else None,
        "sides": [
            {
                "side": side,
                "complete": v["complete"],
                "incomplete": v["incomplete"],
                "share": (v["complete"] / held) if held else None,
            }
            for side, v in sides.items()
        ],
        "missing": [
            {"side": side, "seat": label, "key": seat_key(side, label), "count": n}
            for (side, label), n in sorted(
                missing.items(), key=lambda kv: (-kv[1], kv[0][0].value, kv[0][1])
            )
        ],
    }


# --- findings ---------------------------------------------------------------------------------


def findings_by_municipality(sel: Selection) -> dict[int, dict]:
    """{municipality id: figures.findings(...)}: two grouped queries (by kind and area, and by
    plan area; one query over all three would return their product) and the two catalogues."""

    def grouped(*columns):
        return _rows(
            sa.select(CareHome.municipality_id, *columns, sa.func.count())
            .select_from(Finding)
            .join(Dialogue, Dialogue.id == Finding.dialogue_id)
            .join(CareHome, CareHome.id == Dialogue.care_home_id)
            .where(*sel.dialogue_conditions())
            .group_by(CareHome.municipality_id, *columns)
        )

    by_area: dict[int, list] = defaultdict(list)
    for mid, kind, area_id, n in grouped(Finding.kind, Finding.area_id):
        by_area[mid].append((kind, area_id, n))
    if not by_area:
        return {}
    by_plan: dict[int, list] = defaultdict(list)
    for mid, plan_area_id, n in grouped(Finding.plan_area_id):
        by_plan[mid].append((plan_area_id, n))
    names = dict(_rows(sa.select(Area.id, Area.name)).all())
    plan_names = {
        pid: (name, order)
        for pid, name, order in _rows(sa.select(PlanArea.id, PlanArea.name, PlanArea.sort_order))
    }
    return {mid: _findings(rows, by_plan[mid], names, plan_names) for mid, rows in by_area.items()}


def _findings(rows: list[tuple], plan_rows: list[tuple], names: dict, plan_names: dict) -> dict:
    """figures.findings() from [(kind, area id, n)] and [(plan area id, n)] of the period."""
    by_area_id: dict = defaultdict(int)
    by_plan_id: dict = defaultdict(int)
    for kind, area_id, n in rows:
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


# --- actions ----------------------------------------------------------------------------------


def actions_by_municipality(sel: Selection, today: date) -> dict[int, dict]:
    """{municipality id: figures.actions(...)} in one grouped query."""
    is_open = Action.status.in_([s for s in ActionStatus if s.is_open])
    overdue = sa.case((sa.and_(is_open, Action.due_date < today), 1), else_=0)
    rows: dict[int, list] = defaultdict(list)
    for mid, party, status, late, n in _rows(
        sa.select(
            CareHome.municipality_id,
            Action.responsible_party,
            Action.status,
            overdue.label("overdue"),
            sa.func.count(Action.id),
        )
        .select_from(Action)
        .join(Dialogue, Dialogue.id == Action.dialogue_id)
        .join(CareHome, CareHome.id == Dialogue.care_home_id)
        .where(*sel.dialogue_conditions())
        .group_by(CareHome.municipality_id, Action.responsible_party, Action.status, overdue)
    ):
        rows[mid].append((party, status, late, n))
    return {mid: _actions(r, today) for mid, r in rows.items()}


def _actions(rows: list[tuple], today: date) -> dict:
    """figures.actions() from [(party, status, overdue 1/0, n)]."""
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
