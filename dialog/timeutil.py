"""Time zone handling: stored in UTC, shown and entered in Europe/Stockholm, the Swedish way."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def now_utc() -> datetime:
    """The current time, timezone-aware in UTC: the one clock every module reads."""
    return datetime.now(UTC)


def today_local() -> date:
    """Today's date in Stockholm, read from the one clock."""
    return now_utc().astimezone(STOCKHOLM).date()


def as_utc(value: datetime) -> datetime:
    """Normalise a datetime from the database (SQLite drops the zone) to aware UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def local(value: datetime) -> datetime:
    return as_utc(value).astimezone(STOCKHOLM)


def local_to_utc(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=STOCKHOLM).astimezone(UTC)


def format_date(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    return value.isoformat()


def format_time(value: datetime | None) -> str:
    """'kl. 13.00', the Swedish way."""
    if value is None:
        return ""
    return "kl. " + local(value).strftime("%H.%M")


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{format_date(value)} {format_time(value)}"


def format_time_range(start: datetime, end: datetime) -> str:
    return f"{format_date(start)} kl. {local(start):%H.%M}–{local(end):%H.%M}"
