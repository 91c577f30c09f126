"""The outbox: messages are queued in the caller's transaction and delivered later, once.

Queueing (this module) is part of the change that caused the message: it commits or rolls back
with it. Delivery is the worker's job (worker.py, `flask outbox work`); queueing sends the
`mail_queued` signal, on which the embedded default writes .eml files right after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from .. import signals
from ..extensions import db
from ..models.invitations import MessageKind, OutboxMessage, OutboxStatus
from ..timeutil import now_utc
from .mail import BuiltMessage

MAX_ATTEMPTS = 20
DEFAULT_STALE_SECONDS = 15 * 60
INTERRUPTED_NOTE = (
    "Leveransen avbröts mitt i (arbetsprocessen stannade). Meddelandet skickas igen med samma "
    "Message-ID; mottagaren kan ha fått det två gånger."
)


def stale_claim() -> timedelta:
    """How long a claim may go without a sign of life before its worker counts as gone."""
    seconds = float(current_app.config.get("OUTBOX_STALE_SECONDS") or DEFAULT_STALE_SECONDS)
    return timedelta(seconds=seconds)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes, at most one hour between attempts."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


@dataclass
class Outgoing:
    """One message to queue, with what it belongs to (ids, so no ORM object per message)."""

    message: BuiltMessage
    kind: MessageKind
    dialogue_id: int | None = None
    participant_id: int | None = None
    sequence: int | None = None


def queue_many(items: list[Outgoing]) -> int:
    """Add messages to the outbox in the current transaction (the edge commits).

    One multi-row INSERT in the session's transaction: a county's invitations are queued in
    seconds, and they commit or roll back together with the change that caused them.
    """
    if not items:
        return 0
    now = now_utc()
    db.session.execute(
        sa.insert(OutboxMessage),
        [
            {
                "kind": item.kind,
                "status": OutboxStatus.QUEUED,
                "recipient": item.message.recipient,
                "subject": item.message.subject,
                "message_id": item.message.message_id,
                "raw": item.message.raw,
                "dialogue_id": item.dialogue_id,
                "participant_id": item.participant_id,
                "sequence": item.sequence,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
                "last_error": "",
                "eml_path": "",
            }
            for item in items
        ],
    )
    signals.mail_queued.send(len(items))
    return len(items)


def queue(
    msg: BuiltMessage,
    *,
    kind: MessageKind,
    dialogue_id: int | None = None,
    participant_id: int | None = None,
    sequence: int | None = None,
) -> int:
    return queue_many([Outgoing(msg, kind, dialogue_id, participant_id, sequence)])


def retry(message: OutboxMessage) -> None:
    """An administrator puts a failed (or waiting) message back in the queue, due now."""
    message.status = OutboxStatus.QUEUED
    message.next_attempt_at = now_utc()
    message.claimed_at = None
    message.claim_token = None
    message.attempt_started_at = None


def counts_by_status() -> dict[OutboxStatus, int]:
    rows = db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
    ).all()
    return {status: 0 for status in OutboxStatus} | {status: n for status, n in rows}


def interrupted_count() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.interrupted)
    )
