"""Member rollups hold counts of reports sharing the same counters and duration buckets, not packed vectors;
the rollup tables with about a row per report (member_rollups, hotspot_rollups, hotspot_cells) lose their
foreign keys, whose checks took three quarters of a set-based rebuild.

The table is emptied and the upgrade forgets when the rollups were last refreshed, so the worker's next
rollup run rebuilds every month (set-based, app.oversight.rebuild); `flask oversight rollup --all`
does the same at once.

Revision ID: 0022
Revises: 0023
Create Date: 2026-12-06 12:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0023'
branch_labels = None
depends_on = None


FOREIGN_KEYS = {
    'member_rollups': [('category_id', 'categories'), ('member_id', 'users'), ('pao_id', 'paos'),
                       ('station_id', 'stations')],
    'hotspot_rollups': [('category_id', 'categories'), ('pao_id', 'paos'), ('station_id', 'stations')],
    'hotspot_cells': [('category_id', 'categories'), ('pao_id', 'paos')],
}


def _name(table, column, target):
    return op.f(f'fk_{table}_{column}_{target}')


def upgrade():
    op.execute("DELETE FROM member_rollups")
    for table, keys in FOREIGN_KEYS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, target in keys:
                batch_op.drop_constraint(_name(table, column, target), type_='foreignkey')
    with op.batch_alter_table('member_rollups', schema=None) as batch_op:
        batch_op.drop_column('packed')
        batch_op.add_column(sa.Column('flags', sa.Integer(), nullable=False))
        batch_op.add_column(sa.Column('ack_bucket', sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column('act_bucket', sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column('reports', sa.Integer(), nullable=False))
    op.execute("DELETE FROM rollup_checkpoints WHERE name = 'rollups'")


def downgrade():
    op.execute("DELETE FROM member_rollups")
    with op.batch_alter_table('member_rollups', schema=None) as batch_op:
        batch_op.drop_column('reports')
        batch_op.drop_column('act_bucket')
        batch_op.drop_column('ack_bucket')
        batch_op.drop_column('flags')
        batch_op.add_column(sa.Column('packed', sa.LargeBinary(), nullable=False))
    for table, keys in FOREIGN_KEYS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, target in keys:
                batch_op.create_foreign_key(_name(table, column, target), target, [column], ['id'])
    op.execute("DELETE FROM rollup_checkpoints WHERE name = 'rollups'")
