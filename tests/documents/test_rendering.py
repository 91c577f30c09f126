"""Rendering the four documents for a real dialogue, read back by readers that did not write them."""

from __future__ import annotations

import io
import subprocess
import zipfile
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx2python import docx2python

from dialog.documents import minutes_layout as L
from dialog.documents import services
from dialog.documents.context import agenda_points
from dialog.documents.kinds import KINDS
from dialog.extensions import db
from dialog.models import Dialogue

from .helpers import LONG_WORD, TRICKY, dialogue_with_history


@pytest.fixture
def rendered(app, book):
    dialogue_id, action_id = dialogue_with_history(app, book)
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        docs = {key: services.render_for_dialogue(dialogue, kind) for key, kind in KINDS.items()}
        return dialogue_id, action_id, dialogue.calendar_uid, docs


def _all_text(data: bytes) -> str:
    with docx2python(io.BytesIO(data)) as result:
        return result.text


def _tables(data: bytes) -> list[list[list[str]]]:
    """Tables as rows of cell texts, by docx2python (an independent reader)."""
    with docx2python(io.BytesIO(data)) as result:
        tables = []
        for block in result.body:
            if len(block) > 1 or (block and len(block[0]) > 1):
                tables.append(
                    [["\n".join(p for p in cell).strip() for cell in row] for row in block]
                )
        return tables


def test_agenda_has_the_dialogues_facts_and_last_years_actions(rendered):
    _, _, _, docs = rendered
    text = _all_text(docs["agenda"])
    for fact in (
        "Testboendet Ett",
        "Testkommun A",
        "Test-VC Alfa",
        "2027-03-10",
        "onsdag",
        "13.00–15.00",
        "Test SSK a1",
        "Sjuksköterska",
        "Test lakare alfa",
        "SÄBO-läkare",
        "Välkomna och syfte",
        "Uppföljning av förra årets åtgärder",
        "Gemensamma data för året",
        "Brister, risker och framgångsfaktorer per område",
        "Överenskomna åtgärder",
        "Att lyfta till MAS/MAR och regionen",
        "Nästa dialog",
        "Läkemedel",
        "Avvikelsehantering",
        "Pågår",
        "Klar",
        "inte om enskilda patienter",
    ):
        assert fact in text, fact
    # User text with XML special characters, Swedish letters and a long word comes through.
    assert TRICKY in text
    assert LONG_WORD in text
    assert "Zeta Ö'Brien & <Co>" in text


def test_agenda_points_share_the_meeting_time():
    from datetime import datetime

    points = agenda_points(datetime(2027, 3, 10, 13, 0), datetime(2027, 3, 10, 15, 0))
    assert points[0]["start"] == "13.00" and points[-1]["end"] == "15.00"
    for before, after in zip(points, points[1:]):
        assert before["end"] == after["start"]


def test_every_document_is_accessible_word(rendered):
    _, _, _, docs = rendered
    for key, data in docs.items():
        document = Document(io.BytesIO(data))
        props = document.core_properties
        assert props.language == "sv-SE"
        assert (
            props.title.startswith(KINDS[key].title) and "Testboendet Ett 2027-03-10" in props.title
        )
        styles = {p.style.name for p in document.paragraphs}
        assert "Heading 1" in styles, key
        assert (
            document.styles.element.find(qn("w:docDefaults"))
            .find(qn("w:rPrDefault"))
            .find(qn("w:rPr"))
            .find(qn("w:lang"))
            .get(qn("w:val"))
            == "sv-SE"
        )
        section = document.sections[0]
        assert "Testboendet Ett" in section.header.paragraphs[0].text
        assert "2027-03-10" in section.header.paragraphs[0].text
        footer_xml = section.footer._element.xml
        assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
        assert document.tables, key
        for table in document.tables:
            tr_pr = table.rows[0]._tr.trPr
            assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None, key
            assert table._tbl.tblPr.find(qn("w:tblCaption")) is not None, key
        # No template tags left behind.
        body = document.element.xml
        assert "{{" not in body and "{%" not in body, key


def test_documentation_template_reads_back_with_the_layout_constants(rendered):
    dialogue_id, action_id, uid, docs = rendered
    document = Document(io.BytesIO(docs["dokumentationsmall"]))
    assert L.parse_identifier(document.core_properties.identifier) == (dialogue_id, uid)
    assert document.core_properties.subject == L.SUBJECT
    found = {}
    for table in document.tables:
        key = L.table_key(c.text for c in table.rows[0].cells)
        assert key is not None, [c.text for c in table.rows[0].cells]
        caption = table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val"))
        assert caption == L.TABLE_TITLES[key]
        found[key] = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert set(found) == set(L.TABLES)
    facts = dict(found[L.FACTS])
    assert facts[L.FACT_DIALOGUE_ID] == str(dialogue_id)
    assert facts[L.FACT_CALENDAR_UID] == uid
    assert facts[L.FACT_LAYOUT_VERSION] == L.LAYOUT_VERSION
    assert facts[L.FACT_HOME] == "Testboendet Ett"
    attendance = found[L.ATTENDANCE]
    named = [r for r in attendance if any(r)]
    assert len(named) == 6  # five invited contacts and the stand-in
    assert all(r[0].isdigit() for r in named)
    assert len(attendance) - len(named) == L.BLANK_ROWS[L.ATTENDANCE]
    previous = found[L.PREVIOUS_ACTIONS]
    assert [r[0] for r in previous if r[0]].count(str(action_id)) == 1
    tricky = next(r for r in previous if r[0] == str(action_id))
    # Its latest status, marked overdue: it was due 2026-09-30 and is still open.
    assert TRICKY in tricky[1] and tricky[4] == "Pågår, försenad"
    for key in (L.DEFICIENCIES, L.RISKS, L.SUCCESS_FACTORS, L.ACTIONS):
        assert len(found[key]) == L.BLANK_ROWS[key]
        assert all(not any(r) for r in found[key])


def test_documentation_template_filled_in_keeps_its_structure(rendered, tmp_path):
    """Fill in a copy the way a user would (python-docx), save, read back by header."""
    _, _, _, docs = rendered
    document = Document(io.BytesIO(docs["dokumentationsmall"]))
    for table in document.tables:
        if L.table_key(c.text for c in table.rows[0].cells) == L.RISKS:
            row = table.rows[1].cells
            row[0].text, row[1].text, row[2].text = "Fall", "Risk att larm inte hörs.", "SÄBO"
    out = io.BytesIO()
    document.save(out)
    again = Document(io.BytesIO(out.getvalue()))
    risks = next(t for t in again.tables if L.table_key(c.text for c in t.rows[0].cells) == L.RISKS)
    assert [c.text for c in risks.rows[1].cells][:3] == ["Fall", "Risk att larm inte hörs.", "SÄBO"]


def test_pandoc_reads_every_document(rendered, tmp_path):
    _, _, _, docs = rendered
    for key, data in docs.items():
        path = tmp_path / f"{key}.docx"
        path.write_bytes(data)
        text = subprocess.run(
            ["pandoc", "-f", "docx", "-t", "plain", str(path)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        assert "Testboendet Ett" in text, key
        assert "Test-VC Alfa" in text, key
    tables = _tables(docs["kallelse"])
    assert any(row[:2] == ["Test SSK a1", "Sjuksköterska"] for t in tables for row in t)


def test_download_name_and_safe_filename(app, book, world):
    dialogue_id = book("a1", date(2027, 3, 10))
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        assert (
            services.download_name(KINDS["agenda"], dialogue)
            == "Agenda Testboendet Ett 2027-03-10.docx"
        )
    assert services.safe_filename('Ett/två: "tre"?') == "Ett två tre"


def test_documents_are_real_zip_packages(rendered):
    _, _, _, docs = rendered
    for data in docs.values():
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert "word/document.xml" in names and "docProps/core.xml" in names


def test_kallelse_names_the_organiser_with_phone_and_reply_by_date(app, book, world):
    from datetime import date as _date

    from dialog.documents.context import postal_address, reply_by
    from dialog.models import Contact

    dialogue_id = book("a1", _date(2027, 3, 10))
    with app.app_context():
        contact = db.session.get(Contact, world.contacts["a1_chef"])
        contact.phone = "016-710 00 00"
        dialogue = db.session.get(Dialogue, dialogue_id)
        data = services.render_for_dialogue(dialogue, KINDS["kallelse"])
    text = _all_text(data)
    assert "Test CHEF a1" in text or "Test chef_a1" in text
    assert "telefon 016-710 00 00" in text
    from dialog.timeutil import local, now_utc

    expected = reply_by(_date(2027, 3, 10), local(now_utc()).date())
    assert f"Svara senast {expected.isoformat()}" in text
    assert "Provgatan 1, Testkommun A" in text
    # The town printed once, whatever the register holds.
    assert postal_address("Påhittade vägen 4, Eskilstuna", "Eskilstuna") == (
        "Påhittade vägen 4, Eskilstuna"
    )
    assert postal_address("Påhittade vägen 4", "Eskilstuna") == "Påhittade vägen 4, Eskilstuna"
    assert postal_address("", "Eskilstuna") == "Eskilstuna"
    # Reply by: two weeks before, at least a week after the letter, never after the meeting.
    assert reply_by(_date(2027, 3, 10), _date(2027, 1, 10)) == _date(2027, 2, 24)
    assert reply_by(_date(2027, 3, 10), _date(2027, 3, 1)) == _date(2027, 3, 8)
    assert reply_by(_date(2027, 3, 10), _date(2027, 3, 9)) == _date(2027, 3, 9)
