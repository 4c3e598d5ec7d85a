"""Hotspot squares per zoom level: report counts per PAO, month, category, zoom and square.

The table starts empty. The upgrade forgets when the rollups were last refreshed, so the worker's next
rollup run rebuilds every month (as on a first run) and fills it; `flask oversight rollup --all` does
the same at once.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'hotspot_cells',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pao_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('zoom', sa.SmallInteger(), nullable=False),
        sa.Column('cell_row', sa.Integer(), nullable=False),
        sa.Column('cell_col', sa.Integer(), nullable=False),
        sa.Column('reports', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_hotspot_cells_category_id_categories')),
        sa.ForeignKeyConstraint(['pao_id'], ['paos.id'], name=op.f('fk_hotspot_cells_pao_id_paos')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hotspot_cells')),
    )
    with op.batch_alter_table('hotspot_cells', schema=None) as batch_op:
        batch_op.create_index('ix_hotspot_cells_read', ['pao_id', 'zoom', 'month', 'cell_row', 'cell_col',
                                                        'category_id', 'reports'], unique=False)
        batch_op.create_index('ix_hotspot_cells_pao_month', ['pao_id', 'month'], unique=False)
    op.execute("DELETE FROM rollup_checkpoints WHERE name = 'rollups'")


def downgrade():
    with op.batch_alter_table('hotspot_cells', schema=None) as batch_op:
        batch_op.drop_index('ix_hotspot_cells_pao_month')
        batch_op.drop_index('ix_hotspot_cells_read')
    op.drop_table('hotspot_cells')
