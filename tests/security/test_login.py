"""The login page: no open redirect, the same work for unknown and known names, and failed
logins counted per name and per address in the database."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from dialog.accounts import attempts, services
from dialog.extensions import db
from dialog.models import LoginAttempt, User
from dialog.timeutil import now_utc
from tests.support.world import PASSWORD

EVIL = [
    "/%09/evil.example",
    "/\t/evil.example",
    "/%0a/evil.example",
    "/\\evil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "//evil.example",
    "/%2F/evil.example",
    "%2F%2Fevil.example",
    "/%252F%252Fevil.example",
    "https://evil.example/",
    "https:evil.example",
    "HTTPS://evil.example",
    " //evil.example",
    "\x0b//evil.example",
    "javascript:alert(1)",
    "evil.example",
    "/%25252F%25252F%25252F%25252Fevil.example",
]


@pytest.mark.parametrize("target", EVIL)
def test_next_never_leaves_the_site(client, world, target):
    from urllib.parse import quote

    response = client.post(
        "/logga-in?next=" + quote(target, safe="%/:"),
        data={"login": "admin", "password": PASSWORD},
    )
    # Redirected to the start page; or, for a control character, refused outright (bounds.py).
    assert (response.status_code, response.headers.get("Location")) in ((302, "/"), (400, None))


@pytest.mark.parametrize(
    "target, location",
    [
        ("/dialoger/1", "/dialoger/1"),
        ("/uppfoljning/?ar=2027&kommun=1", "/uppfoljning/?ar=2027&kommun=1"),
        ("/register/boenden%3Fq%3Dx", "/register/boenden?q=x"),
    ],
)
def test_next_keeps_a_local_path(client, world, target, location):
    from urllib.parse import urlencode

    response = client.post(
        "/logga-in?" + urlencode({"next": target}), data={"login": "admin", "password": PASSWORD}
    )
    assert response.headers["Location"] == location


def _count_hash_checks(monkeypatch) -> list:
    import werkzeug.security

    calls = []
    real = werkzeug.security.check_password_hash

    def counted(pwhash, password):
        calls.append(pwhash.split("$")[0])
        return real(pwhash, password)

    monkeypatch.setattr(services, "check_password_hash", counted)
    monkeypatch.setattr("dialog.models.accounts.check_password_hash", counted)
    return calls


@pytest.mark.parametrize("name", ["mas_a", "MAS_A@test.example.org", "ingen-sadan", "inaktiv"])
def test_a_failed_login_costs_one_scrypt_check_for_any_name(client, app, world, monkeypatch, name):
    with app.app_context():
        inactive = db.session.get(User, world.users["mas_b"])
        inactive.username, inactive.active = "inaktiv", False
        db.session.commit()
        real_method = inactive.password_hash.split("$")[0]
    calls = _count_hash_checks(monkeypatch)
    response = client.post("/logga-in", data={"login": name, "password": "fel-losenord"})
    assert response.status_code == 401
    assert "Fel användarnamn eller lösenord" in response.get_data(as_text=True)
    assert calls == [real_method]  # one check, with the same method and cost parameters


def _fail(client, name, address="192.0.2.10"):
    return client.post(
        "/logga-in",
        data={"login": name, "password": "fel-losenord"},
        environ_base={"REMOTE_ADDR": address},
    )


def _message(page: str) -> str:
    """The page's messages, with the time taken out."""
    flashes = re.findall(r'<div class="flash[^"]*"[^>]*>(.*?)</div>', page, re.S)
    return re.sub(r"\d{4}-\d\d-\d\d kl\. \d\d\.\d\d", "TID", " ".join(flashes))


def test_a_locked_name_tells_when_without_telling_whether_it_exists(client, app, world):
    app.config["LOGIN_MAX_FAILURES"] = 3
    pages = {}
    for name in ("mas_a", "finns-inte"):
        statuses = [_fail(client, name).status_code for _ in range(3)]
        assert statuses == [401, 401, 429]
        locked = client.post(
            "/logga-in",
            data={"login": name, "password": PASSWORD},
            environ_base={"REMOTE_ADDR": "192.0.2.10"},
        )
        assert locked.status_code == 429
        page = locked.get_data(as_text=True)
        assert re.search(r"Försök igen \d{4}-\d\d-\d\d kl\. \d\d\.\d\d", page)
        pages[name] = _message(page)
    assert pages["mas_a"] == pages["finns-inte"] != ""
    # Case and spaces do not make another name.
    assert _fail(client, "  MAS_A ").status_code == 429


def test_a_lock_ends_after_its_time(client, app, world, monkeypatch):
    app.config["LOGIN_MAX_FAILURES"] = 2
    _fail(client, "mas_a")
    assert _fail(client, "mas_a").status_code == 429
    later = now_utc() + timedelta(minutes=16)
    monkeypatch.setattr(attempts, "now_utc", lambda: later)
    response = client.post("/logga-in", data={"login": "mas_a", "password": PASSWORD})
    assert response.status_code == 302
    with app.app_context():  # the success cleared the name's count
        key = attempts.account_key("mas_a")
        assert db.session.scalar(sa.select(LoginAttempt).where(LoginAttempt.key == key)) is None


def test_an_address_guessing_many_names_is_locked(client, app, world):
    app.config["LOGIN_MAX_FAILURES_ADDRESS"] = 4
    statuses = [_fail(client, f"namn{n}").status_code for n in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    # Even a right password, from that address, waits; another address does not.
    assert (
        client.post(
            "/logga-in",
            data={"login": "admin", "password": PASSWORD},
            environ_base={"REMOTE_ADDR": "192.0.2.10"},
        ).status_code
        == 429
    )
    assert (
        client.post(
            "/logga-in",
            data={"login": "admin", "password": PASSWORD},
            environ_base={"REMOTE_ADDR": "198.51.100.7"},
        ).status_code
        == 302
    )


def test_a_window_without_failures_starts_the_count_again(client, app, world, monkeypatch):
    app.config["LOGIN_MAX_FAILURES"] = 3
    _fail(client, "mas_a")
    _fail(client, "mas_a")
    later = now_utc() + timedelta(minutes=20)
    monkeypatch.setattr(attempts, "now_utc", lambda: later)
    assert _fail(client, "mas_a").status_code == 401  # 1 in the new window, not 3


def test_counts_keep_no_typed_name_or_address(client, app, world):
    _fail(client, "mitt-hemliga-losenord", address="203.0.113.99")
    with app.app_context():
        keys = list(db.session.scalars(sa.select(LoginAttempt.key)))
    assert len(keys) == 2
    assert all(re.fullmatch(r"[0-9a-f]{64}", k) for k in keys)
    assert not any("hemliga" in k or "203.0.113" in k for k in keys)


def test_a_wrong_current_password_counts_as_a_failed_login(client, app, world):
    from tests.conftest import login

    app.config["LOGIN_MAX_FAILURES"] = 2
    login(client, "mas_a")
    for _ in range(2):
        client.post(
            "/konto/losenord",
            data={
                "current": "gissning-123",
                "new": "nytt-losenord-1",
                "confirm": "nytt-losenord-1",
            },
        )
    other = app.test_client()
    response = other.post("/logga-in", data={"login": "mas_a", "password": PASSWORD})
    assert response.status_code == 429


def test_login_decisions_are_logged_without_the_typed_name(client, world, caplog):
    import logging

    assert not logging.getLogger("dialog.accounts.services").disabled
    with caplog.at_level(logging.INFO, logger="dialog.accounts.services"):
        _fail(client, "mitt-hemliga-losenord")
        client.post("/logga-in", data={"login": "admin", "password": PASSWORD})
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("event=login_failed address=192.0.2.10") for m in messages)
    assert any(m.startswith(f"event=login user_id={world.users['admin']}") for m in messages)
    assert not any("hemliga" in m or PASSWORD in m for m in messages)


@pytest.mark.parametrize("length, allowed", [(11, False), (12, True), (200, True), (201, False)])
def test_passwords_are_12_to_200_characters_of_any_kind(app, world, length, allowed):
    password = ("Å lösenord 🔑 " * 20)[:length]
    with app.app_context():
        try:
            services.create_user(
                username=f"ny{length}",
                email=f"ny{length}@test.example.org",
                name="Ny Testperson",
                password=password,
                scopes=[],
            )
            created = True
        except services.AccountError as error:
            created = False
            assert "minst 12 och högst 200 tecken" in str(error)
        db.session.rollback()
    assert created is allowed
