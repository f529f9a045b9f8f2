"""Tables of team mode: users with hashed API tokens, and the audit log of who changed what.

Tokens are long random strings shown once when a user is added; only their SHA-256 digest is
stored, so a copy of the database does not give anyone's token away.
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, PrimaryKeyConstraint, Table, Text

from magchain.store.models import metadata

SCOPES = ("read", "review", "admin")  # each includes the ones before it

users = Table(
    "users", metadata,
    Column("name", Text, nullable=False),
    Column("scope", Text, nullable=False),
    Column("token_sha256", Text, nullable=False, unique=True),
    Column("created_at", Text, nullable=False),
    PrimaryKeyConstraint("name"),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Text, nullable=False),
    Column("user", Text, nullable=False),
    Column("action", Text, nullable=False),  # accept | reject | edit | import | add-user
    Column("target", Text, nullable=False),  # a candidate id, a file, a user
    Column("detail", Text),  # what changed, as JSON
)
