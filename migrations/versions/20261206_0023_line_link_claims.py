"""LINE link codes are claimed from LINE, then confirmed on the website by the code's owner.

Revision ID: 0023
Revises: 0021
Create Date: 2026-12-06 12:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('line_link_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('claimed_name', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('line_link_codes', schema=None) as batch_op:
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('claimed_name')
        batch_op.drop_column('claimed_id')
