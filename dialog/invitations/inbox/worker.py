"""The mailbox reader: an edge that commits its own transactions, one message at a time.

A round opens the organiser mailbox, lists the messages that arrived since the last round (a
cursor per folder and UIDVALIDITY), applies each calendar message in its own transaction and,
once that is committed, moves it to the done folder. Mail that is not a calendar message is left
where it is, unread, for the people who read the mailbox. A message that cannot be read is
recorded as such (and moved); nothing one message holds can stop the loop.
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models.invitations import InboxCursor, InboxMessage, InboxOutcome
from .itip import MalformedMessage, calendar_mail, read_calendar
from .mailbox import Mailbox, MailboxUnavailable
from .replies import apply, claim_key

log = logging.getLogger(__name__)


@dataclass
class ReadResult:
    seen: int = 0
    outcomes: Counter = field(default_factory=Counter)
    duplicates: int = 0
    not_calendar: int = 0

    @property
    def handled(self) -> int:
        return sum(self.outcomes.values())

    def summary(self) -> str:
        parts = [
            f"{n} {outcome.label.lower()}"
            for outcome, n in sorted(self.outcomes.items(), key=lambda kv: kv[0].value)
        ]
        text = f"Läste {self.seen} nya meddelanden: " + (", ".join(parts) or "inga kalendersvar")
        if self.duplicates:
            text += f"; {self.duplicates} redan behandlade"
        if self.not_calendar:
            text += f"; {self.not_calendar} andra brev lämnades kvar"
        return text + "."


def _cursor(folder: str, uidvalidity: int) -> int:
    """The last UID looked at in this folder (0 after a UIDVALIDITY change)."""
    cursor = db.session.get(InboxCursor, folder)
    if cursor is None:
        try:
            with db.session.begin_nested():
                db.session.add(InboxCursor(folder=folder, uidvalidity=uidvalidity, last_uid=0))
        except IntegrityError:
            pass  # another reader made it
        db.session.commit()
        return 0
    if cursor.uidvalidity != uidvalidity:
        cursor.uidvalidity, cursor.last_uid = uidvalidity, 0
    last = cursor.last_uid
    db.session.commit()
    return last


def _advance(folder: str, uid: int) -> None:
    db.session.execute(
        sa.update(InboxCursor)
        .where(InboxCursor.folder == folder, InboxCursor.last_uid < uid)
        .values(last_uid=uid)
    )


COMMIT_EVERY = 25


def _handle(raw: bytes, folder: str, uid: int | None) -> tuple[str, object]:
    """One message inside the caller's transaction (a savepoint of its own)."""
    mail = calendar_mail(raw)
    if mail is None:
        return ("other", None)
    key = mail.key
    row = claim_key(key, folder=folder, imap_uid=uid)
    if row is None:
        taken = db.session.scalar(
            sa.select(InboxMessage.id).where(
                InboxMessage.key == key[:250],
                InboxMessage.folder == folder[:200],
                InboxMessage.imap_uid == uid,
            )
        )
        # The same mail twice in the mailbox is moved away; the same message handled by
        # another reader right now is that reader's to move.
        return ("concurrent" if taken is not None else "duplicate", None)
    try:
        with db.session.begin_nested():
            applied = apply(read_calendar(mail), row)
    except MalformedMessage:
        row.outcome = InboxOutcome.MALFORMED
        db.session.flush()
        log.warning("event=inbox_malformed inbox_id=%d", row.id)
        return ("malformed", row.id)
    except Exception:
        # Our own failure on a readable message: recorded as unreadable (never its text), the
        # loop goes on. If the database itself is away, the commit fails and the round ends.
        log.exception("event=inbox_apply_failed inbox_id=%d", row.id)
        row.outcome = InboxOutcome.MALFORMED
        db.session.flush()
        return ("malformed", row.id)
    return ("applied", applied.outcome)


def read_once(config=None) -> ReadResult:
    """Read what is waiting in the organiser mailbox, once. Raises MailboxUnavailable.

    Messages are applied in transactions of up to COMMIT_EVERY (each in a savepoint of its
    own) and moved only after their transaction has committed; the cursor moves at the end of
    the round. A reader that dies midway leaves its uncommitted messages in the mailbox and the
    cursor where it was: the next round reads them again, and what was applied is a duplicate.
    """
    config = config or current_app.config
    result = ReadResult()
    with Mailbox(config) as mailbox:
        folder = mailbox.folder
        last = _cursor(folder, mailbox.select())
        uids = mailbox.new_uids(last)
        result.seen = len(uids)
        chunks = [uids[i : i + COMMIT_EVERY] for i in range(0, len(uids), COMMIT_EVERY)]
        # Readers running at once start at different places and so share the work; where they
        # meet, the message keys are taken already and are skipped at little cost.
        first = random.randrange(len(chunks)) if len(chunks) > 1 else 0
        for chunk in chunks[first:] + chunks[:first]:
            fetched = mailbox.fetch(chunk)
            done = []
            for uid in chunk:
                raw = fetched.get(uid)
                if raw is None:
                    continue  # moved away by another reader meanwhile
                kind, detail = _handle(raw, folder, uid)
                if kind == "applied":
                    result.outcomes[detail] += 1
                elif kind == "malformed":
                    result.outcomes[InboxOutcome.MALFORMED] += 1
                elif kind in {"duplicate", "concurrent"}:
                    result.duplicates += 1
                else:
                    result.not_calendar += 1
                if kind in {"applied", "malformed", "duplicate"}:
                    done.append(uid)
            db.session.commit()
            try:
                mailbox.move_done(done)
            except Exception:
                # Applied and committed already; a message left behind is skipped next time
                # (the cursor) and would be a duplicate anyway (the key).
                log.exception("event=inbox_move_failed count=%d", len(done))
        if uids:
            # Only now, with every message of the round handled: a reader that dies midway
            # leaves the cursor where it was, and the next round reads those messages again.
            _advance(folder, uids[-1])
            db.session.commit()
    return result


def counts() -> dict[InboxOutcome, int]:
    rows = db.session.execute(
        sa.select(InboxMessage.outcome, sa.func.count()).group_by(InboxMessage.outcome)
    ).all()
    return {outcome: 0 for outcome in InboxOutcome} | dict(rows)


def run(*, interval: float, once: bool, stopping) -> None:
    """Keep reading until `stopping` is set; a failing round is logged and retried."""
    log.info("event=inbox_reader_started interval=%s", interval)
    while not stopping:
        try:
            result = read_once()
            if result.seen:
                log.info(
                    "event=inbox_read seen=%d handled=%d duplicates=%d",
                    result.seen,
                    result.handled,
                    result.duplicates,
                )
        except MailboxUnavailable as error:
            log.error("event=inbox_unavailable error=%s", error)
        except Exception:
            db.session.rollback()
            log.exception("event=inbox_failed")
        db.session.remove()
        if once:
            break
        slept = 0.0
        while slept < interval and not stopping:
            time.sleep(min(0.5, interval - slept))
            slept += 0.5
    log.info("event=inbox_reader_stopped")
