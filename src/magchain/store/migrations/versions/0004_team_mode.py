"""team mode: users and tokens, the audit log, and versions on candidate facts

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("token_sha256", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_users")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_users_token_sha256")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("user", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    # ADD COLUMN keeps the table on SQLite (a batch copy would trip other tables' foreign keys)
    op.add_column("candidate_facts", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("candidate_facts", sa.Column("decided_by", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("candidate_facts", "decided_by")
    op.drop_column("candidate_facts", "version")
    op.drop_table("audit_log")
    op.drop_table("users")
