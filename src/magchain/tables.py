"""The registry's tables, declared once in ``schema.csv``.

The same declaration drives the SQL schema, validation of imported files, exports and the
``magchain schema`` help, so a column's type, unit and meaning live in one place.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# Order in which tables are written: a table only refers to tables before it.
TABLE_ORDER = (
    "sources",
    "companies",
    "facilities",
    "capacities",
    "events",
    "effects",
    "parameters",
    "figures",
    "citations",
)

# Columns that provenance adds to every record table; filled by the store when missing.
PROVENANCE_COLUMNS = ("source_id", "evidence", "confidence", "known_from", "recorded_at")


@dataclass(frozen=True)
class Column:
    table: str
    name: str
    type: str
    required: bool
    unit: str
    description: str

    @property
    def vocabulary(self) -> str | None:
        return self.type.split(":", 1)[1] if self.type.startswith("enum:") else None

    @property
    def reference(self) -> str | None:
        return self.type.split(":", 1)[1] if self.type.startswith("ref:") else None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def key(self) -> tuple[str, ...]:
        """Primary key: ``id``, or the whole row for link tables."""
        if "id" in self.column_names:
            return ("id",)
        return ("record_table", "record_id", "source_id")

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"table {self.name!r} has no column {name!r}")


@lru_cache(maxsize=1)
def tables() -> dict[str, Table]:
    """All tables in write order."""
    path = resources.files("magchain") / "schema.csv"
    by_table: dict[str, list[Column]] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_table.setdefault(row["table"], []).append(
                Column(
                    table=row["table"],
                    name=row["column"],
                    type=row["type"],
                    required=row["required"] == "yes",
                    unit=row["unit"],
                    description=row["description"],
                )
            )
    return {name: Table(name, tuple(by_table[name])) for name in TABLE_ORDER}


def table(name: str) -> Table:
    try:
        return tables()[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; tables are: {', '.join(TABLE_ORDER)}") from None


def in_force(rows: list[dict]) -> list[dict]:
    """Records that count: neither retracted by a record in ``rows`` nor a retraction themselves.
    Rows already filtered by an as-of date give what counted on that date."""
    retracted = {r["retracts"] for r in rows if r.get("retracts")}
    return [r for r in rows if not r.get("retracts") and r.get("id") not in retracted]
