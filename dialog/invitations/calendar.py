"""iCalendar (RFC 5545/5546) for dialogues, written by hand so every byte is ours.

Why not icalendar's own serialisation of zoneinfo times: it adds a VTIMEZONE made of a long RDATE
list, which ical.js (Thunderbird) and vobject read one hour wrong in summer. We write the classic
RRULE-based Europe/Stockholm definition (EU rules since 1996) that Outlook, Google, Apple,
libical, ical.js and vobject all resolve the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from ..timeutil import STOCKHOLM, as_utc

PRODID = "-//Patientsäkerhetsdialog SÄBO//Kallelser//SV"
TZID = "Europe/Stockholm"

VTIMEZONE_LINES = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PARAM_UNSAFE = re.compile(r'[\x00-\x1f\x7f"]')

ROLE_CHAIR = "CHAIR"
ROLE_REQUIRED = "REQ-PARTICIPANT"
ROLE_OPTIONAL = "OPT-PARTICIPANT"


@dataclass
class Attendee:
    name: str
    email: str
    role: str = ROLE_REQUIRED
    partstat: str = "NEEDS-ACTION"
    rsvp: bool = True


@dataclass
class Event:
    uid: str
    sequence: int
    start: datetime
    end: datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    organizer_name: str = ""
    organizer_email: str = ""
    attendees: list[Attendee] | None = None
    status: str = "CONFIRMED"  # CONFIRMED | CANCELLED
    alarm_minutes: int | None = 60 * 24
    stamp: datetime | None = None


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub(" ", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def param_value(value: str) -> str:
    """A parameter value (CN=...): always quoted; DQUOTE and control characters cannot occur."""
    value = _PARAM_UNSAFE.sub(lambda m: "'" if m.group(0) == '"' else " ", value or "")
    return '"' + " ".join(value.split()) + '"'


def mailto(email: str) -> str:
    # Addresses are validated at entry; this only stops anything that could break the line.
    return "mailto:" + re.sub(r"[\s;,:\"<>\\]", "", email or "")


def split_utf8(data: bytes, first: int, rest: int) -> list[bytes]:
    """Cut UTF-8 bytes into pieces of at most first, then rest, bytes, never inside a character."""
    parts, start, limit = [], 0, first
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a continuation byte: step back to the character start
            end -= 1
        parts.append(data[start:end])
        start, limit = end, rest
    parts.append(data[start:])
    return parts


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    # continuation lines start with a space, so they carry 74 octets of content
    return b"\r\n ".join(split_utf8(data, 75, 74)).decode("utf-8")


def utc_stamp(value: datetime) -> str:
    return as_utc(value).strftime("%Y%m%dT%H%M%SZ")


def local_stamp(value: datetime) -> str:
    return as_utc(value).astimezone(STOCKHOLM).strftime("%Y%m%dT%H%M%S")


def is_ambiguous(value: datetime) -> bool:
    """True in the repeated hour of the autumn change (02.00-03.00 occurs twice)."""
    local = as_utc(value).astimezone(STOCKHOLM)
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def datetime_property(name: str, value: datetime) -> str:
    """DTSTART/DTEND in Stockholm time; a wall-clock time that occurs twice (the repeated hour
    in October) is written in UTC instead, since parsers disagree on which one is meant."""
    if is_ambiguous(value):
        return f"{name}:{utc_stamp(value)}"
    return f"{name};TZID={TZID}:{local_stamp(value)}"


def event_lines(event: Event) -> list[str]:
    stamp = event.stamp or datetime.now(UTC)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"SEQUENCE:{int(event.sequence)}",
        f"DTSTAMP:{utc_stamp(stamp)}",
        datetime_property("DTSTART", event.start),
        datetime_property("DTEND", event.end),
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL:{escape_text(event.url)}")
    lines.append(f"STATUS:{event.status}")
    lines.append("TRANSP:OPAQUE")
    if event.organizer_email:
        lines.append(
            f"ORGANIZER;CN={param_value(event.organizer_name)}:{mailto(event.organizer_email)}"
        )
    for a in event.attendees or []:
        lines.append(
            f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE={a.role};PARTSTAT={a.partstat};"
            f"RSVP={'TRUE' if a.rsvp else 'FALSE'};CN={param_value(a.name)}:{mailto(a.email)}"
        )
    if event.alarm_minutes and event.status != "CANCELLED":
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape_text(event.summary)}",
            f"TRIGGER:-PT{int(event.alarm_minutes)}M",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def calendar(events: list[Event], method: str | None = None, name: str | None = None) -> str:
    """A VCALENDAR with our VTIMEZONE. method is REQUEST or CANCEL for mail, None for a feed."""
    lines = ["BEGIN:VCALENDAR", f"PRODID:{PRODID}", "VERSION:2.0", "CALSCALE:GREGORIAN"]
    if method:
        lines.append(f"METHOD:{method}")
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
        lines.append(f"X-WR-TIMEZONE:{TZID}")
    if events:
        lines += VTIMEZONE_LINES
    for event in events:
        lines += event_lines(event)
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
