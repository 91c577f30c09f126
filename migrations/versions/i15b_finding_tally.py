"""Performance (issue 15): findings per dialogue and kind, kept by triggers on finding; the
escalated findings' indexes carry their dialogue

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
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL if postgresql else SQLITE:
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
        op.execute("DROP TRIGGER IF EXISTS finding_tally ON finding")
        op.execute("DROP FUNCTION IF EXISTS finding_tally_apply()")
    else:
        for name in ("finding_tally_insert", "finding_tally_delete", "finding_tally_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("finding_tally")
