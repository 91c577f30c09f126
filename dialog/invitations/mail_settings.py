"""Per-region settings of the follow-up mail: action reminders and the weekly digest."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from .. import audit
from ..extensions import db
from ..models import Region, RegionSettings
from ..region_settings import settings_for_region

WEEKDAYS = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
FIELDS = ["followup_mail", "action_reminder_days", "overdue_reminders", "digest_weekday"]


class SettingsError(ValueError):
    """Swedish message, shown as it is."""


@dataclass
class MailSettings:
    followup_mail: bool
    action_reminder_days: int
    overdue_reminders: bool
    digest_weekday: int


def current(region_id: int) -> MailSettings:
    s = settings_for_region(region_id)
    return MailSettings(
        s.followup_mail, s.action_reminder_days, s.overdue_reminders, s.digest_weekday
    )


def save(region: Region, values: MailSettings, *, actor) -> bool:
    if not 0 <= values.action_reminder_days <= 90:
        raise SettingsError("Ange 0–90 dagar före datumet (0 = ingen påminnelse före).")
    if not 0 <= values.digest_weekday <= 6:
        raise SettingsError("Välj en veckodag.")
    row = db.session.scalar(sa.select(RegionSettings).where(RegionSettings.region_id == region.id))
    if row is None:
        row = RegionSettings(region_id=region.id)
        db.session.add(row)
    before = audit.snapshot(current(region.id), FIELDS)
    for name in FIELDS:
        setattr(row, name, getattr(values, name))
    db.session.flush()
    changes = audit.changes_between(before, audit.snapshot(values, FIELDS))
    if changes:
        audit.record(
            "ändrade påminnelser", region, actor=actor, summary=region.name, changes=changes
        )
    return bool(changes)
