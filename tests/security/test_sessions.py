"""Sessions that end: logout, password change, deactivation and "log out everywhere" end every
session and remember-me cookie of the user; a login starts a fresh session; no login lasts
longer than 30 days."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import session
from flask_login import login_user

from dialog.accounts import services
from dialog.extensions import db
from dialog.models import AuditEntry, User
from tests.conftest import login
from tests.support.world import PASSWORD

NEW_PASSWORD = "ett-nytt-langt-losenord"


def _login(app, username: str, remember: bool = False):
    client = app.test_client()
    response = client.post(
        "/logga-in",
        data={"login": username, "password": PASSWORD, "remember": "y" if remember else ""},
    )
    assert response.status_code == 302
    return client


def _copy(app, client, *names):
    """A second browser holding copies of these cookies (a stolen cookie)."""
    thief = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        assert cookie is not None, name
        thief.set_cookie(name, cookie.value)
    return thief


def _opens_account(client) -> bool:
    return client.get("/konto").status_code == 200


def test_logout_ends_copies_of_the_session_and_remember_me_cookies(app, world):
    client = _login(app, "mas_a", remember=True)
    session_copy = _copy(app, client, "session")
    remember_copy = _copy(app, client, "remember_token")
    assert _opens_account(session_copy) and _opens_account(remember_copy)
    assert client.post("/logga-ut").status_code == 302
    assert not _opens_account(session_copy)
    assert not _opens_account(remember_copy)
    assert not _opens_account(client)


def test_logging_out_on_one_device_ends_the_others(app, world):
    laptop = _login(app, "mas_a")
    phone = _login(app, "mas_a", remember=True)
    laptop.post("/logga-ut")
    assert not _opens_account(phone)
    # Another user's session is untouched.
    other = _login(app, "mas_b")
    _login(app, "mas_a").post("/logga-ut")
    assert _opens_account(other)


def test_password_change_ends_other_sessions_and_keeps_this_one(app, world):
    here = _login(app, "mas_a")
    elsewhere = _login(app, "mas_a", remember=True)
    stolen = _copy(app, elsewhere, "remember_token")
    page = here.get("/konto/losenord")
    assert page.status_code == 200 and "Byt lösenord" in page.get_data(as_text=True)
    wrong = here.post(
        "/konto/losenord",
        data={"current": "fel-losenord-123", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert wrong.status_code == 400
    assert "Det nuvarande lösenordet stämmer inte" in wrong.get_data(as_text=True)
    assert _opens_account(elsewhere)  # nothing changed
    mismatch = here.post(
        "/konto/losenord",
        data={"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"},
    )
    assert mismatch.status_code == 400 and "inte lika" in mismatch.get_data(as_text=True)
    done = here.post(
        "/konto/losenord",
        data={"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert _opens_account(here)
    assert not _opens_account(elsewhere) and not _opens_account(stolen)
    with app.app_context():
        entry = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.action == "bytte lösenord")
        )
        assert entry.actor == "mas_a" and NEW_PASSWORD not in str(entry.changes)
    assert (
        app.test_client()
        .post("/logga-in", data={"login": "mas_a", "password": NEW_PASSWORD})
        .status_code
        == 302
    )


def test_deactivation_ends_the_users_sessions(client, app, world):
    victim = _login(app, "mas_a", remember=True)
    stolen = _copy(app, victim, "remember_token")
    login(client, "admin")
    assert client.post(f"/anvandare/{world.users['mas_a']}/aktiv").status_code == 302
    assert not _opens_account(victim) and not _opens_account(stolen)
    # Reactivated, the old cookies stay dead: the generation moved on.
    client.post(f"/anvandare/{world.users['mas_a']}/aktiv")
    assert not _opens_account(stolen)


def test_administrator_logs_a_user_out_everywhere(client, app, world):
    victim = _login(app, "chef_a1", remember=True)
    stolen = _copy(app, victim, "remember_token")
    login(client, "mas_a")
    url = f"/anvandare/{world.users['chef_a1']}/logga-ut"
    assert client.post(url).status_code == 403
    assert _opens_account(victim)
    client.post("/logga-ut")
    login(client, "admin")
    assert "Logga ut överallt" in client.get("/anvandare").get_data(as_text=True)
    assert client.post(url, csrf=False).status_code == 400
    assert _opens_account(victim)
    assert client.post(url).status_code == 302
    assert not _opens_account(victim) and not _opens_account(stolen)
    assert _opens_account(client)  # the administrator's own session goes on
    with app.app_context():
        entry = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.action == "loggade ut användaren överallt")
        )
        assert entry.actor == "admin" and entry.object_id == world.users["chef_a1"]


def test_login_starts_a_fresh_session(app, world):
    client = app.test_client()
    with client.session_transaction() as planted:
        planted["planted"] = "fixation"
    before = client.get_cookie("session").value
    assert client.post("/logga-in", data={"login": "admin", "password": PASSWORD}).status_code
    with client.session_transaction() as fresh:
        assert "planted" not in fresh
        assert fresh["_user_id"].startswith(f"{world.users['admin']}.")
    assert client.get_cookie("session").value != before


def test_remember_me_lasts_at_most_30_days(app, world, monkeypatch):
    client = _login(app, "mas_a", remember=True)
    expires = client.get_cookie("remember_token").expires
    assert expires <= datetime.now(UTC) + timedelta(days=30, minutes=1)
    stolen = _copy(app, client, "remember_token")
    session_copy = _copy(app, client, "session")
    assert _opens_account(stolen)
    # 31 days later the server refuses the cookie's login, whatever the browser keeps.
    later = time.time() + 31 * 24 * 3600
    monkeypatch.setattr(services.time, "time", lambda: later)
    assert not _opens_account(stolen)
    assert not _opens_account(session_copy)


def test_any_login_path_gets_the_generation(app, world):
    """Sessions end by user, not by how the user logged in: a login through login_user alone
    (as another login method, such as OpenID Connect, would do) ends with the rest."""
    with app.test_request_context():
        user = db.session.get(User, world.users["vc_alfa"])
        login_user(user)
        token = session["_user_id"]
        assert services.load_user(token) is not None
        services.end_sessions(user)
        db.session.commit()
        assert services.load_user(token) is None
        assert services.load_user(str(world.users["vc_alfa"])) is None  # the old, bare id
        assert services.load_user("99999999999999999999.0.1") is None
