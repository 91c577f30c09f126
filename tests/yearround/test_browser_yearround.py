"""The year between dialogues in real Chromium, with axe-core (WCAG 2 A/AA) and screenshots:
a health-centre user follows up an action after the lock; a MAS sees an escalated finding on her
start page and acknowledges it; the minutes downloaded and rendered through LibreOffice; the
year view and the documentation page at a 390 px phone width; the documentation page printed."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import Action, ActionStatus, EscalationAck
from dialog.timeutil import today_local
from tests.conftest import require_tool
from tests.support.browser import axe_violations, describe_violations, login_in_browser, screenshot
from tests.support.world import PASSWORD

from .helpers import documented

pytestmark = pytest.mark.browser


def _axe_clean(page):
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
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


def _no_sideways_scroll(page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] == 390, widths


def test_health_centre_user_updates_an_action_after_the_lock(app, live_server, page, book):
    rec = documented(app, book)
    base = live_server.url
    login_in_browser(page, base, "vc_alfa", PASSWORD)
    page.wait_for_url("**/start")
    assert "Åtgärder som er part följer upp" in page.locator("main").inner_text()
    _axe_clean(page)
    screenshot(page, "yearround-1-vc-start")
    page.get_by_role("link", name="Rutin för ändrade ordinationer (Vårdcentral).").click()
    page.wait_for_url(f"**/atgarder/{rec.actions['vardcentral']}")
    _axe_clean(page)
    page.get_by_label("Status").select_option("klar")
    page.get_by_label("Klar den").fill(today_local().isoformat())
    page.get_by_label("Anteckning om hur det går").fill(
        "Rutinen är införd och känd av alla läkare på vårdcentralen."
    )
    screenshot(page, "yearround-2-vc-follow-up-form")
    page.get_by_role("button", name="Spara uppföljningen").click()
    page.wait_for_selector(".flash-success")
    timeline = page.locator("ol.timeline").inner_text()
    assert "Test vc_alfa · Följde upp åtgärd" in timeline
    assert "Status: Ej påbörjad → Klar" in timeline
    _axe_clean(page)
    screenshot(page, "yearround-3-vc-after-follow-up")
    with app.app_context():
        action = db.session.get(Action, rec.actions["vardcentral"])
        assert action.status is ActionStatus.DONE and action.done_on == today_local()
    # The documentation page is readable for the health centre, and says who follows up what.
    page.goto(f"{base}/dialoger/{rec.dialogue_id}/dokumentation")
    text = page.locator("main").inner_text()
    assert "Dokumenterad" in text and "Följ upp" in text
    _axe_clean(page)
    screenshot(page, "yearround-4-vc-documentation")


def test_mas_sees_an_escalated_finding_on_her_start_page_and_acknowledges_it(
    app, live_server, page, book
):
    rec = documented(app, book)
    base = live_server.url
    login_in_browser(page, base, "mas_a", PASSWORD)
    page.wait_for_url("**/start")
    section = page.locator(".start-escalations").inner_text()
    assert "1 iakttagelse väntar" in section
    _axe_clean(page)
    screenshot(page, "yearround-5-mas-start")
    page.locator(".start-escalations").get_by_role("link", name="Läkemedel").click()
    page.wait_for_url(f"**/lyfta/{rec.escalated_id}")
    _axe_clean(page)
    page.get_by_label("Kommentar (valfri)").fill("Tas upp i kommunens läkemedelsgrupp i maj.")
    screenshot(page, "yearround-6-mas-acknowledge")
    page.get_by_role("button", name="Kvittera").click()
    page.wait_for_selector(".flash-success")
    assert "Inget väntar på kvittering" in page.locator("main").inner_text()
    _axe_clean(page)
    page.goto(f"{base}/start")
    assert "Inget väntar på kvittering" in page.locator(".start-escalations").inner_text()
    page.goto(f"{base}/uppfoljning/?ar=2026")
    assert (
        "Inga lyfta iakttagelser väntar på kvittering"
        in page.locator("#lyfta").locator("..").inner_text()
    )
    screenshot(page, "yearround-7-mas-dashboard")
    with app.app_context():
        ack = db.session.scalars(sa.select(EscalationAck)).one()
        assert ack.comment == "Tas upp i kommunens läkemedelsgrupp i maj."


@pytest.mark.libreoffice
def test_minutes_downloaded_and_rendered_through_libreoffice(
    app, live_server, page, book, soffice, tmp_path
):
    from tests.support.office import ARTIFACTS, convert_to_pdf, pdf_page_count, pdf_text

    rec = documented(app, book)
    login_in_browser(page, live_server.url, "chef_a1", PASSWORD)
    page.goto(f"{live_server.url}/dialoger/{rec.dialogue_id}/dokumentation")
    with page.expect_download() as caught:
        page.locator(".findings-locked").get_by_role(
            "link", name="Ladda ned protokollet (Word)"
        ).click()
    download = caught.value
    assert download.suggested_filename == "Protokoll Testboendet Ett 2026-03-10.docx"
    path = tmp_path / "protokoll.docx"
    download.save_as(path)
    pdf = convert_to_pdf(path, tmp_path)
    text = " ".join(pdf_text(pdf).split())
    for expected in (
        "Protokoll",
        "Från boendet",
        "Från vårdcentralen",
        "Full representation uppnåddes.",
        "Ändrade ordinationer når inte kvällspersonalen i tid.",
        "Rutin för ändrade ordinationer",  # each action, its owner and its date
        "(Vårdcentral).",
        "Vårdcentral 2026-09-30 Ej påbörjad",
        "Antecknat av",
        "Justerat av",
    ):
        assert expected in text, expected
    pages = pdf_page_count(pdf)
    assert 1 <= pages <= 4
    require_tool(shutil.which("pdftoppm") is not None, "pdftoppm")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", str(pdf), str(ARTIFACTS / "protokoll")],
        check=True,
        capture_output=True,
    )
    rendered = sorted(ARTIFACTS.glob("protokoll-*.png"))
    assert len(rendered) == pages


def test_year_view_and_documentation_page_fit_a_phone(app, live_server, phone, book):
    rec = documented(app, book)
    base = live_server.url
    login_in_browser(phone, base, "mas_a", PASSWORD)
    phone.goto(f"{base}/arsoversikt?ar=2026")
    _no_sideways_scroll(phone)
    # The list comes before the folded filters' contents and the counts.
    assert phone.locator("details.filter-fold").get_attribute("open") is None
    table_top = phone.locator("table.year-table").bounding_box()["y"]
    counts_top = phone.locator("ul.year-counts").bounding_box()["y"]
    assert table_top < counts_top and table_top < 844
    row = phone.locator("tr", has_text="Testboendet Ett")
    assert row.get_by_role("link", name="Öppna").is_visible()
    box = row.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    _axe_clean(phone)
    screenshot(phone, "yearround-8-year-view-390")
    phone.locator("details.filter-fold > summary").click()
    _no_sideways_scroll(phone)
    screenshot(phone, "yearround-9-year-view-390-filters")

    phone.goto(f"{base}/dialoger/{rec.dialogue_id}/dokumentation")
    _no_sideways_scroll(phone)
    _axe_clean(phone)
    screenshot(phone, "yearround-10-documentation-390")
    phone.goto(f"{base}/atgarder/{rec.actions['sabo']}")
    _no_sideways_scroll(phone)
    _axe_clean(phone)
    screenshot(phone, "yearround-11-action-390")


def test_documentation_page_prints_the_record_not_the_navigation(app, live_server, page, book):
    rec = documented(app, book)
    login_in_browser(page, live_server.url, "chef_a1", PASSWORD)
    page.goto(f"{live_server.url}/dialoger/{rec.dialogue_id}/dokumentation")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".findings-toc").is_visible()
    assert page.locator("#narvaro").is_visible()
    assert page.locator("table.findings-attendance").is_visible()
    assert page.locator("#iakttagelser").is_visible() and page.locator("#atgarder").is_visible()
    assert page.locator(".findings-actions").is_visible()
    screenshot(page, "yearround-12-documentation-print")


def test_every_new_page_passes_axe(app, live_server, page, world, book):
    """The other pages this issue added, each checked with axe-core and photographed."""
    from datetime import date

    from dialog.models import CareHome

    rec = documented(app, book)
    held = documented(app, book, home="a2", day=date(2025, 3, 11), lock=False)
    with app.app_context():
        bare = CareHome(
            name="Testboendet Utan Kontakter", municipality_id=world.municipalities["A"]
        )
        db.session.add(bare)
        db.session.commit()
        bare_id = bare.id
    base = live_server.url
    visits = {
        "admin": [
            ("help-index", "/hjalp"),
            ("help-vardcentral", "/hjalp/vardcentral"),
            ("edit-user", f"/anvandare/{world.users['chef_a1']}"),
            ("mail-settings", "/paminnelser"),
            ("escalations", "/lyfta?visa=alla"),
        ],
        "mas_a": [
            ("confirm-lock", f"/dialoger/{held.dialogue_id}/dokumenterad"),
            ("confirm-unlock", f"/dialoger/{rec.dialogue_id}/las-upp"),
            ("confirm-delete-finding", f"/iakttagelser/{held.escalated_id}/ta-bort"),
            ("confirm-delete-action", f"/atgarder/{held.actions['sabo']}/ta-bort"),
            ("book-without-contacts", f"/boenden/{bare_id}/boka"),
            ("dialogue-next-step", f"/dialoger/{held.dialogue_id}"),
        ],
    }
    for user, pages in visits.items():
        login_in_browser(page, base, user, PASSWORD)
        for name, url in pages:
            response = page.goto(base + url)
            assert response.status == 200, (url, response.status)
            _axe_clean(page)
            screenshot(page, f"yearround-axe-{name}")
        page.context.clear_cookies()
