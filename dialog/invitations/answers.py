"""Answering through a personal link (see links.py): single-use, with comment and stand-in.

Using a link writes its nonce to used_answer_token (primary key), so a second use, even a
concurrent one, is refused by the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from .. import audit, emails
from ..extensions import db
from ..models import ContactRole, Participant, ResponseStatus
from ..models.invitations import UsedAnswerToken
from ..privacy import PatientDataError, ensure_no_patient_data
from ..timeutil import now_utc
from .links import AnswerLinkError, read_token
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


def answer(
    token: str, response: ResponseStatus, comment: str = "", stand_in: StandIn | None = None
) -> tuple[Participant, Participant | None]:
    """Record an answer through a link; the link is used up only when the edge commits."""
    participant, nonce = read_token(token)
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise AnswerError("Kommentaren får vara högst 500 tecken.")
    try:
        ensure_no_patient_data(comment, "Kommentar")
    except PatientDataError as error:
        raise AnswerError(error.safe_message) from None
    if stand_in is not None and response is ResponseStatus.ACCEPTED:
        raise AnswerError("En ersättare anger du bara när du inte kan komma (Nej eller Kanske).")
    if stand_in is not None and stand_in.email.lower() in {
        p.email.lower() for p in participant.dialogue.current_participants
    }:
        raise AnswerError("Ersättaren är redan kallad till dialogen.")
    try:
        with db.session.begin_nested():
            db.session.add(UsedAnswerToken(nonce=nonce, participant_id=participant.id))
            db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise AnswerLinkError("used") from None
    before = audit.snapshot(participant, ["response", "response_comment"])
    participant.response = response
    participant.response_comment = comment
    participant.responded_at = now_utc()
    audit.record(
        "svarade på kallelse",
        participant,
        where=participant.dialogue,
        summary=f"{participant.name}: {response.label}",
        changes=audit.changes_between(
            before, audit.snapshot(participant, ["response", "response_comment"])
        ),
    )
    substitute = None
    if stand_in is not None:
        dialogue = participant.dialogue
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
    return participant, substitute
