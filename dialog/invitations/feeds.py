"""Personal, revocable, read-only calendar feeds of the dialogues in a user's scope.

The URL holds a random secret; only its SHA-256 is stored, so the database alone cannot be used
to read anyone's feed. Creating a new address revokes the old one.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from .. import audit
from ..extensions import db
from ..models import Dialogue, User
from ..models.base import now_utc
from ..models.invitations import CalendarFeedToken
from ..scope import Scope
from . import calendar, content


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


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
    feed.revoked_at = now_utc()
    audit.record("spärrade kalenderflöde", user, actor=actor)
    return True


def create_feed(user: User, *, actor=None) -> str:
    """A new feed address for the user (the old one stops working). Caller commits."""
    revoke_feed(user, actor=actor)
    token = secrets.token_urlsafe(32)
    db.session.add(CalendarFeedToken(user_id=user.id, token_hash=_hash(token)))
    audit.record("skapade kalenderflöde", user, actor=actor)
    return token


def feed_calendar(token: str) -> str | None:
    """The feed's iCalendar text, or None when the address is unknown or revoked."""
    feed = db.session.scalar(
        sa.select(CalendarFeedToken).where(
            CalendarFeedToken.token_hash == _hash(token), CalendarFeedToken.revoked_at.is_(None)
        )
    )
    if feed is None or not feed.user.active:
        return None
    now = now_utc()
    if feed.last_used_at is None or now - feed.last_used_at > timedelta(hours=1):
        feed.last_used_at = now
        db.session.commit()
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
    return calendar.calendar(events, name="Patientsäkerhetsdialoger")


class _AuthenticatedUser:
    """Scope.of wants a logged-in user; a valid feed token stands for one, read-only."""

    is_authenticated = True

    def __init__(self, user: User):
        self.scopes = user.scopes
