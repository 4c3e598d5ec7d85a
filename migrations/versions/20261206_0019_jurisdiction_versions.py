"""Jurisdiction versions: tambon → station assignments per PAO, published with an effective day.

Revision ID: 0019
Revises: 0016
Create Date: 2026-12-06 10:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('jurisdiction_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pao_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('moved_reports', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['pao_id'], ['paos.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pao_id', 'number', name='uq_jurisdiction_versions_pao_number')
    )
    op.create_index('ix_jurisdiction_versions_pao_id', 'jurisdiction_versions', ['pao_id'])
    op.create_table('jurisdiction_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('tambon_code', sa.String(length=16), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['jurisdiction_versions.id'], ),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('version_id', 'tambon_code', name='uq_jurisdiction_assignments_tambon')
    )
    op.create_index('ix_jurisdiction_assignments_version_id', 'jurisdiction_assignments', ['version_id'])
    with op.batch_alter_table('jurisdiction_areas') as batch:
        batch.add_column(sa.Column('version_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('valid_from', sa.Date(), nullable=True))
        batch.add_column(sa.Column('valid_until', sa.Date(), nullable=True))
        batch.create_index('ix_jurisdiction_areas_version_id', ['version_id'])
        batch.create_foreign_key('fk_jurisdiction_areas_version', 'jurisdiction_versions', ['version_id'], ['id'])


def downgrade():
    with op.batch_alter_table('jurisdiction_areas') as batch:
        batch.drop_constraint('fk_jurisdiction_areas_version', type_='foreignkey')
        batch.drop_index('ix_jurisdiction_areas_version_id')
        batch.drop_column('valid_until')
        batch.drop_column('valid_from')
        batch.drop_column('version_id')
    op.drop_index('ix_jurisdiction_assignments_version_id', table_name='jurisdiction_assignments')
    op.drop_table('jurisdiction_assignments')
    op.drop_index('ix_jurisdiction_versions_pao_id', table_name='jurisdiction_versions')
    op.drop_table('jurisdiction_versions')
