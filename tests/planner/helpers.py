"""Small builders for planner requests (plain dataclasses, no database)."""

from __future__ import annotations

from datetime import date, time

from dialog.planning.planner.algorithm import (
    BlockedPeriod,
    Booked,
    Home,
    Person,
    PlanRequest,
    Preference,
    swedish_days_off,
)
from dialog.region_settings import DEFAULT_BLOCKED_PERIODS, expand_blocked_periods

YEAR = 2027
TODAY = date(2026, 11, 22)
DAYS_OFF = swedish_days_off([YEAR])
DEFAULT_BLOCKED = [BlockedPeriod(*p) for p in expand_blocked_periods(DEFAULT_BLOCKED_PERIODS, YEAR)]


def people(*keys: str) -> dict[str, Person]:
    return {
        k: Person(k, k.split("@")[0].capitalize(), "SÄBO-läkare" if "lakare" in k else "Enhetschef")
        for k in keys
    }


def request(
    homes,
    *,
    start=date(YEAR, 1, 11),
    end=date(YEAR, 12, 17),
    booked=(),
    blocked=None,
    persons=None,
    **kw,
) -> PlanRequest:
    keys = {p for h in homes for p in h.people} | {p for b in booked for p in b.people}
    return PlanRequest(
        year=YEAR,
        period_start=start,
        period_end=end,
        today=TODAY,
        homes=list(homes),
        people=persons or people(*sorted(keys)),
        booked=list(booked),
        days_off=DAYS_OFF,
        blocked={None: DEFAULT_BLOCKED if blocked is None else blocked},
        **kw,
    )


def home(i, *people_, centre=None, previous=None, pref=None) -> Home:
    pref = pref if pref is not None else Preference()
    return Home(i, f"Boende {i}", tuple(people_), centre, None, previous, None, pref)


__all__ = ["Booked", "Preference", "home", "request", "people", "time", "date", "YEAR"]
