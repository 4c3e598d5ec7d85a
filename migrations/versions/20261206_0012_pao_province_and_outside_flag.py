"""The province a PAO serves, a flag on reports the member filed outside it, and province names of tambon.

A pin outside the PAO's province (or in no tambon at all) must be confirmed; a confirmed one outside the
province is flagged for the coordinator. Existing PAOs have no province until an admin sets it (or
`flask pao set-province`); until then the province check is skipped for them.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 08:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('paos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('province_code', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('province_th', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('province_en', sa.String(length=120), nullable=True))
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outside_province', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('admin_areas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('province_th', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('province_en', sa.String(length=120), nullable=True))


def downgrade():
    with op.batch_alter_table('admin_areas', schema=None) as batch_op:
        batch_op.drop_column('province_en')
        batch_op.drop_column('province_th')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_column('outside_province')
    with op.batch_alter_table('paos', schema=None) as batch_op:
        batch_op.drop_column('province_en')
        batch_op.drop_column('province_th')
        batch_op.drop_column('province_code')
