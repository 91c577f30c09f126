"""The start page (what waits for this user) and the help pages, one per role."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..findings import (
    actions_to_follow_up,
    count_open_escalations,
    open_escalations,
    overdue_in_scope,
)
from ..invitations import open_invitations
from ..models import CareHome, Dialogue, DialogueStatus, Role
from ..scope import current_scope
from ..timeutil import today_local

bp = Blueprint("start", __name__)

# The help pages: URL slug -> (role, title).
HELP = {
    "enhetschef": (Role.UNIT_MANAGER, "Enhetschef"),
    "vardcentral": (Role.HEALTH_CENTRE, "Vårdcentral"),
    "mas-mar": (Role.MUNICIPALITY, "MAS och MAR"),
    "region": (Role.REGIONAL, "Regionen"),
    "administrator": (Role.ADMIN, "Administratör"),
}


def _my_dialogues(scope, year: int, limit: int = 12):
    """This year's dialogues of the homes a unit manager or health centre works with."""
    if not (scope.care_home_ids or scope.health_centre_ids):
        return []
    homes = []
    if scope.care_home_ids:
        homes.append(CareHome.id.in_(scope.care_home_ids))
    if scope.health_centre_ids:
        homes.append(CareHome.health_centre_id.in_(scope.health_centre_ids))
    rows = db.session.scalars(
        sa.select(Dialogue)
        .join(CareHome, Dialogue.care_home_id == CareHome.id)
        .where(
            sa.or_(*homes),
            Dialogue.year == year,
            Dialogue.status != DialogueStatus.CANCELLED,
            CareHome.active.is_(True),
        )
        .options(contains_eager(Dialogue.care_home))  # the list names each home
        .order_by(Dialogue.starts_at)
        .limit(limit)
    )
    return list(rows)


@bp.get("/start")
@login_required
def index():
    scope = current_scope()
    today = today_local()
    follows_up = bool(scope.admin or scope.municipality_ids or scope.region_ids)
    return render_template(
        "start/index.html",
        today=today,
        follows_up=follows_up,
        escalation_count=count_open_escalations(scope) if follows_up else 0,
        escalations=open_escalations(scope, limit=8) if follows_up else [],
        overdue_count=overdue_in_scope(scope) if follows_up else 0,
        my_actions=actions_to_follow_up(scope, limit=15),
        invitations=open_invitations(current_user),
        dialogues=_my_dialogues(scope, today.year),
        help_slugs=_help_slugs(scope),
        help=HELP,
    )


def _help_slugs(scope) -> list[str]:
    slugs = []
    if scope.care_home_ids:
        slugs.append("enhetschef")
    if scope.health_centre_ids:
        slugs.append("vardcentral")
    if scope.municipality_ids:
        slugs.append("mas-mar")
    if scope.region_ids:
        slugs.append("region")
    if scope.admin:
        slugs.append("administrator")
    return slugs


@bp.get("/hjalp")
@login_required
def help_index():
    return render_template("start/help_index.html", help=HELP, mine=_help_slugs(current_scope()))


@bp.get("/hjalp/<slug>")
@login_required
def help_page(slug):
    if slug not in HELP:
        abort(404)
    return render_template(f"start/help_{slug.replace('-', '_')}.html", help=HELP, slug=slug)
