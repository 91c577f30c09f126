"""Models of the invitations feature: the outbox, the organiser mailbox's calendar replies,
the history of answers, proposed new times, reminders and calendar feeds.

Owned by dialog/invitations. Every outgoing e-mail is an OutboxMessage written in the same
transaction as the change that caused it; a sender delivers it later, exactly once. Every
calendar reply read from the organiser mailbox leaves one InboxMessage row (unique key), written
in the same transaction as the answer it carried, so no reply is applied twice.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..privacy import exempt, guarded
from ..timeutil import now_utc
from .base import LabelledEnum, UTCDateTime, enum_column
from .dialogues import ResponseStatus


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
    DECLINE_COUNTER = ("avbojt_forslag", "Avböjt tidsförslag")
    # The year between dialogues (issue 12): minutes, action reminders, the weekly digest.
    MINUTES = ("protokoll", "Protokoll")
    ACTION_REMINDER = ("atgardspaminnelse", "Påminnelse om åtgärd")
    DIGEST = ("veckosammanfattning", "Veckosammanfattning")


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
    # The claim of one worker round: a worker sends only rows that still carry its token.
    claim_token: Mapped[str | None] = mapped_column(
        sa.String(32), info=exempt("random token of the worker that claimed the message")
    )
    # Set (and committed) right before the SMTP exchange of an attempt begins: a claimed row
    # without it was never tried; with it, a dead worker leaves the outcome unknown.
    attempt_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The outcome of an attempt was unknown (the worker died during it): sent again with the
    # same Message-ID, and shown as "resent after an interruption".
    interrupted: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    dialogue = relationship("Dialogue")
    participant = relationship("Participant")


class AnswerSource(LabelledEnum):
    LINK = ("lank", "Personlig länk")
    CALENDAR = ("kalender", "Kalendersvar")
    APP = ("app", "Svar i appen")


class ResponseEvent(db.Model):
    """One answer a participant gave, through a link or their calendar: the history kept when
    someone changes their mind. The participant row holds the answer that counts."""

    __tablename__ = "response_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(
        sa.ForeignKey("dialogue.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    response: Mapped[ResponseStatus] = mapped_column(enum_column(ResponseStatus))
    source: Mapped[AnswerSource] = mapped_column(enum_column(AnswerSource))
    # The calendar SEQUENCE the answer refers to (None: a link, which answers the current one).
    sequence: Mapped[int | None] = mapped_column()
    # The answer was to an earlier time of the dialogue: kept, but it does not count.
    earlier_time: Mapped[bool] = mapped_column(default=False)
    comment: Mapped[str] = mapped_column(
        sa.String(500), default="", info=guarded("text", "Kommentar")
    )
    # The calendar's comment was refused by the patient-data guard and never stored.
    comment_dropped: Mapped[bool] = mapped_column(default=False)
    delegated_to: Mapped[str] = mapped_column(
        sa.String(254), default="", info=exempt("the delegate's e-mail address from DELEGATED-TO")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    participant = relationship("Participant")


class InboxOutcome(LabelledEnum):
    APPLIED = ("registrerat", "Svar registrerat")
    COUNTER = ("nytt_forslag", "Förslag på ny tid")
    REFRESH = ("ny_kallelse", "Bad om kallelsen igen")
    UNMATCHED = ("matchar_inget", "Matchar ingen dialog eller deltagare")
    CLOSED = ("stangd", "Dialogen är inställd eller genomförd")
    WRONG_SENDER = ("fel_avsandare", "Avsändaren är inte deltagaren")
    UNSUPPORTED = ("ej_hanterad", "Kalendermeddelande som inte hanteras")
    MALFORMED = ("kunde_inte_lasas", "Kunde inte läsas")


IGNORED_OUTCOMES = (
    InboxOutcome.UNMATCHED,
    InboxOutcome.CLOSED,
    InboxOutcome.WRONG_SENDER,
    InboxOutcome.UNSUPPORTED,
)


class InboxMessage(db.Model):
    """A calendar message read from the organiser mailbox, once. Nothing of its text is kept:
    only what it was matched to and what came of it."""

    __tablename__ = "inbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The Message-ID header, or a hash of the whole message when it has none: unique, so the
    # same message read twice, or by two readers at once, is applied once.
    key: Mapped[str] = mapped_column(
        sa.String(250), unique=True, info=exempt("the mail server's identifier of a message")
    )
    folder: Mapped[str] = mapped_column(
        sa.String(200), default="", info=exempt("a mailbox folder name from configuration")
    )
    imap_uid: Mapped[int | None] = mapped_column(sa.BigInteger)  # IMAP UIDs are 32-bit unsigned
    method: Mapped[str] = mapped_column(
        sa.String(20), default="", info=exempt("an iTIP method (REPLY, COUNTER, …)")
    )
    outcome: Mapped[InboxOutcome] = mapped_column(enum_column(InboxOutcome), index=True)
    dialogue_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("dialogue.id", ondelete="SET NULL"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participant.id", ondelete="SET NULL")
    )
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class InboxCursor(db.Model):
    """How far the reader has looked in a folder (IMAP UIDs only grow within a UIDVALIDITY),
    so mail that is not a calendar reply is looked at once, not on every round."""

    __tablename__ = "inbox_cursor"

    folder: Mapped[str] = mapped_column(
        sa.String(200), primary_key=True, info=exempt("a mailbox folder name from configuration")
    )
    uidvalidity: Mapped[int] = mapped_column(sa.BigInteger)
    last_uid: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class CounterStatus(LabelledEnum):
    OPEN = ("oppen", "Väntar på beslut")
    ACCEPTED = ("godtagen", "Godtagen: dialogen är ombokad")
    DECLINED = ("avbojd", "Avböjd")
    SUPERSEDED = ("inaktuell", "Inaktuell: tiden har ändrats")


class CounterProposal(db.Model):
    """A participant's calendar proposed another time (iTIP COUNTER); the organiser decides."""

    __tablename__ = "counter_proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(
        sa.ForeignKey("dialogue.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The SEQUENCE the proposal answered: a DECLINECOUNTER echoes it.
    sequence: Mapped[int] = mapped_column(default=0)
    comment: Mapped[str] = mapped_column(
        sa.String(500), default="", info=guarded("text", "Kommentar")
    )
    comment_dropped: Mapped[bool] = mapped_column(default=False)
    status: Mapped[CounterStatus] = mapped_column(
        enum_column(CounterStatus), default=CounterStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    participant = relationship("Participant")


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
