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


def _execute(stmt):
    """Plain column rows through the session's connection: no ORM loading per row."""
    return db.session.connection().execute(stmt)


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


def _dialogues_stmt(sel: Selection):
    return (
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
        .order_by(Dialogue.starts_at, Dialogue.id)
    )


def _full_representation(sel: Selection, dialogue_ids=None) -> dict[int, bool]:
    """{dialogue id: full representation?} for those of the ids (default: of the selection)
    that were held."""
    statuses = representation_by_dialogue(sel, dialogue_ids=dialogue_ids)
    return {i: all(s.complete for s in st.values()) for i, st in statuses.items()}


def dialogues(sel: Selection, limit=None, offset=None) -> list[dict]:
    rows = [dict(r._mapping) for r in _execute(_page(_dialogues_stmt(sel), limit, offset))]
    # A page asks for its own dialogues only; the whole selection for all its held ones.
    full = _full_representation(sel, [r["id"] for r in rows] if limit is not None else None)
    for r in rows:
        r["full_representation"] = full.get(r["id"])
    return rows


def _participants_stmt(sel: Selection):
    stand_in = aliased(Participant)
    return (
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
        .order_by(Dialogue.starts_at, Dialogue.id, Participant.side, Participant.id)
    )


def participants(sel: Selection, limit=None, offset=None) -> list[dict]:
    return [dict(r._mapping) for r in _execute(_page(_participants_stmt(sel), limit, offset))]


def _findings_stmt(sel: Selection, *conditions):
    return (
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
        .where(*conditions)
        .join(Area, Area.id == Finding.area_id)
        .outerjoin(PlanArea, PlanArea.id == Finding.plan_area_id)
        .order_by(Dialogue.starts_at, Dialogue.id, Finding.id)
    )


def findings(sel: Selection, limit=None, offset=None, *, escalated=False, lessons=False):
    """The findings of the selection; only those escalated or spread as lessons on request
    (the report lists the first few hundred of each)."""
    conditions = []
    if escalated:
        conditions.append(Finding.escalate.is_(True))
    if lessons:
        conditions.append(Finding.spread_as_lesson.is_(True))
    stmt = _page(_findings_stmt(sel, *conditions), limit, offset)
    return [dict(r._mapping) for r in _execute(stmt)]


def _actions_stmt(sel: Selection, today: date | None = None):
    today = today or today_local()
    overdue = sa.and_(Action.status.in_(OPEN), Action.due_date < today)
    return _base(
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
    ).order_by(Dialogue.starts_at, Dialogue.id, Action.id)


def actions(sel: Selection, limit=None, offset=None, today: date | None = None) -> list[dict]:
    rows = [dict(r._mapping) for r in _execute(_page(_actions_stmt(sel, today), limit, offset))]
    for r in rows:
        r["overdue"] = bool(r["overdue"])
    return rows


ROW_SETS = {
    "dialogues": dialogues,
    "participants": participants,
    "findings": findings,
    "actions": actions,
}


_STATEMENTS = {
    "dialogues": _dialogues_stmt,
    "participants": _participants_stmt,
    "findings": _findings_stmt,
    "actions": _actions_stmt,
}
STREAM_CHUNK = 2000


def stream(kind: str, sel: Selection, *, chunk: int = STREAM_CHUNK):
    """(keys, rows): the rows of ROW_SETS[kind] in the same order, as plain tuples in the order
    of `keys`, fetched `chunk` at a time (a server-side cursor on PostgreSQL) so memory stays
    flat however many rows the selection holds. For the exports. A dialogue's
    full_representation comes last, computed a chunk at a time; an action's overdue is 1/0."""
    result = (
        db.session.connection().execution_options(yield_per=chunk).execute(_STATEMENTS[kind](sel))
    )
    keys = list(result.keys())
    if kind != "dialogues":
        return keys, (tuple(r) for part in result.partitions() for r in part)

    def with_representation():
        for part in result.partitions():
            full = _full_representation(sel, [r[0] for r in part])
            for r in part:
                yield (*r, full.get(r[0]))

    return keys + ["full_representation"], with_representation()
