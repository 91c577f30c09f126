"""The Word report renders in LibreOffice: PDF text read back, page 1 as PNG to look at."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.support.office import convert_to_pdf, first_page_png, pdf_page_count, pdf_text

pytestmark = pytest.mark.libreoffice


def test_report_renders_in_libreoffice(client, data, soffice, tmp_path):
    login(client, "regional_norr")
    response = client.get("/uppfoljning/rapport.docx?ar=2026")
    assert response.status_code == 200
    assert "sammanstallning.docx" in response.headers["Content-Disposition"]
    docx = tmp_path / "sammanstallning.docx"
    docx.write_bytes(response.data)
    pdf = convert_to_pdf(docx, tmp_path)
    text = " ".join(pdf_text(pdf).split())
    assert "Sammanställning patientsäkerhetsdialoger SÄBO" in text
    assert "2026 · Testregion Norr" in text
    assert "Under 2026 bokades 3 patientsäkerhetsdialoger" in text
    # Escalated findings, lessons, and a section per municipality.
    # (Table cells wrap, so look for single words of the escalated findings.)
    assert "delegeringar" in text and "viktuppföljning" in text
    assert "brytpunktssamtal med fast läkare ger trygghet" in text
    assert "Testkommun A" in text and "Testkommun B" in text and "Testkommun C" not in text
    assert "Under 2026 hade Testkommun A 2 aktiva särskilda boenden" in text
    assert pdf_page_count(pdf) >= 3
    png = first_page_png(pdf, "followup-report-page1")
    assert png.exists() and png.stat().st_size > 10000
