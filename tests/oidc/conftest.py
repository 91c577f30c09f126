"""Fixtures for single sign-on: real OpenID Connect providers on 127.0.0.1, and the app served on
a port fixed for the session (the providers must know our redirect URIs before the app starts).

Three provider processes (all the oidc-provider package):
- `main`: a normal clock; clients `dialog` (our provider `sso`) and `dialog-wrong-aud` (our
  provider `wrongaud`, whose ID tokens are minted for another application).
- `behind`: its clock 15 minutes behind ours, ID tokens valid for 5 minutes: every ID token it
  issues has expired 10 minutes before it reaches us (our provider `behind`).
- `ahead`: its clock 90 seconds ahead (within our tolerated skew), and no RP-initiated logout
  (our provider `ahead`).
"""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import require_tool
from tests.support.oidc_provider import OidcProvider, free_port, provider_available

SECRET = "test-client-secret-not-for-production"

# The people the providers know. Their e-mail addresses match the test world's users (or not).
PEOPLE = {
    "anna": {
        "name": "Anna Testperson",
        "email": "mas_a@test.example.org",
        "email_verified": True,
    },
    "okand": {
        "name": "Okänd Testperson",
        "email": "ingen.har.detta.konto@test.example.org",
        "email_verified": True,
    },
    "overifierad": {
        "name": "Overifierad Testperson",
        "email": "mas_b@test.example.org",
        "email_verified": False,
    },
    "chef": {
        "name": "Chef Testperson",
        "email": "chef_a1@test.example.org",
        "email_verified": True,
        "groups": ["sabo-chefer-testkommun-a"],
    },
    "it": {
        "name": "IT Testperson",
        "email": "admin@test.example.org",
        "email_verified": True,
    },
    "vc": {
        "name": "VC Testperson",
        "email": "vc_alfa@test.example.org",
        "email_verified": True,
    },
}


@pytest.fixture(scope="session")
def app_port():
    return free_port()


def _client(client_id: str, app_base: str, provider_name: str) -> dict:
    return {
        "client_id": client_id,
        "client_secret": SECRET,
        "redirect_uris": [f"{app_base}/logga-in/oidc/{provider_name}/callback"],
        "post_logout_redirect_uris": [f"{app_base}/logga-in"],
    }


@pytest.fixture(scope="session")
def providers(app_port, tmp_path_factory):
    require_tool(provider_available(), "node with tests/js/node_modules/oidc-provider")
    workdir = tmp_path_factory.mktemp("oidc")
    base = f"http://127.0.0.1:{app_port}"
    started = {}
    try:
        started["main"] = OidcProvider(
            clients=[
                _client("dialog", base, "sso"),
                _client("dialog-wrong-aud", base, "wrongaud"),
                _client("other-app", "http://127.0.0.1:9", "none"),
            ],
            accounts=PEOPLE,
            workdir=workdir,
        ).start()
        started["behind"] = OidcProvider(
            clients=[_client("dialog", base, "behind")],
            accounts=PEOPLE,
            workdir=workdir,
            clock_offset_seconds=-15 * 60,
            id_token_ttl=5 * 60,
        ).start()
        started["ahead"] = OidcProvider(
            clients=[_client("dialog", base, "ahead")],
            accounts=PEOPLE,
            workdir=workdir,
            clock_offset_seconds=90,
            rp_logout=False,
        ).start()
        yield started
    finally:
        for provider in started.values():
            provider.stop()


@pytest.fixture
def provider(providers):
    """The main provider, its people reset to PEOPLE for each test."""
    main = providers["main"]
    main.accounts = {k: dict(v) for k, v in PEOPLE.items()}
    main._write_accounts()
    return main


@pytest.fixture
def oidc_env(monkeypatch, providers, app_port):
    """The environment a deployment would set: `sso` plus three more named providers."""
    main, behind, ahead = providers["main"], providers["behind"], providers["ahead"]
    monkeypatch.setenv("DIALOG_BASE_URL", f"http://127.0.0.1:{app_port}")
    settings = {
        "": (main.issuer, "dialog", "Logga in med Testregionens konto"),
        "WRONGAUD_": (main.issuer, "dialog-wrong-aud", "Logga in med fel mottagare (test)"),
        "BEHIND_": (behind.issuer, "dialog", "Logga in med efterklocka (test)"),
        "AHEAD_": (ahead.issuer, "dialog", "Logga in med föreklocka (test)"),
    }
    for prefix, (issuer, client_id, label) in settings.items():
        monkeypatch.setenv(f"DIALOG_OIDC_{prefix}ISSUER", issuer)
        monkeypatch.setenv(f"DIALOG_OIDC_{prefix}CLIENT_ID", client_id)
        monkeypatch.setenv(f"DIALOG_OIDC_{prefix}CLIENT_SECRET", SECRET)
        monkeypatch.setenv(f"DIALOG_OIDC_{prefix}SCOPES", "openid email profile groups")
        monkeypatch.setenv(f"DIALOG_OIDC_{prefix}LABEL", label)
    monkeypatch.setenv(
        "DIALOG_ACCESS_CONTACT", "Testregionens systemförvaltning, support@example.org"
    )


@pytest.fixture
def sso_page(page):
    # The provider's development pages import a web font; nothing leaves the machine.
    page.route("https://**", lambda route: route.abort())
    return page


@pytest.fixture
def sso_live(app, app_port):
    """The app served on the session's fixed port. The test module overrides `app` so that it
    is built after `oidc_env`."""
    server = make_server("127.0.0.1", app_port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{app_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
