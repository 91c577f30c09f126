"""End to end on a tablet: attendance, a finding refused once for a personnummer and rewritten,
an action, documented. Screenshots and axe-core (WCAG 2 A/AA) on every form."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import AuditEntry, Dialogue, DialogueStatus, Finding
from tests.support.browser import axe_violations, describe_violations, login_in_browser, screenshot
from tests.support.world import PASSWORD

from .helpers import PAST_DAY

pytestmark = pytest.mark.browser
PNR = "19121212-1212"


@pytest.fixture
def tablet(browser):
    context = browser.new_context(
        viewport={"width": 820, "height": 1180},
        locale="sv-SE",
        timezone_id="Europe/Stockholm",
        has_touch=True,
        is_mobile=True,
        device_scale_factor=1,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _axe_clean(page):
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


def test_record_dialogue_on_tablet(app, live_server, tablet, world, book):
    page = tablet
    dialogue_id = book("a1", PAST_DAY)
    login_in_browser(page, live_server.url, "chef_a1", PASSWORD)
    page.goto(f"{live_server.url}/dialoger/{dialogue_id}")
    page.get_by_role("link", name="Dokumentera dialogen").click()
    page.wait_for_url(f"**/dialoger/{dialogue_id}/dokumentation")
    _axe_clean(page)
    screenshot(page, "findings-tablet-1-record-page")

    # attendance: everyone came except the occupational therapist, and held
    for select in page.locator("select[name^=attendance-]").all():
        select.select_option("deltog")
    page.get_by_label("Närvaro för Test AT a1").select_option("deltog_ej")
    page.get_by_label("Markera samtidigt dialogen som genomförd").check()
    page.get_by_role("button", name="Spara närvaro").click()
    page.wait_for_selector(".flash-success")
    assert "Full representation uppnåddes inte." in page.content()

    # a finding with a personnummer is refused; the other choices stay
    page.get_by_role("link", name="Ny brist").click()
    page.get_by_label("Område", exact=True).select_option(label="Läkemedel")
    page.locator("input[name=concerns][value=vardcentral]").check()
    page.get_by_label("Lyft till MAS/MAR och region").check()
    page.get_by_label("Beskrivning").fill(
        f"Patienten {PNR} fick fel dos eftersom läkemedelslistan inte uppdaterades efter ronden."
    )
    _axe_clean(page)
    screenshot(page, "findings-tablet-2-new-finding")
    page.get_by_role("button", name="Spara iakttagelsen").click()
    page.wait_for_selector(".error-summary")
    assert page.get_by_label("Beskrivning").get_attribute("aria-invalid") == "true"
    assert "personnummer" in page.locator(".error-message").inner_text()
    assert page.locator("input[name=concerns][value=vardcentral]").is_checked()
    assert page.get_by_label("Lyft till MAS/MAR och region").is_checked()
    assert page.get_by_label("Område", exact=True).input_value() != ""
    _axe_clean(page)
    screenshot(page, "findings-tablet-3-refused")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) == 0
        assert not any(PNR in str(e.changes) for e in db.session.scalars(sa.select(AuditEntry)))

    # rewritten structurally, saved
    page.get_by_label("Beskrivning").fill(
        "Läkemedelslistan uppdateras inte efter ronden, vilket har gett fel dos."
    )
    page.get_by_role("button", name="Spara iakttagelsen").click()
    page.wait_for_selector(".flash-success")

    # an action for the finding
    page.get_by_role("link", name="Ny åtgärd för brist om Läkemedel").click()
    page.get_by_label("Åtgärd", exact=True).fill(
        "Sjuksköterskan uppdaterar listan direkt efter ronden."
    )
    page.get_by_label("Ansvarig part").select_option("sabo")
    page.get_by_label("Ansvarig roll").select_option("sjukskoterska")
    page.get_by_label("Klart senast").fill("2026-06-30")
    _axe_clean(page)
    screenshot(page, "findings-tablet-4-action")
    page.get_by_role("button", name="Spara åtgärden").click()
    page.wait_for_selector(".flash-success")

    page.get_by_role("link", name="Markera som dokumenterad och lås").click()
    # Locking asks first and says what follows.
    assert "Det här händer när du låser" in page.locator("main").inner_text()
    _axe_clean(page)
    screenshot(page, "findings-tablet-5a-confirm-lock")
    page.get_by_role("button", name="Ja, dokumentera och lås").click()
    page.wait_for_selector(".findings-locked")
    _axe_clean(page)
    screenshot(page, "findings-tablet-5-documented")
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        assert dialogue.status is DialogueStatus.DOCUMENTED
        finding = db.session.scalar(sa.select(Finding))
        assert finding.escalate and finding.concerns.value == "vardcentral"
        assert len(finding.actions) == 1


def test_import_preview_on_tablet(app, live_server, tablet, world, book, tmp_path):
    from .test_import import filled, to_bytes

    page = tablet
    dialogue_id = book("a1", PAST_DAY)
    path = tmp_path / "dokumentation.docx"
    path.write_bytes(
        to_bytes(filled(app, dialogue_id, area="Läkemedelshantering", due="2026-02-01"))
    )
    login_in_browser(page, live_server.url, "chef_a1", PASSWORD)
    page.goto(f"{live_server.url}/dialoger/{dialogue_id}/importera")
    _axe_clean(page)
    page.get_by_label("Ifylld dokumentationsmall (.docx)").set_input_files(str(path))
    page.get_by_role("button", name="Läs in och förhandsgranska").click()
    page.wait_for_selector("#forhandsgranskning")
    text = page.locator("main").inner_text()
    assert "Okänt område ”Läkemedelshantering”" in text
    assert "före dialogen" in text
    assert page.get_by_role("button", name="Spara det som läggs till och ändras").count() == 0
    _axe_clean(page)
    screenshot(page, "findings-tablet-6-import-problems")
    # the corrected document is previewed and saved
    path.write_bytes(to_bytes(filled(app, dialogue_id)))
    page.get_by_label("Ifylld dokumentationsmall (.docx)").set_input_files(str(path))
    page.get_by_role("button", name="Läs in och förhandsgranska").click()
    page.wait_for_selector("text=Inga problem hittades")
    _axe_clean(page)
    screenshot(page, "findings-tablet-7-import-preview")
    page.get_by_role("button", name="Spara det som läggs till och ändras").click()
    page.wait_for_selector(".flash-success")
    assert "Dokumentationsmallen är inläst" in page.locator(".flash-success").inner_text()


def test_review_section_and_area_catalogue_are_accessible(app, live_server, tablet, world, book):
    from datetime import date

    from dialog.models import Action, Party

    page = tablet
    old_id = book("a1", date(2025, 3, 11))
    with app.app_context():
        db.session.add(
            Action(
                dialogue_id=old_id,
                description="Inför vätskelista på alla avdelningar.",
                responsible_party=Party.CARE_HOME,
                due_date=date(2025, 9, 1),
            )
        )
        db.session.commit()
    dialogue_id = book("a1", PAST_DAY)
    login_in_browser(page, live_server.url, "admin", PASSWORD)
    page.goto(f"{live_server.url}/dialoger/{dialogue_id}/dokumentation#uppfoljning")
    page.get_by_label("Status nu").select_option("pagar")
    page.get_by_label("Kommentar", exact=True).fill("Ring 070-123 45 67 för att få listan.")
    page.get_by_role("button", name="Spara uppföljningen").click()
    page.wait_for_selector(".flash-error")
    assert page.get_by_label("Kommentar", exact=True).get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Status nu").input_value() == "pagar"
    _axe_clean(page)
    screenshot(page, "findings-tablet-8-review-refused")
    page.get_by_label("Kommentar", exact=True).fill("Listan är införd på två av tre avdelningar.")
    page.get_by_role("button", name="Spara uppföljningen").click()
    page.wait_for_selector(".flash-success")
    page.goto(f"{live_server.url}/regioner/{world.regions['norr']}/omraden")
    page.get_by_role(
        "button", name="Skapa regionens egen katalog utifrån standardkatalogen"
    ).click()
    page.wait_for_selector("table")
    _axe_clean(page)
    screenshot(page, "findings-tablet-9-area-catalogue")
