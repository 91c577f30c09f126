"""On SQLite, one user's slow or writing request never makes another user's request fail:
page views read without the write lock, and a change made while someone else is writing waits
its turn (the request runs again after losing the race) instead of failing."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time

import pytest
import sqlalchemy as sa

from dialog import database
from dialog.extensions import db
from dialog.models import CareHome
from tests.conftest import DB_KIND, login

pytestmark = pytest.mark.skipif(DB_KIND != "sqlite", reason="SQLite's locking only")


@pytest.fixture
def short_busy_timeout(app, monkeypatch):
    # A regression then fails in about a second instead of after the 30-second default.
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 1500)
    with app.app_context():
        db.engine.dispose()
        return db.engine.url.database


def _hold_write_lock(path: str) -> sqlite3.Connection:
    """Another writer in the middle of a transaction (as a slow import would be)."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "UPDATE care_home SET name = name || ' (ändrad)' WHERE id = (SELECT min(id) FROM care_home)"
    )
    return other


def test_page_views_do_not_wait_for_a_writer(app, client, world, book, short_busy_timeout):
    from datetime import date

    dialogue_id = book("a1", date(2027, 3, 10))
    login(client, "chef_a1")
    other = _hold_write_lock(short_busy_timeout)
    try:
        for path in ("/", f"/dialoger/{dialogue_id}", "/arsoversikt", "/konto"):
            # The other writer holds the lock for the whole loop: a read that queued for it
            # would fail after the busy timeout.
            response = client.get(path, follow_redirects=True)
            assert response.status_code == 200, path
    finally:
        other.close()  # rolls the other writer back


def test_a_change_made_while_another_user_writes_waits_and_lands(
    app, client, world, short_busy_timeout, caplog
):
    login(client, "admin")
    home_id = world.homes["a2"]
    other = _hold_write_lock(short_busy_timeout)

    def finish_the_other_write():
        time.sleep(0.4)
        other.execute("COMMIT")

    finisher = threading.Thread(target=finish_the_other_write)
    with caplog.at_level(logging.INFO, logger="dialog.database"):
        finisher.start()
        response = client.post(f"/register/boenden/{home_id}/aktiv")
        finisher.join()
    other.close()
    assert response.status_code == 302
    with app.app_context():
        home = db.session.get(CareHome, home_id)
        assert home.active is False  # the toggle landed
        renamed = db.session.scalar(
            sa.select(sa.func.count()).where(CareHome.name.like("%(ändrad)"))
        )
        assert renamed == 1  # and so did the other writer's change
    retries = [r.getMessage() for r in caplog.records if "sqlite_write_retry" in r.getMessage()]
    assert len(retries) == 1, retries
