"""Shared helpers for the findings tests."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import Area, Dialogue

PAST_DAY = date(2026, 3, 10)  # a Tuesday before "today" in every test run after it


def version_of(app, dialogue_id: int) -> int:
    with app.app_context():
        return db.session.get(Dialogue, dialogue_id).version


def area_id(app, name: str = "Läkemedel") -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(Area.id).where(Area.name == name, Area.region_id.is_(None))
        )


def finding_form(app, dialogue_id, **overrides) -> dict:
    data = {
        "version": str(version_of(app, dialogue_id)),
        "kind": "brist",
        "area_id": str(area_id(app)),
        "plan_area_id": "",
        "description": "Ordinationer uppdateras inte efter ronden.",
        "concerns": "gemensamt",
    }
    data.update(overrides)
    return data


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def plain_text(response) -> str:
    """The page's text without tags, whitespace collapsed (entities of quotes undone)."""
    html = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    html = html.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")
    return re.sub(r"\s+", " ", html).replace(" :", ":")
