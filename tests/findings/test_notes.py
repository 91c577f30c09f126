"""The meeting's notes and the attendance comments on the recording page: guarded, audited,
and shown again in the documentation template."""

from __future__ import annotations

import io

import docx
import sqlalchemy as sa

from dialog.documents import minutes_layout as L
from dialog.extensions import db
from dialog.models import AuditEntry, Dialogue
from tests.conftest import login

from .conftest import template_for
from .helpers import text_of, version_of

PNR = "19121212-1212"


def _notes(app, dialogue_id, **values):
    data = {attr: "" for attr in L.NOTE_FIELDS.values()}
    data.update(values)
    data["version"] = str(version_of(app, dialogue_id))
    return data


def test_notes_are_saved_audited_and_prefilled(app, client, held_dialogue):
    login(client, "chef_a1")
    page = text_of(client.get(f"/dialoger/{held_dialogue}/dokumentation"))
    assert "Underlag, lärdomar och nästa dialog" in page and "Antecknat av" in page
    response = client.post(
        f"/dialoger/{held_dialogue}/anteckningar",
        data=_notes(
            app,
            held_dialogue,
            note_taker="Beta Demoberg",  # a staff member's name is allowed here
            lessons_to="Alla boenden i kommunen",
            lessons_when="Vid samverkansmötet i maj",
        ),
    )
    assert response.status_code == 302
    with app.app_context():
        dialogue = db.session.get(Dialogue, held_dialogue)
        assert dialogue.note_taker == "Beta Demoberg"
        assert dialogue.lessons_to == "Alla boenden i kommunen"
        entry = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.action == "ändrade anteckningar från mötet")
        )
        assert entry is not None and "lessons_to" in entry.changes
    document = docx.Document(io.BytesIO(template_for(app, held_dialogue)))
    text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Beta Demoberg" in text and "Vid samverkansmötet i maj" in text


def test_patient_data_in_notes_and_comments_is_refused(app, client, held_dialogue):
    login(client, "chef_a1")
    response = client.post(
        f"/dialoger/{held_dialogue}/anteckningar",
        data=_notes(app, held_dialogue, shared_data_notes=f"Avvikelse för {PNR}."),
    )
    assert response.status_code == 400 and "personnummer" in text_of(response)
    with app.app_context():
        person = db.session.get(Dialogue, held_dialogue).current_participants[0]
        pid = person.id
        assert not db.session.get(Dialogue, held_dialogue).shared_data_notes
    response = client.post(
        f"/dialoger/{held_dialogue}/narvaro",
        data={
            "version": str(version_of(app, held_dialogue)),
            f"attendance-{pid}": "deltog",
            f"attendance-comment-{pid}": f"Gick tidigare, se {PNR}",
        },
    )
    assert response.status_code == 400 and "personnummer" in text_of(response)
    response = client.post(
        f"/dialoger/{held_dialogue}/narvaro",
        data={
            "version": str(version_of(app, held_dialogue)),
            f"attendance-{pid}": "deltog",
            f"attendance-comment-{pid}": "Gick efter halva mötet.",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(type(person), pid).attendance_comment == "Gick efter halva mötet."
        stored = " ".join(str(e.changes) for e in db.session.scalars(sa.select(AuditEntry)))
        assert PNR not in stored
