"""The planner's rules, one by one, on plain data."""

from datetime import date, time, timedelta

import pytest

from dialog.planning.planner.algorithm import (
    BlockedPeriod,
    Booked,
    PlanInputError,
    Preference,
    Slot,
    check,
    propose,
)

from .helpers import DAYS_OFF, YEAR, home, request


def rules(issues):
    return {i.rule for items in issues.values() for i in items}


def test_swedish_eves_and_holidays_are_blocked_and_half_days_end_by_two():
    names = {d: off.name for d, off in DAYS_OFF.items()}
    assert names[date(YEAR, 6, 25)] == "Midsommarafton"
    assert names[date(YEAR, 12, 24)] == "Julafton"
    assert names[date(YEAR, 12, 31)] == "Nyårsafton"
    assert names[date(YEAR, 3, 27)] == "Påskafton"
    assert not DAYS_OFF[date(YEAR, 6, 25)].half
    assert DAYS_OFF[date(YEAR, 4, 30)].half  # Valborgsmässoafton from 14.00
    req = request([home(1, "x@ex.org")], blocked=[])
    slots = {1: Slot(1, date(YEAR, 6, 25), time(9), time(11))}
    assert [i.rule for i in check(req, slots)[1]] == ["helgdag"]
    slots = {1: Slot(1, date(YEAR, 4, 30), time(13), time(15))}
    issue = check(req, slots)[1][0]
    assert issue.rule == "halvdag" and "14.00" in issue.message
    slots = {1: Slot(1, date(YEAR, 4, 30), time(9), time(11))}
    assert check(req, slots)[1] == []


def test_proposal_avoids_weekends_holidays_and_blocked_periods():
    homes = [home(i, f"p{i}@ex.org") for i in range(1, 30)]
    # A period over Easter, Ascension and into summer: few days left.
    req = request(homes, start=date(YEAR, 3, 22), end=date(YEAR, 7, 1))
    plan = propose(req)
    assert plan.hard_count == 0
    for slot in plan.slots.values():
        assert slot.day.weekday() < 5
        assert slot.day not in DAYS_OFF or DAYS_OFF[slot.day].half
        assert not date(YEAR, 6, 15) <= slot.day <= date(YEAR, 8, 15)


def test_shared_physician_is_never_in_two_homes_on_one_day():
    homes = [home(i, "lakare@ex.org", f"chef{i}@ex.org", centre=1) for i in range(1, 9)]
    plan = propose(request(homes, start=date(YEAR, 9, 1), end=date(YEAR, 9, 30)))
    assert plan.hard_count == 0
    days = [s.day for s in plan.slots.values()]
    assert len(set(days)) == len(days)
    # Homes of one centre are spread: not two in the same week when there is room.
    weeks = [d.isocalendar()[1] for d in days]
    assert max(weeks.count(w) for w in set(weeks)) <= 2


def test_booked_dialogue_blocks_its_people_that_day():
    booked = [Booked(99, "Redan bokat", date(YEAR, 3, 10), time(13), time(15), ("chef@ex.org",))]
    req = request([home(1, "chef@ex.org", previous=date(YEAR - 1, 3, 11))], booked=booked)
    plan = propose(req)
    assert plan.slots[1].day != date(YEAR, 3, 10)
    edited = {1: Slot(1, date(YEAR, 3, 10), time(14), time(16))}
    issue = next(i for i in check(req, edited)[1] if i.hard)
    assert issue.rule == "samtidigt" and "Redan bokat" in issue.message
    assert issue.people == ("chef@ex.org",)
    edited = {1: Slot(1, date(YEAR, 3, 10), time(8), time(10))}
    issue = next(i for i in check(req, edited)[1] if i.hard)
    assert issue.rule == "restid" and "restid" in issue.message


def test_previous_year_gives_the_rhythm_and_preferences_are_followed():
    prev = date(YEAR - 1, 10, 14)  # a Wednesday
    req = request(
        [
            home(1, "a@ex.org", previous=prev),
            home(2, "b@ex.org", pref=Preference(weekday=4, part="fm")),
        ]
    )
    plan = propose(req)
    assert plan.slots[1].day == prev + timedelta(days=364)
    assert plan.slots[1].day.weekday() == prev.weekday()
    assert plan.slots[2].day.weekday() == 4 and plan.slots[2].start < time(12)
    assert plan.soft_count == 0


def test_too_many_homes_for_one_physician_names_the_rule_and_the_person():
    homes = [home(i, "lakare@ex.org", centre=1) for i in range(1, 13)]
    # Two working weeks: ten days for twelve homes.
    plan = propose(request(homes, start=date(YEAR, 9, 6), end=date(YEAR, 9, 17)))
    assert plan.hard_count > 0
    assert len(plan.hard_homes()) >= 2
    problem = plan.problems[0]
    assert problem.rule == "restid" and problem.people == ("lakare@ex.org",)
    assert "12 dialoger" in problem.message and "10 möjliga dagar" in problem.message
    # Only the person rules can be left broken; the calendar is always respected.
    assert rules(plan.issues) & {"period", "arbetsdag", "helgdag", "sparrad", "motestid"} == set()


@pytest.mark.parametrize(
    "start,end,message",
    [
        (date(YEAR, 5, 1), date(YEAR, 4, 1), "före startdatumet"),
        (date(YEAR, 1, 1), date(YEAR + 1, 1, 31), f"inom år {YEAR}"),
        (date(YEAR, 6, 20), date(YEAR, 8, 10), "Alla dagar i perioden"),
        (date(YEAR, 12, 24), date(YEAR, 12, 26), "Alla dagar i perioden"),
    ],
)
def test_bad_periods_are_refused_with_clear_messages(start, end, message):
    with pytest.raises(PlanInputError, match=message):
        propose(request([home(1, "a@ex.org")], start=start, end=end))


def test_period_in_the_past_is_refused():
    req = request([home(1, "a@ex.org")], start=date(YEAR, 2, 1), end=date(YEAR, 3, 1))
    req.today = date(YEAR, 4, 1)
    with pytest.raises(PlanInputError, match="redan passerat"):
        propose(req)
    req.today = date(YEAR, 2, 10)
    with pytest.raises(PlanInputError, match="förflutna"):
        propose(req)


def test_meeting_that_does_not_fit_the_day_and_no_homes_are_refused():
    with pytest.raises(PlanInputError, match="får inte plats"):
        propose(request([home(1, "a@ex.org")], length=180, day_start=time(8), day_end=time(10)))
    with pytest.raises(PlanInputError, match="inga boenden"):
        propose(request([]))


def test_region_blocked_period_is_respected():
    blocked = [BlockedPeriod("Inventering", date(YEAR, 9, 1), date(YEAR, 9, 20))]
    plan = propose(
        request(
            [home(1, "a@ex.org")], start=date(YEAR, 9, 1), end=date(YEAR, 9, 30), blocked=blocked
        )
    )
    assert plan.slots[1].day > date(YEAR, 9, 20)
    edited = {1: Slot(1, date(YEAR, 9, 10), time(13), time(15))}
    assert "Inventering" in check(plan.request, edited)[1][0].message


def test_last_years_date_moves_to_the_same_weekday_in_the_plan_year():
    from dialog.planning.planner.algorithm import anniversary

    assert anniversary(date(YEAR - 1, 1, 1), YEAR) == date(YEAR, 1, 7)  # not into YEAR-1
    assert anniversary(date(YEAR - 1, 10, 14), YEAR) == date(YEAR, 10, 13)
    assert anniversary(date(YEAR - 1, 12, 31), YEAR).year == YEAR
    for prev in (date(YEAR - 1, 1, 1), date(YEAR - 1, 12, 31), date(YEAR - 3, 6, 1)):
        assert anniversary(prev, YEAR).weekday() == prev.weekday()
