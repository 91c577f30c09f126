"""Three parsers that did not write our calendars (libical, ical.js, vobject) read what we meant:
the same UTC instants as zoneinfo, the video link as a URI, names with quotes (RFC 6868)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from dialog.invitations import ics
from dialog.invitations.ics import Attendee, Event
from dialog.timeutil import STOCKHOLM
from tests.invitations.support import ROOT, utc_iso

# Wall-clock times in Stockholm: winter, summer and both DST-change days (2027-03-28 spring
# forward at 02:00, 2027-10-31 fall back at 03:00), around and away from the change.
CASES = {
    "vinter 2027-01-20 13.00": datetime(2027, 1, 20, 13, 0),
    "sommar 2027-07-07 13.00": datetime(2027, 7, 7, 13, 0),
    "vår-DST 2027-03-28 01.30 (före)": datetime(2027, 3, 28, 1, 30),
    "vår-DST 2027-03-28 03.30 (efter)": datetime(2027, 3, 28, 3, 30),
    "vår-DST 2027-03-28 13.00": datetime(2027, 3, 28, 13, 0),
    "höst-DST 2027-10-31 01.30 (före)": datetime(2027, 10, 31, 1, 30),
    "höst-DST 2027-10-31 03.30 (efter)": datetime(2027, 10, 31, 3, 30),
    "höst-DST 2027-10-31 13.00": datetime(2027, 10, 31, 13, 0),
    "vår-DST 2026-03-29 13.00": datetime(2026, 3, 29, 13, 0),
    "höst-DST 2026-10-25 13.00": datetime(2026, 10, 25, 13, 0),
}
# The repeated hour on the autumn day, given as UTC instants: 02.30 summer time, then 02.30
# winter time. Written in UTC (with Z) because parsers disagree on ambiguous wall-clock times.
AMBIGUOUS = {
    "höst-DST 2027-10-31 02.30 CEST (första)": datetime(2027, 10, 31, 0, 30, tzinfo=UTC),
    "höst-DST 2027-10-31 02.30 CET (andra)": datetime(2027, 10, 31, 1, 30, tzinfo=UTC),
}
ARTIFACTS = ROOT / "test-artifacts" / "invitations"


def _event(name: str, wall: datetime, method: str) -> Event:
    if wall.tzinfo is None:
        start = wall.replace(tzinfo=STOCKHOLM).astimezone(UTC)
    else:
        start = wall
    return Event(
        uid=f"dst-{start:%Y%m%d%H%M}Z@test",
        sequence=1 if method == "CANCEL" else 0,
        start=start,
        end=start + timedelta(hours=1),
        summary=f"Test {name}",
        organizer_name="Test Organisatör",
        organizer_email="org@test.example.org",
        attendees=[Attendee("Test Deltagare", "d@test.example.org")],
        status="CANCELLED" if method == "CANCEL" else "CONFIRMED",
    )


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL", "PUBLISH"])
def test_every_parser_reads_the_zoneinfo_instant(parsers, method):
    cases = CASES | AMBIGUOUS
    events = [_event(name, wall, method) for name, wall in cases.items()]
    text = ics.calendar(events, method=method)
    expected = {e.uid: int(e.start.timestamp()) for e in events}
    readings = {}
    for parser_name, read in parsers.items():
        result = read(text)
        assert result["method"] == method, parser_name
        got = {ev["uid"]: ev["start_utc"] for ev in result["events"]}
        for ev in result["events"]:
            if not ev["uid"].startswith(("dst-202710310030Z", "dst-202710310130Z")):
                assert ev["tzid"] == "Europe/Stockholm", (parser_name, ev["uid"])
            assert ev["end_utc"] - ev["start_utc"] == 3600, (parser_name, ev["uid"])
            if method == "CANCEL":
                assert ev["status"] == "CANCELLED"
        readings[parser_name] = got
        assert got == expected, f"{parser_name} differs from zoneinfo"
    if method == "REQUEST":
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        table = {
            name: {
                "zoneinfo": utc_iso(expected[e.uid]),
                **{p: utc_iso(readings[p][e.uid]) for p in readings},
            }
            for name, e in zip(cases, events)
        }
        (ARTIFACTS / "dst_readings.json").write_text(
            json.dumps(table, indent=2, ensure_ascii=False)
        )


def test_hostile_text_cannot_break_the_calendar(parsers):
    nasty = 'Rum 3; "Stora salen", plan 2:\nBEGIN:VEVENT\r\nX:1 \\ slut'
    ev = Event(
        uid="nasty@test",
        sequence=0,
        start=datetime(2027, 2, 1, 12, tzinfo=UTC),
        end=datetime(2027, 2, 1, 13, tzinfo=UTC),
        summary=nasty,
        location=nasty,
        description=nasty,
        organizer_name='Öst, "Chefen": A;B',
        organizer_email="org@test.example.org",
        attendees=[
            Attendee('Åsa "Å" Öberg, sjuksköterska; natt:\nEND:VCALENDAR', "asa@test.example.org")
        ],
    )
    text = ics.calendar([ev], method="REQUEST")
    lines = text.split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VCALENDAR") == 1
    for line in lines:
        assert len(line.encode("utf-8")) <= 75
    for parser_name, read in parsers.items():
        result = read(text)
        assert len(result["events"]) == 1, parser_name
        event = result["events"][0]
        assert event["summary"] == nasty.replace("\r\n", "\n"), parser_name
        assert event["location"] == nasty.replace("\r\n", "\n"), parser_name
        assert "asa@test.example.org" in event["attendees"][0]["email"].lower()


# The parsers' verdicts on a double quote in a name, RFC 6868 (^' in a parameter value):
# libical and ical.js decode it; vobject 0.9 does not know RFC 6868 and shows the ^' as written.
DECODES_RFC6868 = {"libical": True, "ical.js": True, "vobject": False}


def test_double_quote_in_a_name_is_rfc6868_encoded(parsers):
    """Defect: a double quote in a participant's name used to become an apostrophe in CN."""
    name = 'Åsa "Å" Öberg, sjuksköterska; natt:'
    ev = Event(
        uid="quote@test",
        sequence=0,
        start=datetime(2027, 2, 1, 12, tzinfo=UTC),
        end=datetime(2027, 2, 1, 13, tzinfo=UTC),
        summary="Citat",
        organizer_name='Öst, "Chefen"',
        organizer_email="org@test.example.org",
        attendees=[Attendee(name, "asa@test.example.org")],
    )
    text = ics.calendar([ev], method="REQUEST")
    unfolded = text.replace("\r\n ", "")
    assert "CN=\"Åsa ^'Å^' Öberg, sjuksköterska; natt:\"" in unfolded
    assert "'Å'" not in unfolded.replace("^'Å^'", "")
    for parser_name, read in parsers.items():
        cn = read(text)["events"][0]["attendees"][0]["cn"]
        if DECODES_RFC6868[parser_name]:
            assert cn == name, parser_name
        else:
            assert cn == name.replace('"', "^'"), parser_name


def test_video_link_is_a_uri_not_escaped_text(parsers):
    """Defect: URL was TEXT-escaped (…?id=7\\,8\\;pin=1234), so every parser read a broken link."""
    link = "https://video.example.org/möte rum?id=7,8;pin=1234&namn=Ö"
    ev = Event(
        uid="url@test",
        sequence=0,
        start=datetime(2027, 2, 1, 12, tzinfo=UTC),
        end=datetime(2027, 2, 1, 13, tzinfo=UTC),
        summary="Video",
        url=link,
    )
    text = ics.calendar([ev], method="PUBLISH")
    expected = "https://video.example.org/m%C3%B6te%20rum?id=7,8;pin=1234&namn=%C3%96"
    assert f"URL:{expected}\r\n" in text.replace("\r\n ", "")
    for parser_name, read in parsers.items():
        assert read(text)["events"][0]["url"] == expected, parser_name


def test_the_timezone_is_the_rrule_definition_built_from_components():
    text = ics.calendar(
        [Event(uid="tz@test", sequence=0, start=datetime(2027, 7, 1, 11, tzinfo=UTC))],
        method="PUBLISH",
    )
    assert text.count("BEGIN:VTIMEZONE") == 1 and "RDATE" not in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in text


def test_long_swedish_lines_fold_on_character_boundaries():
    text = ics.calendar(
        [Event(uid="lang@test", sequence=0, description="Åäö" * 60)], method="PUBLISH"
    )
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    assert "DESCRIPTION:" + "Åäö" * 60 in text.replace("\r\n ", "")
