"""The Word report renders in LibreOffice: PDF text read back page by page, every page as PNG
to look at, and the layout rules a region would check (no wrapped dates, no broken words,
municipality sections kept together, alt text on the charts, the file name as written)."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import pytest
from docx import Document
from docx.oxml.ns import qn

from dialog.followup import figures
from dialog.followup.filters import Selection
from dialog.scope import Scope
from tests.conftest import login
from tests.support.office import convert_to_pdf, page_pngs, pdf_pages
from tests.support.ooxml import assert_valid_docx

pytestmark = pytest.mark.libreoffice

# Every word of the report's table headers: none may be broken over two lines.
HEADER_WORDS = [
    "Framgångsfaktor",
    "Framgångsfaktorer",
    "Genomförda",
    "Fullständig",
    "Ofullständig",
    "försenade",
    "Avbrutna",
    "Beskrivning",
]


def _report(client, query: str) -> tuple[bytes, str]:
    response = client.get(f"/uppfoljning/rapport.docx?{query}")
    assert response.status_code == 200
    return response.data, response.headers["Content-Disposition"]


def test_report_renders_in_libreoffice(client, data, soffice, tmp_path):
    login(client, "regional_norr")
    blob, disposition = _report(client, "ar=2026")
    # The file name keeps å, ä and ö, like the other documents.
    name = unquote(disposition.split("filename*=UTF-8''")[1])
    assert name == "Sammanställning patientsäkerhetsdialoger SÄBO 2026.docx"
    assert_valid_docx(blob)
    docx = tmp_path / "rapport.docx"
    docx.write_bytes(blob)
    pdf = convert_to_pdf(docx, tmp_path)
    pages = pdf_pages(pdf)
    text = " ".join(" ".join(pages).split())
    assert "Sammanställning patientsäkerhetsdialoger SÄBO" in text
    assert "2026 · Testregion Norr" in text
    assert "Under 2026 bokades 3 patientsäkerhetsdialoger" in text
    assert "delegeringar" in text and "viktuppföljning" in text
    assert "brytpunktssamtal med fast läkare ger trygghet" in text
    assert "Testkommun A" in text and "Testkommun B" in text and "Testkommun C" not in text
    assert "Under 2026 hade Testkommun A 2 aktiva särskilda boenden" in text
    assert 3 <= len(pages) <= 8, len(pages)
    # Dates never wrap ("2026-05-/07"), words never break ("Framgån/gsfaktor").
    for page in pages:
        assert not re.search(r"\d{4}-\d{2}-?\s*\n", page), page
        assert not re.search(r"\d{4}-\s*\n", page), page
    words = set(re.findall(r"\w+", " ".join(pages)))
    for word in HEADER_WORDS:
        assert word in words, word
    assert "Framgån" not in words and "Framgångs" not in words
    # Each municipality's heading, text and figures stand on one page.
    for municipality in ("Testkommun A", "Testkommun B"):
        marker = f"Under 2026 hade {municipality}"
        holder = [p for p in pages if marker in " ".join(p.split())]
        assert len(holder) == 1, municipality
        page = " ".join(holder[0].split())
        section = page[page.index(marker) :]
        assert "Full representation" in section and "Klara åtgärder" in section, municipality
    # The last page is not a near-empty one.
    assert len([line for line in pages[-1].splitlines() if line.strip()]) >= 6
    pngs = page_pngs(pdf, "followup-report")
    assert len(pngs) == len(pages) and all(p.stat().st_size > 10_000 for p in pngs)


def test_report_charts_have_alt_text_and_properties(client, data):
    login(client, "regional_norr")
    blob, _ = _report(client, "ar=2026")
    document = Document(io.BytesIO(blob))
    shapes = list(document.inline_shapes)
    assert len(shapes) == 6
    for shape in shapes:
        doc_pr = shape._inline.docPr
        assert doc_pr.get("title") and len(doc_pr.get("descr", "")) > 30, doc_pr.attrib
    descriptions = " ".join(s._inline.docPr.get("descr") for s in shapes)
    assert "3 bokade dialoger" in descriptions
    props = document.core_properties
    assert props.title.startswith("Sammanställning patientsäkerhetsdialoger SÄBO 2026")
    assert props.language == "sv-SE"
    assert props.created.year >= 2026 and props.created == props.modified
    settings = document.settings.element.find(qn("w:themeFontLang"))
    assert settings.get(qn("w:val")) == "sv-SE"


def test_municipalities_without_dialogues_get_one_sentence(client, data, soffice, tmp_path):
    login(client, "regional_norr")
    blob, _ = _report(client, "ar=2027")
    assert_valid_docx(blob)
    document = Document(io.BytesIO(blob))
    text = "\n".join(p.text for p in document.paragraphs)
    for municipality in ("Testkommun A", "Testkommun B"):
        assert f"hölls inga patientsäkerhetsdialoger i {municipality}" in text
    assert "0 brister" not in text and "Dialogerna identifierade 0" not in text
    captions = [
        t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val"))
        for t in document.tables
        if t._tbl.tblPr.find(qn("w:tblCaption")) is not None
    ]
    assert "Kommunens siffror" not in captions
    docx = tmp_path / "rapport-2027.docx"
    docx.write_bytes(blob)
    pages = pdf_pages(convert_to_pdf(docx, tmp_path))
    assert "Inga fynd eskalerades under perioden." in " ".join(" ".join(pages).split())


def test_half_year_trends_compare_the_same_half_years(app, data, world):
    with app.app_context():
        scope = Scope(region_ids=frozenset({world.regions["norr"]}))
        trends = {
            half: {t["year"]: t for t in figures.trends(Selection(scope, 2026, half))}
            for half in (None, 1, 2)
        }
    # 2025: one dialogue held in March (a1), one cancelled in May; none in the autumn.
    assert trends[None][2025]["held"] == 1
    assert trends[1][2025]["held"] == 1
    assert trends[2].get(2025, {"held": 0, "booked": 0})["held"] == 0
    assert trends[2].get(2025, {"held": 0, "booked": 0})["booked"] == 0
    # 2026: a1 held in March; a2 planned in September and b1 held in October.
    assert (trends[1][2026]["booked"], trends[1][2026]["held"]) == (1, 1)
    assert (trends[2][2026]["booked"], trends[2][2026]["held"]) == (2, 1)
    assert trends[None][2026]["booked"] == 3
