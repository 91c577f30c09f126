"""Import of a filled-in documentation template: good and broken documents."""

from __future__ import annotations

import io
from datetime import date, time

import docx
import pytest
import sqlalchemy as sa

from dialog.documents import minutes_layout as L
from dialog.documents.kinds import KINDS
from dialog.documents.services import render_for_dialogue
from dialog.extensions import db
from dialog.models import (
    Action,
    ActionReview,
    ActionStatus,
    Attendance,
    AuditEntry,
    Dialogue,
    Finding,
    FindingKind,
    Party,
)
from tests.conftest import login

from .helpers import PAST_DAY, plain_text, text_of


def template_for(app, dialogue_id) -> docx.Document:
    with app.app_context():
        data = render_for_dialogue(
            db.session.get(Dialogue, dialogue_id), KINDS["dokumentationsmall"]
        )
    return docx.Document(io.BytesIO(data))


def table(document, key):
    for t in document.tables:
        if L.table_key([c.text for c in t.rows[0].cells]) == key:
            return t
    raise AssertionError(f"no table {key}")


def fill_row(t, index, values: dict, key):
    row = t.rows[index]
    for column, value in values.items():
        row.cells[L.COLUMNS[key].index(column)].text = value


def to_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def filled(
    app,
    dialogue_id,
    *,
    deficiency="Läkemedelslistan uppdateras inte efter ronden.",
    area="Läkemedel",
    due="2026-09-30",
):
    document = template_for(app, dialogue_id)
    attendance = table(document, L.ATTENDANCE)
    for row in attendance.rows[1:]:
        if row.cells[0].text.strip():
            row.cells[L.ATTENDANCE_COLUMNS.index("attendance")].text = "Ja"
    attendance.rows[2].cells[4].text = "Nej"
    fill_row(
        table(document, L.DEFICIENCIES),
        1,
        {
            "area": area,
            "description": deficiency,
            "concerns": "Gemensamt",
            "escalate": "Ja",
            "spread_as_lesson": "Nej",
        },
        L.DEFICIENCIES,
    )
    fill_row(
        table(document, L.SUCCESS_FACTORS),
        1,
        {
            "area": "Fall",
            "description": "Teamträffar varje månad minskar fallen.",
            "concerns": "SÄBO",
            "spread_as_lesson": "Ja",
        },
        L.SUCCESS_FACTORS,
    )
    fill_row(
        table(document, L.ACTIONS),
        1,
        {
            "area": area,
            "description": "Sjuksköterskan uppdaterar listan efter ronden.",
            "responsible_party": "SÄBO",
            "responsible_role": "Sjuksköterska",
            "due_date": due,
        },
        L.ACTIONS,
    )
    return document


def upload(client, dialogue_id, data: bytes, name="dokumentation.docx"):
    return client.post(
        f"/dialoger/{dialogue_id}/importera",
        data={"document": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_good_document_previews_then_saves(app, client, world, book):
    old_id = book("a1", date(2025, 3, 11))
    with app.app_context():
        db.session.add(
            Action(
                dialogue_id=old_id,
                description="Inför vätskelista.",
                responsible_party=Party.CARE_HOME,
                due_date=date(2025, 9, 1),
            )
        )
        db.session.commit()
    dialogue_id = book("a1", PAST_DAY)
    document = filled(app, dialogue_id)
    previous = table(document, L.PREVIOUS_ACTIONS)
    assert len(previous.rows) == 2
    fill_row(
        previous,
        1,
        {"status": "Klar", "comment": "Används på alla avdelningar."},
        L.PREVIOUS_ACTIONS,
    )
    login(client, "chef_a1")
    response = upload(client, dialogue_id, to_bytes(document))
    page = text_of(response)
    assert response.status_code == 200, page
    assert "Inga problem hittades" in page and "Läkemedelslistan uppdateras" in page
    with app.app_context():  # nothing saved before the user confirms
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) == 0
    token = response.get_data(as_text=True).split('name="rows" value="')[1].split('"')[0]
    response = client.post(
        f"/dialoger/{dialogue_id}/importera/spara", data={"rows": token, "version": "1"}
    )
    assert response.status_code == 302
    with app.app_context():
        findings = db.session.scalars(sa.select(Finding).order_by(Finding.id)).all()
        assert [(f.kind, f.area.name, f.escalate, f.spread_as_lesson) for f in findings] == [
            (FindingKind.DEFICIENCY, "Läkemedel", True, False),
            (FindingKind.SUCCESS_FACTOR, "Fall", False, True),
        ]
        action = db.session.scalar(sa.select(Action).where(Action.dialogue_id == dialogue_id))
        assert action.finding_id == findings[0].id and action.due_date == date(2026, 9, 30)
        dialogue = db.session.get(Dialogue, dialogue_id)
        assert dialogue.status.value == "genomford"
        marks = [p.attendance for p in dialogue.current_participants]
        assert marks.count(Attendance.ABSENT) == 1 and marks.count(Attendance.ATTENDED) == 4
        review = db.session.scalar(sa.select(ActionReview))
        assert review.status is ActionStatus.DONE
        assert (
            db.session.scalar(
                sa.select(AuditEntry).where(AuditEntry.action == "läste in dokumentationsmall")
            )
            is not None
        )
    # importing the same document again changes nothing and offers nothing to save
    response = upload(client, dialogue_id, to_bytes(document))
    page = text_of(response)
    assert "Det finns inget att spara" in page and 'name="rows"' not in page
    assert "lämnas som de är" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) == 2


def test_problems_are_marked_and_nothing_saved(app, client, world, book):
    dialogue_id = book("a1", PAST_DAY)
    document = filled(
        app,
        dialogue_id,
        deficiency="Gunvor i rum 14 fick fel dos.",
        area="Okänt område",
        due="2020-01-01",
    )
    fill_row(
        table(document, L.RISKS),
        2,
        {"area": "Fall", "description": "", "concerns": "Kanske"},
        L.RISKS,
    )
    login(client, "chef_a1")
    response = upload(client, dialogue_id, to_bytes(document))
    page = plain_text(response)
    assert response.status_code == 422
    assert "Brister, rad 1: Okänt område ”Okänt område”" in page
    assert "”Gunvor” (namn)" in page and "”rum 14”" in page
    assert "Överenskomna åtgärder, rad 1: Datumet kan inte vara före dialogen" in page
    assert "Risker, rad 2: Beskrivningen saknas." in page
    assert "Gäller ”Kanske” känns inte igen" in page
    assert 'name="rows"' not in text_of(response)  # no way to save
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) == 0
        assert "Gunvor" not in str([e.changes for e in db.session.scalars(sa.select(AuditEntry))])


def test_document_of_another_dialogue(app, client, world, book):
    first = book("a1", PAST_DAY)
    # Another home of the same physician, so another time the same day.
    other = book("a2", PAST_DAY, time(9, 0), time(11, 0))
    login(client, "chef_a1")
    response = upload(client, first, to_bytes(filled(app, other)))
    assert response.status_code == 422
    assert "gäller en annan dialog" in text_of(response)


@pytest.mark.parametrize("data", [b"not a zip at all", b"PK\x03\x04broken zip", b""])
def test_damaged_file(app, client, world, book, data):
    dialogue_id = book("a1", PAST_DAY)
    login(client, "chef_a1")
    response = upload(client, dialogue_id, data)
    assert response.status_code == 422
    assert "kunde inte läsas som ett Word-dokument" in text_of(response)


def test_truncated_docx(app, client, world, book):
    dialogue_id = book("a1", PAST_DAY)
    data = to_bytes(filled(app, dialogue_id))
    login(client, "chef_a1")
    response = upload(client, dialogue_id, data[: len(data) // 2])
    assert response.status_code == 422 and "skadad" in text_of(response)


def test_reshaped_table(app, client, world, book):
    dialogue_id = book("a1", PAST_DAY)
    document = filled(app, dialogue_id)
    deficiencies = table(document, L.DEFICIENCIES)
    deficiencies.rows[0].cells[1].text = "Vad vi såg"  # a renamed column
    actions = table(document, L.ACTIONS)
    actions.add_column(docx.shared.Cm(2)).cells[0].text = "Extra"  # an added column
    login(client, "chef_a1")
    page = plain_text(upload(client, dialogue_id, to_bytes(document)))
    assert "Brister: Tabellen har ändrats" in page
    assert "Överenskomna åtgärder: Tabellen har ändrats" in page


def test_plain_word_file_is_not_ours(app, client, world, book):
    dialogue_id = book("a1", PAST_DAY)
    document = docx.Document()
    document.add_paragraph("Anteckningar från mötet.")
    login(client, "chef_a1")
    page = text_of(upload(client, dialogue_id, to_bytes(document)))
    assert "inte en dokumentationsmall" in page


def test_wrong_extension_and_tampered_token(app, client, world, book):
    dialogue_id = book("a1", PAST_DAY)
    login(client, "chef_a1")
    response = upload(client, dialogue_id, b"x", name="protokoll.pdf")
    assert response.status_code == 400 and "(.docx)" in text_of(response)
    response = client.post(
        f"/dialoger/{dialogue_id}/importera/spara",
        data={"rows": "forged.token"},
        follow_redirects=True,
    )
    assert "kunde inte läsas" in text_of(response)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) == 0
