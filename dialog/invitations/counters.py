"""Proposed new times (iTIP COUNTER) on the dialogue page: the organiser accepts - the dialogue
is rebooked and every participant gets the new time with a higher SEQUENCE - or declines, and
the one who proposed gets a DECLINECOUNTER. Services: they flush, the view commits."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from .. import audit
from ..dialogues import Booking, BookingError, rebook_dialogue
from ..extensions import db
from ..models import Dialogue, DialogueStatus
from ..models.invitations import CounterProposal, CounterStatus, MessageKind, ResponseEvent
from ..timeutil import format_time_range, local, now_utc
from . import content, mail, outbox


def open_counters(dialogue: Dialogue) -> list[CounterProposal]:
    return list(
        db.session.scalars(
            sa.select(CounterProposal)
            .where(
                CounterProposal.dialogue_id == dialogue.id,
                CounterProposal.status == CounterStatus.OPEN,
            )
            .order_by(CounterProposal.id)
        )
    )


def calendar_notes(dialogue: Dialogue) -> dict:
    """What the dialogue page says about calendar replies: dropped comments, answers to an
    earlier time, decided proposals."""
    events = db.session.scalars(
        sa.select(ResponseEvent)
        .where(
            ResponseEvent.dialogue_id == dialogue.id,
            sa.or_(ResponseEvent.comment_dropped, ResponseEvent.earlier_time),
        )
        .order_by(ResponseEvent.id.desc())
        .limit(50)
    ).all()
    dropped_counters = db.session.scalars(
        sa.select(CounterProposal).where(
            CounterProposal.dialogue_id == dialogue.id, CounterProposal.comment_dropped
        )
    ).all()
    return {
        "dropped": [e for e in events if e.comment_dropped],
        "earlier": [e for e in events if e.earlier_time],
        "dropped_counters": dropped_counters,
        "open": open_counters(dialogue),
    }


def _own(dialogue: Dialogue, proposal_id: int) -> CounterProposal:
    proposal = db.session.get(CounterProposal, proposal_id)
    if proposal is None or proposal.dialogue_id != dialogue.id:
        raise LookupError(proposal_id)
    if proposal.status is not CounterStatus.OPEN or dialogue.status is not DialogueStatus.PLANNED:
        raise BookingError("Förslaget är redan besvarat eller inte längre aktuellt.")
    return proposal


def _decided(proposal: CounterProposal, status: CounterStatus, actor) -> None:
    proposal.status = status
    proposal.decided_at = now_utc()
    proposal.decided_by_id = getattr(actor, "id", None)


def accept(dialogue: Dialogue, proposal_id: int, *, actor=None) -> CounterProposal:
    """Rebook to the proposed time: a new SEQUENCE to every participant (by the rebooking)."""
    proposal = _own(dialogue, proposal_id)
    start, end = local(proposal.starts_at), local(proposal.ends_at)
    if start.date() != end.date():
        raise BookingError("Den föreslagna tiden går över midnatt och kan inte bokas här.")
    rebook_dialogue(
        dialogue,
        Booking(
            day=start.date(),
            start=start.time().replace(second=0, microsecond=0),
            end=end.time().replace(second=0, microsecond=0),
            location=dialogue.location,
            video_link=dialogue.video_link,
        ),
        actor=actor,
    )
    _decided(proposal, CounterStatus.ACCEPTED, actor)
    audit.record(
        "godtog föreslagen tid",
        proposal,
        where=dialogue,
        actor=actor,
        summary=format_time_range(proposal.starts_at, proposal.ends_at),
    )
    db.session.flush()
    return proposal


def decline(dialogue: Dialogue, proposal_id: int, *, actor=None) -> CounterProposal:
    """Keep the time; tell the one who proposed with a DECLINECOUNTER (RFC 5546 3.2.8)."""
    proposal = _own(dialogue, proposal_id)
    participant = proposal.participant
    cal = content.decline_counter_calendar(dialogue, participant, proposal.sequence)
    text, html = mail.render_bodies(
        "counter_declined",
        dialogue=dialogue,
        participant=participant,
        when=cal.when,
        proposed=format_time_range(proposal.starts_at, proposal.ends_at),
        organiser=content.organiser_name(dialogue),
    )
    msg = mail.invitation_message(
        to_name=participant.name,
        to_email=participant.email,
        subject=f"Tiden ändras inte: Patientsäkerhetsdialog {dialogue.care_home.name} {cal.when}",
        text=text,
        html=html,
        ics=cal.ics,
        method=cal.method,
        filename="avbojt-forslag.ics",
        organiser_mailbox=current_app.config["MAIL_ORGANISER_MAILBOX"],
    )
    outbox.queue(
        msg,
        kind=MessageKind.DECLINE_COUNTER,
        dialogue_id=dialogue.id,
        participant_id=participant.id,
        sequence=proposal.sequence,
    )
    _decided(proposal, CounterStatus.DECLINED, actor)
    audit.record(
        "avböjde föreslagen tid",
        proposal,
        where=dialogue,
        actor=actor,
        summary=f"{participant.name}: {format_time_range(proposal.starts_at, proposal.ends_at)}",
    )
    db.session.flush()
    return proposal
