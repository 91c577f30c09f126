"""The audit log: one row for every change, who made it and what changed."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..privacy import exempt
from ..timeutil import now_utc
from .base import UTCDateTime


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)
    # Kept as text too so the entry survives if the account is ever renamed.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    actor: Mapped[str] = mapped_column(
        sa.String(160), info=exempt("the acting account's login name, or 'system'")
    )
    action: Mapped[str] = mapped_column(sa.String(60), info=exempt("a verb from the code"))
    object_type: Mapped[str] = mapped_column(
        sa.String(60), info=exempt("a model name from the code")
    )
    object_id: Mapped[int | None] = mapped_column(index=True)
    summary: Mapped[str] = mapped_column(
        sa.String(300),
        default="",
        info=exempt("built by the code from guarded values; re-checked by flask privacy-scan"),
    )
    # Checked key by key on flush (dialog/privacy/columns.py) and by flask privacy-scan.
    changes: Mapped[dict] = mapped_column(
        sa.JSON, default=dict, info=exempt("values of guarded columns, checked key by key on flush")
    )
    # Where the object lives, so MAS/MAR and regional users see the entries of their scope.
    region_id: Mapped[int | None] = mapped_column(index=True)
    municipality_id: Mapped[int | None] = mapped_column(index=True)
    care_home_id: Mapped[int | None] = mapped_column(index=True)
