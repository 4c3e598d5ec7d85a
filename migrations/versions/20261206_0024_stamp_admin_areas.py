"""Stamp the imported tambon areas, so each process's caches of them check one data_versions row per use
instead of counting the areas (app.stations.adminareas.areas_key). Every later import writes a new stamp.

Revision ID: 0024
Revises: 0022
Create Date: 2026-12-06 19:10:00.000000

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    connection = op.get_bind()
    has_areas = connection.execute(sa.text("SELECT 1 FROM admin_areas LIMIT 1")).first() is not None
    stamped = connection.execute(sa.text("SELECT 1 FROM data_versions WHERE name = 'admin_areas'")).first()
    if has_areas and stamped is None:
        connection.execute(sa.text("INSERT INTO data_versions (name, value) VALUES ('admin_areas', :value)"),
                           {"value": secrets.randbelow(2**31 - 1) + 1})


def downgrade():
    op.execute("DELETE FROM data_versions WHERE name = 'admin_areas'")
