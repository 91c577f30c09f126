"""The guard's verdict while typing, in Chromium: shown under the field before submitting, with
the page's content-security policy (no inline scripts), accessible (axe-core), at 1280 px and
at a 390 px phone width. The server still checks on submit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import Finding
from tests.findings.helpers import PAST_DAY
from tests.support.browser import axe_violations, describe_violations, login_in_browser, screenshot
from tests.support.world import PASSWORD

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_finding_form_shows_the_verdict_while_typing(app, live_server, browser, world, book, width):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="sv-SE", timezone_id="Europe/Stockholm"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        dialogue_id = book("a1", PAST_DAY)
        login_in_browser(page, live_server.url, "chef_a1", PASSWORD)
        page.goto(f"{live_server.url}/dialoger/{dialogue_id}/iakttagelser/ny?typ=brist")
        field = page.get_by_label("Beskrivning")
        field.fill("Kvinnan som flyttade in förra veckan fick ingen läkemedelsgenomgång.")
        verdict = page.locator("#description-privacy")
        verdict.locator("text=patientuppgifter").wait_for()
        assert "Vid två tillfällen i våras" in verdict.inner_text()
        assert "privacy-refused" in verdict.get_attribute("class")
        assert "description-privacy" in field.get_attribute("aria-describedby")
        violations = axe_violations(page)
        assert violations == [], describe_violations(violations)
        screenshot(page, f"privacy-verdict-refused-{width}")

        field.fill("Vid två tillfällen i våras saknades läkemedelsgenomgång vid inflyttning.")
        page.locator("#description-privacy.privacy-ok").wait_for()
        assert "inga patientuppgifter" in verdict.inner_text()
        screenshot(page, f"privacy-verdict-ok-{width}")

        # The server checks again on submit, whatever the browser said.
        field.fill("Gunvor föll i rum 14.")
        page.get_by_label("Område", exact=True).select_option(label="Fall")
        page.get_by_role("button", name="Spara iakttagelsen").click()
        page.wait_for_selector(".error-summary")
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count(Finding.id))) == 0
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        context.close()


def test_admin_scan_page(app, live_server, page, world, book):
    from tests.privacy.test_web import _store_old_patient_data

    _store_old_patient_data(app, world, book)
    login_in_browser(page, live_server.url, "admin", PASSWORD)
    page.goto(f"{live_server.url}/admin/integritet")
    page.get_by_role("link", name="Sök igenom nu").click()
    page.locator("text=värden innehåller patientuppgifter").wait_for()
    content = page.content()
    assert "Gunvor" not in content and "19121212" not in content
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
    screenshot(page, "privacy-admin-scan")
    page.get_by_label(
        "Jag vill ersätta varje träff med [borttaget]. Det går inte att ångra."
    ).check()
    page.get_by_role("button", name="Rensa patientuppgifterna").click()
    page.locator("text=Inga patientuppgifter hittades.").wait_for()
    screenshot(page, "privacy-admin-scan-clean")
