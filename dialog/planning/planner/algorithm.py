"""The year planner's algorithm, on plain dataclasses: no database, no Flask.

`propose()` gives every home a day and a time; `check()` re-checks any set of slots (the
proposal, or the user's edited version of it) against every rule and says what is broken and
who makes it so. Hard rules are never broken by the proposal except the person rules, and then
only when no day satisfies them: such slots carry their conflicts and the plan names the rule
and the people that make it impossible. Soft rules are preferences; misses are counted.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import date, time

from .check import check, explain
from .model import (
    CALENDAR_RULES,
    COST,
    HALF_DAY_END,
    HARD_RULES,
    NOON,
    PARTS,
    PERSON_RULES,
    RHYTHM_DAYS,
    SOFT_RULES,
    STEP_MINUTES,
    WEEKDAYS,
    BlockedPeriod,
    Booked,
    DayOff,
    Home,
    Issue,
    Person,
    Plan,
    PlanInputError,
    PlanRequest,
    Preference,
    Slot,
    _add,
    _minutes,
    anniversary,
    possible_days,
    slot_from_text,
    swedish_days_off,
    validate,
)

__all__ = [
    "CALENDAR_RULES",
    "HARD_RULES",
    "PARTS",
    "PERSON_RULES",
    "SOFT_RULES",
    "WEEKDAYS",
    "BlockedPeriod",
    "Booked",
    "DayOff",
    "Home",
    "Issue",
    "Person",
    "Plan",
    "PlanInputError",
    "PlanRequest",
    "Preference",
    "Slot",
    "anniversary",
    "check",
    "explain",
    "possible_days",
    "propose",
    "slot_from_text",
    "swedish_days_off",
    "validate",
]


def _start_for(req: PlanRequest, home: Home, day: date) -> tuple[time, bool]:
    """The start time on that day: last year's or the usual time, moved to the preferred part
    of the day; returns (start, whether the part preference is met)."""
    latest = _minutes(req.day_end) - req.length
    off = req.days_off.get(day)
    if off is not None and off.half:
        latest = min(latest, _minutes(HALF_DAY_END) - req.length)
    earliest = _minutes(req.day_start)
    wanted = _minutes(home.previous_start or req.usual_start)
    part = home.preference.part
    if part == "fm" and wanted >= _minutes(NOON):
        wanted = earliest
    elif part == "em" and wanted < _minutes(NOON):
        wanted = max(_minutes(time(13, 0)), earliest)
    start = min(max(wanted, earliest), latest)
    start -= (start - earliest) % STEP_MINUTES
    clock = time(start // 60, start % 60)
    met = part is None or (part == "fm") == (clock < NOON)
    return clock, met


# --- proposing ---------------------------------------------------------------------------------


def _target(req: PlanRequest, home: Home, rank: float, days: list[date]) -> date:
    if home.previous_day is not None:
        return anniversary(home.previous_day, req.year)
    return days[min(len(days) - 1, int(rank * len(days)))]


def _spread_ranks(homes: list[Home]) -> dict[int, float]:
    """Interleave the homes of each health centre over the period: round-robin over centres."""
    by_centre: dict = defaultdict(list)
    for home in sorted(homes, key=lambda h: (h.centre_id is None, h.centre_id or 0, h.name)):
        by_centre[home.centre_id].append(home)
    order, queues = [], [list(v) for v in by_centre.values()]
    queues.sort(key=len, reverse=True)
    while any(queues):
        for queue in queues:
            if queue:
                order.append(queue.pop(0))
    n = len(order)
    return {home.id: (i + 0.5) / n for i, home in enumerate(order)}


def propose(req: PlanRequest) -> Plan:
    validate(req)
    homes = {h.id: h for h in req.homes}
    # Who is busy which day, and with which home: seeded with the dialogues already booked.
    busy: dict[str, dict[date, set[int]]] = defaultdict(lambda: defaultdict(set))
    for b in req.booked:
        for person in b.people:
            busy[person][b.day].add(b.home_id)
    demand: dict[str, int] = defaultdict(int)
    for home in req.homes:
        for person in home.people:
            demand[person] += 1
    centre_weeks: dict[tuple, int] = defaultdict(int)
    ranks = _spread_ranks(req.homes)
    targets = {
        h.id: _target(req, h, ranks[h.id], possible_days(req, h.region_id)) for h in req.homes
    }
    # Most constrained first: the homes whose people serve the most homes.
    order = sorted(
        req.homes,
        key=lambda h: (
            -max((demand[p] for p in h.people), default=0),
            h.previous_day is None,
            targets[h.id],
            h.id,
        ),
    )
    chosen: dict[int, date] = {}

    def place(home: Home, day: date, sign: int = 1) -> None:
        for person in home.people:
            if sign > 0:
                busy[person][day].add(home.id)
            else:
                busy[person][day].discard(home.id)
        if home.centre_id is not None:
            centre_weeks[(home.centre_id, *day.isocalendar()[:2])] += sign

    for home in order:
        day = _best_day(req, home, targets[home.id], busy, centre_weeks)
        chosen[home.id] = day
        place(home, day)

    # Repair: a home left with a clash may get a free day if one blocking home moves elsewhere.
    for home in order:
        day = chosen[home.id]
        if not _clashes(home, day, busy):
            continue
        place(home, day, -1)
        moved = _repair(req, home, homes, chosen, targets, busy, centre_weeks, place)
        if not moved:
            place(home, day)

    slots = {}
    for home in req.homes:
        day = chosen[home.id]
        start, _ = _start_for(req, home, day)
        slots[home.id] = Slot(home.id, day, start, _add(start, req.length))
    issues = check(req, slots)
    return Plan(request=req, slots=slots, issues=issues, problems=explain(req, issues))


def _clashes(home: Home, day: date, busy) -> int:
    return sum(1 for p in home.people if busy[p].get(day) and busy[p][day] - {home.id})


def _soft_cost(req, home, day, target, centre_weeks) -> int:
    cost = abs((day - target).days)
    pref = home.preference
    if pref.weekday is not None and day.weekday() != pref.weekday:
        cost += COST["veckodag"]
    if pref.part is not None and not _start_for(req, home, day)[1]:
        cost += COST["tid_pa_dagen"]
    if home.centre_id is not None:
        cost += COST["spridning"] * centre_weeks.get((home.centre_id, *day.isocalendar()[:2]), 0)
    if home.previous_day is not None and abs((day - target).days) > RHYTHM_DAYS:
        cost += COST["rytm"]
    return cost


def _best_day(req, home, target, busy, centre_weeks, avoid: date | None = None) -> date:
    """The cheapest clash-free day, searched outward from the target; if none is free, the day
    with the fewest clashes."""
    days = possible_days(req, home.region_id)
    best, best_cost, fallback, fallback_key = None, None, None, None
    i = bisect.bisect_left(days, target)
    lo, hi = i - 1, i
    while lo >= 0 or hi < len(days):
        pick_hi = hi < len(days) and (lo < 0 or (days[hi] - target) <= (target - days[lo]))
        day = days[hi] if pick_hi else days[lo]
        if pick_hi:
            hi += 1
        else:
            lo -= 1
        distance = abs((day - target).days)
        if best_cost is not None and distance >= best_cost:
            break
        if day == avoid:
            continue
        clashes = _clashes(home, day, busy)
        cost = _soft_cost(req, home, day, target, centre_weeks)
        if clashes == 0:
            if best_cost is None or cost < best_cost:
                best, best_cost = day, cost
        elif fallback_key is None or (clashes, cost) < fallback_key:
            fallback, fallback_key = day, (clashes, cost)
    return best if best is not None else fallback


def _repair(req, home, homes, chosen, targets, busy, centre_weeks, place) -> bool:
    """Find a day where every clash is with one planned home that can itself move to a free
    day; make both moves. Bounded: a few candidate days only."""
    days = sorted(
        possible_days(req, home.region_id), key=lambda d: abs((d - targets[home.id]).days)
    )
    for day in days[:60]:
        others = {h for p in home.people for h in busy[p].get(day, ())} - {home.id}
        if len(others) != 1:
            continue
        other_id = next(iter(others))
        other = homes.get(other_id)
        if other is None:  # an already booked dialogue cannot move
            continue
        place(other, day, -1)
        new_day = _best_day(req, other, targets[other_id], busy, centre_weeks, avoid=day)
        if (
            new_day is not None
            and not _clashes(other, new_day, busy)
            and not _clashes(home, day, busy)
        ):
            chosen[other_id] = new_day
            place(other, new_day)
            chosen[home.id] = day
            place(home, day)
            return True
        place(other, day)
    return False


# --- checking ----------------------------------------------------------------------------------
