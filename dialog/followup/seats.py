"""Full representation in the follow-up: which required seats were filled by those who attended.

The dashboard needs only tallies, so the database groups the held dialogues by region and by how
many attended in each (side, role) that fills a seat; the seat logic then runs once per group
(a few dozen) instead of once per dialogue. The lists need each dialogue's status:
representation_by_dialogue().
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models import Attendance, CareHome, Dialogue, Municipality, Participant, Side
from ..region_settings import settings_for_region, settings_for_regions
from ..representation import representation
from .filters import HELD, Selection

COUNTING = (Attendance.ATTENDED, Attendance.STAND_IN)


@dataclass(slots=True)
class _Seat:
    """A light stand-in for Participant in the seat logic (role and side are all it reads)."""

    role: object
    side: object


def _always(_participant) -> bool:
    return True


def seat_key(side: Side, label: str) -> str:
    return f"{side.value}:{label}"


def _held(sel: Selection):
    return sa.select(Dialogue.id).where(*sel.dialogue_conditions(), Dialogue.status.in_(HELD))


def representation_by_dialogue(sel: Selection, *, dialogue_ids=None) -> dict[int, dict]:
    """{dialogue id: {Side: SideStatus}} for the held dialogues of the selection (attendance)."""
    held = (
        sa.select(Dialogue.id, Municipality.region_id)
        .select_from(Dialogue)
        .join(CareHome, CareHome.id == Dialogue.care_home_id)
        .join(Municipality, Municipality.id == CareHome.municipality_id)
        .where(*sel.dialogue_conditions(), Dialogue.status.in_(HELD))
    )
    if dialogue_ids is not None:
        held = held.where(Dialogue.id.in_(dialogue_ids))
    region_of = dict(db.session.execute(held).all())
    if not region_of:
        return {}
    held_ids = _held(sel)
    if dialogue_ids is not None:
        held_ids = held_ids.where(Dialogue.id.in_(dialogue_ids))
    people: dict[int, list] = defaultdict(list)
    for dialogue_id, role, side in db.session.execute(
        sa.select(Participant.dialogue_id, Participant.role, Participant.side).where(
            Participant.dialogue_id.in_(held_ids),
            Participant.removed_at.is_(None),
            Participant.attendance.in_(COUNTING),
        )
    ):
        people[dialogue_id].append(_Seat(role, side))
    required = {}
    result = {}
    # Dialogues with the same roles present in the same region share one outcome: compute it
    # once per combination (a few dozen) rather than once per dialogue (thousands nationally).
    memo: dict[tuple, dict] = {}
    for dialogue_id, region_id in region_of.items():
        if region_id not in required:
            required[region_id] = settings_for_region(region_id).required_roles
        present = people[dialogue_id]
        key = (region_id, tuple(sorted((p.side.value, p.role.value) for p in present)))
        if key not in memo:
            memo[key] = representation(present, required[region_id], counts=_always)
        result[dialogue_id] = memo[key]
    return result


def _required_roles() -> tuple[dict, dict]:
    """(default required roles, {region id: required roles} for regions with own settings)."""
    own = {region_id: s.required_roles for region_id, s in settings_for_regions().items()}
    return settings_for_region(None).required_roles, own


def representation_groups(sel: Selection) -> list[tuple[dict, int]]:
    """[({Side: SideStatus}, number of held dialogues with that outcome)] for the selection."""
    return representation_groups_by(sel).get(None, [])


def representation_groups_by(sel: Selection, key=None) -> dict:
    """representation_groups() per value of `key` (a column reachable from the dialogue, its
    home and municipality, e.g. CareHome.municipality_id; None: one group for all), in one query.

    Only the (side, role) pairs that can fill a seat are counted: others never change an outcome.
    """
    default, own = _required_roles()
    pairs = sorted(
        {
            (side, role)
            for required in (default, *own.values())
            for side, seats in required.items()
            for seat in seats
            for role in seat
        },
        key=lambda pair: (pair[0].value, pair[1].value),
    )
    counts = [
        sa.func.sum(
            sa.case((sa.and_(Participant.side == side, Participant.role == role), 1), else_=0)
        ).label(f"n{i}")
        for i, (side, role) in enumerate(pairs)
    ]
    key_column = (key if key is not None else sa.null()).label("group_key")
    per_dialogue = (
        sa.select(key_column, Municipality.region_id, *counts)
        .select_from(Dialogue)
        .join(CareHome, CareHome.id == Dialogue.care_home_id)
        .join(Municipality, Municipality.id == CareHome.municipality_id)
        .outerjoin(
            Participant,
            sa.and_(
                Participant.dialogue_id == Dialogue.id,
                Participant.removed_at.is_(None),
                Participant.attendance.in_(COUNTING),
            ),
        )
        .where(*sel.dialogue_conditions(), Dialogue.status.in_(HELD))
        .group_by(Dialogue.id, Municipality.region_id, *([key] if key is not None else []))
        .subquery()
    )
    columns = [per_dialogue.c.group_key, per_dialogue.c.region_id] + [
        per_dialogue.c[f"n{i}"] for i in range(len(pairs))
    ]
    groups: dict = defaultdict(list)
    # Dialogues of regions on the default settings share one outcome per combination.
    memo: dict[tuple, dict] = {}
    for group_key, region_id, *present, n in db.session.execute(
        sa.select(*columns, sa.func.count()).group_by(*columns)
    ):
        memo_key = (region_id if region_id in own else None, *(int(k or 0) for k in present))
        if memo_key not in memo:
            people = [
                _Seat(role, side)
                for (side, role), k in zip(pairs, present)
                for _ in range(int(k or 0))
            ]
            memo[memo_key] = representation(people, own.get(region_id, default), counts=_always)
        groups[group_key].append((memo[memo_key], n))
    return groups


def representation_tally(groups: list[tuple[dict, int]]) -> dict:
    """The dashboard's representation figures from [(statuses, number of dialogues)]."""
    held = sum(n for _, n in groups)
    full = sum(n for st, n in groups if all(s.complete for s in st.values()))
    sides = {side: {"complete": 0, "incomplete": 0} for side in Side}
    missing: dict[tuple, int] = defaultdict(int)
    for st, n in groups:
        for side, status in st.items():
            sides[side]["complete" if status.complete else "incomplete"] += n
            for seat in status.missing:
                missing[(side, seat.label)] += n
    return {
        "held": held,
        "full": full,
        "not_full": held - full,
        "share_full": (full / held) if held else None,
        "sides": [
            {
                "side": side,
                "complete": v["complete"],
                "incomplete": v["incomplete"],
                "share": (v["complete"] / held) if held else None,
            }
            for side, v in sides.items()
        ],
        "missing": [
            {"side": side, "seat": label, "key": seat_key(side, label), "count": n}
            for (side, label), n in sorted(
                missing.items(), key=lambda kv: (-kv[1], kv[0][0].value, kv[0][1])
            )
        ],
    }


def representation_figures(sel: Selection, statuses: dict | None = None) -> dict:
    """Tallies of full representation; from per-dialogue statuses when the caller has them."""
    return representation_tally(
        [(st, 1) for st in statuses.values()]
        if statuses is not None
        else representation_groups(sel)
    )
