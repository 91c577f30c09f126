"""The representation panel: per side, the required seats, who is invited and their answers.

A seat is confirmed when someone in one of its roles has answered Ja; it is covered when someone
is invited who has not said no; otherwise it is missing. Representation is full when every seat
of both sides is confirmed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import g

from ..extensions import db
from ..models import Dialogue, DialogueStatus, Participant, ResponseStatus, Side
from ..models.invitations import OutboxMessage
from ..region_settings import settings_for_region
from ..representation import representation
from .services import invitations_sent, pending_participants

CONFIRMED, INVITED, MISSING = "bekraftad", "inbjuden", "saknas"
SEAT_STATE_LABELS = {CONFIRMED: "Bekräftad", INVITED: "Inget ja ännu", MISSING: "Saknas"}


@dataclass
class SeatRow:
    side: Side
    label: str
    state: str
    people: list[Participant]

    @property
    def state_label(self) -> str:
        return SEAT_STATE_LABELS[self.state]


@dataclass
class SidePanel:
    side: Side
    seats: list[SeatRow]
    others: list[Participant] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return all(s.state == CONFIRMED for s in self.seats)


@dataclass
class Panel:
    sides: list[SidePanel]

    @property
    def complete(self) -> bool:
        return all(s.complete for s in self.sides)

    @property
    def missing(self) -> list[SeatRow]:
        return [s for side in self.sides for s in side.seats if s.state == MISSING]

    @property
    def unconfirmed(self) -> list[SeatRow]:
        return [s for side in self.sides for s in side.seats if s.state != CONFIRMED]


def seat_label(roles) -> str:
    """'Arbetsterapeut eller fysioterapeut'; keeps 'SÄBO-läkare' as written."""
    labels = [r.label for r in roles]
    rest = [label if label[:2].isupper() else label.lower() for label in labels[1:]]
    return " eller ".join([labels[0], *rest])


def _settings(region_id: int):
    cache = g.setdefault("_invitation_settings", {})
    if region_id not in cache:
        cache[region_id] = settings_for_region(region_id)
    return cache[region_id]


def build_panel(people: list[Participant], required) -> Panel:
    confirmed = representation(people, required, lambda p: p.response is ResponseStatus.ACCEPTED)
    covered = representation(people, required, lambda p: p.response is not ResponseStatus.DECLINED)
    sides = []
    for side, seats in required.items():
        rows, in_seats = [], set()
        for index, roles in enumerate(seats):
            seat_people = [p for p in people if p.side is side and p.role in roles]
            in_seats.update(id(p) for p in seat_people)
            if confirmed[side].seats[index].filled:
                state = CONFIRMED
            elif covered[side].seats[index].filled:
                state = INVITED
            else:
                state = MISSING
            rows.append(SeatRow(side, seat_label(roles), state, seat_people))
        others = [p for p in people if p.side is side and id(p) not in in_seats]
        sides.append(SidePanel(side, rows, others))
    return Panel(sides)


def dialogue_panel(dialogue: Dialogue) -> Panel:
    required = _settings(dialogue.care_home.municipality.region_id).required_roles
    return build_panel(dialogue.current_participants, required)


def year_panels(rows) -> dict[int, Panel]:
    """Panels of every planned dialogue among the year view's rows, in two queries, cached."""
    key = id(rows)
    cache = g.setdefault("_year_panels", {})
    if key in cache:
        return cache[key]
    dialogues = {
        r.dialogue.id: r
        for r in rows
        if r.dialogue is not None and r.dialogue.status is DialogueStatus.PLANNED
    }
    by_dialogue: dict[int, list[Participant]] = defaultdict(list)
    if dialogues:
        for p in db.session.scalars(
            sa.select(Participant).where(
                Participant.dialogue_id.in_(dialogues), Participant.removed_at.is_(None)
            )
        ):
            by_dialogue[p.dialogue_id].append(p)
    panels = {}
    for dialogue_id, row in dialogues.items():
        required = _settings(row.home.municipality.region_id).required_roles
        panels[dialogue_id] = build_panel(by_dialogue[dialogue_id], required)
    cache[key] = panels
    return panels


def year_row_panel(rows, row) -> Panel | None:
    if row.dialogue is None:
        return None
    return year_panels(rows).get(row.dialogue.id)


def invitation_state(dialogue):
    """Numbers for the dialogue page's invitations panel."""
    messages = db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.dialogue_id == dialogue.id)
        .order_by(OutboxMessage.id.desc())
        .limit(50)
    ).all()
    return {
        "sent": invitations_sent(dialogue),
        "pending": pending_participants(dialogue),
        "messages": messages,
    }
