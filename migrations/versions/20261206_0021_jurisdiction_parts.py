"""Jurisdiction parts: a part of a tambon given to another station in a jurisdiction version.

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-06 12:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('jurisdiction_parts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('tambon_code', sa.String(length=16), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('geometry_wkb', sa.LargeBinary(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['jurisdiction_versions.id'], ),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_jurisdiction_parts_version_id', 'jurisdiction_parts', ['version_id'])


def downgrade():
    op.drop_index('ix_jurisdiction_parts_version_id', table_name='jurisdiction_parts')
    op.drop_table('jurisdiction_parts')
