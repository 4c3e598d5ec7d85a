"""Oversight: monthly rollups (figures per station and category, counts per amphoe) and their
checkpoint, MOU registry records, each report's tambon and amphoe, and the reports indexes the
rollup job reads to find stale months (changed reports, passed deadlines).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 14:31:40.650289

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rollup_checkpoints',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_rollup_checkpoints'))
    )
    op.create_table('amphoe_rollups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pao_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('amphoe_code', sa.String(length=16), nullable=True),
    sa.Column('reports', sa.Integer(), nullable=False),
    sa.Column('open_reports', sa.Integer(), nullable=False),
    sa.Column('overdue', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_amphoe_rollups_category_id_categories')),
    sa.ForeignKeyConstraint(['pao_id'], ['paos.id'], name=op.f('fk_amphoe_rollups_pao_id_paos')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_amphoe_rollups_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amphoe_rollups'))
    )
    with op.batch_alter_table('amphoe_rollups', schema=None) as batch_op:
        batch_op.create_index('ix_amphoe_rollups_pao_month', ['pao_id', 'month'], unique=False)

    op.create_table('stats_rollups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pao_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('reports', sa.Integer(), nullable=False),
    sa.Column('open_reports', sa.Integer(), nullable=False),
    sa.Column('acknowledged', sa.Integer(), nullable=False),
    sa.Column('acted', sa.Integer(), nullable=False),
    sa.Column('ack_met', sa.Integer(), nullable=False),
    sa.Column('ack_late', sa.Integer(), nullable=False),
    sa.Column('act_met', sa.Integer(), nullable=False),
    sa.Column('act_late', sa.Integer(), nullable=False),
    sa.Column('transferred', sa.Integer(), nullable=False),
    sa.Column('reopened', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('ack_missed', sa.Integer(), nullable=False),
    sa.Column('act_missed', sa.Integer(), nullable=False),
    sa.Column('overdue', sa.Integer(), nullable=False),
    sa.Column('packed', sa.LargeBinary(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_stats_rollups_category_id_categories')),
    sa.ForeignKeyConstraint(['pao_id'], ['paos.id'], name=op.f('fk_stats_rollups_pao_id_paos')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_stats_rollups_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stats_rollups'))
    )
    with op.batch_alter_table('stats_rollups', schema=None) as batch_op:
        batch_op.create_index('ix_stats_rollups_pao_month', ['pao_id', 'month'], unique=False)

    op.create_table('mou_records',
    sa.Column('mou_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('renews_mou_id', sa.Integer(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('end_reason', sa.Text(), nullable=True),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.Column('document_key', sa.String(length=128), nullable=True),
    sa.Column('document_name', sa.String(length=200), nullable=True),
    sa.Column('document_size', sa.Integer(), nullable=True),
    sa.Column('document_sha256', sa.String(length=64), nullable=True),
    sa.Column('document_uploaded_at', sa.DateTime(), nullable=True),
    sa.Column('document_uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_uploaded_by_id'], ['users.id'], name=op.f('fk_mou_records_document_uploaded_by_id_users')),
    sa.ForeignKeyConstraint(['ended_by_id'], ['users.id'], name=op.f('fk_mou_records_ended_by_id_users')),
    sa.ForeignKeyConstraint(['mou_id'], ['mous.id'], name=op.f('fk_mou_records_mou_id_mous')),
    sa.ForeignKeyConstraint(['renews_mou_id'], ['mous.id'], name=op.f('fk_mou_records_renews_mou_id_mous')),
    sa.PrimaryKeyConstraint('mou_id', name=op.f('pk_mou_records'))
    )
    with op.batch_alter_table('mou_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mou_records_renews_mou_id'), ['renews_mou_id'], unique=False)

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tambon_code', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('amphoe_code', sa.String(length=16), nullable=True))
        # The rollup job finds stale months by changed reports and by deadlines passed since its last run.
        batch_op.create_index('ix_reports_ack_due_at', ['ack_due_at'], unique=False)
        batch_op.create_index('ix_reports_act_due_at', ['act_due_at'], unique=False)
        batch_op.create_index('ix_reports_updated_at', ['updated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index('ix_reports_updated_at')
        batch_op.drop_index('ix_reports_act_due_at')
        batch_op.drop_index('ix_reports_ack_due_at')
        batch_op.drop_column('amphoe_code')
        batch_op.drop_column('tambon_code')

    with op.batch_alter_table('mou_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mou_records_renews_mou_id'))

    op.drop_table('mou_records')
    with op.batch_alter_table('stats_rollups', schema=None) as batch_op:
        batch_op.drop_index('ix_stats_rollups_pao_month')

    op.drop_table('stats_rollups')
    with op.batch_alter_table('amphoe_rollups', schema=None) as batch_op:
        batch_op.drop_index('ix_amphoe_rollups_pao_month')

    op.drop_table('amphoe_rollups')
    op.drop_table('rollup_checkpoints')
