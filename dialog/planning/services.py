"""The year view: every active home in scope with the state of its dialogue for one year."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    NOT_PLANNED_LABEL,
    CareHome,
    Dialogue,
    DialogueStatus,
    HealthCentre,
    Municipality,
)
from ..scope import Scope
from .paging import PagedRows

NOT_PLANNED = "ej_planerad"
STATE_ORDER = [NOT_PLANNED, "planerad", "genomford", "dokumenterad", "installd"]
STATE_LABELS = {NOT_PLANNED: NOT_PLANNED_LABEL} | {s.value: s.label for s in DialogueStatus}


@dataclass(frozen=True, slots=True)
class Place:
    """A municipality or health centre as the year view shows it."""

    id: int
    name: str
    region_id: int | None = None


@dataclass(frozen=True, slots=True)
class HomeRow:
    """The few columns of a home the year view needs (the names CareHome has, so the scope's
    checks and the templates read it the same way): no ORM object per home."""

    id: int
    name: str
    municipality_id: int
    municipality: Place
    health_centre_id: int | None
    health_centre: Place | None


@dataclass(frozen=True, slots=True)
class DialogueRow:
    id: int
    care_home_id: int
    status: DialogueStatus
    starts_at: datetime
    ends_at: datetime


@dataclass
class YearRow:
    home: HomeRow
    dialogue: DialogueRow | None

    @property
    def state(self) -> str:
        return self.dialogue.status.value if self.dialogue is not None else NOT_PLANNED

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


PER_PAGE = 200  # a region's homes fit on one page; the nation's are paged


@dataclass
class YearOverview(PagedRows):
    year: int
    rows: list[YearRow]  # every row of the selection, sorted
    counts: dict[str, int]
    page: int = 1
    per_page: int = PER_PAGE


SORT_KEYS = {
    "boende": lambda r: (r.home.name.lower(),),
    "kommun": lambda r: (r.home.municipality.name.lower(), r.home.name.lower()),
    "vardcentral": lambda r: (
        (r.home.health_centre.name.lower() if r.home.health_centre else "ö"),
        r.home.name.lower(),
    ),
    "status": lambda r: (STATE_ORDER.index(r.state), r.home.name.lower()),
    "datum": lambda r: (
        (0, r.dialogue.starts_at.isoformat()) if r.dialogue else (1, ""),
        r.home.name.lower(),
    ),
}


def year_overview(
    scope: Scope,
    year: int,
    *,
    municipality_id: int | None = None,
    health_centre_id: int | None = None,
    state: str | None = None,
    sort: str = "kommun",
    descending: bool = False,
    page: int = 1,
) -> YearOverview:
    home_conditions = [CareHome.active.is_(True), scope.home_clause()]
    if municipality_id:
        home_conditions.append(CareHome.municipality_id == municipality_id)
    if health_centre_id:
        home_conditions.append(CareHome.health_centre_id == health_centre_id)
    homes = _home_rows(home_conditions)

    # A home's live dialogue wins; otherwise its latest cancelled one shows as "inställd".
    by_home: dict[int, DialogueRow] = {}
    if homes:
        dialogues = db.session.execute(
            sa.select(
                Dialogue.id,
                Dialogue.care_home_id,
                Dialogue.status,
                Dialogue.starts_at,
                Dialogue.ends_at,
            )
            .where(
                Dialogue.year == year,
                Dialogue.care_home_id.in_(sa.select(CareHome.id).where(*home_conditions)),
            )
            .order_by(Dialogue.created_at, Dialogue.id)
        )
        for d in itertools.starmap(DialogueRow, dialogues):
            current = by_home.get(d.care_home_id)
            if current is None or current.status is DialogueStatus.CANCELLED:
                by_home[d.care_home_id] = d

    rows = [YearRow(home=h, dialogue=by_home.get(h.id)) for h in homes]
    counts = Counter(r.state for r in rows)
    if state in STATE_LABELS:
        rows = [r for r in rows if r.state == state]
    rows.sort(key=SORT_KEYS.get(sort, SORT_KEYS["kommun"]), reverse=descending)
    overview = YearOverview(
        year=year,
        rows=rows,
        counts={s: counts.get(s, 0) for s in STATE_ORDER} | {"total": len(homes)},
        per_page=PER_PAGE,
    )
    overview.page = min(max(page, 1), overview.pages)
    return overview


def _home_rows(conditions: list) -> list[HomeRow]:
    """The homes of the selection as plain rows, in one query; one Place per municipality and
    health centre, shared by their homes."""
    municipalities: dict[int, Place] = {}
    centres: dict[int, Place] = {}
    rows = db.session.execute(
        sa.select(
            CareHome.id,
            CareHome.name,
            CareHome.municipality_id,
            Municipality.name,
            Municipality.region_id,
            CareHome.health_centre_id,
            HealthCentre.name,
        )
        .join(Municipality, Municipality.id == CareHome.municipality_id)
        .outerjoin(HealthCentre, HealthCentre.id == CareHome.health_centre_id)
        .where(*conditions)
    )
    homes = []
    for home_id, name, muni_id, muni_name, region_id, centre_id, centre_name in rows:
        municipality = municipalities.get(muni_id)
        if municipality is None:
            municipality = municipalities[muni_id] = Place(muni_id, muni_name, region_id)
        centre = None
        if centre_id is not None:
            centre = centres.get(centre_id)
            if centre is None:
                centre = centres[centre_id] = Place(centre_id, centre_name)
        homes.append(HomeRow(home_id, name, muni_id, municipality, centre_id, centre))
    return homes


def filter_choices(scope: Scope) -> tuple[list[sa.Row], list[sa.Row]]:
    """(id, name) rows of the municipalities and health centres with homes in scope: rows, not
    objects (nationally 1,250 ORM objects were a third of the administrator's year view)."""
    municipalities = db.session.execute(
        sa.select(Municipality.id, Municipality.name)
        .where(Municipality.id.in_(sa.select(CareHome.municipality_id).where(scope.home_clause())))
        .order_by(Municipality.name)
    ).all()
    centres = db.session.execute(
        sa.select(HealthCentre.id, HealthCentre.name)
        .where(HealthCentre.id.in_(sa.select(CareHome.health_centre_id).where(scope.home_clause())))
        .order_by(HealthCentre.name)
    ).all()
    return municipalities, centres


# --- the turn of the year ----------------------------------------------------------------------

BOOKING_MONTH = 12  # from December the next year is the one to book


def default_year(today: date) -> int:
    """The year the year view opens on: this year, and next year once December has come."""
    return today.year + 1 if today.month >= BOOKING_MONTH else today.year


@dataclass
class Season:
    """What the year view says about booking next year, in November and December."""

    next_year: int
    unbooked: int
    homes: int
    opened_on_next: bool  # the view opened on next year by itself (December)


def unbooked_homes(scope: Scope, year: int) -> tuple[int, int]:
    """(active homes in scope without a live dialogue that year, active homes in scope)."""
    homes = sa.select(CareHome.id).where(CareHome.active.is_(True), scope.home_clause())
    total = db.session.scalar(sa.select(sa.func.count()).select_from(homes.subquery())) or 0
    booked = (
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(Dialogue.care_home_id))).where(
                Dialogue.year == year,
                Dialogue.status != DialogueStatus.CANCELLED,
                Dialogue.care_home_id.in_(homes),
            )
        )
        or 0
    )
    return total - booked, total


def booking_season(scope: Scope, today: date, year: int, defaulted: bool) -> Season | None:
    """From November: how many homes still lack next year's dialogue (None otherwise)."""
    next_year = today.year + 1
    if today.month < BOOKING_MONTH - 1 or year not in (today.year, next_year):
        return None
    unbooked, homes = unbooked_homes(scope, next_year)
    return Season(next_year, unbooked, homes, defaulted and year == next_year)
