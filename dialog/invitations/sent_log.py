"""Nobody gets the same follow-up mail twice: a (key, recipient) row is claimed before queueing.

The claim is an INSERT in a savepoint against a unique constraint, so two workers (or two runs)
racing for the same mail: one inserts and queues, the other meets the constraint and skips.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models.notifications import NotificationLog
from ..timeutil import now_utc


def claim(key: str, recipient: str, *, user_id: int | None = None) -> bool:
    """True when this (key, recipient) was not sent before and is now recorded as sent."""
    try:
        with db.session.begin_nested():
            db.session.add(
                NotificationLog(
                    key=key[:160], recipient=recipient.lower(), user_id=user_id, sent_at=now_utc()
                )
            )
            db.session.flush()
    except IntegrityError:
        return False
    return True


def already_sent(keys: list[str], recipient: str) -> set[str]:
    """Which of these keys this recipient has already had."""
    if not keys:
        return set()
    return set(
        db.session.scalars(
            sa.select(NotificationLog.key).where(
                NotificationLog.recipient == recipient.lower(), NotificationLog.key.in_(keys)
            )
        )
    )


def already_sent_any(prefix: str) -> bool:
    """Whether any mail whose key starts with prefix went out before (to anyone)."""
    return (
        db.session.scalar(
            sa.select(NotificationLog.id).where(NotificationLog.key.startswith(prefix)).limit(1)
        )
        is not None
    )
