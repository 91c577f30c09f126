"""Personal answer links: signed, expiring, no login.

A link carries the participant and a random nonce, signed with the app's secret. Every mail
carries a fresh nonce, so an update or a reminder can be answered again. Reading a link changes
nothing; `answers.answer` records what the participant chose.
"""

from __future__ import annotations

import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..extensions import db
from ..models import DialogueStatus, Participant
from ..models.invitations import UsedAnswerToken
from ..timeutil import now_utc

SALT = "dialog-answer-link-v1"
DEFAULT_MAX_AGE_DAYS = 120


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
