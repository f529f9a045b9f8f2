"""Tables of the review queue: documents read and the candidate facts found in them.

They live in the same database as the registry but are not registry tables: a candidate is a
proposal until someone accepts it, and only then does it become a registry record (with the
document as its source and the sentence as its evidence).
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, PrimaryKeyConstraint, Table, Text

from magchain.store.models import metadata

REVIEW_STATES = ("pending", "accepted", "rejected", "known")

documents = Table(
    "ingested_documents", metadata,
    Column("source_id", Text, nullable=False),
    Column("content_hash", Text, nullable=False, index=True),
    Column("path", Text),
    Column("title", Text),
    Column("published", Text),
    Column("ingested_at", Text, nullable=False),
    Column("facts", Integer, nullable=False),
    PrimaryKeyConstraint("source_id"),
)

candidates = Table(
    "candidate_facts", metadata,
    Column("id", Text, nullable=False),
    Column("source_id", Text, nullable=False, index=True),
    Column("fingerprint", Text, nullable=False, index=True),
    Column("kind", Text, nullable=False),
    Column("company", Text),
    Column("company_id", Text),
    Column("proposed", Integer),  # 1: the company is not in the registry, a name to check
    Column("facility", Text),
    Column("facility_id", Text),
    Column("country", Text),
    Column("stage", Text),
    Column("quantity", Float),
    Column("quantity_high", Float),
    Column("unit", Text),
    Column("qualifier", Text),
    Column("material", Text),
    Column("year", Integer),
    Column("status", Text),
    Column("agency", Text),
    Column("evidence", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("more_evidence", Text),  # the same statement elsewhere in the document, JSON list
    Column("conflict", Text),  # what it disagrees with, in words
    Column("review", Text, nullable=False),
    Column("record_table", Text),
    Column("record_id", Text),
    Column("created_at", Text, nullable=False),
    Column("decided_at", Text),
    Column("version", Integer, nullable=False, server_default="1"),  # bumped by every decision or edit
    Column("decided_by", Text),
    PrimaryKeyConstraint("id"),
)
