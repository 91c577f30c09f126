"""The lessons library: success factors and findings marked "sprid som lärdom", searchable."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Area, CareHome, Dialogue, DialogueStatus, Finding, FindingKind, Municipality
from ..scope import Scope
from .filters import BadFilter
from .lists import paginate


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def lesson_query(
    scope: Scope,
    *,
    q: str = "",
    area: str = "",
    year: int | None = None,
    kind: str = "",
    municipality_id: int | None = None,
):
    stmt = (
        sa.select(Finding)
        .join(Dialogue, Dialogue.id == Finding.dialogue_id)
        .join(CareHome, CareHome.id == Dialogue.care_home_id)
        .join(Area, Area.id == Finding.area_id)
        .where(scope.dialogue_clause(), *_is_lesson())
        .options(
            selectinload(Finding.dialogue)
            .selectinload(Dialogue.care_home)
            .selectinload(CareHome.municipality),
            selectinload(Finding.area),
            selectinload(Finding.plan_area),
        )
        .order_by(Dialogue.starts_at.desc(), Finding.id)
    )
    q = (q or "").strip()[:200]
    for word in q.split():
        pattern = _like_pattern(word.lower())
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Finding.description).like(pattern, escape="\\"),
                sa.func.lower(Area.name).like(pattern, escape="\\"),
                sa.func.lower(CareHome.name).like(pattern, escape="\\"),
            )
        )
    if area:
        stmt = stmt.where(Area.name == area)
    if year:
        stmt = stmt.where(Dialogue.year == year)
    if kind:
        if kind not in {k.value for k in FindingKind}:
            raise BadFilter("Ogiltigt värde för slag.")
        stmt = stmt.where(Finding.kind == FindingKind(kind))
    if municipality_id:
        stmt = stmt.where(CareHome.municipality_id == municipality_id)
    return stmt


def search_lessons(scope: Scope, page: int = 1, **criteria):
    return paginate(lesson_query(scope, **criteria), page, per_page=25)


def lesson_filter_choices(scope: Scope) -> dict:
    """Areas and years that occur among the lessons in scope, and the municipalities."""
    # One grouped query over the joins, not a DISTINCT over `finding.id IN (subquery)` per
    # list: that form cost a full pass over the findings for each list.
    pairs = db.session.execute(
        sa.select(Area.name, Dialogue.year)
        .select_from(Finding)
        .join(Dialogue, Dialogue.id == Finding.dialogue_id)
        .join(Area, Area.id == Finding.area_id)
        .where(scope.dialogue_clause(), *_is_lesson())
        .distinct()
    ).all()
    municipalities = db.session.scalars(
        sa.select(Municipality).where(scope.municipality_clause()).order_by(Municipality.name)
    )
    return {
        "areas": sorted({name for name, _year in pairs}),
        "years": sorted({year for _name, year in pairs}, reverse=True),
        "municipalities": list(municipalities),
    }


def _is_lesson() -> tuple:
    """A lesson: a success factor or a finding marked to be spread, from a dialogue not called
    off."""
    return (
        Dialogue.status != DialogueStatus.CANCELLED,
        sa.or_(Finding.spread_as_lesson.is_(True), Finding.kind == FindingKind.SUCCESS_FACTOR),
    )
