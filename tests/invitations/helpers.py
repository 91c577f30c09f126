"""Shared helpers for the invitations tests."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import Dialogue, User
from dialog.models.invitations import OutboxMessage

ANSWER_LINK = re.compile(r"https?://[^\s\"<>]+/svar/[A-Za-z0-9_.\-]+(?:\?svar=[a-z]+)?")


def book_with_organiser(app, world, book, home="a1", day=date(2027, 3, 10), **kwargs) -> int:
    dialogue_id = book(home, day, **kwargs)
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        dialogue.organiser = db.session.get(User, world.users["chef_a1"])
        db.session.commit()
    return dialogue_id


def send_invitations(app, dialogue_id: int) -> int:
    from dialog.invitations.services import queue_invitations

    with app.app_context():
        count = queue_invitations(db.session.get(Dialogue, dialogue_id))
        db.session.commit()
        return count


def deliver(app, **kwargs):
    from dialog.invitations.worker import deliver_due

    with app.app_context():
        return deliver_due(**kwargs)


def outbox_rows(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return rows


def answer_links(text: str) -> list[str]:
    return ANSWER_LINK.findall(text)


def body_text(msg) -> str:
    part = msg.get_body(preferencelist=("plain",))
    return part.get_content()
