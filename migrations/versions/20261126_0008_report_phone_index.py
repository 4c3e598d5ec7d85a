"""Retention and PDPA: blind index of residents' phones, purge time of photo originals.

Existing rows get no index here: computing it needs the sealing key, which a migration does not
have. After upgrading, run `flask retention reindex-phones` once.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 17:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resident_phone_index', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_reports_resident_phone_index'), ['resident_phone_index'], unique=False)

    with op.batch_alter_table('report_photos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original_purged_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('report_photos', schema=None) as batch_op:
        batch_op.drop_column('original_purged_at')

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_resident_phone_index'))
        batch_op.drop_column('resident_phone_index')
