"""Per-region settings with the defaults from the design brief."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from .extensions import db
from .models import ContactRole, RegionSettings, Side

# Full representation: each inner tuple is one seat, filled by any one of its roles.
DEFAULT_REQUIRED_ROLES: dict[Side, list[tuple[ContactRole, ...]]] = {
    Side.CARE_HOME: [
        (ContactRole.UNIT_MANAGER,),
        (ContactRole.NURSE,),
        (ContactRole.OCCUPATIONAL_THERAPIST, ContactRole.PHYSIOTHERAPIST),
    ],
    Side.HEALTH_CENTRE: [
        (ContactRole.HOME_PHYSICIAN,),
        (ContactRole.CENTRE_MANAGER,),
    ],
}

# Month-day ranges, inclusive; a range may run over the new year.
DEFAULT_BLOCKED_PERIODS = [
    {"name": "Sommar", "start": "06-15", "end": "08-15"},
    {"name": "Jul och nyår", "start": "12-20", "end": "01-08"},
]

DEFAULT_REMINDER_DAYS = 7

# The year between dialogues: mail about actions and the weekly digest (issue 12).
DEFAULT_FOLLOWUP_MAIL = True
DEFAULT_ACTION_REMINDER_DAYS = 14  # the owning side is reminded this many days before due
DEFAULT_OVERDUE_REMINDERS = True  # and once more the day after an action falls overdue
DEFAULT_DIGEST_WEEKDAY = 0  # Monday: MAS/MAR and regional users get the week's digest


@dataclass(frozen=True)
class EffectiveSettings:
    required_roles: dict[Side, list[tuple[ContactRole, ...]]]
    blocked_periods: list[dict]
    reminder_days: int
    followup_mail: bool = DEFAULT_FOLLOWUP_MAIL
    action_reminder_days: int = DEFAULT_ACTION_REMINDER_DAYS
    overdue_reminders: bool = DEFAULT_OVERDUE_REMINDERS
    digest_weekday: int = DEFAULT_DIGEST_WEEKDAY


def settings_for_region(region_id: int | None) -> EffectiveSettings:
    row = None
    if region_id is not None:
        row = db.session.scalar(
            sa.select(RegionSettings).where(RegionSettings.region_id == region_id)
        )
    return _effective(row)


def settings_for_regions(region_ids=None) -> dict[int | None, EffectiveSettings]:
    """The effective settings of many regions from one query (a national plan spans 21);
    without region_ids, of every region that has settings of its own."""
    query = sa.select(RegionSettings)
    if region_ids is not None:
        region_ids = set(region_ids)
        query = query.where(RegionSettings.region_id.in_(region_ids - {None}))
    rows = {row.region_id: row for row in db.session.scalars(query)}
    wanted = set(rows) if region_ids is None else region_ids
    return {r: _effective(rows.get(r) if r is not None else None) for r in wanted}


def _effective(row: RegionSettings | None) -> EffectiveSettings:
    required = DEFAULT_REQUIRED_ROLES
    if row is not None and row.required_roles:
        required = {
            Side(side): [tuple(ContactRole(r) for r in seat) for seat in seats]
            for side, seats in row.required_roles.items()
        }
    return EffectiveSettings(
        required_roles=required,
        blocked_periods=(
            row.blocked_periods
            if row and row.blocked_periods is not None
            else DEFAULT_BLOCKED_PERIODS
        ),
        reminder_days=(
            row.reminder_days if row and row.reminder_days is not None else DEFAULT_REMINDER_DAYS
        ),
        followup_mail=_or(row, "followup_mail", DEFAULT_FOLLOWUP_MAIL),
        action_reminder_days=_or(row, "action_reminder_days", DEFAULT_ACTION_REMINDER_DAYS),
        overdue_reminders=_or(row, "overdue_reminders", DEFAULT_OVERDUE_REMINDERS),
        digest_weekday=_or(row, "digest_weekday", DEFAULT_DIGEST_WEEKDAY),
    )


def _or(row, name: str, default):
    value = getattr(row, name, None) if row is not None else None
    return default if value is None else value


def expand_blocked_periods(periods: list[dict], year: int) -> list[tuple[str, date, date]]:
    """The month-day ranges as (name, first day, last day) touching the given year; a range
    over the new year (12-20 to 01-08) gives both its start and its end in that year."""

    result = []
    for period in periods:
        start_m, start_d = (int(x) for x in period["start"].split("-"))
        end_m, end_d = (int(x) for x in period["end"].split("-"))
        wraps = (end_m, end_d) < (start_m, start_d)
        for first_year in (year - 1, year) if wraps else (year,):
            last_year = first_year + 1 if wraps else first_year
            try:
                result.append(
                    (
                        period.get("name", "Spärrad period"),
                        date(first_year, start_m, start_d),
                        date(last_year, end_m, end_d),
                    )
                )
            except ValueError:  # 02-29 in a common year: skip that range
                continue
    return result


def blocked_periods_for_year(region_id: int | None, year: int) -> list[tuple[str, date, date]]:
    """The region's blocked periods (default: summer, Christmas and New Year) for one year."""
    return expand_blocked_periods(settings_for_region(region_id).blocked_periods, year)


def blocked_periods_by_region(region_ids, year: int) -> dict[int | None, list]:
    """Each region's blocked periods for one year, read in one query for all of them."""
    return {
        region_id: expand_blocked_periods(settings.blocked_periods, year)
        for region_id, settings in settings_for_regions(region_ids).items()
    }
