"""Reminders about actions through the year: to the side that owns an action, some days before
it falls due and once when it has become overdue (both configurable per region).

Run by the outbox worker with the other reminders ('flask outbox work') or by
'flask reminders actions' (cron). A reminder is recorded per action, due date and recipient
(sent_log), so running twice sends nothing twice; a new due date gets new reminders.

The owning side: the home's unit managers (users with the home in scope, else the home's
enhetschef contacts) for SÄBO actions; the health centre's users (else its verksamhetschef
contacts) for the centre's; both for joint actions; the region's users (else its chefläkare)
for the region's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    Action,
    ActionNote,
    ActionStatus,
    CareHome,
    Contact,
    ContactRole,
    Dialogue,
    DialogueStatus,
    Municipality,
    Party,
    Role,
    User,
    UserScope,
)
from ..models.invitations import MessageKind
from ..region_settings import settings_for_region
from ..timeutil import local, now_utc
from . import mail, outbox, sent_log

# An action overdue longer than this is left to the digest and the dashboards: a worker
# started after a long pause does not send a flood of old news.
OVERDUE_WINDOW = timedelta(days=30)
LOOKAHEAD = timedelta(days=120)  # no region reminds further ahead than this


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    user_id: int | None = None


def action_url(action_id: int) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/atgarder/{action_id}"


def _users(role: Role, field: str, target_id: int | None) -> list[Recipient]:
    if target_id is None:
        return []
    rows = db.session.execute(
        sa.select(User.name, User.email, User.id)
        .join(UserScope, UserScope.user_id == User.id)
        .where(
            UserScope.role == role,
            getattr(UserScope, field) == target_id,
            User.active.is_(True),
        )
        .order_by(User.id)
    ).all()
    return [Recipient(n, e, i) for n, e, i in rows]


def _contacts(field: str, target_id: int | None, role: ContactRole) -> list[Recipient]:
    if target_id is None:
        return []
    rows = db.session.execute(
        sa.select(Contact.name, Contact.email)
        .where(getattr(Contact, field) == target_id, Contact.role == role, Contact.active.is_(True))
        .order_by(Contact.id)
    ).all()
    return [Recipient(n, e) for n, e in rows]


def owners(action: Action) -> list[Recipient]:
    """The people of the side that owns the action, once each."""
    dialogue = action.dialogue
    home = dialogue.care_home
    party = action.responsible_party
    people: list[Recipient] = []
    if party in (Party.CARE_HOME, Party.JOINT):
        people += _users(Role.UNIT_MANAGER, "care_home_id", home.id) or _contacts(
            "care_home_id", home.id, ContactRole.UNIT_MANAGER
        )
    if party in (Party.HEALTH_CENTRE, Party.JOINT):
        centre_id = dialogue.health_centre_id or home.health_centre_id
        people += _users(Role.HEALTH_CENTRE, "health_centre_id", centre_id) or _contacts(
            "health_centre_id", centre_id, ContactRole.CENTRE_MANAGER
        )
    if party is Party.REGION:
        region_id = home.municipality.region_id
        people += _users(Role.REGIONAL, "region_id", region_id) or _contacts(
            "region_id", region_id, ContactRole.CHIEF_PHYSICIAN
        )
    seen, unique = set(), []
    for person in people:
        if person.email and person.email.lower() not in seen:
            seen.add(person.email.lower())
            unique.append(person)
    return unique


def _last_note(action: Action) -> ActionNote | None:
    return db.session.scalar(
        sa.select(ActionNote)
        .where(ActionNote.action_id == action.id)
        .order_by(ActionNote.note_date.desc(), ActionNote.id.desc())
        .limit(1)
    )


def which_reminder(action: Action, today: date, settings) -> str | None:
    """'snart', 'forsenad' or None: what this action is due for today under these settings."""
    if not settings.followup_mail or action.due_date is None:
        return None
    due = action.due_date
    if due >= today:
        days = settings.action_reminder_days
        return "snart" if days > 0 and today >= due - timedelta(days=days) else None
    if settings.overdue_reminders and today - due <= OVERDUE_WINDOW:
        return "forsenad"
    return None


def _queue(action: Action, kind: str, today: date) -> int:
    dialogue = action.dialogue
    home = dialogue.care_home
    key = f"atgard-{kind}:{action.id}:{action.due_date.isoformat()}"
    note = _last_note(action)
    days_left = (action.due_date - today).days
    if kind == "snart":
        subject = f"Påminnelse: åtgärd ska vara klar {action.due_date.isoformat()} – {home.name}"
    else:
        subject = f"Försenad åtgärd: skulle vara klar {action.due_date.isoformat()} – {home.name}"
    items = []
    for person in owners(action):
        if not sent_log.claim(key, person.email, user_id=person.user_id):
            continue
        text, html = mail.render_bodies(
            "action_reminder",
            name=person.name,
            action=action,
            dialogue=dialogue,
            overdue=kind == "forsenad",
            days_left=days_left,
            note=note,
            url=action_url(action.id),
        )
        items.append(
            outbox.Outgoing(
                mail.notice_message(
                    to_name=person.name,
                    to_email=person.email,
                    subject=subject,
                    text=text,
                    html=html,
                ),
                MessageKind.ACTION_REMINDER,
                dialogue_id=dialogue.id,
            )
        )
    return outbox.queue_many(items)


def due_actions(today: date) -> list[Action]:
    """Open actions of held or documented dialogues whose due date is near or just passed."""
    return list(
        db.session.scalars(
            sa.select(Action)
            .join(Dialogue, Action.dialogue_id == Dialogue.id)
            .where(
                Action.status.in_([ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS]),
                Action.due_date.is_not(None),
                Action.due_date >= today - OVERDUE_WINDOW,
                Action.due_date <= today + LOOKAHEAD,
                Dialogue.status.in_([DialogueStatus.HELD, DialogueStatus.DOCUMENTED]),
            )
            .options(
                joinedload(Action.dialogue)
                .joinedload(Dialogue.care_home)
                .joinedload(CareHome.municipality)
                .joinedload(Municipality.region)
            )
            .order_by(Action.due_date, Action.id)
        ).unique()
    )


def send_action_reminders(now: datetime | None = None) -> int:
    """Queue every action reminder due today (the edge commits). Returns messages queued."""
    today = local(now or now_utc()).date()
    settings: dict[int, object] = {}
    queued = 0
    for action in due_actions(today):
        region_id = action.dialogue.care_home.municipality.region_id
        if region_id not in settings:
            settings[region_id] = settings_for_region(region_id)
        kind = which_reminder(action, today, settings[region_id])
        if kind is not None:
            queued += _queue(action, kind, today)
    return queued
