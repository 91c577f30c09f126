"""The dashboard in real Chromium: charts load as images under the CSP, axe-core finds nothing."""

from __future__ import annotations

import pytest

from tests.support.browser import axe_violations, describe_violations, login_in_browser, screenshot
from tests.support.world import PASSWORD

pytestmark = pytest.mark.browser


def _images_loaded(page) -> bool:
    return page.evaluate(
        "() => Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
    )


def test_dashboard_in_the_browser(live_server, page, data):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    login_in_browser(page, live_server.url, "regional_norr", PASSWORD)
    page.goto(f"{live_server.url}/uppfoljning/?ar=2026")
    page.get_by_role("heading", name="Uppföljning 2026").wait_for()
    for img in page.locator("img").all():
        img.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)",
        timeout=60000,
    )
    assert page.locator("figure.fu-chart img").count() == 6
    assert _images_loaded(page)
    screenshot(page, "followup-dashboard")
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
    assert not [e for e in errors if "Content Security Policy" in e], errors

    # Filter to half-year 2 with the form, then follow a number to the list behind it.
    page.get_by_label("Period", exact=True).select_option("2")
    page.get_by_role("button", name="Visa").click()
    page.get_by_role("heading", name="Uppföljning 2026 (juli–december)").wait_for()
    page.get_by_role("link", name="1 – genomförda dialoger").first.click()
    page.get_by_role("heading", name="Dialoger 2026 (juli–december)").wait_for()
    assert page.get_by_text("Testboendet Tre").count() >= 1
    screenshot(page, "followup-list")
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


def test_lessons_library_in_the_browser(live_server, page, data):
    login_in_browser(page, live_server.url, "regional_norr", PASSWORD)
    page.goto(f"{live_server.url}/uppfoljning/lardomar")
    page.get_by_label("Sök", exact=True).fill("brytpunkt")
    page.get_by_role("button", name="Sök").click()
    page.get_by_text("1 lärdom.").wait_for()
    screenshot(page, "followup-lessons")
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
