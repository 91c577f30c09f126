"""The findings' tallies (models/tallies.py) and the same numbers counted afresh."""

from __future__ import annotations

import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import Dialogue, Finding, FindingKind
from dialog.models.tallies import (
    KIND_COLUMNS,
    MASK_FIRST_YEAR,
    MASK_LAST_YEAR,
    FindingTally,
    RecurringTally,
)


def tallied() -> dict[int, dict]:
    """{dialogue id: {kind: n}} as the triggers kept it (zeros left out)."""
    columns = [getattr(FindingTally, c) for c in KIND_COLUMNS.values()]
    out: dict[int, dict] = {}
    for dialogue_id, *counts in db.session.execute(sa.select(FindingTally.dialogue_id, *columns)):
        kinds = {kind: n for kind, n in zip(KIND_COLUMNS, counts) if n}
        if kinds:
            out[dialogue_id] = kinds
    return out


def counted() -> dict[int, dict]:
    """The same, counted from the findings themselves."""
    out: dict[int, dict] = {}
    for dialogue_id, kind, n in db.session.execute(
        sa.select(Finding.dialogue_id, Finding.kind, sa.func.count()).group_by(
            Finding.dialogue_id, Finding.kind
        )
    ):
        out.setdefault(dialogue_id, {})[kind] = n
    return out


def recurring_tallied() -> dict[tuple, int]:
    """{(home id, kind, area id): years mask} as the triggers kept it (empty masks left out)."""
    return {
        (home, kind, area): mask
        for home, kind, area, mask in db.session.execute(
            sa.select(
                RecurringTally.care_home_id,
                RecurringTally.kind,
                RecurringTally.area_id,
                RecurringTally.years_mask,
            )
        )
        if mask
    }


def recurring_counted() -> dict[tuple, int]:
    """The same, from the findings and their dialogues, in Python."""
    masks: dict[tuple, int] = {}
    for home, year, kind, area in db.session.execute(
        sa.select(Dialogue.care_home_id, Dialogue.year, Finding.kind, Finding.area_id).join(
            Dialogue, Dialogue.id == Finding.dialogue_id
        )
    ):
        if kind is not FindingKind.SUCCESS_FACTOR and MASK_FIRST_YEAR <= year <= MASK_LAST_YEAR:
            key = (home, kind, area)
            masks[key] = masks.get(key, 0) | 1 << (year - MASK_FIRST_YEAR)
    return masks
