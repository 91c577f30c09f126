"""What a dialogue found and what the parties agreed to do about it. No patient data, by rule."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..privacy import guarded
from ..timeutil import now_utc
from .base import LabelledEnum, UTCDateTime, enum_column
from .registers import ContactRole


class FindingKind(LabelledEnum):
    DEFICIENCY = ("brist", "Brist")
    RISK = ("risk", "Risk")
    SUCCESS_FACTOR = ("framgangsfaktor", "Framgångsfaktor")


class Party(LabelledEnum):
    """Whom a finding concerns, or who is responsible for an action."""

    CARE_HOME = ("sabo", "SÄBO")
    HEALTH_CENTRE = ("vardcentral", "Vårdcentral")
    JOINT = ("gemensamt", "Gemensamt")
    REGION = ("regionen", "Regionen")


class ActionStatus(LabelledEnum):
    NOT_STARTED = ("ej_paborjad", "Ej påbörjad")
    IN_PROGRESS = ("pagar", "Pågår")
    DONE = ("klar", "Klar")
    CANCELLED = ("avbruten", "Avbruten")

    @property
    def is_open(self) -> bool:
        return self in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


class PlanAreaKind(LabelledEnum):
    FOUNDATION = ("grundforutsattning", "Grundförutsättning")
    FOCUS = ("fokusomrade", "Fokusområde")


class Area(db.Model):
    """An area of care (läkemedel, fall, …). region_id None = the shared default catalogue."""

    __tablename__ = "area"
    __table_args__ = (sa.UniqueConstraint("region_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120), info=guarded("text", "Namn"))
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return self.name


class PlanArea(db.Model):
    """An area of the national action plan for patient safety (foundation or focus area)."""

    __tablename__ = "plan_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), unique=True, info=guarded("text", "Namn"))
    kind: Mapped[PlanAreaKind] = mapped_column(enum_column(PlanAreaKind))
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return self.name


class Finding(db.Model):
    __tablename__ = "finding"
    __table_args__ = (
        # The escalated findings (a few per cent) newest first, without scanning every finding:
        # the dashboards' escalation list and its count read only this index (the dialogue
        # too, for the scope, without a visit to the table).
        sa.Index(
            "ix_finding_escalated",
            "escalated_at",
            "id",
            "dialogue_id",
            sqlite_where=sa.text("escalate IS 1"),
            postgresql_where=sa.text("escalate IS true"),
        ),
        # And per dialogue, for a region's or a municipality's held dialogues: PostgreSQL
        # otherwise reads every finding of those dialogues to find the escalated few.
        sa.Index(
            "ix_finding_escalated_dialogue",
            "dialogue_id",
            sqlite_where=sa.text("escalate IS 1"),
            postgresql_where=sa.text("escalate IS true"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(
        sa.ForeignKey("dialogue.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[FindingKind] = mapped_column(enum_column(FindingKind), index=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id"), index=True)
    plan_area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plan_area.id"), index=True)
    description: Mapped[str] = mapped_column(sa.Text, info=guarded("text", "Beskrivning"))
    concerns: Mapped[Party] = mapped_column(enum_column(Party), default=Party.JOINT)
    spread_as_lesson: Mapped[bool] = mapped_column(default=False)
    escalate: Mapped[bool] = mapped_column(default=False)
    # When the finding was raised to MAS/MAR and the region (None while it is not).
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    dialogue = relationship("Dialogue")
    area: Mapped[Area] = relationship()
    plan_area: Mapped[PlanArea | None] = relationship()
    actions: Mapped[list[Action]] = relationship(back_populates="finding")


class Action(db.Model):
    __tablename__ = "action"
    __table_args__ = (
        # Open actions by due date (the overdue lists and reminders) without reading the closed
        # ones. No index on the due date alone: for "overdue, newest dialogues first" PostgreSQL
        # then walked every action in date order hoping to stop early (measured: 140 ms).
        sa.Index("ix_action_status_due_date", "status", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(
        sa.ForeignKey("dialogue.id", ondelete="CASCADE"), index=True
    )
    finding_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("finding.id", ondelete="SET NULL"), index=True
    )
    # The area an action belongs to when it is linked to the dialogue rather than to a finding
    # (the documentation template's actions table has an area column).
    area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id"), index=True)
    description: Mapped[str] = mapped_column(sa.Text, info=guarded("text", "Beskrivning"))
    responsible_party: Mapped[Party] = mapped_column(enum_column(Party))
    responsible_role: Mapped[ContactRole | None] = mapped_column(enum_column(ContactRole))
    due_date: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[ActionStatus] = mapped_column(
        enum_column(ActionStatus), default=ActionStatus.NOT_STARTED
    )
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The day the owner says it was done (status klar), and why it was stopped (avbruten).
    done_on: Mapped[date | None] = mapped_column(sa.Date)
    cancel_reason: Mapped[str] = mapped_column(
        sa.Text, default="", info=guarded("text", "Anledning")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    dialogue = relationship("Dialogue")
    area: Mapped[Area | None] = relationship()
    finding: Mapped[Finding | None] = relationship(back_populates="actions")
    notes: Mapped[list[ActionNote]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionNote.note_date"
    )


class ActionNote(db.Model):
    """A dated progress note on an action."""

    __tablename__ = "action_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        sa.ForeignKey("action.id", ondelete="CASCADE"), index=True
    )
    note_date: Mapped[date] = mapped_column(sa.Date)
    text: Mapped[str] = mapped_column(sa.Text, info=guarded("text", "Anteckning"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    action: Mapped[Action] = relationship(back_populates="notes")


class ActionReview(db.Model):
    """A later dialogue's follow-up of an earlier dialogue's action (status and comment)."""

    __tablename__ = "action_review"
    __table_args__ = (sa.UniqueConstraint("action_id", "dialogue_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        sa.ForeignKey("action.id", ondelete="CASCADE"), index=True
    )
    dialogue_id: Mapped[int] = mapped_column(
        sa.ForeignKey("dialogue.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus))
    comment: Mapped[str] = mapped_column(sa.Text, default="", info=guarded("text", "Kommentar"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    action: Mapped[Action] = relationship()
    dialogue = relationship("Dialogue")


@sa.event.listens_for(Finding.escalate, "set")
def _escalated_when(target: Finding, value, oldvalue, initiator) -> None:
    """escalated_at follows the flag on every path (forms, import, demo data): set when the
    finding is first raised, kept while it stays raised, cleared when it is taken back."""
    if value:
        if target.escalated_at is None:
            target.escalated_at = now_utc()
    else:
        target.escalated_at = None


class EscalationLevel(LabelledEnum):
    """Who acknowledges an escalated finding: MAS/MAR of the municipality, or the region."""

    MUNICIPALITY = ("kommun", "MAS/MAR")
    REGION = ("region", "Regionen")

    @classmethod
    def for_scope(cls, scope) -> EscalationLevel:
        """Regional users and administrators acknowledge for the region, MAS/MAR for theirs."""
        return cls.REGION if scope.admin or scope.region_ids else cls.MUNICIPALITY


class EscalationAck(db.Model):
    """An escalated finding seen and acknowledged, once per level, with an optional comment."""

    __tablename__ = "escalation_ack"
    __table_args__ = (sa.UniqueConstraint("finding_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(
        sa.ForeignKey("finding.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[EscalationLevel] = mapped_column(enum_column(EscalationLevel))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    comment: Mapped[str] = mapped_column(sa.Text, default="", info=guarded("text", "Kommentar"))
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    finding: Mapped[Finding] = relationship()
    user = relationship("User")
