"""Building the e-mails: RFC 6047 iMIP invitations and plain notices, as RFC 5322 bytes.

An invitation is multipart/mixed -> multipart/alternative (text/plain, text/html,
text/calendar; method=X; charset=UTF-8) plus the same calendar as an .ics attachment. The MIME
method always equals the calendar's METHOD because both come from the same argument here.

The MIME is written directly rather than through email.message.EmailMessage: the standard
library's modern header policy spends some 30 ms per message refolding headers, which would make
building a county's invitations slower than sending them. Headers use the standard library's
own RFC 2047 encoded words and addresses the standard library's quoting (email.utils.formataddr); the
tests parse every kind of message we build with the standard library's parser.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from dataclasses import dataclass
from email.utils import format_datetime, formataddr, make_msgid
from functools import lru_cache

from flask import current_app

from ..timeutil import now_utc
from .calendar import split_utf8

_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CRLF = "\r\n"


def one_line(value: str | None) -> str:
    """Names and subjects on one line: line breaks and control characters cannot reach a header."""
    return _WHITESPACE.sub(" ", _CONTROL.sub(" ", value or "")).strip()


@dataclass
class BuiltMessage:
    subject: str
    message_id: str
    recipient: str
    raw: bytes


def _domain(address: str) -> str:
    return address.rpartition("@")[2] or "localhost"


@lru_cache(maxsize=256)
def encoded_words(value: str) -> str:
    """RFC 2047 'B' encoded words of at most 75 characters, split between characters."""
    # 45 bytes -> 60 base64 characters + 12 of framing
    words = split_utf8(value.encode("utf-8"), 45, 45)
    return (CRLF + " ").join(
        "=?utf-8?b?" + base64.b64encode(w).decode("ascii") + "?=" for w in words
    )


def _encode_header_text(value: str) -> str:
    value = one_line(value)
    if value.isascii() and len(value) < 900:
        return value
    return encoded_words(value)


def _address(name: str, email: str) -> str:
    email = re.sub(r"[\s<>\"\\,;:()]", "", email or "")
    name = one_line(name)
    if not name:
        return email
    if name.isascii():
        return formataddr((name, email))  # quotes commas, quotes and other specials
    return f"{encoded_words(name)} <{email}>"


def _headers(
    *, to_name: str, to_email: str, subject: str, reply_to: str | None, from_name: str
) -> tuple[list[str], str]:
    sender = current_app.config["MAIL_SENDER"]
    message_id = make_msgid(domain=_domain(sender))
    lines = [
        f"From: {_address(from_name, sender)}",
        f"To: {_address(to_name, to_email)}",
    ]
    if reply_to:
        lines.append(f"Reply-To: {_address('', reply_to)}")
    lines += [
        f"Subject: {_encode_header_text(subject)}",
        f"Date: {format_datetime(now_utc())}",
        f"Message-ID: {message_id}",
        "Auto-Submitted: auto-generated",
        "Content-Language: sv",
        "MIME-Version: 1.0",
    ]
    return lines, message_id


def _boundary() -> str:
    # "=_" cannot occur in quoted-printable or base64 output, so the boundary never collides.
    return "=_" + secrets.token_hex(16)


def _qp(text: str) -> str:
    """Quoted-printable with CRLF line ends (binascii's C encoder: soft breaks at 76)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    encoded = binascii.b2a_qp(text.encode("utf-8"), quotetabs=False, istext=True, header=False)
    return encoded.decode("ascii").replace("\n", CRLF)


def b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii").replace("\n", CRLF)


def _text_parts(text: str, html: str) -> list[str]:
    return [
        'Content-Type: text/plain; charset="utf-8"'
        + CRLF
        + "Content-Transfer-Encoding: quoted-printable"
        + CRLF
        + CRLF
        + _qp(text),
        'Content-Type: text/html; charset="utf-8"'
        + CRLF
        + "Content-Transfer-Encoding: quoted-printable"
        + CRLF
        + CRLF
        + _qp(html),
    ]


def _multipart(subtype: str, parts: list[str]) -> str:
    boundary = _boundary()
    body = "".join(f"--{boundary}{CRLF}{part}{CRLF}" for part in parts)
    return (
        f'Content-Type: multipart/{subtype}; boundary="{boundary}"{CRLF}{CRLF}'
        f"{body}--{boundary}--{CRLF}"
    )


def _finish(
    headers: list[str], body: str, subject: str, message_id: str, recipient: str
) -> BuiltMessage:
    raw = (CRLF.join(headers) + CRLF + body).encode("ascii")
    return BuiltMessage(
        subject=one_line(subject)[:300], message_id=message_id, recipient=recipient, raw=raw
    )


def render_bodies(template: str, **context) -> tuple[str, str]:
    """Plain Jinja rendering: no request context processors, so it works in the worker too."""
    env = current_app.jinja_env
    text = env.get_template(f"invitations/mail/{template}.txt").render(**context)
    html = env.get_template(f"invitations/mail/{template}.html").render(**context)
    return text, html


def invitation_message(
    *,
    to_name: str,
    to_email: str,
    subject: str,
    text: str,
    html: str,
    ics: str,
    method: str,
    organiser_mailbox: str,
    filename: str = "kallelse.ics",
    ics_base64: str | None = None,
) -> BuiltMessage:
    """ics_base64 lets a caller encode one dialogue's calendar once for all its recipients."""
    method = method.upper()
    if not re.fullmatch(r"[A-Z]+", method):
        raise ValueError("invalid iTIP method")
    filename = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    encoded = ics_base64 if ics_base64 is not None else b64(ics.encode("utf-8"))
    headers, message_id = _headers(
        to_name=to_name,
        to_email=to_email,
        subject=subject,
        reply_to=organiser_mailbox,
        from_name="Patientsäkerhetsdialog SÄBO",
    )
    calendar_part = (
        f'Content-Type: text/calendar; method={method}; charset="UTF-8"{CRLF}'
        f"Content-Transfer-Encoding: base64{CRLF}{CRLF}{encoded}"
    )
    attachment = (
        f'Content-Type: application/ics; name="{filename}"{CRLF}'
        f'Content-Disposition: attachment; filename="{filename}"{CRLF}'
        f"Content-Transfer-Encoding: base64{CRLF}{CRLF}{encoded}"
    )
    alternative = _multipart("alternative", _text_parts(text, html) + [calendar_part])
    body = _multipart("mixed", [alternative, attachment])
    return _finish(headers, body, subject, message_id, to_email)


def notice_message(
    *, to_name: str, to_email: str, subject: str, text: str, html: str, reply_to: str | None = None
) -> BuiltMessage:
    headers, message_id = _headers(
        to_name=to_name,
        to_email=to_email,
        subject=subject,
        reply_to=reply_to,
        from_name="Patientsäkerhetsdialog SÄBO",
    )
    body = _multipart("alternative", _text_parts(text, html))
    return _finish(headers, body, subject, message_id, to_email)
