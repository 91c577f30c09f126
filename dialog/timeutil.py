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


class LocalTimeError(ValueError):
    """A Stockholm wall-clock time that does not exist (spring) or occurs twice (autumn).

    kind is "nonexistent" or "ambiguous"; the message is Swedish and shown as it is.
    """

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def check_local_time(day: date, clock: time) -> None:
    """Refuse a wall-clock time that the change to or from summer time makes impossible to
    mean: zoneinfo would silently move a nonexistent time an hour or take the first of two."""
    naive = datetime.combine(day, clock)
    first = naive.replace(tzinfo=STOCKHOLM, fold=0)
    if first.utcoffset() == naive.replace(tzinfo=STOCKHOLM, fold=1).utcoffset():
        return
    when = f"kl. {clock:%H.%M} den {day.isoformat()}"
    if first.astimezone(UTC).astimezone(STOCKHOLM).replace(tzinfo=None) != naive:
        raise LocalTimeError(
            "nonexistent",
            f"Tiden {when} finns inte: natten då sommartiden börjar ställs klockan fram från "
            "02.00 till 03.00. Välj en tid före kl. 02.00 eller från kl. 03.00.",
        )
    raise LocalTimeError(
        "ambiguous",
        f"Tiden {when} inträffar två gånger: natten då sommartiden slutar ställs klockan "
        "tillbaka från 03.00 till 02.00, så det går inte att veta vilken av dem du menar. "
        "Välj en tid före kl. 02.00 eller från kl. 03.00.",
    )


def checked_local_to_utc(day: date, clock: time) -> datetime:
    """local_to_utc for times a user typed: raises LocalTimeError instead of guessing."""
    check_local_time(day, clock)
    return local_to_utc(day, clock)
