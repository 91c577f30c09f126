"""Plan -> adjust -> book in real Chromium, with screenshots and axe-core on every step."""

from datetime import date

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from dialog.extensions import db
from dialog.models import Dialogue
from tests.support.browser import axe_violations, describe_violations, login_in_browser, screenshot
from tests.support.world import PASSWORD

pytestmark = pytest.mark.browser
YEAR = date.today().year + 1


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


def test_plan_adjust_and_book_in_the_browser(app, live_server, page, world):
    a1, a2 = world.homes["a1"], world.homes["a2"]
    login_in_browser(page, live_server.url, "regional_norr", PASSWORD)
    page.goto(f"{live_server.url}/arsoversikt?ar={YEAR}")
    page.get_by_role("link", name=f"Planera året {YEAR}").click()
    page.get_by_label("Önskad tid för Test-VC Beta").select_option("fm")
    screenshot(page, "planner-1-start")
    assert_accessible(page)

    page.get_by_role("button", name="Föreslå datum").click()
    page.wait_for_selector("#planner-form")
    assert page.locator(".planner-check .badge").count() == 3
    assert "Inga konflikter" in page.locator("#planner-status").inner_text()
    screenshot(page, "planner-2-proposal")
    assert_accessible(page)
    page.set_viewport_size({"width": 800, "height": 1000})  # a tablet in a meeting room
    screenshot(page, "planner-2-proposal-tablet")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Move a2 to a1's day: planner.js re-checks at once and shows why it is a clash.
    day_a1 = page.locator(f"#datum-{a1}").input_value()
    original_a2 = page.locator(f"#datum-{a2}").input_value()
    page.locator(f"#datum-{a2}").fill(day_a1)
    cell = page.locator(f"#kontroll-{a2}")
    cell.get_by_text("Konflikt").wait_for()
    assert "Test lakare alfa (SÄBO-läkare)" in cell.inner_text()
    expect(page.locator("#planner-hard-count")).to_have_text("2")
    # Changing the start keeps the meeting length.
    page.locator(f"#start-{a2}").fill("09:00")
    expect(page.locator(f"#slut-{a2}")).to_have_value("11:00")
    expect(page.locator(".planner-check[aria-busy]")).to_have_count(0)
    cell.get_by_text("Ingen på två boenden samma dag (restid):").wait_for()
    status = page.locator("#planner-status").inner_text()
    assert (
        "Ingen på två boenden samma dag (restid): Test lakare alfa (SÄBO-läkare) är kallad "
        "till Testboendet Ett och Testboendet Två samma dag" in status
    )
    screenshot(page, "planner-3-conflict")
    assert_accessible(page)

    # Booking with the clash is refused; nothing is booked.
    page.get_by_role("button", name="Boka och skicka kallelser").click()
    page.get_by_role("heading", name="Bokningen gjordes inte").wait_for()
    assert "Ingenting är bokat" in page.locator("#planner-message").inner_text()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Dialogue.id))) == 0
    screenshot(page, "planner-4-refused")
    assert_accessible(page)

    # Put it back, see it re-checked clean, then book all three with invitations.
    page.locator(f"#datum-{a2}").fill(original_a2)
    page.locator(f"#kontroll-{a2}").get_by_text("Konflikt").wait_for(state="detached")
    expect(page.locator("#planner-hard-count")).to_have_text("0")
    page.get_by_role("button", name="Boka och skicka kallelser").click()
    page.wait_for_url(f"**/arsoversikt?ar={YEAR}")
    assert "3 dialoger är bokade och 15 kallelser" in page.locator(".flashes").inner_text()
    screenshot(page, "planner-5-booked")
    assert_accessible(page)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Dialogue.id))) == 3
