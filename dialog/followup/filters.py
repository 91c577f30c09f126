"""What a follow-up view is about: a period (a year or a half-year) and a slice of the scope.

The same Selection drives the dashboard, the lists behind its numbers, the report, the exports
and the API, so their figures agree by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time

import sqlalchemy as sa

from ..bounds import MAX_DB_ID, MAX_YEAR, MIN_YEAR
from ..models import CareHome, Dialogue, DialogueStatus
from ..scope import Scope
from ..timeutil import local_to_utc

# Ids are INTEGER columns on both databases: anything larger matches no row.
MAX_ID = MAX_DB_ID

HALF_LABELS = {1: "januari–juni", 2: "juli–december"}
LIVE = (DialogueStatus.PLANNED, DialogueStatus.HELD, DialogueStatus.DOCUMENTED)
HELD = (DialogueStatus.HELD, DialogueStatus.DOCUMENTED)


class BadFilter(ValueError):
    """A filter value that is not a valid choice (answered with 400)."""


class NotVisible(LookupError):
    """A municipality or health centre outside the user's scope (answered with 404)."""


@dataclass(frozen=True)
class Selection:
    scope: Scope
    year: int
    half: int | None = None
    municipality_id: int | None = None
    health_centre_id: int | None = None

    @property
    def label(self) -> str:
        if self.half:
            return f"{self.year} ({HALF_LABELS[self.half]})"
        return str(self.year)

    @property
    def bounds(self):
        """[start, end) in UTC of the period, from local midnight to local midnight."""
        if self.half == 1:
            first, last = date(self.year, 1, 1), date(self.year, 7, 1)
        elif self.half == 2:
            first, last = date(self.year, 7, 1), date(self.year + 1, 1, 1)
        else:
            first, last = date(self.year, 1, 1), date(self.year + 1, 1, 1)
        return local_to_utc(first, time(0, 0)), local_to_utc(last, time(0, 0))

    def with_year(self, year: int) -> Selection:
        return replace(self, year=year, half=None)

    def dialogue_conditions(self, *, period: bool = True) -> list:
        """Conditions on Dialogue alone (no join needed): in scope, filters, the period."""
        conds = [self.scope.dialogue_clause()]
        if self.municipality_id is not None:
            conds.append(
                Dialogue.care_home_id.in_(
                    sa.select(CareHome.id).where(CareHome.municipality_id == self.municipality_id)
                )
            )
        if self.health_centre_id is not None:
            conds.append(Dialogue.health_centre_id == self.health_centre_id)
        if period:
            conds += self.period_conditions()
        return conds

    def period_conditions(self) -> list:
        """Conditions on Dialogue: held (or planned) in the selected year or half-year."""
        conds = [Dialogue.year == self.year]
        if self.half:
            start, end = self.bounds
            conds.append(Dialogue.starts_at >= start)
            conds.append(Dialogue.starts_at < end)
        return conds

    def history_conditions(self, first_year: int | None = None) -> list:
        """Conditions on Dialogue for the trends: every year up to the selected one and, for a
        half-year, only the same half of each year (spring is compared with spring)."""
        conds = [Dialogue.year <= self.year]
        if self.half:
            first = self.year if first_year is None else min(first_year, self.year)
            halves = []
            for year in range(first, self.year + 1):
                start, end = replace(self, year=year).bounds
                halves.append(
                    sa.and_(
                        Dialogue.year == year, Dialogue.starts_at >= start, Dialogue.starts_at < end
                    )
                )
            conds.append(sa.or_(*halves))
        return conds

    def in_period(self):
        """A 1/0 column: is the dialogue in the period? (one query for the period and history)"""
        return sa.case((sa.and_(*self.period_conditions()), 1), else_=0)

    def home_conditions(self) -> list:
        """Conditions on CareHome: active homes in scope and filters."""
        conds = [self.scope.home_clause(), CareHome.active.is_(True)]
        if self.municipality_id is not None:
            conds.append(CareHome.municipality_id == self.municipality_id)
        if self.health_centre_id is not None:
            conds.append(CareHome.health_centre_id == self.health_centre_id)
        return conds

    def dialogues(self, *, period: bool = True):
        """select(Dialogue.id) for the selection."""
        return sa.select(Dialogue.id).where(*self.dialogue_conditions(period=period))

    def query_args(self) -> dict:
        """URL parameters (Swedish names) that reproduce this selection."""
        args = {"ar": self.year}
        if self.half:
            args["halvar"] = self.half
        if self.municipality_id:
            args["kommun"] = self.municipality_id
        if self.health_centre_id:
            args["vardcentral"] = self.health_centre_id
        return args


def visible_municipalities(scope: Scope):
    """select(Municipality) the user may filter on: in scope, or holding a home in scope."""
    from ..models import Municipality

    homes = sa.select(CareHome.municipality_id).where(scope.home_clause())
    return sa.select(Municipality).where(
        sa.or_(scope.municipality_clause(), Municipality.id.in_(homes))
    )


def visible_health_centres(scope: Scope):
    from ..models import HealthCentre

    return sa.select(HealthCentre).where(scope.health_centre_clause())


def check_visible(sel: Selection) -> Selection:
    """Refuse filters on objects outside the scope, so not even their names leak."""
    from ..extensions import db
    from ..models import HealthCentre, Municipality

    if (
        sel.municipality_id is not None
        and db.session.scalar(
            visible_municipalities(sel.scope)
            .where(Municipality.id == sel.municipality_id)
            .with_only_columns(Municipality.id)
        )
        is None
    ):
        raise NotVisible("Kommunen finns inte.")
    if (
        sel.health_centre_id is not None
        and db.session.scalar(
            visible_health_centres(sel.scope)
            .where(HealthCentre.id == sel.health_centre_id)
            .with_only_columns(HealthCentre.id)
        )
        is None
    ):
        raise NotVisible("Vårdcentralen finns inte.")
    return sel


def _int(value, name: str, *, low: int | None = None, high: int | None = None) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadFilter(f"Ogiltigt värde för {name}.") from None
    if (low is not None and number < low) or (high is not None and number > high):
        raise BadFilter(f"Ogiltigt värde för {name}.")
    return number


def selection_from_args(
    scope: Scope, args, *, today: date | None = None, names: dict | None = None
) -> Selection:
    """Read ar/halvar/kommun/vardcentral (or the API's English names via `names`)."""
    names = names or {
        "year": "ar",
        "half": "halvar",
        "municipality": "kommun",
        "health_centre": "vardcentral",
    }
    today = today or date.today()
    year = _int(args.get(names["year"]), "år", low=MIN_YEAR, high=MAX_YEAR) or today.year
    half = _int(args.get(names["half"]), "halvår", low=1, high=2)
    return check_visible(
        Selection(
            scope=scope,
            year=year,
            half=half,
            municipality_id=_int(args.get(names["municipality"]), "kommun", low=1, high=MAX_ID),
            health_centre_id=_int(
                args.get(names["health_centre"]), "vårdcentral", low=1, high=MAX_ID
            ),
        )
    )
