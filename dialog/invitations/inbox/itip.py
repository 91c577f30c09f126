"""Reading one e-mail as an iTIP message (RFC 5546 over RFC 6047 iMIP).

Calendars put the calendar in different places: Outlook as text/calendar; method=REPLY inside
multipart/alternative (often without VTIMEZONE, or with Windows zone names), Google inline and
again as an invite.ics attachment, Apple as an iCal-*.ics attachment without a method parameter,
Thunderbird inline and as application/ics. We take the first part that is a calendar, prefer one
that names its method, and read it with icalendar.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes
from email.message import Message
from email.policy import compat32
from email.utils import getaddresses

import icalendar

from ...timeutil import STOCKHOLM, as_utc


class MalformedMessage(ValueError):
    """A calendar message we cannot read; the text is never shown or logged."""


@dataclass
class ReplyAttendee:
    address: str
    partstat: str
    name: str = ""
    sent_by: str = ""
    delegated_to: list[str] = field(default_factory=list)
    delegated_from: list[str] = field(default_factory=list)


@dataclass
class ItipMessage:
    key: str
    method: str
    uid: str = ""
    sequence: int = 0
    stamp: datetime | None = None
    start: datetime | None = None
    end: datetime | None = None
    comment: str = ""
    attendees: list[ReplyAttendee] = field(default_factory=list)
    senders: set[str] = field(default_factory=set)


def address_of(value) -> str:
    """'mailto:Anna@Example.org' -> 'anna@example.org' (case-insensitive comparison)."""
    text = str(value or "").strip().strip('"')
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower()


def message_key(msg: Message, raw: bytes) -> str:
    """The Message-ID, or a hash of the whole message when it has none."""
    message_id = re.sub(r"\s+", "", str(msg.get("Message-ID") or ""))
    if message_id and len(message_id) <= 240:
        return "mid:" + message_id
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _calendar_parts(msg: Message) -> list[tuple[bool, Message]]:
    found = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        filename = (part.get_filename() or "").lower()
        if ctype in {"text/calendar", "application/ics"} or filename.endswith(".ics"):
            found.append((bool(part.get_param("method")), part))
    # A part that names its method first (RFC 6047 asks for it on the inline part).
    return sorted(found, key=lambda item: not item[0])


def _text_of(part: Message) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return payload.decode("utf-8", "replace")


def _list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _addresses(param) -> list[str]:
    """DELEGATED-TO/-FROM: one or more quoted cal-addresses, as icalendar hands them over."""
    values = param if isinstance(param, list) else [param] if param else []
    out = []
    for value in values:
        out += [address_of(v) for v in str(value).split(",") if address_of(v)]
    return out


def _instant(event, name: str) -> datetime | None:
    if event.get(name) is None:
        return None
    value = event.decoded(name)
    if not isinstance(value, datetime):
        raise MalformedMessage(f"{name} is not a date-time")
    if value.tzinfo is None:  # floating, or a zone nobody described: read as Stockholm time
        value = value.replace(tzinfo=STOCKHOLM)
    return as_utc(value)


def _senders(msg: Message) -> set[str]:
    headers = [str(v) for name in ("From", "Sender") for v in msg.get_all(name, [])]
    return {address_of(addr) for _name, addr in getaddresses(headers) if addr}


@dataclass
class CalendarMail:
    """An e-mail with a calendar part, its calendar not yet read (that is the costly step)."""

    raw: bytes
    msg: Message
    part: Message
    has_method: bool

    @property
    def key(self) -> str:
        return message_key(self.msg, self.raw)


def calendar_mail(raw: bytes) -> CalendarMail | None:
    """The mail's calendar part, None when it has none (a letter for the people who read the
    mailbox). Only the MIME structure is read here."""
    try:
        msg = message_from_bytes(raw, policy=compat32)
        parts = _calendar_parts(msg)
    except Exception:
        return None  # not even a readable e-mail: nothing of ours
    if not parts:
        return None
    has_method, part = parts[0]
    return CalendarMail(raw, msg, part, has_method)


def parse(raw: bytes) -> ItipMessage | None:
    """The iTIP message in an e-mail, None when the mail carries no calendar at all.

    Raises MalformedMessage when it carries one we cannot read.
    """
    mail = calendar_mail(raw)
    return read_calendar(mail) if mail is not None else None


def read_calendar(mail: CalendarMail) -> ItipMessage:
    """Read the calendar of a calendar mail; raises MalformedMessage when it cannot."""
    msg, part, has_method, key = mail.msg, mail.part, mail.has_method, mail.key
    try:
        cal = icalendar.Calendar.from_ical(_text_of(part))
        events = cal.walk("VEVENT")
        if not events:
            raise MalformedMessage("no VEVENT")
        event = events[0]
        method = str(cal.get("method") or (part.get_param("method") if has_method else "") or "")
        uid = str(event.get("uid") or "").strip()
        if not uid:
            raise MalformedMessage("no UID")
        sequence = int(event.get("sequence") or 0)
        stamp = _instant(event, "dtstamp")
        start, end = _instant(event, "dtstart"), _instant(event, "dtend")
        if start is not None and end is None and event.get("duration") is not None:
            end = start + event.decoded("duration")
        comment = "\n".join(str(c) for c in _list(event.get("comment"))).strip()
        attendees = []
        for prop in _list(event.get("attendee")):
            params = prop.params
            attendees.append(
                ReplyAttendee(
                    address=address_of(prop),
                    partstat=str(params.get("PARTSTAT") or "NEEDS-ACTION").upper(),
                    name=str(params.get("CN") or ""),
                    sent_by=address_of(params.get("SENT-BY")),
                    delegated_to=_addresses(params.get("DELEGATED-TO")),
                    delegated_from=_addresses(params.get("DELEGATED-FROM")),
                )
            )
    except MalformedMessage:
        raise
    except Exception as error:  # icalendar's many ways of saying "cannot read this"
        raise MalformedMessage(type(error).__name__) from None
    return ItipMessage(
        key=key,
        method=method.strip().upper(),
        uid=uid,
        sequence=sequence,
        stamp=stamp,
        start=start,
        end=end,
        comment=comment,
        attendees=attendees,
        senders=_senders(msg),
    )
