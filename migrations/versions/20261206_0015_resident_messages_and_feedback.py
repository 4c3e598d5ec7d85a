"""The resident's voice: their messages on the tracking page (removed by retention) and "was it fixed?" answers.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'resident_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_resident_messages_report_id_reports')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_resident_messages')),
    )
    with op.batch_alter_table('resident_messages', schema=None) as batch_op:
        batch_op.create_index('ix_resident_messages_report', ['report_id', 'created_at'], unique=False)
    op.create_table(
        'report_feedback',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('party', sa.String(length=16), nullable=False),
        sa.Column('outcome_event_id', sa.Integer(), nullable=False),
        sa.Column('resolved', sa.Boolean(), nullable=False),
        sa.Column('rating', sa.Integer(), nullable=True),
        sa.Column('station_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_feedback_report_id_reports')),
        sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_report_feedback_station_id_stations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_feedback')),
        sa.UniqueConstraint('report_id', 'party', 'outcome_event_id', name='uq_report_feedback_once'),
    )
    with op.batch_alter_table('report_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_feedback_report_id'), ['report_id'], unique=False)


def downgrade():
    with op.batch_alter_table('report_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_feedback_report_id'))
    op.drop_table('report_feedback')
    with op.batch_alter_table('resident_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_resident_messages_report')
    op.drop_table('resident_messages')
