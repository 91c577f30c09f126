"""The registers: regions, municipalities, nursing homes, health centres and their contacts."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..privacy import exempt, guarded
from .base import LabelledEnum, enum_column


class Operator(LabelledEnum):
    PUBLIC = ("offentlig", "Offentlig")
    PRIVATE = ("privat", "Privat")


class ContactRole(LabelledEnum):
    UNIT_MANAGER = ("enhetschef", "Enhetschef")
    NURSE = ("sjukskoterska", "Sjuksköterska")
    OCCUPATIONAL_THERAPIST = ("arbetsterapeut", "Arbetsterapeut")
    PHYSIOTHERAPIST = ("fysioterapeut", "Fysioterapeut")
    HOME_PHYSICIAN = ("sabo_lakare", "SÄBO-läkare")
    CENTRE_MANAGER = ("verksamhetschef", "Verksamhetschef")
    MAS = ("mas", "MAS")
    MAR = ("mar", "MAR")
    CHIEF_PHYSICIAN = ("cheflakare", "Chefläkare")
    OTHER = ("annan", "Annan")

    @classmethod
    def from_text(cls, text: str) -> ContactRole | None:
        """Accept the Swedish label or the code, case- and accent-insensitively (for CSV files)."""
        wanted = _fold(text)
        for role in cls:
            if wanted in {_fold(role.value), _fold(role.label)}:
                return role
        return None


def _fold(text: str) -> str:
    table = str.maketrans("åäöÅÄÖéÉ", "aaoAAOeE")
    return text.strip().translate(table).lower().replace("-", "_").replace(" ", "_")


class Region(db.Model):
    __tablename__ = "region"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True, info=guarded("org", "Namn"))
    active: Mapped[bool] = mapped_column(default=True)

    municipalities: Mapped[list[Municipality]] = relationship(
        back_populates="region", order_by="Municipality.name"
    )
    health_centres: Mapped[list[HealthCentre]] = relationship(
        back_populates="region", order_by="HealthCentre.name"
    )

    def __str__(self) -> str:
        return self.name


class Municipality(db.Model):
    __tablename__ = "municipality"
    __table_args__ = (sa.UniqueConstraint("region_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), info=guarded("org", "Namn"))
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("region.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)

    region: Mapped[Region] = relationship(back_populates="municipalities")
    care_homes: Mapped[list[CareHome]] = relationship(
        back_populates="municipality", order_by="CareHome.name"
    )

    def __str__(self) -> str:
        return self.name


class HealthCentre(db.Model):
    __tablename__ = "health_centre"
    __table_args__ = (sa.UniqueConstraint("region_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), info=guarded("org", "Namn"))
    operator: Mapped[Operator] = mapped_column(enum_column(Operator), default=Operator.PUBLIC)
    address: Mapped[str] = mapped_column(sa.String(240), default="", info=guarded("org", "Adress"))
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("region.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)

    region: Mapped[Region] = relationship(back_populates="health_centres")
    care_homes: Mapped[list[CareHome]] = relationship(back_populates="health_centre")
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="health_centre", order_by="Contact.name"
    )

    def __str__(self) -> str:
        return self.name


class CareHome(db.Model):
    __tablename__ = "care_home"
    __table_args__ = (sa.UniqueConstraint("municipality_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), info=guarded("org", "Namn"))
    address: Mapped[str] = mapped_column(sa.String(240), default="", info=guarded("org", "Adress"))
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    # The health centre responsible for physician participation at this home.
    health_centre_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("health_centre.id"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True)

    municipality: Mapped[Municipality] = relationship(back_populates="care_homes")
    health_centre: Mapped[HealthCentre | None] = relationship(back_populates="care_homes")
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="care_home", order_by="Contact.name"
    )

    @property
    def region_id(self) -> int:
        return self.municipality.region_id

    def __str__(self) -> str:
        return self.name


class Contact(db.Model):
    """A person the dialogue involves. Belongs to exactly one organisation."""

    __tablename__ = "contact"
    __table_args__ = (
        sa.CheckConstraint(
            "(CASE WHEN care_home_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN health_centre_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN municipality_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN region_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_owner",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), info=guarded("name", "Namn"))
    email: Mapped[str] = mapped_column(
        sa.String(254),
        index=True,
        info=exempt("contact e-mail address, checked by the e-mail normaliser"),
    )
    phone: Mapped[str] = mapped_column(sa.String(40), default="", info=guarded("phone", "Telefon"))
    role: Mapped[ContactRole] = mapped_column(enum_column(ContactRole))
    care_home_id: Mapped[int | None] = mapped_column(sa.ForeignKey("care_home.id"), index=True)
    health_centre_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("health_centre.id"), index=True
    )
    municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipality.id"), index=True
    )
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("region.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)

    care_home: Mapped[CareHome | None] = relationship(back_populates="contacts")
    health_centre: Mapped[HealthCentre | None] = relationship(back_populates="contacts")
    municipality: Mapped[Municipality | None] = relationship()
    region: Mapped[Region | None] = relationship()

    @property
    def organisation(self):
        return self.care_home or self.health_centre or self.municipality or self.region

    def __str__(self) -> str:
        return f"{self.name} ({self.role.label})"
