"""Fixtures of the findings tests."""

from __future__ import annotations

from datetime import date

import pytest

from dialog.documents.kinds import KINDS
from dialog.documents.services import render_for_dialogue
from dialog.extensions import db
from dialog.models import Action, Dialogue, Party

from .helpers import PAST_DAY


@pytest.fixture
def held_dialogue(app, world, book):
    """Last year's dialogue with an open action to follow up, and this year's, held."""
    old_id = book("a1", date(2025, 3, 11))
    with app.app_context():
        db.session.add(
            Action(
                dialogue_id=old_id,
                description="Ta fram en checklista för läkemedelsgenomgång.",
                responsible_party=Party.JOINT,
                due_date=date(2025, 9, 1),
            )
        )
        db.session.commit()
    return book("a1", PAST_DAY)


def template_for(app, dialogue_id) -> bytes:
    with app.app_context():
        return render_for_dialogue(
            db.session.get(Dialogue, dialogue_id), KINDS["dokumentationsmall"]
        )
