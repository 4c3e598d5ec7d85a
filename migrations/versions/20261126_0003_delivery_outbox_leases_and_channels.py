"""Delivery: outbox worker leases, periodic job runs, user and station notification channels.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 13:19:58.055787

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('periodic_job_runs',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('next_run_at', sa.DateTime(), nullable=True),
    sa.Column('last_started_at', sa.DateTime(), nullable=True),
    sa.Column('last_finished_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_periodic_job_runs'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_attempt_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notify_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('webhook_url', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('webhook_secret_sealed', sa.Text(), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        # Existing users keep getting e-mail, as before there was a choice.
        batch_op.add_column(sa.Column('notify_channel', sa.String(length=8), server_default='email', nullable=False))
        batch_op.add_column(sa.Column('line_user_id', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('line_user_id')
        batch_op.drop_column('notify_channel')

    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.drop_column('webhook_secret_sealed')
        batch_op.drop_column('webhook_url')
        batch_op.drop_column('notify_email')

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('last_attempt_at')
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('claimed_by')

    op.drop_table('periodic_job_runs')
