"""Every path into the database passes the guard, and refused text is echoed nowhere but in the
writer's own form: not in the audit log, the server log, flash messages (the session cookie),
error pages or outgoing mail."""

from __future__ import annotations

import logging
from datetime import date
from email import message_from_bytes
from email.policy import default as default_policy

import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import AuditEntry, Dialogue, Participant
from dialog.models.invitations import OutboxMessage
from tests.invitations.helpers import answer_links, book_with_organiser, send_invitations

SECRET = "19121212-1212"
PLACE = f"Hos Gunvor i rum 14, {SECRET}"


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else ""


def _nothing_leaked(app, client, caplog, response):
    text = response.get_data(as_text=True)
    assert "Gunvor" not in _session_cookie(client)
    for record in caplog.records:
        assert SECRET not in record.getMessage() and "Gunvor" not in record.getMessage()
    with app.app_context():
        changes = db.session.scalars(sa.select(AuditEntry.changes)).all()
        summaries = db.session.scalars(sa.select(AuditEntry.summary)).all()
        raws = db.session.scalars(sa.select(OutboxMessage.raw)).all()
    assert SECRET not in str(changes) and "Gunvor" not in str(changes)
    assert not any("Gunvor" in s for s in summaries)
    assert not any(SECRET.encode() in r for r in raws)
    return text


def _booking_form(world, **extra):
    data = {
        "day": "2027-03-10",
        "start": "13:00",
        "end": "15:00",
        "location": "Samlingsrummet",
        "video_link": "",
        "health_centre": str(world.centres["alfa"]),
        "participants": [str(world.contacts["a1_chef"]), str(world.contacts["alfa_lakare"])],
    }
    data.update(extra)
    return data


def test_place_is_guarded_on_booking(app, world, client, login_as, caplog):
    caplog.set_level(logging.DEBUG)
    login_as("chef_a1")
    response = client.post(
        f"/boenden/{world.homes['a1']}/boka", data=_booking_form(world, location=PLACE)
    )
    assert response.status_code == 400
    text = _nothing_leaked(app, client, caplog, response)
    # The writer sees which words to change, at the field.
    assert "”Gunvor” (namn)" in text and "Skriv strukturellt" in text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Dialogue.id))) == 0


def test_video_link_is_guarded(app, world, client, login_as, caplog):
    login_as("chef_a1")
    response = client.post(
        f"/boenden/{world.homes['a1']}/boka",
        data=_booking_form(world, video_link=f"https://video.example.org/{SECRET}"),
    )
    assert response.status_code == 400
    _nothing_leaked(app, client, caplog, response)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Dialogue.id))) == 0


def test_place_is_guarded_on_rebooking(app, world, book, client, login_as, caplog):
    dialogue_id = book("a1", date(2027, 3, 10))
    with app.app_context():
        version = db.session.get(Dialogue, dialogue_id).version
    login_as("chef_a1")
    response = client.post(
        f"/dialoger/{dialogue_id}/boka-om",
        data={
            "day": "2027-03-11",
            "start": "13:00",
            "end": "15:00",
            "location": PLACE,
            "video_link": "",
            "version": str(version),
        },
    )
    assert response.status_code == 400
    _nothing_leaked(app, client, caplog, response)
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        assert dialogue.location == "Samlingsrummet"
        assert local_day(dialogue) == date(2027, 3, 10)


def local_day(dialogue):
    from dialog.timeutil import local

    return local(dialogue.starts_at).date()


def _links_for(app, email: str) -> list[str]:
    with app.app_context():
        row = db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.recipient == email)
            .order_by(OutboxMessage.id.desc())
        ).first()
        msg = message_from_bytes(row.raw, policy=default_policy)
    return answer_links(msg.get_body(preferencelist=("plain",)).get_content())


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_stand_in_name_through_the_answer_link_is_guarded(app, world, book, client, caplog):
    dialogue_id = book_with_organiser(app, world, book)
    send_invitations(app, dialogue_id)
    no = _links_for(app, "lakare.alfa@test.example.org")[1]
    form = {
        "response": "nej",
        "stand_in_email": "ersattare@test.example.org",
        "stand_in_role": "sabo_lakare",
    }
    response = client.post(_path(no), data=form | {"stand_in_name": f"Gunvor {SECRET}"})
    assert response.status_code == 400
    text = _nothing_leaked(app, client, caplog, response)
    assert "patientuppgifter" in text
    for refused in ("Anna Andersson, boende i rum 4", "Patienten Anna", "Anna Berg 87 år"):
        response = client.post(_path(no), data=form | {"stand_in_name": refused})
        assert response.status_code == 400, refused
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(Participant).where(Participant.email == "ersattare@test.example.org")
            )
            is None
        )
    # A staff member's name is fine, and the link was not used up by the refusals.
    response = client.post(_path(no), data=form | {"stand_in_name": "Amina Hassan"})
    assert response.status_code == 200
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(Participant.name).where(Participant.email == "ersattare@test.example.org")
            )
            == "Amina Hassan"
        )


def test_csv_import_preview_flags_patient_data_and_saves_nothing(app, world, client, login_as):
    from dialog.models import Contact

    login_as("admin")
    csv = (
        "namn;e-post;roll;boende;kommun\n"
        f"Anna Andersson {SECRET};anna.andersson@test.example.org;sjuksköterska;"
        "Testboendet Ett;Testkommun A\n"
    ).encode()
    from io import BytesIO

    response = client.post(
        "/register/import",
        data={"kind": "kontakter", "file": (BytesIO(csv), "kontakter.csv")},
        content_type="multipart/form-data",
    )
    text = response.get_data(as_text=True)
    assert "innehåller patientuppgifter (personnummer)" in text, text[:2000]
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(Contact).where(Contact.email == "anna.andersson@test.example.org")
            )
            is None
        )


def test_a_path_without_its_own_check_gets_a_safe_error_page(app, world, client, login_as, caplog):
    """The model layer refuses what a form forgot; the page names the field, never the words."""
    from dialog.models import CareHome

    caplog.set_level(logging.DEBUG)

    @app.post("/test-only/unguarded")
    def unguarded():
        home = db.session.get(CareHome, world.homes["a1"])
        home.address = f"Provgatan 1, {SECRET}"
        db.session.commit()
        return "stored"

    login_as("admin")
    response = client.post("/test-only/unguarded")
    assert response.status_code == 400
    text = _nothing_leaked(app, client, caplog, response)
    assert "Adress: texten innehåller patientuppgifter (personnummer)" in text
    with app.app_context():
        assert db.session.get(CareHome, world.homes["a1"]).address == "Provgatan 1"
