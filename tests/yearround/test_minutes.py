"""The minutes (protokoll): a Word file of what was recorded, downloaded and sent to every
participant when the dialogue is documented, once; again (as an update) after an unlock."""

from __future__ import annotations

import io
from email import message_from_bytes
from email.policy import default as default_policy

import sqlalchemy as sa
from docx import Document

from dialog.extensions import db
from dialog.models import (
    Attendance,
    Dialogue,
    DialogueStatus,
    Participant,
    ResponseStatus,
)
from dialog.models.invitations import MessageKind, OutboxMessage
from tests.conftest import login
from tests.findings.helpers import plain_text

from .helpers import documented


def _text(docx_bytes: bytes) -> str:
    document = Document(io.BytesIO(docx_bytes))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def _unlock_for_documenting(app, dialogue_id):
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        dialogue.status = DialogueStatus.HELD
        dialogue.documented_at = None
        db.session.commit()


def _minutes_mail(app):
    with app.app_context():
        rows = db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.kind == MessageKind.MINUTES)
            .order_by(OutboxMessage.id)
        ).all()
        return [(r.recipient, r.subject, r.raw) for r in rows]


def _lock(client, app, dialogue_id):
    with app.app_context():
        version = db.session.get(Dialogue, dialogue_id).version
    return client.post(
        f"/dialoger/{dialogue_id}/dokumenterad", data={"version": version, "confirmed": "ja"}
    )


def test_documenting_sends_the_minutes_to_every_participant_once(app, client, book):
    rec = documented(app, book, lock=False)
    with app.app_context():
        dialogue = db.session.get(Dialogue, rec.dialogue_id)
        nurse = next(p for p in dialogue.current_participants if p.role.value == "sjukskoterska")
        nurse.response = ResponseStatus.DECLINED
        nurse.attendance = Attendance.STAND_IN
        stand_in = Participant(
            name="Test Ersättare",
            email="ersattare.a1@test.example.org",
            role=nurse.role,
            side=nurse.side,
            stand_in_for=nurse,
            attendance=Attendance.ATTENDED,
        )
        dialogue.participants.append(stand_in)
        db.session.flush()
        expected = sorted({p.email for p in dialogue.current_participants})
        db.session.commit()
    login(client, "chef_a1")
    saved = client.post(
        f"/dialoger/{rec.dialogue_id}/anteckningar",
        data={
            "version": _version(app, rec.dialogue_id),
            "lessons_to": "Alla medarbetare på boendet",
            "lessons_by": "Enhetschefen",
            "lessons_when": "På arbetsplatsträffen i april",
            "next_dialogue_note": "Vecka 11 nästa år; enhetschefen bokar.",
            "note_taker": "Test Ersättare",
        },
    )
    assert saved.status_code == 302
    response = _lock(client, app, rec.dialogue_id)
    assert response.status_code == 302
    mails = _minutes_mail(app)
    assert sorted(m[0] for m in mails) == expected and len(mails) == len(expected) == 6
    assert all(
        m[1].startswith("Protokoll: patientsäkerhetsdialogen Testboendet Ett") for m in mails
    )
    parsed = message_from_bytes(mails[0][2], policy=default_policy)
    (attachment,) = [p for p in parsed.walk() if p.get_filename()]
    assert attachment.get_filename() == "Protokoll Testboendet Ett 2026-03-10.docx"
    text = _text(attachment.get_payload(decode=True))
    assert "Test Ersättare (ersättare för Test SSK a1)" in text
    assert "Ändrade ordinationer når inte kvällspersonalen i tid." in text
    assert "Rutin för ändrade ordinationer (Vårdcentral)." in text
    assert "arbetsplatsträffen i april" in text and "Vecka 11 nästa år" in text
    assert "Antecknat av | Test Ersättare" in text
    assert "Lyfts till MAS/MAR och region" in text
    # The same minutes can be downloaded from the dialogue.
    download = client.get(f"/dialoger/{rec.dialogue_id}/dokument/protokoll")
    assert download.status_code == 200
    assert "Test Ersättare (ersättare för Test SSK a1)" in _text(download.data)
    # Unlocked and documented again: the corrected minutes go out once more, as an update.
    client.post("/logga-ut")
    login(client, "mas_a")
    client.post(
        f"/dialoger/{rec.dialogue_id}/las-upp",
        data={"version": _version(app, rec.dialogue_id), "reason": "Rätta närvaron."},
    )
    assert _lock(client, app, rec.dialogue_id).status_code == 302
    again = _minutes_mail(app)[len(mails) :]
    assert len(again) == 6
    assert all(m[1].startswith("Uppdaterat protokoll:") for m in again)


def _version(app, dialogue_id):
    with app.app_context():
        return db.session.get(Dialogue, dialogue_id).version


def test_the_minutes_fields_are_guarded_and_lock_with_the_record(app, client, book):
    rec = documented(app, book, lock=False)
    login(client, "chef_a1")
    response = client.post(
        f"/dialoger/{rec.dialogue_id}/anteckningar",
        data={
            "version": _version(app, rec.dialogue_id),
            "lessons_to": "Berätta för sjuksköterskan om 19121212-1212",
            "next_dialogue_note": "Våren nästa år",
        },
    )
    assert response.status_code == 400
    assert 'value="Våren nästa år"' in response.get_data(as_text=True)  # what was typed stays
    assert "(personnummer)" in plain_text(response)
    with app.app_context():
        dialogue = db.session.get(Dialogue, rec.dialogue_id)
        assert (dialogue.lessons_to, dialogue.next_dialogue_note) == ("", "")
    assert _lock(client, app, rec.dialogue_id).status_code == 302
    response = client.post(
        f"/dialoger/{rec.dialogue_id}/anteckningar",
        data={"version": _version(app, rec.dialogue_id), "next_dialogue_note": "Ändrat efteråt"},
    )
    assert response.status_code == 403


def test_locking_asks_first_and_says_what_follows(app, client, book):
    rec = documented(app, book, lock=False)
    login(client, "chef_a1")
    page = plain_text(client.get(f"/dialoger/{rec.dialogue_id}/dokumenterad"))
    assert "Protokollet skickas som Word-fil till 5 deltagare" in page
    assert "Bara MAS/MAR i kommunen, regionen eller en administratör kan låsa upp" in page
    assert _minutes_mail(app) == []
