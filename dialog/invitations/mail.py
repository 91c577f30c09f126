"""Building the e-mails with the standard library's email package: RFC 6047 iMIP invitations
and plain notices, as RFC 5322 bytes with CRLF line ends.

An invitation is multipart/mixed -> multipart/alternative (text/plain, text/html,
text/calendar; method=X; charset=utf-8) plus the same calendar as an .ics attachment, and
carries Content-Class: urn:content-classes:calendarmessage for Outlook. The MIME method always
equals the calendar's METHOD because both come from the same argument here.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from email.charset import QP, Charset
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr, make_msgid
from functools import lru_cache

from flask import current_app

from ..timeutil import now_utc
from .ics import one_line

# email.mime with the compat32 policy writing CRLF, as SMTP wants. EmailMessage with
# policy.SMTP costs about three times as much (its header registry refolds every header), and
# compat32's own folding runs every header through email.header.Header; so the two headers that
# can be long (Subject, To) are encoded and folded here, once, and the policy writes the rest as
# they are (max_line_length=0). Figures: benchmarks/calendar_roundtrip_bench.py.
POLICY = compat32.clone(linesep="\r\n", max_line_length=0)
_FOLD = 76
FROM_NAME = "Patientsäkerhetsdialog SÄBO"
_UTF8_QP = Charset("utf-8")
_UTF8_QP.body_encoding = QP  # readable text bodies; the calendar goes as base64


@dataclass
class BuiltMessage:
    subject: str
    message_id: str
    recipient: str
    raw: bytes


def _domain(address: str) -> str:
    return address.rpartition("@")[2] or "localhost"


def _folded(value: str) -> str:
    """RFC 2047 encoded words where needed, folded at 76 with CRLF + space."""
    return Header(value, "utf-8" if not value.isascii() else "us-ascii").encode(
        linesep="\r\n", maxlinelen=_FOLD
    )


@lru_cache(maxsize=4096)
def _address(name: str, email: str) -> str:
    """A display name (RFC 2047-encoded when not ASCII, quoted when it holds specials) and an
    address stripped of anything that could end the header or add a recipient."""
    email = re.sub(r"[\s<>\"\\,;:()]", "", email or "")
    # One line (a name is at most 160 characters, far below the 998 an e-mail line may hold):
    # folded encoded words in a display name read back with stray spaces in some parsers.
    return formataddr((one_line(name), email), charset="utf-8")


@lru_cache(maxsize=4096)
def _header_text(value: str) -> str:
    return _folded(one_line(value))


def _boundary() -> str:
    # Short enough that "Content-Type: multipart/alternative; boundary=..." stays within 78
    # characters; "=_" cannot occur in quoted-printable or base64 text.
    return "=_" + secrets.token_hex(12)


def _text_parts(text: str, html: str) -> list[MIMEText]:
    return [MIMEText(text, "plain", _UTF8_QP), MIMEText(html, "html", _UTF8_QP)]


def _finish(
    msg: MIMEMultipart,
    *,
    to_name: str,
    to_email: str,
    subject: str,
    reply_to: str | None,
    extra: dict[str, str] | None = None,
) -> BuiltMessage:
    sender = current_app.config["MAIL_SENDER"]
    message_id = make_msgid(domain=_domain(sender))
    msg["From"] = _address(FROM_NAME, sender)
    msg["To"] = _address(to_name, to_email)
    if reply_to:
        msg["Reply-To"] = _address("", reply_to)
    msg["Subject"] = _header_text(subject)
    msg["Date"] = format_datetime(now_utc())
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg["Content-Language"] = "sv"
    for name, value in (extra or {}).items():
        msg[name] = value
    return BuiltMessage(
        subject=one_line(subject)[:300],
        message_id=message_id,
        recipient=to_email,
        raw=msg.as_bytes(policy=POLICY),
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
) -> BuiltMessage:
    """An iMIP message (RFC 6047): the calendar inline and as an attachment."""
    method = method.upper()
    if not re.fullmatch(r"[A-Z]+", method):
        raise ValueError("invalid iTIP method")
    filename = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    calendar_part = MIMEText(ics, "calendar", "utf-8")
    calendar_part.set_param("method", method)
    alternative = MIMEMultipart("alternative", boundary=_boundary(), policy=POLICY)
    for part in [*_text_parts(text, html), calendar_part]:
        alternative.attach(part)
    attachment = MIMEApplication(ics.encode("utf-8"), "ics")
    attachment.add_header("Content-Disposition", "attachment", filename=filename)
    msg = MIMEMultipart("mixed", boundary=_boundary(), policy=POLICY)
    msg.attach(alternative)
    msg.attach(attachment)
    return _finish(
        msg,
        to_name=to_name,
        to_email=to_email,
        subject=subject,
        reply_to=organiser_mailbox,
        extra={"Content-Class": "urn:content-classes:calendarmessage"},
    )


def notice_message(
    *, to_name: str, to_email: str, subject: str, text: str, html: str, reply_to: str | None = None
) -> BuiltMessage:
    msg = MIMEMultipart("alternative", boundary=_boundary(), policy=POLICY)
    for part in _text_parts(text, html):
        msg.attach(part)
    return _finish(msg, to_name=to_name, to_email=to_email, subject=subject, reply_to=reply_to)


def notice_with_attachment(
    *,
    to_name: str,
    to_email: str,
    subject: str,
    text: str,
    html: str,
    filename: str,
    content: bytes,
    mimetype: str,
    reply_to: str | None = None,
) -> BuiltMessage:
    """A notice with a file attached (the minutes as a Word file): multipart/mixed ->
    (multipart/alternative: plain, html) + the file, its name kept exactly (RFC 2231)."""
    alternative = MIMEMultipart("alternative", boundary=_boundary(), policy=POLICY)
    for part in _text_parts(text, html):
        alternative.attach(part)
    maintype, _, subtype = mimetype.partition("/")
    if maintype != "application" or not subtype:
        raise ValueError("attachments are application/* files")
    attachment = MIMEApplication(content, subtype)
    attachment.add_header("Content-Disposition", "attachment", filename=("utf-8", "", filename))
    msg = MIMEMultipart("mixed", boundary=_boundary(), policy=POLICY)
    msg.attach(alternative)
    msg.attach(attachment)
    return _finish(msg, to_name=to_name, to_email=to_email, subject=subject, reply_to=reply_to)
