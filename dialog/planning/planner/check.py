"""The year planner's checks: every rule for any set of slots (a proposal or the user's edit
of it), and the plan-wide explanation of which rule and which people make a plan impossible."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, time

from ...timeutil import LocalTimeError, check_local_time
from ...wording import count, plural
from .model import (
    HALF_DAY_END,
    NOON,
    PARTS,
    PERSON_RULES,
    RHYTHM_DAYS,
    WEEKDAYS,
    Home,
    Issue,
    PlanRequest,
    Slot,
    anniversary,
    possible_days,
)


def check(req: PlanRequest, slots: dict[int, Slot]) -> dict[int, list[Issue]]:
    """Every rule, for every slot, against each other and the booked dialogues."""
    homes = {h.id: h for h in req.homes}
    issues: dict[int, list[Issue]] = {home_id: [] for home_id in slots}
    # Everyone's appointments per day: (home id, start, end, booked?)
    agenda: dict[tuple[str, date], list[tuple[int, time, time, bool]]] = defaultdict(list)
    for b in req.booked:
        for person in b.people:
            agenda[(person, b.day)].append((b.home_id, b.start, b.end, True))
    for slot in slots.values():
        for person in homes[slot.home_id].people:
            agenda[(person, slot.day)].append((slot.home_id, slot.start, slot.end, False))
    booked_names = {b.home_id: b.home_name for b in req.booked}
    weeks: dict[tuple, list[int]] = defaultdict(list)
    for slot in slots.values():
        centre = homes[slot.home_id].centre_id
        if centre is not None:
            weeks[(centre, *slot.day.isocalendar()[:2])].append(slot.home_id)

    for home_id, slot in slots.items():
        home = homes[home_id]
        found = issues[home_id]
        found.extend(_calendar_issues(req, home, slot))
        clashes: dict[tuple[str, int], list[str]] = defaultdict(list)
        for person in home.people:
            for other_id, start, end, _booked in agenda[(person, slot.day)]:
                if other_id == home_id:
                    continue
                rule = "samtidigt" if start < slot.end and slot.start < end else "restid"
                clashes[(rule, other_id)].append(person)
        for (rule, other_id), people in sorted(clashes.items(), key=lambda kv: kv[0][1]):
            names = ", ".join(req.person(p) for p in people)
            if other_id in booked_names and other_id not in slots:
                other = f"den redan bokade dialogen på {booked_names[other_id]}"
            else:
                other = f"förslaget för {req.name_of(other_id)}"
            if rule == "samtidigt":
                text = f"{names} är samtidigt kallad till {other}."
            else:
                text = f"{names} ska samma dag till {other}, ett annat boende (restid)."
            found.append(Issue(home_id, rule, text, tuple(people), other_id))
        found.extend(_soft_issues(req, home, slot, weeks))
    return issues


def _calendar_issues(req: PlanRequest, home: Home, slot: Slot) -> list[Issue]:
    found, day = [], slot.day
    if not req.period_start <= day <= req.period_end:
        found.append(
            Issue(
                home.id,
                "period",
                f"{day.isoformat()} ligger utanför perioden "
                f"{req.period_start.isoformat()}–{req.period_end.isoformat()}.",
            )
        )
    if day.weekday() >= 5:
        found.append(
            Issue(home.id, "arbetsdag", f"{day.isoformat()} är en {WEEKDAYS[day.weekday()]}.")
        )
    off = req.days_off.get(day)
    if off is not None and not off.half:
        found.append(Issue(home.id, "helgdag", f"{day.isoformat()} är {off.name.lower()}."))
    elif off is not None and slot.end > HALF_DAY_END:
        found.append(
            Issue(
                home.id,
                "halvdag",
                f"{day.isoformat()} är {off.name.lower()}: mötet måste sluta senast kl. 14.00.",
            )
        )
    for period in req.blocked.get(home.region_id, []):
        if period.start <= day <= period.end:
            found.append(
                Issue(
                    home.id,
                    "sparrad",
                    f"{day.isoformat()} ligger i den spärrade "
                    f"perioden {period.name} ({period.start.isoformat()}–"
                    f"{period.end.isoformat()}).",
                )
            )
    for clock in dict.fromkeys((slot.start, slot.end)):
        try:
            check_local_time(day, clock)
        except LocalTimeError as error:
            found.append(Issue(home.id, "sommartid", str(error)))
    if slot.end <= slot.start:
        found.append(Issue(home.id, "motestid", "Sluttiden måste vara efter starttiden."))
    elif slot.start < req.day_start or slot.end > req.day_end:
        found.append(
            Issue(
                home.id,
                "motestid",
                f"Mötet ska ligga mellan kl. {req.day_start:%H.%M} och kl. {req.day_end:%H.%M}.",
            )
        )
    return found


def _soft_issues(req, home: Home, slot: Slot, weeks) -> list[Issue]:
    found, pref = [], home.preference
    if pref.weekday is not None and slot.day.weekday() != pref.weekday:
        found.append(
            Issue(
                home.id,
                "veckodag",
                f"Önskad veckodag är {WEEKDAYS[pref.weekday]}, "
                f"förslaget är en {WEEKDAYS[slot.day.weekday()]}.",
            )
        )
    if pref.part is not None and (pref.part == "fm") != (slot.start < NOON):
        found.append(Issue(home.id, "tid_pa_dagen", f"Önskad tid är {PARTS[pref.part]}."))
    if home.centre_id is not None:
        same = [h for h in weeks[(home.centre_id, *slot.day.isocalendar()[:2])] if h != home.id]
        if same:
            names = ", ".join(req.name_of(h) for h in same)
            found.append(
                Issue(home.id, "spridning", f"Samma vecka som {names} (samma vårdcentral).")
            )
    if home.previous_day is not None:
        target = anniversary(home.previous_day, req.year)
        distance = abs((slot.day - target).days)
        if distance > RHYTHM_DAYS:
            found.append(
                Issue(
                    home.id,
                    "rytm",
                    f"Förra årets dialog var {home.previous_day.isoformat()};"
                    f" förslaget ligger {count(distance, 'dag', 'dagar')} från samma tid i år.",
                )
            )
    return found


def explain(
    req: PlanRequest, issues: dict[int, list[Issue]], slots: dict[int, Slot] | None = None
) -> list[Issue]:
    """Plan-wide reasons why the person rules are not met: which rule, which people.

    First the people with more dialogues than free days (impossible whatever the dates); then,
    for an edited plan (slots given), each double-booked person with the homes and the day;
    for a proposal, the people who made the calendar too tight to find a free day."""
    by_person: dict[str, list[Issue]] = defaultdict(list)
    for items in issues.values():
        for issue in items:
            if issue.rule in PERSON_RULES:
                for person in issue.people:
                    by_person[person].append(issue)
    if not by_person:
        return []
    homes_of: dict[str, list[Home]] = defaultdict(list)
    for home in req.homes:
        for person in home.people:
            if person in by_person:
                homes_of[person].append(home)
    problems, covered = [], set()
    for person in sorted(by_person, key=lambda p: (-len(homes_of[p]), p)):
        own = homes_of[person]
        free = set()
        for region_id in {h.region_id for h in own}:
            free.update(possible_days(req, region_id))
        taken = {b.day for b in req.booked if person in b.people}
        supply = len(free - taken)
        busy = (
            f" (utöver {len(taken & free)} dagar med redan bokade dialoger)" if taken & free else ""
        )
        if len(own) > supply:
            covered.add(person)
            problems.append(
                Issue(
                    0,
                    "restid",
                    (
                        f"{req.person(person)} ska delta i {count(len(own), 'dialog', 'dialoger')} men "
                        f"perioden har bara {supply} {plural(supply, 'möjlig dag', 'möjliga dagar')} "
                        f"för hen{busy}. Förläng perioden, välj färre boenden "
                        "eller låt en ersättare delta."
                    ),
                    (person,),
                )
            )
    rest = [p for p in sorted(by_person) if p not in covered]
    if rest and slots is not None:
        for person in rest:
            found = by_person[person]
            rule = "samtidigt" if any(i.rule == "samtidigt" for i in found) else "restid"
            home_ids = sorted({i.home_id for i in found} | {i.other_home_id for i in found})
            days = sorted({slots[h].day for h in home_ids if h in slots})
            names = " och ".join(req.name_of(h) for h in home_ids)
            when = ", ".join(d.isoformat() for d in days)
            problems.append(
                Issue(
                    0,
                    rule,
                    (
                        f"{req.person(person)} är kallad till {names} samma dag ({when}). Flytta en av "
                        "dialogerna eller ta bort den ur bokningen."
                    ),
                    (person,),
                )
            )
    elif rest:
        names = ", ".join(req.person(p) for p in rest)
        rule = (
            "samtidigt"
            if any(i.rule == "samtidigt" for p in rest for i in by_person[p])
            else "restid"
        )
        problems.append(
            Issue(
                0,
                rule,
                (
                    f"Det fanns ingen dag där alla deltagare var lediga för varje boende. Dessa personer "
                    f"deltar i flera dialoger och gör planen trång: {names}. Flytta en dialog för hand, "
                    "förläng perioden eller låt en ersättare delta."
                ),
                tuple(rest),
            )
        )
    return problems
