"""Hotspot rollups: report counts per PAO, month, station, category and 0.01° grid cell.

The table starts empty. The upgrade forgets when the rollups were last refreshed, so the worker's next
rollup run rebuilds every month (as on a first run) and fills it; `flask oversight rollup --all` does
the same at once.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 23:59:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'hotspot_rollups',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pao_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('station_id', sa.Integer(), nullable=True),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('cell_row', sa.Integer(), nullable=False),
        sa.Column('cell_col', sa.Integer(), nullable=False),
        sa.Column('reports', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_hotspot_rollups_category_id_categories')),
        sa.ForeignKeyConstraint(['pao_id'], ['paos.id'], name=op.f('fk_hotspot_rollups_pao_id_paos')),
        sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_hotspot_rollups_station_id_stations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hotspot_rollups')),
    )
    with op.batch_alter_table('hotspot_rollups', schema=None) as batch_op:
        batch_op.create_index('ix_hotspot_rollups_pao_month', ['pao_id', 'month'], unique=False)
    op.execute("DELETE FROM rollup_checkpoints WHERE name = 'rollups'")


def downgrade():
    with op.batch_alter_table('hotspot_rollups', schema=None) as batch_op:
        batch_op.drop_index('ix_hotspot_rollups_pao_month')
    op.drop_table('hotspot_rollups')
