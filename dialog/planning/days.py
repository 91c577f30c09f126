"""Which days a dialogue may be held on: the planner's rules for one day, for everyone who
puts dialogues in the calendar without the planner (the demo data)."""

from __future__ import annotations

from datetime import date, timedelta

from ..region_settings import DEFAULT_BLOCKED_PERIODS, expand_blocked_periods
from .planner.model import swedish_days_off


def is_bookable(day: date, blocked_periods: list[dict] | None = None) -> bool:
    """A weekday that is no public holiday, eve or half day, outside the blocked periods
    (summer, Christmas and New Year by default)."""
    if day.weekday() >= 5 or day in swedish_days_off([day.year]):
        return False
    periods = expand_blocked_periods(
        DEFAULT_BLOCKED_PERIODS if blocked_periods is None else blocked_periods, day.year
    )
    return not any(start <= day <= end for _, start, end in periods)


def next_bookable(day: date, blocked_periods: list[dict] | None = None) -> date:
    """day itself when bookable, else the first bookable day after it."""
    while not is_bookable(day, blocked_periods):
        day += timedelta(days=1)
    return day
