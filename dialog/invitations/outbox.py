"""The outbox: messages are queued in the caller's transaction and delivered later, once.

Delivery claims a batch of due messages (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, then a
conditional UPDATE ... RETURNING so only one worker owns each row on every database), commits the
claim, sends the batch over one SMTP connection and records the outcome. Connection errors and
4xx replies put the message back with exponential backoff; 5xx replies fail it with the server's
answer. A message claimed by a worker that died is never sent again automatically: it is marked
failed with a note, and an administrator decides (better a visible question than a duplicate).
"""

from __future__ import annotations

import smtplib
import ssl
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, g, has_request_context

from ..extensions import db
from ..models.base import now_utc
from ..models.invitations import MessageKind, OutboxMessage, OutboxStatus
from .mail import BuiltMessage

MAX_ATTEMPTS = 20
BATCH_SIZE = 200
COMMIT_EVERY = 100
COMMIT_SECONDS = 2.0
STALE_CLAIM = timedelta(minutes=15)
STALE_NOTE = (
    "Leveransen avbröts mitt i (arbetsprocessen stannade). Meddelandet kan ha kommit "
    "fram; kontrollera innan du försöker igen."
)


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
    """Add messages to the outbox in the current transaction (the caller commits).

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
    if has_request_context():
        g.outbox_queued = True
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


# --- transports -------------------------------------------------------------------------------


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


class ConnectionFailure(Exception):
    pass


class SmtpTransport:
    """One SMTP connection for a whole batch, opened lazily."""

    def __init__(self, config):
        self.host = config["MAIL_SMTP_HOST"]
        self.port = int(config["MAIL_SMTP_PORT"])
        self.security = (config.get("MAIL_SMTP_SECURITY") or "none").lower()
        self.user = config.get("MAIL_SMTP_USER")
        self.password = config.get("MAIL_SMTP_PASSWORD")
        self.sender = config["MAIL_SENDER"]
        self.timeout = float(config.get("MAIL_SMTP_TIMEOUT", 30)) or None
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        try:
            if self.security == "ssl":
                conn = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                if self.security == "starttls":
                    conn.starttls(context=ssl.create_default_context())
            if self.user:
                conn.login(self.user, self.password or "")
        except (OSError, smtplib.SMTPException) as error:
            raise ConnectionFailure(
                f"Kunde inte ansluta till e-postservern {self.host}:{self.port}: {error}"
            ) from None
        return conn

    def send(self, row: OutboxMessage) -> str:
        if self.connection is None:
            self.connection = self._connect()
        try:
            refused = self.connection.sendmail(self.sender, [row.recipient], row.raw)
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()))
            raise _classify(code, text) from None
        except smtplib.SMTPResponseException as error:
            # smtplib has reset the transaction; the connection stays usable (421 closes it,
            # and the next message then finds out).
            raise _classify(error.smtp_code, error.smtp_error) from None
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise ConnectionFailure(f"Förbindelsen med e-postservern bröts: {error}") from None
        if refused:
            code, text = next(iter(refused.values()))
            raise _classify(code, text)
        return ""

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self.connection = None


def _classify(code: int, text) -> Exception:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    message = f"Servern svarade {code} {text}".strip()
    if 500 <= code < 600:
        return PermanentFailure(message)
    return TemporaryFailure(message) if 400 <= code < 500 else ConnectionFailure(message)


class EmlTransport:
    """The embedded default: every message becomes a .eml file under MAIL_DIRECTORY."""

    def __init__(self, config):
        self.directory = Path(config["MAIL_DIRECTORY"])

    def send(self, row: OutboxMessage) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{row.id:07d}-{row.kind.value}.eml"
        path = self.directory / name
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(row.raw)
        temporary.replace(path)
        return name

    def close(self) -> None:
        pass


def transport_for(config):
    return SmtpTransport(config) if config.get("MAIL_SMTP_HOST") else EmlTransport(config)


# --- delivery ----------------------------------------------------------------------------------


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


def retry(message: OutboxMessage) -> None:
    """An administrator puts a failed (or waiting) message back in the queue, due now."""
    message.status = OutboxStatus.QUEUED
    message.next_attempt_at = now_utc()
    message.claimed_at = None


def counts_by_status() -> dict[OutboxStatus, int]:
    rows = db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
    ).all()
    return {status: 0 for status in OutboxStatus} | {status: n for status, n in rows}
