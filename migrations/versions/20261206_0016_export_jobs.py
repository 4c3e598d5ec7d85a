"""Background exports: one row per requested reports CSV, its progress and where the file is.

Revision ID: 0016
Revises: 0020
Create Date: 2026-12-06 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'export_jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        sa.Column('args', sa.JSON(), nullable=False),
        sa.Column('lang', sa.String(length=8), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('rows_total', sa.Integer(), nullable=True),
        sa.Column('rows_done', sa.Integer(), nullable=False),
        sa.Column('storage_key', sa.String(length=128), nullable=True),
        sa.Column('size_bytes', sa.BigInteger(), nullable=True),
        sa.Column('error', sa.String(length=200), nullable=True),
        sa.Column('claimed_until', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_export_jobs_requested_by_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_export_jobs')),
    )
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_export_jobs_status', ['status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_jobs_requested_by_id'), ['requested_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_jobs_requested_by_id'))
        batch_op.drop_index('ix_export_jobs_status')
    op.drop_table('export_jobs')
