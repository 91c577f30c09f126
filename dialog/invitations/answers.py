"""Personal answer links: signed, expiring, single-use, no login.

A link carries the participant and a random nonce, signed with the app's secret. Using it writes
the nonce to used_answer_token (primary key), so a second use, even a concurrent one, is refused
by the database. Every mail carries a fresh nonce, so an update or a reminder can be answered again.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..extensions import db
from ..models import ContactRole, DialogueStatus, Participant, ResponseStatus
from ..models.base import now_utc
from ..models.invitations import UsedAnswerToken
from ..privacy import PatientDataError, ensure_no_patient_data
from .mail import one_line

SALT = "dialog-answer-link-v1"
DEFAULT_MAX_AGE_DAYS = 120

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


class AnswerLinkError(Exception):
    """The link cannot be used. kind: invalid | expired | used | closed."""

    TITLES = {
        "invalid": "Länken är ogiltig",
        "expired": "Länken har gått ut",
        "used": "Länken är redan använd",
        "closed": "Det går inte längre att svara",
    }
    TEXTS = {
        "invalid": "Länken är felaktig eller har ändrats. Kontrollera att du har kopierat hela "
        "länken från e-postmeddelandet.",
        "expired": "Länken gäller inte längre. Svara med länken i det senaste meddelandet om "
        "dialogen eller kontakta den som kallat till mötet.",
        "used": "Du har redan svarat med den här länken, och en länk kan bara användas en gång. "
        "Kontakta den som kallat till mötet om du vill ändra ditt svar.",
        "closed": "Dialogen är inställd, redan genomförd eller så är du inte längre kallad. "
        "Ingenting har ändrats.",
    }

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind

    @property
    def title(self) -> str:
        return self.TITLES[self.kind]

    @property
    def text(self) -> str:
        return self.TEXTS[self.kind]


class AnswerError(ValueError):
    """The answer itself is not acceptable; the message is Swedish and shown as it is."""


def _serializer() -> URLSafeTimedSerializer:
    cache = current_app.extensions.setdefault("dialog_answer_serializer", {})
    key = current_app.secret_key
    if key not in cache:
        cache.clear()
        cache[key] = URLSafeTimedSerializer(key, salt=SALT)
    return cache[key]


def make_token(participant: Participant) -> str:
    return _serializer().dumps({"p": participant.id, "n": secrets.token_hex(16)})


def answer_links(participant: Participant) -> dict[str, str]:
    token = make_token(participant)
    base = current_app.config["BASE_URL"].rstrip("/") + f"/svar/{token}"
    return {
        "form": base,
        "ja": base + "?svar=ja",
        "nej": base + "?svar=nej",
        "kanske": base + "?svar=kanske",
    }


def max_age_seconds() -> int:
    return int(current_app.config.get("ANSWER_LINK_DAYS", DEFAULT_MAX_AGE_DAYS)) * 86400


def read_token(token: str, *, check_used: bool = True) -> tuple[Participant, str]:
    """The participant and nonce of a link, or AnswerLinkError. Changes nothing."""
    try:
        data = _serializer().loads(token, max_age=max_age_seconds())
    except SignatureExpired:
        raise AnswerLinkError("expired") from None
    except BadSignature:
        raise AnswerLinkError("invalid") from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("p"), int)
        or not isinstance(data.get("n"), str)
    ):
        raise AnswerLinkError("invalid")
    participant = db.session.get(Participant, data["p"])
    if participant is None:
        raise AnswerLinkError("invalid")
    if check_used and db.session.get(UsedAnswerToken, data["n"]) is not None:
        raise AnswerLinkError("used")
    dialogue = participant.dialogue
    if (
        participant.removed_at is not None
        or dialogue.status is not DialogueStatus.PLANNED
        or dialogue.ends_at <= now_utc()
    ):
        raise AnswerLinkError("closed")
    return participant, data["n"]


@dataclass
class StandIn:
    name: str
    email: str
    role: ContactRole


def normalise_email(value: str) -> str:
    value = (value or "").strip()
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise AnswerError(
            f"E-postadressen ”{one_line(value)[:80]}” är inte giltig. "
            "Skriv den som namn@exempel.se."
        ) from None


def parse_stand_in(name: str, email: str, role: str) -> StandIn | None:
    name, email, role = one_line(name), (email or "").strip(), (role or "").strip()
    if not (name or email):
        return None
    if not name or not email:
        raise AnswerError("Ange både namn och e-postadress för ersättaren.")
    if len(name) > 160:
        raise AnswerError("Ersättarens namn får vara högst 160 tecken.")
    try:
        role_value = ContactRole(role)
    except ValueError:
        raise AnswerError("Välj ersättarens roll.") from None
    if role_value not in STAND_IN_ROLES:
        raise AnswerError("Välj ersättarens roll.")
    return StandIn(name=name, email=normalise_email(email), role=role_value)


def answer(
    token: str, response: ResponseStatus, comment: str = "", stand_in: StandIn | None = None
) -> tuple[Participant, Participant | None]:
    """Record an answer through a link. Commits; the link is used up only when it succeeds."""
    from .services import queue_invitations

    participant, nonce = read_token(token)
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise AnswerError("Kommentaren får vara högst 500 tecken.")
    try:
        ensure_no_patient_data(comment, "Kommentar")
    except PatientDataError as error:
        raise AnswerError(str(error)) from None
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
    db.session.commit()
    return participant, substitute
