"""Tallies of the findings, kept exact by database triggers on `finding` (and `dialogue`).

- `finding_tally`: each dialogue's findings per kind, for the dashboards' trends (otherwise a
  scan of every finding of every year per request: hundreds of thousands nationally);
- `recurring_tally`: for each home, kind (risk, deficiency) and area, the years with such a
  finding as the bits of a number, for the recurring findings (otherwise every finding of five
  years per request). Each change counts its triple again from the findings, so nothing drifts;
  on PostgreSQL a writer first takes the home's row lock, so two writers of one home count one
  after the other and the second sees the first's findings.

The triggers live in the database itself, so every write path keeps the tallies right: the ORM,
bulk statements, COPY, ON DELETE CASCADE and hand-written SQL alike. Application code only
reads these tables. A SQLite table that Alembic's batch mode copies ("move and copy") loses its
triggers: a migration that batch-alters `finding` or `dialogue` must call `create_triggers()`
again.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import enum_column
from .findings import FindingKind

# Column of each kind (the tally's columns, in FindingKind's order).
KIND_COLUMNS = {
    FindingKind.DEFICIENCY: "deficiencies",
    FindingKind.RISK: "risks",
    FindingKind.SUCCESS_FACTOR: "success_factors",
}
TRIGGERS = ("finding_tally_insert", "finding_tally_delete", "finding_tally_update")
RECURRING_TRIGGERS = (
    "recurring_tally_insert",
    "recurring_tally_delete",
    "recurring_tally_update",
    "recurring_tally_dialogue_delete",
    "recurring_tally_dialogue_update",
)
# The years a mask holds: bit 0 is MASK_FIRST_YEAR, bit 62 the last (a signed 64-bit integer on
# both databases). Outside them the recurring findings are counted from the findings.
MASK_FIRST_YEAR = 2000
MASK_LAST_YEAR = 2062
SUCCESS = FindingKind.SUCCESS_FACTOR.value


class FindingTally(db.Model):
    __tablename__ = "finding_tally"

    dialogue_id: Mapped[int] = mapped_column(
        sa.ForeignKey("dialogue.id", ondelete="CASCADE"), primary_key=True
    )
    deficiencies: Mapped[int] = mapped_column(default=0, server_default="0")
    risks: Mapped[int] = mapped_column(default=0, server_default="0")
    success_factors: Mapped[int] = mapped_column(default=0, server_default="0")


class RecurringTally(db.Model):
    __tablename__ = "recurring_tally"

    care_home_id: Mapped[int] = mapped_column(
        sa.ForeignKey("care_home.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[FindingKind] = mapped_column(enum_column(FindingKind), primary_key=True)
    area_id: Mapped[int] = mapped_column(
        sa.ForeignKey("area.id", ondelete="CASCADE"), primary_key=True
    )
    years_mask: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")


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


def _mask_of_years(dialect: str) -> str:
    """The aggregate that ORs the years' bits of the rows of `d` (a dialogue)."""
    if dialect == "postgresql":
        return f"bit_or(1::bigint << (d.year - {MASK_FIRST_YEAR}))"
    # SQLite has no bit_or(): the sum of the distinct bits is the same number.
    return f"sum(DISTINCT 1 << (d.year - {MASK_FIRST_YEAR}))"


def _years(dialect: str, home: str, kind: str, area: str, skip: str | None = None) -> str:
    """The years mask of (home, kind, area), counted from the findings (skip: a dialogue being
    deleted)."""
    distinct = "IS DISTINCT FROM" if dialect == "postgresql" else "IS NOT"  # skip may be NULL
    other = f" AND d.id {distinct} {skip}" if skip else ""
    return (
        f"(SELECT coalesce({_mask_of_years(dialect)}, 0) "
        "FROM finding f JOIN dialogue d ON d.id = f.dialogue_id "
        f"WHERE d.care_home_id = {home} AND f.kind = {kind} AND f.area_id = {area}{other} "
        f"AND d.year BETWEEN {MASK_FIRST_YEAR} AND {MASK_LAST_YEAR})"
    )


_SET_MASK = (
    "ON CONFLICT (care_home_id, kind, area_id) DO UPDATE SET years_mask = excluded.years_mask"
)


def _refresh_finding(row: str) -> str:
    """SQLite: count again the triple of the finding `row` (NEW or OLD), if its dialogue is
    still there (a dialogue's own delete trigger counts without it)."""
    return (
        "INSERT INTO recurring_tally (care_home_id, kind, area_id, years_mask) "
        f"SELECT d0.care_home_id, {row}.kind, {row}.area_id, "
        f"{_years('sqlite', 'd0.care_home_id', f'{row}.kind', f'{row}.area_id')} "
        f"FROM dialogue d0 WHERE d0.id = {row}.dialogue_id AND {row}.kind <> '{SUCCESS}' "
        f"{_SET_MASK}"
    )


def _refresh_dialogue(dialogue: str, home: str, skip: str | None = None) -> str:
    """SQLite: count again every triple of a dialogue's findings, for `home`."""
    return (
        "INSERT INTO recurring_tally (care_home_id, kind, area_id, years_mask) "
        f"SELECT {home}, t.kind, t.area_id, {_years('sqlite', home, 't.kind', 't.area_id', skip)} "
        "FROM (SELECT DISTINCT kind, area_id FROM finding "
        f"WHERE dialogue_id = {dialogue} AND kind <> '{SUCCESS}') AS t WHERE true {_SET_MASK}"
    )


def recurring_trigger_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [
            # One home's triples are counted again one writer at a time: the row lock makes a
            # second writer wait, and its count (a statement of its own, so a fresh snapshot)
            # then sees the first one's findings.
            "CREATE OR REPLACE FUNCTION recurring_tally_refresh(p_home integer, p_kind text, "
            "p_area integer, p_skip integer) RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n"
            f"  IF p_home IS NULL OR p_kind = '{SUCCESS}' THEN RETURN; END IF;\n"
            "  PERFORM 1 FROM care_home WHERE id = p_home FOR NO KEY UPDATE;\n"
            "  INSERT INTO recurring_tally AS t (care_home_id, kind, area_id, years_mask) "
            "VALUES (p_home, p_kind, p_area, "
            f"{_years('postgresql', 'p_home', 'p_kind', 'p_area', 'p_skip')}) {_SET_MASK};\n"
            "END\n$$",
            "CREATE OR REPLACE FUNCTION recurring_tally_finding() RETURNS trigger "
            "LANGUAGE plpgsql AS $$\nBEGIN\n"
            "  IF TG_OP IN ('DELETE', 'UPDATE') THEN\n"
            "    PERFORM recurring_tally_refresh((SELECT care_home_id FROM dialogue "
            "WHERE id = OLD.dialogue_id), OLD.kind, OLD.area_id, NULL);\n"
            "  END IF;\n"
            "  IF TG_OP IN ('INSERT', 'UPDATE') THEN\n"
            "    PERFORM recurring_tally_refresh((SELECT care_home_id FROM dialogue "
            "WHERE id = NEW.dialogue_id), NEW.kind, NEW.area_id, NULL);\n"
            "  END IF;\n"
            "  RETURN NULL;\nEND\n$$",
            "CREATE OR REPLACE FUNCTION recurring_tally_dialogue() RETURNS trigger "
            "LANGUAGE plpgsql AS $$\nDECLARE r record;\nBEGIN\n"
            "  IF TG_OP = 'DELETE' THEN\n"
            "    FOR r IN SELECT DISTINCT kind, area_id FROM finding WHERE dialogue_id = OLD.id "
            "LOOP\n"
            "      PERFORM recurring_tally_refresh(OLD.care_home_id, r.kind, r.area_id, OLD.id);\n"
            "    END LOOP;\n"
            "    RETURN OLD;\n"
            "  END IF;\n"
            "  FOR r IN SELECT DISTINCT kind, area_id FROM finding WHERE dialogue_id = NEW.id LOOP\n"
            "    PERFORM recurring_tally_refresh(OLD.care_home_id, r.kind, r.area_id, NULL);\n"
            "    PERFORM recurring_tally_refresh(NEW.care_home_id, r.kind, r.area_id, NULL);\n"
            "  END LOOP;\n"
            "  RETURN NULL;\nEND\n$$",
            "DROP TRIGGER IF EXISTS recurring_tally ON finding",
            "CREATE TRIGGER recurring_tally AFTER INSERT OR DELETE OR UPDATE OF kind, area_id, "
            "dialogue_id ON finding FOR EACH ROW EXECUTE FUNCTION recurring_tally_finding()",
            "DROP TRIGGER IF EXISTS recurring_tally_delete ON dialogue",
            "CREATE TRIGGER recurring_tally_delete BEFORE DELETE ON dialogue "
            "FOR EACH ROW EXECUTE FUNCTION recurring_tally_dialogue()",
            "DROP TRIGGER IF EXISTS recurring_tally_update ON dialogue",
            "CREATE TRIGGER recurring_tally_update AFTER UPDATE OF year, care_home_id ON dialogue "
            "FOR EACH ROW WHEN (OLD.year IS DISTINCT FROM NEW.year "
            "OR OLD.care_home_id IS DISTINCT FROM NEW.care_home_id) "
            "EXECUTE FUNCTION recurring_tally_dialogue()",
        ]
    return [
        "CREATE TRIGGER IF NOT EXISTS recurring_tally_insert AFTER INSERT ON finding BEGIN "
        f"{_refresh_finding('NEW')}; END",
        "CREATE TRIGGER IF NOT EXISTS recurring_tally_delete AFTER DELETE ON finding BEGIN "
        f"{_refresh_finding('OLD')}; END",
        "CREATE TRIGGER IF NOT EXISTS recurring_tally_update "
        "AFTER UPDATE OF kind, area_id, dialogue_id ON finding BEGIN "
        f"{_refresh_finding('OLD')}; {_refresh_finding('NEW')}; END",
        "CREATE TRIGGER IF NOT EXISTS recurring_tally_dialogue_delete BEFORE DELETE ON dialogue "
        f"BEGIN {_refresh_dialogue('OLD.id', 'OLD.care_home_id', 'OLD.id')}; END",
        "CREATE TRIGGER IF NOT EXISTS recurring_tally_dialogue_update "
        "AFTER UPDATE OF year, care_home_id ON dialogue "
        "WHEN OLD.year IS NOT NEW.year OR OLD.care_home_id IS NOT NEW.care_home_id BEGIN "
        f"{_refresh_dialogue('NEW.id', 'OLD.care_home_id')}; "
        f"{_refresh_dialogue('NEW.id', 'NEW.care_home_id')}; END",
    ]


def drop_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [
            "DROP TRIGGER IF EXISTS finding_tally ON finding",
            "DROP FUNCTION IF EXISTS finding_tally_apply()",
            "DROP TRIGGER IF EXISTS recurring_tally ON finding",
            "DROP TRIGGER IF EXISTS recurring_tally_delete ON dialogue",
            "DROP TRIGGER IF EXISTS recurring_tally_update ON dialogue",
            "DROP FUNCTION IF EXISTS recurring_tally_finding()",
            "DROP FUNCTION IF EXISTS recurring_tally_dialogue()",
            "DROP FUNCTION IF EXISTS recurring_tally_refresh(integer, text, integer, integer)",
        ]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS + RECURRING_TRIGGERS]


def create_triggers(connection) -> None:
    dialect = connection.dialect.name
    for statement in trigger_statements(dialect) + recurring_trigger_statements(dialect):
        connection.execute(sa.text(statement))


def drop_triggers(connection) -> None:
    for statement in drop_statements(connection.dialect.name):
        connection.execute(sa.text(statement))


def rebuild_tally(connection) -> None:
    """Count every dialogue's findings and every home's recurring years again (after a bulk
    load without the triggers)."""
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
    connection.execute(sa.text("DELETE FROM recurring_tally"))
    connection.execute(
        sa.text(
            "INSERT INTO recurring_tally (care_home_id, kind, area_id, years_mask) "
            f"SELECT d.care_home_id, f.kind, f.area_id, {_mask_of_years(connection.dialect.name)} "
            "FROM finding f JOIN dialogue d ON d.id = f.dialogue_id "
            f"WHERE f.kind <> '{SUCCESS}' AND d.year BETWEEN {MASK_FIRST_YEAR} AND {MASK_LAST_YEAR} "
            "GROUP BY d.care_home_id, f.kind, f.area_id"
        )
    )


@sa.event.listens_for(db.metadata, "after_create")
def _create_triggers_with_the_schema(metadata, connection, tables=(), **kw) -> None:
    names = {t.name for t in tables}
    if {"finding", "finding_tally", "recurring_tally"} <= names:
        create_triggers(connection)


@sa.event.listens_for(db.metadata, "before_drop")
def _drop_triggers_with_the_schema(metadata, connection, tables=(), **kw) -> None:
    if "finding" in {t.name for t in tables}:
        inspector = sa.inspect(connection)
        if inspector.has_table("finding"):
            drop_triggers(connection)
