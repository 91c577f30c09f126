"""What other pages show of the findings feature: actions waiting for their owners, the counts
behind a dialogue's next step, and the escalations that wait for MAS/MAR and the region."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    Action,
    ActionStatus,
    CareHome,
    Dialogue,
    DialogueStatus,
    Municipality,
    Party,
)
from ..timeutil import today_local
from . import action_followup
from .escalations import count_open as count_open_escalations  # noqa: F401 (the face)
from .escalations import escalations as escalation_items

OPEN = [ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS]
AFTER_MEETING = [DialogueStatus.HELD, DialogueStatus.DOCUMENTED]


@dataclass
class ActionCounts:
    total: int
    open: int
    overdue: int


def action_counts(dialogue: Dialogue) -> ActionCounts:
    today = today_local()
    rows = db.session.execute(
        sa.select(Action.status, Action.due_date).where(Action.dialogue_id == dialogue.id)
    ).all()
    return ActionCounts(
        total=len(rows),
        open=sum(1 for s, _ in rows if s in OPEN),
        overdue=sum(1 for s, d in rows if s in OPEN and d is not None and d < today),
    )


def _owned_clause(scope):
    """Actions this user's side owns: the unit manager's homes (SÄBO and joint), the health
    centre's homes (the centre's and joint)."""
    clauses = []
    if scope.care_home_ids:
        clauses.append(
            sa.and_(
                Dialogue.care_home_id.in_(scope.care_home_ids),
                Action.responsible_party.in_(action_followup.HOME_PARTIES),
            )
        )
    if scope.health_centre_ids:
        # The served homes as ids: an OR over a subquery made PostgreSQL read every open
        # action in the country (15 ms); with a list both sides are index lookups.
        clauses.append(
            sa.and_(
                sa.or_(
                    Dialogue.health_centre_id.in_(scope.health_centre_ids),
                    Dialogue.care_home_id.in_(scope.served_home_ids),
                ),
                Action.responsible_party.in_(action_followup.CENTRE_PARTIES),
            )
        )
    if scope.region_ids:
        in_regions = (
            sa.select(CareHome.id)
            .join(Municipality, CareHome.municipality_id == Municipality.id)
            .where(Municipality.region_id.in_(scope.region_ids))
        )
        clauses.append(
            sa.and_(Dialogue.care_home_id.in_(in_regions), Action.responsible_party == Party.REGION)
        )
    return sa.or_(*clauses) if clauses else sa.false()


def actions_to_follow_up(scope, limit: int = 20) -> list[Action]:
    """Open actions this user's side owns, overdue and soonest due first."""
    return list(
        db.session.scalars(
            sa.select(Action)
            .join(Dialogue, Action.dialogue_id == Dialogue.id)
            .where(
                Action.status.in_(OPEN),
                Dialogue.status.in_(AFTER_MEETING),
                _owned_clause(scope),
            )
            .options(joinedload(Action.dialogue).joinedload(Dialogue.care_home))
            .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
            .limit(limit)
        ).unique()
    )


def overdue_in_scope(scope) -> int:
    """Open actions past their date in every dialogue this user may see."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Action)
            .join(Dialogue, Action.dialogue_id == Dialogue.id)
            .where(
                scope.dialogue_clause(),
                Dialogue.status.in_(AFTER_MEETING),
                Action.status.in_(OPEN),
                Action.due_date < today_local(),
            )
        )
        or 0
    )


def open_escalations(scope, limit: int = 10):
    return escalation_items(scope, open_only=True, limit=limit)
