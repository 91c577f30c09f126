"""Reminders: some days before the dialogue (per region), those who have not answered get a
reminder with fresh answer links and the organiser a summary of the roles still missing.

Run by 'flask reminders send' (cron) or by 'flask outbox work'. A reminder round is recorded per
dialogue and start time, so running it twice sends nothing twice; a rebooked dialogue gets a new
round.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import audit
from ..extensions import db
from ..models import (
    CareHome,
    Contact,
    ContactRole,
    Dialogue,
    DialogueStatus,
    Municipality,
    ResponseStatus,
)
from ..models.invitations import MessageKind, ReminderLog
from ..region_settings import settings_for_region
from ..timeutil import format_time_range, local, now_utc
from . import content, mail, outbox
from .links import answer_links
from .panel import build_panel
from .services import invitations_sent


def _due(dialogue: Dialogue, today: date, days: int) -> bool:
    return local(dialogue.starts_at).date() - timedelta(days=days) <= today


def _organiser_address(dialogue: Dialogue) -> tuple[str, str] | None:
    if dialogue.organiser is not None and dialogue.organiser.email:
        return dialogue.organiser.name, dialogue.organiser.email
    manager = db.session.scalar(
        sa.select(Contact)
        .where(
            Contact.care_home_id == dialogue.care_home_id,
            Contact.active.is_(True),
            Contact.role == ContactRole.UNIT_MANAGER,
        )
        .order_by(Contact.id)
    )
    return (manager.name, manager.email) if manager is not None else None


def remind_dialogue(dialogue: Dialogue, days: int) -> int:
    """Queue the reminders and the summary of one dialogue. Returns the messages queued."""
    try:
        with db.session.begin_nested():
            db.session.add(ReminderLog(dialogue_id=dialogue.id, starts_at=dialogue.starts_at))
            db.session.flush()
    except IntegrityError:
        return 0  # another run got here first
    when = format_time_range(dialogue.starts_at, dialogue.ends_at)
    organiser = content.organiser_name(dialogue)
    unanswered = [
        p
        for p in dialogue.current_participants
        if p.response is ResponseStatus.NEEDS_ACTION and p.invited_sequence is not None
    ]
    queued = 0
    for participant in unanswered:
        text, html = mail.render_bodies(
            "reminder",
            dialogue=dialogue,
            participant=participant,
            when=when,
            links=answer_links(participant),
            organiser=organiser,
        )
        msg = mail.notice_message(
            to_name=participant.name,
            to_email=participant.email,
            subject=f"Påminnelse: svara på kallelsen till patientsäkerhetsdialogen {when}",
            text=text,
            html=html,
            reply_to=current_app.config["MAIL_ORGANISER_MAILBOX"],
        )
        outbox.queue(
            msg, kind=MessageKind.REMINDER, dialogue_id=dialogue.id, participant_id=participant.id
        )
        queued += 1
    required = settings_for_region(dialogue.care_home.municipality.region_id).required_roles
    panel = build_panel(dialogue.current_participants, required)
    target = _organiser_address(dialogue)
    if target is not None and (unanswered or not panel.complete):
        name, email = target
        text, html = mail.render_bodies(
            "summary",
            dialogue=dialogue,
            name=name,
            days=days,
            when=when,
            missing=panel.unconfirmed,
            unanswered=unanswered,
            dialogue_url=content.dialogue_url(dialogue),
        )
        msg = mail.notice_message(
            to_name=name,
            to_email=email,
            subject=f"Representation inför patientsäkerhetsdialogen {dialogue.care_home.name}",
            text=text,
            html=html,
        )
        outbox.queue(msg, kind=MessageKind.SUMMARY, dialogue_id=dialogue.id)
        queued += 1
    audit.record(
        "skickade påminnelser",
        dialogue,
        actor=None,
        summary=f"{len(unanswered)} påminnelser",
        changes={"reminded": [None, [p.email for p in unanswered]]},
    )
    return queued


def send_reminders(now: datetime | None = None) -> int:
    """Queue every due reminder (the edge commits). Returns the number of messages queued."""
    now = now or now_utc()
    today = local(now).date()
    # Dialogues from now up to the longest sensible reminder horizon.
    candidates = (
        db.session.scalars(
            sa.select(Dialogue)
            .where(
                Dialogue.status == DialogueStatus.PLANNED,
                Dialogue.starts_at > now,
                Dialogue.starts_at < now + timedelta(days=90),
                ~sa.exists().where(
                    ReminderLog.dialogue_id == Dialogue.id,
                    ReminderLog.starts_at == Dialogue.starts_at,
                ),
            )
            .options(
                joinedload(Dialogue.care_home)
                .joinedload(CareHome.municipality)
                .joinedload(Municipality.region)
            )
            .order_by(Dialogue.starts_at)
        )
        .unique()
        .all()
    )
    settings: dict[int, int] = {}
    queued = 0
    for dialogue in candidates:
        region_id = dialogue.care_home.municipality.region_id
        if region_id not in settings:
            settings[region_id] = settings_for_region(region_id).reminder_days
        days = settings[region_id]
        if days <= 0 or not _due(dialogue, today, days) or not invitations_sent(dialogue):
            continue
        queued += remind_dialogue(dialogue, days)
    return queued
