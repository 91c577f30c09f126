"""A deployment with local passwords off (DIALOG_PASSWORD_LOGIN=off), in real Chromium against
the real provider: only the providers' buttons, the page you asked for after logging in, and an
administrator who creates an account without any password."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
import sqlalchemy as sa
from werkzeug.security import check_password_hash

from dialog.extensions import db
from dialog.models import User
from tests.oidc.helpers import assert_accessible, sign_in_at_provider
from tests.support.world import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def passwords_off(monkeypatch):
    monkeypatch.setenv("DIALOG_PASSWORD_LOGIN", "off")


@pytest.fixture
def app(oidc_env, passwords_off, app):
    """The app built after the environment is set: providers on, passwords off."""
    return app


def test_only_the_providers_and_an_account_made_without_a_password(
    app, sso_live, sso_page, world, provider
):
    page = sso_page
    page.goto(f"{sso_live}/arsoversikt?ar=2027")
    assert urlparse(page.url).path == "/logga-in"
    assert page.get_by_label("Lösenord").count() == 0
    assert page.locator(".sso-button").count() == 4
    assert_accessible(page, "oidc-10-login-passwords-off-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page, "oidc-11-login-passwords-off-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Through the provider, back to the page first asked for.
    page.get_by_role("link", name="Logga in med Testregionens konto").click()
    sign_in_at_provider(page, "it")
    page.wait_for_url(f"{sso_live}/arsoversikt?ar=2027")
    assert page.locator("h1").inner_text() == "Årsöversikt 2027"

    page.goto(f"{sso_live}/anvandare")
    assert page.get_by_label("Lösenord (minst 10 tecken)").count() == 0
    page.get_by_label("Användarnamn").fill("ny_mas")
    page.get_by_label("Namn", exact=True).fill("Ny Testperson")
    page.get_by_label("E-post").fill("ny.mas@test.example.org")
    page.get_by_label("Roll").select_option("kommun")
    page.get_by_label("Organisation").select_option(label="Kommun: Testkommun A")
    page.get_by_role("button", name="Skapa användare").click()
    assert page.get_by_role("status").inner_text().strip() == "Användaren ny_mas skapades."
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "ny_mas"))
        assert user is not None and user.password_hash
        assert not check_password_hash(user.password_hash, "")
        assert not check_password_hash(user.password_hash, PASSWORD)
