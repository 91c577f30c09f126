"""Calendar replies in the shapes real calendars send, to append to a real IMAP server.

Each builder follows the MIME layout and iCalendar details of a message one calendar really
sent, as found in public sources (names and addresses here are fictional):

- Outlook / Exchange Online ("Microsoft Exchange Server 2010"): multipart/alternative with
  text/plain, text/html and text/calendar; charset="utf-8"; method=REPLY; the VEVENT has
  ATTENDEE;PARTSTAT=...;CN=..., SUMMARY;LANGUAGE=..., DTSTART with a Windows zone name and
  usually NO VTIMEZONE, and no ORGANIZER at all. Sources: nextcloud/server issue #53949 ("iMip
  reply from outlook.com does not contain organizer property"); a Hotmail reply reproduced as a
  test fixture in a public repository (outlook-reply.eml, found with the code search); an
  Exchange decline with a VTIMEZONE "Eastern Standard Time" and a COMMENT;LANGUAGE=en-US in a
  public EWS test (HCL Domino Keep). Outlook's "propose new time" (COUNTER) is written after
  the same layout and RFC 5546 3.2.7, with a VTIMEZONE "W. Europe Standard Time".
- Google Calendar: multipart/mixed -> multipart/alternative (text/plain, text/html,
  text/calendar; charset="UTF-8"; method=REPLY, 7bit) plus application/ics; name="invite.ics"
  (base64). ICS: PRODID:-//Google Inc//Google Calendar 70.9054//EN, METHOD:REPLY, times in UTC,
  ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=...;CN=<address>;X-NUM-GUESTS=0.
  Sources: nextcloud/mail pull request #6782 (a REPLY from Gmail's accept button); a Gmail
  reply fixture in a public Go test (ParseReply) showing the invite.ics attachment.
- Apple Calendar (iCal via Mail): multipart/alternative -> text/plain (format=flowed) and a
  multipart/mixed holding text/html and the calendar as an attachment named
  iCal-YYYYMMDD-HHMMSS.ics, Content-Type text/calendar WITHOUT a method parameter,
  quoted-printable; the VCALENDAR has a VTIMEZONE, ATTENDEE;CN="...";CUTYPE=INDIVIDUAL;
  PARTSTAT=...;ROLE=REQ-PARTICIPANT. Source: apple/ccs-calendarserver,
  txdav/caldav/datastore/scheduling/imip/test/data/good_reply.
- Thunderbird (Lightning): multipart/mixed; boundary="Boundary_(ID_...)" -> multipart/alternative
  (text/plain; charset=UTF-8 8BIT, text/calendar; method=REPLY; charset=UTF-8 8BIT) plus
  application/ics; name=invite.ics, 8BIT; PRODID:-//Mozilla.org/NONSGML Mozilla Calendar
  V1.1//EN. Source: Thunderbird's CalItipEmailTransport._createTempImipFile (comm-central).
- Delegation (PARTSTAT=DELEGATED;DELEGATED-TO=..., the delegate listed with DELEGATED-FROM):
  RFC 5546 4.2.5, sent in Thunderbird's layout.
"""

from __future__ import annotations

import base64
import quopri
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

CRLF = "\r\n"


@dataclass
class Reply:
    uid: str
    attendee: str
    name: str = "Test Deltagare"
    partstat: str = "ACCEPTED"
    sequence: int = 0
    organiser: str = "patientsakerhetsdialog@example.se"
    summary: str = "Patientsäkerhetsdialog: Testboendet Ett"
    start: datetime = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
    end: datetime = datetime(2027, 3, 10, 14, 0, tzinfo=UTC)
    stamp: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    comment: str = ""
    message_id: str = ""
    sender: str = ""  # the From address; the attendee's when empty
    sent_by: str = ""
    method: str = "REPLY"
    delegated_to: str = ""
    delegate_name: str = ""

    @property
    def from_address(self) -> str:
        return self.sender or self.attendee

    def mid(self, domain: str) -> str:
        return self.message_id or f"<{abs(hash((self.uid, self.attendee, self.stamp)))}@{domain}>"


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(value: datetime, offset_hours: int) -> str:
    return (value.astimezone(UTC) + timedelta(hours=offset_hours)).strftime("%Y%m%dT%H%M%S")


def _offset(value: datetime) -> int:
    from dialog.timeutil import STOCKHOLM

    return int(value.astimezone(STOCKHOLM).utcoffset().total_seconds() // 3600)


def _text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(lines: list[str]) -> str:
    out = []
    for line in lines:
        data = line.encode("utf-8")
        while len(data) > 75:
            cut = 75
            while data[cut] & 0xC0 == 0x80:
                cut -= 1
            out.append(data[:cut].decode("utf-8"))
            data = b" " + data[cut:]
        out.append(data.decode("utf-8"))
    return CRLF.join(out) + CRLF


def _headers(reply: Reply, subject: str, domain: str, extra: list[str]) -> list[str]:
    from email.header import Header
    from email.utils import format_datetime, formataddr

    return [
        f"From: {formataddr((reply.name, reply.from_address), 'utf-8')}",
        f"To: {reply.organiser}",
        f"Subject: {Header(subject, 'utf-8').encode()}",
        f"Date: {format_datetime(reply.stamp)}",
        f"Message-ID: {reply.mid(domain)}",
        "MIME-Version: 1.0",
        *extra,
    ]


WINDOWS_ZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:W. Europe Standard Time",
    "BEGIN:STANDARD",
    "DTSTART:16010101T030000",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10",
    "END:STANDARD",
    "BEGIN:DAYLIGHT",
    "DTSTART:16010101T020000",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3",
    "END:DAYLIGHT",
    "END:VTIMEZONE",
]

STOCKHOLM_ZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Stockholm",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "DTSTART:19810329T020000",
    "TZNAME:CEST",
    "TZOFFSETTO:+0200",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "DTSTART:19961027T030000",
    "TZNAME:CET",
    "TZOFFSETTO:+0100",
    "END:STANDARD",
    "END:VTIMEZONE",
]

VERB = {"ACCEPTED": "Accepterat", "DECLINED": "Avböjt", "TENTATIVE": "Preliminärt"}


def outlook(reply: Reply, *, with_timezone: bool = False) -> bytes:
    """Outlook / Exchange Online: no ORGANIZER, Windows zone name, often no VTIMEZONE."""
    off = _offset(reply.start)
    verb = "Ny tid föreslås" if reply.method == "COUNTER" else VERB.get(reply.partstat, "Svar")
    attendee = f"ATTENDEE;PARTSTAT={reply.partstat};CN={reply.name}"
    if reply.sent_by:
        attendee += f';SENT-BY="mailto:{reply.sent_by}"'
    lines = [
        "BEGIN:VCALENDAR",
        f"METHOD:{reply.method}",
        "PRODID:Microsoft Exchange Server 2010",
        "VERSION:2.0",
        *(WINDOWS_ZONE if with_timezone or reply.method == "COUNTER" else []),
        "BEGIN:VEVENT",
        f"{attendee}:mailto:{reply.attendee}",
    ]
    if reply.method == "COUNTER":
        lines.append(f"ORGANIZER:mailto:{reply.organiser}")
    if reply.comment:
        lines.append(f"COMMENT;LANGUAGE=sv-SE:{_text(reply.comment)}")
    lines += [
        f"UID:{reply.uid}",
        f"SUMMARY;LANGUAGE=sv-SE:{verb}: {_text(reply.summary)}",
        f"DTSTART;TZID=W. Europe Standard Time:{_local(reply.start, off)}",
        f"DTEND;TZID=W. Europe Standard Time:{_local(reply.end, off)}",
        "CLASS:PUBLIC",
        "PRIORITY:5",
        f"DTSTAMP:{_utc(reply.stamp)}",
        "TRANSP:OPAQUE",
        "STATUS:CONFIRMED",
        f"SEQUENCE:{reply.sequence}",
        "LOCATION;LANGUAGE=sv-SE:Samlingsrummet",
        f"X-MICROSOFT-CDO-APPT-SEQUENCE:{reply.sequence}",
        "X-MICROSOFT-CDO-OWNERAPPTID:2117369380",
        "X-MICROSOFT-CDO-BUSYSTATUS:BUSY",
        "X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY",
        "X-MICROSOFT-CDO-ALLDAYEVENT:FALSE",
        "X-MICROSOFT-CDO-IMPORTANCE:1",
        "X-MICROSOFT-CDO-INSTTYPE:0",
        "X-MICROSOFT-DISALLOW-COUNTER:FALSE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    ics = _fold(lines)
    boundary = "_000_AS8P251MB0958EURP251PRODOUTLOOKCOM_"
    plain = quopri.encodestring((reply.comment or "").encode("utf-8")).decode("ascii")
    body = [
        "",
        f"--{boundary}",
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: quoted-printable",
        "",
        plain,
        f"--{boundary}",
        'Content-Type: text/html; charset="utf-8"',
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "<html><head></head><body></body></html>",
        f"--{boundary}",
        f'Content-Type: text/calendar; charset="utf-8"; method={reply.method}',
        "Content-Transfer-Encoding: base64",
        "",
        base64.encodebytes(ics.encode("utf-8")).decode("ascii").replace("\n", CRLF),
        f"--{boundary}--",
        "",
    ]
    head = _headers(
        reply,
        f"{verb}: {reply.summary}",
        "AS8P251MB0958.EURP251.PROD.OUTLOOK.COM",
        [
            f'Content-Type: multipart/alternative; boundary="{boundary}"',
            "Content-Language: sv-SE",
            "X-MS-Has-Attach:",
            "X-MS-TNEF-Correlator:",
        ],
    )
    return (CRLF.join(head) + CRLF + CRLF.join(body)).encode("ascii")


def google(reply: Reply) -> bytes:
    """Google Calendar: the calendar inline and again as invite.ics."""
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"METHOD:{reply.method}",
        "BEGIN:VEVENT",
        f"DTSTART:{_utc(reply.start)}",
        f"DTEND:{_utc(reply.end)}",
        f"DTSTAMP:{_utc(reply.stamp)}",
        f"ORGANIZER;CN=Patientsäkerhetsdialog:mailto:{reply.organiser}",
        f"UID:{reply.uid}",
        "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT="
        f"{reply.partstat};CN={reply.attendee};X-NUM-GUESTS=0:mailto:{reply.attendee}",
        "CREATED:20270110T090000Z",
        "DESCRIPTION:",
        f"LAST-MODIFIED:{_utc(reply.stamp)}",
        "LOCATION:Samlingsrummet",
        f"SEQUENCE:{reply.sequence}",
        "STATUS:CONFIRMED",
        f"SUMMARY:{_text(reply.summary)}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    if reply.comment:
        lines.insert(-3, f"COMMENT:{_text(reply.comment)}")
    ics = _fold(lines)
    verb = {"ACCEPTED": "Accepted", "DECLINED": "Declined", "TENTATIVE": "Tentatively Accepted"}
    b64 = base64.encodebytes(ics.encode("utf-8")).decode("ascii").replace("\n", CRLF)
    outer, inner = "000000000000b1c2d3e4f5a6b7c8", "000000000000b1c2d3e4f5a6b7c6"
    body = [
        "",
        f"--{outer}",
        f'Content-Type: multipart/alternative; boundary="{inner}"',
        "",
        f"--{inner}",
        'Content-Type: text/plain; charset="UTF-8"',
        "Content-Transfer-Encoding: base64",
        "",
        base64.b64encode(
            f"{reply.name} has {verb.get(reply.partstat, 'replied')} this invitation.".encode()
        ).decode("ascii"),
        f"--{inner}",
        'Content-Type: text/html; charset="UTF-8"',
        "",
        "<span></span>",
        f"--{inner}",
        f'Content-Type: text/calendar; charset="UTF-8"; method={reply.method}',
        "Content-Transfer-Encoding: 7bit" if ics.isascii() else "Content-Transfer-Encoding: base64",
        "",
        ics.rstrip(CRLF) if ics.isascii() else b64,
        f"--{inner}--",
        "",
        f"--{outer}",
        'Content-Type: application/ics; name="invite.ics"',
        'Content-Disposition: attachment; filename="invite.ics"',
        "Content-Transfer-Encoding: base64",
        "",
        b64,
        f"--{outer}--",
        "",
    ]
    head = _headers(
        reply,
        f"{verb.get(reply.partstat, 'Reply')}: {reply.summary}",
        "mail.gmail.com",
        [f'Content-Type: multipart/mixed; boundary="{outer}"'],
    )
    return (CRLF.join(head) + CRLF + CRLF.join(body)).encode("ascii")


def apple(reply: Reply) -> bytes:
    """Apple Calendar through Mail: an iCal-*.ics attachment without a method parameter."""
    off = _offset(reply.start)
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Apple Inc.//macOS 14.4//EN",
        "CALSCALE:GREGORIAN",
        "VERSION:2.0",
        f"METHOD:{reply.method}",
        *STOCKHOLM_ZONE,
        "BEGIN:VEVENT",
        f"SEQUENCE:{reply.sequence}",
        f"DTSTART;TZID=Europe/Stockholm:{_local(reply.start, off)}",
        f"UID:{reply.uid}",
        f'ORGANIZER;CN="Patientsäkerhetsdialog":mailto:{reply.organiser}',
        f"DTSTAMP:{_utc(reply.stamp)}",
        f"SUMMARY:{_text(reply.summary)}",
        f'ATTENDEE;CN="{reply.name}";CUTYPE=INDIVIDUAL;EMAIL="{reply.attendee}";'
        f"PARTSTAT={reply.partstat};ROLE=REQ-PARTICIPANT:mailto:{reply.attendee}",
        "CREATED:20270110T090000Z",
        f"DTEND;TZID=Europe/Stockholm:{_local(reply.end, off)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    ics = _fold(lines)
    # As Apple writes it: every line's CRLF as =0D=0A, then a soft line break.
    qp = CRLF.join(
        quopri.encodestring(line.encode("utf-8")).decode("ascii").rstrip("\n").replace("\n", CRLF)
        + "=0D=0A="
        for line in ics.split(CRLF)[:-1]
    )
    name = f"iCal-{reply.stamp:%Y%m%d-%H%M%S}.ics"
    outer, inner = "Apple-Mail-1--253014167", "Apple-Mail-2--253014167"
    verb = {"ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentatively accepted"}
    text = f"{reply.name} has {verb.get(reply.partstat, 'replied to')} your event invitation."
    body = [
        "",
        f"--{outer}",
        "Content-Type: text/plain;",
        "\tcharset=utf-8;",
        "\tformat=flowed;",
        "\tdelsp=yes",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        quopri.encodestring(text.encode("utf-8")).decode("ascii"),
        f"--{outer}",
        "Content-Type: multipart/mixed;",
        f"\tboundary={inner}",
        "",
        "",
        f"--{inner}",
        "Content-Type: text/html;",
        "\tcharset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        quopri.encodestring(f"<html><body>{text}</body></html>".encode()).decode("ascii"),
        f"--{inner}",
        "Content-Disposition: attachment;",
        f"\tfilename={name}",
        "Content-Type: text/calendar;",
        "\tx-unix-mode=0644;",
        f'\tname="{name}"',
        "Content-Transfer-Encoding: quoted-printable",
        "",
        qp,
        f"--{inner}--",
        "",
        f"--{outer}--",
        "",
    ]
    head = _headers(
        reply,
        f"Event {verb.get(reply.partstat, 'reply')}: {reply.summary}",
        "icloud.com",
        [
            f"Content-type: multipart/alternative; boundary={outer}",
            "X-Mailer: Apple Mail (2.3774)",
            "X-Mail-Calendar-Part: Yes",
        ],
    )
    return (CRLF.join(head) + CRLF + CRLF.join(body)).encode("ascii")


def thunderbird(reply: Reply) -> bytes:
    """Thunderbird: 8bit parts, the calendar inline (method=REPLY) and as invite.ics."""
    off = _offset(reply.start)
    attendee = f"ATTENDEE;RSVP=TRUE;CN={reply.name};PARTSTAT={reply.partstat};ROLE=REQ-PARTICIPANT"
    if reply.delegated_to:
        attendee += f';DELEGATED-TO="mailto:{reply.delegated_to}"'
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN",
        "VERSION:2.0",
        f"METHOD:{reply.method}",
        *STOCKHOLM_ZONE,
        "BEGIN:VEVENT",
        "CREATED:20270110T090000Z",
        f"LAST-MODIFIED:{_utc(reply.stamp)}",
        f"DTSTAMP:{_utc(reply.stamp)}",
        f"UID:{reply.uid}",
        f"SUMMARY:{_text(reply.summary)}",
        "ORGANIZER;RSVP=FALSE;CN=Patientsäkerhetsdialog;PARTSTAT=ACCEPTED;ROLE=CHAIR:"
        f"mailto:{reply.organiser}",
        f"{attendee}:mailto:{reply.attendee}",
    ]
    if reply.delegated_to:
        lines.append(
            f"ATTENDEE;RSVP=TRUE;CN={reply.delegate_name or reply.delegated_to};"
            f'PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;DELEGATED-FROM="mailto:{reply.attendee}"'
            f":mailto:{reply.delegated_to}"
        )
    if reply.comment:
        lines.append(f"COMMENT:{_text(reply.comment)}")
    lines += [
        f"X-MOZ-RECEIVED-SEQUENCE:{reply.sequence}",
        f"X-MOZ-RECEIVED-DTSTAMP:{_utc(reply.stamp)}",
        f"DTSTART;TZID=Europe/Stockholm:{_local(reply.start, off)}",
        f"DTEND;TZID=Europe/Stockholm:{_local(reply.end, off)}",
        f"SEQUENCE:{reply.sequence}",
        "TRANSP:OPAQUE",
        "X-MOZ-GENERATION:2",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    ics = _fold(lines)
    outer, inner = "Boundary_(ID_qyG4ZdjoAsiZ+Jo19dCbWQ)", "Boundary_(ID_ryU4ZdJoASiZ+Jo21dCbwA)"
    verb = {"ACCEPTED": "Accepterat", "DECLINED": "Avböjt", "TENTATIVE": "Preliminärt"}
    body = [
        "",
        "",
        f"--{outer}",
        "Content-type: multipart/alternative;",
        f' boundary="{inner}"',
        "",
        "",
        f"--{inner}",
        "Content-type: text/plain; charset=UTF-8",
        "Content-transfer-encoding: 8BIT",
        "",
        f"{reply.name} har svarat på inbjudan.",
        "",
        "",
        f"--{inner}",
        f"Content-type: text/calendar; method={reply.method}; charset=UTF-8",
        "Content-transfer-encoding: 8BIT",
        "",
        ics,
        "",
        f"--{inner}--",
        "",
        f"--{outer}",
        "Content-type: application/ics; name=invite.ics",
        "Content-transfer-encoding: 8BIT",
        "Content-disposition: attachment; filename=invite.ics",
        "",
        ics,
        "",
        f"--{outer}--",
        "",
    ]
    head = _headers(
        reply,
        f"{verb.get(reply.partstat, 'Delegerat')}: {reply.summary}",
        "test.example.org",
        [f'Content-type: multipart/mixed; boundary="{outer}"', "User-Agent: Thunderbird"],
    )
    return (CRLF.join(head) + CRLF + CRLF.join(body)).encode("utf-8")


SHAPES = {
    "outlook": outlook,
    "outlook-with-vtimezone": lambda reply: outlook(reply, with_timezone=True),
    "google": google,
    "apple": apple,
    "thunderbird": thunderbird,
}
