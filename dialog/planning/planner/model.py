"""The year planner's vocabulary: rules, inputs and outputs as plain dataclasses, and the
Swedish calendar (holidays, eves, half days) the rules are checked against. No database."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import holidays as holidays_lib

HARD_RULES = {
    "period": "Inom perioden",
    "arbetsdag": "Bara arbetsdagar",
    "helgdag": "Inga helgdagar eller aftnar",
    "halvdag": "Halvdag: mötet ska sluta senast kl. 14.00",
    "sparrad": "Inga spärrade perioder",
    "motestid": "Inom mötestiderna",
    "sommartid": "En klocktid som finns och bara inträffar en gång",
    "samtidigt": "Ingen i två dialoger samtidigt",
    "restid": "Ingen på två boenden samma dag (restid)",
}
SOFT_RULES = {
    "veckodag": "Önskad veckodag",
    "tid_pa_dagen": "Önskad tid på dagen",
    "spridning": "Boenden med samma vårdcentral sprids ut",
    "rytm": "Nära förra årets datum",
}
CALENDAR_RULES = frozenset(
    {"period", "arbetsdag", "helgdag", "halvdag", "sparrad", "motestid", "sommartid"}
)
PERSON_RULES = frozenset({"samtidigt", "restid"})
WEEKDAYS = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
PARTS = {"fm": "förmiddag", "em": "eftermiddag"}
HALF_DAY_END = time(14, 0)
NOON = time(12, 0)
RHYTHM_DAYS = 14  # within two weeks of last year's date keeps the rhythm
STEP_MINUTES = 30
COST = {"veckodag": 40, "tid_pa_dagen": 20, "spridning": 30, "rytm": 25}


class PlanInputError(ValueError):
    """Bad planner input; the message is Swedish and shown as it is."""


@dataclass(frozen=True)
class DayOff:
    name: str
    half: bool = False  # "från kl. 14.00": a meeting must end by then


@dataclass(frozen=True)
class BlockedPeriod:
    name: str
    start: date
    end: date


@dataclass(frozen=True)
class Person:
    key: str  # lower-case e-mail: the same person across homes
    name: str
    role: str = ""  # Swedish role label

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


@dataclass(frozen=True)
class Preference:
    weekday: int | None = None  # 0 = Monday
    part: str | None = None  # "fm" or "em"


@dataclass(frozen=True)
class Home:
    id: int
    name: str
    people: tuple[str, ...] = ()
    centre_id: int | None = None
    region_id: int | None = None
    previous_day: date | None = None
    previous_start: time | None = None
    preference: Preference = Preference()


@dataclass(frozen=True)
class Booked:
    """A dialogue already booked in the year (not cancelled)."""

    home_id: int
    home_name: str
    day: date
    start: time
    end: time
    people: tuple[str, ...] = ()


@dataclass(frozen=True)
class Slot:
    home_id: int
    day: date
    start: time
    end: time


@dataclass(frozen=True)
class Issue:
    home_id: int
    rule: str
    message: str
    people: tuple[str, ...] = ()
    other_home_id: int | None = None

    @property
    def hard(self) -> bool:
        return self.rule in HARD_RULES

    @property
    def label(self) -> str:
        return HARD_RULES.get(self.rule) or SOFT_RULES[self.rule]


@dataclass
class PlanRequest:
    year: int
    period_start: date
    period_end: date
    today: date
    homes: list[Home]
    people: dict[str, Person] = field(default_factory=dict)
    booked: list[Booked] = field(default_factory=list)
    days_off: dict[date, DayOff] = field(default_factory=dict)
    blocked: dict[int | None, list[BlockedPeriod]] = field(default_factory=dict)
    length: int = 120  # minutes
    day_start: time = time(8, 0)
    day_end: time = time(16, 0)
    usual_start: time = time(13, 0)
    home_names: dict[int, str] = field(default_factory=dict)

    def name_of(self, home_id: int) -> str:
        return self.home_names.get(home_id) or next(
            (h.name for h in self.homes if h.id == home_id), f"boende {home_id}"
        )

    def person(self, key: str) -> str:
        return str(self.people.get(key) or Person(key, key))


@dataclass
class Plan:
    request: PlanRequest
    slots: dict[int, Slot]
    issues: dict[int, list[Issue]]
    problems: list[Issue] = field(default_factory=list)  # plan-wide: rule + people

    @property
    def hard_count(self) -> int:
        return sum(1 for items in self.issues.values() for i in items if i.hard)

    @property
    def soft_count(self) -> int:
        return sum(1 for items in self.issues.values() for i in items if not i.hard)

    def hard_homes(self) -> list[int]:
        return [h for h, items in self.issues.items() if any(i.hard for i in items)]


# --- calendar ----------------------------------------------------------------------------------


def swedish_days_off(years) -> dict[date, DayOff]:
    """Public holidays, eves (midsommar-, jul-, nyårs-, påskafton …) and half days, in Swedish."""
    return dict(_days_off(tuple(sorted(set(years)))))


@functools.lru_cache(maxsize=16)
def _days_off(years: tuple[int, ...]) -> dict[date, DayOff]:
    found = holidays_lib.country_holidays(
        "SE",
        years=list(years),
        language="sv",
        categories=("public", "de_facto", "bank", "optional"),
    )
    days = {}
    for day, names in found.items():
        parts = [n.strip() for n in str(names).split(";")]
        half = all("från kl. 14" in n for n in parts)
        name = parts[0].replace(" (från kl. 14.00)", "")
        days[day] = DayOff(name=name + (" (halvdag)" if half else ""), half=half)
    return days


def anniversary(previous: date, year: int) -> date:
    """Last year's date moved to the plan year on the same weekday (52 weeks on, or 53)."""
    target = previous + timedelta(days=364 * (year - previous.year))
    while target.year < year:
        target += timedelta(days=7)
    while target.year > year:
        target -= timedelta(days=7)
    return target


def _add(clock: time, minutes: int) -> time:
    total = clock.hour * 60 + clock.minute + minutes
    return time(min(total, 24 * 60 - 1) // 60, min(total, 24 * 60 - 1) % 60)


def _minutes(clock: time) -> int:
    return clock.hour * 60 + clock.minute


def validate(req: PlanRequest) -> None:
    """Refuse input that cannot give a plan, with a clear Swedish message."""
    if req.period_end < req.period_start:
        raise PlanInputError("Periodens slutdatum ligger före startdatumet.")
    if req.period_start.year != req.year or req.period_end.year != req.year:
        raise PlanInputError(f"Perioden måste ligga inom år {req.year}.")
    if req.period_end < req.today:
        raise PlanInputError(f"Perioden har redan passerat (i dag är det {req.today.isoformat()}).")
    if req.period_start < req.today:
        raise PlanInputError(
            f"Perioden börjar i det förflutna. Välj ett startdatum från och med "
            f"i dag ({req.today.isoformat()})."
        )
    if req.length <= 0 or _minutes(req.day_start) + req.length > _minutes(req.day_end):
        raise PlanInputError(
            f"Ett möte på {req.length} minuter får inte plats mellan kl. "
            f"{req.day_start:%H.%M} och kl. {req.day_end:%H.%M}."
        )
    if not req.homes:
        raise PlanInputError(
            "Det finns inga boenden att planera: välj minst ett boende utan dialog detta år."
        )
    for region_id in {h.region_id for h in req.homes}:
        if not possible_days(req, region_id):
            names = sorted({p.name for p in req.blocked.get(region_id, [])})
            extra = f" och spärrade perioder ({', '.join(names)})" if names else ""
            raise PlanInputError(
                f"Alla dagar i perioden {req.period_start.isoformat()}–{req.period_end.isoformat()}"
                f" är spärrade: helger, helgdagar och aftnar{extra}. Välj en längre period."
            )


def possible_days(req: PlanRequest, region_id: int | None) -> list[date]:
    """Working days of the period on which a meeting fits, for homes of one region."""
    cache = req.__dict__.setdefault("_possible", {})
    if region_id in cache:
        return cache[region_id]
    blocked = req.blocked.get(region_id, [])
    half_fits = _minutes(req.day_start) + req.length <= _minutes(HALF_DAY_END)
    days, day = [], req.period_start
    while day <= req.period_end:
        off = req.days_off.get(day)
        if (
            day.weekday() < 5
            and (off is None or (off.half and half_fits))
            and not any(p.start <= day <= p.end for p in blocked)
        ):
            days.append(day)
        day += timedelta(days=1)
    cache[region_id] = days
    return days


def slot_from_text(home_id: int, day: str, start: str, end: str) -> Slot:
    """Parse an edited row (ÅÅÅÅ-MM-DD, TT:MM); raises PlanInputError in Swedish."""
    try:
        parsed_day = date.fromisoformat(day.strip())
    except ValueError:
        raise PlanInputError(f"Ogiltigt datum ”{day}”: skriv ÅÅÅÅ-MM-DD.") from None
    try:
        parsed = [
            datetime.strptime(v.strip().replace(".", ":"), "%H:%M").time() for v in (start, end)
        ]
    except ValueError:
        raise PlanInputError(f"Ogiltig tid ”{start}”–”{end}”: skriv TT:MM.") from None
    return Slot(home_id, parsed_day, parsed[0], parsed[1])
