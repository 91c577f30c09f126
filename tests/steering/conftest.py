"""Fixtures of the steering-loop tests: the follow-up dataset and small builders (ids only)."""

from __future__ import annotations

from datetime import date

import pytest

from dialog.extensions import db
from tests.followup.dataset import build


@pytest.fixture
def data(app, world):
    with app.app_context():
        return build(world)


@pytest.fixture
def agreement(app, world):
    """agreement('A', 'alfa', date(2026, 1, 1), None, duty=True) -> id, saved by the service."""
    from dialog.agreements.services import save_agreement
    from dialog.models import HealthCentre, Municipality

    def _make(muni="A", centre="alfa", valid_from=date(2020, 1, 1), valid_to=None, duty=True):
        with app.app_context():
            a = save_agreement(
                None,
                municipality=db.session.get(Municipality, world.municipalities[muni]),
                centre=db.session.get(HealthCentre, world.centres[centre]),
                valid_from=valid_from,
                valid_to=valid_to,
                participation_duty=duty,
                document_name="Lokal överenskommelse om läkarmedverkan",
                document_ref="https://samarbete.example.org/avtal.pdf",
            )
            db.session.commit()  # the test is the edge here
            return a.id

    return _make
