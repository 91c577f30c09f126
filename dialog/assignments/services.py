"""Leadership assignments (uppdrag): recorded by the region from the compilation report, reported
back by their owner, listed in the next compilation and flagged on the dashboard when overdue.

Who may do what:
- administrators and the region's users record and change assignments, and may report back;
- the owner reports back: the MAS/MAR of the owning municipality, the users of the owning
  health centre (an assignment owned by the region itself is reported by the region);
- others do not see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from .. import audit
from ..bounds import date_in_range, valid_id, year_in_range
from ..catalogues import areas_for_region
from ..extensions import db
from ..models import (
    Area,
    Assignment,
    AssignmentReport,
    AssignmentStatus,
    CareHome,
    Dialogue,
    Finding,
    HealthCentre,
    Municipality,
    Region,
)
from ..privacy import PatientDataError, ensure_no_patient_data
from ..scope import Scope
from ..timeutil import STOCKHOLM, format_date, now_utc

TITLE_MAX = 300
ASSIGNEE_MAX = 200
TEXT_MAX = 4000
HALF_LABELS = {1: "januari–juni", 2: "juli–december"}
FIELDS = [
    "title",
    "description",
    "assignee",
    "owner_municipality_id",
    "owner_health_centre_id",
    "source_year",
    "source_half",
    "due_date",
]


class AssignmentError(ValueError):
    """errors maps a form field to its Swedish message (patient-data messages quote the words:
    show them only to the writer)."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


def today_local() -> date:
    return now_utc().astimezone(STOCKHOLM).date()


def source_label(year: int, half: int | None) -> str:
    return f"Sammanställningen {year}" + (f" ({HALF_LABELS[half]})" if half else "")


# --- scope -------------------------------------------------------------------------------------


def can_record_in(scope: Scope, region_id: int) -> bool:
    return scope.admin or region_id in scope.region_ids


def can_record_any(scope: Scope) -> bool:
    return bool(scope.admin or scope.region_ids)


def is_owner(scope: Scope, assignment: Assignment) -> bool:
    if assignment.owner_municipality_id is not None:
        return assignment.owner_municipality_id in scope.municipality_ids
    if assignment.owner_health_centre_id is not None:
        return assignment.owner_health_centre_id in scope.health_centre_ids
    return assignment.region_id in scope.region_ids


def can_view(scope: Scope, assignment: Assignment) -> bool:
    return can_record_in(scope, assignment.region_id) or is_owner(scope, assignment)


def can_report(scope: Scope, assignment: Assignment) -> bool:
    return can_view(scope, assignment)


def can_use(scope: Scope) -> bool:
    """The assignments pages: the region, administrators and possible owners."""
    return bool(
        scope.admin or scope.region_ids or scope.municipality_ids or scope.health_centre_ids
    )


def visible_clause(scope: Scope):
    if scope.admin:
        return sa.true()
    clauses = []
    if scope.region_ids:
        clauses.append(Assignment.region_id.in_(scope.region_ids))
    if scope.municipality_ids:
        clauses.append(Assignment.owner_municipality_id.in_(scope.municipality_ids))
    if scope.health_centre_ids:
        clauses.append(Assignment.owner_health_centre_id.in_(scope.health_centre_ids))
    return sa.or_(*clauses) if clauses else sa.false()


def recordable_regions(scope: Scope) -> list[Region]:
    query = sa.select(Region).where(Region.active.is_(True)).order_by(Region.name)
    if not scope.admin:
        query = query.where(Region.id.in_(scope.region_ids))
    return list(db.session.scalars(query))


# --- choices for the form ---------------------------------------------------------------------


def owner_choices(region: Region) -> list[tuple[str, str]]:
    choices = [(f"region:{region.id}", f"{region.name} (regionen själv)")]
    choices += [
        (f"municipality:{m.id}", f"Kommun: {m.name}")
        for m in db.session.scalars(
            sa.select(Municipality)
            .where(Municipality.region_id == region.id, Municipality.active.is_(True))
            .order_by(Municipality.name)
        )
    ]
    choices += [
        (f"health_centre:{c.id}", f"Vårdcentral: {c.name}")
        for c in db.session.scalars(
            sa.select(HealthCentre)
            .where(HealthCentre.region_id == region.id, HealthCentre.active.is_(True))
            .order_by(HealthCentre.name)
        )
    ]
    return choices


def owner_value(assignment: Assignment) -> str:
    if assignment.owner_municipality_id:
        return f"municipality:{assignment.owner_municipality_id}"
    if assignment.owner_health_centre_id:
        return f"health_centre:{assignment.owner_health_centre_id}"
    return f"region:{assignment.region_id}"


def owner_label(assignment: Assignment) -> str:
    if assignment.owner_municipality is not None:
        return f"MAS/MAR, {assignment.owner_municipality.name}"
    if assignment.owner_health_centre is not None:
        return assignment.owner_health_centre.name
    return assignment.region.name


def area_choices(region: Region) -> list[Area]:
    return areas_for_region(region.id)


def finding_choices(region: Region, year: int, current: list[Finding] = ()) -> list[Finding]:
    """The findings a compilation lifts to the leadership group: escalated findings and lessons
    of the year in the region (and those already linked)."""
    found = list(
        db.session.scalars(
            sa.select(Finding)
            .join(Dialogue, Dialogue.id == Finding.dialogue_id)
            .join(CareHome, CareHome.id == Dialogue.care_home_id)
            .join(Municipality, Municipality.id == CareHome.municipality_id)
            .where(
                Municipality.region_id == region.id,
                Dialogue.year == year,
                sa.or_(Finding.escalate.is_(True), Finding.spread_as_lesson.is_(True)),
            )
            .order_by(CareHome.name, Finding.id)
            .limit(300)
        )
    )
    ids = {f.id for f in found}
    return found + [f for f in current if f.id not in ids]


def finding_label(finding: Finding) -> str:
    text = " ".join(finding.description.split())
    short = text if len(text) <= 90 else text[:87].rstrip() + "…"
    return (
        f"{finding.dialogue.care_home.name} {finding.dialogue.year}, {finding.kind.label.lower()} "
        f"({finding.area.name}): {short}"
    )


# --- saving ------------------------------------------------------------------------------------


def _text(errors, name, label, value, *, max_len, required=True) -> str:
    value = (value or "").strip()
    if name in ("title", "assignee"):
        value = " ".join(value.split())
    if not value:
        if required:
            errors[name] = f"Fyll i {label.lower()}."
        return ""
    if len(value) > max_len:
        errors[name] = f"{label} får vara högst {max_len} tecken (nu {len(value)})."
        return value
    try:
        ensure_no_patient_data(value, label)
    except PatientDataError as error:
        errors[name] = error.field_message
    return value


@dataclass
class AssignmentData:
    title: str
    description: str
    assignee: str
    owner: str  # "region:ID", "municipality:ID" or "health_centre:ID"
    source_year: int | None
    source_half: int | None
    due_date: date | None
    area_ids: list[int]
    finding_ids: list[int]


def save_assignment(
    assignment: Assignment | None, region: Region, data: AssignmentData, *, actor=None
) -> Assignment:
    """Create or change an assignment; AssignmentError names every bad field and saves nothing."""
    errors: dict[str, str] = {}
    title = _text(errors, "title", "Uppdraget", data.title, max_len=TITLE_MAX)
    description = _text(
        errors, "description", "Beskrivning", data.description, max_len=TEXT_MAX, required=False
    )
    assignee = _text(errors, "assignee", "Till vem", data.assignee, max_len=ASSIGNEE_MAX)
    owner_municipality_id = owner_health_centre_id = None
    kind, _, raw_id = (data.owner or "").partition(":")
    valid_owners = {value for value, _ in owner_choices(region)}
    if assignment is not None:
        valid_owners.add(owner_value(assignment))
    if data.owner not in valid_owners:
        errors["owner"] = "Välj vem som ska rapportera tillbaka."
    elif kind == "municipality":
        owner_municipality_id = int(raw_id)
    elif kind == "health_centre":
        owner_health_centre_id = int(raw_id)
    if not year_in_range(data.source_year):
        errors["source_year"] = "Ange sammanställningens år."
    if data.source_half not in (None, 1, 2):
        errors["source_half"] = "Välj halvår."
    if data.due_date is None:
        errors["due_date"] = "Ange när uppdraget ska vara klart (ÅÅÅÅ-MM-DD)."
    elif not date_in_range(data.due_date):
        errors["due_date"] = "Ange ett rimligt datum."
    allowed_areas = {a.id: a for a in area_choices(region)}
    if assignment is not None:
        allowed_areas.update({a.id: a for a in assignment.areas})
    if any(i not in allowed_areas for i in data.area_ids):
        errors["areas"] = "Välj områden ur regionens katalog."
    findings = []
    if not all(valid_id(i) for i in data.finding_ids):  # a number no row can have
        errors["findings"] = "Välj fynd från regionens dialoger."
    elif data.finding_ids:
        findings = list(
            db.session.scalars(
                sa.select(Finding)
                .join(Dialogue, Dialogue.id == Finding.dialogue_id)
                .join(CareHome, CareHome.id == Dialogue.care_home_id)
                .join(Municipality, Municipality.id == CareHome.municipality_id)
                .where(Finding.id.in_(data.finding_ids), Municipality.region_id == region.id)
            )
        )
        if len(findings) != len(set(data.finding_ids)):
            errors["findings"] = "Välj fynd från regionens dialoger."
    if errors:
        raise AssignmentError(errors)
    created = assignment is None
    obj = assignment or Assignment(region_id=region.id, status=AssignmentStatus.NOT_STARTED)
    before = {} if created else audit.snapshot(obj, FIELDS)
    before_links = (
        {}
        if created
        else {
            "areas": sorted(a.id for a in obj.areas),
            "findings": sorted(f.id for f in obj.findings),
        }
    )
    obj.title, obj.description, obj.assignee = title, description, assignee
    obj.owner_municipality_id, obj.owner_health_centre_id = (
        owner_municipality_id,
        owner_health_centre_id,
    )
    obj.source_year, obj.source_half, obj.due_date = (
        data.source_year,
        data.source_half,
        data.due_date,
    )
    obj.areas = [allowed_areas[i] for i in dict.fromkeys(data.area_ids)]
    obj.findings = findings
    if created:
        obj.created_by_id = getattr(actor, "id", None)
        db.session.add(obj)
    db.session.flush()
    changes = audit.changes_between(before, audit.snapshot(obj, FIELDS))
    changes |= audit.changes_between(
        before_links,
        {"areas": sorted(a.id for a in obj.areas), "findings": sorted(f.id for f in obj.findings)},
    )
    if changes:
        audit.record(
            "skapade uppdrag" if created else "ändrade uppdrag",
            obj,
            where=_where(obj),
            actor=actor,
            changes=changes,
            summary=obj.title,
        )
    return obj


def _where(assignment: Assignment):
    if assignment.owner_municipality_id is not None:
        return db.session.get(Municipality, assignment.owner_municipality_id)
    return db.session.get(Region, assignment.region_id)


def report_back(
    assignment: Assignment, status: AssignmentStatus | None, text: str, *, actor=None
) -> AssignmentReport:
    """The owner's report: a status and a guarded text. Sets the assignment's status."""
    errors: dict[str, str] = {}
    if status is None:
        errors["status"] = "Välj status."
    text = _text(errors, "text", "Återrapporten", text, max_len=TEXT_MAX)
    if errors:
        raise AssignmentError(errors)
    report = AssignmentReport(
        assignment=assignment,
        status=status,
        text=text,
        reported_by_id=getattr(actor, "id", None),
        reported_at=now_utc(),
    )
    db.session.add(report)
    old = assignment.status
    assignment.status = status
    if status.is_open:
        assignment.closed_at = None
    elif old.is_open:
        assignment.closed_at = now_utc()
    db.session.flush()
    audit.record(
        "rapporterade uppdrag",
        assignment,
        where=_where(assignment),
        actor=actor,
        changes={"status": [old.value, status.value], "report_id": [None, report.id]},
        summary=assignment.title,
    )
    return report


# --- follow-up ----------------------------------------------------------------------------------


# Everything a listed assignment shows, loaded with it (a handful of queries for any number).
_LOADS = (
    selectinload(Assignment.reports),
    selectinload(Assignment.areas),
    joinedload(Assignment.region),
    joinedload(Assignment.owner_municipality),
    joinedload(Assignment.owner_health_centre),
)


def overdue_condition(today: date):
    return sa.and_(
        Assignment.status.in_([s for s in AssignmentStatus if s.is_open]),
        Assignment.due_date < today,
    )


@dataclass(frozen=True)
class Overdue:
    today: date
    total: int
    open_total: int
    rows: list[dict]


def overdue_assignments(scope: Scope, today: date | None = None, *, limit: int = 25) -> Overdue:
    """The regional dashboard's overdue assignments: two small queries, however many there are."""
    today = today or today_local()
    is_open = Assignment.status.in_([s for s in AssignmentStatus if s.is_open])
    open_total, total = db.session.execute(
        sa.select(
            sa.func.count(Assignment.id),
            sa.func.coalesce(sa.func.sum(sa.case((Assignment.due_date < today, 1), else_=0)), 0),
        ).where(visible_clause(scope), is_open)
    ).one()
    rows = []
    if total:
        for a in db.session.scalars(
            sa.select(Assignment)
            .where(visible_clause(scope), overdue_condition(today))
            .order_by(Assignment.due_date, Assignment.id)
            .options(*_LOADS[2:])
            .limit(limit)
        ):
            rows.append(
                {
                    "id": a.id,
                    "title": a.title,
                    "assignee": a.assignee,
                    "owner": owner_label(a),
                    "due_date": a.due_date,
                    "status": a.status.label,
                }
            )
    return Overdue(today=today, total=int(total or 0), open_total=int(open_total or 0), rows=rows)


def report_section(
    scope: Scope, start: datetime, end: datetime, *, municipality_id: int | None = None
) -> list[dict]:
    """The compilation report's section: assignments handed out before the period's end that
    were still open at its start (or created in it), each with the reports written up to the
    end. With a municipality filter, the assignments that municipality owns."""
    today = today_local()
    query = (
        sa.select(Assignment)
        .where(
            visible_clause(scope),
            Assignment.created_at < end,
            sa.or_(Assignment.closed_at.is_(None), Assignment.closed_at >= start),
        )
        .order_by(Assignment.due_date, Assignment.id)
        .options(*_LOADS)
    )
    if municipality_id is not None:
        query = query.where(Assignment.owner_municipality_id == municipality_id)
    out = []
    for a in db.session.scalars(query.limit(200)):
        reports = [r for r in a.reports if r.reported_at < end]
        # Status only changes through reports: the last one before the end is the status then.
        status = reports[-1].status if reports else AssignmentStatus.NOT_STARTED
        last_day = min(today, end.astimezone(STOCKHOLM).date())
        out.append(
            {
                "title": a.title,
                "description": a.description,
                "assignee": a.assignee,
                "owner": owner_label(a),
                "source": source_label(a.source_year, a.source_half),
                "due_date": a.due_date.isoformat(),
                "status": status.label,
                "overdue": status.is_open and a.due_date < last_day,
                "areas": ", ".join(ar.name for ar in a.areas),
                "reports": [
                    {"date": format_date(r.reported_at), "status": r.status.label, "text": r.text}
                    for r in reports
                ],
            }
        )
    return out
