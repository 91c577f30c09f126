"""Per-region settings: required representation, blocked periods, reminders."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..privacy import exempt, guarded


class RegionSettings(db.Model):
    """Overrides of the defaults in dialog.region_settings for one region.

    required_roles: {"sabo": [["enhetschef"], ["sjukskoterska"], ["arbetsterapeut",
    "fysioterapeut"]], "vardcentral": [...]} — each inner list is one required seat that any of
    its roles fills. blocked_periods: [{"name": ..., "start": "MM-DD", "end": "MM-DD"}].
    """

    __tablename__ = "region_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("region.id"), unique=True)
    required_roles: Mapped[dict | None] = mapped_column(
        sa.JSON, info=exempt("role codes from the code")
    )
    blocked_periods: Mapped[list | None] = mapped_column(
        sa.JSON, info=guarded("text", "Spärrad period")
    )
    reminder_days: Mapped[int | None] = mapped_column()
    # The year between dialogues: reminders about actions and the weekly digest (None = default).
    followup_mail: Mapped[bool | None] = mapped_column()
    action_reminder_days: Mapped[int | None] = mapped_column()
    overdue_reminders: Mapped[bool | None] = mapped_column()
    digest_weekday: Mapped[int | None] = mapped_column()
