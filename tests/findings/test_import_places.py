"""Nothing typed is silently lost, patient data is refused wherever it stands, a blank cell never
overwrites, and the confirm refuses when the dialogue changed since the preview."""

from __future__ import annotations

import io
import zipfile

import docx
import sqlalchemy as sa
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement

from dialog.documents import minutes_layout as L
from dialog.extensions import db
from dialog.models import Attendance, AuditEntry, Dialogue, Finding
from tests.conftest import login

from . import round_trip as rt
from .conftest import template_for
from .helpers import plain_text, text_of

PNR = "19121212-1212"  # Skatteverket's test number, belongs to nobody


def _upload(client, dialogue_id, data, name="ifylld.docx"):
    return client.post(
        f"/dialoger/{dialogue_id}/importera",
        data={"document": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _document(data: bytes):
    return docx.Document(io.BytesIO(data))


def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document, key):
    return next(t for t in document.tables if L.table_key(c.text for c in t.rows[0].cells) == key)


def _with_comment(data: bytes, cell_text: str, comment: str) -> bytes:
    """Attach a Word comment (comments.xml) to the cell holding `cell_text`."""
    document = _document(data)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.text == cell_text:
                    document.add_comment(cell.paragraphs[0].runs, text=comment, author="Antecknare")
                    return _save(document)
    raise AssertionError(cell_text)


def _everything_stored(app) -> str:
    with app.app_context():
        parts = [f.description for f in db.session.scalars(sa.select(Finding))]
        parts += [str(e.changes) + e.summary for e in db.session.scalars(sa.select(AuditEntry))]
        parts += [
            f"{p.attendance_comment} {p.name}"
            for p in db.session.get(Dialogue, 2).current_participants
        ]
    return "\n".join(parts)


def test_free_text_and_comments_are_listed_with_their_place(app, client, held_dialogue):
    data = rt.fill_python_docx(template_for(app, held_dialogue))
    document = _document(data)
    heading = next(p for p in document.paragraphs if p.text == L.TABLE_TITLES[L.RISKS])
    note = heading.insert_paragraph_before("Vi pratade också om parkeringen vid entrén.")
    note.style = document.styles["Normal"]
    data = _with_comment(
        _save(document), rt.FINDINGS[L.RISKS][1], "Kolla med fastighetsägaren om belysning."
    )
    login(client, "chef_a1")
    response = _upload(client, held_dialogue, data)
    page = plain_text(response)
    assert response.status_code == 200, page
    assert "Inte inläst" in page
    assert "Vi pratade också om parkeringen vid entrén." in page
    assert "Text efter rubriken ”Brister”" in page  # the paragraph stood under "Brister"
    assert "Kolla med fastighetsägaren om belysning." in page
    assert "Kommentar i Word vid Risker, rad 1" in page
    assert "Inga problem hittades" in page  # listed, not refused


def test_changed_prefilled_columns_are_listed_not_dropped(app, client, held_dialogue):
    document = _document(rt.fill_python_docx(template_for(app, held_dialogue)))
    attendance = _table(document, L.ATTENDANCE)
    attendance.rows[1].cells[1].text = "Omdöpt Chef"
    previous = _table(document, L.PREVIOUS_ACTIONS)
    previous.rows[1].cells[3].text = "2026-12-31"
    login(client, "chef_a1")
    page = plain_text(_upload(client, held_dialogue, _save(document)))
    assert "Närvaro, rad 1, Namn" in page and "Omdöpt Chef" in page
    assert "Uppföljning av tidigare åtgärder, rad 1, Klart senast" in page and "2026-12-31" in page
    assert "Kolumnen läses inte in" in page


def _set_header_footer_box_and_alt_text(data: bytes, *, header="", footer="", box="", alt=""):
    document = _document(data)
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].add_run(" " + header)
    if footer:
        section.footer.add_paragraph(footer)
    if box:
        # A text box as Word writes it: a drawing with wps:txbx/w:txbxContent.
        xml = (
            '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
            'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            '<w:drawing><wp:inline><wp:extent cx="1000000" cy="300000"/>'
            '<wp:docPr id="77" name="Textruta 1"/><a:graphic><a:graphicData '
            'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
            "<wps:txbx><w:txbxContent><w:p><w:r><w:t>" + box + "</w:t></w:r></w:p>"
            "</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic>"
            "</wp:inline></w:drawing></w:r>"
        )
        from lxml import etree

        document.paragraphs[-1]._p.append(etree.fromstring(xml))
    if alt:
        from PIL import Image  # matplotlib brings Pillow

        image = io.BytesIO()
        Image.new("RGB", (4, 4), "white").save(image, "PNG")
        image.seek(0)
        document.add_picture(image)
        document.inline_shapes[-1]._inline.docPr.set("descr", alt)
    return _save(document)


def test_patient_data_anywhere_refuses_the_import_naming_the_place(app, client, held_dialogue):
    login(client, "chef_a1")
    base = rt.fill_python_docx(template_for(app, held_dialogue))
    cases = [
        (
            _with_comment(base, rt.FINDINGS[L.RISKS][1], f"Gäller {PNR}."),
            "Kommentar i Word vid Risker, rad 1",
        ),
        (_set_header_footer_box_and_alt_text(base, header=PNR), "Sidhuvud"),
        (_set_header_footer_box_and_alt_text(base, footer=f"Boende {PNR}"), "Sidfot"),
        (_set_header_footer_box_and_alt_text(base, box=f"Ring om {PNR}"), "Textruta"),
        (
            _set_header_footer_box_and_alt_text(base, alt=f"Foto på {PNR}"),
            "Alternativ text på en bild",
        ),
    ]
    document = _document(base)
    _table(document, L.ATTENDANCE).rows[1].cells[5].text = f"Ersatte {PNR}"
    cases.append((_save(document), "Närvaro, rad 1, Kommentar"))
    document = _document(base)
    _table(document, L.FACTS).rows[-1].cells[1].text = f"Rum 12, {PNR}"
    cases.append((_save(document), "Dialoguppgifter, rad 9, Värde"))
    for data, place in cases:
        response = _upload(client, held_dialogue, data)
        page = plain_text(response)
        assert response.status_code == 422, (place, page[-2000:])
        assert place in page and "personnummer" in page, place
        assert 'name="rows"' not in text_of(response)
    assert PNR not in _everything_stored(app)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) == 0


def test_blank_cells_never_overwrite(app, client, held_dialogue):
    login(client, "chef_a1")
    with app.app_context():
        d = db.session.get(Dialogue, held_dialogue)
        for p in d.current_participants:
            p.attendance = Attendance.ATTENDED
            p.attendance_comment = "Registrerad i tjänsten."
        d.lessons_to = "Alla boenden"
        db.session.commit()
    document = _document(template_for(app, held_dialogue))
    attendance = _table(document, L.ATTENDANCE)
    # The template shows what is recorded ...
    assert [r.cells[4].text for r in attendance.rows[1:] if r.cells[0].text] == ["Ja"] * 5
    # ... and the user empties every attendance cell and the notes: nothing is overwritten.
    for row in attendance.rows[1:]:
        row.cells[4].text = ""
        row.cells[5].text = ""
    for row in _table(document, L.NOTES).rows[1:]:
        row.cells[1].text = ""
    _table(document, L.DEFICIENCIES).rows[1].cells[1].text = "Läkemedel"
    _table(document, L.DEFICIENCIES).rows[1].cells[2].text = "Listan uppdateras inte."
    response = _upload(client, held_dialogue, _save(document))
    page = text_of(response)
    assert response.status_code == 200, page
    html = response.get_data(as_text=True)
    token = html.split('name="rows" value="')[1].split('"')[0]
    client.post(f"/dialoger/{held_dialogue}/importera/spara", data={"rows": token})
    with app.app_context():
        d = db.session.get(Dialogue, held_dialogue)
        assert {p.attendance for p in d.current_participants} == {Attendance.ATTENDED}
        assert {p.attendance_comment for p in d.current_participants} == {"Registrerad i tjänsten."}
        assert d.lessons_to == "Alla boenden"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) == 1


def test_confirm_refuses_when_the_dialogue_changed_since_the_preview(app, client, held_dialogue):
    login(client, "chef_a1")
    response = _upload(client, held_dialogue, rt.fill_python_docx(template_for(app, held_dialogue)))
    html = response.get_data(as_text=True)
    token = html.split('name="rows" value="')[1].split('"')[0]
    # Meanwhile someone records attendance in the application.
    with app.app_context():
        d = db.session.get(Dialogue, held_dialogue)
        d.current_participants[0].attendance = Attendance.ABSENT
        d.version += 0  # the change itself bumps the version on flush
        from dialog.locking import flush_change

        flush_change(d)
        db.session.commit()
    response = client.post(
        f"/dialoger/{held_dialogue}/importera/spara", data={"rows": token}, follow_redirects=True
    )
    page = text_of(response)
    assert "har ändrats i tjänsten sedan förhandsgranskningen" in page
    with app.app_context():
        d = db.session.get(Dialogue, held_dialogue)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) == 0
        assert d.current_participants[0].attendance is Attendance.ABSENT
        assert not d.lessons_to


def test_confirm_refuses_when_an_earlier_action_changed_since_the_preview(
    app, client, held_dialogue
):
    """A change the dialogue's version does not see (last year's action) is caught by the
    plan's digest: the preview said "Ej påbörjad → Klar", it is no longer true."""
    login(client, "chef_a1")
    response = _upload(client, held_dialogue, rt.fill_python_docx(template_for(app, held_dialogue)))
    html = response.get_data(as_text=True)
    token = html.split('name="rows" value="')[1].split('"')[0]
    with app.app_context():
        from dialog.models import Action, ActionStatus

        action = db.session.scalar(sa.select(Action))
        action.status = ActionStatus.IN_PROGRESS
        db.session.commit()
    page = text_of(
        client.post(
            f"/dialoger/{held_dialogue}/importera/spara",
            data={"rows": token},
            follow_redirects=True,
        )
    )
    assert "har ändrats i tjänsten sedan förhandsgranskningen" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) == 0


def test_unsupported_tracked_cell_changes_are_refused_clearly(app, client, held_dialogue):
    document = _document(rt.fill_python_docx(template_for(app, held_dialogue)))
    cell = _table(document, L.RISKS).rows[2].cells[1]
    tcpr = cell._tc.get_or_add_tcPr()
    inserted = OxmlElement("w:cellIns")
    inserted.set(qn("w:id"), "5")
    inserted.set(qn("w:author"), "Antecknare")
    tcpr.append(inserted)
    login(client, "chef_a1")
    response = _upload(client, held_dialogue, _save(document))
    assert response.status_code == 422
    assert "Godkänn alla ändringar" in text_of(response)


def test_untouched_template_is_never_an_empty_import(app, client, held_dialogue):
    login(client, "chef_a1")
    response = _upload(client, held_dialogue, template_for(app, held_dialogue))
    page = text_of(response)
    assert response.status_code == 422
    assert "Inget i dokumentet kunde läsas in" in page


def test_old_word_and_odt_without_libreoffice(app, client, held_dialogue, tmp_path, monkeypatch):
    login(client, "chef_a1")
    response = _upload(
        client, held_dialogue, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "a.doc"
    )
    assert response.status_code == 400 and ".docx" in text_of(response)
    response = _upload(client, held_dialogue, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert response.status_code == 422 and "äldre Word-dokument (.doc)" in text_of(response)
    # An .odt where LibreOffice is not installed: refused with how to save as .docx.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as odt:
        odt.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        odt.writestr("content.xml", "<office:document-content/>")
    monkeypatch.setenv("PATH", str(tmp_path))
    response = _upload(client, held_dialogue, buffer.getvalue(), "ifylld.odt")
    page = text_of(response)
    assert response.status_code == 422
    assert "OpenDocument-format (.odt)" in page and "Spara som" in page and ".docx" in page


def test_layout_version_1_files_are_still_read(app, client, held_dialogue):
    """A template downloaded before the ID columns existed: findings tables without ID."""
    document = _document(rt.fill_python_docx(template_for(app, held_dialogue)))
    for key in (L.DEFICIENCIES, L.RISKS, L.SUCCESS_FACTORS, L.ACTIONS):
        table = _table(document, key)
        for row in table.rows:
            tc = row.cells[0]._tc
            tc.getparent().remove(tc)
        grid = table._tbl.tblGrid
        grid.remove(grid.findall(qn("w:gridCol"))[0])
    login(client, "chef_a1")
    response = _upload(client, held_dialogue, _save(document))
    page = plain_text(response)
    assert response.status_code == 200, page
    assert rt.FINDINGS[L.DEFICIENCIES][1] in page and rt.ACTION[1] in page
