import pytest

from tests.support.browser import axe_violations, describe_violations, login_in_browser, screenshot
from tests.support.world import PASSWORD

pytestmark = pytest.mark.browser


def test_login_page_in_chromium(live_server, page, world):
    page.goto(f"{live_server.url}/logga-in")
    violations = axe_violations(page)
    screenshot(page, "login")
    assert violations == [], describe_violations(violations)
    login_in_browser(page, live_server.url, "mas_a", PASSWORD)
    assert "Årsöversikt" in page.locator("h1").inner_text()
