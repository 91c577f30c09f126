"""PostgreSQL only: the application's sessions plan for data in memory, the national actions
figure can be read from its covering index alone, and a health centre's open actions are found
through the dialogue indexes (issue 15)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from dialog.demo import build_national
from dialog.extensions import db
from dialog.findings.overview import actions_to_follow_up
from dialog.followup import figures
from dialog.followup.filters import Selection
from dialog.models import HealthCentre
from dialog.scope import Scope
from tests.conftest import DB_KIND

pytestmark = pytest.mark.skipif(DB_KIND != "postgresql", reason="PostgreSQL planner settings")


def test_the_applications_sessions_use_its_planner_settings(app):
    with app.app_context():
        shown = {
            name: db.session.execute(sa.text(f"SHOW {name}")).scalar()
            for name in ("jit", "random_page_cost", "max_parallel_workers_per_gather")
        }
    assert shown == {
        "jit": "off",
        "random_page_cost": "1.1",
        "max_parallel_workers_per_gather": "0",
    }


def _statement_of(call) -> tuple[str, dict]:
    """The one SELECT on the action table that `call` runs."""
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if "FROM action" in statement:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert len(seen) == 1, seen
    return seen[0]


def _plan(statement: str, parameters: dict, *, bitmaps: bool = True) -> str:
    """The plan PostgreSQL would choose if it did not scan small tables whole."""
    raw = db.session.connection().connection.dbapi_connection
    with raw.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if not bitmaps:
            cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + statement, parameters)
        return "\n".join(row[0] for row in cursor.fetchall())


def _national_sample(today: date, tables: str) -> None:
    build_national(echo=lambda _: None, homes=40, years=2, today=today)
    db.session.commit()
    # VACUUM marks the pages all-visible (as autovacuum does after a load); it runs
    # outside a transaction.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text(f"VACUUM ANALYZE {tables}"))


def test_the_actions_figure_reads_the_covering_index_alone(app):
    today = date(2026, 12, 2)
    with app.app_context():
        _national_sample(today, "action")
        sel = Selection(Scope(admin=True), 2026)
        statement, parameters = _statement_of(lambda: figures.actions(sel, today))
        # Would the covering index serve it at all? (Small tables are otherwise scanned.)
        plan = _plan(statement, parameters, bitmaps=False)
        db.session.rollback()
    # Counting a column outside the index (count(action.id)) would send every row to the heap.
    assert "Index Only Scan using ix_followup_action_agg on action" in plan, plan


def test_a_health_centres_open_actions_use_the_dialogue_indexes(app):
    """The centre's dialogues are those it takes part in OR those of the homes it serves. With
    the homes as a subquery the OR could use no index, and PostgreSQL read every open action
    in the country (15 ms on the national data); with the homes as a list it is a BitmapOr."""
    with app.app_context():
        _national_sample(date(2026, 12, 2), "action, dialogue, care_home")
        centre = db.session.scalar(
            sa.select(HealthCentre).where(HealthCentre.care_homes.any()).order_by(HealthCentre.id)
        )
        scope = Scope(health_centre_ids=frozenset({centre.id}))
        statement, parameters = _statement_of(lambda: actions_to_follow_up(scope))
        plan = _plan(statement, parameters)
        db.session.rollback()
    # Both sides of the OR are index scans on dialogue, joined in a BitmapOr.
    assert "BitmapOr" in plan, plan
    assert "Index Cond: (health_centre_id = " in plan, plan
    assert "Index Cond: (care_home_id = " in plan, plan
