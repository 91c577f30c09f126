"""The lists behind the dashboard's numbers: each number links here with the same criteria."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    Action,
    ActionStatus,
    Area,
    CareHome,
    Dialogue,
    DialogueStatus,
    Finding,
    FindingKind,
    Party,
    PlanArea,
)
from .figures import homes_without_dialogue_query, representation_by_dialogue, seat_key, today_local
from .filters import HELD, LIVE, BadFilter, Selection

PER_PAGE = 50

DIALOGUE_STATES = {
    "bokade": ("Bokade (ej inställda)", LIVE),
    "planerade": ("Planerade", (DialogueStatus.PLANNED,)),
    "genomforda": ("Genomförda (inkl. dokumenterade)", HELD),
    "dokumenterade": ("Dokumenterade", (DialogueStatus.DOCUMENTED,)),
    "installda": ("Inställda", (DialogueStatus.CANCELLED,)),
}
ACTION_STATES = {
    "oppna": "Öppna",
    "forsenade": "Försenade",
    "klara": "Klara",
    "avbrutna": "Avbrutna",
}
OPEN = [s for s in ActionStatus if s.is_open]


def paginate(stmt, page: int, per_page: int = PER_PAGE) -> Pagination:
    """One page of rows (Flask-SQLAlchemy's pagination: items, total, page, pages, has_next)."""
    return db.paginate(stmt, page=min(max(1, page), 100000), per_page=per_page, error_out=False)


def _choice(value, allowed, name):
    if value in (None, ""):
        return None
    if value not in allowed:
        raise BadFilter(f"Ogiltigt värde för {name}.")
    return value


# --- dialogues --------------------------------------------------------------------------------


def dialogue_query(sel: Selection, args) -> tuple[object, list[str]]:
    """select(Dialogue) for the criteria in args; returns the statement and a description."""
    state = _choice(args.get("status"), DIALOGUE_STATES, "status")
    repr_filter = _choice(args.get("representation"), {"full", "ej-full"}, "representation")
    side = _choice(args.get("sida"), {"sabo", "vardcentral"}, "sida")
    missing = args.get("saknas") or None
    stmt = (
        sa.select(Dialogue)
        .join(CareHome, CareHome.id == Dialogue.care_home_id)
        .where(*sel.dialogue_conditions())
        .options(
            selectinload(Dialogue.care_home).selectinload(CareHome.municipality),
            selectinload(Dialogue.health_centre),
        )
        .order_by(Dialogue.starts_at, Dialogue.id)
    )
    described = []
    if state:
        label, statuses = DIALOGUE_STATES[state]
        stmt = stmt.where(Dialogue.status.in_(statuses))
        described.append(label)
    if repr_filter or side or missing:
        statuses = representation_by_dialogue(sel)
        if repr_filter:
            wanted = repr_filter == "full"
            ids = [
                d for d, st in statuses.items() if all(s.complete for s in st.values()) == wanted
            ]
            described.append("Full representation" if wanted else "Ej full representation")
        elif side:
            complete = args.get("komplett") == "1"
            ids = [
                d
                for d, st in statuses.items()
                if any(s.side.value == side and s.complete == complete for s in st.values())
            ]
            described.append(
                f"{'Fullständig' if complete else 'Ofullständig'} representation "
                f"från {'SÄBO' if side == 'sabo' else 'vårdcentral'}"
            )
        else:
            ids = [
                d
                for d, st in statuses.items()
                if any(
                    seat_key(s.side, seat.label) == missing
                    for s in st.values()
                    for seat in s.missing
                )
            ]
            described.append(f"Saknad roll: {missing.split(':', 1)[-1]}")
        stmt = stmt.where(Dialogue.id.in_(ids or [-1]))
    return stmt, described


# --- findings ---------------------------------------------------------------------------------


def finding_query(sel: Selection, args) -> tuple[object, list[str]]:
    kind = _choice(args.get("slag"), {k.value for k in FindingKind}, "slag")
    all_years = args.get("alla_ar") == "1"
    stmt = (
        sa.select(Finding)
        .join(Dialogue, Dialogue.id == Finding.dialogue_id)
        .join(CareHome, CareHome.id == Dialogue.care_home_id)
        .join(Area, Area.id == Finding.area_id)
        .where(*sel.dialogue_conditions(period=not all_years))
        .options(
            selectinload(Finding.dialogue).selectinload(Dialogue.care_home),
            selectinload(Finding.area),
            selectinload(Finding.plan_area),
        )
        .order_by(Dialogue.starts_at.desc(), Finding.id)
    )
    described = []
    if all_years:
        stmt = stmt.where(Dialogue.year <= sel.year)
        described.append(f"Alla år till och med {sel.year}")
    if kind:
        stmt = stmt.where(Finding.kind == FindingKind(kind))
        described.append(FindingKind(kind).label)
    if args.get("omrade"):
        stmt = stmt.where(Area.name == args["omrade"])
        described.append(f"Område: {args['omrade']}")
    plan = args.get("plan")
    if plan == "ingen":
        stmt = stmt.where(Finding.plan_area_id.is_(None))
        described.append("Ej kopplade till handlingsplanen")
    elif plan:
        stmt = stmt.where(
            Finding.plan_area_id.in_(sa.select(PlanArea.id).where(PlanArea.name == plan))
        )
        described.append(f"Handlingsplanen: {plan}")
    if args.get("boende"):
        try:
            home_id = int(args["boende"])
        except ValueError:
            raise BadFilter("Ogiltigt värde för boende.") from None
        stmt = stmt.where(Dialogue.care_home_id == home_id)
        home = db.session.get(CareHome, home_id)
        if home is not None and sel.scope.can_view_home(home):
            described.append(f"Boende: {home.name}")
    if args.get("eskalerade") == "1":
        stmt = stmt.where(Finding.escalate.is_(True))
        described.append("Eskalerade")
    return stmt, described


# --- actions ----------------------------------------------------------------------------------


def action_query(sel: Selection, args, today: date | None = None) -> tuple[object, list[str]]:
    today = today or today_local()
    party = _choice(args.get("part"), {p.value for p in Party}, "ansvarig part")
    state = _choice(args.get("status"), ACTION_STATES, "status")
    stmt = (
        sa.select(Action)
        .join(Dialogue, Dialogue.id == Action.dialogue_id)
        .join(CareHome, CareHome.id == Dialogue.care_home_id)
        .where(*sel.dialogue_conditions())
        .options(selectinload(Action.dialogue).selectinload(Dialogue.care_home))
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
    )
    described = []
    if party:
        stmt = stmt.where(Action.responsible_party == Party(party))
        described.append(f"Ansvarig: {Party(party).label}")
    if state == "oppna":
        stmt = stmt.where(Action.status.in_(OPEN))
    elif state == "forsenade":
        stmt = stmt.where(Action.status.in_(OPEN), Action.due_date < today)
    elif state == "klara":
        stmt = stmt.where(Action.status == ActionStatus.DONE)
    elif state == "avbrutna":
        stmt = stmt.where(Action.status == ActionStatus.CANCELLED)
    if state:
        described.append(ACTION_STATES[state])
    return stmt, described


def active_homes_query(sel: Selection):
    return (
        sa.select(CareHome)
        .where(*sel.home_conditions())
        .order_by(CareHome.name, CareHome.id)
        .options(selectinload(CareHome.municipality), selectinload(CareHome.health_centre))
    )


def homes_without_query(sel: Selection):
    return homes_without_dialogue_query(sel).options(
        selectinload(CareHome.municipality), selectinload(CareHome.health_centre)
    )
