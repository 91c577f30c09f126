"""Performance (issue 15): findings per dialogue and kind, and each home's years with a risk or
deficiency per area, kept by triggers; the escalated findings' indexes carry their dialogue

The statements are those of dialog/models/tallies.py on the day of this revision, written out
so that the revision stays what it was when the code changes.

Revision ID: i15b_finding_tally
Revises: i15a_dashboard_indexes
Create Date: 2026-12-02 16:10:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "i15b_finding_tally"
down_revision = "i15a_dashboard_indexes"
branch_labels = None
depends_on = None

_SUBTRACT = (
    "UPDATE finding_tally SET deficiencies = deficiencies - (OLD.kind = 'brist'){cast}, "
    "risks = risks - (OLD.kind = 'risk'){cast}, "
    "success_factors = success_factors - (OLD.kind = 'framgangsfaktor'){cast} "
    "WHERE dialogue_id = OLD.dialogue_id"
)
_UPSERT = (
    "INSERT INTO finding_tally (dialogue_id, deficiencies, risks, success_factors) "
    "VALUES (NEW.dialogue_id, (NEW.kind = 'brist'){cast}, (NEW.kind = 'risk'){cast}, "
    "(NEW.kind = 'framgangsfaktor'){cast}) ON CONFLICT (dialogue_id) DO UPDATE SET "
    "deficiencies = {t}deficiencies + excluded.deficiencies, risks = {t}risks + excluded.risks, "
    "success_factors = {t}success_factors + excluded.success_factors"
)
POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION finding_tally_apply() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "  IF TG_OP IN ('DELETE', 'UPDATE') THEN\n"
    f"    {_SUBTRACT.format(cast='::int')};\n"
    "  END IF;\n"
    "  IF TG_OP IN ('INSERT', 'UPDATE') THEN\n"
    f"    {_UPSERT.format(cast='::int', t='finding_tally.')};\n"
    "  END IF;\n"
    "  RETURN NULL;\n"
    "END\n$$",
    "CREATE TRIGGER finding_tally AFTER INSERT OR DELETE OR UPDATE OF kind, dialogue_id "
    "ON finding FOR EACH ROW EXECUTE FUNCTION finding_tally_apply()",
]
SQLITE = [
    "CREATE TRIGGER finding_tally_insert AFTER INSERT ON finding BEGIN "
    f"{_UPSERT.format(cast='', t='')}; END",
    "CREATE TRIGGER finding_tally_delete AFTER DELETE ON finding BEGIN "
    f"{_SUBTRACT.format(cast='')}; END",
    "CREATE TRIGGER finding_tally_update AFTER UPDATE OF kind, dialogue_id ON finding BEGIN "
    f"{_SUBTRACT.format(cast='')}; {_UPSERT.format(cast='', t='')}; END",
]

RECURRING_POSTGRESQL = [
    (
        "CREATE OR REPLACE FUNCTION recurring_tally_refresh(p_home integer, p_kind text, "
        "p_area integer, p_skip integer) RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  IF "
        "p_home IS NULL OR p_kind = 'framgangsfaktor' THEN RETURN; END IF;\n  PERFORM 1 "
        "FROM care_home WHERE id = p_home FOR NO KEY UPDATE;\n  INSERT INTO "
        "recurring_tally AS t (care_home_id, kind, area_id, years_mask) VALUES (p_home, "
        "p_kind, p_area, (SELECT coalesce(bit_or(1::bigint << (d.year - 2000)), 0) FROM "
        "finding f JOIN dialogue d ON d.id = f.dialogue_id WHERE d.care_home_id = p_home "
        "AND f.kind = p_kind AND f.area_id = p_area AND d.id IS DISTINCT FROM p_skip AND "
        "d.year BETWEEN 2000 AND 2062)) ON CONFLICT (care_home_id, kind, area_id) DO "
        "UPDATE SET years_mask = excluded.years_mask;\nEND\n$$"
    ),
    (
        "CREATE OR REPLACE FUNCTION recurring_tally_finding() RETURNS trigger LANGUAGE "
        "plpgsql AS $$\nBEGIN\n  IF TG_OP IN ('DELETE', 'UPDATE') THEN\n    PERFORM "
        "recurring_tally_refresh((SELECT care_home_id FROM dialogue WHERE id = "
        "OLD.dialogue_id), OLD.kind, OLD.area_id, NULL);\n  END IF;\n  IF TG_OP IN "
        "('INSERT', 'UPDATE') THEN\n    PERFORM recurring_tally_refresh((SELECT "
        "care_home_id FROM dialogue WHERE id = NEW.dialogue_id), NEW.kind, NEW.area_id, "
        "NULL);\n  END IF;\n  RETURN NULL;\nEND\n$$"
    ),
    (
        "CREATE OR REPLACE FUNCTION recurring_tally_dialogue() RETURNS trigger LANGUAGE "
        "plpgsql AS $$\nDECLARE r record;\nBEGIN\n  IF TG_OP = 'DELETE' THEN\n    FOR r IN "
        "SELECT DISTINCT kind, area_id FROM finding WHERE dialogue_id = OLD.id LOOP\n     "
        " PERFORM recurring_tally_refresh(OLD.care_home_id, r.kind, r.area_id, OLD.id);\n "
        "   END LOOP;\n    RETURN OLD;\n  END IF;\n  FOR r IN SELECT DISTINCT kind, area_id "
        "FROM finding WHERE dialogue_id = NEW.id LOOP\n    PERFORM "
        "recurring_tally_refresh(OLD.care_home_id, r.kind, r.area_id, NULL);\n    PERFORM "
        "recurring_tally_refresh(NEW.care_home_id, r.kind, r.area_id, NULL);\n  END "
        "LOOP;\n  RETURN NULL;\nEND\n$$"
    ),
    ("DROP TRIGGER IF EXISTS recurring_tally ON finding"),
    (
        "CREATE TRIGGER recurring_tally AFTER INSERT OR DELETE OR UPDATE OF kind, "
        "area_id, dialogue_id ON finding FOR EACH ROW EXECUTE FUNCTION "
        "recurring_tally_finding()"
    ),
    ("DROP TRIGGER IF EXISTS recurring_tally_delete ON dialogue"),
    (
        "CREATE TRIGGER recurring_tally_delete BEFORE DELETE ON dialogue FOR EACH ROW "
        "EXECUTE FUNCTION recurring_tally_dialogue()"
    ),
    ("DROP TRIGGER IF EXISTS recurring_tally_update ON dialogue"),
    (
        "CREATE TRIGGER recurring_tally_update AFTER UPDATE OF year, care_home_id ON "
        "dialogue FOR EACH ROW WHEN (OLD.year IS DISTINCT FROM NEW.year OR "
        "OLD.care_home_id IS DISTINCT FROM NEW.care_home_id) EXECUTE FUNCTION "
        "recurring_tally_dialogue()"
    ),
]
RECURRING_SQLITE = [
    (
        "CREATE TRIGGER recurring_tally_insert AFTER INSERT ON finding BEGIN INSERT INTO "
        "recurring_tally (care_home_id, kind, area_id, years_mask) SELECT "
        "d0.care_home_id, NEW.kind, NEW.area_id, (SELECT coalesce(sum(DISTINCT 1 << "
        "(d.year - 2000)), 0) FROM finding f JOIN dialogue d ON d.id = f.dialogue_id "
        "WHERE d.care_home_id = d0.care_home_id AND f.kind = NEW.kind AND f.area_id = "
        "NEW.area_id AND d.year BETWEEN 2000 AND 2062) FROM dialogue d0 WHERE d0.id = "
        "NEW.dialogue_id AND NEW.kind <> 'framgangsfaktor' ON CONFLICT (care_home_id, "
        "kind, area_id) DO UPDATE SET years_mask = excluded.years_mask; END"
    ),
    (
        "CREATE TRIGGER recurring_tally_delete AFTER DELETE ON finding BEGIN INSERT INTO "
        "recurring_tally (care_home_id, kind, area_id, years_mask) SELECT "
        "d0.care_home_id, OLD.kind, OLD.area_id, (SELECT coalesce(sum(DISTINCT 1 << "
        "(d.year - 2000)), 0) FROM finding f JOIN dialogue d ON d.id = f.dialogue_id "
        "WHERE d.care_home_id = d0.care_home_id AND f.kind = OLD.kind AND f.area_id = "
        "OLD.area_id AND d.year BETWEEN 2000 AND 2062) FROM dialogue d0 WHERE d0.id = "
        "OLD.dialogue_id AND OLD.kind <> 'framgangsfaktor' ON CONFLICT (care_home_id, "
        "kind, area_id) DO UPDATE SET years_mask = excluded.years_mask; END"
    ),
    (
        "CREATE TRIGGER recurring_tally_update AFTER UPDATE OF kind, area_id, "
        "dialogue_id ON finding BEGIN INSERT INTO recurring_tally (care_home_id, kind, "
        "area_id, years_mask) SELECT d0.care_home_id, OLD.kind, OLD.area_id, (SELECT "
        "coalesce(sum(DISTINCT 1 << (d.year - 2000)), 0) FROM finding f JOIN dialogue d "
        "ON d.id = f.dialogue_id WHERE d.care_home_id = d0.care_home_id AND f.kind = "
        "OLD.kind AND f.area_id = OLD.area_id AND d.year BETWEEN 2000 AND 2062) FROM "
        "dialogue d0 WHERE d0.id = OLD.dialogue_id AND OLD.kind <> 'framgangsfaktor' ON "
        "CONFLICT (care_home_id, kind, area_id) DO UPDATE SET years_mask = "
        "excluded.years_mask; INSERT INTO recurring_tally (care_home_id, kind, area_id, "
        "years_mask) SELECT d0.care_home_id, NEW.kind, NEW.area_id, (SELECT "
        "coalesce(sum(DISTINCT 1 << (d.year - 2000)), 0) FROM finding f JOIN dialogue d "
        "ON d.id = f.dialogue_id WHERE d.care_home_id = d0.care_home_id AND f.kind = "
        "NEW.kind AND f.area_id = NEW.area_id AND d.year BETWEEN 2000 AND 2062) FROM "
        "dialogue d0 WHERE d0.id = NEW.dialogue_id AND NEW.kind <> 'framgangsfaktor' ON "
        "CONFLICT (care_home_id, kind, area_id) DO UPDATE SET years_mask = "
        "excluded.years_mask; END"
    ),
    (
        "CREATE TRIGGER recurring_tally_dialogue_delete BEFORE DELETE ON dialogue BEGIN "
        "INSERT INTO recurring_tally (care_home_id, kind, area_id, years_mask) SELECT "
        "OLD.care_home_id, t.kind, t.area_id, (SELECT coalesce(sum(DISTINCT 1 << (d.year "
        "- 2000)), 0) FROM finding f JOIN dialogue d ON d.id = f.dialogue_id WHERE "
        "d.care_home_id = OLD.care_home_id AND f.kind = t.kind AND f.area_id = t.area_id "
        "AND d.id IS NOT OLD.id AND d.year BETWEEN 2000 AND 2062) FROM (SELECT DISTINCT "
        "kind, area_id FROM finding WHERE dialogue_id = OLD.id AND kind <> "
        "'framgangsfaktor') AS t WHERE true ON CONFLICT (care_home_id, kind, area_id) DO "
        "UPDATE SET years_mask = excluded.years_mask; END"
    ),
    (
        "CREATE TRIGGER recurring_tally_dialogue_update AFTER UPDATE OF year, "
        "care_home_id ON dialogue WHEN OLD.year IS NOT NEW.year OR OLD.care_home_id IS "
        "NOT NEW.care_home_id BEGIN INSERT INTO recurring_tally (care_home_id, kind, "
        "area_id, years_mask) SELECT OLD.care_home_id, t.kind, t.area_id, (SELECT "
        "coalesce(sum(DISTINCT 1 << (d.year - 2000)), 0) FROM finding f JOIN dialogue d "
        "ON d.id = f.dialogue_id WHERE d.care_home_id = OLD.care_home_id AND f.kind = "
        "t.kind AND f.area_id = t.area_id AND d.year BETWEEN 2000 AND 2062) FROM (SELECT "
        "DISTINCT kind, area_id FROM finding WHERE dialogue_id = NEW.id AND kind <> "
        "'framgangsfaktor') AS t WHERE true ON CONFLICT (care_home_id, kind, area_id) DO "
        "UPDATE SET years_mask = excluded.years_mask; INSERT INTO recurring_tally "
        "(care_home_id, kind, area_id, years_mask) SELECT NEW.care_home_id, t.kind, "
        "t.area_id, (SELECT coalesce(sum(DISTINCT 1 << (d.year - 2000)), 0) FROM finding "
        "f JOIN dialogue d ON d.id = f.dialogue_id WHERE d.care_home_id = "
        "NEW.care_home_id AND f.kind = t.kind AND f.area_id = t.area_id AND d.year "
        "BETWEEN 2000 AND 2062) FROM (SELECT DISTINCT kind, area_id FROM finding WHERE "
        "dialogue_id = NEW.id AND kind <> 'framgangsfaktor') AS t WHERE true ON CONFLICT "
        "(care_home_id, kind, area_id) DO UPDATE SET years_mask = excluded.years_mask; "
        "END"
    ),
]


def upgrade():
    op.create_table(
        "finding_tally",
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("deficiencies", sa.Integer(), server_default="0", nullable=False),
        sa.Column("risks", sa.Integer(), server_default="0", nullable=False),
        sa.Column("success_factors", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogue.id"],
            name=op.f("fk_finding_tally_dialogue_id_dialogue"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dialogue_id", name=op.f("pk_finding_tally")),
    )
    op.execute(
        "INSERT INTO finding_tally (dialogue_id, deficiencies, risks, success_factors) "
        "SELECT dialogue_id, sum(CASE WHEN kind = 'brist' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN kind = 'risk' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN kind = 'framgangsfaktor' THEN 1 ELSE 0 END) "
        "FROM finding GROUP BY dialogue_id"
    )
    op.create_table(
        "recurring_tally",
        sa.Column("care_home_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "brist",
                "risk",
                "framgangsfaktor",
                name="findingkind",
                native_enum=False,
                create_constraint=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("years_mask", sa.BigInteger(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["area.id"],
            name=op.f("fk_recurring_tally_area_id_area"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["care_home_id"],
            ["care_home.id"],
            name=op.f("fk_recurring_tally_care_home_id_care_home"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("care_home_id", "kind", "area_id", name=op.f("pk_recurring_tally")),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    years = (
        "bit_or(1::bigint << (d.year - 2000))"
        if postgresql
        else "sum(DISTINCT 1 << (d.year - 2000))"
    )
    op.execute(
        "INSERT INTO recurring_tally (care_home_id, kind, area_id, years_mask) "
        f"SELECT d.care_home_id, f.kind, f.area_id, {years} "
        "FROM finding f JOIN dialogue d ON d.id = f.dialogue_id "
        "WHERE f.kind <> 'framgangsfaktor' AND d.year BETWEEN 2000 AND 2062 "
        "GROUP BY d.care_home_id, f.kind, f.area_id"
    )
    for statement in POSTGRESQL + RECURRING_POSTGRESQL if postgresql else SQLITE + RECURRING_SQLITE:
        op.execute(statement)

    # Index operations only: SQLite keeps the table (and so its new triggers).
    op.drop_index("ix_finding_escalated", table_name="finding")
    op.create_index(
        "ix_finding_escalated",
        "finding",
        ["escalated_at", "id", "dialogue_id"],
        unique=False,
        sqlite_where=sa.text("escalate IS 1"),
        postgresql_where=sa.text("escalate IS true"),
    )

    op.create_index(
        "ix_finding_escalated_dialogue",
        "finding",
        ["dialogue_id"],
        unique=False,
        sqlite_where=sa.text("escalate IS 1"),
        postgresql_where=sa.text("escalate IS true"),
    )


def downgrade():
    op.drop_index("ix_finding_escalated_dialogue", table_name="finding")
    op.drop_index("ix_finding_escalated", table_name="finding")
    op.create_index(
        "ix_finding_escalated",
        "finding",
        ["escalated_at", "id"],
        unique=False,
        sqlite_where=sa.text("escalate IS 1"),
        postgresql_where=sa.text("escalate IS true"),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in (
            "DROP TRIGGER IF EXISTS finding_tally ON finding",
            "DROP FUNCTION IF EXISTS finding_tally_apply()",
            "DROP TRIGGER IF EXISTS recurring_tally ON finding",
            "DROP TRIGGER IF EXISTS recurring_tally_delete ON dialogue",
            "DROP TRIGGER IF EXISTS recurring_tally_update ON dialogue",
            "DROP FUNCTION IF EXISTS recurring_tally_finding()",
            "DROP FUNCTION IF EXISTS recurring_tally_dialogue()",
            "DROP FUNCTION IF EXISTS recurring_tally_refresh(integer, text, integer, integer)",
        ):
            op.execute(statement)
    else:
        for name in (
            "finding_tally_insert",
            "finding_tally_delete",
            "finding_tally_update",
            "recurring_tally_insert",
            "recurring_tally_delete",
            "recurring_tally_update",
            "recurring_tally_dialogue_delete",
            "recurring_tally_dialogue_update",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("recurring_tally")
    op.drop_table("finding_tally")
