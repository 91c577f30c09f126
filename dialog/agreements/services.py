"""Rules of the local agreements: who sees and edits them, saving, and which homes lack one.

A home "has a valid agreement" on a day when an active agreement between its municipality and
its health centre covers that day and includes the duty to take part in the patient-safety
dialogues. For a whole year the day is today, moved into that year (1 January for a coming
year, 31 December for a past one): the page says which day it counted on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import sqlalchemy as sa

from .. import audit
from ..extensions import db
from ..models import CareHome, HealthCentre, LocalAgreement, Municipality
from ..privacy import PatientDataError, ensure_no_patient_data
from ..scope import Scope
from ..timeutil import STOCKHOLM, now_utc

FIELDS = [
    "municipality_id",
    "health_centre_id",
    "valid_from",
    "valid_to",
    "participation_duty",
    "document_name",
    "document_ref",
    "active",
]
NAME_MAX = 200
REF_MAX = 500


class AgreementError(ValueError):
    """A rule was broken; errors maps a form field to its Swedish message (shown as it is)."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


def today_local() -> date:
    return now_utc().astimezone(STOCKHOLM).date()


def reference_day(year: int, today: date | None = None) -> date:
    """The day a year's agreements are checked on: today, moved into the year."""
    today = today or today_local()
    return min(max(today, date(year, 1, 1)), date(year, 12, 31))


# --- scope -----------------------------------------------------------------------------------


def can_edit_for(scope: Scope, municipality: Municipality) -> bool:
    """Administrators, the region and the municipality's MAS/MAR record agreements."""
    return (
        scope.admin
        or municipality.region_id in scope.region_ids
        or municipality.id in scope.municipality_ids
    )


def can_edit(scope: Scope, agreement: LocalAgreement) -> bool:
    return can_edit_for(scope, agreement.municipality)


def can_view(scope: Scope, agreement: LocalAgreement) -> bool:
    if can_edit(scope, agreement) or agreement.health_centre_id in scope.health_centre_ids:
        return True
    return bool(scope.care_home_ids) and db.session.scalar(
        sa.select(sa.func.count(CareHome.id)).where(
            CareHome.id.in_(scope.care_home_ids),
            CareHome.municipality_id == agreement.municipality_id,
        )
    )


def can_use_register(scope: Scope) -> bool:
    return bool(
        scope.admin
        or scope.region_ids
        or scope.municipality_ids
        or scope.health_centre_ids
        or scope.care_home_ids
    )


def can_edit_any(scope: Scope) -> bool:
    return bool(scope.admin or scope.region_ids or scope.municipality_ids)


def visible_clause(scope: Scope):
    """SQL condition on LocalAgreement: the agreements this user may see."""
    if scope.admin:
        return sa.true()
    clauses = []
    if scope.region_ids:
        clauses.append(
            LocalAgreement.municipality_id.in_(
                sa.select(Municipality.id).where(Municipality.region_id.in_(scope.region_ids))
            )
        )
    if scope.municipality_ids:
        clauses.append(LocalAgreement.municipality_id.in_(scope.municipality_ids))
    if scope.health_centre_ids:
        clauses.append(LocalAgreement.health_centre_id.in_(scope.health_centre_ids))
    if scope.care_home_ids:
        clauses.append(
            LocalAgreement.municipality_id.in_(
                sa.select(CareHome.municipality_id).where(CareHome.id.in_(scope.care_home_ids))
            )
        )
    return sa.or_(*clauses) if clauses else sa.false()


def editable_municipalities(scope: Scope) -> list[Municipality]:
    query = sa.select(Municipality).where(Municipality.active.is_(True)).order_by(Municipality.name)
    if not scope.admin:
        query = query.where(
            sa.or_(
                Municipality.id.in_(scope.municipality_ids),
                Municipality.region_id.in_(scope.region_ids),
            )
        )
    return list(db.session.scalars(query))


def centres_in_regions(region_ids: set[int]) -> list[HealthCentre]:
    if not region_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(HealthCentre)
            .where(HealthCentre.region_id.in_(region_ids), HealthCentre.active.is_(True))
            .order_by(HealthCentre.name)
        )
    )


# --- validity ----------------------------------------------------------------------------------


def valid_conditions(day: date) -> list:
    """Conditions on LocalAgreement: in force on the day, with the duty to take part."""
    return [
        LocalAgreement.active.is_(True),
        LocalAgreement.participation_duty.is_(True),
        LocalAgreement.valid_from <= day,
        sa.or_(LocalAgreement.valid_to.is_(None), LocalAgreement.valid_to >= day),
    ]


def _covered(day: date):
    """EXISTS: the home's municipality and health centre have a valid agreement on the day."""
    return (
        sa.select(LocalAgreement.id)
        .where(
            LocalAgreement.municipality_id == CareHome.municipality_id,
            LocalAgreement.health_centre_id == CareHome.health_centre_id,
            *valid_conditions(day),
        )
        .exists()
    )


def uncovered_conditions(day: date) -> list:
    """Conditions on CareHome: it has a health centre but no valid agreement with it."""
    return [CareHome.health_centre_id.is_not(None), ~_covered(day)]


@dataclass(frozen=True)
class Gaps:
    """Homes whose health centre has no valid agreement with the participation clause."""

    day: date
    total: int
    homes: list[dict]  # id, name, municipality, health_centre (the first `limit`)


def homes_without_agreement(home_conditions: list, day: date, *, limit: int = 50) -> Gaps:
    """One query, whatever the number of homes or municipalities: the list and the total."""
    rows = db.session.execute(
        sa.select(
            CareHome.id,
            CareHome.name,
            Municipality.name,
            HealthCentre.name,
            sa.func.count().over().label("total"),
        )
        .join(Municipality, Municipality.id == CareHome.municipality_id)
        .join(HealthCentre, HealthCentre.id == CareHome.health_centre_id)
        .where(*home_conditions, *uncovered_conditions(day))
        .order_by(Municipality.name, CareHome.name, CareHome.id)
        .limit(limit)
    ).all()
    return Gaps(
        day=day,
        total=rows[0].total if rows else 0,
        homes=[
            {"id": r[0], "name": r[1], "municipality": r[2], "health_centre": r[3]} for r in rows
        ],
    )


# Above this many homes the uncovered ones are read for all and kept in Python: an IN list of
# 2,000 ids (the national year view) cost 8 ms on PostgreSQL to bind and plan, the plain
# query 2 ms (measured).
LONG_ID_LIST = 300


def uncovered_home_ids(home_ids: list[int], day: date) -> set[int]:
    if not home_ids:
        return set()
    if len(home_ids) > LONG_ID_LIST:
        wanted = set(home_ids)
        found = db.session.scalars(sa.select(CareHome.id).where(*uncovered_conditions(day)))
        return {home_id for home_id in found if home_id in wanted}
    return set(
        db.session.scalars(
            sa.select(CareHome.id).where(CareHome.id.in_(home_ids), *uncovered_conditions(day))
        )
    )


def home_is_covered(home: CareHome, day: date) -> bool | None:
    """True/False, or None when the home has no health centre (nothing to check)."""
    if home.health_centre_id is None:
        return None
    return (
        db.session.scalar(
            sa.select(sa.func.count(LocalAgreement.id)).where(
                LocalAgreement.municipality_id == home.municipality_id,
                LocalAgreement.health_centre_id == home.health_centre_id,
                *valid_conditions(day),
            )
        )
        > 0
    )


def state_label(agreement: LocalAgreement, day: date) -> str:
    if not agreement.active:
        return "Inaktiverad"
    if agreement.valid_from > day:
        return "Börjar gälla"
    if agreement.valid_to is not None and agreement.valid_to < day:
        return "Har upphört"
    return "Gäller"


# --- saving ----------------------------------------------------------------------------------


def is_link(ref: str) -> bool:
    parts = urlsplit(ref)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def check_fields(
    *,
    municipality: Municipality | None,
    centre: HealthCentre | None,
    valid_from: date | None,
    valid_to: date | None,
    document_name: str,
    document_ref: str,
) -> tuple[dict[str, str], str, str]:
    """Every problem at once (field -> Swedish message), and the cleaned texts.

    Messages about patient data quote the refused words: they are shown only to the writer.
    """
    errors: dict[str, str] = {}
    name = " ".join((document_name or "").split())
    ref = (document_ref or "").strip()
    if municipality is None:
        errors["municipality"] = "Välj kommun."
    if centre is None:
        errors["health_centre"] = "Välj vårdcentral."
    if municipality is not None and centre is not None:
        if centre.region_id != municipality.region_id:
            errors["health_centre"] = "Vårdcentralen måste höra till samma region som kommunen."
    if valid_from is None:
        errors["valid_from"] = "Ange från vilket datum överenskommelsen gäller (ÅÅÅÅ-MM-DD)."
    elif valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = "Slutdatumet kan inte vara före startdatumet."
    if not name:
        errors["document_name"] = "Ange dokumentets namn."
    elif len(name) > NAME_MAX:
        errors["document_name"] = f"Namnet får vara högst {NAME_MAX} tecken."
    else:
        try:
            ensure_no_patient_data(name, "Dokumentets namn")
        except PatientDataError as error:
            errors["document_name"] = error.field_message
    if len(ref) > REF_MAX:
        errors["document_ref"] = f"Länken eller referensen får vara högst {REF_MAX} tecken."
    elif ref and "://" in ref and not is_link(ref):
        errors["document_ref"] = "En länk ska börja med https:// eller http://."
    elif ref:
        # A link or a file reference (diarienummer, a path): free text all the same.
        try:
            ensure_no_patient_data(ref, "Referens")
        except PatientDataError as error:
            errors["document_ref"] = error.field_message
    return errors, name, ref


def save_agreement(
    agreement: LocalAgreement | None,
    *,
    municipality: Municipality | None,
    centre: HealthCentre | None,
    valid_from: date | None,
    valid_to: date | None,
    participation_duty: bool,
    document_name: str,
    document_ref: str,
    actor=None,
) -> LocalAgreement:
    """Create or change an agreement; AgreementError changes nothing. Flushes, never commits."""
    errors, name, ref = check_fields(
        municipality=municipality,
        centre=centre,
        valid_from=valid_from,
        valid_to=valid_to,
        document_name=document_name,
        document_ref=document_ref,
    )
    if errors:
        raise AgreementError(errors)
    created = agreement is None
    obj = agreement or LocalAgreement(active=True)
    before = {} if created else audit.snapshot(obj, FIELDS)
    obj.municipality_id = municipality.id
    obj.health_centre_id = centre.id
    obj.valid_from = valid_from
    obj.valid_to = valid_to
    obj.participation_duty = bool(participation_duty)
    obj.document_name = name
    obj.document_ref = ref
    if created:
        db.session.add(obj)
    db.session.flush()
    db.session.refresh(obj, ["municipality", "health_centre"])
    changes = audit.changes_between(before, audit.snapshot(obj, FIELDS))
    if changes:
        audit.record(
            "skapade lokal överenskommelse" if created else "ändrade lokal överenskommelse",
            obj,
            where=obj.municipality,
            actor=actor,
            changes=changes,
            summary=f"{obj.municipality.name} – {obj.health_centre.name}",
        )
    return obj


def set_active(agreement: LocalAgreement, active: bool, *, actor=None) -> None:
    if agreement.active == active:
        return
    agreement.active = active
    db.session.flush()
    audit.record(
        "återaktiverade lokal överenskommelse" if active else "inaktiverade lokal överenskommelse",
        agreement,
        where=agreement.municipality,
        actor=actor,
        changes={"active": [not active, active]},
        summary=f"{agreement.municipality.name} – {agreement.health_centre.name}",
    )
