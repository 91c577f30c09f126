"""The foundation in real Chromium: log in, year view, book, rebook, the second-booking error;
axe-core (WCAG 2.0/2.1 A and AA) on the login page, year view, home page and booking form."""

from __future__ import annotations

import pytest

from tests.support.browser import axe_violations, describe_violations, login_in_browser, screenshot
from tests.support.world import PASSWORD

pytestmark = pytest.mark.browser


def assert_accessible(page, name: str):
    violations = axe_violations(page)
    screenshot(page, name)
    assert violations == [], describe_violations(violations)


def test_login_page_is_accessible(live_server, page, world):
    page.goto(f"{live_server.url}/logga-in")
    assert_accessible(page, "01-login")
    page.get_by_label("Användarnamn eller e-post").fill("mas_a")
    page.get_by_label("Lösenord").fill("fel")
    page.get_by_role("button", name="Logga in").click()
    assert page.get_by_role("alert").inner_text().strip() == "Fel användarnamn eller lösenord."
    assert_accessible(page, "02-login-error")


def test_book_rebook_and_refused_second_booking(live_server, page, world):
    base = live_server.url
    login_in_browser(page, base, "chef_a1", PASSWORD)
    page.goto(f"{base}/arsoversikt?ar=2027")
    assert page.locator("h1").inner_text() == "Årsöversikt 2027"
    assert_accessible(page, "03-year-view")

    row = page.locator("tr", has_text="Testboendet Ett")
    row.get_by_role("link", name="Testboendet Ett", exact=True).click()
    assert page.locator("h1").inner_text() == "Testboendet Ett"
    assert_accessible(page, "04-home")

    page.get_by_role("link", name="Boka dialog").click()
    assert_accessible(page, "05-booking-form")
    page.get_by_label("Datum").fill("2027-03-10")
    page.get_by_label("Starttid").fill("13:00")
    page.get_by_label("Sluttid").fill("15:00")
    page.get_by_role("button", name="Boka dialog").click()
    page.wait_for_url("**/dialoger/*")
    assert "2027-03-10 kl. 13.00–15.00" in page.locator("dl.facts").inner_text()
    assert (
        page.locator(".flash-success")
        .inner_text()
        .startswith("Dialogen för Testboendet Ett är bokad")
    )
    assert_accessible(page, "06-dialogue")

    page.get_by_role("link", name="Boka om").click()
    page.get_by_label("Datum").fill("2027-04-14")
    page.get_by_label("Starttid").fill("09:00")
    page.get_by_label("Sluttid").fill("11:30")
    page.get_by_role("button", name="Spara ny tid").click()
    page.wait_for_url("**/dialoger/*")
    assert "2027-04-14 kl. 09.00–11.30" in page.locator("dl.facts").inner_text()

    # The year view now shows the booking; a second booking for the same year is refused.
    page.goto(f"{base}/arsoversikt?ar=2027")
    row = page.locator("tr", has_text="Testboendet Ett")
    assert "Planerad" in row.inner_text() and "2027-04-14" in row.inner_text()
    page.goto(f"{base}/boenden/{world.homes['a1']}/boka")
    page.get_by_label("Datum").fill("2027-10-05")
    page.get_by_role("button", name="Boka dialog").click()
    alert = page.get_by_role("alert").first
    assert "har redan en patientsäkerhetsdialog 2027" in alert.inner_text()
    assert_accessible(page, "07-second-booking-refused")


def test_form_errors_are_announced_and_linked(live_server, page, world):
    base = live_server.url
    login_in_browser(page, base, "mas_a", PASSWORD)
    page.goto(f"{base}/boenden/{world.homes['a2']}/boka")
    page.get_by_label("Datum").fill("")
    page.get_by_role("button", name="Boka dialog").click()
    summary = page.locator(".error-summary")
    assert "Ange ett datum" in summary.inner_text()
    assert page.get_by_label("Datum").get_attribute("aria-invalid") == "true"
    assert_accessible(page, "08-booking-errors")


def test_tablet_width_has_no_horizontal_page_scroll(live_server, browser, world):
    context = browser.new_context(viewport={"width": 820, "height": 1180}, locale="sv-SE")
    page = context.new_page()
    try:
        login_in_browser(page, live_server.url, "regional_norr", PASSWORD)
        page.goto(f"{live_server.url}/arsoversikt?ar=2027")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        screenshot(page, "09-year-view-tablet")
        assert overflow <= 0
    finally:
        context.close()


def test_register_and_admin_pages_are_accessible(live_server, page, world, book):
    dialogue_id = book("a1", __import__("datetime").date(2027, 3, 10))
    login_in_browser(page, live_server.url, "admin", PASSWORD)
    for path, name in [
        ("/register/boenden", "10-homes"),
        ("/register/vardcentraler", "11-centres"),
        ("/register/kontakter", "12-contacts"),
        ("/register/import", "13-import"),
        ("/granskningslogg", "14-audit"),
        ("/anvandare", "15-users"),
        (f"/dialoger/{dialogue_id}/stall-in", "16-cancel"),
        ("/register/kontakter/ny", "17-new-contact"),
    ]:
        page.goto(live_server.url + path)
        assert_accessible(page, name)
