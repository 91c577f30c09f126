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
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
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
        # CLI commands and worker rounds: run what their commits promised.
        if exc is None and _READY in db.session().info:
            run_after_commit()
