"""Personal API tokens: created and revoked by their owner; only a hash is stored."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from .. import audit, personal_tokens
from ..extensions import db
from ..models import User
from ..models.api import ApiToken

TOKEN_PREFIX = "psd_"
MAX_ACTIVE_TOKENS = 10


class TokenError(ValueError):
    pass


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
    token, token_hash = personal_tokens.new_secret(TOKEN_PREFIX)
    row = ApiToken(user_id=user.id, name=name, prefix=token[:10], token_hash=token_hash)
    db.session.add(row)
    audit.record("skapade API-nyckel", row, changes={"namn": [None, name]}, actor=user)
    return row, token


def revoke_token(user: User, token_id: int) -> ApiToken | None:
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        return None
    if personal_tokens.revoke(row):
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
    """The active user owning an active token, or None. Marks the token as used (the API
    request commits it, at most once a minute per token)."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    row = personal_tokens.find_active(ApiToken, token, mark_used_every=timedelta(minutes=1))
    return row.user if row is not None else None
