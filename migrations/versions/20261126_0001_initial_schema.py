"""Initial schema: PAOs, stations, areas, MOUs, users, categories, reports, routing, events, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 13:05:52.258281

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('name_th', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('emergency', sa.Boolean(), nullable=False),
    sa.Column('default_priority', sa.Enum('low', 'normal', 'high', 'urgent', name='priority', native_enum=False, length=32), nullable=False),
    sa.Column('sla_ack_hours', sa.Integer(), nullable=False),
    sa.Column('sla_act_hours', sa.Integer(), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['categories.id'], name=op.f('fk_categories_parent_id_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('code', name=op.f('uq_categories_code'))
    )
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_categories_parent_id'), ['parent_id'], unique=False)

    op.create_table('data_versions',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_data_versions'))
    )
    op.create_table('stations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name_th', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('phone', sa.String(length=64), nullable=True),
    sa.Column('address', sa.String(length=400), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stations')),
    sa.UniqueConstraint('code', name=op.f('uq_stations_code'))
    )
    op.create_table('jurisdiction_areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('geometry_wkb', sa.LargeBinary(), nullable=False),
    sa.Column('source', sa.String(length=400), nullable=False),
    sa.Column('feature_count', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_jurisdiction_areas_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jurisdiction_areas'))
    )
    with op.batch_alter_table('jurisdiction_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jurisdiction_areas_station_id'), ['station_id'], unique=False)

    op.create_table('paos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_th', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('reference_prefix', sa.String(length=8), nullable=False),
    sa.Column('coordinator_station_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['coordinator_station_id'], ['stations.id'], name=op.f('fk_paos_coordinator_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paos')),
    sa.UniqueConstraint('code', name=op.f('uq_paos_code')),
    sa.UniqueConstraint('reference_prefix', name=op.f('uq_paos_reference_prefix'))
    )
    op.create_table('mous',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pao_id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('active', 'ended', name='moustatus', native_enum=False, length=32), nullable=False),
    sa.Column('covers_all', sa.Boolean(), nullable=False),
    sa.Column('category_codes', sa.JSON(), nullable=False),
    sa.Column('document_ref', sa.String(length=400), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['pao_id'], ['paos.id'], name=op.f('fk_mous_pao_id_paos')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_mous_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mous'))
    )
    with op.batch_alter_table('mous', schema=None) as batch_op:
        batch_op.create_index('ix_mous_pao_station', ['pao_id', 'station_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mous_station_id'), ['station_id'], unique=False)

    op.create_table('reference_counters',
    sa.Column('pao_id', sa.Integer(), nullable=False),
    sa.Column('year_be', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['pao_id'], ['paos.id'], name=op.f('fk_reference_counters_pao_id_paos')),
    sa.PrimaryKeyConstraint('pao_id', 'year_be', name=op.f('pk_reference_counters'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.Enum('council_member', 'desk_officer', 'station_commander', 'pao_coordinator', 'admin', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('pao_id', sa.Integer(), nullable=True),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('preferred_language', sa.String(length=2), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['pao_id'], ['paos.id'], name=op.f('fk_users_pao_id_paos')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_users_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_pao_id'), ['pao_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_station_id'), ['station_id'], unique=False)

    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pao_id', sa.Integer(), nullable=False),
    sa.Column('reference_number', sa.String(length=32), nullable=False),
    sa.Column('tracking_secret', sa.String(length=16), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('accuracy_m', sa.Float(), nullable=True),
    sa.Column('address_text', sa.String(length=400), nullable=True),
    sa.Column('priority', sa.Enum('low', 'normal', 'high', 'urgent', name='priority', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('new', 'acknowledged', 'in_progress', 'needs_info', 'action_taken', 'closed', 'rejected', 'reopened', name='reportstatus', native_enum=False, length=32), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('assigned_to_id', sa.Integer(), nullable=True),
    sa.Column('filed_by_id', sa.Integer(), nullable=False),
    sa.Column('resident_name_sealed', sa.Text(), nullable=True),
    sa.Column('resident_phone_sealed', sa.Text(), nullable=True),
    sa.Column('resident_anonymous', sa.Boolean(), nullable=False),
    sa.Column('consent_at', sa.DateTime(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('supporter_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('ack_due_at', sa.DateTime(), nullable=True),
    sa.Column('act_due_at', sa.DateTime(), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assigned_to_id'], ['users.id'], name=op.f('fk_reports_assigned_to_id_users')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_reports_category_id_categories')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['users.id'], name=op.f('fk_reports_filed_by_id_users')),
    sa.ForeignKeyConstraint(['pao_id'], ['paos.id'], name=op.f('fk_reports_pao_id_paos')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_reports_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('filed_by_id', 'idempotency_key', name='uq_reports_filer_idempotency'),
    sa.UniqueConstraint('pao_id', 'reference_number', name='uq_reports_pao_reference')
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index('ix_reports_filer_created', ['filed_by_id', 'created_at'], unique=False)
        batch_op.create_index('ix_reports_pao_created', ['pao_id', 'created_at'], unique=False)
        batch_op.create_index('ix_reports_queue', ['station_id', 'status', 'priority', 'created_at'], unique=False)

    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('recipient_user_id', sa.Integer(), nullable=True),
    sa.Column('recipient_station_id', sa.Integer(), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sent', 'dead', name='outboxstatus', native_enum=False, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['recipient_station_id'], ['stations.id'], name=op.f('fk_outbox_messages_recipient_station_id_stations')),
    sa.ForeignKeyConstraint(['recipient_user_id'], ['users.id'], name=op.f('fk_outbox_messages_recipient_user_id_users')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_outbox_messages_report_id_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_outbox_messages_idempotency_key'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_report_id'), ['report_id'], unique=False)

    op.create_table('report_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('internal', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_report_events_actor_id_users')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_events_report_id_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_events'))
    )
    with op.batch_alter_table('report_events', schema=None) as batch_op:
        batch_op.create_index('ix_report_events_report', ['report_id', 'created_at'], unique=False)

    op.create_table('routing_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('rule', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('responsible_station_id', sa.Integer(), nullable=True),
    sa.Column('neighbour_station_id', sa.Integer(), nullable=True),
    sa.Column('mou_id', sa.Integer(), nullable=True),
    sa.Column('distance_to_station_m', sa.Float(), nullable=True),
    sa.Column('distance_to_edge_m', sa.Float(), nullable=True),
    sa.Column('near_boundary', sa.Boolean(), nullable=False),
    sa.Column('explanation_th', sa.Text(), nullable=False),
    sa.Column('explanation_en', sa.Text(), nullable=False),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_routing_decisions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['mou_id'], ['mous.id'], name=op.f('fk_routing_decisions_mou_id_mous'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['neighbour_station_id'], ['stations.id'], name=op.f('fk_routing_decisions_neighbour_station_id_stations')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_routing_decisions_report_id_reports')),
    sa.ForeignKeyConstraint(['responsible_station_id'], ['stations.id'], name=op.f('fk_routing_decisions_responsible_station_id_stations')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_routing_decisions_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routing_decisions'))
    )
    with op.batch_alter_table('routing_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_routing_decisions_report', ['report_id', 'decided_at'], unique=False)



def downgrade():
    with op.batch_alter_table('routing_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_routing_decisions_report')

    op.drop_table('routing_decisions')
    with op.batch_alter_table('report_events', schema=None) as batch_op:
        batch_op.drop_index('ix_report_events_report')

    op.drop_table('report_events')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_report_id'))
        batch_op.drop_index('ix_outbox_due')

    op.drop_table('outbox_messages')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index('ix_reports_queue')
        batch_op.drop_index('ix_reports_pao_created')
        batch_op.drop_index('ix_reports_filer_created')

    op.drop_table('reports')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_station_id'))
        batch_op.drop_index(batch_op.f('ix_users_pao_id'))

    op.drop_table('users')
    op.drop_table('reference_counters')
    with op.batch_alter_table('mous', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mous_station_id'))
        batch_op.drop_index('ix_mous_pao_station')

    op.drop_table('mous')
    op.drop_table('paos')
    with op.batch_alter_table('jurisdiction_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jurisdiction_areas_station_id'))

    op.drop_table('jurisdiction_areas')
    op.drop_table('stations')
    op.drop_table('data_versions')
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_categories_parent_id'))

    op.drop_table('categories')
