"""E-mail addresses: the one way an address typed by anyone is checked and stored."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email


class InvalidEmailError(ValueError):
    """The address is not valid; the message is Swedish and shown as it is."""


def normalise_email(value: str | None) -> str:
    """A checked address in its normal form, lower-cased so that lookups need no lower()."""
    value = " ".join((value or "").split())
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        shown = value[:80]
        raise InvalidEmailError(
            f"E-postadressen ”{shown}” är inte giltig. Skriv den som namn@exempel.se."
        ) from None
