"""Three parsers that did not write our calendars read the same UTC instants as zoneinfo."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from dialog.invitations import calendar
from dialog.invitations.calendar import Attendee, Event
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
    ics = calendar.calendar(events, method=method)
    expected = {e.uid: int(e.start.timestamp()) for e in events}
    readings = {}
    for parser_name, read in parsers.items():
        result = read(ics)
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
    ics = calendar.calendar([ev], method="REQUEST")
    lines = ics.split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VCALENDAR") == 1
    for line in lines:
        assert len(line.encode("utf-8")) <= 75
    for parser_name, read in parsers.items():
        result = read(ics)
        assert len(result["events"]) == 1, parser_name
        event = result["events"][0]
        assert event["summary"] == nasty.replace("\r\n", "\n"), parser_name
        assert event["location"] == nasty.replace("\r\n", "\n"), parser_name
        assert event["attendees"][0]["cn"].startswith("Åsa 'Å' Öberg, sjuksköterska; natt:"), (
            parser_name
        )
        assert "asa@test.example.org" in event["attendees"][0]["email"].lower()


def test_long_swedish_lines_fold_on_character_boundaries():
    text = "Åäö" * 60
    folded = calendar.fold("DESCRIPTION:" + text)
    assert all(len(line.encode("utf-8")) <= 75 for line in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + text
