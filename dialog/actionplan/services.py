"""The local action plan: a municipality's (or the region's) year of findings and actions, laid
out along the national action plan for patient safety — four foundations and five focus areas
(the PlanArea catalogue) — with a short text per area that the MAS (or the region) writes
before the Word document is generated.

A finding belongs to a plan area when it was recorded with one; an action belongs to its
finding's plan area. What has no plan area is listed last, so nothing is left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..extensions import db
from ..models import (
    Action,
    ActionStatus,
    Area,
    CareHome,
    Dialogue,
    DialogueStatus,
    Finding,
    Municipality,
    PlanArea,
    PlanAreaKind,
    PlanText,
    Region,
)
from ..privacy import PatientDataError, ensure_no_patient_data
from ..scope import Scope
from ..timeutil import STOCKHOLM, now_utc

TEXT_MAX = 2000
NOT_LINKED = "Ej kopplat till handlingsplanens områden"
GROUP_TITLES = {
    PlanAreaKind.FOUNDATION: "Grundförutsättningar",
    PlanAreaKind.FOCUS: "Fokusområden",
}


class PlanError(ValueError):
    """errors maps a plan area id (as text) to a Swedish message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


@dataclass(frozen=True)
class Target:
    """Whose plan: a municipality's, or the region's own (municipality None)."""

    region: Region
    municipality: Municipality | None

    @property
    def name(self) -> str:
        return self.municipality.name if self.municipality else self.region.name

    @property
    def where(self):
        return self.municipality or self.region

    def query_args(self) -> dict:
        if self.municipality is not None:
            return {"kommun": self.municipality.id}
        return {"region": self.region.id}


def today_local() -> date:
    return now_utc().astimezone(STOCKHOLM).date()


# --- scope -------------------------------------------------------------------------------------


def can_use(scope: Scope) -> bool:
    return bool(scope.admin or scope.region_ids or scope.municipality_ids)


def can_edit(scope: Scope, target: Target) -> bool:
    """A municipality's plan: its MAS/MAR, the region, administrators. The region's plan: the
    region and administrators."""
    if scope.admin or target.region.id in scope.region_ids:
        return True
    return target.municipality is not None and target.municipality.id in scope.municipality_ids


def targets_for(scope: Scope) -> list[Target]:
    """The plans a user may open, for the picker: regions first, then municipalities."""
    regions = db.session.scalars(
        sa.select(Region)
        .where(sa.true() if scope.admin else Region.id.in_(scope.region_ids))
        .order_by(Region.name)
    ).all()
    municipalities = db.session.scalars(
        sa.select(Municipality)
        .where(
            Municipality.active.is_(True),
            sa.true() if scope.admin else scope.municipality_clause(),
        )
        .order_by(Municipality.name)
    ).all()
    return [Target(r, None) for r in regions] + [Target(m.region, m) for m in municipalities]


# --- content -----------------------------------------------------------------------------------


def plan_areas() -> list[PlanArea]:
    return list(
        db.session.scalars(
            sa.select(PlanArea)
            .where(PlanArea.active.is_(True))
            .order_by(PlanArea.sort_order, PlanArea.name)
        )
    )


def _dialogue_conditions(target: Target, year: int) -> list:
    homes = sa.select(CareHome.id).where(
        CareHome.municipality_id == target.municipality.id
        if target.municipality is not None
        else CareHome.municipality_id.in_(
            sa.select(Municipality.id).where(Municipality.region_id == target.region.id)
        )
    )
    return [
        Dialogue.care_home_id.in_(homes),
        Dialogue.year == year,
        Dialogue.status != DialogueStatus.CANCELLED,
    ]


def _responsible(action: Action) -> str:
    party = action.responsible_party.label
    return f"{party}, {action.responsible_role.label}" if action.responsible_role else party


@dataclass
class AreaSection:
    plan_area_id: int | None
    name: str
    kind: PlanAreaKind | None
    text: str = ""
    findings: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)

    @property
    def open_actions(self) -> int:
        return sum(1 for a in self.actions if a["open"])


@dataclass
class PlanContent:
    target: Target
    year: int
    dialogues: int
    sections: list[AreaSection]  # the plan areas in order, then the not-linked section

    @property
    def findings(self) -> int:
        return sum(len(s.findings) for s in self.sections)

    @property
    def actions(self) -> int:
        return sum(len(s.actions) for s in self.sections)


def plan_content(target: Target, year: int, *, today: date | None = None) -> PlanContent:
    """Four queries whatever the number of homes: plan areas, texts, findings, actions."""
    today = today or today_local()
    conditions = _dialogue_conditions(target, year)
    areas = plan_areas()
    sections = {a.id: AreaSection(a.id, a.name, a.kind) for a in areas}
    loose = AreaSection(None, NOT_LINKED, None)
    for plan_area_id, text in db.session.execute(
        sa.select(PlanText.plan_area_id, PlanText.text).where(*_text_conditions(target, year))
    ):
        if plan_area_id in sections:
            sections[plan_area_id].text = text
    dialogue_count = db.session.scalar(sa.select(sa.func.count(Dialogue.id)).where(*conditions))
    for finding, home, area in db.session.execute(
        sa.select(Finding, CareHome.name, Area.name)
        .join(Dialogue, Dialogue.id == Finding.dialogue_id)
        .join(CareHome, CareHome.id == Dialogue.care_home_id)
        .join(Area, Area.id == Finding.area_id)
        .where(*conditions)
        .order_by(CareHome.name, Finding.kind, Finding.id)
    ):
        sections.get(finding.plan_area_id, loose).findings.append(
            {
                "kind": finding.kind.label,
                "area": area,
                "home": home,
                "description": finding.description,
            }
        )
    plan_of_finding = sa.select(Finding.plan_area_id).where(Finding.id == Action.finding_id)
    for action, home, plan_area_id in db.session.execute(
        sa.select(Action, CareHome.name, plan_of_finding.scalar_subquery())
        .join(Dialogue, Dialogue.id == Action.dialogue_id)
        .join(CareHome, CareHome.id == Dialogue.care_home_id)
        .where(*conditions)
        .order_by(Action.due_date.is_(None), Action.due_date, CareHome.name, Action.id)
    ):
        is_open = action.status.is_open
        sections.get(plan_area_id, loose).actions.append(
            {
                "description": action.description,
                "home": home,
                "owner": _responsible(action),
                "due_date": action.due_date.isoformat() if action.due_date else "",
                "status": action.status.label,
                "open": is_open,
                "overdue": bool(is_open and action.due_date and action.due_date < today),
            }
        )
    ordered = [sections[a.id] for a in areas]
    if loose.findings or loose.actions:
        ordered.append(loose)
    return PlanContent(target, year, dialogue_count or 0, ordered)


def _text_conditions(target: Target, year: int) -> list:
    return [
        PlanText.year == year,
        PlanText.region_id == target.region.id,
        PlanText.municipality_id.is_(None)
        if target.municipality is None
        else PlanText.municipality_id == target.municipality.id,
    ]


# --- the texts ---------------------------------------------------------------------------------


def save_texts(target: Target, year: int, texts: dict[int, str], *, actor=None) -> int:
    """Set the texts per plan area (empty text clears it); PlanError names every refused text and
    saves none. Flushes, never commits. Returns how many changed."""
    if not 2000 <= year <= 2100:
        raise PlanError({"year": "Välj ett år mellan 2000 och 2100."})
    areas = {a.id: a for a in plan_areas()}
    errors, cleaned = {}, {}
    for area_id, text in texts.items():
        if area_id not in areas:
            continue
        value = (text or "").strip()
        if len(value) > TEXT_MAX:
            errors[str(area_id)] = (
                f"{areas[area_id].name}: högst {TEXT_MAX} tecken (nu {len(value)}). Korta texten."
            )
            continue
        try:
            ensure_no_patient_data(value, areas[area_id].name)
        except PatientDataError as error:
            errors[str(area_id)] = error.field_message
            continue
        cleaned[area_id] = value
    if errors:
        raise PlanError(errors)
    existing = {
        t.plan_area_id: t
        for t in db.session.scalars(sa.select(PlanText).where(*_text_conditions(target, year)))
    }
    changes = {}
    for area_id, value in cleaned.items():
        row = existing.get(area_id)
        old = row.text if row is not None else ""
        if old == value:
            continue
        if row is None:
            row = PlanText(
                year=year,
                region_id=target.region.id,
                municipality_id=target.municipality.id if target.municipality else None,
                plan_area_id=area_id,
            )
            db.session.add(row)
        row.text = value
        row.updated_by_id = getattr(actor, "id", None)
        changes[areas[area_id].name] = [old, value]
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        # Someone else saved the same plan at the same moment: theirs stands, try again.
        raise PlanError(
            {"year": "Texterna ändrades samtidigt av någon annan. Ladda om sidan och försök igen."}
        ) from None
    if changes:
        audit.record(
            "ändrade lokal handlingsplan",
            target.where,
            where=target.where,
            actor=actor,
            changes=changes,
            summary=f"Handlingsplan {year}: {target.name}",
        )
    return len(changes)


# --- the dashboards ----------------------------------------------------------------------------


def actions_by_plan_area(dialogue_ids) -> list[dict]:
    """How the actions of a set of dialogues (a select of Dialogue.id) spread over the plan's
    areas: one grouped query. Rows in the catalogue's order, then the not-linked actions."""
    is_open = sa.case((Action.status.in_([s for s in ActionStatus if s.is_open]), 1), else_=0)
    inner = (
        sa.select(Finding.plan_area_id, is_open.label("is_open"))
        .select_from(Action)
        .outerjoin(Finding, Finding.id == Action.finding_id)
        .where(Action.dialogue_id.in_(dialogue_ids))
        .subquery()
    )
    grouped = sa.select(inner.c.plan_area_id, inner.c.is_open, sa.func.count()).group_by(
        inner.c.plan_area_id, inner.c.is_open
    )
    counts: dict = defaultdict(lambda: [0, 0])
    for plan_area_id, open_, n in db.session.execute(grouped):
        counts[plan_area_id][0] += n
        counts[plan_area_id][1] += n if open_ else 0
    rows = [
        {
            "plan_area": a.name,
            "kind": a.kind.label,
            "total": counts[a.id][0],
            "open": counts[a.id][1],
        }
        for a in plan_areas()
    ]
    if None in counts:
        rows.append(
            {"plan_area": NOT_LINKED, "kind": "", "total": counts[None][0], "open": counts[None][1]}
        )
    return rows
