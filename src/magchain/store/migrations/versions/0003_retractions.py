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
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in ("capacities", "events"):
        if sqlite:  # ALTER keeps the table; a batch copy would drop it and trip the foreign keys of others
            op.execute(f"ALTER TABLE {table} ADD COLUMN retracts TEXT REFERENCES {table} (id)")
        else:
            op.add_column(table, sa.Column("retracts", sa.Text(), nullable=True))
            op.create_foreign_key(f"fk_{table}_retracts_{table}", table, table, ["retracts"], ["id"])
