"""Safe steps: a refused status change keeps the attendance; attendance is pre-filled from the
answers and can be corrected; deleting asks first and says what follows."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import (
    Action,
    Attendance,
    Dialogue,
    DialogueStatus,
    Finding,
    Participant,
    ResponseStatus,
)
from tests.conftest import login
from tests.findings.helpers import plain_text

from .helpers import documented

FUTURE = date(2099, 3, 10)


def _people(app, dialogue_id):
    with app.app_context():
        return {
            p.id: p.email
            for p in db.session.scalars(
                sa.select(Participant).where(Participant.dialogue_id == dialogue_id)
            )
        }


def _version(app, dialogue_id):
    with app.app_context():
        return db.session.get(Dialogue, dialogue_id).version


def test_refused_mark_held_keeps_the_attendance_that_was_entered(app, client, book):
    dialogue_id = book("a1", FUTURE)
    people = _people(app, dialogue_id)
    login(client, "chef_a1")
    data = {"version": _version(app, dialogue_id), "mark_held": "1"}
    for pid, email in people.items():
        data[f"attendance-{pid}"] = "deltog_ej" if email.startswith("at.") else "deltog"
    response = client.post(f"/dialoger/{dialogue_id}/narvaro", data=data, follow_redirects=True)
    text = plain_text(response)
    assert "Närvaron är sparad. Dialogen är inte markerad som genomförd" in text
    assert "först på mötesdagen (2099-03-10)" in text
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        assert dialogue.status is DialogueStatus.PLANNED
        saved = {p.email: p.attendance for p in dialogue.current_participants}
    assert len(saved) == len(people) == 5
    assert saved["at.a1@test.example.org"] is Attendance.ABSENT
    assert all(v is Attendance.ATTENDED for k, v in saved.items() if not k.startswith("at."))


def test_attendance_is_prefilled_from_the_answers_and_can_be_corrected(app, client, book):
    dialogue_id = book("a1", FUTURE)
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        by_email = {p.email: p for p in dialogue.current_participants}
        by_email["chef.a1@test.example.org"].response = ResponseStatus.ACCEPTED
        nurse = by_email["ssk.a1@test.example.org"]
        nurse.response = ResponseStatus.DECLINED
        dialogue.participants.append(
            Participant(
                name="Test Ersättare",
                email="ersattare@test.example.org",
                role=nurse.role,
                side=nurse.side,
                stand_in_for=nurse,
                response=ResponseStatus.ACCEPTED,
            )
        )
        by_email["at.a1@test.example.org"].response = ResponseStatus.DECLINED
        db.session.commit()
        ids = {p.email: p.id for p in dialogue.current_participants}
    login(client, "chef_a1")
    html = client.get(f"/dialoger/{dialogue_id}/dokumentation").get_data(as_text=True)

    def selected(email):
        select = html.split(f'name="attendance-{ids[email]}"', 1)[1].split("</select>", 1)[0]
        chosen = [part for part in select.split("<option") if " selected" in part.split(">")[0]]
        return chosen[0].split('value="', 1)[1].split('"', 1)[0]

    assert selected("chef.a1@test.example.org") == "deltog"
    assert selected("ssk.a1@test.example.org") == "ersattare"  # her stand-in came
    assert selected("ersattare@test.example.org") == "deltog"
    assert selected("at.a1@test.example.org") == "deltog_ej"
    assert selected("lakare.alfa@test.example.org") == ""  # no answer: nothing suggested
    assert "Närvaron är förifylld från svaren" in html
    with app.app_context():  # a suggestion only: nothing saved until the user saves
        assert all(p.attendance is None for p in db.session.get(Dialogue, dialogue_id).participants)


def test_deleting_asks_first_and_a_post_without_confirmation_deletes_nothing(app, client, book):
    rec = documented(app, book, lock=False)
    login(client, "chef_a1")
    page = plain_text(client.get(f"/iakttagelser/{rec.escalated_id}/ta-bort"))
    assert "Ta bort iakttagelsen?" in page
    assert "Dess 4 åtgärder finns kvar, kopplade till dialogen i stort." in page
    assert "Den lyfts inte längre till MAS/MAR och region." in page
    response = client.post(
        f"/iakttagelser/{rec.escalated_id}/ta-bort",
        data={"version": _version(app, rec.dialogue_id)},
    )
    assert response.status_code == 200 and "Ja, ta bort" in plain_text(response)
    with app.app_context():
        assert db.session.get(Finding, rec.escalated_id) is not None
    response = client.post(
        f"/iakttagelser/{rec.escalated_id}/ta-bort",
        data={"version": _version(app, rec.dialogue_id), "confirmed": "ja"},
    )
    assert response.status_code == 302
    page = plain_text(client.get(f"/atgarder/{rec.actions['sabo']}/ta-bort"))
    assert "Ta bort åtgärden?" in page and "nästa års uppföljning" in page
    response = client.post(
        f"/atgarder/{rec.actions['sabo']}/ta-bort",
        data={"version": _version(app, rec.dialogue_id), "confirmed": "ja"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Finding, rec.escalated_id) is None
        assert db.session.get(Action, rec.actions["sabo"]) is None
        assert db.session.get(Action, rec.actions["vardcentral"]).finding_id is None
