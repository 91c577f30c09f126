"""Booking rules. The database enforces one live dialogue per home and year; these functions
give the clear message before it has to, and translate its refusal when two requests race."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .. import audit, signals
from ..bounds import YEAR_MESSAGE, date_in_range
from ..extensions import db
from ..locking import StaleDialogueError, check_version
from ..models import (
    CareHome,
    Contact,
    ContactRole,
    Dialogue,
    DialogueStatus,
    HealthCentre,
    Participant,
    Side,
)
from ..privacy import ensure_no_patient_data, find_patient_data
from ..registers import RegisterError, save_contact
from ..timeutil import LocalTimeError, checked_local_to_utc, format_datetime, now_utc


class BookingError(ValueError):
    """A booking rule was broken; the message is Swedish and shown as it is."""


@dataclass
class Booking:
    """What a user asks for when booking or rebooking. Times are Stockholm wall-clock times."""

    day: date
    start: time
    end: time
    location: str = ""
    video_link: str = ""
    health_centre_id: int | None = None
    contact_ids: list[int] = field(default_factory=list)


def live_dialogue(home_id: int, year: int) -> Dialogue | None:
    return db.session.scalar(
        sa.select(Dialogue).where(
            Dialogue.care_home_id == home_id,
            Dialogue.year == year,
            Dialogue.status != DialogueStatus.CANCELLED,
        )
    )


def _already_booked(home: CareHome, year: int) -> BookingError:
    return BookingError(
        f"{home.name} har redan en patientsäkerhetsdialog {year}. Det får bara finnas en dialog "
        "per boende och år: boka om eller ställ in den befintliga i stället."
    )


def _check_times(booking: Booking) -> tuple:
    """The booking's start and end in UTC, or a BookingError.

    A wall-clock time the summer-time change makes nonexistent (spring) or ambiguous (autumn)
    is refused with a clear message rather than moved an hour or guessed.
    """
    if not date_in_range(booking.day):
        raise BookingError(YEAR_MESSAGE)
    if booking.end <= booking.start:
        raise BookingError("Sluttiden måste vara efter starttiden.")
    if not booking.location.strip() and not booking.video_link.strip():
        raise BookingError("Ange en plats eller en videolänk.")
    # The place goes into the audit log and every calendar invitation: check it first, so the
    # form can point at the words (PatientDataError; the model layer would refuse it too).
    ensure_no_patient_data(booking.location, "Plats")
    ensure_no_patient_data(booking.video_link, "Videolänk", mode="link")
    try:
        starts_at = checked_local_to_utc(booking.day, booking.start)
        ends_at = checked_local_to_utc(booking.day, booking.end)
    except LocalTimeError as error:
        raise BookingError(str(error)) from None
    return starts_at, ends_at


def eligible_contacts(home: CareHome, health_centre: HealthCentre | None) -> list[Contact]:
    """The active contacts of both sides, the people who can be invited."""
    conditions = [Contact.care_home_id == home.id]
    if health_centre is not None:
        conditions.append(Contact.health_centre_id == health_centre.id)
    return list(
        db.session.scalars(
            sa.select(Contact)
            .where(sa.or_(*conditions), Contact.active.is_(True))
            .order_by(Contact.health_centre_id.is_not(None), Contact.role, Contact.name)
        )
    )


def _resolve_health_centre(home: CareHome, booking: Booking) -> HealthCentre | None:
    if booking.health_centre_id is None:
        return home.health_centre
    centre = db.session.get(HealthCentre, booking.health_centre_id)
    if centre is None or centre.region_id != home.municipality.region_id:
        raise BookingError("Välj en vårdcentral i boendets region.")
    return centre


# The roles a participant added from the booking page may have: the home's own people.
HOME_ROLES = [
    ContactRole.UNIT_MANAGER,
    ContactRole.NURSE,
    ContactRole.OCCUPATIONAL_THERAPIST,
    ContactRole.PHYSIOTHERAPIST,
    ContactRole.OTHER,
]


def home_has_own_contacts(home: CareHome) -> bool:
    return any(c.active for c in home.contacts)


def add_home_contact(home: CareHome, name: str, email: str, role: ContactRole | None, *, actor):
    """A participant typed in on the booking page, saved as a contact of the home.

    A staff member's name is expected here, so only the guard's other finds refuse it (a
    personal identity number, a phone number or the like typed into the name field)."""
    name = " ".join((name or "").split())
    if not name or not (email or "").strip():
        raise BookingError("Ange både namn och e-postadress för den nya deltagaren.")
    if role not in HOME_ROLES:
        raise BookingError("Välj den nya deltagarens roll på boendet.")
    if any(hit.kind != "namn" for hit in find_patient_data(name)):
        raise BookingError(
            "Namnet innehåller något som inte hör hemma i ett namn (till exempel ett "
            "personnummer eller telefonnummer). Skriv bara förnamn och efternamn."
        )
    try:
        return save_contact(
            None, name=name, email=email, phone="", role=role, owner=home, actor=actor
        )
    except RegisterError as error:
        raise BookingError(str(error)) from None


def participant_from_contact(contact: Contact) -> Participant:
    side = Side.CARE_HOME if contact.care_home_id is not None else Side.HEALTH_CENTRE
    return Participant(
        contact_id=contact.id, name=contact.name, email=contact.email, role=contact.role, side=side
    )


def _chosen_contacts(home, centre, contact_ids) -> list[Contact]:
    eligible = {c.id: c for c in eligible_contacts(home, centre)}
    unknown = [cid for cid in contact_ids if cid not in eligible]
    if unknown:
        raise BookingError("En vald deltagare hör inte till boendet eller vårdcentralen.")
    return [eligible[cid] for cid in dict.fromkeys(contact_ids)]


def check_no_overlap(
    emails: set[str], starts_at, ends_at, *, exclude_id: int | None = None
) -> None:
    """Refuse when someone invited is already in another live dialogue at the same time."""
    if not emails:
        return
    clash = db.session.execute(
        sa.select(Participant.name, CareHome.name, Dialogue.starts_at)
        .join(Dialogue, Participant.dialogue_id == Dialogue.id)
        .join(CareHome, Dialogue.care_home_id == CareHome.id)
        .where(
            sa.func.lower(Participant.email).in_({e.lower() for e in emails}),
            Participant.removed_at.is_(None),
            Dialogue.status != DialogueStatus.CANCELLED,
            Dialogue.starts_at < ends_at,
            Dialogue.ends_at > starts_at,
            Dialogue.id != (exclude_id or -1),
        )
        .limit(1)
    ).first()
    if clash is not None:
        person, other_home, other_start = clash
        raise BookingError(
            f"{person} är redan kallad till dialogen på {other_home} "
            f"{format_datetime(other_start)}, som överlappar den här tiden. Välj en annan tid."
        )


def book_dialogue(home: CareHome, booking: Booking, *, actor=None) -> Dialogue:
    """Book the home's dialogue for the year of booking.day, in the caller's transaction.

    The home's row is locked first, so concurrent bookings of one home queue up and each sees
    the one before it (PostgreSQL; SQLite's write lock does the same). The insert runs in a
    savepoint: a lost race leaves the caller's transaction usable (the year planner books many
    homes in one).
    """
    _lock_home(home)
    if not home.active:
        raise BookingError(f"{home.name} är inaktiverat och kan inte få nya dialoger.")
    starts_at, ends_at = _check_times(booking)
    year = booking.day.year
    if live_dialogue(home.id, year) is not None:
        raise _already_booked(home, year)
    centre = _resolve_health_centre(home, booking)
    contacts = _chosen_contacts(home, centre, booking.contact_ids)
    check_no_overlap({c.email for c in contacts}, starts_at, ends_at)

    dialogue = Dialogue(
        care_home=home,
        health_centre=centre,
        year=year,
        starts_at=starts_at,
        ends_at=ends_at,
        location=booking.location.strip(),
        video_link=booking.video_link.strip(),
        organiser=actor,
        participants=[participant_from_contact(c) for c in contacts],
    )
    try:
        with db.session.begin_nested():
            db.session.add(dialogue)
            db.session.flush()
    except IntegrityError:
        raise _already_booked(home, year) from None
    audit.record(
        "bokade dialog",
        dialogue,
        actor=actor,
        summary=f"{home.name} {booking.day.isoformat()}",
        changes=audit.snapshot(
            dialogue, ["year", "starts_at", "ends_at", "location", "video_link", "health_centre_id"]
        ),
    )
    signals.dialogue_booked.send(dialogue, actor=actor)
    return dialogue


def _lock_home(home: CareHome) -> None:
    db.session.execute(sa.select(CareHome.id).where(CareHome.id == home.id).with_for_update()).all()


def rebook_dialogue(
    dialogue: Dialogue, booking: Booking, *, expected_version: int | None = None, actor=None
) -> Dialogue:
    """Change time or place. Another year must be free for the home."""
    if dialogue.status is not DialogueStatus.PLANNED:
        raise BookingError("Bara en planerad dialog kan bokas om.")
    check_version(dialogue, expected_version)
    starts_at, ends_at = _check_times(booking)
    fields = ["year", "starts_at", "ends_at", "location", "video_link"]
    before = audit.snapshot(dialogue, fields)
    new_year = booking.day.year
    if new_year != dialogue.year:
        other = live_dialogue(dialogue.care_home_id, new_year)
        if other is not None and other.id != dialogue.id:
            raise _already_booked(dialogue.care_home, new_year)
    check_no_overlap(
        {p.email for p in dialogue.current_participants}, starts_at, ends_at, exclude_id=dialogue.id
    )
    dialogue.year = new_year
    dialogue.starts_at = starts_at
    dialogue.ends_at = ends_at
    dialogue.location = booking.location.strip()
    dialogue.video_link = booking.video_link.strip()
    changes = audit.changes_between(before, audit.snapshot(dialogue, fields))
    if not changes:
        return dialogue
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise _already_booked(dialogue.care_home, new_year) from None
    except StaleDataError:
        raise StaleDialogueError() from None
    audit.record("bokade om dialog", dialogue, actor=actor, changes=changes)
    signals.dialogue_rebooked.send(dialogue, actor=actor, changes=changes)
    return dialogue


def cancel_dialogue(
    dialogue: Dialogue, reason: str, *, expected_version: int | None = None, actor=None
) -> Dialogue:
    """Cancel with a reason; the home's year is then free for a new booking.

    A reason holding patient data raises PatientDataError and nothing is stored.
    """
    if dialogue.status is not DialogueStatus.PLANNED:
        raise BookingError("Bara en planerad dialog kan ställas in.")
    check_version(dialogue, expected_version)
    reason = reason.strip()
    if not reason:
        raise BookingError("Ange varför dialogen ställs in.")
    ensure_no_patient_data(reason, "Anledning")  # PatientDataError: shown by the form only
    dialogue.status = DialogueStatus.CANCELLED
    dialogue.cancel_reason = reason
    dialogue.cancelled_at = now_utc()
    audit.record(
        "ställde in dialog",
        dialogue,
        actor=actor,
        changes={"status": ["planerad", "installd"], "cancel_reason": [None, reason]},
    )
    signals.dialogue_cancelled.send(dialogue, actor=actor, reason=reason)
    return dialogue


def set_participants(
    dialogue: Dialogue, contact_ids: list[int], *, expected_version: int | None = None, actor=None
) -> tuple[list, list]:
    """Make the current participants exactly the given contacts (stand-ins are kept)."""
    if dialogue.status is DialogueStatus.CANCELLED:
        raise BookingError("En inställd dialog kan inte ändras.")
    check_version(dialogue, expected_version)
    contacts = _chosen_contacts(dialogue.care_home, dialogue.health_centre, contact_ids)
    wanted = {c.id: c for c in contacts}
    current = {p.contact_id: p for p in dialogue.current_participants if p.contact_id is not None}
    added, removed = [], []
    for contact_id, contact in wanted.items():
        if contact_id not in current:
            participant = participant_from_contact(contact)
            dialogue.participants.append(participant)
            added.append(participant)
    for contact_id, participant in current.items():
        if contact_id not in wanted and participant.stand_in_for_id is None:
            participant.removed_at = now_utc()
            removed.append(participant)
    if not added and not removed:
        return added, removed
    dialogue.updated_at = now_utc()  # bumps the version: the participant list is part of it
    db.session.flush()
    audit.record(
        "ändrade deltagare",
        dialogue,
        actor=actor,
        changes={
            "added": [None, [p.name for p in added]],
            "removed": [[p.name for p in removed], None],
        },
    )
    signals.participants_changed.send(dialogue, actor=actor, added=added, removed=removed)
    return added, removed
