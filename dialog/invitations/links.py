"""Personal answer links: signed, no login, usable again and again until the meeting starts.

A link carries the participant and a random nonce, signed with the app's secret. The same link
lets its participant change their mind (yes -> no, maybe -> yes) until the dialogue starts; the
answers are kept as history (ResponseEvent). A link stops working when the participant is
removed, the dialogue is cancelled or held, or the meeting has started; the page then names the
organiser and how to reach them. Reading a link changes nothing; `answers.answer` records what
the participant chose.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..extensions import db
from ..models import Contact, ContactRole, Dialogue, DialogueStatus, Participant
from ..timeutil import now_utc

SALT = "dialog-answer-link-v1"
# A link is signed for this long; within it, it works until the meeting starts.
DEFAULT_MAX_AGE_DAYS = 400


class AnswerLinkError(Exception):
    """The link cannot be used. kind: invalid | expired | started | removed | cancelled | held.

    For every kind but invalid the participant is known, and the page names the organiser
    (`organiser`: name and e-mail) so the participant can reach them.
    """

    TITLES = {
        "invalid": "Länken är ogiltig",
        "expired": "Länken har gått ut",
        "started": "Det går inte längre att svara",
        "removed": "Du är inte längre kallad",
        "cancelled": "Dialogen är inställd",
        "held": "Dialogen är redan genomförd",
    }
    TEXTS = {
        "invalid": "Länken är felaktig eller har ändrats. Kontrollera att du har kopierat hela "
        "länken från e-postmeddelandet.",
        "expired": "Länken är för gammal. Svara med länken i det senaste meddelandet om dialogen.",
        "started": "Mötet har redan börjat, så svaret kan inte längre ändras här.",
        "removed": "Den som kallat till mötet har tagit bort dig från deltagarna.",
        "cancelled": "Dialogen är inställd, så det finns inget att svara på.",
        "held": "Dialogen är redan genomförd, så svaret kan inte längre ändras.",
    }

    def __init__(self, kind: str, participant: Participant | None = None):
        super().__init__(kind)
        self.kind = kind
        self.participant = participant

    @property
    def dialogue(self) -> Dialogue | None:
        return self.participant.dialogue if self.participant is not None else None

    @property
    def organiser(self) -> tuple[str, str] | None:
        return organiser_contact(self.dialogue) if self.dialogue is not None else None

    @property
    def title(self) -> str:
        return self.TITLES[self.kind]

    @property
    def text(self) -> str:
        return self.TEXTS[self.kind]


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


def organiser_contact(dialogue: Dialogue) -> tuple[str, str]:
    """Who to turn to about a dialogue: the organising manager, else the home's unit manager,
    else the organiser mailbox."""
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
    if manager is not None:
        return manager.name, manager.email
    return (
        f"Patientsäkerhetsdialog {dialogue.care_home.name}",
        current_app.config["MAIL_ORGANISER_MAILBOX"],
    )


def _participant_of(data) -> Participant | None:
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("p"), int)
        or not isinstance(data.get("n"), str)
    ):
        return None
    return db.session.get(Participant, data["p"])


def read_token(token: str) -> tuple[Participant, str]:
    """The participant and nonce of a link that can be answered now, or AnswerLinkError.
    Changes nothing."""
    serializer = _serializer()
    try:
        data = serializer.loads(token, max_age=max_age_seconds())
    except SignatureExpired:
        # Genuine but old: still ours, so the page can say who to ask.
        _valid, data = serializer.loads_unsafe(token)
        raise AnswerLinkError("expired", _participant_of(data)) from None
    except BadSignature:
        raise AnswerLinkError("invalid") from None
    participant = _participant_of(data)
    if participant is None:
        raise AnswerLinkError("invalid")
    dialogue = participant.dialogue
    if participant.removed_at is not None:
        raise AnswerLinkError("removed", participant)
    if dialogue.status is DialogueStatus.CANCELLED:
        raise AnswerLinkError("cancelled", participant)
    if dialogue.status is not DialogueStatus.PLANNED:
        raise AnswerLinkError("held", participant)
    if dialogue.starts_at <= now_utc():
        raise AnswerLinkError("started", participant)
    return participant, data["n"]
