"""What other features' pages show about agreements (their templates include agreements/_*.html
and call these Jinja globals)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import g

from ..bounds import parse_id, year_in_range
from ..models import CareHome
from ..timeutil import local
from .services import home_is_covered, reference_day, today_local, uncovered_home_ids


@dataclass(frozen=True)
class YearGaps:
    day: date
    home_ids: frozenset[int]
    homes: list  # CareHome objects, in the order of the year view


def year_gaps(rows, year: int) -> YearGaps:
    """The year view's homes lacking a valid agreement: one query per page, however many rows."""
    # Called once per row: keyed by the row list itself, not by its contents.
    key = (year, id(rows), len(rows))
    cached = g.get("agreement_year_gaps")
    if cached is not None and cached[0] == key:
        return cached[1]
    day = reference_day(year)
    missing = uncovered_home_ids([r.home.id for r in rows], day)
    gaps = YearGaps(day, frozenset(missing), [r.home for r in rows if r.home.id in missing])
    g.agreement_year_gaps = (key, gaps)
    return gaps


def agreement_warning(home: CareHome, day: date | datetime | None = None, year=None) -> str | None:
    """A Swedish warning when the home's health centre has no valid agreement on the day (or in
    the year, or today), else None."""
    if isinstance(day, datetime):
        day = local(day).date()
    if day is None:
        # The year comes from the query string as typed: outside the bounds it is ignored.
        wanted = year if isinstance(year, int) else parse_id(year)
        day = reference_day(wanted) if year_in_range(wanted) else today_local()
    if home_is_covered(home, day) is not False:
        return None
    return (
        f"Det finns ingen giltig lokal överenskommelse mellan {home.municipality.name} och "
        f"{home.health_centre.name} som omfattar skyldigheten att delta i "
        f"patientsäkerhetsdialogen (kontrollerat för {day.isoformat()}). Dialogen kan bokas ändå; "
        "MAS/MAR eller regionen registrerar överenskommelsen."
    )
