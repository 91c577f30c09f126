"""PostgreSQL only: the application's sessions plan for data in memory, and the national
actions figure can be read from its covering index alone (issue 15)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from dialog.demo import build_national
from dialog.extensions import db
from dialog.followup import figures
from dialog.followup.filters import Selection
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


def test_the_actions_figure_reads_the_covering_index_alone(app):
    today = date(2026, 12, 2)
    with app.app_context():
        build_national(echo=lambda _: None, homes=40, years=2, today=today)
        db.session.commit()
        # VACUUM marks the pages all-visible (as autovacuum does after a load); it runs
        # outside a transaction.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE action"))
        sel = Selection(Scope(admin=True), 2026)
        statement, parameters = _statement_of(lambda: figures.actions(sel, today))
        raw = db.session.connection().connection.dbapi_connection
        with raw.cursor() as cursor:
            # Would the covering index serve it at all? (Small tables are otherwise scanned.)
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("EXPLAIN " + statement, parameters)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        db.session.rollback()
    # Counting a column outside the index (count(action.id)) would send every row to the heap.
    assert "Index Only Scan using ix_followup_action_agg on action" in plan, plan
