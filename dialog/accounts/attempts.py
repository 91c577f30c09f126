"""Failed logins, counted in the database per account name and per address.

Every worker process sees the same counts (an in-memory limit per process would let N workers
allow N times as many guesses). A name is counted whether or not such an account exists, so a
locked-out name says nothing about whether it is real. The counts live in a window
(LOGIN_WINDOW_MINUTES); reaching LOGIN_MAX_FAILURES for a name, or LOGIN_MAX_FAILURES_ADDRESS
for an address, locks logins for it for LOGIN_LOCK_MINUTES. A successful login clears its name's
count (not the address's: one good account must not reset guesses at others).

Counting is one atomic INSERT … ON CONFLICT DO UPDATE (SQLite and PostgreSQL), so concurrent
failures are never lost. Services flush; the login view commits.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import LoginAttempt
from ..timeutil import now_utc


def _key(kind: str, value: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def account_key(login: str) -> str:
    return _key("account", login.strip().lower())


def address_key(address: str | None) -> str:
    return _key("address", address or "unknown")


def _setting(name: str) -> int:
    return int(current_app.config[name])


def locked_until(keys: list[str]) -> datetime | None:
    """When the latest lock on any of these keys ends, if one is in force now."""
    until = db.session.scalar(
        sa.select(sa.func.max(LoginAttempt.locked_until)).where(
            LoginAttempt.key.in_(keys), LoginAttempt.locked_until > now_utc()
        )
    )
    return until


def _insert():
    return (postgresql if db.engine.dialect.name == "postgresql" else sqlite).insert


def record_failure(key: str, limit: int) -> datetime | None:
    """Count one failure for `key`; returns when the lock ends if this failure locks it."""
    now = now_utc()
    window_floor = now - timedelta(minutes=_setting("LOGIN_WINDOW_MINUTES"))
    table = LoginAttempt.__table__
    expired = table.c.window_start < window_floor
    statement = _insert()(table).values(key=key, failures=1, window_start=now, locked_until=None)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={
            "failures": sa.case((expired, 1), else_=table.c.failures + 1),
            "window_start": sa.case((expired, now), else_=table.c.window_start),
        },
    )
    db.session.execute(statement)
    failures = db.session.scalar(sa.select(table.c.failures).where(table.c.key == key))
    if failures < limit:
        return None
    until = now + timedelta(minutes=_setting("LOGIN_LOCK_MINUTES"))
    db.session.execute(
        sa.update(table)
        .where(table.c.key == key)
        .values(failures=0, window_start=now, locked_until=until)
    )
    return until


def record_failed_login(login: str, address: str | None) -> datetime | None:
    """Count a failed login for the typed name and the address; when a lock now ends, if any."""
    locks = [
        record_failure(account_key(login), _setting("LOGIN_MAX_FAILURES")),
        record_failure(address_key(address), _setting("LOGIN_MAX_FAILURES_ADDRESS")),
    ]
    return max((lock for lock in locks if lock), default=None)


def clear(login: str) -> None:
    db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.key == account_key(login)))
