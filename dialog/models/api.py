"""Models of the follow-up API (personal API tokens). Owned by dialog/followup.

Only a SHA-256 hash of a token is stored; the token itself is shown once, when it is created.
A token acts with exactly the scope of the user who owns it, as the user has it at each request.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..privacy import exempt, guarded
from ..timeutil import now_utc
from .base import UTCDateTime


class ApiToken(db.Model):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120), info=guarded("text", "Namn"))
    # The first characters of the token, to recognise it in the list; not enough to use it.
    prefix: Mapped[str] = mapped_column(sa.String(16), info=exempt("generated token prefix"))
    token_hash: Mapped[str] = mapped_column(
        sa.String(64), unique=True, info=exempt("hash of a generated token")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def __str__(self) -> str:
        return f"API-nyckel {self.name} ({self.prefix}…)"


# Covering indexes for the follow-up's aggregate queries (dashboards at national scale read
# these instead of the wide rows with their free text). Declared here, with the feature that
# needs them; they live on the findings and dialogues tables.
def _followup_indexes() -> None:
    from .dialogues import Dialogue, Participant
    from .findings import Action, Finding

    sa.Index(
        "ix_followup_finding_agg",
        Finding.dialogue_id,
        Finding.kind,
        Finding.area_id,
        Finding.plan_area_id,
    )
    sa.Index(
        "ix_followup_action_agg",
        Action.dialogue_id,
        Action.status,
        Action.responsible_party,
        Action.due_date,
    )
    sa.Index(
        "ix_followup_participant_seat",
        Participant.dialogue_id,
        Participant.attendance,
        Participant.removed_at,
        Participant.role,
        Participant.side,
    )
    sa.Index(
        "ix_followup_dialogue_year",
        Dialogue.year,
        Dialogue.care_home_id,
        Dialogue.status,
        Dialogue.starts_at,
    )


_followup_indexes()
