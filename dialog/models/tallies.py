"""Findings per dialogue and kind, kept exact by database triggers on `finding`.

The dashboards' trends count every finding of every year; at national size that is a scan of
all findings (hundreds of thousands) per request. These three numbers per dialogue are kept by
triggers in the database itself, so every write path keeps them right: the ORM, bulk inserts,
COPY, ON DELETE CASCADE and hand-written SQL alike. Application code only reads this table.

A SQLite table that Alembic's batch mode copies ("move and copy") loses its triggers: a
migration that batch-alters `finding` must call `create_triggers()` again.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .findings import FindingKind

# Column of each kind (the tally's columns, in FindingKind's order).
KIND_COLUMNS = {
    FindingKind.DEFICIENCY: "deficiencies",
    FindingKind.RISK: "risks",
    FindingKind.SUCCESS_FACTOR: "success_factors",
}
TRIGGERS = ("finding_tally_insert", "finding_tally_delete", "finding_tally_update")


class FindingTally(db.Model):
    __tablename__ = "finding_tally"

    dialogue_id: Mapped[int] = mapped_column(
        sa.ForeignKey("dialogue.id", ondelete="CASCADE"), primary_key=True
    )
    deficiencies: Mapped[int] = mapped_column(default=0, server_default="0")
    risks: Mapped[int] = mapped_column(default=0, server_default="0")
    success_factors: Mapped[int] = mapped_column(default=0, server_default="0")


def _flags(row: str, cast: str) -> list[str]:
    """1/0 per kind column for the finding `row` (NEW or OLD)."""
    return [f"({row}.kind = '{kind.value}'){cast}" for kind in KIND_COLUMNS]


def _upsert(row: str, cast: str, alias: str) -> str:
    columns = ", ".join(KIND_COLUMNS.values())
    sums = ", ".join(f"{c} = {alias}{c} + excluded.{c}" for c in KIND_COLUMNS.values())
    return (
        f"INSERT INTO finding_tally (dialogue_id, {columns}) "
        f"VALUES ({row}.dialogue_id, {', '.join(_flags(row, cast))}) "
        f"ON CONFLICT (dialogue_id) DO UPDATE SET {sums}"
    )


def _subtract(row: str, cast: str) -> str:
    minus = ", ".join(
        f"{c} = {c} - {flag}" for c, flag in zip(KIND_COLUMNS.values(), _flags(row, cast))
    )
    return f"UPDATE finding_tally SET {minus} WHERE dialogue_id = {row}.dialogue_id"


def trigger_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [
            "CREATE OR REPLACE FUNCTION finding_tally_apply() RETURNS trigger "
            "LANGUAGE plpgsql AS $$\nBEGIN\n"
            "  IF TG_OP IN ('DELETE', 'UPDATE') THEN\n"
            f"    {_subtract('OLD', '::int')};\n"
            "  END IF;\n"
            "  IF TG_OP IN ('INSERT', 'UPDATE') THEN\n"
            f"    {_upsert('NEW', '::int', 'finding_tally.')};\n"
            "  END IF;\n"
            "  RETURN NULL;\nEND\n$$",
            "DROP TRIGGER IF EXISTS finding_tally ON finding",
            "CREATE TRIGGER finding_tally AFTER INSERT OR DELETE OR UPDATE OF kind, dialogue_id "
            "ON finding FOR EACH ROW EXECUTE FUNCTION finding_tally_apply()",
        ]
    return [
        "CREATE TRIGGER IF NOT EXISTS finding_tally_insert AFTER INSERT ON finding BEGIN "
        f"{_upsert('NEW', '', '')}; END",
        "CREATE TRIGGER IF NOT EXISTS finding_tally_delete AFTER DELETE ON finding BEGIN "
        f"{_subtract('OLD', '')}; END",
        "CREATE TRIGGER IF NOT EXISTS finding_tally_update "
        "AFTER UPDATE OF kind, dialogue_id ON finding BEGIN "
        f"{_subtract('OLD', '')}; {_upsert('NEW', '', '')}; END",
    ]


def drop_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [
            "DROP TRIGGER IF EXISTS finding_tally ON finding",
            "DROP FUNCTION IF EXISTS finding_tally_apply()",
        ]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS]


def create_triggers(connection) -> None:
    for statement in trigger_statements(connection.dialect.name):
        connection.execute(sa.text(statement))


def drop_triggers(connection) -> None:
    for statement in drop_statements(connection.dialect.name):
        connection.execute(sa.text(statement))


def rebuild_tally(connection) -> None:
    """Count every dialogue's findings again (after a bulk load without the triggers)."""
    columns = ", ".join(KIND_COLUMNS.values())
    sums = ", ".join(
        f"sum(CASE WHEN kind = '{kind.value}' THEN 1 ELSE 0 END)" for kind in KIND_COLUMNS
    )
    connection.execute(sa.text("DELETE FROM finding_tally"))
    connection.execute(
        sa.text(
            f"INSERT INTO finding_tally (dialogue_id, {columns}) "
            f"SELECT dialogue_id, {sums} FROM finding GROUP BY dialogue_id"
        )
    )


@sa.event.listens_for(db.metadata, "after_create")
def _create_triggers_with_the_schema(metadata, connection, tables=(), **kw) -> None:
    names = {t.name for t in tables}
    if {"finding", "finding_tally"} <= names:
        create_triggers(connection)


@sa.event.listens_for(db.metadata, "before_drop")
def _drop_triggers_with_the_schema(metadata, connection, tables=(), **kw) -> None:
    if "finding" in {t.name for t in tables}:
        inspector = sa.inspect(connection)
        if inspector.has_table("finding"):
            drop_triggers(connection)
