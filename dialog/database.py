"""Database behaviour that must hold on every engine the app creates.

SQLite (the embedded default) allows one writer at a time. In WAL mode readers never wait for
the writer, so a request first runs in a *deferred* transaction: page views read without ever
taking the write lock, and slow work before the first write (checking an uploaded template,
building a chart) holds no lock either. A deferred transaction that has read cannot wait for the
lock when it comes to write (SQLite refuses at once rather than risk a deadlock): it has "lost
the race", and the request's view runs again in a transaction that takes the write lock when it
begins and waits its turn (busy timeout) — see `RetryingFlask`. CLI commands and worker rounds,
which run outside a request, take the write lock when they begin.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, g, has_request_context, request, session
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30000
SQLITE_BUSY = 5  # the primary result code; BUSY_SNAPSHOT (517) and the rest share it
_WRITE_LOCK_FIRST = "dialog_sqlite_write_lock_first"
T = TypeVar("T")


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy, not the pysqlite driver, open transactions (so SAVEPOINT works), and turn
    # on what SQLite leaves off by default.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(connection):
    if connection.dialect.name != "sqlite":
        return
    if has_request_context() and not g.get(_WRITE_LOCK_FIRST):
        connection.exec_driver_sql("BEGIN")  # deferred: see the module docstring
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def lost_race(error: BaseException) -> bool:
    """True when SQLite refused a write because another writer held or had just used the lock."""
    if not isinstance(error, OperationalError):
        return False
    original = error.orig
    code = getattr(original, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF == SQLITE_BUSY
    return isinstance(original, sqlite3.OperationalError) and "database is locked" in str(original)


def run_again_if_lost_race(
    attempt: Callable[[], T], before_retry: Callable[[], None] | None = None
) -> T:
    """attempt(); when its deferred SQLite transaction lost the race for the write lock, roll
    back and run it once more in a transaction that takes the lock when it begins (within a
    request context: views get this from RetryingFlask)."""
    from .extensions import db

    try:
        return attempt()
    except OperationalError as error:
        if not lost_race(error) or g.get(_WRITE_LOCK_FIRST):
            raise
    db.session.rollback()
    log.info("event=sqlite_write_retry method=%s path=%s", request.method, request.path)
    if before_retry is not None:
        before_retry()
    g.setdefault(_WRITE_LOCK_FIRST, True)
    return attempt()


class RetryingFlask(Flask):
    """Runs a request's view once more when its deferred SQLite transaction lost the race for
    the write lock; the second run takes the lock when its transaction begins.

    Nothing of the first run was stored (its transaction rolled back, and after-commit work is
    dropped with it); the signed-cookie session and uploaded files are put back as they came in,
    so the second run sees the same request.
    """

    def dispatch_request(self):
        from .extensions import db

        if db.engine.dialect.name != "sqlite":
            return super().dispatch_request()
        cookie_session = dict(session)

        def as_it_came_in():
            session.clear()
            session.update(cookie_session)
            for upload in request.files.values():
                upload.stream.seek(0)

        return run_again_if_lost_race(super().dispatch_request, as_it_came_in)
