"""Recording answers: through a personal link (links.py) or a calendar's own reply (replies.py).

A link can be used again until the meeting starts, so a participant can change their mind;
every answer is kept as a ResponseEvent (the history) and the participant row holds the answer
that counts. Comments pass the patient-data guard; stand-ins are checked the same way whether
they came from the answer form or a calendar's DELEGATED-TO.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .. import audit, emails
from ..extensions import db
from ..models import ContactRole, Participant, ResponseStatus
from ..models.invitations import AnswerSource, ResponseEvent
from ..privacy import PatientDataError, ensure_no_patient_data
from ..timeutil import now_utc
from .links import read_token
from .mail import one_line
from .services import queue_invitations

ANSWER_CODES = {
    "ja": ResponseStatus.ACCEPTED,
    "nej": ResponseStatus.DECLINED,
    "kanske": ResponseStatus.TENTATIVE,
}
STAND_IN_ROLES = [
    r
    for r in ContactRole
    if r not in {ContactRole.MAS, ContactRole.MAR, ContactRole.CHIEF_PHYSICIAN}
]


class AnswerError(ValueError):
    """The answer itself is not acceptable; the message is Swedish and shown as it is."""


@dataclass
class StandIn:
    name: str
    email: str
    role: ContactRole


def _stand_in_email(value: str) -> str:
    try:
        return emails.normalise_email(value)
    except emails.InvalidEmailError as error:
        raise AnswerError(str(error)) from None


def parse_stand_in(name: str, email: str, role: str) -> StandIn | None:
    name, email, role = one_line(name), (email or "").strip(), (role or "").strip()
    if not (name or email):
        return None
    if not name or not email:
        raise AnswerError("Ange både namn och e-postadress för ersättaren.")
    if len(name) > 160:
        raise AnswerError("Ersättarens namn får vara högst 160 tecken.")
    try:
        # A staff member's name passes; an identity number, age, room or patient word does not.
        ensure_no_patient_data(name, "Ersättarens namn", mode="name")
    except PatientDataError as error:
        raise AnswerError(error.safe_message) from None
    try:
        role_value = ContactRole(role)
    except ValueError:
        raise AnswerError("Välj ersättarens roll.") from None
    if role_value not in STAND_IN_ROLES:
        raise AnswerError("Välj ersättarens roll.")
    return StandIn(name=name, email=_stand_in_email(email), role=role_value)


def _check_comment(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise AnswerError("Kommentaren får vara högst 500 tecken.")
    try:
        ensure_no_patient_data(comment, "Kommentar")
    except PatientDataError as error:
        raise AnswerError(error.safe_message) from None
    return comment


def own_participation(dialogue, user) -> Participant | None:
    """The logged-in user's own place in the dialogue: the current participant with their
    e-mail address (a health-centre manager, a unit manager) or None."""
    email = (getattr(user, "email", "") or "").strip().lower()
    if not email:
        return None
    return next((p for p in dialogue.current_participants if p.email.lower() == email), None)


def open_invitations(user) -> list[Participant]:
    """Planned dialogues the user is invited to (by e-mail address) and has not answered."""
    import sqlalchemy as sa

    from ..models import Dialogue, DialogueStatus

    email = (getattr(user, "email", "") or "").strip().lower()
    if not email:
        return []
    return list(
        db.session.scalars(
            sa.select(Participant)
            .join(Dialogue, Participant.dialogue_id == Dialogue.id)
            .where(
                sa.func.lower(Participant.email) == email,
                Participant.removed_at.is_(None),
                Participant.response == ResponseStatus.NEEDS_ACTION,
                Dialogue.status == DialogueStatus.PLANNED,
                Dialogue.starts_at > now_utc(),
            )
            .order_by(Dialogue.starts_at)
        )
    )


def answer_in_app(participant: Participant, response: ResponseStatus, comment: str, *, actor):
    """A logged-in participant answers their own invitation on the dialogue page."""
    from ..models import DialogueStatus

    if participant.dialogue.status is not DialogueStatus.PLANNED:
        raise AnswerError("Dialogen är inte längre planerad; svaret kan inte ändras.")
    record_answer(
        participant, response, AnswerSource.APP, comment=_check_comment(comment), actor=actor
    )
    return participant


def record_answer(
    participant: Participant,
    response: ResponseStatus,
    source: AnswerSource,
    *,
    comment: str = "",
    sequence: int | None = None,
    earlier_time: bool = False,
    comment_dropped: bool = False,
    delegated_to: str = "",
    apply: bool = True,
    answered_at: datetime | None = None,
    actor=None,
) -> ResponseEvent:
    """Keep the answer in the history and, unless it answered an earlier time (or is older
    than the answer already recorded: apply=False), make it the participant's answer. The
    comment has passed the patient-data guard already."""
    event = ResponseEvent(
        dialogue_id=participant.dialogue_id,
        participant_id=participant.id,
        response=response,
        source=source,
        sequence=sequence,
        earlier_time=earlier_time,
        comment=comment,
        comment_dropped=comment_dropped,
        delegated_to=delegated_to,
    )
    db.session.add(event)
    if earlier_time or not apply:
        audit.record(
            "svarade på en tidigare tid" if earlier_time else "skickade ett äldre svar",
            participant,
            where=participant.dialogue,
            actor=actor,
            summary=f"{participant.name}: {response.label} ({source.label.lower()}, "
            f"SEQUENCE {sequence})",
            changes={"response": [None, response.value], "sequence": [None, sequence]},
        )
        return event
    before = audit.snapshot(participant, ["response", "response_comment"])
    participant.response = response
    participant.response_comment = comment
    participant.responded_at = answered_at or now_utc()
    audit.record(
        "svarade på kallelse",
        participant,
        where=participant.dialogue,
        actor=actor,
        summary=f"{participant.name}: {response.label} ({source.label.lower()})",
        changes=audit.changes_between(
            before, audit.snapshot(participant, ["response", "response_comment"])
        ),
    )
    return event


def add_stand_in(participant: Participant, stand_in: StandIn) -> Participant:
    """Invite a stand-in in the participant's place; raises AnswerError when not allowed."""
    dialogue = participant.dialogue
    if stand_in.email.lower() in {p.email.lower() for p in dialogue.current_participants}:
        raise AnswerError("Ersättaren är redan kallad till dialogen.")
    substitute = Participant(
        name=stand_in.name,
        email=stand_in.email,
        role=stand_in.role,
        side=participant.side,
        stand_in_for=participant,
    )
    dialogue.participants.append(substitute)
    db.session.flush()
    audit.record(
        "lade till ersättare",
        substitute,
        where=dialogue,
        summary=f"{stand_in.name} för {participant.name}",
        changes={"stand_in": [None, stand_in.name], "role": [None, stand_in.role.value]},
    )
    queue_invitations(dialogue, only=[substitute])
    return substitute


def answer(
    token: str, response: ResponseStatus, comment: str = "", stand_in: StandIn | None = None
) -> tuple[Participant, Participant | None]:
    """Record an answer through a link (the edge commits). The link keeps working, so the
    participant can change their mind until the meeting starts."""
    participant, _nonce = read_token(token)
    comment = _check_comment(comment)
    if stand_in is not None and response is ResponseStatus.ACCEPTED:
        raise AnswerError("En ersättare anger du bara när du inte kan komma (Nej eller Kanske).")
    substitute = add_stand_in(participant, stand_in) if stand_in is not None else None
    record_answer(participant, response, AnswerSource.LINK, comment=comment)
    return participant, substitute


def history(participant: Participant) -> list[ResponseEvent]:
    return list(
        db.session.scalars(
            db.select(ResponseEvent)
            .where(ResponseEvent.participant_id == participant.id)
            .order_by(ResponseEvent.id.desc())
        )
    )
