"""minutes notes on the dialogue and a comment on attendance (documentation template round trip)

Revision ID: c13a_minutes_notes
Revises: f3b735aa150b
Create Date: 2026-12-02 07:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c13a_minutes_notes'
down_revision = 'f3b735aa150b'
branch_labels = None
depends_on = None

DIALOGUE_COLUMNS = [
    ('chair', sa.String(length=160)),
    ('note_taker', sa.String(length=160)),
    ('minutes_checked_by', sa.String(length=160)),
    ('shared_data_notes', sa.Text()),
    ('lessons_to', sa.String(length=500)),
    ('lessons_by', sa.String(length=500)),
    ('lessons_when', sa.String(length=500)),
    ('next_dialogue_note', sa.String(length=500)),
]


def upgrade():
    with op.batch_alter_table('dialogue', schema=None) as batch_op:
        for name, type_ in DIALOGUE_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=False, server_default=''))
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('attendance_comment', sa.String(length=1000), nullable=False, server_default='')
        )


def downgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_column('attendance_comment')
    with op.batch_alter_table('dialogue', schema=None) as batch_op:
        for name, _ in reversed(DIALOGUE_COLUMNS):
            batch_op.drop_column(name)
