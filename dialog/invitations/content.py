"""What a dialogue's invitation says: the calendar event and the mail texts."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from ..models import Dialogue, DialogueStatus, Participant
from ..timeutil import format_time_range, now_utc
from . import ics
from .ics import Attendee, Event

PURPOSE = (
    "Årlig patientsäkerhetsdialog mellan det särskilda boendet och vårdcentralen. Dialogen är "
    "strukturell: vi lyfter brister, risker och framgångsfaktorer och kommer överens om "
    "förbättringsåtgärder. Det är ingen granskning, och inga enskilda patienter diskuteras."
)

ALARM_MINUTES = 24 * 60


def summary(dialogue: Dialogue) -> str:
    return f"Patientsäkerhetsdialog: {dialogue.care_home.name}"


def organiser_name(dialogue: Dialogue) -> str:
    if dialogue.organiser is not None:
        return dialogue.organiser.name
    return f"Patientsäkerhetsdialog {dialogue.care_home.name}"


def description(dialogue: Dialogue) -> str:
    parts = [PURPOSE, ""]
    centre = dialogue.health_centre.name if dialogue.health_centre else "vårdcentralen"
    parts.append(f"Boende: {dialogue.care_home.name}, {dialogue.care_home.municipality.name}")
    parts.append(f"Vårdcentral: {centre}")
    if dialogue.video_link:
        parts.append(f"Videolänk: {dialogue.video_link}")
    parts.append(f"Sammankallande: {organiser_name(dialogue)}")
    parts.append("")
    parts.append("Svara i din kalender eller med den personliga länken i e-postmeddelandet.")
    return "\n".join(parts)


def dialogue_url(dialogue: Dialogue) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/dialoger/{dialogue.id}"


def attendees(people: list[Participant]) -> list[Attendee]:
    return [Attendee(name=p.name, email=p.email) for p in people]


def event(
    dialogue: Dialogue,
    *,
    people: list[Participant] | None,
    sequence: int | None = None,
    cancelled: bool | None = None,
    with_alarm: bool = True,
    status: str | None = None,
) -> Event:
    if cancelled is None:
        cancelled = dialogue.status is DialogueStatus.CANCELLED
    if status is None:
        status = "CANCELLED" if cancelled else "CONFIRMED"
    return Event(
        uid=dialogue.calendar_uid,
        sequence=dialogue.calendar_sequence if sequence is None else sequence,
        start=dialogue.starts_at,
        end=dialogue.ends_at,
        summary=summary(dialogue),
        location=dialogue.location or ("Video" if dialogue.video_link else ""),
        description=description(dialogue),
        url=dialogue.video_link or "",
        organizer_name=organiser_name(dialogue),
        organizer_email=current_app.config["MAIL_ORGANISER_MAILBOX"],
        attendees=attendees(people) if people is not None else None,
        status=status or None,
        alarm_minutes=ALARM_MINUTES if with_alarm and status != "CANCELLED" else None,
        stamp=now_utc(),
    )


@dataclass
class CalendarContent:
    """One dialogue's calendar, built once and shared by every recipient's mail."""

    method: str
    ics: str
    when: str


def request_calendar(dialogue: Dialogue) -> CalendarContent:
    ev = event(dialogue, people=dialogue.current_participants)
    return CalendarContent(
        "REQUEST",
        ics.calendar([ev], method="REQUEST"),
        format_time_range(dialogue.starts_at, dialogue.ends_at),
    )


def cancel_calendar(
    dialogue: Dialogue, people: list[Participant], *, whole_event: bool = True
) -> CalendarContent:
    """A CANCEL. For the whole dialogue it carries STATUS:CANCELLED; when only some attendees
    are uninvited it must not (RFC 5546 3.2.5), and lists only them."""
    ev = event(
        dialogue,
        people=people,
        with_alarm=False,
        status="CANCELLED" if whole_event else "",
    )
    return CalendarContent(
        "CANCEL",
        ics.calendar([ev], method="CANCEL"),
        format_time_range(dialogue.starts_at, dialogue.ends_at),
    )


def decline_counter_calendar(
    dialogue: Dialogue, participant: Participant, sequence: int, comment: str = ""
) -> CalendarContent:
    """DECLINECOUNTER (RFC 5546 3.2.8): the organiser keeps the time the attendee countered."""
    ev = Event(
        uid=dialogue.calendar_uid,
        sequence=sequence,
        summary=summary(dialogue),
        organizer_name=organiser_name(dialogue),
        organizer_email=current_app.config["MAIL_ORGANISER_MAILBOX"],
        attendees=[Attendee(name=participant.name, email=participant.email, rsvp=False)],
        status=None,
        alarm_minutes=None,
        stamp=now_utc(),
        comment=comment,
    )
    return CalendarContent(
        "DECLINECOUNTER",
        ics.calendar([ev], method="DECLINECOUNTER"),
        format_time_range(dialogue.starts_at, dialogue.ends_at),
    )


def publish_calendar(dialogue: Dialogue) -> str:
    """The downloadable .ics: METHOD:PUBLISH, which RFC 5546 gives no attendees."""
    return ics.calendar([event(dialogue, people=None)], method="PUBLISH")
