"""Defect kept as a test: a booking at a local time that does not exist (02.30 on the last Sunday
of March) used to be moved an hour silently, and an ambiguous autumn time (02.30 on the last
Sunday of October occurs twice) taken as the first. Both are refused with a clear message, and
nothing changes - in booking, rebooking and the year planner."""

from __future__ import annotations

from datetime import date, time

import pytest
import sqlalchemy as sa

from dialog.dialogues.services import Booking, BookingError, book_dialogue, rebook_dialogue
from dialog.extensions import db
from dialog.models import CareHome, Dialogue
from dialog.planning.planner.algorithm import Slot, check
from dialog.timeutil import LocalTimeError, check_local_time, local
from tests.conftest import login
from tests.invitations.helpers import book_with_organiser
from tests.planner.helpers import home, request

SPRING = date(2027, 3, 28)  # clocks go 02.00 -> 03.00
AUTUMN = date(2027, 10, 31)  # clocks go 03.00 -> 02.00


@pytest.mark.parametrize(
    "day, clock, kind",
    [
        (SPRING, time(2, 0), "nonexistent"),
        (SPRING, time(2, 30), "nonexistent"),
        (SPRING, time(2, 59), "nonexistent"),
        (AUTUMN, time(2, 0), "ambiguous"),
        (AUTUMN, time(2, 30), "ambiguous"),
        (AUTUMN, time(2, 59), "ambiguous"),
    ],
)
def test_the_impossible_and_the_twice_occurring_times(day, clock, kind):
    with pytest.raises(LocalTimeError) as caught:
        check_local_time(day, clock)
    assert caught.value.kind == kind
    assert f"kl. {clock:%H.%M} den {day.isoformat()}" in str(caught.value)


@pytest.mark.parametrize(
    "day, clock",
    [(SPRING, time(1, 59)), (SPRING, time(3, 0)), (AUTUMN, time(1, 59)), (AUTUMN, time(3, 0))],
)
def test_times_next_to_the_change_are_fine(day, clock):
    check_local_time(day, clock)


def _booking(day, start, end=None):
    return Booking(
        day=day, start=start, end=end or time(start.hour + 1, start.minute), location="Rummet"
    )


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Dialogue))


def test_booking_refuses_a_nonexistent_spring_time(app, world):
    with app.app_context():
        home_row = db.session.get(CareHome, world.homes["a1"])
        with pytest.raises(BookingError, match="finns inte.*ställs klockan fram"):
            book_dialogue(home_row, _booking(SPRING, time(2, 30)))
        db.session.rollback()
        # The end time counts as well: 01.30-02.30 ends at a time that never comes.
        with pytest.raises(BookingError, match="kl. 02.30 den 2027-03-28 finns inte"):
            book_dialogue(home_row, _booking(SPRING, time(1, 30), time(2, 30)))
        db.session.rollback()
    assert _count(app) == 0


def test_booking_refuses_an_ambiguous_autumn_time(app, world):
    with app.app_context():
        home_row = db.session.get(CareHome, world.homes["a1"])
        with pytest.raises(BookingError, match="inträffar två gånger"):
            book_dialogue(home_row, _booking(AUTUMN, time(2, 30)))
        db.session.rollback()
        # 03.00 the same night is unambiguous and is booked at 03.00 winter time (02.00 UTC).
        dialogue = book_dialogue(home_row, _booking(AUTUMN, time(3, 0)))
        db.session.commit()
        assert local(dialogue.starts_at).strftime("%H.%M %z") == "03.00 +0100"


def test_the_booking_page_shows_the_message_and_books_nothing(app, world, client):
    login(client, "chef_a1")
    response = client.post(
        f"/boenden/{world.homes['a1']}/boka",
        data={
            "day": SPRING.isoformat(),
            "start": "02:30",
            "end": "04:00",
            "location": "Samlingsrummet",
            "health_centre": str(world.centres["alfa"]),
            "participants": [str(world.contacts["a1_chef"])],
        },
    )
    assert response.status_code == 409
    assert "kl. 02.30 den 2027-03-28 finns inte" in response.text
    assert _count(app) == 0


def test_rebooking_refuses_both_and_changes_nothing(app, world, book, client):
    dialogue_id = book_with_organiser(app, world, book, day=date(2027, 3, 10))
    with app.app_context():
        before = db.session.get(Dialogue, dialogue_id).starts_at
        version = db.session.get(Dialogue, dialogue_id).version
        for day, clock, text in (
            (SPRING, time(2, 15), "finns inte"),
            (AUTUMN, time(2, 15), "inträffar två gånger"),
        ):
            with pytest.raises(BookingError, match=text):
                rebook_dialogue(db.session.get(Dialogue, dialogue_id), _booking(day, clock))
            db.session.rollback()
    login(client, "chef_a1")
    response = client.post(
        f"/dialoger/{dialogue_id}/boka-om",
        data={
            "day": AUTUMN.isoformat(),
            "start": "02:30",
            "end": "04:00",
            "location": "Rummet",
            "version": str(version),
        },
    )
    assert response.status_code == 409 and "inträffar två gånger" in response.text
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        assert dialogue.starts_at == before and dialogue.calendar_sequence == 0


def test_the_planner_marks_such_a_row_as_a_hard_conflict():
    req = request([home(1, "lakare@x")], start=date(2027, 3, 1), end=date(2027, 11, 30))
    for day, kind in ((SPRING, "finns inte"), (AUTUMN, "inträffar två gånger")):
        issues = check(req, {1: Slot(1, day, time(2, 30), time(4, 0))})[1]
        dst = [i for i in issues if i.rule == "sommartid"]
        assert len(dst) == 1 and dst[0].hard and kind in dst[0].message
    fine = check(req, {1: Slot(1, date(2027, 3, 29), time(9, 0), time(11, 0))})[1]
    assert not [i for i in fine if i.rule == "sommartid"]
