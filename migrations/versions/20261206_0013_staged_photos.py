"""Photos kept on the server while the intake form goes back and forth (app/reports/staging.py).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 08:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'staged_photos',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('idempotency_key', sa.String(length=64), nullable=False),
        sa.Column('original_key', sa.String(length=128), nullable=False),
        sa.Column('public_key', sa.String(length=128), nullable=False),
        sa.Column('thumb_key', sa.String(length=128), nullable=False),
        sa.Column('original_sha256', sa.String(length=64), nullable=False),
        sa.Column('original_size', sa.Integer(), nullable=False),
        sa.Column('original_format', sa.String(length=16), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('gps_lat', sa.Float(), nullable=True),
        sa.Column('gps_lon', sa.Float(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_staged_photos_member_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staged_photos')),
    )
    with op.batch_alter_table('staged_photos', schema=None) as batch_op:
        batch_op.create_index('ix_staged_photos_member_key', ['member_id', 'idempotency_key'], unique=False)


def downgrade():
    with op.batch_alter_table('staged_photos', schema=None) as batch_op:
        batch_op.drop_index('ix_staged_photos_member_key')
    op.drop_table('staged_photos')
