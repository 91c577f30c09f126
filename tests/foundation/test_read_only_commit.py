"""A request's transaction that wrote nothing ends with COMMIT on PostgreSQL, so psycopg keeps
its prepared statements (and PostgreSQL its plans); one that wrote anything still ends with the
rollback of the session's removal (dialog/transaction.py, issue 15)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from psycopg.pq import TransactionStatus

from dialog.extensions import db
from dialog.models import Region
from dialog.transaction import after_commit, end_read_only_transaction
from tests.conftest import DB_KIND, login

postgresql_only = pytest.mark.skipif(DB_KIND != "postgresql", reason="psycopg and PostgreSQL")


def _prepared_statements() -> int:
    return db.session.execute(sa.text("SELECT count(*) FROM pg_prepared_statements")).scalar()


@postgresql_only
def test_page_views_keep_the_prepared_statements(app, client, world):
    login(client, "mas_a")
    # psycopg prepares a statement on its sixth execution; a ROLLBACK at the end of each
    # request would forget them all again.
    for _ in range(7):
        assert client.get("/arsoversikt").status_code == 200
    with app.app_context():
        # One connection in the pool: the one the requests used.
        assert db.engine.pool.checkedin() == 1
        assert _prepared_statements() > 0


@postgresql_only
def test_a_transaction_that_wrote_is_not_committed(app):
    with app.app_context():
        db.session.add(Region(name="Region Flushad men aldrig sparad"))
        db.session.flush()  # nothing pending any more: only the server knows it wrote
        assert not (db.session.new or db.session.dirty)
        assert end_read_only_transaction() is False
        db.session.remove()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Region)) == 0


@postgresql_only
def test_a_bulk_update_counts_as_a_write(app):
    with app.app_context():
        db.session.add(Region(name="Region Före"))
        db.session.commit()
        db.session.execute(sa.update(Region).values(name="Region Efter"))
        assert end_read_only_transaction() is False
        db.session.remove()
        assert db.session.scalar(sa.select(Region.name)) == "Region Före"


@postgresql_only
def test_promised_work_does_not_run(app):
    ran = []
    with app.app_context():
        db.session.scalar(sa.select(sa.func.count()).select_from(Region))
        after_commit(lambda: ran.append("mail"))
        # The driver commits, not the session: no commit of the session's, so nothing
        # promised on one runs.
        assert end_read_only_transaction() is True
        db.session.remove()
    assert ran == []


@postgresql_only
def test_a_read_only_transaction_is_committed_and_its_objects_stay_usable(app):
    with app.app_context():
        db.session.add(Region(name="Region Läst"))
        db.session.commit()
    with app.app_context():
        region = db.session.scalar(sa.select(Region))
        driver = db.session.connection().connection.dbapi_connection
        assert end_read_only_transaction() is True
        assert driver.info.transaction_status == TransactionStatus.IDLE
    # The context has ended and the session is gone; what was read can still be read (a
    # commit of the session's would have expired it: DetachedInstanceError).
    assert region.name == "Region Läst"


@pytest.mark.skipif(DB_KIND != "sqlite", reason="the SQLite side")
def test_sqlite_leaves_the_transaction_to_the_session(app):
    with app.app_context():
        db.session.scalar(sa.select(sa.func.count()).select_from(Region))
        assert end_read_only_transaction() is False
        assert db.session().in_transaction()


def test_prepared_statements_can_be_turned_off(monkeypatch):
    from dialog.config import _engine_options

    url = "postgresql+psycopg://dialog@127.0.0.1/dialog"
    assert "prepare_threshold" not in _engine_options(url)["connect_args"]
    monkeypatch.setenv("DIALOG_POSTGRESQL_PREPARED", "off")
    assert _engine_options(url)["connect_args"]["prepare_threshold"] is None
