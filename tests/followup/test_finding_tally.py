"""The findings' tally per dialogue (kept by database triggers, models/tallies.py) stays equal
to a fresh count through every kind of write, and the trends read from it equal the trends
counted from the findings themselves. Runs on SQLite and on PostgreSQL (their triggers differ)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from dialog.extensions import db
from dialog.followup import figures
from dialog.followup.filters import Selection
from dialog.models import (
    Area,
    Dialogue,
    DialogueStatus,
    Finding,
    FindingKind,
    Party,
    User,
)
from dialog.models.tallies import (
    MASK_FIRST_YEAR,
    RecurringTally,
    create_triggers,
    drop_triggers,
    rebuild_tally,
)
from dialog.scope import Scope
from tests.support.tally import counted, recurring_counted, recurring_tallied, tallied

from .dataset import _dialogue

RISK, DEFICIENCY, SUCCESS = FindingKind.RISK, FindingKind.DEFICIENCY, FindingKind.SUCCESS_FACTOR
TEXT = "Rutinen för överrapportering följs inte fullt ut."


def _finding(dialogue_id: int, kind: FindingKind, area_id: int) -> Finding:
    return Finding(
        dialogue_id=dialogue_id, kind=kind, area_id=area_id, description=TEXT, concerns=Party.JOINT
    )


def _check(step: str) -> None:
    db.session.flush()
    assert tallied() == counted(), f"after: {step}"
    assert recurring_tallied() == recurring_counted(), f"recurring, after: {step}"


def test_the_tally_follows_every_kind_of_write(app, world):
    with app.app_context():
        area = db.session.scalars(sa.select(Area.id).order_by(Area.id)).first()
        first = _dialogue(world, "a1", date(2025, 4, 14), DialogueStatus.DOCUMENTED).id
        second = _dialogue(world, "a2", date(2026, 4, 14), DialogueStatus.HELD).id
        db.session.flush()
        assert tallied() == {}

        orm = [_finding(first, k, area) for k in (RISK, RISK, DEFICIENCY, SUCCESS)]
        db.session.add_all(orm)
        _check("ORM inserts")
        assert tallied()[first] == {RISK: 2, DEFICIENCY: 1, SUCCESS: 1}

        db.session.execute(
            sa.insert(Finding),
            [
                {"dialogue_id": second, "kind": k, "area_id": area, "description": TEXT}
                for k in (RISK, DEFICIENCY, DEFICIENCY)
            ],
        )
        _check("a bulk insert")

        orm[0].kind = DEFICIENCY
        _check("a kind changed through the ORM")
        orm[1].dialogue_id = second
        _check("a finding moved to another dialogue")
        orm[2].description = "Larmrutinen är oklar för kvällspersonalen."
        _check("a change that touches neither kind nor dialogue")

        db.session.execute(
            sa.update(Finding).where(Finding.dialogue_id == second).values(kind=SUCCESS)
        )
        _check("a bulk update of the kind")

        db.session.delete(orm[3])
        _check("an ORM delete")
        db.session.execute(sa.delete(Finding).where(Finding.kind == SUCCESS))
        _check("a bulk delete")
        assert tallied() == {first: {DEFICIENCY: 2}}

        db.session.add(_finding(second, RISK, area))
        _check("a finding added again after the dialogue's count fell to zero")
        moved = db.session.get(Dialogue, second)
        moved.year = 2027
        _check("a dialogue moved to another year")
        moved.care_home_id = world.homes["b1"]
        _check("a dialogue moved to another home")
        db.session.execute(sa.update(Dialogue).where(Dialogue.id == second).values(year=2024))
        _check("a dialogue's year changed by a bulk update")
        db.session.execute(sa.delete(Dialogue).where(Dialogue.id == first))
        _check("a dialogue deleted (its findings go by ON DELETE CASCADE)")
        assert set(tallied()) == {second}
        db.session.rollback()


def test_rebuild_recounts_after_a_load_without_triggers(app, world):
    """The national demo loads its findings with the triggers off and rebuilds once."""
    with app.app_context():
        area = db.session.scalars(sa.select(Area.id).order_by(Area.id)).first()
        d = _dialogue(world, "b1", date(2026, 3, 3), DialogueStatus.HELD).id
        connection = db.session.connection()
        drop_triggers(connection)
        db.session.add_all([_finding(d, RISK, area), _finding(d, SUCCESS, area)])
        db.session.flush()
        assert tallied() == {}  # no triggers: nothing was counted
        rebuild_tally(connection)
        create_triggers(connection)
        assert tallied() == counted() == {d: {RISK: 1, SUCCESS: 1}}
        db.session.add(_finding(d, RISK, area))
        _check("an insert with the triggers back")
        db.session.rollback()


def _trends_from_findings(sel: Selection) -> dict:
    """{(year, kind): n} counted from the findings themselves, with the selection's conditions."""
    conds = sel.dialogue_conditions(period=False) + sel.history_conditions(
        db.session.scalar(sa.select(sa.func.min(Dialogue.year))) if sel.half else None
    )
    rows = db.session.execute(
        sa.select(Dialogue.year, Finding.kind, sa.func.count())
        .join_from(Finding, Dialogue, Dialogue.id == Finding.dialogue_id)
        .where(*conds)
        .group_by(Dialogue.year, Finding.kind)
    )
    return {(year, kind): n for year, kind, n in rows}


@pytest.mark.parametrize(
    "username,year,half,centre",
    [
        ("admin", 2026, None, None),
        ("regional_norr", 2026, None, None),
        ("mas_a", 2026, 1, None),
        ("admin", 2025, 2, None),
        ("admin", 2026, None, "alfa"),
    ],
)
def test_the_trends_equal_a_count_of_the_findings(app, data, world, username, year, half, centre):
    with app.app_context():
        area = db.session.scalars(sa.select(Area.id).order_by(Area.id)).first()
        # Findings in earlier years and both halves, beside those of the shared test data.
        for key, day, kinds in (
            ("a1", date(2023, 3, 9), (RISK, RISK, DEFICIENCY)),
            ("a2", date(2024, 10, 2), (DEFICIENCY, SUCCESS)),
            ("b1", date(2024, 4, 22), (RISK,)),
        ):
            d = _dialogue(world, key, day, DialogueStatus.DOCUMENTED)
            db.session.add_all(_finding(d.id, k, area) for k in kinds)
        db.session.flush()
        scope = Scope.of(db.session.get(User, world.users[username]))
        sel = Selection(
            scope, year, half, health_centre_id=world.centres[centre] if centre else None
        )
        trends = {
            (t["year"], kind): n for t in figures.trends(sel) for kind, n in t["findings"].items()
        }
        expected = _trends_from_findings(sel)
        assert expected, "the case must have findings to compare"
        assert {k: n for k, n in trends.items() if n} == expected
        db.session.rollback()


def test_two_writers_of_one_home_both_reach_its_recurring_years(app, world):
    """Two transactions add a risk in the same home and area, in two years, at the same time.
    The second one's count must see the first one's finding once that commits: on PostgreSQL
    the trigger takes the home's row lock first and counts in a statement of its own."""
    import threading

    with app.app_context():
        area = db.session.scalars(sa.select(Area.id).order_by(Area.id)).first()
        home = world.homes["a1"]
        early = _dialogue(world, "a1", date(2024, 5, 6), DialogueStatus.DOCUMENTED).id
        late = _dialogue(world, "a1", date(2025, 5, 6), DialogueStatus.DOCUMENTED).id
        db.session.commit()
        insert = sa.insert(Finding).values(
            kind=RISK, area_id=area, description=TEXT, concerns=Party.JOINT
        )
        engine = db.engine  # the thread has no application context of its own
        first_in = threading.Event()
        errors = []

        def first_writer():
            try:
                with engine.begin() as conn:
                    conn.execute(insert.values(dialogue_id=early))
                    first_in.set()
                    threading.Event().wait(0.5)  # the second writer starts meanwhile
            except Exception as exc:  # noqa: BLE001 (reported below)
                errors.append(exc)
                first_in.set()

        thread = threading.Thread(target=first_writer)
        thread.start()
        first_in.wait(10)
        with engine.begin() as conn:
            conn.execute(insert.values(dialogue_id=late))
        thread.join(10)
        assert not errors
        mask = db.session.scalar(
            sa.select(RecurringTally.years_mask).where(
                RecurringTally.care_home_id == home,
                RecurringTally.kind == RISK,
                RecurringTally.area_id == area,
            )
        )
        assert mask == (1 << (2024 - MASK_FIRST_YEAR)) | (1 << (2025 - MASK_FIRST_YEAR))
        assert recurring_tallied() == recurring_counted()
