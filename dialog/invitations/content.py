"""What a dialogue's invitation says: the calendar event and the mail texts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from flask import current_app

from ..models import Dialogue, DialogueStatus, Participant
from ..timeutil import format_time_range, now_utc
from . import calendar
from .calendar import Attendee, Event

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
    parts.append("Svara med den personliga länken i e-postmeddelandet.")
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
) -> Event:
    if cancelled is None:
        cancelled = dialogue.status is DialogueStatus.CANCELLED
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
        status="CANCELLED" if cancelled else "CONFIRMED",
        alarm_minutes=ALARM_MINUTES if with_alarm else None,
        stamp=now_utc(),
    )


@dataclass
class CalendarContent:
    """One dialogue's calendar, built once and shared by every recipient's mail."""

    method: str
    ics: str
    when: str

    @cached_property
    def ics_base64(self) -> str:
        from .mail import b64

        return b64(self.ics.encode("utf-8"))


def request_calendar(dialogue: Dialogue) -> CalendarContent:
    ev = event(dialogue, people=dialogue.current_participants)
    return CalendarContent(
        "REQUEST",
        calendar.calendar([ev], method="REQUEST"),
        format_time_range(dialogue.starts_at, dialogue.ends_at),
    )


def cancel_calendar(dialogue: Dialogue, people: list[Participant]) -> CalendarContent:
    ev = event(dialogue, people=people, cancelled=True, with_alarm=False)
    return CalendarContent(
        "CANCEL",
        calendar.calendar([ev], method="CANCEL"),
        format_time_range(dialogue.starts_at, dialogue.ends_at),
    )


def publish_calendar(dialogue: Dialogue) -> str:
    """The downloadable .ics: METHOD:PUBLISH, which RFC 5546 gives no attendees."""
    return calendar.calendar([event(dialogue, people=None)], method="PUBLISH")
