"""Personal, revocable, read-only calendar feeds of the dialogues in a user's scope.

The address holds a personal token (dialog/personal_tokens.py: only its hash is stored).
Creating a new address revokes the old one.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from .. import audit, personal_tokens
from ..extensions import db
from ..models import Dialogue, User
from ..models.invitations import CalendarFeedToken
from ..scope import Scope
from ..timeutil import now_utc
from . import content, ics


def active_feed(user: User) -> CalendarFeedToken | None:
    return db.session.scalar(
        sa.select(CalendarFeedToken).where(
            CalendarFeedToken.user_id == user.id, CalendarFeedToken.revoked_at.is_(None)
        )
    )


def feed_url(token: str) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/kalender/{token}.ics"


def revoke_feed(user: User, *, actor=None) -> bool:
    feed = active_feed(user)
    if feed is None:
        return False
    personal_tokens.revoke(feed)
    audit.record("spärrade kalenderflöde", user, actor=actor)
    return True


def create_feed(user: User, *, actor=None) -> str:
    """A new feed address for the user (the old one stops working)."""
    revoke_feed(user, actor=actor)
    token, token_hash = personal_tokens.new_secret()
    db.session.add(CalendarFeedToken(user_id=user.id, token_hash=token_hash))
    audit.record("skapade kalenderflöde", user, actor=actor)
    return token


def feed_calendar(token: str) -> str | None:
    """The feed's iCalendar text, or None when the address is unknown or revoked."""
    feed = personal_tokens.find_active(CalendarFeedToken, token, mark_used_every=timedelta(hours=1))
    if feed is None:
        return None
    now = now_utc()
    scope = Scope.of(_AuthenticatedUser(feed.user))
    dialogues = db.session.scalars(
        sa.select(Dialogue)
        .where(
            scope.dialogue_clause(),
            Dialogue.starts_at >= now - timedelta(days=400),
            Dialogue.starts_at <= now + timedelta(days=800),
        )
        .order_by(Dialogue.starts_at)
    ).all()
    events = [content.event(d, people=None, with_alarm=False) for d in dialogues]
    return ics.calendar(events, name="Patientsäkerhetsdialoger")


class _AuthenticatedUser:
    """Scope.of wants a logged-in user; a valid feed token stands for one, read-only."""

    is_authenticated = True

    def __init__(self, user: User):
        self.scopes = user.scopes
