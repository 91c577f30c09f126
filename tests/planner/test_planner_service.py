"""The planner against the database (SQLite and PostgreSQL): gather, propose, book, roll back."""

from datetime import date, time

import pytest
import sqlalchemy as sa

from dialog import signals
from dialog.extensions import db
from dialog.models import AuditEntry, CareHome, Contact, ContactRole, Dialogue, User
from dialog.models.invitations import OutboxMessage
from dialog.planning.planner import service
from dialog.planning.planner.algorithm import PlanInputError, Slot
from dialog.scope import Scope
from dialog.timeutil import format_time_range as time_range

TODAY = date(2026, 11, 22)


def params(**kw):
    base = dict(year=2027, period_start=date(2027, 1, 11), period_end=date(2027, 12, 17))
    return service.PlannerParams(**(base | kw))


def scope_of(world, username):
    return Scope.of(db.session.get(User, world.users[username]))


def counts():
    return (
        db.session.scalar(sa.select(sa.func.count(Dialogue.id))),
        db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))),
        db.session.scalar(sa.select(sa.func.count(AuditEntry.id))),
    )


def test_proposal_covers_homes_in_scope_without_a_dialogue_and_avoids_booked(app, world, book):
    booked_day = date(2027, 3, 10)
    book("a2", booked_day)
    book("a1", date(2026, 3, 11))  # last year: the rhythm
    with app.test_request_context():
        result = service.propose_plan(scope_of(world, "regional_norr"), params(), TODAY)
        plan = result.plan
        assert set(plan.slots) == {world.homes["a1"], world.homes["b1"]}
        assert plan.hard_count == 0
        a1 = plan.slots[world.homes["a1"]]
        # Near last year's date, but not the day the shared physician is at a2.
        assert a1.day != booked_day
        assert abs((a1.day - date(2027, 3, 10)).days) <= 14
        assert a1.start == time(13, 0)
        home = next(h for h in plan.request.homes if h.id == world.homes["a1"])
        assert "lakare.alfa@test.example.org" in home.people


def test_unit_manager_of_two_homes_is_matched_by_email(app, world):
    with app.test_request_context():
        b1 = db.session.get(CareHome, world.homes["b1"])
        db.session.add(
            Contact(
                name="Test CHEF a1",
                role=ContactRole.UNIT_MANAGER,
                email="Chef.A1@test.example.org",
                care_home=b1,
            )
        )
        db.session.commit()
        scope = scope_of(world, "regional_norr")
        p = params(
            home_ids=[world.homes["a1"], world.homes["b1"]],
            period_start=date(2027, 9, 6),
            period_end=date(2027, 9, 7),
        )
        plan = service.propose_plan(scope, p, TODAY).plan
        assert plan.hard_count == 0
        assert len({s.day for s in plan.slots.values()}) == 2
        same_day = {h: Slot(h, date(2027, 9, 6), time(9), time(11)) for h in plan.slots}
        same_day[world.homes["b1"]] = Slot(world.homes["b1"], date(2027, 9, 6), time(13), time(15))
        issues = service.recheck(scope, p, same_day, TODAY).plan.issues[world.homes["b1"]]
        clash = next(i for i in issues if i.hard)
        assert clash.rule == "restid" and clash.people == ("chef.a1@test.example.org",)
        assert "Test CHEF a1" in clash.message and "Testboendet Ett" in clash.message


def test_home_outside_scope_or_already_booked_is_refused(app, world, book):
    book("a2", date(2027, 3, 10))
    with app.test_request_context():
        scope = scope_of(world, "mas_a")
        with pytest.raises(PlanInputError, match="inte bland de boenden du kan planera"):
            service.propose_plan(scope, params(home_ids=[world.homes["b1"]]), TODAY)
        with pytest.raises(PlanInputError, match="Testboendet Två har redan en dialog 2027"):
            service.propose_plan(scope, params(home_ids=[world.homes["a2"]]), TODAY)
        with pytest.raises(PlanInputError, match="förflutna"):
            service.propose_plan(scope, params(period_start=date(2027, 1, 11)), date(2027, 2, 1))
        assert counts()[0] == 1


def test_book_plan_books_everything_and_queues_invitations_in_one_go(app, world):
    with app.test_request_context():
        scope = scope_of(world, "regional_norr")
        user = db.session.get(User, world.users["regional_norr"])
        plan = service.propose_plan(scope, params(), TODAY).plan
        dialogues, queued = service.book_plan(scope, params(), plan.slots, actor=user, today=TODAY)
        assert len(dialogues) == 3
        stored = db.session.scalars(sa.select(Dialogue)).all()
        assert {d.care_home_id for d in stored} == set(plan.slots)
        participants = sum(len(d.current_participants) for d in stored)
        assert participants == 3 * 5  # three home contacts + physician + centre manager
        assert queued == participants == counts()[1]
        for d in stored:
            slot = plan.slots[d.care_home_id]
            assert d.organiser_id == user.id and d.location.startswith(d.care_home.name)
            assert all(p.invited_sequence is not None for p in d.current_participants)
            assert time_range(d.starts_at, d.ends_at).startswith(slot.day.isoformat())
        actions = db.session.scalars(sa.select(AuditEntry.action)).all()
        assert actions.count("bokade dialog") == 3


def test_unresolved_conflict_is_never_booked(app, world):
    with app.test_request_context():
        scope = scope_of(world, "regional_norr")
        user = db.session.get(User, world.users["regional_norr"])
        a1, a2 = world.homes["a1"], world.homes["a2"]
        slots = {
            a1: Slot(a1, date(2027, 3, 10), time(9), time(11)),
            a2: Slot(a2, date(2027, 3, 10), time(13), time(15)),
        }
        p = params(home_ids=[a1, a2])
        with pytest.raises(service.PlanConflictError, match="Ingenting är bokat"):
            service.book_plan(scope, p, slots, actor=user, today=TODAY)
        assert counts() == (0, 0, 0)


def test_a_failure_midway_rolls_back_the_whole_plan(app, world):
    def fail_on_second(dialogue, **kw):
        if db.session.scalar(sa.select(sa.func.count(Dialogue.id))) >= 2:
            raise RuntimeError("simulated failure after the first booking")

    with app.test_request_context():
        scope = scope_of(world, "regional_norr")
        user = db.session.get(User, world.users["regional_norr"])
        plan = service.propose_plan(scope, params(), TODAY).plan
        signals.dialogue_booked.connect(fail_on_second)
        try:
            with pytest.raises(RuntimeError):
                service.book_plan(scope, params(), plan.slots, actor=user, today=TODAY)
            db.session.rollback()  # the edge rolls back what the failed plan began
        finally:
            signals.dialogue_booked.disconnect(fail_on_second)
        db.session.expire_all()
        assert counts() == (0, 0, 0)
        # And the same plan books cleanly afterwards.
        dialogues, _ = service.book_plan(scope, params(), plan.slots, actor=user, today=TODAY)
        assert len(dialogues) == 3


def test_two_planners_at_once_cannot_double_book_a_shared_physician(app, world):
    """Two users book at the same moment: a1 and a2 (same physician) on the same day."""
    import threading

    from dialog.database import run_again_if_lost_race

    a1, a2 = world.homes["a1"], world.homes["a2"]
    barrier = threading.Barrier(2)
    outcomes = {}

    def plan(home_id, username):
        with app.test_request_context():
            scope = scope_of(world, username)
            user = db.session.get(User, world.users[username])
            slots = {home_id: Slot(home_id, date(2027, 3, 10), time(13), time(15))}
            db.session.commit()  # end the read transaction: both start level
            barrier.wait(30)

            def attempt():  # as the booking view runs it: again if SQLite's write race was lost
                service.book_plan(scope, params(home_ids=[home_id]), slots, actor=user, today=TODAY)
                db.session.commit()

            try:
                run_again_if_lost_race(attempt)
                outcomes[username] = "booked"
            except service.PlanConflictError as error:
                db.session.rollback()
                outcomes[username] = str(error)

    threads = [
        threading.Thread(target=plan, args=(a1, "mas_a")),
        threading.Thread(target=plan, args=(a2, "regional_norr")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(o == "booked" for o in outcomes.values()) == [False, True], outcomes
    with app.app_context():
        assert counts()[0] == 1


def test_region_blocked_periods_come_from_the_region_settings(app, world):
    from dialog.models import RegionSettings

    with app.app_context():
        db.session.add(
            RegionSettings(
                region_id=world.regions["norr"],
                blocked_periods=[{"name": "Inventering", "start": "09-01", "end": "09-30"}],
            )
        )
        db.session.commit()
        scope = scope_of(world, "mas_a")
        sept = params(period_start=date(2027, 9, 1), period_end=date(2027, 9, 30))
        with pytest.raises(PlanInputError, match=r"spärrade perioder \(Inventering\)"):
            service.propose_plan(scope, sept, TODAY)
        # Summer is no longer blocked in this region; the other region keeps the default.
        july = params(period_start=date(2027, 7, 1), period_end=date(2027, 7, 31))
        plan = service.propose_plan(scope, july, TODAY).plan
        assert all(s.day.month == 7 for s in plan.slots.values())
        with pytest.raises(PlanInputError, match="Alla dagar"):
            service.propose_plan(scope_of(world, "regional_syd"), july, TODAY)
