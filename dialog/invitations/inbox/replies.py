"""Applying a calendar's own answer: REPLY, COUNTER and REFRESH (RFC 5546), in the caller's
transaction (the reader commits one message at a time).

Every message first claims its key in inbox_message (unique). A message read twice - a restart,
the same mail twice in the mailbox, or two readers at once on one PostgreSQL - finds the key
taken and changes nothing; the second reader waits on the first's row and then sees it.

Matching: the dialogue by UID, the participant by the ATTENDEE address (case-insensitive), or by
the address an alias makes plain (SENT-BY, or the mail's From). A reply whose sender is neither
the attendee, the one it was sent by, nor the registered participant is ignored. Nothing of a
message's text reaches the log; a comment is stored only when the patient-data guard accepts it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ... import audit
from ...extensions import db
from ...models import Dialogue, DialogueStatus, Participant, ResponseStatus
from ...models.invitations import (
    AnswerSource,
    CounterProposal,
    InboxMessage,
    InboxOutcome,
)
from ...privacy import PatientDataError, ensure_no_patient_data
from ...timeutil import now_utc
from ..answers import AnswerError, add_stand_in, parse_stand_in, record_answer
from ..services import resend_invitation
from .itip import ItipMessage, ReplyAttendee

log = logging.getLogger(__name__)

PARTSTATS = {
    "ACCEPTED": ResponseStatus.ACCEPTED,
    "DECLINED": ResponseStatus.DECLINED,
    "TENTATIVE": ResponseStatus.TENTATIVE,
}
COMMENT_LIMIT = 500


@dataclass
class Applied:
    outcome: InboxOutcome
    inbox_id: int
    dialogue_id: int | None = None


def claim_key(key: str, *, folder: str = "", imap_uid: int | None = None, method: str = ""):
    """Insert the message's row first - before even reading its calendar - so a second reader
    blocks on it and then finds it taken. Returns the row, or None when it was handled before."""
    row = InboxMessage(
        key=key[:250],
        folder=folder[:200],
        imap_uid=imap_uid,
        method=method[:20],
        outcome=InboxOutcome.MALFORMED,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        return None
    return row


def _finish(row: InboxMessage, outcome: InboxOutcome, dialogue=None, participant=None) -> Applied:
    row.outcome = outcome
    row.dialogue_id = dialogue.id if dialogue is not None else None
    row.participant_id = participant.id if participant is not None else None
    db.session.flush()
    if outcome not in (InboxOutcome.APPLIED, InboxOutcome.COUNTER, InboxOutcome.REFRESH):
        # Counted on the outbox page; logged without a word of the message itself.
        log.info("event=inbox_ignored outcome=%s inbox_id=%d", outcome.value, row.id)
    return Applied(outcome, row.id, row.dialogue_id)


def _guarded_comment(text: str) -> tuple[str, bool]:
    """(comment to keep, dropped?). A refused comment is never stored or logged."""
    text = (text or "").strip()
    if not text:
        return "", False
    if len(text) > COMMENT_LIMIT:
        text = text[: COMMENT_LIMIT - 1].rstrip() + "…"
    try:
        ensure_no_patient_data(text, "Kommentar")
    except PatientDataError:
        return "", True
    return text, False


def _pick_attendee(message: ItipMessage) -> ReplyAttendee | None:
    """The one answering: a REPLY should carry one ATTENDEE; some calendars send them all."""
    if len(message.attendees) == 1:
        return message.attendees[0]
    by_sender = [
        a
        for a in message.attendees
        if a.address in message.senders or (a.sent_by and a.sent_by in message.senders)
    ]
    if len(by_sender) == 1:
        return by_sender[0]
    answered = [a for a in message.attendees if a.partstat != "NEEDS-ACTION"]
    return answered[0] if len(answered) == 1 else None


def _participant(dialogue: Dialogue, attendee: ReplyAttendee, senders: set[str]):
    current = {p.email.lower(): p for p in dialogue.current_participants}
    if attendee.address in current:
        return current[attendee.address]
    # An alias: the calendar answered from another address than the one we invited, and the
    # SENT-BY parameter or the mail's From shows it is the registered participant.
    for candidate in (attendee.sent_by, *sorted(senders)):
        if candidate and candidate in current:
            return current[candidate]
    return None


def _sender_ok(message: ItipMessage, attendee: ReplyAttendee, participant: Participant) -> bool:
    allowed = {attendee.address, attendee.sent_by, participant.email.lower()} - {""}
    return bool(message.senders & allowed)


def apply(message: ItipMessage, row: InboxMessage) -> Applied:
    """Apply one iTIP message whose key the caller has claimed (claim_key)."""
    row.method = message.method[:20]
    if message.method not in {"REPLY", "COUNTER", "REFRESH"}:
        return _finish(row, InboxOutcome.UNSUPPORTED)
    dialogue = db.session.scalar(sa.select(Dialogue).where(Dialogue.calendar_uid == message.uid))
    if dialogue is None:
        return _finish(row, InboxOutcome.UNMATCHED)
    if dialogue.status is not DialogueStatus.PLANNED:
        return _finish(row, InboxOutcome.CLOSED, dialogue)
    attendee = _pick_attendee(message)
    participant = _participant(dialogue, attendee, message.senders) if attendee else None
    if participant is None:
        return _finish(row, InboxOutcome.UNMATCHED, dialogue)
    if not _sender_ok(message, attendee, participant):
        return _finish(row, InboxOutcome.WRONG_SENDER, dialogue, participant)
    if message.method == "REFRESH":
        resend_invitation(dialogue, participant)
        return _finish(row, InboxOutcome.REFRESH, dialogue, participant)
    if message.method == "COUNTER":
        return _counter(row, message, dialogue, participant)
    return _reply(row, message, dialogue, participant, attendee)


def _reply(row, message: ItipMessage, dialogue, participant, attendee: ReplyAttendee) -> Applied:
    delegated = attendee.partstat == "DELEGATED" and attendee.delegated_to
    response = ResponseStatus.DECLINED if delegated else PARTSTATS.get(attendee.partstat)
    if response is None:  # NEEDS-ACTION or an unknown status: nothing was answered
        return _finish(row, InboxOutcome.UNSUPPORTED, dialogue, participant)
    comment, dropped = _guarded_comment(message.comment)
    earlier = message.sequence < dialogue.time_sequence
    newer = (
        participant.responded_at is None
        or message.stamp is None
        or message.stamp > participant.responded_at
    )
    record_answer(
        participant,
        response,
        AnswerSource.CALENDAR,
        comment=comment,
        sequence=message.sequence,
        earlier_time=earlier,
        comment_dropped=dropped,
        delegated_to=attendee.delegated_to[0] if delegated else "",
        apply=newer,
        answered_at=min(message.stamp, now_utc()) if message.stamp else None,
    )
    if delegated and not earlier:
        _delegate(participant, attendee.delegated_to[0], message)
    return _finish(row, InboxOutcome.APPLIED, dialogue, participant)


def _delegate(participant: Participant, address: str, message: ItipMessage) -> None:
    """DELEGATED-TO makes the delegate a stand-in, checked like one from the answer form."""
    named = next((a.name for a in message.attendees if a.address == address and a.name), "")
    name = named or address.split("@")[0].replace(".", " ").title()
    try:
        stand_in = parse_stand_in(name, address, participant.role.value)
        if stand_in is not None:
            add_stand_in(participant, stand_in)
    except AnswerError as error:
        # Not allowed as a stand-in (already invited, a role that cannot stand in, a bad
        # address): the answer stands, no one is added.
        log.info("event=inbox_delegate_refused participant_id=%d reason=%s", participant.id, error)


def _counter(row, message: ItipMessage, dialogue, participant) -> Applied:
    if message.start is None or message.end is None or message.end <= message.start:
        return _finish(row, InboxOutcome.UNSUPPORTED, dialogue, participant)
    comment, dropped = _guarded_comment(message.comment)
    proposal = CounterProposal(
        dialogue_id=dialogue.id,
        participant_id=participant.id,
        starts_at=message.start,
        ends_at=message.end,
        sequence=message.sequence,
        comment=comment,
        comment_dropped=dropped,
    )
    db.session.add(proposal)
    db.session.flush()
    audit.record(
        "föreslog ny tid",
        proposal,
        where=dialogue,
        summary=f"{participant.name} (kalendersvar)",
        changes={"starts_at": [None, message.start.isoformat()]},
    )
    return _finish(row, InboxOutcome.COUNTER, dialogue, participant)
