"""Row sets of the selection (dialogues, participants, findings, actions) as plain dicts.

One query each, Core-style (no ORM objects), shared by the Excel and CSV exports and the API, so
they list the same rows. Keys are English (the API's field names); exports.py gives them
Swedish headings.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import (
    Action,
    ActionStatus,
    Area,
    CareHome,
    Dialogue,
    Finding,
    HealthCentre,
    Municipality,
    Participant,
    PlanArea,
    Region,
)
from .figures import representation_by_dialogue, today_local
from .filters import Selection

OPEN = [s for s in ActionStatus if s.is_open]


def _base(stmt, sel: Selection):
    return (
        stmt.join(CareHome, CareHome.id == Dialogue.care_home_id)
        .join(Municipality, Municipality.id == CareHome.municipality_id)
        .where(*sel.dialogue_conditions())
    )


def _page(stmt, limit, offset):
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset or 0)
    return stmt


def count(kind: str, sel: Selection) -> int:
    entity = {
        "dialogues": Dialogue.id,
        "participants": Participant.id,
        "findings": Finding.id,
        "actions": Action.id,
    }[kind]
    stmt = sa.select(sa.func.count(entity)).select_from(Dialogue)
    if kind == "participants":
        stmt = stmt.join(
            Participant,
            sa.and_(Participant.dialogue_id == Dialogue.id, Participant.removed_at.is_(None)),
        )
    elif kind == "findings":
        stmt = stmt.join(Finding, Finding.dialogue_id == Dialogue.id)
    elif kind == "actions":
        stmt = stmt.join(Action, Action.dialogue_id == Dialogue.id)
    return db.session.scalar(_base(stmt, sel)) or 0


def dialogues(sel: Selection, limit=None, offset=None) -> list[dict]:
    stmt = _page(
        _base(
            sa.select(
                Dialogue.id,
                Dialogue.year,
                Dialogue.status,
                Dialogue.starts_at,
                Dialogue.ends_at,
                Dialogue.held_at,
                Dialogue.documented_at,
                Dialogue.care_home_id,
                CareHome.name.label("home"),
                Municipality.id.label("municipality_id"),
                Municipality.name.label("municipality"),
                Region.name.label("region"),
                Dialogue.health_centre_id,
                HealthCentre.name.label("health_centre"),
                Dialogue.cancel_reason,
            ).select_from(Dialogue),
            sel,
        )
        .join(Region, Region.id == Municipality.region_id)
        .outerjoin(HealthCentre, HealthCentre.id == Dialogue.health_centre_id)
        .order_by(Dialogue.starts_at, Dialogue.id),
        limit,
        offset,
    )
    rows = [dict(r._mapping) for r in db.session.execute(stmt)]
    statuses = (
        representation_by_dialogue(sel, dialogue_ids=[r["id"] for r in rows])
        if limit is not None
        else representation_by_dialogue(sel)
    )
    for r in rows:
        st = statuses.get(r["id"])
        r["full_representation"] = None if st is None else all(s.complete for s in st.values())
    return rows


def participants(sel: Selection, limit=None, offset=None) -> list[dict]:
    stand_in = aliased(Participant)
    stmt = _page(
        _base(
            sa.select(
                Participant.id,
                Participant.dialogue_id,
                CareHome.name.label("home"),
                Municipality.name.label("municipality"),
                Dialogue.starts_at,
                Participant.name,
                Participant.role,
                Participant.side,
                Participant.response,
                Participant.attendance,
                stand_in.name.label("stand_in_for"),
            )
            .select_from(Dialogue)
            .join(
                Participant,
                sa.and_(Participant.dialogue_id == Dialogue.id, Participant.removed_at.is_(None)),
            ),
            sel,
        )
        .outerjoin(stand_in, stand_in.id == Participant.stand_in_for_id)
        .order_by(Dialogue.starts_at, Dialogue.id, Participant.side, Participant.id),
        limit,
        offset,
    )
    return [dict(r._mapping) for r in db.session.execute(stmt)]


def findings(sel: Selection, limit=None, offset=None) -> list[dict]:
    stmt = _page(
        _base(
            sa.select(
                Finding.id,
                Finding.dialogue_id,
                Dialogue.year,
                Dialogue.starts_at,
                Dialogue.care_home_id,
                CareHome.name.label("home"),
                Municipality.name.label("municipality"),
                Finding.kind,
                Area.name.label("area"),
                PlanArea.name.label("plan_area"),
                Finding.concerns,
                Finding.description,
                Finding.spread_as_lesson,
                Finding.escalate,
            )
            .select_from(Dialogue)
            .join(Finding, Finding.dialogue_id == Dialogue.id),
            sel,
        )
        .join(Area, Area.id == Finding.area_id)
        .outerjoin(PlanArea, PlanArea.id == Finding.plan_area_id)
        .order_by(Dialogue.starts_at, Dialogue.id, Finding.id),
        limit,
        offset,
    )
    return [dict(r._mapping) for r in db.session.execute(stmt)]


def actions(sel: Selection, limit=None, offset=None, today: date | None = None) -> list[dict]:
    today = today or today_local()
    overdue = sa.and_(Action.status.in_(OPEN), Action.due_date < today)
    stmt = _page(
        _base(
            sa.select(
                Action.id,
                Action.dialogue_id,
                Action.finding_id,
                Dialogue.year,
                Dialogue.care_home_id,
                CareHome.name.label("home"),
                Municipality.name.label("municipality"),
                Action.description,
                Action.responsible_party,
                Action.responsible_role,
                Action.due_date,
                Action.status,
                sa.case((overdue, True), else_=False).label("overdue"),
                Action.completed_at,
            )
            .select_from(Dialogue)
            .join(Action, Action.dialogue_id == Dialogue.id),
            sel,
        ).order_by(Dialogue.starts_at, Dialogue.id, Action.id),
        limit,
        offset,
    )
    rows = [dict(r._mapping) for r in db.session.execute(stmt)]
    for r in rows:
        r["overdue"] = bool(r["overdue"])
    return rows


ROW_SETS = {
    "dialogues": dialogues,
    "participants": participants,
    "findings": findings,
    "actions": actions,
}
