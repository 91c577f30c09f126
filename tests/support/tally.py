"""The findings' tally per dialogue (models/tallies.py) and the same numbers counted afresh."""

from __future__ import annotations

import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import Finding
from dialog.models.tallies import KIND_COLUMNS, FindingTally


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
