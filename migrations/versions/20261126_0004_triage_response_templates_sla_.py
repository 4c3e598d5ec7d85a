"""Triage: response templates, SLA escalations, previous status and duplicate of, the queue's covering index.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 13:59:21.735352

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('response_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_response_templates_category_id_categories')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_response_templates_created_by_id_users')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_response_templates_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_templates'))
    )
    with op.batch_alter_table('response_templates', schema=None) as batch_op:
        batch_op.create_index('ix_response_templates_station_category', ['station_id', 'category_id'], unique=False)

    op.create_table('sla_escalations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.String(length=3), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_sla_escalations_report_id_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_escalations')),
    sa.UniqueConstraint('report_id', 'deadline', 'due_at', 'level', name='uq_sla_escalations_report_deadline_level')
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_status', sa.Enum('new', 'acknowledged', 'in_progress', 'needs_info', 'action_taken', 'closed', 'rejected', 'reopened', name='reportstatus', native_enum=False, length=32), nullable=True))
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_reports_duplicate_of_id'), ['duplicate_of_id'], unique=False)
        # Covers the station queue's sort, so deep pages read index entries instead of table rows.
        batch_op.create_index('ix_reports_triage_queue', ['station_id', 'status', 'priority', 'created_at', 'id', 'acknowledged_at', 'ack_due_at', 'act_due_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_reports_duplicate_of_id_reports'), 'reports', ['duplicate_of_id'], ['id'])


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reports_duplicate_of_id_reports'), type_='foreignkey')
        batch_op.drop_index('ix_reports_triage_queue')
        batch_op.drop_index(batch_op.f('ix_reports_duplicate_of_id'))
        batch_op.drop_column('duplicate_of_id')
        batch_op.drop_column('previous_status')

    op.drop_table('sla_escalations')
    with op.batch_alter_table('response_templates', schema=None) as batch_op:
        batch_op.drop_index('ix_response_templates_station_category')

    op.drop_table('response_templates')
