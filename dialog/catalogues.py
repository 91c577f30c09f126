"""The default catalogues: areas of care and the national action plan's areas."""

from __future__ import annotations

import sqlalchemy as sa

from .extensions import db
from .models import Area, PlanArea, PlanAreaKind

DEFAULT_AREAS = [
    "Läkemedel",
    "Fall",
    "Trycksår",
    "Nutrition",
    "Palliativ vård",
    "Hygien",
    "Informationsöverföring",
    "Läkartillgänglighet",
    "Delegering",
    "BPSD",
    "Munhälsa",
    "Kompetens och bemanning",
    "Avvikelsehantering",
]

PLAN_FOUNDATIONS = [
    "Engagerad ledning och tydlig styrning",
    "En god säkerhetskultur",
    "Adekvat kunskap och kompetens",
    "Patienten som medskapare",
]
PLAN_FOCUS_AREAS = [
    "Öka kunskap om inträffade vårdskador",
    "Tillförlitliga och säkra system och processer",
    "Säker vård här och nu",
    "Stärka analys, lärande och utveckling",
    "Öka riskmedvetenhet och beredskap",
]


def ensure_default_catalogues() -> None:
    """Create the shared default catalogues if they are missing. Safe to run repeatedly."""
    existing = set(db.session.scalars(sa.select(Area.name).where(Area.region_id.is_(None))))
    for order, name in enumerate(DEFAULT_AREAS):
        if name not in existing:
            db.session.add(Area(name=name, sort_order=order, region_id=None))
    existing_plan = set(db.session.scalars(sa.select(PlanArea.name)))
    plan = [(n, PlanAreaKind.FOUNDATION) for n in PLAN_FOUNDATIONS] + [
        (n, PlanAreaKind.FOCUS) for n in PLAN_FOCUS_AREAS
    ]
    for order, (name, kind) in enumerate(plan):
        if name not in existing_plan:
            db.session.add(PlanArea(name=name, kind=kind, sort_order=order))
    db.session.flush()


def areas_for_region(region_id: int | None) -> list[Area]:
    """The region's own catalogue when it has one, otherwise the shared default."""
    if region_id is not None:
        own = db.session.scalars(
            sa.select(Area)
            .where(Area.region_id == region_id, Area.active.is_(True))
            .order_by(Area.sort_order, Area.name)
        ).all()
        if own:
            return list(own)
    return list(
        db.session.scalars(
            sa.select(Area)
            .where(Area.region_id.is_(None), Area.active.is_(True))
            .order_by(Area.sort_order, Area.name)
        )
    )
