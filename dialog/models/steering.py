"""The steering loop around the dialogues: local agreements, basis data, leadership assignments,
the local action plan's texts and the region's shared-material settings.

Owned by the features agreements, basisdata, assignments, actionplan and material.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..privacy import guarded
from ..timeutil import now_utc
from .base import LabelledEnum, UTCDateTime, enum_column

# --- local agreements (lokala överenskommelser) -----------------------------------------------


class LocalAgreement(db.Model):
    """An agreement between a municipality and a health centre (samverkansavtal / lokal
    överenskommelse). The document itself lives elsewhere: only its name and a link or file
    reference (diarienummer, path) are kept. Ended by valid_to or deactivated, never deleted."""

    __tablename__ = "local_agreement"
    __table_args__ = (
        sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    health_centre_id: Mapped[int] = mapped_column(sa.ForeignKey("health_centre.id"), index=True)
    valid_from: Mapped[date] = mapped_column(sa.Date)
    valid_to: Mapped[date | None] = mapped_column(sa.Date)
    # The clause that obliges both parties to take part in the patient-safety dialogues.
    participation_duty: Mapped[bool] = mapped_column(default=True)
    document_name: Mapped[str] = mapped_column(
        sa.String(200), info=guarded("text", "Dokumentets namn")
    )
    document_ref: Mapped[str] = mapped_column(
        sa.String(500), default="", info=guarded("link", "Länk eller diarienummer")
    )
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    municipality = relationship("Municipality")
    health_centre = relationship("HealthCentre")

    def valid_on(self, day: date) -> bool:
        return (
            self.active
            and self.valid_from <= day
            and (self.valid_to is None or self.valid_to >= day)
        )

    @property
    def name(self) -> str:  # the audit log and flash messages name objects by .name
        return self.document_name


# --- basis data per home and year (underlag) --------------------------------------------------


class Measure(LabelledEnum):
    """What MAS/MAR bring to the dialogue, counted or as a share, never single events."""

    FALLS = ("avv_fall", "Avvikelser: fall")
    MEDICATION = ("avv_lakemedel", "Avvikelser: läkemedel")
    PRESSURE_ULCERS = ("avv_trycksar", "Avvikelser: trycksår")
    CARE_TREATMENT = ("avv_vard_behandling", "Avvikelser: vård och behandling")
    INFORMATION = ("avv_informationsoverforing", "Avvikelser: informationsöverföring")
    OTHER = ("avv_ovrigt", "Avvikelser: övrigt")
    SENIOR_ALERT = ("senior_alert", "Andel boende med riskbedömning i Senior alert (%)")
    MEDICATION_REVIEWS = ("lakemedelsgenomgangar", "Genomförda läkemedelsgenomgångar")
    HYGIENE = ("hygienrond", "Hygienrond: följsamhet till basala hygienrutiner (%)")

    @property
    def is_share(self) -> bool:
        return self in (Measure.SENIOR_ALERT, Measure.HYGIENE)

    @property
    def is_deviation(self) -> bool:
        return self.value.startswith("avv_")


class BasisFigure(db.Model):
    """One aggregated figure for one home, year and measure: a count or a share in per cent."""

    __tablename__ = "basis_figure"
    __table_args__ = (
        sa.UniqueConstraint("care_home_id", "year", "measure"),
        sa.CheckConstraint("value >= 0", name="not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    care_home_id: Mapped[int] = mapped_column(sa.ForeignKey("care_home.id"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    measure: Mapped[Measure] = mapped_column(enum_column(Measure))
    value: Mapped[float] = mapped_column(sa.Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    care_home = relationship("CareHome")


# --- leadership assignments (uppdrag) ---------------------------------------------------------


class AssignmentStatus(LabelledEnum):
    NOT_STARTED = ("ej_paborjat", "Ej påbörjat")
    IN_PROGRESS = ("pagar", "Pågår")
    DONE = ("klart", "Klart")
    CANCELLED = ("avbrutet", "Avbrutet")

    @property
    def is_open(self) -> bool:
        return self in (AssignmentStatus.NOT_STARTED, AssignmentStatus.IN_PROGRESS)


assignment_area = sa.Table(
    "assignment_area",
    db.Model.metadata,
    sa.Column(
        "assignment_id", sa.ForeignKey("assignment.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("area_id", sa.ForeignKey("area.id"), primary_key=True, index=True),
)

assignment_finding = sa.Table(
    "assignment_finding",
    db.Model.metadata,
    sa.Column(
        "assignment_id", sa.ForeignKey("assignment.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "finding_id", sa.ForeignKey("finding.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class Assignment(db.Model):
    """An assignment the county's leadership group hands out after reading a compilation.

    The owner reports back: the region itself (no owner column set), one municipality (its
    MAS/MAR) or one health centre.
    """

    __tablename__ = "assignment"
    __table_args__ = (
        sa.CheckConstraint(
            "owner_municipality_id IS NULL OR owner_health_centre_id IS NULL", name="one_owner"
        ),
        sa.CheckConstraint("source_half IS NULL OR source_half IN (1, 2)", name="half"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("region.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300), info=guarded("text", "Uppdrag"))
    description: Mapped[str] = mapped_column(
        sa.Text, default="", info=guarded("text", "Beskrivning")
    )
    # The group or party the leadership group gave it to, in its own words.
    assignee: Mapped[str] = mapped_column(sa.String(200), info=guarded("org", "Till vem"))
    owner_municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipality.id"), index=True
    )
    owner_health_centre_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("health_centre.id"), index=True
    )
    # The compilation the assignment came from: a year and perhaps a half-year.
    source_year: Mapped[int] = mapped_column()
    source_half: Mapped[int | None] = mapped_column()
    due_date: Mapped[date] = mapped_column(sa.Date, index=True)
    status: Mapped[AssignmentStatus] = mapped_column(
        enum_column(AssignmentStatus), default=AssignmentStatus.NOT_STARTED, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    region = relationship("Region")
    owner_municipality = relationship("Municipality")
    owner_health_centre = relationship("HealthCentre")
    created_by = relationship("User")
    areas = relationship("Area", secondary=assignment_area, order_by="Area.sort_order")
    findings = relationship("Finding", secondary=assignment_finding, order_by="Finding.id")
    reports: Mapped[list[AssignmentReport]] = relationship(
        back_populates="assignment",
        cascade="all, delete-orphan",
        order_by="AssignmentReport.reported_at",
    )

    @property
    def name(self) -> str:
        return self.title


class AssignmentReport(db.Model):
    """The owner's report back on an assignment: a status and a (guarded) text."""

    __tablename__ = "assignment_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignment.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[AssignmentStatus] = mapped_column(enum_column(AssignmentStatus))
    text: Mapped[str] = mapped_column(sa.Text, info=guarded("text", "Återrapport"))
    reported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    assignment: Mapped[Assignment] = relationship(back_populates="reports")
    reported_by = relationship("User")


# --- the local action plan's texts -------------------------------------------------------------


class PlanText(db.Model):
    """The short text per area of the national action plan that the MAS (for a municipality) or
    the region writes before the local action plan is generated. municipality_id None = the
    region's own plan."""

    __tablename__ = "action_plan_text"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column()
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("region.id"), index=True)
    municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipality.id"), index=True
    )
    plan_area_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_area.id"), index=True)
    text: Mapped[str] = mapped_column(sa.Text, default="", info=guarded("text", "Text för området"))
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    region = relationship("Region")
    municipality = relationship("Municipality")
    plan_area = relationship("PlanArea")


# One text per plan, year and area, held by the database (coalesce: NULL = the region's plan
# would otherwise never collide).
sa.Index(
    "uq_action_plan_text_target",
    PlanText.year,
    PlanText.region_id,
    sa.func.coalesce(PlanText.municipality_id, 0),
    PlanText.plan_area_id,
    unique=True,
)


# --- shared material ---------------------------------------------------------------------------


class MaterialSettings(db.Model):
    """A region's shared-material page: open to anyone without logging in, and its own text on
    the method (empty = the standard text)."""

    __tablename__ = "material_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("region.id"), unique=True)
    public: Mapped[bool] = mapped_column(default=False)
    method_text: Mapped[str] = mapped_column(
        sa.Text, default="", info=guarded("text", "Text om metoden")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    region = relationship("Region")

    @property
    def name(self) -> str:
        return f"Material för {self.region.name}"
