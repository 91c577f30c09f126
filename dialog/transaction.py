"""The one transaction rule.

Services change objects and flush; they never commit. The edge commits once: the view at the
end of a request, the CLI command when its work is done, the worker loop per round. Work that
must only happen once the change is durable — delivering mail, telling something outside the
database — is registered with `after_commit(callback)` and runs after the commit; a rollback
drops it.

Callbacks run after the commit: for a request in an after_request hook (before the answer is
sent), elsewhere when the application context ends, or when an edge calls `run_after_commit()`.
A callback may open and commit transactions of its own; a failing callback is logged and never
undoes the committed change.

On PostgreSQL a request whose transaction wrote nothing ends with COMMIT instead of the
ROLLBACK that closing the session sends (`end_read_only_transaction`: the one commit outside
the edges, and it writes nothing). The two are the same for such a transaction, but psycopg
forgets its prepared statements on every ROLLBACK, so a page view would otherwise have every
query planned afresh on every request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import psycopg
from psycopg.pq import TransactionStatus
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, SessionTransaction

from .extensions import db

log = logging.getLogger(__name__)

_PENDING = "dialog.after_commit.pending"
_READY = "dialog.after_commit.ready"


def after_commit(callback: Callable[[], None]) -> None:
    """Run callback() once the session's current transaction commits (not on rollback)."""
    pending = db.session.info.setdefault(_PENDING, [])
    if callback not in pending:
        pending.append(callback)


def run_after_commit() -> int:
    """Run the callbacks of transactions that have committed. Returns how many ran."""
    ran = 0
    session = db.session()
    while callbacks := session.info.pop(_READY, None):
        for callback in callbacks:
            ran += 1
            try:
                callback()
            except Exception:
                session.rollback()
                log.exception("event=after_commit_failed callback=%s", _name(callback))
    return ran


def end_read_only_transaction() -> bool:
    """End the session's transaction with COMMIT if it is PostgreSQL's and wrote nothing; True
    if so.

    Nothing written: the server has assigned the transaction no id (PostgreSQL assigns one at
    the first write of any kind, so a flush or a bulk UPDATE counts, a SELECT does not). Then
    COMMIT and ROLLBACK end it alike, and COMMIT keeps psycopg's prepared statements, so
    PostgreSQL can reuse its plans (a MAS dashboard spent 10 of its 15 ms in the database
    planning 25 queries). The driver's connection commits, not the session: the session's
    objects stay as they are (a session commit would expire them) and its closing rollback
    then finds nothing to roll back. Run it last, as the session is about to be removed.
    """
    session = db.session()
    if not session.in_transaction() or session.get_bind().dialect.name != "postgresql":
        return False
    connection = session.connection()
    driver = connection.connection.dbapi_connection
    if driver.info.transaction_status != TransactionStatus.INTRANS:
        return False  # idle, or failed (an error waits for its rollback)
    written = connection.exec_driver_sql("SELECT pg_current_xact_id_if_assigned()").scalar()
    if written is not None:
        return False
    driver.commit()
    return True


def _name(callback) -> str:
    return getattr(callback, "__qualname__", repr(callback))


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    callbacks = session.info.pop(_PENDING, None)
    if callbacks:
        session.info.setdefault(_READY, []).extend(callbacks)


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    # The outermost transaction ended without a commit (a commit moved them to _READY first):
    # the work it promised never happened, so neither may its consequences.
    if transaction.parent is None and not transaction.nested:
        session.info.pop(_PENDING, None)


def init_app(app) -> None:
    @app.after_request
    def _after_request(response):
        run_after_commit()
        return response

    @app.teardown_appcontext
    def _teardown(exc):
        if exc is not None:
            return
        # CLI commands and worker rounds: run what their commits promised.
        if _READY in db.session().info:
            run_after_commit()
        # Registered after Flask-SQLAlchemy's, so it runs before the session is removed.
        try:
            end_read_only_transaction()
        except (SQLAlchemyError, psycopg.Error):
            # The session's removal rolls back instead; the page was already answered.
            log.warning("event=read_only_commit_failed", exc_info=True)
