"""Fixtures in the Flask tutorial's style: app, client, runner; plus the database under test.

The suite runs once per database: DIALOG_TEST_DB=sqlite (default) or postgresql, where a
throwaway server is started on 127.0.0.1. Under CI=true a missing tool is a failure, not a skip.
"""

from __future__ import annotations

import os
import shutil
from datetime import date, time

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from dialog import create_app
from dialog.extensions import db
from tests.support.world import PASSWORD, build_world

DB_KIND = os.environ.get("DIALOG_TEST_DB", "sqlite")
IN_CI = os.environ.get("CI", "").lower() == "true"


def require_tool(available: bool, what: str) -> None:
    """Skip locally when a tool is missing; fail in CI, where nothing may be skipped."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true but is not available")
    pytest.skip(f"{what} is not available")


def pytest_report_header(config):
    return f"database under test: {DB_KIND}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if DB_KIND == "postgresql":
        from tests.support.pgserver import PostgresServer, find_bin_dir

        require_tool(find_bin_dir() is not None, "PostgreSQL server")
        server = PostgresServer()
        server.start()
        try:
            yield server.url()
        finally:
            server.stop()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def _schema(database_url):
    """Create the schema once per run; every test then starts from empty tables."""
    os.environ["DIALOG_DATABASE_URL"] = database_url
    app = create_app({"TESTING": True})
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _empty_all_tables():
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


class CSRFClient(FlaskClient):
    """A test client that sends a valid CSRF token with every form POST, like a browser would.

    Pass csrf=False to leave the token out (to test that the app refuses such requests).
    """

    def open(self, *args, **kwargs):
        add_token = kwargs.pop("csrf", True)
        method = kwargs.get("method", "GET").upper()
        data = kwargs.get("data")
        if (
            add_token
            and method in {"POST", "PUT", "PATCH", "DELETE"}
            and (data is None or isinstance(data, dict))
        ):
            data = dict(data or {})
            data.setdefault("csrf_token", self.csrf_token())
            kwargs["data"] = data
        return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        with self.session_transaction() as session:
            raw = session.get("csrf_token")
            if raw is None:
                raw = os.urandom(20).hex()
                session["csrf_token"] = raw
        serializer = URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token")
        return serializer.dumps(raw)


@pytest.fixture
def app(_schema, database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DIALOG_DATABASE_URL", database_url)
    monkeypatch.setenv("DIALOG_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "RATELIMIT_ENABLED": False,
        }
    )
    app.test_client_class = CSRFClient
    yield app
    with app.app_context():
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def world(app):
    with app.app_context():
        return build_world()


def login(client, username: str, password: str = PASSWORD):
    response = client.post("/logga-in", data={"login": username, "password": password})
    assert response.status_code == 302, f"login as {username} failed"
    return response


@pytest.fixture
def login_as(client):
    def _login(username: str):
        return login(client, username)

    return _login


def next_working_day(year: int, month: int = 3, day: int = 10) -> date:
    d = date(year, month, day)
    while d.weekday() >= 5:
        d = d.replace(day=d.day + 1)
    return d


@pytest.fixture
def book(app, world):
    """Book a dialogue through the service: book('a1', date(2027, 3, 10)) -> dialogue id."""
    from dialog.dialogues.services import Booking, book_dialogue
    from dialog.models import CareHome, Contact

    def _book(
        home_key: str,
        day: date,
        start: time = time(13, 0),
        end: time = time(15, 0),
        contact_keys: list[str] | None = None,
    ) -> int:
        with app.app_context():
            home = db.session.get(CareHome, world.homes[home_key])
            if contact_keys is None:
                contact_ids = [
                    c.id
                    for c in db.session.scalars(
                        sa.select(Contact).where(
                            sa.or_(
                                Contact.care_home_id == home.id,
                                Contact.health_centre_id == home.health_centre_id,
                            )
                        )
                    )
                ]
            else:
                contact_ids = [world.contacts[k] for k in contact_keys]
            dialogue = book_dialogue(
                home,
                Booking(
                    day=day,
                    start=start,
                    end=end,
                    location="Samlingsrummet",
                    contact_ids=contact_ids,
                ),
            )
            db.session.commit()  # the test is the edge here
            return dialogue.id

    return _book


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def live_server(app):
    from tests.support.browser import LiveServer

    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    require_tool(chromium_path() is not None, "Chromium")
    from playwright.sync_api import sync_playwright

    from tests.support.browser import CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="sv-SE", timezone_id="Europe/Stockholm"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def soffice():
    from tests.support.office import soffice_path

    require_tool(
        soffice_path() is not None and shutil.which("pdftotext") is not None,
        "LibreOffice and poppler-utils",
    )
    return soffice_path()
