"""Database behaviour that must hold on every engine the app creates."""

from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


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
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(connection):
    if connection.dialect.name == "sqlite":
        # Take the write lock up front: concurrent requests then wait their turn (busy_timeout)
        # instead of failing when two read-then-write transactions collide.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
