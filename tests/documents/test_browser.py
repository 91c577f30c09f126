"""The documents' pages in Chromium: accessible (axe-core), and a download that really arrives."""

from __future__ import annotations

from datetime import date

import pytest
from docx import Document

from tests.support.browser import axe_violations, describe_violations, login_in_browser, screenshot
from tests.support.world import PASSWORD

from . import helpers

pytestmark = pytest.mark.browser


def test_documents_pages_in_chromium(live_server, page, world, book, tmp_path):
    dialogue_id = book("a1", date(2027, 3, 10))
    login_in_browser(page, live_server.url, "admin", PASSWORD)

    page.goto(f"{live_server.url}/dialoger/{dialogue_id}")
    panel = page.locator("section.documents-panel")
    assert panel.locator("a").count() == 4
    violations = axe_violations(page)
    screenshot(page, "documents-dialogue-panel")
    assert violations == [], describe_violations(violations)
    with page.expect_download() as info:
        panel.locator("a", has_text="Agenda").click()
    download = info.value
    assert download.suggested_filename == "Agenda Testboendet Ett 2027-03-10.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert Document(str(saved)).core_properties.language == "sv-SE"

    page.goto(f"{live_server.url}/arsoversikt?ar=2027")
    assert page.locator("form.documents-zip").is_visible()
    violations = axe_violations(page)
    screenshot(page, "documents-year-zip")
    assert violations == [], describe_violations(violations)

    # A refused upload shows its message, accessibly.
    page.goto(f"{live_server.url}/mallar")
    bad = tmp_path / "mall.docx"
    bad.write_bytes(b"bara text, ingen zip")
    page.select_option("#kind", "kallelse")
    page.set_input_files("#file", str(bad))
    page.get_by_role("button", name="Ladda upp och kontrollera").click()
    assert "Mallen sparades inte." in page.content()
    violations = axe_violations(page)
    screenshot(page, "documents-templates-refused")
    assert violations == [], describe_violations(violations)

    good = tmp_path / "egen.docx"
    good.write_bytes(helpers.simple_template(["{{ home.name }}"]))
    page.set_input_files("#file", str(good))
    page.get_by_role("button", name="Ladda upp och kontrollera").click()
    assert "version 1" in page.locator(".flash").inner_text()
    violations = axe_violations(page)
    screenshot(page, "documents-templates")
    assert violations == [], describe_violations(violations)
