"""Optimistic locking of a dialogue: two people editing the same dialogue never silently
overwrite each other.

`Dialogue.version` is SQLAlchemy's version counter: every UPDATE of the dialogue row says
`WHERE version = <the version read>`. A form carries the version it was drawn from
(`check_version` refuses a form drawn from an older one); a change to anything that belongs to
the dialogue bumps the version (`flush_change`), and when two transactions race, the second
flush matches no row and becomes `StaleDialogueError`.
"""

from __future__ import annotations

from sqlalchemy.orm.exc import StaleDataError

from .extensions import db
from .timeutil import now_utc

STALE_MESSAGE = (
    "Dialogen har ändrats av någon annan sedan du öppnade sidan. "
    "Ladda om sidan och gör ändringen igen."
)


class StaleDialogueError(ValueError):
    """The dialogue changed since the user read it; the message is Swedish and shown as it is."""

    def __init__(self, message: str = STALE_MESSAGE):
        super().__init__(message)


def form_version(value) -> int | None:
    """The version a form carries: None when it carries none (no check), else a number; one no
    column can hold becomes 0, a version no dialogue has, so the form is refused as stale."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if abs(number) < 2**31 else 0


def check_version(dialogue, expected_version: int | None) -> None:
    """Refuse a change drawn from an older version of the dialogue (None: no form version)."""
    if expected_version is not None and expected_version != dialogue.version:
        raise StaleDialogueError()


def flush_change(dialogue) -> None:
    """Bump the dialogue's version with the pending change and flush; a lost race is refused."""
    dialogue.updated_at = now_utc()
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise StaleDialogueError() from None
