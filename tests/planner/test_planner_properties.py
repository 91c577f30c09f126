"""Property tests: for random registers and calendars, every proposal respects every hard rule
or names the rule it cannot meet (and the people who make it impossible)."""

from datetime import date, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialog.planning.planner.algorithm import (
    CALENDAR_RULES,
    PERSON_RULES,
    BlockedPeriod,
    Booked,
    PlanInputError,
    Preference,
    Slot,
    check,
    possible_days,
    propose,
)

from .helpers import YEAR, home, request

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
POOL = [f"delad{i}@ex.org" for i in range(6)]


@st.composite
def plan_requests(draw):
    n_homes = draw(st.integers(1, 10))
    homes = []
    for i in range(1, n_homes + 1):
        shared = draw(st.lists(st.sampled_from(POOL), max_size=3, unique=True))
        previous = draw(st.none() | st.dates(date(YEAR - 1, 1, 1), date(YEAR - 1, 12, 31)))
        pref = Preference(
            draw(st.none() | st.integers(0, 4)), draw(st.none() | st.sampled_from(["fm", "em"]))
        )
        homes.append(
            home(
                i,
                f"ssk{i}@ex.org",
                *shared,
                centre=draw(st.integers(1, 3)),
                previous=previous,
                pref=pref,
            )
        )
    start = date(YEAR, 1, 1) + timedelta(days=draw(st.integers(0, 330)))
    end = min(start + timedelta(days=draw(st.integers(0, 90))), date(YEAR, 12, 31))
    blocked = []
    for _ in range(draw(st.integers(0, 2))):
        b_start = date(YEAR, 1, 1) + timedelta(days=draw(st.integers(0, 360)))
        b_end = b_start + timedelta(days=draw(st.integers(0, 40)))
        blocked.append(BlockedPeriod("Spärr", b_start, b_end))
    booked = []
    for j in range(draw(st.integers(0, 4))):
        day = start + timedelta(days=draw(st.integers(0, 30)))
        if day.year == YEAR:
            people = tuple(
                draw(st.lists(st.sampled_from(POOL), min_size=1, max_size=2, unique=True))
            )
            booked.append(Booked(100 + j, f"Bokat {j}", day, time(13), time(15), people))
    length = draw(st.sampled_from([60, 90, 120, 180]))
    day_start = draw(st.sampled_from([time(8), time(9), time(10)]))
    return request(
        homes,
        start=start,
        end=end,
        booked=booked,
        blocked=blocked,
        length=length,
        day_start=day_start,
        day_end=time(16),
        usual_start=draw(st.sampled_from([time(8), time(10), time(13), time(14, 30)])),
    )


def violations(req, slots):
    """Hard rules verified from scratch, without the planner's own check()."""
    homes = {h.id: h for h in req.homes}
    found = set()
    for s in slots.values():
        off = req.days_off.get(s.day)
        if not req.period_start <= s.day <= req.period_end:
            found.add((s.home_id, "period"))
        if s.day.weekday() >= 5:
            found.add((s.home_id, "arbetsdag"))
        if off and not off.half:
            found.add((s.home_id, "helgdag"))
        if off and off.half and s.end > time(14):
            found.add((s.home_id, "halvdag"))
        if any(b.start <= s.day <= b.end for b in req.blocked[None]):
            found.add((s.home_id, "sparrad"))
        if s.start < req.day_start or s.end > req.day_end or s.end <= s.start:
            found.add((s.home_id, "motestid"))
        others = [
            (o.home_id, o.day, o.start, o.end, homes[o.home_id].people)
            for o in slots.values()
            if o.home_id != s.home_id
        ]
        others += [(b.home_id, b.day, b.start, b.end, b.people) for b in req.booked]
        for _other_id, day, start, end, people in others:
            if day == s.day and set(people) & set(homes[s.home_id].people):
                overlap = start < s.end and s.start < end
                found.add((s.home_id, "samtidigt" if overlap else "restid"))
    return found


@SETTINGS
@given(plan_requests())
def test_every_proposal_respects_the_hard_rules_or_names_them(req):
    try:
        plan = propose(req)
    except PlanInputError as error:
        # Refused only with a reason that holds.
        text = str(error)
        assert (
            ("Alla dagar" in text and not possible_days(req, None))
            or "får inte plats" in text
            or "före startdatumet" in text
        )
        return
    assert set(plan.slots) == {h.id for h in req.homes}
    assert check(req, plan.slots) == plan.issues  # marks agree with a fresh check
    named = {(h, i.rule) for h, items in plan.issues.items() for i in items if i.hard}
    assert violations(req, plan.slots) == named  # every broken rule is named
    assert not {rule for _, rule in named} & CALENDAR_RULES  # the calendar is never broken
    if named:
        assert plan.problems, "a conflict must come with a plan-wide explanation"
        clashing = {p for items in plan.issues.values() for i in items if i.hard for p in i.people}
        for issue in (i for items in plan.issues.values() for i in items if i.hard):
            assert issue.rule in PERSON_RULES and issue.people and issue.message
        for problem in plan.problems:
            assert problem.rule in PERSON_RULES and set(problem.people) <= clashing
    shared = any(set(a.people) & set(b.people) for a in req.homes for b in req.homes if a.id < b.id)
    if not shared and not req.booked:
        assert not named, "without shared people there is always a clash-free plan"


@SETTINGS
@given(plan_requests(), st.data())
def test_every_edited_proposal_is_rechecked_with_the_rule_named(req, data):
    days = [req.period_start + timedelta(days=d) for d in range(-3, 10)]
    slots = {}
    for h in req.homes:
        start = data.draw(st.sampled_from([time(7), time(9), time(13), time(15)]))
        end = data.draw(st.sampled_from([time(9), time(11), time(15), time(17)]))
        slots[h.id] = Slot(h.id, data.draw(st.sampled_from(days)), start, end)
    issues = check(req, slots)
    named = {(h, i.rule) for h, items in issues.items() for i in items if i.hard}
    assert violations(req, slots) == named
    for items in issues.values():
        for issue in items:
            assert issue.message and issue.label
            if issue.rule in PERSON_RULES:
                assert issue.people and issue.other_home_id is not None
