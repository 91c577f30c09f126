"""The number of queries a page makes does not grow with the number of rows it shows: each main
page of each role is counted with a few homes' dialogues, findings and actions, and again with
four times as many."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from dialog.extensions import db
from dialog.models import (
    Action,
    ActionStatus,
    Area,
    CareHome,
    Dialogue,
    DialogueStatus,
    Finding,
    FindingKind,
    Party,
)
from tests.conftest import login

PAGES = {
    "chef_a1": ["/start", "/arsoversikt", "{dialogue}"],
    "vc_alfa": ["/start", "/arsoversikt", "{dialogue}"],
    "mas_a": ["/start", "/arsoversikt", "{dialogue}", "/uppfoljning/", "/uppfoljning/lardomar"],
    "regional_norr": [
        "/start",
        "/arsoversikt",
        "{dialogue}",
        "/uppfoljning/",
        "/uppfoljning/lardomar",
    ],
    "admin": ["/arsoversikt", "/uppfoljning/", "/uppfoljning/lardomar", "/planering/arsplanerare/"],
}


def _add_homes(app, world, book, first: int, count: int) -> None:
    """`count` more homes in municipality A served by Test-VC Alfa, each with a dialogue held in
    2026 (two findings, two actions) and one booked for 2027."""
    with app.app_context():
        area_ids = list(db.session.scalars(sa.select(Area.id).order_by(Area.id).limit(2)))
        homes = []
        for number in range(first, first + count):
            home = CareHome(
                name=f"Mängdboendet {number}",
                municipality_id=world.municipalities["A"],
                health_centre_id=world.centres["alfa"],
            )
            db.session.add(home)
            homes.append(home)
        db.session.commit()
        keys = {f"extra{home.id}": home.id for home in homes}
    world.homes.update(keys)
    for index, key in enumerate(keys):
        day = date(2027, 2, 1 + index % 27)
        book(key, day, start=time(8 + index % 8, 0), end=time(9 + index % 8, 0), contact_keys=[])
    with app.app_context():
        for index, home_id in enumerate(keys.values()):
            held = Dialogue(
                care_home_id=home_id,
                health_centre_id=world.centres["alfa"],
                year=2026,
                starts_at=datetime(2026, 4, 1 + index % 28, 11, tzinfo=UTC),
                ends_at=datetime(2026, 4, 1 + index % 28, 13, tzinfo=UTC),
                status=DialogueStatus.HELD,
            )
            db.session.add(held)
            db.session.flush()
            for area_id, kind in zip(area_ids, (FindingKind.SUCCESS_FACTOR, FindingKind.RISK)):
                finding = Finding(
                    dialogue_id=held.id,
                    kind=kind,
                    area_id=area_id,
                    description=f"Rutinen för överrapportering på enhet {index} behöver ses över.",
                    spread_as_lesson=True,
                )
                db.session.add(finding)
                db.session.flush()
                db.session.add(
                    Action(
                        dialogue_id=held.id,
                        finding_id=finding.id,
                        area_id=area_id,
                        description="Gå igenom rutinen på nästa arbetsplatsträff.",
                        responsible_party=Party.JOINT,
                        due_date=date(2026, 6, 1),
                        status=ActionStatus.IN_PROGRESS,
                    )
                )
        db.session.commit()


def _count_queries(app, client, url: str) -> int:
    with app.app_context():
        engine = db.engine
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200, (url, response.status_code)
    return len(statements)


def _counts(app, client, dialogue_id: int) -> dict:
    counts = {}
    for username, pages in PAGES.items():
        login(client, username)
        for page in pages:
            url = page.format(dialogue=f"/dialoger/{dialogue_id}")
            client.get(url)  # warm: caches that fill once per process are not the point
            counts[username, page] = _count_queries(app, client, url)
        client.post("/logga-ut")
    return counts


@pytest.mark.parametrize("growth", [4])
def test_query_counts_do_not_grow_with_the_rows_shown(app, client, world, book, growth):
    dialogue_id = book("a1", date(2027, 3, 10))
    _add_homes(app, world, book, 1, 3)
    small = _counts(app, client, dialogue_id)
    _add_homes(app, world, book, 4, 3 * (growth - 1))
    large = _counts(app, client, dialogue_id)
    grown = {key: (small[key], large[key]) for key in small if large[key] != small[key]}
    assert not grown, f"queries grew with the data (small, large): {grown}"
    # And the pages did show more rows the second time (else the test would prove nothing).
    login(client, "mas_a")
    page = client.get("/arsoversikt?ar=2027").text
    assert "Mängdboendet 12" in page and "Mängdboendet 3" in page
