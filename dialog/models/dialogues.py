"""The dialogue itself and the people taking part in it."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..privacy import exempt, guarded
from ..timeutil import now_utc
from .base import LabelledEnum, UTCDateTime, enum_column
from .registers import CareHome, ContactRole, HealthCentre


class DialogueStatus(LabelledEnum):
    PLANNED = ("planerad", "Planerad")
    HELD = ("genomford", "Genomförd")
    DOCUMENTED = ("dokumenterad", "Dokumenterad")
    CANCELLED = ("installd", "Inställd")


# Shown in the year view for a home with no live dialogue.
NOT_PLANNED_LABEL = "Ej planerad"


class Side(LabelledEnum):
    CARE_HOME = ("sabo", "SÄBO")
    HEALTH_CENTRE = ("vardcentral", "Vårdcentral")


class ResponseStatus(LabelledEnum):
    NEEDS_ACTION = ("needs-action", "Inte svarat")
    ACCEPTED = ("accepted", "Ja")
    DECLINED = ("declined", "Nej")
    TENTATIVE = ("tentative", "Kanske")


class Attendance(LabelledEnum):
    ATTENDED = ("deltog", "Deltog")
    ABSENT = ("deltog_ej", "Deltog inte")
    STAND_IN = ("ersattare", "Ersättare deltog")


def new_calendar_uid() -> str:
    return f"{uuid.uuid4()}@patientsakerhetsdialog"


class Dialogue(db.Model):
    __tablename__ = "dialogue"
    __table_args__ = (
        # One live dialogue per home and year, enforced by the database itself: a cancelled
        # dialogue no longer counts, so the year can be booked again.
        sa.Index(
            "uq_dialogue_home_year_live",
            "care_home_id",
            "year",
            unique=True,
            sqlite_where=sa.text("status != 'installd'"),
            postgresql_where=sa.text("status != 'installd'"),
        ),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    care_home_id: Mapped[int] = mapped_column(sa.ForeignKey("care_home.id"), index=True)
    health_centre_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("health_centre.id"), index=True
    )
    year: Mapped[int] = mapped_column(index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(sa.String(240), default="", info=guarded("text", "Plats"))
    video_link: Mapped[str] = mapped_column(
        sa.String(500), default="", info=guarded("link", "Videolänk")
    )
    status: Mapped[DialogueStatus] = mapped_column(
        enum_column(DialogueStatus), default=DialogueStatus.PLANNED, index=True
    )
    cancel_reason: Mapped[str] = mapped_column(
        sa.String(500), default="", info=guarded("text", "Anledning")
    )
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    documented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    organiser_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    # iCalendar identity: the UID never changes, SEQUENCE grows with every sent change.
    calendar_uid: Mapped[str] = mapped_column(
        sa.String(120),
        unique=True,
        default=new_calendar_uid,
        info=exempt("generated calendar UID"),
    )
    calendar_sequence: Mapped[int] = mapped_column(default=0)
    # The SEQUENCE that carried the current time: a calendar reply to a lower one answered an
    # earlier time of the dialogue.
    time_sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)
    # Optimistic locking: a stale form cannot silently overwrite a newer change.
    version: Mapped[int] = mapped_column(default=1)
    # The meeting's own notes (written in the documentation template or on the record page):
    # who led it and took the minutes, who checked them, the data discussed, how the lessons
    # are passed on, and the next dialogue. Free text, guarded like every other.
    chair: Mapped[str] = mapped_column(
        sa.String(160), default="", info=guarded("name", "Mötesledare")
    )
    note_taker: Mapped[str] = mapped_column(
        sa.String(160), default="", info=guarded("name", "Antecknare")
    )
    minutes_checked_by: Mapped[str] = mapped_column(
        sa.String(160), default="", info=guarded("name", "Justerat av")
    )
    shared_data_notes: Mapped[str] = mapped_column(
        sa.Text, default="", info=guarded("text", "Underlag")
    )
    lessons_to: Mapped[str] = mapped_column(
        sa.String(500), default="", info=guarded("text", "Lärdomar förs vidare till")
    )
    lessons_by: Mapped[str] = mapped_column(
        sa.String(500), default="", info=guarded("text", "Lärdomar förs vidare av")
    )
    lessons_when: Mapped[str] = mapped_column(
        sa.String(500), default="", info=guarded("text", "Lärdomar förs vidare när")
    )
    next_dialogue_note: Mapped[str] = mapped_column(
        sa.String(500), default="", info=guarded("text", "Nästa dialog")
    )

    care_home: Mapped[CareHome] = relationship()
    health_centre: Mapped[HealthCentre | None] = relationship()
    organiser = relationship("User")
    participants: Mapped[list[Participant]] = relationship(
        back_populates="dialogue",
        cascade="all, delete-orphan",
        order_by="(Participant.side, Participant.id)",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_live(self) -> bool:
        return self.status is not DialogueStatus.CANCELLED

    @property
    def current_participants(self) -> list[Participant]:
        return [p for p in self.participants if p.removed_at is None]


class Participant(db.Model):
    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(
        sa.ForeignKey("dialogue.id", ondelete="CASCADE"), index=True
    )
    # Copied from the contact at invitation time; a stand-in may have no contact row.
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contact.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(160), info=guarded("name", "Namn"))
    email: Mapped[str] = mapped_column(
        sa.String(254), info=exempt("invitee e-mail address, checked by the e-mail normaliser")
    )
    role: Mapped[ContactRole] = mapped_column(enum_column(ContactRole))
    side: Mapped[Side] = mapped_column(enum_column(Side))
    response: Mapped[ResponseStatus] = mapped_column(
        enum_column(ResponseStatus), default=ResponseStatus.NEEDS_ACTION
    )
    response_comment: Mapped[str] = mapped_column(
        sa.String(500), default="", info=guarded("text", "Kommentar")
    )
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when this participant came in someone else's place.
    stand_in_for_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participant.id"))
    # The calendar SEQUENCE last sent to this person; None means not yet invited.
    invited_sequence: Mapped[int | None] = mapped_column()
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attendance: Mapped[Attendance | None] = mapped_column(enum_column(Attendance))
    attendance_comment: Mapped[str] = mapped_column(
        sa.String(1000), default="", info=guarded("text", "Kommentar")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    dialogue: Mapped[Dialogue] = relationship(back_populates="participants")
    contact = relationship("Contact")
    stand_in_for: Mapped[Participant | None] = relationship(remote_side="Participant.id")
