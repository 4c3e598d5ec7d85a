"""report photos and admin areas

Report photos: a sealed original (key, SHA-256) and public/thumbnail copies, stored by key outside
the database. Admin areas: tambon/amphoe boundaries (WKB) so the intake form can name the pin's place.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 13:10:15.494397

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('admin_areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name_th', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('parent_code', sa.String(length=16), nullable=True),
    sa.Column('parent_name_th', sa.String(length=200), nullable=True),
    sa.Column('parent_name_en', sa.String(length=200), nullable=True),
    sa.Column('province_code', sa.String(length=8), nullable=True),
    sa.Column('geometry_wkb', sa.LargeBinary(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_areas')),
    sa.UniqueConstraint('level', 'code', name='uq_admin_areas_level_code')
    )
    op.create_table('report_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('original_key', sa.String(length=128), nullable=False),
    sa.Column('original_sha256', sa.String(length=64), nullable=False),
    sa.Column('original_size', sa.Integer(), nullable=False),
    sa.Column('original_format', sa.String(length=16), nullable=False),
    sa.Column('public_key', sa.String(length=128), nullable=False),
    sa.Column('thumb_key', sa.String(length=128), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_photos_report_id_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_photos'))
    )
    with op.batch_alter_table('report_photos', schema=None) as batch_op:
        batch_op.create_index('ix_report_photos_report', ['report_id', 'position'], unique=False)



def downgrade():
    with op.batch_alter_table('report_photos', schema=None) as batch_op:
        batch_op.drop_index('ix_report_photos_report')

    op.drop_table('report_photos')
    op.drop_table('admin_areas')
