"""The minutes (protokoll) to every participant when a dialogue is documented.

Queued in the documenting transaction: either the dialogue is documented and its minutes are in
the outbox, or neither. Each participant who was invited (or came as a stand-in) gets one short
mail with the Word file attached; documenting the same dialogue again after an unlock sends the
corrected minutes once more, marked as an update.
"""

from __future__ import annotations

from .. import audit
from ..models import Dialogue
from ..models.invitations import MessageKind
from ..timeutil import format_date
from . import content, mail, outbox, sent_log
from .mail import notice_with_attachment

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def recipients(dialogue: Dialogue) -> list:
    """Everyone invited or attending: the current participants, stand-ins included, once each."""
    seen, people = set(), []
    for p in dialogue.current_participants:
        if p.email and p.email.lower() not in seen:
            seen.add(p.email.lower())
            people.append(p)
    return people


def queue_minutes(dialogue: Dialogue, document: bytes, filename: str, *, actor=None) -> int:
    """Queue the minutes to every participant (the edge commits). Returns how many."""
    stamp = dialogue.documented_at.isoformat() if dialogue.documented_at else "utkast"
    key = f"protokoll:{dialogue.id}:{stamp}"
    update = sent_log.already_sent_any(f"protokoll:{dialogue.id}:")
    home = dialogue.care_home.name
    subject = (
        f"{'Uppdaterat protokoll' if update else 'Protokoll'}: patientsäkerhetsdialogen "
        f"{home} {format_date(dialogue.starts_at)}"
    )
    queued, sent_to = [], []
    for person in recipients(dialogue):
        if not sent_log.claim(key, person.email):
            continue
        text, html = mail.render_bodies(
            "minutes",
            dialogue=dialogue,
            name=person.name,
            update=update,
            filename=filename,
            dialogue_url=content.dialogue_url(dialogue),
        )
        queued.append(
            outbox.Outgoing(
                notice_with_attachment(
                    to_name=person.name,
                    to_email=person.email,
                    subject=subject,
                    text=text,
                    html=html,
                    filename=filename,
                    content=document,
                    mimetype=DOCX,
                ),
                MessageKind.MINUTES,
                dialogue_id=dialogue.id,
                participant_id=person.id,
            )
        )
        sent_to.append(person.email)
    if not queued:
        return 0
    outbox.queue_many(queued)
    audit.record(
        "skickade protokoll",
        dialogue,
        actor=actor,
        summary=f"{len(queued)} mottagare",
        changes={"mottagare": [None, sent_to]},
    )
    return len(queued)
