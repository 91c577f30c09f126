"""The outbox worker: delivers queued mail once, safe with several workers at once, and never
strands a message when a worker dies.

An edge of the application like a view: it commits its own small transactions. Delivery claims
a batch of due messages (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, then a conditional
UPDATE ... RETURNING so only one worker owns each row on every database) under a random claim
token, commits the claim and sends the batch over one SMTP connection. Right before each SMTP
exchange it commits `attempt_started_at` for that message (together with the outcome of the one
before), and only if the row still carries its token. Connection errors and 4xx replies put the
message back with exponential backoff; 5xx replies fail it with the server's answer.

When a worker dies, its claim goes stale: messages it never tried go back to the queue as they
were; the one whose SMTP exchange it was in the middle of - the outcome is unknown - is queued
again with the same bytes, so the same Message-ID, and marked `interrupted` ("resent after an
interruption") for the administrator to see.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_request_context

from ..extensions import db
from ..models.invitations import MessageKind, OutboxMessage, OutboxStatus
from ..timeutil import now_utc
from ..transaction import after_commit
from .outbox import INTERRUPTED_NOTE, MAX_ATTEMPTS, backoff, stale_claim
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


def recover_stale_claims(now: datetime | None = None) -> tuple[int, int]:
    """Claims of a worker that stopped: untried messages back to the queue; the one it was
    sending (outcome unknown) queued again, marked interrupted. Returns (requeued, interrupted)."""
    now = now or now_utc()
    stale = sa.and_(
        OutboxMessage.status == OutboxStatus.SENDING,
        OutboxMessage.claimed_at < now - stale_claim(),
    )
    untried = db.session.execute(
        sa.update(OutboxMessage)
        .where(stale, OutboxMessage.attempt_started_at.is_(None))
        .values(status=OutboxStatus.QUEUED, claimed_at=None, claim_token=None)
    )
    unknown = db.session.execute(
        sa.update(OutboxMessage)
        .where(stale, OutboxMessage.attempt_started_at.is_not(None))
        .values(
            status=OutboxStatus.QUEUED,
            claimed_at=None,
            claim_token=None,
            attempt_started_at=None,
            interrupted=True,
            attempts=OutboxMessage.attempts + 1,
            last_error=INTERRUPTED_NOTE,
            next_attempt_at=now,
        )
    )
    db.session.commit()
    requeued, interrupted = untried.rowcount or 0, unknown.rowcount or 0
    if requeued or interrupted:
        log.warning("event=outbox_stale_claims requeued=%d interrupted=%d", requeued, interrupted)
    return requeued, interrupted


def claim(now: datetime, limit: int | None = None) -> tuple[str, list[int]]:
    """Take up to limit due messages for this worker and commit the claim: (token, ids)."""
    candidates = (
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit or BATCH_SIZE)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(candidates))
    token = secrets.token_hex(16)
    if not ids:
        db.session.commit()
        return token, []
    claimed = list(
        db.session.scalars(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxStatus.QUEUED)
            .values(
                status=OutboxStatus.SENDING,
                claimed_at=now_utc(),
                claim_token=token,
                attempt_started_at=None,
            )
            .returning(OutboxMessage.id)
        )
    )
    db.session.commit()
    return token, sorted(claimed)


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


HEARTBEAT_SECONDS = 30.0


class _Claim:
    """One claimed batch: records each outcome together with the start of the next attempt,
    so there is one commit per message and a dead worker leaves an exact trace."""

    def __init__(self, token: str):
        self.token = token
        self.sent: list[tuple[int, str]] = []
        self.beat = time.monotonic()

    def _mine(self, message_id: int):
        return sa.and_(
            OutboxMessage.id == message_id,
            OutboxMessage.claim_token == self.token,
            OutboxMessage.status == OutboxStatus.SENDING,
        )

    def _write_sent(self, now: datetime) -> None:
        for message_id, path in self.sent:
            values = {
                "status": OutboxStatus.SENT,
                "sent_at": now,
                "last_error": "",
                "attempts": OutboxMessage.attempts + 1,
            }
            if path:
                values["eml_path"] = path
            db.session.execute(
                sa.update(OutboxMessage)
                .where(OutboxMessage.id == message_id, OutboxMessage.claim_token == self.token)
                .values(**values)
            )
        self.sent = []

    def start(self, message_id: int) -> bool:
        """Commit that an attempt begins (and what came before). False: no longer ours."""
        now = now_utc()
        self._write_sent(now)
        if time.monotonic() - self.beat > HEARTBEAT_SECONDS:
            # A long batch stays fresh, so no one takes back what this worker will still send.
            db.session.execute(
                sa.update(OutboxMessage)
                .where(
                    OutboxMessage.claim_token == self.token,
                    OutboxMessage.status == OutboxStatus.SENDING,
                )
                .values(claimed_at=now)
            )
            self.beat = time.monotonic()
        started = db.session.execute(
            sa.update(OutboxMessage)
            .where(self._mine(message_id))
            .values(attempt_started_at=now, claimed_at=now)
        )
        db.session.commit()
        return bool(started.rowcount)

    def finish(self) -> None:
        if self.sent:
            self._write_sent(now_utc())
            db.session.commit()


def _set_retry(message_id: int, attempts: int, error: str, now: datetime, token: str) -> bool:
    """Back to the queue with backoff; fail for good after MAX_ATTEMPTS. True when retried."""
    attempts += 1
    give_up = attempts >= MAX_ATTEMPTS
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claim_token == token)
        .values(
            status=OutboxStatus.FAILED if give_up else OutboxStatus.QUEUED,
            attempts=attempts,
            last_error=error[:1000],
            next_attempt_at=now + backoff(attempts),
            claimed_at=None,
            claim_token=None,
            attempt_started_at=None,
        )
    )
    return not give_up


def deliver_batch(ids: list[int], transport, now: datetime, token: str) -> DeliveryResult:
    result = DeliveryResult()
    batch = _Claim(token)
    rows = _load(ids)
    index = 0
    try:
        while index < len(rows):
            row = rows[index]
            index += 1
            if not batch.start(row.id):
                continue  # taken back by another worker: not ours to send any more
            try:
                path = transport.send(_RowView(row))
            except ConnectionFailure as error:
                batch.finish()
                # The server is away: this and every message not yet tried go back to the queue.
                for rest in rows[index - 1 :]:
                    retried = _set_retry(rest.id, rest.attempts, str(error), now, token)
                    result.retried += retried
                    result.failed += not retried
                db.session.commit()
                result.errors.append(str(error))
                return result
            except TemporaryFailure as error:
                batch.finish()
                retried = _set_retry(row.id, row.attempts, str(error), now, token)
                db.session.commit()
                result.retried += retried
                result.failed += not retried
                result.errors.append(str(error))
            except PermanentFailure as error:
                batch.finish()
                db.session.execute(
                    sa.update(OutboxMessage)
                    .where(OutboxMessage.id == row.id)
                    .values(
                        status=OutboxStatus.FAILED,
                        attempts=row.attempts + 1,
                        last_error=str(error)[:1000],
                        claimed_at=None,
                        claim_token=None,
                    )
                )
                db.session.commit()
                result.failed += 1
                result.errors.append(str(error))
            else:
                batch.sent.append((row.id, path))
                result.sent += 1
    finally:
        batch.finish()
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
    recover_stale_claims(now)
    batches = 0
    try:
        while max_batches is None or batches < max_batches:
            token, ids = claim(now)
            if not ids:
                break
            batches += 1
            result = deliver_batch(ids, transport, now, token)
            total.add(result)
            if result.retried and result.errors and not result.sent:
                break  # the server is away; try again after the backoff
    finally:
        if own_transport:
            transport.close()
    return total


def deliver_inline_after_commit(count: int = 0, **_) -> None:
    """mail_queued receiver. Embedded default (no SMTP server), during a request: write what
    was queued as .eml files once the transaction commits. The worker and the CLI deliver in
    their own rounds."""
    config = current_app.config
    if (
        has_request_context()
        and not config.get("MAIL_SMTP_HOST")
        and config.get("OUTBOX_DELIVER_INLINE", True)
    ):
        after_commit(_deliver_inline)


def _deliver_inline() -> None:
    deliver_due(max_batches=5)


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
