"""A Bundle is a set of records for the registry's tables, with where each came from.

Every input (the shipped data, an imported file, an export) passes through a Bundle, so
coercion, validation and writing are written once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from magchain.tables import TABLE_ORDER, table

Record = dict[str, object]


@dataclass(frozen=True)
class Origin:
    """Where a record was read: a file and its row number as a person counts them."""

    file: str
    row: int | None = None


@dataclass
class Bundle:
    records: dict[str, list[Record]] = field(default_factory=lambda: {t: [] for t in TABLE_ORDER})
    origins: dict[str, list[Origin]] = field(default_factory=lambda: {t: [] for t in TABLE_ORDER})

    def add(self, table_name: str, record: Record, origin: Origin) -> None:
        table(table_name)  # raises on an unknown table
        self.records[table_name].append(record)
        self.origins[table_name].append(origin)

    def extend(self, other: Bundle) -> None:
        for name in TABLE_ORDER:
            self.records[name].extend(other.records[name])
            self.origins[name].extend(other.origins[name])

    def items(self, table_name: str):
        """(record, origin) pairs of one table."""
        return zip(self.records[table_name], self.origins[table_name])

    def count(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.records.items() if rows}

    def __len__(self) -> int:
        return sum(len(rows) for rows in self.records.values())
