"""Findings raised to MAS/MAR and the region ("Lyft till MAS/MAR och region").

They reach the people who follow up: MAS/MAR of the home's municipality and the region's users
see them on their start page and dashboard, get them in the weekly digest, and acknowledge each
one (with a comment if they like). MAS/MAR and the region acknowledge separately: each level
answers for itself. Every acknowledgement is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import audit
from ..extensions import db
from ..models import (
    CareHome,
    Dialogue,
    DialogueStatus,
    EscalationAck,
    EscalationLevel,
    Finding,
)
from .lifecycle import COMMENT_MAX, Checker, FindingsError

AFTER_MEETING = [DialogueStatus.HELD, DialogueStatus.DOCUMENTED]


def follows_up(scope) -> bool:
    """MAS/MAR, regional users and administrators: the ones escalations are raised to."""
    return bool(scope.admin or scope.municipality_ids or scope.region_ids)


def can_acknowledge(scope, finding: Finding) -> bool:
    home = finding.dialogue.care_home
    return finding.escalate and (
        scope.admin
        or home.municipality_id in scope.municipality_ids
        or home.municipality.region_id in scope.region_ids
    )


def _in_scope(scope):
    """Dialogues held in the municipalities and regions this user follows up."""
    return sa.select(Dialogue.id).where(
        Dialogue.status.in_(AFTER_MEETING),
        Dialogue.care_home_id.in_(sa.select(CareHome.id).where(scope.managed_home_clause())),
    )


def _query(scope, *, open_only: bool):
    if scope.admin or scope.region_ids:
        # Nationally or for a region the escalated findings (a partial index that carries their
        # dialogue) are far fewer than the dialogues held; asked as an IN list SQLite walks
        # every held dialogue's findings instead (measured on the national data: admin 20 ms
        # against 110 ms, a region 3 ms against 5 ms). A municipality's IN list is shorter.
        held = sa.select(Dialogue.id).where(
            Dialogue.id == Finding.dialogue_id, Dialogue.status.in_(AFTER_MEETING)
        )
        if not scope.admin:
            held = held.where(
                Dialogue.care_home_id.in_(sa.select(CareHome.id).where(scope.managed_home_clause()))
            )
        in_scope = held.exists()
    else:
        in_scope = Finding.dialogue_id.in_(_in_scope(scope))
    query = sa.select(Finding).where(Finding.escalate.is_(True), in_scope)
    if open_only:
        acknowledged = sa.select(EscalationAck.finding_id).where(
            EscalationAck.level == EscalationLevel.for_scope(scope)
        )
        query = query.where(Finding.id.not_in(acknowledged))
    return query


def count_open(scope) -> int:
    """Escalated findings in scope this user's level has not acknowledged yet."""
    if not follows_up(scope):
        return 0
    return (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(_query(scope, open_only=True).subquery())
        )
        or 0
    )


@dataclass
class Escalation:
    finding: Finding
    acks: dict[EscalationLevel, EscalationAck]
    mine: EscalationAck | None


def escalations(scope, *, open_only: bool = True, limit: int | None = None) -> list[Escalation]:
    """Escalated findings in scope, newest first, with their acknowledgements."""
    if not follows_up(scope):
        return []
    newest_first = (Finding.escalated_at.desc().nulls_last(), Finding.id.desc())
    query = _query(scope, open_only=open_only)
    if limit:
        # The page's few ids first, then their rows: joined for every escalated finding in
        # scope before the sort, the national list took 13 ms on PostgreSQL (measured).
        ids = db.session.scalars(
            query.with_only_columns(Finding.id).order_by(*newest_first).limit(limit)
        ).all()
        query = sa.select(Finding).where(Finding.id.in_(ids))
    query = query.options(
        joinedload(Finding.dialogue).joinedload(Dialogue.care_home),
        joinedload(Finding.area),
    ).order_by(*newest_first)
    findings = list(db.session.scalars(query).unique())
    acks: dict[int, dict] = {}
    if findings:
        for ack in db.session.scalars(
            sa.select(EscalationAck)
            .where(EscalationAck.finding_id.in_([f.id for f in findings]))
            .options(joinedload(EscalationAck.user))
        ):
            acks.setdefault(ack.finding_id, {})[ack.level] = ack
    level = EscalationLevel.for_scope(scope)
    return [Escalation(f, acks.get(f.id, {}), acks.get(f.id, {}).get(level)) for f in findings]


def escalation(scope, finding: Finding) -> Escalation:
    acks = {
        a.level: a
        for a in db.session.scalars(
            sa.select(EscalationAck).where(EscalationAck.finding_id == finding.id)
        )
    }
    return Escalation(finding, acks, acks.get(EscalationLevel.for_scope(scope)))


def acknowledge(finding: Finding, comment: str, *, scope, actor) -> EscalationAck:
    """Acknowledge for the user's level; a second acknowledgement of one level is refused."""
    if not can_acknowledge(scope, finding):
        raise FindingsError("Bara MAS/MAR i kommunen eller regionen kan kvittera.")
    checker = Checker()
    comment = checker.text("comment", "Kommentar", comment, max_len=COMMENT_MAX, required=False)
    checker.raise_if_any()
    level = EscalationLevel.for_scope(scope)
    exists = db.session.scalar(
        sa.select(EscalationAck.id).where(
            EscalationAck.finding_id == finding.id, EscalationAck.level == level
        )
    )
    already = FindingsError(f"Iakttagelsen är redan kvitterad av {level.label}.")
    if exists is not None:
        raise already
    ack = EscalationAck(
        finding_id=finding.id, level=level, user_id=getattr(actor, "id", None), comment=comment
    )
    try:
        with db.session.begin_nested():  # two people acknowledging at once: one wins
            db.session.add(ack)
            db.session.flush()
    except IntegrityError:
        raise already from None
    audit.record(
        "kvitterade lyft iakttagelse",
        finding,
        where=finding.dialogue,
        actor=actor,
        summary=f"{level.label}: {finding.area.name}",
        changes={"kvitterad_av": [None, level.label], "kommentar": [None, comment or None]},
    )
    return ack
