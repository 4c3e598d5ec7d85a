"""LINE linking: one-time link codes, station LINE groups, handled webhook events, bot conversations,
and per-kind notification channels.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 08:48:22.870163

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('line_webhook_events',
    sa.Column('webhook_event_id', sa.String(length=64), nullable=False),
    sa.Column('event_type', sa.String(length=32), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('webhook_event_id', name=op.f('pk_line_webhook_events'))
    )
    with op.batch_alter_table('line_webhook_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_line_webhook_events_received_at'), ['received_at'], unique=False)

    op.create_table('line_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.String(length=64), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('linked_by_id', sa.Integer(), nullable=True),
    sa.Column('linked_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['linked_by_id'], ['users.id'], name=op.f('fk_line_groups_linked_by_id_users')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_line_groups_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line_groups')),
    sa.UniqueConstraint('group_id', name=op.f('uq_line_groups_group_id')),
    sa.UniqueConstraint('station_id', name=op.f('uq_line_groups_station_id'))
    )
    op.create_table('line_link_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_line_link_codes_station_id_stations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_line_link_codes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line_link_codes')),
    sa.UniqueConstraint('code', name=op.f('uq_line_link_codes_code'))
    )
    with op.batch_alter_table('line_link_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_line_link_codes_user_id'), ['user_id'], unique=False)

    op.create_table('notify_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notify_preferences_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_preferences')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_notify_preferences_user_id_kind'))
    )
    with op.batch_alter_table('notify_preferences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notify_preferences_user_id'), ['user_id'], unique=False)

    op.create_table('line_conversations',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('pending_text', sa.Text(), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_line_conversations_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_line_conversations'))
    )


def downgrade():
    op.drop_table('line_conversations')
    with op.batch_alter_table('notify_preferences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notify_preferences_user_id'))

    op.drop_table('notify_preferences')
    with op.batch_alter_table('line_link_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_line_link_codes_user_id'))

    op.drop_table('line_link_codes')
    op.drop_table('line_groups')
    with op.batch_alter_table('line_webhook_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_line_webhook_events_received_at'))

    op.drop_table('line_webhook_events')
