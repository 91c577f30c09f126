"""Personal tokens: API keys and calendar-feed addresses, one mechanism for both.

The secret is random, shown to its owner once and never stored: only its SHA-256 is kept, so the
database alone cannot be used to act as anyone. A token belongs to one active user, can be
revoked, and records when it was last used (written at most once per interval, so a busy client
does not write on every call). The edge that authenticates with a token commits that mark.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa

from .extensions import db
from .timeutil import now_utc


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_secret(prefix: str = "") -> tuple[str, str]:
    """A fresh token and the hash to store."""
    token = prefix + secrets.token_urlsafe(32)
    return token, hash_token(token)


def find_active(model, token: str, *, mark_used_every: timedelta | None = None):
    """The active token row whose owner is active, or None. Marks it used when due."""
    if not token or len(token) > 200:
        return None
    row = db.session.scalar(
        sa.select(model).where(model.token_hash == hash_token(token), model.revoked_at.is_(None))
    )
    if row is None or row.user is None or not row.user.active:
        return None
    now = now_utc()
    if mark_used_every is not None and (
        row.last_used_at is None or now - row.last_used_at > mark_used_every
    ):
        row.last_used_at = now
    return row


def revoke(row) -> bool:
    """Revoke a token; False when it was already revoked."""
    if row.revoked_at is not None:
        return False
    row.revoked_at = now_utc()
    return True
