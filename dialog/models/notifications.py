"""What the follow-up mail has sent: one row per (key, recipient), so nothing goes twice.

Owned by dialog/invitations (reminders about actions, the weekly digest, the minutes). The key
says what was sent, e.g. "atgard-snart:12:2027-06-30", "sammanfattning:2027-W23",
"sammanfattning-post:forsenad:12:2027-06-30" or "protokoll:7:<documented at>". Rows are
inserted in a savepoint before the mail is queued: a second worker, or a second run, meets the
unique constraint and queues nothing.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..privacy import exempt
from ..timeutil import now_utc
from .base import UTCDateTime


class NotificationLog(db.Model):
    __tablename__ = "notification_log"
    __table_args__ = (sa.UniqueConstraint("key", "recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(
        sa.String(160), info=exempt("which reminder was sent: kind and ids, built by the code")
    )
    recipient: Mapped[str] = mapped_column(
        sa.String(254), info=exempt("the e-mail address the reminder went to")
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
