"""Register rules: unique names where they must be, deactivate instead of delete, audit all."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from .. import audit, emails
from ..extensions import db
from ..models import CareHome, Contact, ContactRole, HealthCentre, Municipality, Operator, Region


class RegisterError(ValueError):
    """A register rule was broken; the Swedish message is shown as it is."""


HOME_FIELDS = ["name", "address", "municipality_id", "health_centre_id", "active"]
CENTRE_FIELDS = ["name", "address", "operator", "region_id", "active"]
CONTACT_FIELDS = [
    "name",
    "email",
    "phone",
    "role",
    "care_home_id",
    "health_centre_id",
    "municipality_id",
    "region_id",
    "active",
]
MUNICIPALITY_FIELDS = ["name", "region_id", "active"]
REGION_FIELDS = ["name", "active"]

LABELS = {
    CareHome: "boendet",
    HealthCentre: "vårdcentralen",
    Contact: "kontakten",
    Municipality: "kommunen",
    Region: "regionen",
}


def normalise_email(value: str) -> str:
    """A checked, normalised address, or RegisterError with a Swedish message."""
    try:
        return emails.normalise_email(value)
    except emails.InvalidEmailError as error:
        raise RegisterError(str(error)) from None


def _clean(text: str | None, limit: int) -> str:
    value = " ".join((text or "").split())  # no line breaks or runs of spaces
    if len(value) > limit:
        raise RegisterError(f"Texten får vara högst {limit} tecken.")
    return value


def _save(obj, fields: list[str], values: dict[str, Any], actor, *, created: bool):
    before = {} if created else audit.snapshot(obj, fields)
    for key, value in values.items():
        setattr(obj, key, value)
    if created:
        db.session.add(obj)
    db.session.flush()
    changes = audit.changes_between(before, audit.snapshot(obj, fields))
    if changes:
        audit.record(
            ("skapade " if created else "ändrade ") + LABELS[type(obj)],
            obj,
            actor=actor,
            changes=changes,
            summary=getattr(obj, "name", ""),
        )
    return obj


def name_key(name: str) -> str:
    """How two names are compared: case-folded (å, ä, ö too) with spaces collapsed.

    In Python, not with SQL lower(): SQLite's lower() folds ASCII only, so "Åsgården" and
    "åsgården" would pass a check and then collide in the unique index."""
    return " ".join((name or "").split()).casefold()


def home_named(municipality_id: int, name: str, *, exclude_id: int | None = None) -> int | None:
    """The id of the municipality's home with this name (any case), if there is one."""
    wanted = name_key(name)
    for home_id, existing in db.session.execute(
        sa.select(CareHome.id, CareHome.name).where(CareHome.municipality_id == municipality_id)
    ):
        if home_id != exclude_id and name_key(existing) == wanted:
            return home_id
    return None


def save_home(
    home: CareHome | None,
    *,
    name: str,
    address: str,
    municipality: Municipality,
    health_centre: HealthCentre | None,
    actor=None,
) -> CareHome:
    name = _clean(name, 160)
    if not name:
        raise RegisterError("Ange boendets namn.")
    if health_centre is not None and health_centre.region_id != municipality.region_id:
        raise RegisterError("Vårdcentralen måste höra till samma region som kommunen.")
    clash = home_named(municipality.id, name, exclude_id=home.id if home else None)
    if clash is not None:
        raise RegisterError(f"Det finns redan ett boende som heter {name} i {municipality.name}.")
    obj = _save(
        home or CareHome(),
        HOME_FIELDS,
        {
            "name": name,
            "address": _clean(address, 240),
            "municipality_id": municipality.id,
            "health_centre_id": health_centre.id if health_centre else None,
        }
        | ({"active": True} if home is None else {}),
        actor,
        created=home is None,
    )
    db.session.flush()
    return obj


def save_health_centre(
    centre: HealthCentre | None,
    *,
    name: str,
    address: str,
    operator: Operator,
    region: Region,
    actor=None,
) -> HealthCentre:
    name = _clean(name, 160)
    if not name:
        raise RegisterError("Ange vårdcentralens namn.")
    clash = db.session.scalar(
        sa.select(HealthCentre.id).where(
            HealthCentre.region_id == region.id,
            sa.func.lower(HealthCentre.name) == name.lower(),
            HealthCentre.id != (centre.id if centre else -1),
        )
    )
    if clash is not None:
        raise RegisterError(f"Det finns redan en vårdcentral som heter {name} i {region.name}.")
    obj = _save(
        centre or HealthCentre(),
        CENTRE_FIELDS,
        {
            "name": name,
            "address": _clean(address, 240),
            "operator": operator,
            "region_id": region.id,
        }
        | ({"active": True} if centre is None else {}),
        actor,
        created=centre is None,
    )
    db.session.flush()
    return obj


def owner_fields(owner) -> dict[str, int | None]:
    fields = {
        "care_home_id": None,
        "health_centre_id": None,
        "municipality_id": None,
        "region_id": None,
    }
    key = {
        CareHome: "care_home_id",
        HealthCentre: "health_centre_id",
        Municipality: "municipality_id",
        Region: "region_id",
    }[type(owner)]
    fields[key] = owner.id
    return fields


def save_contact(
    contact: Contact | None,
    *,
    name: str,
    email: str,
    phone: str,
    role: ContactRole,
    owner,
    actor=None,
) -> Contact:
    name = _clean(name, 160)
    if not name:
        raise RegisterError("Ange kontaktpersonens namn.")
    email = normalise_email(email)
    phone = _clean(phone, 40)
    fields = owner_fields(owner)
    clash = db.session.scalar(
        sa.select(Contact.id).where(
            Contact.email == email,
            Contact.role == role,
            Contact.active.is_(True),
            *[
                getattr(Contact, k).is_(None) if v is None else getattr(Contact, k) == v
                for k, v in fields.items()
            ],
            Contact.id != (contact.id if contact else -1),
        )
    )
    if clash is not None:
        raise RegisterError(f"{email} finns redan som {role.label.lower()} hos {owner.name}.")
    obj = _save(
        contact or Contact(),
        CONTACT_FIELDS,
        {
            "name": name,
            "email": email,
            "phone": phone,
            "role": role,
            **fields,
        }
        | ({"active": True} if contact is None else {}),
        actor,
        created=contact is None,
    )
    db.session.flush()
    return obj


def save_municipality(
    municipality: Municipality | None, *, name: str, region: Region, actor=None
) -> Municipality:
    name = _clean(name, 120)
    if not name:
        raise RegisterError("Ange kommunens namn.")
    clash = db.session.scalar(
        sa.select(Municipality.id).where(
            sa.func.lower(Municipality.name) == name.lower(),
            Municipality.region_id == region.id,
            Municipality.id != (municipality.id if municipality else -1),
        )
    )
    if clash is not None:
        raise RegisterError(f"Kommunen {name} finns redan i {region.name}.")
    obj = _save(
        municipality or Municipality(),
        MUNICIPALITY_FIELDS,
        {"name": name, "region_id": region.id} | ({"active": True} if municipality is None else {}),
        actor,
        created=municipality is None,
    )
    db.session.flush()
    return obj


def save_region(region: Region | None, *, name: str, actor=None) -> Region:
    name = _clean(name, 120)
    if not name:
        raise RegisterError("Ange regionens namn.")
    clash = db.session.scalar(
        sa.select(Region.id).where(
            sa.func.lower(Region.name) == name.lower(), Region.id != (region.id if region else -1)
        )
    )
    if clash is not None:
        raise RegisterError(f"Regionen {name} finns redan.")
    obj = _save(
        region or Region(),
        REGION_FIELDS,
        {"name": name} | ({"active": True} if region is None else {}),
        actor,
        created=region is None,
    )
    db.session.flush()
    return obj


def set_active(obj, active: bool, *, actor=None) -> None:
    """Deactivate or reactivate. Nothing with history is ever deleted."""
    if obj.active == active:
        return
    obj.active = active
    verb = "återaktiverade " if active else "inaktiverade "
    audit.record(
        verb + LABELS[type(obj)],
        obj,
        actor=actor,
        changes={"active": [not active, active]},
        summary=getattr(obj, "name", ""),
    )
    db.session.flush()
