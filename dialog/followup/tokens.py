"""Personal API tokens: created and revoked by their owner; only a hash is stored."""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa

from .. import audit
from ..extensions import db
from ..models import User
from ..models.api import ApiToken
from ..models.base import now_utc

TOKEN_PREFIX = "psd_"
MAX_ACTIVE_TOKENS = 10


class TokenError(ValueError):
    pass


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for the user; returns the row and the token (shown once, never stored)."""
    name = (name or "").strip()
    if not name:
        raise TokenError("Ge nyckeln ett namn, till exempel vilket verktyg den är till för.")
    if len(name) > 120:
        raise TokenError("Namnet får vara högst 120 tecken.")
    if len(active_tokens(user)) >= MAX_ACTIVE_TOKENS:
        raise TokenError(
            f"Du kan ha högst {MAX_ACTIVE_TOKENS} aktiva nycklar. Återkalla en som inte används."
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, prefix=token[:10], token_hash=hash_token(token))
    db.session.add(row)
    audit.record("skapade API-nyckel", row, changes={"namn": [None, name]}, actor=user)
    return row, token


def revoke_token(user: User, token_id: int) -> ApiToken | None:
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        return None
    if row.revoked_at is None:
        row.revoked_at = now_utc()
        audit.record("återkallade API-nyckel", row, changes={"namn": [row.name, None]}, actor=user)
    return row


def active_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at, ApiToken.id)
        )
    )


def user_for_token(token: str) -> User | None:
    """The active user owning an active token, or None. Marks the token as used."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None:
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    now = now_utc()
    # Write at most once a minute per token, so a busy BI tool does not write on every call.
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        row.last_used_at = now
        db.session.commit()
    return user
