"""Models of the invitations feature: the outbox, used answer links, reminders, calendar feeds.

Owned by dialog/invitations. Every outgoing e-mail is an OutboxMessage written in the same
transaction as the change that caused it; a sender delivers it later, exactly once.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..privacy.columns import exempt
from ..timeutil import now_utc
from .base import LabelledEnum, UTCDateTime, enum_column


class OutboxStatus(LabelledEnum):
    QUEUED = ("koad", "I kö")
    SENDING = ("skickas", "Skickas")
    SENT = ("skickad", "Skickad")
    FAILED = ("misslyckad", "Misslyckad")


class MessageKind(LabelledEnum):
    INVITATION = ("inbjudan", "Inbjudan")
    UPDATE = ("uppdatering", "Uppdatering")
    CANCEL = ("installelse", "Inställelse")
    REMINDER = ("paminnelse", "Påminnelse")
    SUMMARY = ("sammanfattning", "Sammanfattning")


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (sa.Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MessageKind] = mapped_column(enum_column(MessageKind))
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus), default=OutboxStatus.QUEUED
    )
    dialogue_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("dialogue.id", ondelete="SET NULL"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participant.id", ondelete="SET NULL"), index=True
    )
    # The calendar SEQUENCE the message carries (None for mails without a calendar).
    sequence: Mapped[int | None] = mapped_column()
    recipient: Mapped[str] = mapped_column(
        sa.String(254), info=exempt("a participant's e-mail address")
    )
    subject: Mapped[str] = mapped_column(
        sa.String(300),
        info=exempt("built by the code from guarded values; re-checked by privacy-scan"),
    )
    # The Message-ID header: a message with one id is delivered once.
    message_id: Mapped[str] = mapped_column(
        sa.String(200), unique=True, info=exempt("generated Message-ID")
    )
    # The complete RFC 5322 message, built when it was queued.
    raw: Mapped[bytes] = mapped_column(
        sa.LargeBinary,
        info=exempt("the message built from guarded values; re-checked by flask privacy-scan"),
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(
        sa.String(1000), default="", info=exempt("the mail transport's error text")
    )
    eml_path: Mapped[str] = mapped_column(
        sa.String(500), default="", info=exempt("a generated file path")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    dialogue = relationship("Dialogue")
    participant = relationship("Participant")


class UsedAnswerToken(db.Model):
    """An answer link that has been used; the unique nonce makes each link single-use."""

    __tablename__ = "used_answer_token"

    nonce: Mapped[str] = mapped_column(
        sa.String(64), primary_key=True, info=exempt("random nonce of an answer link")
    )
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participant.id", ondelete="SET NULL"), index=True
    )
    used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class ReminderLog(db.Model):
    """One row per dialogue and reminder round, so a reminder goes out once."""

    __tablename__ = "reminder_log"
    __table_args__ = (sa.UniqueConstraint("dialogue_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(sa.ForeignKey("dialogue.id", ondelete="CASCADE"))
    # The dialogue's start time when reminded: a rebooked dialogue gets a new round.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    reminded: Mapped[int] = mapped_column(default=0)


class CalendarFeedToken(db.Model):
    """A personal, revocable calendar feed. Only a hash of the secret is stored."""

    __tablename__ = "calendar_feed_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(
        sa.String(64), unique=True, info=exempt("hash of a feed token")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")
