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
    Finding,
    Municipality,
)
from .figures import (
    action_figures,
    coverage_figures,
    findings_figures,
    plan_area_names,
    today_local,
)
from .filters import LIVE, Selection
from .seats import representation_groups_by, representation_tally


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
            coverage=coverage.get(mid) or coverage_figures({}, 0, 0),
            representation=represented.get(mid) or representation_tally([]),
            findings=found.get(mid) or findings_figures([], [], {}, {}),
            actions=acted.get(mid) or action_figures([], today),
        )
        for mid, name in named
    ]


def _rows(stmt):
    """Plain rows through the session's connection (no ORM loading: these are only counts)."""
    return db.session.connection().execute(stmt)


# --- coverage ---------------------------------------------------------------------------------


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
        mid: coverage_figures(statuses.get(mid, {}), *homes.get(mid, (0, 0)))
        for mid in set(homes) | set(statuses)
    }


# --- representation ---------------------------------------------------------------------------


def representation_by_municipality(sel: Selection) -> dict[int, dict]:
    """{municipality id: seats.representation_figures(...)} from one grouped query."""
    return {
        mid: representation_tally(groups)
        for mid, groups in representation_groups_by(sel, CareHome.municipality_id).items()
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
    plan_names = plan_area_names()
    return {
        mid: findings_figures(rows, by_plan[mid], names, plan_names)
        for mid, rows in by_area.items()
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
            sa.func.count(),  # not count(id): see figures.actions()
        )
        .select_from(Action)
        .join(Dialogue, Dialogue.id == Action.dialogue_id)
        .join(CareHome, CareHome.id == Dialogue.care_home_id)
        .where(*sel.dialogue_conditions())
        .group_by(CareHome.municipality_id, Action.responsible_party, Action.status, overdue)
    ):
        rows[mid].append((party, status, late, n))
    return {mid: action_figures(r, today) for mid, r in rows.items()}
