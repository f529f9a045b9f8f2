"""SQL tables built from the declared schema (``schema.csv``).

Dates keep the precision the source gave (``2025``, ``2025-05``, ``2025-05-20``) and are
stored as ISO text, which sorts correctly in SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
)

from magchain.tables import tables

metadata = MetaData(
    naming_convention={
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "ix": "ix_%(table_name)s_%(column_0_name)s",
    }
)

_SQL_TYPES = {"int": Integer, "float": Float}


def _column(spec) -> Column:
    sql_type = _SQL_TYPES.get(spec.type, Text)
    args = []
    if spec.reference:
        args.append(ForeignKey(f"{spec.reference}.id"))
    return Column(
        spec.name,
        sql_type,
        *args,
        nullable=not spec.required,
        index=bool(spec.reference),
    )


def _build() -> dict[str, Table]:
    built = {}
    for name, spec in tables().items():
        columns = [_column(c) for c in spec.columns]
        built[name] = Table(name, metadata, *columns, PrimaryKeyConstraint(*spec.key))
    return built


sql_tables = _build()
