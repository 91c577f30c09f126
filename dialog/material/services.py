"""The shared-material page: the region's active documents filled with sample values and a short
text on the method, for every logged-in user of the region — and for anyone, when the region
turns that on."""

from __future__ import annotations

import sqlalchemy as sa

from .. import audit
from ..extensions import db
from ..models import CareHome, HealthCentre, MaterialSettings, Municipality, Region
from ..privacy import PatientDataError, ensure_no_patient_data
from ..scope import Scope

TEXT_MAX = 4000
DEFAULT_METHOD_TEXT = (
    "Varje särskilt boende håller en patientsäkerhetsdialog om året tillsammans med sin "
    "vårdcentral. Båda parter är fullt representerade: från boendet enhetschef, sjuksköterska "
    "och arbetsterapeut eller fysioterapeut, från vårdcentralen den ansvariga SÄBO-läkaren och "
    "verksamhetschefen eller en ersättare. Enhetschefen leder dialogen; MAS/MAR och regionens "
    "chefläkare stödjer och följer upp.\n\n"
    "Dialogen är ingen granskning, och inga enskilda patienter diskuteras. Parterna beskriver "
    "brister, risker och framgångsfaktorer på strukturell nivå och kommer överens om åtgärder. "
    "Lärdomarna sammanställs i länet, redovisas för ledningsgrupperna i februari och september "
    "och används i kommunernas patientsäkerhetsberättelser. Dialogen kompletterar uppföljningen "
    "av samverkansavtalet om läkarmedverkan i den kommunala hälso- och sjukvården."
)


class MaterialError(ValueError):
    """The Swedish message is shown to the writer only (it may quote refused words)."""


def regions_of(scope: Scope) -> list[Region]:
    """The regions whose material a logged-in user sees: their own (every region for admins)."""
    if scope.admin:
        return list(
            db.session.scalars(
                sa.select(Region).where(Region.active.is_(True)).order_by(Region.name)
            )
        )
    ids = set(scope.region_ids)
    if scope.municipality_ids:
        ids |= set(
            db.session.scalars(
                sa.select(Municipality.region_id).where(Municipality.id.in_(scope.municipality_ids))
            )
        )
    if scope.care_home_ids:
        ids |= set(
            db.session.scalars(
                sa.select(Municipality.region_id)
                .join(CareHome, CareHome.municipality_id == Municipality.id)
                .where(CareHome.id.in_(scope.care_home_ids))
            )
        )
    if scope.health_centre_ids:
        ids |= set(
            db.session.scalars(
                sa.select(HealthCentre.region_id).where(
                    HealthCentre.id.in_(scope.health_centre_ids)
                )
            )
        )
    if not ids:
        return []
    return list(
        db.session.scalars(sa.select(Region).where(Region.id.in_(ids)).order_by(Region.name))
    )


def can_manage(scope: Scope, region: Region) -> bool:
    return scope.admin or region.id in scope.region_ids


def settings_of(region: Region) -> MaterialSettings | None:
    return db.session.scalar(
        sa.select(MaterialSettings).where(MaterialSettings.region_id == region.id)
    )


def is_public(region: Region) -> bool:
    settings = settings_of(region)
    return bool(region.active and settings is not None and settings.public)


def method_text(region: Region) -> str:
    settings = settings_of(region)
    return (settings.method_text if settings else "") or DEFAULT_METHOD_TEXT


def save_settings(region: Region, *, public: bool, text: str, actor=None) -> MaterialSettings:
    """Turn the page's public access on or off and set the region's own text (empty = the
    standard text). MaterialError changes nothing. Flushes, never commits."""
    text = (text or "").strip().replace("\r\n", "\n")
    if len(text) > TEXT_MAX:
        raise MaterialError(f"Texten får vara högst {TEXT_MAX} tecken (nu {len(text)}).")
    try:
        ensure_no_patient_data(text, "Text om metoden")
    except PatientDataError as error:
        raise MaterialError(error.field_message) from None
    settings = settings_of(region)
    if settings is None:
        settings = MaterialSettings(region_id=region.id, public=False, method_text="")
        db.session.add(settings)
        db.session.flush()
    before = {"public": settings.public, "method_text": settings.method_text}
    settings.public = bool(public)
    settings.method_text = "" if text == DEFAULT_METHOD_TEXT else text
    db.session.flush()
    changes = audit.changes_between(
        before, {"public": settings.public, "method_text": settings.method_text}
    )
    if changes:
        audit.record(
            "ändrade delat material",
            settings,
            where=region,
            actor=actor,
            changes=changes,
            summary=region.name,
        )
    return settings
