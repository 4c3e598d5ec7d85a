"""Member rollups (figures of each member's own reports per month, station, category and amphoe), each
report's stored contribution (rollup_entries, for the incremental refresh) and a cell index on
hotspot_rollups (the refresh finds a row by its key), and one by station
(a station's hotspot map reads only its rows).

The table starts empty. The upgrade forgets when the rollups were last refreshed, so the worker's next
rollup run rebuilds every month (as on a first run) and fills it; `flask oversight rollup --all` does
the same at once.

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-06 10:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'member_rollups',
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('amphoe_code', sa.String(length=16), nullable=True),
        sa.Column('packed', sa.LargeBinary(), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pao_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('station_id', sa.Integer(), nullable=True),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_member_rollups_category_id_categories')),
        sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_member_rollups_member_id_users')),
        sa.ForeignKeyConstraint(['pao_id'], ['paos.id'], name=op.f('fk_member_rollups_pao_id_paos')),
        sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_member_rollups_station_id_stations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_member_rollups')),
    )
    with op.batch_alter_table('member_rollups', schema=None) as batch_op:
        batch_op.create_index('ix_member_rollups_member_month', ['member_id', 'month'], unique=False)
        batch_op.create_index('ix_member_rollups_pao_month', ['pao_id', 'month'], unique=False)
    op.create_table(
        'rollup_entries',
        sa.Column('report_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('pao_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('station_id', sa.Integer(), nullable=True),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('amphoe_code', sa.String(length=16), nullable=True),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('cell_row', sa.Integer(), nullable=False),
        sa.Column('cell_col', sa.Integer(), nullable=False),
        sa.Column('flags', sa.Integer(), nullable=False),
        sa.Column('ack_bucket', sa.SmallInteger(), nullable=True),
        sa.Column('act_bucket', sa.SmallInteger(), nullable=True),
        sa.PrimaryKeyConstraint('report_id', name=op.f('pk_rollup_entries')),
    )
    with op.batch_alter_table('rollup_entries', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_entries_pao_month', ['pao_id', 'month'], unique=False)
    with op.batch_alter_table('hotspot_rollups', schema=None) as batch_op:
        batch_op.create_index('ix_hotspot_rollups_cell', ['pao_id', 'month', 'cell_row', 'cell_col'], unique=False)
        batch_op.create_index('ix_hotspot_rollups_station_month', ['station_id', 'month'], unique=False)
    op.execute("DELETE FROM rollup_checkpoints WHERE name = 'rollups'")


def downgrade():
    with op.batch_alter_table('hotspot_rollups', schema=None) as batch_op:
        batch_op.drop_index('ix_hotspot_rollups_station_month')
        batch_op.drop_index('ix_hotspot_rollups_cell')
    with op.batch_alter_table('rollup_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_rollup_entries_pao_month')
    op.drop_table('rollup_entries')
    with op.batch_alter_table('member_rollups', schema=None) as batch_op:
        batch_op.drop_index('ix_member_rollups_pao_month')
        batch_op.drop_index('ix_member_rollups_member_month')
    op.drop_table('member_rollups')
