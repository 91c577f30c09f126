"""Logging in and out, password storage, rate limiting, cookies and security headers."""

from __future__ import annotations

import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import AuditEntry, User
from tests.conftest import login
from tests.support.world import PASSWORD


def test_login_with_username_or_email_and_logout(client, world):
    assert (
        client.post("/logga-in", data={"login": "MAS_A", "password": PASSWORD}).status_code == 302
    )
    assert client.get("/arsoversikt").status_code == 200
    assert client.post("/logga-ut").status_code == 302
    assert client.get("/arsoversikt").status_code == 302
    response = client.post(
        "/logga-in", data={"login": "mas_a@test.example.org", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_wrong_password_gives_a_swedish_message(client, world):
    response = client.post("/logga-in", data={"login": "mas_a", "password": "fel-lösenord"})
    assert response.status_code == 401
    assert "Fel användarnamn eller lösenord" in response.get_data(as_text=True)
    assert client.get("/arsoversikt").status_code == 302


def test_inactive_user_cannot_log_in(client, app, world):
    with app.app_context():
        db.session.get(User, world.users["mas_a"]).active = False
        db.session.commit()
    assert (
        client.post("/logga-in", data={"login": "mas_a", "password": PASSWORD}).status_code == 401
    )


def test_passwords_are_stored_as_scrypt_hashes(app, world):
    with app.app_context():
        user = db.session.get(User, world.users["admin"])
        assert user.password_hash.startswith("scrypt:")
        assert PASSWORD not in user.password_hash


def _worker(**config):
    """Another application instance on the same database: a second worker process, as far as
    anything kept in memory is concerned."""
    from dialog import create_app
    from tests.conftest import CSRFClient

    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production", **config}
    )
    app.test_client_class = CSRFClient
    return app


def test_repeated_failed_logins_lock_the_name_across_workers(app, world):
    workers = [_worker(LOGIN_MAX_FAILURES=3), _worker(LOGIN_MAX_FAILURES=3)]
    statuses = [
        workers[i % 2]
        .test_client()
        .post("/logga-in", data={"login": "mas_a", "password": "x"})
        .status_code
        for i in range(4)
    ]
    assert statuses == [401, 401, 429, 429]
    response = (
        workers[0].test_client().post("/logga-in", data={"login": "mas_a", "password": PASSWORD})
    )
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "För många misslyckade inloggningar" in page and "Försök igen 20" in page
    # Another name from the same address is not locked (the address limit is higher).
    other = (
        workers[1].test_client().post("/logga-in", data={"login": "mas_b", "password": PASSWORD})
    )
    assert other.status_code == 302


def test_successful_logins_do_not_count_towards_the_limit(app, world):
    worker = _worker(LOGIN_MAX_FAILURES=2)
    for _ in range(4):
        client = worker.test_client()
        assert (
            client.post("/logga-in", data={"login": "mas_a", "password": PASSWORD}).status_code
            == 302
        )


def test_cookies_and_security_headers(client, world):
    response = client.post("/logga-in", data={"login": "admin", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/arsoversikt")
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Cache-Control"] == "no-store"


def test_secure_cookie_flag_when_configured(app, world):
    app.config["SESSION_COOKIE_SECURE"] = True
    client = app.test_client()
    response = client.post(
        "/logga-in", data={"login": "admin", "password": PASSWORD}, base_url="https://localhost"
    )
    assert "Secure" in response.headers["Set-Cookie"]


def test_open_redirect_after_login_is_refused(client, world):
    response = client.post(
        "/logga-in?next=//evil.example.org/", data={"login": "admin", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_admin_creates_a_user_with_a_scope(client, app, world):
    login(client, "admin")
    response = client.post(
        "/anvandare",
        data={
            "username": "ny_mas",
            "name": "Ny Testmas",
            "email": "ny.mas@test.example.org",
            "password": "ett-langt-losenord",
            "role": "kommun",
            "target": f"municipality:{world.municipalities['B']}",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "ny_mas"))
        assert user.scopes[0].municipality_id == world.municipalities["B"]
        assert (
            db.session.scalar(
                sa.select(AuditEntry).where(AuditEntry.action == "skapade användare")
            ).actor
            == "admin"
        )
    response = client.post(
        "/anvandare",
        data={
            "username": "ny_mas2",
            "name": "X",
            "email": "x2@test.example.org",
            "password": "ett-langt-losenord",
            "role": "kommun",
            "target": f"region:{world.regions['norr']}",
        },
    )
    assert response.status_code == 400
    assert "Välj en organisation som passar rollen" in response.get_data(as_text=True)


def test_cli_create_user(runner, app, world):
    result = runner.invoke(
        args=[
            "create-user",
            "--username",
            "cli_mas",
            "--email",
            "cli@test.example.org",
            "--name",
            "Cli Test",
            "--password",
            "ett-langt-losenord",
            "--role",
            "kommun",
            "--target",
            "Testkommun C",
        ]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=[
            "create-user",
            "--username",
            "cli2",
            "--email",
            "cli2@test.example.org",
            "--name",
            "Cli Test",
            "--password",
            "ett-langt-losenord",
            "--role",
            "kommun",
            "--target",
            "Atlantis",
        ]
    )
    assert result.exit_code != 0 and "Hittar ingen organisation" in result.output
