"""retractions: a record may retract an earlier one of its table

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("capacities", "events"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("retracts", sa.Text(), nullable=True))
            batch.create_foreign_key(f"fk_{table}_retracts_{table}", table, ["retracts"], ["id"])
