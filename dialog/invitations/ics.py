"""iCalendar (RFC 5545/5546) for dialogues, built with icalendar's own component classes.

The one thing not left to icalendar is the time zone: its zoneinfo-based VTIMEZONE is a long
RDATE list that ical.js (Thunderbird) and vobject read one hour wrong in summer. We build the
classic RRULE-based Europe/Stockholm definition (EU rules since 1996) from icalendar's
Timezone components instead; Outlook, Google, Apple, libical, ical.js and vobject all resolve
it the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import icalendar

from ..timeutil import STOCKHOLM, as_utc

PRODID = "-//Patientsäkerhetsdialog SÄBO//Kallelser//SV"
TZID = "Europe/Stockholm"

ROLE_CHAIR = "CHAIR"
ROLE_REQUIRED = "REQ-PARTICIPANT"
ROLE_OPTIONAL = "OPT-PARTICIPANT"

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WHITESPACE = re.compile(r"\s+")
# Characters a URI may carry as they are (RFC 3986 reserved and unreserved, and '%').
_URI_SAFE = ":/?#[]@!$&'()*+,;=-._~%"


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
    start: datetime | None = None
    end: datetime | None = None
    summary: str = ""
    location: str = ""
    description: str = ""
    url: str = ""
    organizer_name: str = ""
    organizer_email: str = ""
    attendees: list[Attendee] | None = None
    # CONFIRMED, CANCELLED (the whole event is called off) or None: no STATUS at all, as
    # RFC 5546 3.2.5 requires for a CANCEL that uninvites some attendees.
    status: str | None = "CONFIRMED"
    alarm_minutes: int | None = 60 * 24
    stamp: datetime | None = None
    comment: str = ""


def clean_text(value: str | None) -> str:
    """TEXT values: normalised line breaks, no control characters (icalendar escapes the rest)."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub(" ", value)


def one_line(value: str | None) -> str:
    return _WHITESPACE.sub(" ", clean_text(value)).strip()


def uri(value: str) -> str:
    """A URI value (RFC 5545 3.3.13): never TEXT-escaped; spaces and non-ASCII percent-encoded."""
    return quote(one_line(value), safe=_URI_SAFE)


def mailto(email: str) -> str:
    # Addresses are validated at entry; this only stops anything that could break the value.
    return "mailto:" + re.sub(r"[\s;,:\"<>\\]", "", email or "")


def is_ambiguous(value: datetime) -> bool:
    """True in the repeated hour of the autumn change (02.00-03.00 occurs twice)."""
    local = as_utc(value).astimezone(STOCKHOLM)
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def _when(value: datetime) -> datetime:
    """Stockholm wall-clock time; a time that occurs twice (the repeated hour in October) is
    written in UTC instead, since parsers disagree on which of the two is meant."""
    value = as_utc(value)
    if is_ambiguous(value):
        return value
    return value.astimezone(STOCKHOLM)


def _observance(kind, name: str, start: datetime, month: int, before: int, after: int):
    part = kind()
    part.add("tzoffsetfrom", timedelta(hours=before))
    part.add("tzoffsetto", timedelta(hours=after))
    part.add("tzname", name)
    part.add("dtstart", start)
    part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
    return part


def stockholm_timezone() -> icalendar.Timezone:
    """The fixed, RRULE-based VTIMEZONE: last Sunday of March and of October."""
    zone = icalendar.Timezone()
    zone.add("tzid", TZID)
    zone.add_component(
        _observance(icalendar.TimezoneDaylight, "CEST", datetime(1970, 3, 29, 2), 3, 1, 2)
    )
    zone.add_component(
        _observance(icalendar.TimezoneStandard, "CET", datetime(1970, 10, 25, 3), 10, 2, 1)
    )
    return zone


def _address(email: str, name: str, **params) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(mailto(email))
    for key, value in params.items():
        address.params[key.replace("_", "-")] = value
    if name and one_line(name):
        # icalendar quotes the value and writes a double quote as ^' (RFC 6868).
        address.params["CN"] = one_line(name)
    return address


def build_event(event: Event) -> icalendar.Event:
    ev = icalendar.Event()
    ev.add("uid", one_line(event.uid))
    ev.add("sequence", int(event.sequence))
    ev.add("dtstamp", as_utc(event.stamp or datetime.now(UTC)))
    if event.start is not None:
        ev.add("dtstart", _when(event.start))
    if event.end is not None:
        ev.add("dtend", _when(event.end))
    if event.summary:
        ev.add("summary", clean_text(event.summary))
    if event.location:
        ev.add("location", clean_text(event.location))
    if event.description:
        ev.add("description", clean_text(event.description))
    if event.url:
        ev.add("url", icalendar.vUri(uri(event.url)))
    if event.comment:
        ev.add("comment", clean_text(event.comment))
    if event.status:
        ev.add("status", event.status)
    if event.start is not None:
        ev.add("transp", "OPAQUE")
    if event.organizer_email:
        ev.add("organizer", _address(event.organizer_email, event.organizer_name))
    for a in event.attendees or []:
        ev.add(
            "attendee",
            _address(
                a.email,
                a.name,
                CUTYPE="INDIVIDUAL",
                ROLE=a.role,
                PARTSTAT=a.partstat,
                RSVP="TRUE" if a.rsvp else "FALSE",
            ),
        )
    if event.alarm_minutes and event.status != "CANCELLED":
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", clean_text(event.summary) or "Påminnelse")
        alarm.add("trigger", timedelta(minutes=-int(event.alarm_minutes)))
        ev.add_component(alarm)
    return ev


def calendar(events: list[Event], method: str | None = None, name: str | None = None) -> str:
    """A VCALENDAR with our VTIMEZONE. method: REQUEST, CANCEL, DECLINECOUNTER or PUBLISH for
    mail and downloads, None for a subscribed feed."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", clean_text(name))
        cal.add("x-wr-timezone", TZID)
    if any(e.start is not None for e in events):
        cal.add_component(stockholm_timezone())
    for event in events:
        cal.add_component(build_event(event))
    return cal.to_ical().decode("utf-8")
