"""A dialogue held and documented, with findings and one action per responsible party."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import (
    Action,
    ActionStatus,
    Area,
    Attendance,
    Dialogue,
    DialogueStatus,
    Finding,
    FindingKind,
    Party,
)
from dialog.timeutil import now_utc

PAST_DAY = date(2026, 3, 10)  # a Tuesday before every test run


@dataclass
class Record:
    dialogue_id: int
    escalated_id: int
    plain_finding_id: int
    actions: dict[str, int]  # party value -> action id


def area(name: str = "Läkemedel") -> Area:
    return db.session.scalar(sa.select(Area).where(Area.name == name, Area.region_id.is_(None)))


def documented(app, book, *, home="a1", day=PAST_DAY, due=date(2026, 9, 30), lock=True) -> Record:
    """Book in the past, record attendance, two findings (one escalated) and four actions."""
    dialogue_id = book(home, day)
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        for p in dialogue.current_participants:
            p.attendance = Attendance.ATTENDED
        dialogue.status = DialogueStatus.DOCUMENTED if lock else DialogueStatus.HELD
        dialogue.held_at = now_utc()
        if lock:
            dialogue.documented_at = now_utc()
        escalated = Finding(
            dialogue=dialogue,
            kind=FindingKind.DEFICIENCY,
            area=area(),
            description="Ändrade ordinationer når inte kvällspersonalen i tid.",
            concerns=Party.JOINT,
            escalate=True,
        )
        plain = Finding(
            dialogue=dialogue,
            kind=FindingKind.SUCCESS_FACTOR,
            area=area("Palliativ vård"),
            description="Brytpunktssamtal planeras gemensamt.",
            concerns=Party.JOINT,
        )
        db.session.add_all([escalated, plain])
        actions = {}
        for party in Party:
            action = Action(
                dialogue=dialogue,
                finding=escalated,
                description=f"Rutin för ändrade ordinationer ({party.label}).",
                responsible_party=party,
                due_date=due,
                status=ActionStatus.NOT_STARTED,
            )
            db.session.add(action)
            actions[party.value] = action
        db.session.commit()
        return Record(
            dialogue_id,
            escalated.id,
            plain.id,
            {k: a.id for k, a in actions.items()},
        )
