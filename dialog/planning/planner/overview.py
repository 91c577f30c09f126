"""The planner's start page at any size: the homes in scope without a dialogue in the year, read
as plain rows in one query (no ORM objects), filtered, sorted, counted per region or
municipality, and paged, so an administrator over the whole country gets one page of rows and
a summary rather than 2,000 form rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import NamedTuple
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from ...extensions import db
from ...models import CareHome, Dialogue, DialogueStatus, HealthCentre, Municipality, Region
from ...scope import Scope
from ...timeutil import local
from ..paging import PagedRows
from .service import _live_homes

PER_PAGE = 150  # a region's homes fit on one page; the nation's are paged
SORTS = ("kommun", "boende", "vardcentral", "forra_aret")


class StartRow(NamedTuple):
    id: int
    name: str
    municipality_id: int
    municipality: str
    region_id: int
    region: str
    centre_id: int | None
    centre: str | None
    previous: date | None


class Group(NamedTuple):
    id: int
    name: str
    count: int


@dataclass
class Filters:
    region_id: int | None = None
    municipality_id: int | None = None
    centre_id: int | None = None
    sort: str = "kommun"
    descending: bool = False
    page: int = 1

    @classmethod
    def from_args(cls, args) -> Filters:
        def number(name):
            value = (args.get(name) or "").strip()
            return int(value) if value.isdigit() and len(value) <= 9 else None

        sort = args.get("sortera", "kommun")
        return cls(
            region_id=number("region"),
            municipality_id=number("kommun"),
            centre_id=number("vardcentral"),
            sort=sort if sort in SORTS else "kommun",
            descending=args.get("ordning") == "fallande",
            page=number("sida") or 1,
        )


SORT_KEYS = {
    "boende": lambda r: (r.name.lower(),),
    "kommun": lambda r: (r.municipality.lower(), r.name.lower()),
    "vardcentral": lambda r: ((r.centre or "ö").lower(), r.name.lower()),
    "forra_aret": lambda r: (r.previous is None, r.previous or date.min, r.name.lower()),
}


@dataclass
class StartOverview(PagedRows):
    year: int
    filters: Filters
    rows: list[StartRow]  # every row of the selection, sorted
    total: int  # homes in scope without a dialogue in the year, before the filters
    regions: list[Group]  # the filter choices, with counts
    municipalities: list[Group]
    centres: list[Group] | None  # None: too many to list until a region is chosen
    group_kind: str | None  # "region", "kommun" or None: what the summary counts by
    groups: list[Group] = field(default_factory=list)
    per_page: int = PER_PAGE

    @property
    def page(self) -> int:
        return min(max(self.filters.page, 1), self.pages)

    @cached_property
    def page_centres(self) -> list[tuple[int, str]]:
        """The health centres of this page's homes, for the per-centre preferences."""
        found = {r.centre_id: r.centre for r in self.page_rows if r.centre_id is not None}
        return sorted(found.items(), key=lambda c: c[1].lower())

    @property
    def filtered(self) -> bool:
        f = self.filters
        return bool(f.region_id or f.municipality_id or f.centre_id)


def _rows(scope: Scope, year: int) -> list[StartRow]:
    previous = aliased(Dialogue)
    query = (
        sa.select(
            CareHome.id,
            CareHome.name,
            Municipality.id,
            Municipality.name,
            Region.id,
            Region.name,
            HealthCentre.id,
            HealthCentre.name,
            previous.starts_at,
        )
        .join(Municipality, Municipality.id == CareHome.municipality_id)
        .join(Region, Region.id == Municipality.region_id)
        .outerjoin(HealthCentre, HealthCentre.id == CareHome.health_centre_id)
        .outerjoin(
            previous,
            sa.and_(
                previous.care_home_id == CareHome.id,
                previous.year == year - 1,
                previous.status != DialogueStatus.CANCELLED,
            ),
        )
        .where(
            CareHome.active.is_(True),
            scope.managed_home_clause(),
            CareHome.id.not_in(_live_homes(year)),
        )
    )
    rows: dict[int, StartRow] = {}
    for home_id, name, m_id, m_name, r_id, r_name, c_id, c_name, starts in db.session.execute(
        query
    ):
        if home_id not in rows:  # one live dialogue per home and year; a guard all the same
            day = local(starts).date() if starts is not None else None
            rows[home_id] = StartRow(home_id, name, m_id, m_name, r_id, r_name, c_id, c_name, day)
    return list(rows.values())


def _groups(rows, key, name) -> list[Group]:
    counts: dict[int, list] = {}
    for r in rows:
        entry = counts.setdefault(key(r), [name(r), 0])
        entry[1] += 1
    return sorted(
        (Group(k, v[0], v[1]) for k, v in counts.items() if k is not None),
        key=lambda g: g.name.lower(),
    )


def start_overview(
    scope: Scope, year: int, filters: Filters, per_page: int | None = None
) -> StartOverview:
    every = _rows(scope, year)
    regions = _groups(every, lambda r: r.region_id, lambda r: r.region)
    rows = every
    if filters.region_id:
        rows = [r for r in rows if r.region_id == filters.region_id]
    one_region = len(regions) <= 1 or bool(filters.region_id)
    municipalities = _groups(rows, lambda r: r.municipality_id, lambda r: r.municipality)
    if filters.municipality_id:
        rows = [r for r in rows if r.municipality_id == filters.municipality_id]
    # A country has a thousand health centres: list them once a region narrows the choice.
    centres = (
        _groups(rows, lambda r: r.centre_id, lambda r: r.centre or "")
        if one_region or filters.municipality_id
        else None
    )
    if filters.centre_id:
        rows = [r for r in rows if r.centre_id == filters.centre_id]
    rows.sort(key=SORT_KEYS[filters.sort], reverse=filters.descending)

    # The summary counts by whatever the selection still spans: regions, else municipalities.
    group_kind, groups = None, []
    by_region = _groups(rows, lambda r: r.region_id, lambda r: r.region)
    if len(by_region) > 1:
        group_kind, groups = "region", by_region
    else:
        by_municipality = _groups(rows, lambda r: r.municipality_id, lambda r: r.municipality)
        if len(by_municipality) > 1:
            group_kind, groups = "kommun", by_municipality
    return StartOverview(
        year=year,
        filters=filters,
        rows=rows,
        total=len(every),
        regions=regions,
        municipalities=municipalities,
        centres=centres,
        group_kind=group_kind,
        groups=groups,
        per_page=per_page or PER_PAGE,
    )


class Links:
    """Page addresses built from one prefix and the current filters: a page of the planner has
    dozens of links, and each is a string join rather than a url_for call."""

    def __init__(self, base: str, year: int, filters: Filters):
        self.base = base
        self.params = {
            "ar": year,
            "region": filters.region_id,
            "kommun": filters.municipality_id,
            "vardcentral": filters.centre_id,
            "sortera": filters.sort if filters.sort != "kommun" else None,
            "ordning": "fallande" if filters.descending else None,
            "sida": filters.page if filters.page > 1 else None,
        }

    def __call__(self, **changes) -> str:
        params = self.params | changes
        query = urlencode([(k, v) for k, v in params.items() if v not in (None, "", False)])
        return f"{self.base}?{query}" if query else self.base

    def sort(self, key: str) -> str:
        current = (self.params["sortera"] or "kommun") == key
        descending = current and self.params["ordning"] is None
        return self(sortera=key, ordning="fallande" if descending else None, sida=None)

    def query(self) -> str:
        """The current query string (for a form's action, so a re-shown page keeps its place)."""
        return self().partition("?")[2]
