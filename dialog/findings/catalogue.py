"""The area catalogue per region: start from the shared default, add, rename, hide, reorder.

A region without its own areas uses the shared default catalogue (dialog.catalogues). Areas are
never deleted: findings keep pointing at them, a hidden area only leaves the choice lists.
"""

from __future__ import annotations

import sqlalchemy as sa

from .. import audit
from ..extensions import db
from ..models import Area, Region
from .lifecycle import Checker, FindingsError


def can_edit_catalogue(scope, region: Region) -> bool:
    return scope.admin or region.id in scope.region_ids


def editable_regions(scope) -> list[Region]:
    query = sa.select(Region).where(Region.active.is_(True)).order_by(Region.name)
    if not scope.admin:
        query = query.where(Region.id.in_(scope.region_ids))
    return list(db.session.scalars(query))


def region_catalogue(region: Region) -> list[Area]:
    """All of the region's own areas, hidden ones last."""
    return list(
        db.session.scalars(
            sa.select(Area)
            .where(Area.region_id == region.id)
            .order_by(Area.active.desc(), Area.sort_order, Area.name)
        )
    )


def default_catalogue() -> list[Area]:
    return list(
        db.session.scalars(
            sa.select(Area)
            .where(Area.region_id.is_(None), Area.active.is_(True))
            .order_by(Area.sort_order, Area.name)
        )
    )


def start_own_catalogue(region: Region, *, actor) -> int:
    if region_catalogue(region):
        raise FindingsError("Regionen har redan en egen katalog.")
    defaults = default_catalogue()
    for area in defaults:
        db.session.add(Area(region_id=region.id, name=area.name, sort_order=area.sort_order))
    audit.record(
        "skapade regionens områdeskatalog",
        region,
        actor=actor,
        changes={"områden": [None, [a.name for a in defaults]]},
    )
    db.session.flush()
    return len(defaults)


def _check_name(region: Region, name: str, current: Area | None = None) -> str:
    checker = Checker()
    name = checker.text("name", "Områdets namn", name, max_len=120)
    checker.raise_if_any()
    clash = db.session.scalar(
        sa.select(Area).where(Area.region_id == region.id, sa.func.lower(Area.name) == name.lower())
    )
    if clash is not None and clash is not current:
        raise FindingsError(f"Området ”{name}” finns redan i regionens katalog.")
    return name


def add_area(region: Region, name: str, *, actor) -> Area:
    name = _check_name(region, name)
    order = (
        db.session.scalar(
            sa.select(sa.func.max(Area.sort_order)).where(Area.region_id == region.id)
        )
        or 0
    ) + 1
    area = Area(region_id=region.id, name=name, sort_order=order)
    db.session.add(area)
    audit.record(
        "lade till område", area, where=region, actor=actor, changes={"name": [None, name]}
    )
    db.session.flush()
    return area


def rename_area(area: Area, name: str, *, actor) -> None:
    region = db.session.get(Region, area.region_id)
    name = _check_name(region, name, current=area)
    if name == area.name:
        return
    audit.record(
        "bytte namn på område", area, where=region, actor=actor, changes={"name": [area.name, name]}
    )
    area.name = name
    db.session.flush()


def set_active(area: Area, active: bool, *, actor) -> None:
    region = db.session.get(Region, area.region_id)
    if area.active == active:
        return
    if not active and sum(1 for a in region_catalogue(region) if a.active) <= 1:
        raise FindingsError("Katalogen måste ha minst ett område som används.")
    area.active = active
    audit.record(
        "visade område" if active else "dolde område",
        area,
        where=region,
        actor=actor,
        changes={"active": [not active, active]},
    )
    db.session.flush()


def move_area(area: Area, step: int, *, actor) -> None:
    region = db.session.get(Region, area.region_id)
    areas = [a for a in region_catalogue(region) if a.active]
    if area not in areas:
        return
    index = areas.index(area)
    target = index + step
    if not 0 <= target < len(areas):
        return
    areas[index], areas[target] = areas[target], areas[index]
    for order, a in enumerate(areas):
        a.sort_order = order
    audit.record(
        "ändrade ordning på områden",
        area,
        where=region,
        actor=actor,
        changes={"ordning": [index + 1, target + 1]},
    )
    db.session.flush()
