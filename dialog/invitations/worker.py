"""The outbox worker: delivers queued mail once, safe with several workers at once.

An edge of the application like a view: it commits its own small transactions. Delivery claims
a batch of due messages (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, then a conditional
UPDATE ... RETURNING so only one worker owns each row on every database), commits the claim,
sends the batch over one SMTP connection and records the outcome. Connection errors and 4xx
replies put the message back with exponential backoff; 5xx replies fail it with the server's
answer. A message claimed by a worker that died is never sent again automatically: it is marked
failed with a note, and an administrator decides (better a visible question than a duplicate).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models.invitations import MessageKind, OutboxMessage, OutboxStatus
from ..timeutil import now_utc
from .outbox import MAX_ATTEMPTS, STALE_CLAIM, STALE_NOTE, backoff
from .transports import ConnectionFailure, PermanentFailure, TemporaryFailure, transport_for

log = logging.getLogger(__name__)

BATCH_SIZE = 200
COMMIT_EVERY = 100
COMMIT_SECONDS = 2.0


@dataclass
class DeliveryResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: DeliveryResult) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.errors += other.errors


def fail_stale_claims(now: datetime | None = None) -> int:
    now = now or now_utc()
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_at < now - STALE_CLAIM,
        )
        .values(status=OutboxStatus.FAILED, last_error=STALE_NOTE)
    )
    db.session.commit()
    return result.rowcount or 0


def claim(now: datetime, limit: int | None = None) -> list[int]:
    """Take up to limit due messages for this worker and commit the claim."""
    candidates = (
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit or BATCH_SIZE)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(candidates))
    if not ids:
        db.session.commit()
        return []
    claimed = list(
        db.session.scalars(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxStatus.QUEUED)
            .values(status=OutboxStatus.SENDING, claimed_at=now)
            .returning(OutboxMessage.id)
        )
    )
    db.session.commit()
    return sorted(claimed)


def _load(ids: list[int]) -> list[tuple[int, str, bytes, MessageKind]]:
    rows = db.session.execute(
        sa.select(
            OutboxMessage.id,
            OutboxMessage.recipient,
            OutboxMessage.raw,
            OutboxMessage.kind,
            OutboxMessage.attempts,
        )
        .where(OutboxMessage.id.in_(ids))
        .order_by(OutboxMessage.id)
    ).all()
    db.session.commit()
    return rows


@dataclass
class _Pending:
    """Messages sent but not yet recorded: written every COMMIT_EVERY messages or seconds."""

    sent: list[tuple[int, str]] = field(default_factory=list)
    since: float = field(default_factory=time.monotonic)

    def due(self) -> bool:
        return len(self.sent) >= COMMIT_EVERY or time.monotonic() - self.since > COMMIT_SECONDS

    def flush(self, now: datetime) -> None:
        self.since = time.monotonic()
        if not self.sent:
            return
        plain = [i for i, path in self.sent if not path]
        if plain:
            db.session.execute(
                sa.update(OutboxMessage)
                .where(OutboxMessage.id.in_(plain))
                .values(
                    status=OutboxStatus.SENT,
                    sent_at=now,
                    last_error="",
                    attempts=OutboxMessage.attempts + 1,
                )
            )
        for message_id, path in self.sent:
            if path:
                db.session.execute(
                    sa.update(OutboxMessage)
                    .where(OutboxMessage.id == message_id)
                    .values(
                        status=OutboxStatus.SENT,
                        sent_at=now,
                        last_error="",
                        eml_path=path,
                        attempts=OutboxMessage.attempts + 1,
                    )
                )
        db.session.commit()
        self.sent = []


def _set_retry(message_id: int, attempts: int, error: str, now: datetime) -> bool:
    """Back to the queue with backoff; fail for good after MAX_ATTEMPTS. True when retried."""
    attempts += 1
    give_up = attempts >= MAX_ATTEMPTS
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(
            status=OutboxStatus.FAILED if give_up else OutboxStatus.QUEUED,
            attempts=attempts,
            last_error=error[:1000],
            next_attempt_at=now + backoff(attempts),
            claimed_at=None,
        )
    )
    return not give_up


def deliver_batch(ids: list[int], transport, now: datetime) -> DeliveryResult:
    result = DeliveryResult()
    pending = _Pending()
    rows = _load(ids)
    index = 0
    try:
        while index < len(rows):
            row = rows[index]
            try:
                path = transport.send(_RowView(row))
            except ConnectionFailure as error:
                pending.flush(now)
                # The server is away: this and every message not yet tried go back to the queue.
                for rest in rows[index:]:
                    retried = _set_retry(rest.id, rest.attempts, str(error), now)
                    result.retried += retried
                    result.failed += not retried
                db.session.commit()
                result.errors.append(str(error))
                return result
            except TemporaryFailure as error:
                pending.flush(now)
                retried = _set_retry(row.id, row.attempts, str(error), now)
                db.session.commit()
                result.retried += retried
                result.failed += not retried
                result.errors.append(str(error))
            except PermanentFailure as error:
                pending.flush(now)
                db.session.execute(
                    sa.update(OutboxMessage)
                    .where(OutboxMessage.id == row.id)
                    .values(
                        status=OutboxStatus.FAILED,
                        attempts=row.attempts + 1,
                        last_error=str(error)[:1000],
                        claimed_at=None,
                    )
                )
                db.session.commit()
                result.failed += 1
                result.errors.append(str(error))
            else:
                pending.sent.append((row.id, path))
                result.sent += 1
                if pending.due():
                    pending.flush(now)
            index += 1
    finally:
        pending.flush(now)
    return result


class _RowView:
    """What a transport needs of a row, without an ORM object per message."""

    __slots__ = ("id", "recipient", "raw", "kind")

    def __init__(self, row):
        self.id, self.recipient, self.raw, self.kind = row.id, row.recipient, row.raw, row.kind


def deliver_due(
    *, now: datetime | None = None, transport=None, max_batches: int | None = None
) -> DeliveryResult:
    """Deliver every due message once ('flask outbox send'). Safe with several workers."""
    now = now or now_utc()
    own_transport = transport is None
    transport = transport or transport_for(current_app.config)
    total = DeliveryResult()
    fail_stale_claims(now)
    batches = 0
    try:
        while max_batches is None or batches < max_batches:
            ids = claim(now)
            if not ids:
                break
            batches += 1
            result = deliver_batch(ids, transport, now)
            total.add(result)
            if result.retried and result.errors and not result.sent:
                break  # the server is away; try again after the backoff
    finally:
        if own_transport:
            transport.close()
    return total


def run(*, interval: float, reminder_interval: float, once: bool, stopping) -> None:
    """The worker loop: deliver what is due and send reminders until `stopping` is set.

    Each round commits its own work; a failing round (database or mail server away) is logged
    and the next round tries again.
    """
    from .action_reminders import send_action_reminders
    from .digests import send_digests
    from .reminders import send_reminders

    last_reminders = 0.0
    log.info("event=worker_started interval=%s", interval)
    while not stopping:
        if time.monotonic() - last_reminders >= reminder_interval:
            # Each kind commits on its own: one failing does not hold back the others.
            for name, job in (
                ("reminders", send_reminders),
                ("action_reminders", send_action_reminders),
                ("digests", send_digests),
            ):
                try:
                    queued = job()
                    db.session.commit()
                    if queued:
                        log.info("event=%s_queued count=%d", name, queued)
                except Exception:
                    db.session.rollback()
                    log.exception("event=%s_failed", name)
            last_reminders = time.monotonic()
        try:
            result = deliver_due()
            if result.sent or result.retried or result.failed:
                log.info(
                    "event=outbox_delivered sent=%d retried=%d failed=%d",
                    result.sent,
                    result.retried,
                    result.failed,
                )
        except Exception:
            db.session.rollback()
            log.exception("event=outbox_failed")
        db.session.remove()
        if once:
            break
        slept = 0.0
        while slept < interval and not stopping:
            time.sleep(min(0.5, interval - slept))
            slept += 0.5
    log.info("event=worker_stopped")
