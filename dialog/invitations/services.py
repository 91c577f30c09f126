"""Queueing invitations, updates and cancellations, in the caller's transaction.

Interface used by other features: queue_invitations(dialogue, *, actor=None) -> int.
Rebooking, cancelling and participant changes arrive as blinker signals (dialog/signals.py) sent
before commit; the handlers here queue what follows in that same transaction, but only for
dialogues whose invitations have already been sent.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

import sqlalchemy as sa
from flask import current_app
from markupsafe import escape
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from .. import audit, signals
from ..extensions import db
from ..models import CareHome, Dialogue, DialogueStatus, Participant, ResponseStatus
from ..models.invitations import CounterProposal, CounterStatus, MessageKind
from ..timeutil import now_utc
from . import content, mail, outbox
from .links import answer_links


def invitations_sent(dialogue: Dialogue) -> bool:
    """True once any invitation of this dialogue has been queued."""
    return any(p.invited_sequence is not None for p in dialogue.participants)


def pending_participants(dialogue: Dialogue) -> list[Participant]:
    """Current participants who have not been sent the dialogue's current SEQUENCE."""
    return [
        p for p in dialogue.current_participants if p.invited_sequence != dialogue.calendar_sequence
    ]


def _subject(prefix: str, dialogue: Dialogue, when: str) -> str:
    return f"{prefix}: Patientsäkerhetsdialog {dialogue.care_home.name} {when}"


# Per-recipient values are filled into bodies rendered once per dialogue: rendering the
# templates for each of a county's 2,000 recipients would cost more than sending the mail.
# The slot markers are random per process, so no text typed by a user can collide with them.
_MARK = secrets.token_hex(8)
_SLOTS = {key: f"@@{_MARK}{key}@@" for key in ("name", "role", "ja", "nej", "kanske")}


class _SlotParticipant:
    name = _SLOTS["name"]

    class role:  # noqa: N801 - mimics participant.role.label in the templates
        label = _SLOTS["role"]


def _bodies(dialogue: Dialogue, cal: content.CalendarContent, update: bool) -> tuple[str, str]:
    links = {k: _SLOTS[k] for k in ("ja", "nej", "kanske")}
    return mail.render_bodies(
        "invitation",
        dialogue=dialogue,
        participant=_SlotParticipant,
        links=links,
        when=cal.when,
        update=update,
        purpose=content.PURPOSE,
        organiser=content.organiser_name(dialogue),
        dialogue_url=content.dialogue_url(dialogue),
    )


def _fill(body: str, values: dict[str, str], html: bool) -> str:
    for key, slot in _SLOTS.items():
        body = body.replace(slot, str(escape(values[key])) if html else values[key])
    return body


def _invitation_mail(
    dialogue: Dialogue,
    participant: Participant,
    cal: content.CalendarContent,
    kind: MessageKind,
    bodies: dict,
):
    update = kind is MessageKind.UPDATE
    if update not in bodies:
        bodies[update] = _bodies(dialogue, cal, update)
    text, html = bodies[update]
    links = answer_links(participant)
    values = {
        "name": participant.name,
        "role": participant.role.label,
        "ja": links["ja"],
        "nej": links["nej"],
        "kanske": links["kanske"],
    }
    prefix = "Uppdaterad" if update else "Inbjudan"
    return mail.invitation_message(
        to_name=participant.name,
        to_email=participant.email,
        subject=_subject(prefix, dialogue, cal.when),
        text=_fill(text, values, False),
        html=_fill(html, values, True),
        ics=cal.ics,
        method=cal.method,
        organiser_mailbox=current_app.config["MAIL_ORGANISER_MAILBOX"],
    )


class _Batch:
    """Outbox rows and SEQUENCE marks collected while sending for many dialogues at once."""

    def __init__(self):
        self.outgoing: list[outbox.Outgoing] = []
        self.marks: dict[int, list[int]] = defaultdict(list)

    def write(self) -> None:
        outbox.queue_many(self.outgoing)
        for sequence, ids in self.marks.items():
            _update_sequence(ids, sequence)
        self.outgoing, self.marks = [], defaultdict(list)


_batch: ContextVar[_Batch | None] = ContextVar("invitations_batch", default=None)


@contextmanager
def sending_in_bulk():
    """Queue invitations for many dialogues with a few statements instead of a few per dialogue.

    Everything is written when the block ends, still inside the caller's transaction (the
    caller commits). On an exception nothing is written.
    """
    batch = _Batch()
    token = _batch.set(batch)
    try:
        yield
        batch.write()
    finally:
        _batch.reset(token)


def _update_sequence(ids: list[int], sequence: int) -> None:
    db.session.execute(
        sa.update(Participant).where(Participant.id.in_(ids)).values(invited_sequence=sequence),
        execution_options={"synchronize_session": False},
    )


def _write(outgoing: list[outbox.Outgoing], people: list[Participant], sequence: int) -> None:
    """Queue the messages and record the SEQUENCE sent (one UPDATE, not one per participant)."""
    batch = _batch.get()
    if batch is not None:
        batch.outgoing += outgoing
        batch.marks[sequence] += [p.id for p in people]
    else:
        outbox.queue_many(outgoing)
        _update_sequence([p.id for p in people], sequence)
    for participant in people:
        set_committed_value(participant, "invited_sequence", sequence)


def queue_invitations(
    dialogue: Dialogue, *, actor=None, only: list[Participant] | None = None
) -> int:
    """Queue a METHOD:REQUEST to every current participant not yet sent the current SEQUENCE.

    Writes to the outbox in the caller's transaction and does not commit. Returns the number of
    messages queued. `only` narrows the recipients (a stand-in who was just added, say).
    """
    if dialogue.status is not DialogueStatus.PLANNED:
        return 0
    db.session.flush()  # new participants need ids for their answer links
    people = pending_participants(dialogue)
    if only is not None:
        wanted = {id(p) for p in only}
        people = [p for p in people if id(p) in wanted]
    if not people:
        return 0
    cal = content.request_calendar(dialogue)
    outgoing, bodies = [], {}
    for participant in people:
        kind = (
            MessageKind.INVITATION if participant.invited_sequence is None else MessageKind.UPDATE
        )
        msg = _invitation_mail(dialogue, participant, cal, kind, bodies)
        outgoing.append(
            outbox.Outgoing(msg, kind, dialogue.id, participant.id, dialogue.calendar_sequence)
        )
    _write(outgoing, people, dialogue.calendar_sequence)
    audit.record(
        "skickade kallelser",
        dialogue,
        actor=actor,
        summary=f"{len(people)} kallelser, SEQUENCE {dialogue.calendar_sequence}",
        changes={
            "recipients": [None, [p.email for p in people]],
            "sequence": [None, dialogue.calendar_sequence],
        },
    )
    return len(people)


def resend_invitation(dialogue: Dialogue, participant: Participant, *, actor=None) -> int:
    """Send one participant the current invitation again (a lost mail, a full inbox)."""
    if (
        dialogue.status is not DialogueStatus.PLANNED
        or participant.dialogue_id != dialogue.id
        or participant.removed_at is not None
    ):
        return 0
    set_committed_value(participant, "invited_sequence", None)
    return queue_invitations(dialogue, actor=actor, only=[participant])


def load_for_sending(dialogue_ids: list[int]) -> list[Dialogue]:
    """Dialogues with everything an invitation needs, in a handful of queries (bulk sending)."""
    return list(
        db.session.scalars(
            sa.select(Dialogue)
            .where(Dialogue.id.in_(dialogue_ids))
            .options(
                selectinload(Dialogue.participants),
                joinedload(Dialogue.care_home).joinedload(CareHome.municipality),
                joinedload(Dialogue.health_centre),
                joinedload(Dialogue.organiser),
            )
            .order_by(Dialogue.id)
        ).unique()
    )


def queue_cancellations(
    dialogue: Dialogue, people: list[Participant], *, reason: str = "", removed: bool = False
) -> int:
    """Queue a METHOD:CANCEL (current SEQUENCE) to each given participant.

    Cancelling the dialogue tells everyone, lists everyone and says STATUS:CANCELLED; a removed
    participant is told alone, and without STATUS (RFC 5546 3.2.5: the event goes on).
    """
    people = [p for p in people if p.invited_sequence is not None]
    if not people:
        return 0
    # A cancelled dialogue tells everyone, listing everyone; a removed participant is told alone.
    attendee_list = people if not removed else None
    for participant in people:
        cal = content.cancel_calendar(
            dialogue, attendee_list or [participant], whole_event=not removed
        )
        subject = _subject(
            "Inställd" if not removed else "Du är inte längre kallad", dialogue, cal.when
        )
        text, html = mail.render_bodies(
            "cancel",
            dialogue=dialogue,
            participant=participant,
            when=cal.when,
            reason=reason,
            removed=removed,
            organiser=content.organiser_name(dialogue),
        )
        msg = mail.invitation_message(
            to_name=participant.name,
            to_email=participant.email,
            subject=subject,
            text=text,
            html=html,
            ics=cal.ics,
            method=cal.method,
            filename="installd.ics",
            organiser_mailbox=current_app.config["MAIL_ORGANISER_MAILBOX"],
        )
        outbox.queue(
            msg,
            kind=MessageKind.CANCEL,
            dialogue_id=dialogue.id,
            participant_id=participant.id,
            sequence=dialogue.calendar_sequence,
        )
        participant.invited_sequence = dialogue.calendar_sequence
    return len(people)


# --- signal handlers: same transaction, no commit ------------------------------------------------

TIME_FIELDS = {"starts_at", "ends_at", "year"}


def on_rebooked(dialogue: Dialogue, actor=None, changes=None, **_):
    if not invitations_sent(dialogue):
        return
    dialogue.calendar_sequence += 1
    if TIME_FIELDS & set(changes or {}):
        # A new time voids the answers (as calendars reset PARTSTAT): everyone answers again,
        # and a calendar reply to a lower SEQUENCE answered an earlier time.
        dialogue.time_sequence = dialogue.calendar_sequence
        for participant in dialogue.current_participants:
            participant.response = ResponseStatus.NEEDS_ACTION
            participant.response_comment = ""
            participant.responded_at = None
        db.session.execute(
            sa.update(CounterProposal)
            .where(
                CounterProposal.dialogue_id == dialogue.id,
                CounterProposal.status == CounterStatus.OPEN,
            )
            .values(status=CounterStatus.SUPERSEDED, decided_at=now_utc()),
            execution_options={"synchronize_session": False},
        )
    queue_invitations(dialogue, actor=actor)


def on_cancelled(dialogue: Dialogue, actor=None, reason: str = "", **_):
    if not invitations_sent(dialogue):
        return
    dialogue.calendar_sequence += 1
    queue_cancellations(dialogue, dialogue.current_participants, reason=reason)


def on_participants_changed(dialogue: Dialogue, actor=None, added=(), removed=(), **_):
    if not invitations_sent(dialogue):
        return
    removed_invited = [p for p in removed if p.invited_sequence is not None]
    if removed_invited:
        # The attendee list changed for everyone: a higher SEQUENCE, a CANCEL to those removed
        # and the updated REQUEST to those who remain.
        dialogue.calendar_sequence += 1
        queue_cancellations(dialogue, removed_invited, removed=True)
    queue_invitations(dialogue, actor=actor)


def connect_signals() -> None:
    signals.dialogue_rebooked.connect(on_rebooked)
    signals.dialogue_cancelled.connect(on_cancelled)
    signals.participants_changed.connect(on_participants_changed)
