"""Booking, rebooking and cancelling; one live dialogue per home and year, also under races."""

from __future__ import annotations

import threading
from datetime import date, time

import pytest
import sqlalchemy as sa

from dialog.dialogues.services import (
    Booking,
    BookingError,
    book_dialogue,
    cancel_dialogue,
    rebook_dialogue,
)
from dialog.extensions import db
from dialog.models import AuditEntry, CareHome, Dialogue, DialogueStatus
from dialog.privacy import PatientDataError
from dialog.timeutil import local
from tests.conftest import login

YEAR = 2027


def _count_dialogues(app, home_id):
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count(Dialogue.id)).where(Dialogue.care_home_id == home_id)
        )


def _booking_form(world, day="2027-03-10", start="13:00", end="15:00", **extra):
    data = {
        "day": day,
        "start": start,
        "end": end,
        "location": "Samlingsrummet",
        "video_link": "",
        "health_centre": str(world.centres["alfa"]),
        "participants": [str(world.contacts["a1_chef"]), str(world.contacts["alfa_lakare"])],
    }
    data.update(extra)
    return data


def test_book_through_the_form_stores_utc_and_participants(client, app, world):
    login(client, "chef_a1")
    response = client.post(f"/boenden/{world.homes['a1']}/boka", data=_booking_form(world))
    assert response.status_code == 302
    with app.app_context():
        dialogue = db.session.scalar(sa.select(Dialogue))
        assert dialogue.year == YEAR
        # 13:00 in Stockholm in March (CET, UTC+1) is 12:00 UTC.
        assert dialogue.starts_at.hour == 12 and dialogue.starts_at.utcoffset().total_seconds() == 0
        assert local(dialogue.starts_at).hour == 13
        assert {p.name for p in dialogue.participants} == {"Test CHEF a1", "Test lakare alfa"}
        assert {p.side.value for p in dialogue.participants} == {"sabo", "vardcentral"}
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "bokade dialog"))
        assert entry.actor == "chef_a1" and entry.care_home_id == world.homes["a1"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2027-03-10 kl. 13.00–15.00" in page


def test_summer_time_is_stored_as_utc_plus_two(app, world, book):
    dialogue_id = book("a1", date(2027, 6, 10), time(9, 0), time(11, 0))
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        assert dialogue.starts_at.hour == 7  # CEST is UTC+2


def test_second_booking_same_year_is_refused_with_a_clear_message(client, app, world, book):
    book("a1", date(YEAR, 3, 10))
    login(client, "chef_a1")
    response = client.post(
        f"/boenden/{world.homes['a1']}/boka", data=_booking_form(world, day="2027-09-14")
    )
    assert response.status_code == 409
    assert "har redan en patientsäkerhetsdialog 2027" in response.get_data(as_text=True)
    assert _count_dialogues(app, world.homes["a1"]) == 1


def test_other_year_is_free(app, world, book):
    book("a1", date(YEAR, 3, 10))
    book("a1", date(YEAR + 1, 3, 9))
    assert _count_dialogues(app, world.homes["a1"]) == 2


def test_bad_times_and_missing_place_are_refused(client, app, world):
    login(client, "chef_a1")
    response = client.post(
        f"/boenden/{world.homes['a1']}/boka", data=_booking_form(world, start="15:00", end="13:00")
    )
    assert response.status_code == 409
    assert "Sluttiden måste vara efter starttiden" in response.get_data(as_text=True)
    response = client.post(
        f"/boenden/{world.homes['a1']}/boka", data=_booking_form(world, location="")
    )
    assert "Ange en plats eller en videolänk" in response.get_data(as_text=True)
    response = client.post(
        f"/boenden/{world.homes['a1']}/boka", data=_booking_form(world, day="14/3/2027")
    )
    assert response.status_code == 400
    assert "Ange ett datum" in response.get_data(as_text=True)
    response = client.post(
        f"/boenden/{world.homes['a1']}/boka",
        data=_booking_form(world, video_link="javascript:alert(1)"),
    )
    assert response.status_code == 400
    assert _count_dialogues(app, world.homes["a1"]) == 0


def test_participant_of_another_home_is_refused(client, app, world):
    login(client, "mas_a")
    response = client.post(
        f"/boenden/{world.homes['a1']}/boka",
        data=_booking_form(world, participants=[str(world.contacts["b1_chef"])]),
    )
    assert response.status_code in (400, 409)
    assert _count_dialogues(app, world.homes["a1"]) == 0


def test_rebook_changes_time_and_is_audited(client, app, world, book):
    dialogue_id = book("a1", date(YEAR, 3, 10))
    login(client, "chef_a1")
    with app.app_context():
        version = db.session.get(Dialogue, dialogue_id).version
    response = client.post(
        f"/dialoger/{dialogue_id}/boka-om",
        data={
            "day": "2027-04-14",
            "start": "09:00",
            "end": "11:00",
            "location": "Biblioteket",
            "video_link": "https://video.example.org/rum/1",
            "version": str(version),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        assert local(dialogue.starts_at).strftime("%Y-%m-%d %H:%M") == "2027-04-14 09:00"
        assert dialogue.location == "Biblioteket"
        entry = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.action == "bokade om dialog")
        )
        assert "starts_at" in entry.changes and "location" in entry.changes


def test_rebook_with_stale_version_is_refused(client, app, world, book):
    dialogue_id = book("a1", date(YEAR, 3, 10))
    login(client, "chef_a1")
    response = client.post(
        f"/dialoger/{dialogue_id}/boka-om",
        data={
            "day": "2027-04-14",
            "start": "09:00",
            "end": "11:00",
            "location": "X",
            "version": "999",
        },
    )
    assert response.status_code == 409
    assert "ändrats av någon annan" in response.get_data(as_text=True)
    with app.app_context():
        assert local(db.session.get(Dialogue, dialogue_id).starts_at).day == 10


def test_rebook_into_a_taken_year_is_refused(app, world, book):
    first = book("a1", date(YEAR, 3, 10))
    book("a1", date(YEAR + 1, 3, 9))
    with app.app_context():
        dialogue = db.session.get(Dialogue, first)
        with pytest.raises(BookingError, match="redan en patientsäkerhetsdialog 2028"):
            rebook_dialogue(
                dialogue,
                Booking(day=date(YEAR + 1, 5, 5), start=time(9), end=time(10), location="X"),
            )
            db.session.commit()


def test_cancel_needs_a_reason_and_frees_the_year(client, app, world, book):
    dialogue_id = book("a1", date(YEAR, 3, 10))
    login(client, "chef_a1")
    response = client.post(f"/dialoger/{dialogue_id}/stall-in", data={"reason": "  "})
    assert response.status_code == 400
    response = client.post(
        f"/dialoger/{dialogue_id}/stall-in", data={"reason": "Lokalen var upptagen."}
    )
    assert response.status_code == 302
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        assert dialogue.status is DialogueStatus.CANCELLED
        assert dialogue.cancel_reason == "Lokalen var upptagen."
    # The year is free again.
    response = client.post(
        f"/boenden/{world.homes['a1']}/boka", data=_booking_form(world, day="2027-05-12")
    )
    assert response.status_code == 302
    assert _count_dialogues(app, world.homes["a1"]) == 2


def test_cancel_reason_with_a_personal_identity_number_is_refused(app, world, book):
    dialogue_id = book("a1", date(YEAR, 3, 10))
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        with pytest.raises(PatientDataError, match="patientuppgifter"):
            cancel_dialogue(dialogue, "Boende 19121212-1212 blev sjuk")
        db.session.rollback()
        assert db.session.get(Dialogue, dialogue_id).status is DialogueStatus.PLANNED
        assert "19121212" not in str(db.session.scalars(sa.select(AuditEntry.changes)).all())


def test_cancelled_dialogue_cannot_be_rebooked(app, world, book):
    dialogue_id = book("a1", date(YEAR, 3, 10))
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        cancel_dialogue(dialogue, "Flyttad till hösten.")
        db.session.commit()
        with pytest.raises(BookingError):
            rebook_dialogue(
                dialogue, Booking(day=date(YEAR, 9, 1), start=time(9), end=time(10), location="X")
            )
            db.session.commit()


def test_inactive_home_cannot_be_booked(app, world):
    with app.app_context():
        home = db.session.get(CareHome, world.homes["a2"])
        home.active = False
        db.session.commit()
        with pytest.raises(BookingError, match="inaktiverat"):
            book_dialogue(
                home, Booking(day=date(YEAR, 3, 10), start=time(9), end=time(10), location="X")
            )


def test_database_refuses_a_second_live_dialogue_even_without_the_service(app, world, book):
    """The rule holds in the database itself, not only in the service's check."""
    from sqlalchemy.exc import IntegrityError

    dialogue_id = book("a1", date(YEAR, 3, 10))
    with app.app_context():
        first = db.session.get(Dialogue, dialogue_id)
        db.session.add(
            Dialogue(
                care_home_id=first.care_home_id,
                year=YEAR,
                starts_at=first.starts_at,
                ends_at=first.ends_at,
            )
        )
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_concurrent_bookings_of_the_same_home_end_with_exactly_one(app, world):
    """Many simultaneous booking requests: one succeeds, the others get the clear message."""
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    results: list[int] = []
    bodies: list[str] = []
    lock = threading.Lock()

    def attempt(i: int):
        client = app.test_client()
        login(client, "mas_a")
        data = _booking_form(world, day=f"2027-03-{10 + i % 5:02d}")
        barrier.wait()
        response = client.post(f"/boenden/{world.homes['a1']}/boka", data=data)
        with lock:
            results.append(response.status_code)
            bodies.append(response.get_data(as_text=True))

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(threads_count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(results) == [302] + [409] * (threads_count - 1), results
    refused = [b for b, s in zip(bodies, results) if s == 409]
    assert all("har redan en patientsäkerhetsdialog 2027" in b for b in refused)
    with app.app_context():
        live = db.session.scalar(
            sa.select(sa.func.count(Dialogue.id)).where(
                Dialogue.care_home_id == world.homes["a1"],
                Dialogue.year == YEAR,
                Dialogue.status != DialogueStatus.CANCELLED,
            )
        )
        assert live == 1


def test_service_level_race_in_separate_sessions(app, world):
    """Two sessions both pass the pre-check; the database unique index decides."""
    from sqlalchemy.orm import Session

    with app.app_context():
        engine = db.engine
        home_id = world.homes["b1"]
        with Session(engine) as s1, Session(engine) as s2:
            for s in (s1, s2):
                assert (
                    s.scalar(
                        sa.select(Dialogue.id).where(
                            Dialogue.care_home_id == home_id, Dialogue.year == YEAR
                        )
                    )
                    is None
                )
                s.rollback()  # end the read; the check's answer is now stale for both
            home1 = s1.get(CareHome, home_id)
            from dialog.timeutil import local_to_utc

            s1.add(
                Dialogue(
                    care_home_id=home1.id,
                    year=YEAR,
                    starts_at=local_to_utc(date(YEAR, 3, 10), time(9)),
                    ends_at=local_to_utc(date(YEAR, 3, 10), time(10)),
                )
            )
            s1.commit()
            s2.add(
                Dialogue(
                    care_home_id=home_id,
                    year=YEAR,
                    starts_at=local_to_utc(date(YEAR, 4, 10), time(9)),
                    ends_at=local_to_utc(date(YEAR, 4, 10), time(10)),
                )
            )
            with pytest.raises(sa.exc.IntegrityError):
                s2.commit()


def test_participants_can_be_changed(client, app, world, book):
    dialogue_id = book("a1", date(YEAR, 3, 10), contact_keys=["a1_chef"])
    login(client, "chef_a1")
    with app.app_context():
        version = db.session.get(Dialogue, dialogue_id).version
    response = client.post(
        f"/dialoger/{dialogue_id}/deltagare",
        data={
            "participants": [str(world.contacts["a1_ssk"]), str(world.contacts["alfa_lakare"])],
            "version": str(version),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        assert {p.name for p in dialogue.current_participants} == {
            "Test SSK a1",
            "Test lakare alfa",
        }
        removed = [p for p in dialogue.participants if p.removed_at is not None]
        assert [p.name for p in removed] == ["Test CHEF a1"]


def test_held_dialogue_cannot_be_rebooked_from_the_page(client, app, world, book):
    dialogue_id = book("a1", date(YEAR, 3, 10))
    with app.app_context():
        db.session.get(Dialogue, dialogue_id).status = DialogueStatus.HELD
        db.session.commit()
    login(client, "chef_a1")
    response = client.get(f"/dialoger/{dialogue_id}/boka-om")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "genomförd och kan inte ändras" in page


def test_refused_cancel_reason_is_shown_in_the_form_and_not_in_the_session(
    client, app, world, book
):
    dialogue_id = book("a1", date(YEAR, 3, 10))
    login(client, "chef_a1")
    response = client.post(
        f"/dialoger/{dialogue_id}/stall-in", data={"reason": "Herr Testsson i rum 14 blev sämre"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "patientuppgifter" in page and "rum 14" in page
    with client.session_transaction() as session:
        assert "rum 14" not in str(dict(session))
    with app.app_context():
        assert db.session.get(Dialogue, dialogue_id).status is DialogueStatus.PLANNED


def test_a_person_cannot_be_in_two_dialogues_at_the_same_time(app, world, book):
    # The health centre's physician serves both a1 and a2.
    book("a1", date(YEAR, 3, 10), time(13, 0), time(15, 0), contact_keys=["a1_chef", "alfa_lakare"])
    with pytest.raises(
        BookingError,
        match="Test lakare alfa är redan kallad till dialogen på "
        "Testboendet Ett 2027-03-10 kl. 13.00",
    ):
        book(
            "a2",
            date(YEAR, 3, 10),
            time(14, 0),
            time(16, 0),
            contact_keys=["a2_chef", "alfa_lakare"],
        )
    # Right after is fine, and so is the same time without the shared physician.
    book("a2", date(YEAR, 3, 10), time(15, 0), time(16, 0), contact_keys=["alfa_lakare"])
    book("b1", date(YEAR, 3, 10), time(13, 0), time(15, 0), contact_keys=["b1_chef"])


def test_rebooking_onto_a_colleagues_dialogue_is_refused(app, world, book):
    book("a1", date(YEAR, 3, 10), contact_keys=["alfa_lakare"])
    second = book("a2", date(YEAR, 3, 11), contact_keys=["alfa_lakare"])
    with app.app_context():
        dialogue = db.session.get(Dialogue, second)
        with pytest.raises(BookingError, match="överlappar"):
            rebook_dialogue(
                dialogue, Booking(day=date(YEAR, 3, 10), start=time(14), end=time(15), location="X")
            )
            db.session.commit()
