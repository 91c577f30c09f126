"""Performance (issue 15): the escalated findings and the open actions by due date indexed

Revision ID: i15a_dashboard_indexes
Revises: b16a5c7e9d01
Create Date: 2026-12-02 13:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i15a_dashboard_indexes'
down_revision = 'b16a5c7e9d01'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.create_index(
            'ix_finding_escalated',
            ['escalated_at', 'id'],
            unique=False,
            sqlite_where=sa.text('escalate IS 1'),
            postgresql_where=sa.text('escalate IS true'),
        )
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index('ix_action_status')
        batch_op.drop_index('ix_action_due_date')
        batch_op.create_index('ix_action_status_due_date', ['status', 'due_date'], unique=False)


def downgrade():
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index('ix_action_status_due_date')
        batch_op.create_index('ix_action_status', ['status'], unique=False)
        batch_op.create_index('ix_action_due_date', ['due_date'], unique=False)
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_index('ix_finding_escalated')
