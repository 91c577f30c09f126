"""Topics an invited participant sends in before the meeting. Owned by dialog/topics."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..privacy import guarded
from ..timeutil import now_utc
from .base import UTCDateTime


class Topic(db.Model):
    """A structural topic for the agenda, sent in through a participant's personal link.

    area_id None = no particular area ("Övrigt"). The text passed the patient-data guard.
    """

    __tablename__ = "dialogue_topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(
        sa.ForeignKey("dialogue.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participant.id", ondelete="SET NULL"), index=True
    )
    area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id"), index=True)
    text: Mapped[str] = mapped_column(sa.Text, info=guarded("text", "Ämne"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    dialogue = relationship("Dialogue")
    participant = relationship("Participant")
    area = relationship("Area")
