"""The year planner against the database: gather the homes, people, booked dialogues and
blocked days in scope, run the planner (dialog/planning/planner.py), re-check an edited
proposal, and book it all - with invitations queued - in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ...dialogues import Booking, BookingError, book_dialogue, eligible_contacts
from ...extensions import db
from ...invitations import queue_invitations
from ...models import CareHome, Contact, Dialogue, DialogueStatus, Participant
from ...region_settings import blocked_periods_by_region
from ...scope import Scope
from ...timeutil import local
from . import algorithm as planner
from .algorithm import (
    BlockedPeriod,
    Booked,
    Home,
    Person,
    Plan,
    PlanInputError,
    PlanRequest,
    Preference,
    Slot,
)

PLANNER_LOCK = 7_2027  # advisory-lock key: one year plan is booked at a time (PostgreSQL)


class PlanConflictError(BookingError):
    """The edited plan still breaks a hard rule: nothing is booked."""


@dataclass
class PlannerParams:
    year: int
    period_start: date
    period_end: date
    length: int = 120
    day_start: time = time(8, 0)
    day_end: time = time(16, 0)
    usual_start: time = time(13, 0)
    home_ids: list[int] | None = None  # None: every home in scope without a dialogue
    preferences: dict[int, Preference] = field(default_factory=dict)  # per home
    centre_preferences: dict[int, Preference] = field(default_factory=dict)  # per health centre


@dataclass
class PlannerResult:
    plan: Plan
    homes: dict[int, CareHome]
    previous: dict[int, date]


def _live_homes(year: int):
    return sa.select(Dialogue.care_home_id).where(
        Dialogue.year == year, Dialogue.status != DialogueStatus.CANCELLED
    )


def plannable_homes(scope: Scope, year: int, home_ids=None) -> list[CareHome]:
    """Active homes the user may book for that have no live dialogue in the year (only those
    of `home_ids` when given: a plan of one region loads its homes, not the nation's)."""
    query = (
        sa.select(CareHome)
        .where(
            CareHome.active.is_(True),
            scope.managed_home_clause(),
            CareHome.id.not_in(_live_homes(year)),
        )
        .options(joinedload(CareHome.municipality), joinedload(CareHome.health_centre))
    )
    if home_ids is not None:
        query = query.where(CareHome.id.in_(home_ids))
    return list(db.session.scalars(query).unique().all())


def previous_dates(home_ids: list[int], year: int) -> dict[int, tuple[date, time]]:
    found = {}
    if not home_ids:
        return found
    rows = db.session.execute(
        sa.select(Dialogue.care_home_id, Dialogue.starts_at).where(
            Dialogue.year == year - 1,
            Dialogue.status != DialogueStatus.CANCELLED,
            Dialogue.care_home_id.in_(home_ids),
        )
    )
    for home_id, starts_at in rows:
        start = local(starts_at)
        found[home_id] = (start.date(), start.time().replace(second=0, microsecond=0))
    return found


def _selected_homes(scope: Scope, params: PlannerParams) -> list[CareHome]:
    if params.home_ids is None:
        homes = plannable_homes(scope, params.year)
        return sorted(homes, key=lambda h: (h.municipality.name, h.name))
    wanted = list(dict.fromkeys(params.home_ids))
    if not wanted:
        raise PlanInputError("Välj minst ett boende att planera.")
    homes = plannable_homes(scope, params.year, wanted)
    by_id = {h.id: h for h in homes}
    missing = [i for i in wanted if i not in by_id]
    if missing:
        in_scope = db.session.scalars(
            sa.select(CareHome).where(
                CareHome.id.in_(missing), CareHome.active.is_(True), scope.managed_home_clause()
            )
        ).all()
        if len(in_scope) < len(missing):
            raise PlanInputError(
                "Ett eller flera valda boenden finns inte bland de boenden du "
                "kan planera för. Ingenting är bokat."
            )
        names = ", ".join(sorted(h.name for h in in_scope))
        raise PlanInputError(
            f"{names} har redan en dialog {params.year}. Det får bara finnas en "
            "dialog per boende och år. Ingenting är bokat."
        )
    return [by_id[i] for i in wanted]


def _person_key(contact_or_participant) -> str:
    email = (contact_or_participant.email or "").strip().lower()
    return email or f"kontakt-{contact_or_participant.id}"


def build_request(scope: Scope, params: PlannerParams, today: date) -> tuple[PlanRequest, dict]:
    homes = _selected_homes(scope, params)
    ids = [h.id for h in homes]
    centre_ids = {h.health_centre_id for h in homes if h.health_centre_id}
    # Plain rows, not ORM objects: a national plan reads some 10,000 contacts.
    contacts = (
        db.session.execute(
            sa.select(
                Contact.id,
                Contact.name,
                Contact.email,
                Contact.role,
                Contact.care_home_id,
                Contact.health_centre_id,
            ).where(
                sa.or_(Contact.care_home_id.in_(ids), Contact.health_centre_id.in_(centre_ids)),
                Contact.active.is_(True),
            )
        ).all()
        if ids
        else []
    )
    people, own, of_centre = {}, {}, {}
    for c in contacts:
        key = _person_key(c)
        people.setdefault(key, Person(key, c.name, c.role.label))
        bucket = own if c.care_home_id is not None else of_centre
        bucket.setdefault(c.care_home_id or c.health_centre_id, []).append(key)

    previous = previous_dates(ids, params.year)
    planner_homes = []
    for h in homes:
        pref = params.preferences.get(h.id, Preference())
        centre_pref = params.centre_preferences.get(h.health_centre_id, Preference())
        pref = Preference(
            pref.weekday if pref.weekday is not None else centre_pref.weekday,
            pref.part or centre_pref.part,
        )
        prev_day, prev_start = previous.get(h.id, (None, None))
        keys = tuple(dict.fromkeys(own.get(h.id, []) + of_centre.get(h.health_centre_id, [])))
        planner_homes.append(
            Home(
                h.id,
                h.name,
                keys,
                h.health_centre_id,
                h.municipality.region_id,
                prev_day,
                prev_start,
                pref,
            )
        )

    # Every live dialogue of the year whose people overlap: they are busy that day.
    booked_rows = db.session.execute(
        sa.select(
            Dialogue.care_home_id,
            CareHome.name,
            Dialogue.starts_at,
            Dialogue.ends_at,
            Participant.email,
            Participant.id,
        )
        .join(CareHome, CareHome.id == Dialogue.care_home_id)
        .join(Participant, Participant.dialogue_id == Dialogue.id)
        .where(
            Dialogue.year == params.year,
            Dialogue.status != DialogueStatus.CANCELLED,
            Participant.removed_at.is_(None),
        )
    ).all()
    grouped: dict[tuple, list[str]] = {}
    for home_id, name, starts, ends, email, pid in booked_rows:
        key = (email or "").strip().lower() or f"deltagare-{pid}"
        if key in people:
            grouped.setdefault((home_id, name, starts, ends), []).append(key)
    booked = []
    for (home_id, name, starts, ends), keys in grouped.items():
        start, end = local(starts), local(ends)
        booked.append(
            Booked(
                home_id,
                name,
                start.date(),
                start.time().replace(second=0),
                end.time().replace(second=0),
                tuple(keys),
            )
        )

    regions = {h.region_id for h in planner_homes}
    request = PlanRequest(
        year=params.year,
        period_start=params.period_start,
        period_end=params.period_end,
        today=today,
        homes=planner_homes,
        people=people,
        booked=booked,
        days_off=planner.swedish_days_off([params.year]),
        # One query for every region's settings, not one per region.
        blocked={
            r: [BlockedPeriod(*p) for p in periods]
            for r, periods in blocked_periods_by_region(regions, params.year).items()
        },
        length=params.length,
        day_start=params.day_start,
        day_end=params.day_end,
        usual_start=params.usual_start,
        home_names={h.id: h.name for h in homes} | {b.home_id: b.home_name for b in booked},
    )
    return request, {h.id: h for h in homes}


def propose_plan(scope: Scope, params: PlannerParams, today: date) -> PlannerResult:
    request, homes = build_request(scope, params, today)
    plan = planner.propose(request)
    return PlannerResult(
        plan, homes, {h.id: h.previous_day for h in request.homes if h.previous_day}
    )


def recheck(
    scope: Scope, params: PlannerParams, slots: dict[int, Slot], today: date
) -> PlannerResult:
    """Check the user's edited rows: every rule, the rows against each other and the booked."""
    params.home_ids = list(slots)
    request, homes = build_request(scope, params, today)
    planner.validate(request)
    issues = planner.check(request, slots)
    plan = Plan(request, slots, issues, planner.explain(request, issues, slots))
    return PlannerResult(
        plan, homes, {h.id: h.previous_day for h in request.homes if h.previous_day}
    )


def book_plan(
    scope: Scope, params: PlannerParams, slots: dict[int, Slot], *, actor, today: date
) -> tuple[list[Dialogue], int]:
    """Book every row and queue its invitations in the caller's transaction: the edge commits
    all of it, or rolls it all back on any refusal.

    Refused (PlanConflictError) while any hard rule is broken: a clash is never booked. Two
    planners booking at once are serialised (PostgreSQL: an advisory lock; SQLite: every
    transaction already begins IMMEDIATE), so the re-check sees the other's committed
    dialogues and a shared physician cannot be double-booked by a race."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": PLANNER_LOCK})
    return _book_checked(scope, params, slots, actor=actor, today=today)


def _book_checked(scope, params, slots, *, actor, today):
    result = recheck(scope, params, slots, today)
    plan = result.plan
    if plan.hard_count:
        names = ", ".join(sorted(result.homes[h].name for h in plan.hard_homes()))
        raise PlanConflictError(
            f"Ingenting är bokat: förslaget har {plan.hard_count} olösta konflikter ({names}). "
            "Ändra de markerade raderna eller ta bort dem ur bokningen och försök igen."
        )
    dialogues, queued = [], 0
    for slot in sorted(slots.values(), key=lambda s: (s.day, s.start, s.home_id)):
        home = result.homes[slot.home_id]
        location = home.name + (f", {home.address}" if home.address else "")
        contacts = eligible_contacts(home, home.health_centre)
        dialogue = book_dialogue(
            home,
            Booking(
                day=slot.day,
                start=slot.start,
                end=slot.end,
                location=location,
                health_centre_id=home.health_centre_id,
                contact_ids=[c.id for c in contacts],
            ),
            actor=actor,
        )
        queued += queue_invitations(dialogue, actor=actor) or 0
        dialogues.append(dialogue)
    return dialogues, queued
