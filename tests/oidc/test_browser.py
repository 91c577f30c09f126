"""Single sign-on in real Chromium against real OpenID Connect providers (oidc-provider on
127.0.0.1): the whole redirect flow, first-login linking, refusals, tampering, expired and
misdirected ID tokens, clock skew, logout with and without RP-initiated logout; axe-core on the
login page and the refusal page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import GroupMapping, Role, User, UserScope
from tests.oidc.helpers import (
    all_audit_text,
    assert_accessible,
    audit_rows,
    identities,
    sso_login,
)
from tests.support.browser import login_in_browser
from tests.support.world import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def app(oidc_env, app):
    """The app built after the DIALOG_OIDC_* environment is set."""
    return app


def test_login_page_shows_one_button_per_provider_and_is_accessible(sso_live, sso_page, world):
    page = sso_page
    page.goto(f"{sso_live}/logga-in")
    labels = [t.strip() for t in page.locator(".sso-button").all_inner_texts()]
    assert labels == [
        "Logga in med föreklocka (test)",
        "Logga in med efterklocka (test)",
        "Logga in med Testregionens konto",
        "Logga in med fel mottagare (test)",
    ]
    assert (
        page.get_by_role("link", name="Logga in med Testregionens konto").get_attribute("href")
        == "/logga-in/oidc/sso"
    )
    assert page.get_by_label("Lösenord").count() == 1  # passwords are still on here
    assert_accessible(page, "oidc-01-login-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page, "oidc-02-login-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_first_login_links_by_verified_email_then_the_subject_carries_it(
    app, sso_live, sso_page, world, provider
):
    page = sso_page
    requests_seen = []
    page.on("request", lambda r: requests_seen.append(r.url))
    sso_login(page, sso_live, "Logga in med Testregionens konto", "anna")
    assert urlparse(page.url).path == "/start"  # the start page (web.index)
    assert page.locator(".user-menu").inner_text().startswith("Test mas_a")

    # The authorization request carried state, nonce and a PKCE S256 challenge.
    auth = next(u for u in requests_seen if u.startswith(f"{provider.issuer}/auth?"))
    params = parse_qs(urlparse(auth).query)
    assert params["code_challenge_method"] == ["S256"]
    assert len(params["code_challenge"][0]) >= 43
    assert len(params["state"][0]) >= 20 and len(params["nonce"][0]) >= 20
    assert params["redirect_uri"] == [f"{sso_live}/logga-in/oidc/sso/callback"]
    assert "code_verifier" not in auth

    assert identities(app) == [(world.users["mas_a"], provider.issuer, "anna")]
    assert len(audit_rows(app, "kopplade inloggningstjänst")) == 1
    assert len(audit_rows(app, "loggade in via inloggningstjänst")) == 1
    assert "eyJ" not in all_audit_text(app)  # no JWT (ID or access token) in the audit log

    # The person's address changes at the provider, and is no longer even verified: the link is
    # the subject, so they still get in to the same account, and no second link is made.
    page.get_by_role("button", name="Logga ut").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{sso_live}/logga-in*")
    provider.set_account("anna", email="anna.nytt.namn@test.example.org", email_verified=False)
    sso_login(page, sso_live, "Logga in med Testregionens konto", "anna")
    assert page.locator(".user-menu").inner_text().startswith("Test mas_a")
    assert identities(app) == [(world.users["mas_a"], provider.issuer, "anna")]
    assert len(audit_rows(app, "loggade in via inloggningstjänst")) == 2
    assert len(audit_rows(app, "kopplade inloggningstjänst")) == 1


def test_unknown_person_gets_a_clear_page_and_nothing_is_created(
    app, sso_live, sso_page, world, provider
):
    page = sso_page
    with app.app_context():
        users_before = db.session.scalar(sa.select(sa.func.count(User.id)))
    responses = []
    page.on("response", lambda r: responses.append((r.url, r.status)))
    sso_login(page, sso_live, "Logga in med Testregionens konto", "okand")
    assert page.locator("h1").inner_text() == "Du har inget konto här ännu"
    text = page.locator("main").inner_text()
    assert "ingen.har.detta.konto@test.example.org" in text
    assert "Inget konto har skapats" in text
    assert "Testregionens systemförvaltning, support@example.org" in text
    assert [s for u, s in responses if "/callback" in u] == [403]
    assert page.locator(".user-menu").count() == 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == users_before
    assert identities(app) == []
    refusals = audit_rows(app, "nekade inloggning")
    assert len(refusals) == 1
    assert refusals[0].changes["reason"] == [None, "unknown"]
    assert "ingen.har.detta.konto@test.example.org" in refusals[0].summary
    assert_accessible(page, "oidc-03-unknown-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page, "oidc-04-unknown-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_unverified_address_does_not_link(app, sso_live, sso_page, world, provider):
    sso_login(sso_page, sso_live, "Logga in med Testregionens konto", "overifierad")
    assert sso_page.locator("h1").inner_text() == "Din e-postadress är inte bekräftad"
    assert identities(app) == []
    assert audit_rows(app, "nekade inloggning")[0].changes["reason"] == [None, "unverified"]


def test_deactivated_account_cannot_log_in_linked_or_not(app, sso_live, sso_page, world, provider):
    page = sso_page
    # Linked first, then deactivated by an administrator.
    sso_login(page, sso_live, "Logga in med Testregionens konto", "anna")
    assert page.locator(".user-menu").count() == 1
    page.context.clear_cookies()  # a new browser session (the provider's session goes too)
    with app.app_context():
        db.session.get(User, world.users["mas_a"]).active = False
        db.session.get(User, world.users["vc_alfa"]).active = False
        db.session.commit()
    sso_login(page, sso_live, "Logga in med Testregionens konto", "anna")
    assert page.locator("h1").inner_text() == "Ditt konto är inaktiverat"
    assert page.locator(".user-menu").count() == 0
    assert_accessible(page, "oidc-05-inactive-1280")
    # Never linked and deactivated: refused, and no link is made.
    page.context.clear_cookies()
    sso_login(page, sso_live, "Logga in med Testregionens konto", "vc")
    assert page.locator("h1").inner_text() == "Ditt konto är inaktiverat"
    assert [u for u, _, _ in identities(app)] == [world.users["mas_a"]]
    reasons = [r.changes["reason"][1] for r in audit_rows(app, "nekade inloggning")]
    assert reasons == ["inactive", "inactive"]


def test_tampered_state_is_refused(app, sso_live, sso_page, world, provider):
    page = sso_page
    callbacks = []

    def tamper(route):
        # Playwright sees only the first request of a redirect chain: follow the provider's
        # redirects by hand up to our callback, and hand the browser a callback whose state
        # was changed on the way.
        response = route.fetch(max_redirects=0)
        location = response.headers["location"]
        while not location.startswith(sso_live):
            hop = page.context.request.get(
                location if location.startswith("http") else provider.issuer + location,
                max_redirects=0,
            )
            location = hop.headers["location"]
        url = urlparse(location)
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        params["state"] = params["state"][:-4] + "XXXX"
        tampered = url._replace(query=urlencode(params)).geturl()
        callbacks.append(tampered)
        route.fulfill(status=303, headers={"location": tampered})

    page.route(f"{provider.issuer}/interaction/**", tamper)
    sso_login(page, sso_live, "Logga in med Testregionens konto", "anna")
    assert len(callbacks) == 1 and "code=" in callbacks[0]
    assert page.locator("h1").inner_text() == "Inloggningen kunde inte slutföras"
    assert page.locator(".user-menu").count() == 0
    assert identities(app) == []
    refusal = audit_rows(app, "nekade inloggning")[0]
    assert refusal.changes["reason"] == [None, "failed"]
    assert "state does not match" in refusal.summary
    assert_accessible(page, "oidc-06-failed-1280")


def test_cancelling_at_the_provider_is_not_a_login(app, sso_live, sso_page, world, provider):
    page = sso_page
    page.goto(f"{sso_live}/logga-in")
    page.get_by_role("link", name="Logga in med Testregionens konto").click()
    page.get_by_role("link", name="[ Cancel ]").click()  # the provider answers access_denied
    page.wait_for_url(lambda url: url.startswith(sso_live))
    assert page.locator("h1").inner_text() == "Inloggningen avbröts"
    assert page.locator(".user-menu").count() == 0
    refusal = audit_rows(app, "nekade inloggning")[0]
    assert refusal.changes["reason"] == [None, "cancelled"]
    assert "access_denied" in refusal.summary


def test_expired_id_token_is_refused(app, sso_live, sso_page, world, providers):
    sso_login(sso_page, sso_live, "Logga in med efterklocka (test)", "anna")
    assert sso_page.locator("h1").inner_text() == "Inloggningen kunde inte slutföras"
    assert sso_page.locator(".user-menu").count() == 0
    assert identities(app) == []
    assert "id token expired" in audit_rows(app, "nekade inloggning")[0].summary


def test_clock_skew_within_leeway_is_tolerated_and_logout_without_rp_logout(
    app, sso_live, sso_page, world, providers
):
    page = sso_page
    sso_login(page, sso_live, "Logga in med föreklocka (test)", "anna")
    assert page.locator(".user-menu").inner_text().startswith("Test mas_a")
    assert identities(app) == [(world.users["mas_a"], providers["ahead"].issuer, "anna")]
    # This provider offers no end_session_endpoint: logout ends our session only.
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(f"{sso_live}/logga-in")
    assert page.get_by_role("status").inner_text().strip() == "Du är utloggad."
    page.goto(f"{sso_live}/arsoversikt")
    assert urlparse(page.url).path == "/logga-in"


def test_id_token_for_another_audience_is_refused(app, sso_live, sso_page, world, provider):
    sso_login(sso_page, sso_live, "Logga in med fel mottagare (test)", "anna")
    assert sso_page.locator("h1").inner_text() == "Inloggningen kunde inte slutföras"
    assert sso_page.locator(".user-menu").count() == 0
    assert identities(app) == []
    assert "claim rejected: aud" in audit_rows(app, "nekade inloggning")[0].summary


def test_rp_initiated_logout_ends_the_provider_session_too(
    app, sso_live, sso_page, world, provider
):
    page = sso_page
    sso_login(page, sso_live, "Logga in med Testregionens konto", "anna")
    requests_seen = []
    page.on("request", lambda r: requests_seen.append(r.url))
    page.get_by_role("button", name="Logga ut").click()
    # At the provider's end_session_endpoint, with our ID token as the hint.
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{sso_live}/logga-in*")
    assert page.get_by_role("status").inner_text().strip() == "Du är utloggad."
    end = next(u for u in requests_seen if u.startswith(f"{provider.issuer}/session/end?"))
    params = parse_qs(urlparse(end).query)
    assert params["post_logout_redirect_uri"] == [f"{sso_live}/logga-in"]
    assert params["client_id"] == ["dialog"]
    assert params["id_token_hint"][0].startswith("eyJ")
    # Our session is gone, and so is the provider's: the next login asks who we are again.
    page.goto(f"{sso_live}/arsoversikt")
    assert urlparse(page.url).path == "/logga-in"
    page.get_by_role("link", name="Logga in med Testregionens konto").click()
    assert page.locator("input[name=login]").is_visible()


def test_group_claim_mapping_gives_and_takes_its_own_scope(
    app, sso_live, sso_page, world, provider
):
    with app.app_context():
        db.session.add(
            GroupMapping(
                provider="sso",
                group_name="sabo-chefer-testkommun-a",
                role=Role.UNIT_MANAGER,
                care_home_id=world.homes["a2"],
            )
        )
        db.session.commit()

    def scopes():
        with app.app_context():
            return sorted(
                (s.role.value, s.care_home_id)
                for s in db.session.scalars(
                    sa.select(UserScope).where(UserScope.user_id == world.users["chef_a1"])
                )
            )

    page = sso_page
    sso_login(page, sso_live, "Logga in med Testregionens konto", "chef")
    assert scopes() == sorted(
        [("enhetschef", world.homes["a1"]), ("enhetschef", world.homes["a2"])]
    )
    page.goto(f"{sso_live}/arsoversikt?ar=2027")
    assert page.locator("tr", has_text="Testboendet Två").count() == 1

    # The person leaves the group: the scope the mapping gave goes, the hand-given one stays.
    page.context.clear_cookies()
    provider.set_account("chef", groups=[])
    sso_login(page, sso_live, "Logga in med Testregionens konto", "chef")
    assert scopes() == [("enhetschef", world.homes["a1"])]


def test_administrator_pages_for_single_sign_on_are_accessible(
    app, sso_live, sso_page, world, provider
):
    page = sso_page
    sso_login(page, sso_live, "Logga in med Testregionens konto", "anna")  # a linked account
    page.get_by_role("button", name="Logga ut").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{sso_live}/logga-in*")
    login_in_browser(page, sso_live, "admin", PASSWORD)
    page.goto(f"{sso_live}/anvandare/gruppkopplingar")
    page.get_by_label("Inloggningstjänst").select_option("sso")
    page.get_by_label("Grupp (namn eller id som tjänsten skickar)").fill("mas-testkommun-a")
    page.get_by_label("Roll").select_option("kommun")
    page.get_by_label("Organisation").select_option(label="Kommun: Testkommun A")
    page.get_by_role("button", name="Spara gruppkoppling").click()
    assert page.get_by_role("status").inner_text().strip() == "Gruppkopplingen sparades."
    assert page.locator("tr", has_text="mas-testkommun-a").count() == 1
    assert_accessible(page, "oidc-07-group-mappings-1280")
    page.goto(f"{sso_live}/anvandare")
    row = page.locator("tr", has_text="mas_a@test.example.org")
    assert "sso (sedan" in row.inner_text()
    assert_accessible(page, "oidc-08-users-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{sso_live}/anvandare/gruppkopplingar")
    assert_accessible(page, "oidc-09-group-mappings-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
