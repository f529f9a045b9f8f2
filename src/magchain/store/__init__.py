"""The registry store: SQL through SQLAlchemy, SQLite by default, PostgreSQL by URL.

Every write is one transaction: a bundle is validated in full first, and a failure anywhere
leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from sqlalchemy import and_, inspect, select

from magchain.bundle import Bundle, Origin, Record
from magchain.errors import Issue, MagchainError, ValidationFailed
from magchain.store import engine as engines
from magchain.store import review as review_tables  # noqa: F401 - registers the queue tables
from magchain.store import team as team_tables  # noqa: F401 - registers the team-mode tables
from magchain.store.models import sql_tables
from magchain.tables import TABLE_ORDER, table
from magchain.validate import Known, prepare

log = logging.getLogger(__name__)


@dataclass
class TableChanges:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class ChangeReport:
    """What a write did (or, in a dry run, would do), table by table."""

    tables: dict[str, TableChanges] = field(default_factory=lambda: {t: TableChanges() for t in TABLE_ORDER})
    dry_run: bool = False

    @property
    def total_added(self) -> int:
        return sum(len(t.added) for t in self.tables.values())

    @property
    def total_changed(self) -> int:
        return sum(len(t.changed) for t in self.tables.values())

    def rows(self) -> list[dict]:
        return [
            {"table": name, "added": len(c.added), "changed": len(c.changed), "unchanged": c.unchanged}
            for name, c in self.tables.items()
            if c.added or c.changed or c.unchanged
        ]


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def timestamp() -> str:
    """Now, in UTC to the second, as stored in recorded_at and the review queue."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None).isoformat()


def _key_of(table_name: str, record: Record) -> tuple:
    return tuple(record.get(k) for k in table(table_name).key)


def _comparable(record: Record) -> dict:
    return {k: v for k, v in record.items() if k != "recorded_at"}


class Store:
    """A registry database. ``Store()`` opens the default one, creating and loading it on first use."""

    def __init__(self, url: str | None = None, *, initialise: bool = True):
        self.url = url or engines.default_url()
        self.engine = engines.make_engine(self.url)
        if initialise and self.needs_init():
            log.info("creating the registry at %s", self.safe_url)
            self.init()

    @property
    def safe_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    # -- schema -------------------------------------------------------------------------
    def revision(self) -> str | None:
        with self.engine.connect() as conn:
            return engines.current_revision(conn)

    def needs_init(self) -> bool:
        return self.revision() is None

    def ensure_current(self) -> None:
        """Migrate a store made by an older magchain before using newer tables."""
        if self.revision() != engines.head_revision():
            self.upgrade()

    def upgrade(self) -> tuple[str | None, str]:
        """Migrate to the newest schema in one transaction; returns (revision before, revision after)."""
        before = self.revision()
        with self.engine.begin() as conn:
            engines.upgrade(conn)
        return before, self.revision()

    def init(self) -> ChangeReport:
        """Migrate and load the shipped dataset, together in one transaction; a second run changes nothing."""
        from magchain.dataset import shipped_bundle

        return self.apply(shipped_bundle(), overwrite=True)

    # -- writing ------------------------------------------------------------------------
    def known(self, conn=None) -> Known:
        if conn is None:
            with self.engine.connect() as own:
                return self.known(own)
        known = Known()
        for name in TABLE_ORDER:
            if "id" in table(name).column_names:
                known.ids[name] = set(conn.execute(select(sql_tables[name].c.id)).scalars())
        sources = sql_tables["sources"]
        for row in conn.execute(select(sources.c.id, sources.c.published, sources.c.confidence)):
            known.source_dates[row.id] = row.published
            known.source_confidence[row.id] = row.confidence
        return known

    def apply(self, bundle: Bundle, dry_run: bool = False, *, overwrite: bool = False,
              also=None, first=None) -> ChangeReport:
        """Validate ``bundle`` and write it in one transaction, migrating first if the schema is behind.
        New ids are added; a record whose id exists with other values is refused (nothing is written),
        unless ``overwrite`` (the shipped dataset, corrected by a newer magchain, replaces its own rows).
        ``first(connection)`` and ``also(connection)`` write more in the same transaction, before and
        after the records (the review queue's state first, so that it locks the candidate before
        anything else is written). An interruption at any point leaves the store as it was."""
        report = ChangeReport(dry_run=dry_run)
        now = timestamp()
        try:
            with self.engine.begin() as conn:
                if engines.current_revision(conn) != engines.head_revision():
                    engines.upgrade(conn)
                if first is not None:
                    first(conn)
                issues = prepare(bundle, self.known(conn))
                if issues:
                    raise ValidationFailed(issues)
                for name in TABLE_ORDER:
                    self._write_table(conn, name, bundle, report.tables[name], now)
                clashes = [Issue(name, None, "id", label, "exists already with other values, and records are never "
                                 "overwritten", "Give the new record its own id and its source, or drop the row")
                           for name, changes in report.tables.items() for label in changes.changed]
                if clashes and not overwrite:
                    raise ValidationFailed(clashes)
                if also is not None:
                    also(conn)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        return report

    def _write_table(self, conn, name: str, bundle: Bundle, changes: TableChanges, now: str) -> None:
        sql = sql_tables[name]
        key = table(name).key
        existing = {_key_of(name, dict(r._mapping)): dict(r._mapping) for r in conn.execute(select(sql))}
        inserts, updates = [], []
        for record in _parents_first(name, bundle.records[name]):
            current = existing.get(_key_of(name, record))
            label = "/".join(str(v) for v in _key_of(name, record))
            if current is None:
                if "recorded_at" in sql.c and record.get("recorded_at") is None:
                    record = {**record, "recorded_at": now}
                inserts.append(record)
                changes.added.append(label)
            elif _comparable(current) != _comparable({**current, **record}):
                if "recorded_at" in sql.c:  # a changed record keeps when it was first recorded
                    record = {**record, "recorded_at": record.get("recorded_at") or current.get("recorded_at")}
                updates.append(record)
                changes.changed.append(label)
            else:
                changes.unchanged += 1
        if name == "companies":  # one by one keeps parent rows ahead of their children
            for record in inserts:
                conn.execute(sql.insert(), [record])
        elif inserts:
            conn.execute(sql.insert(), inserts)
        for record in updates:
            condition = and_(*(sql.c[k] == record[k] for k in key))
            conn.execute(sql.update().where(condition).values(**record))

    # -- reading ------------------------------------------------------------------------
    def rows(self, name: str, *, as_of: str | None = None) -> list[dict]:
        """All records of a table, optionally only those known by ``as_of`` (YYYY-MM-DD)."""
        sql = sql_tables[name]
        query = select(sql)
        if as_of and "known_from" in sql.c:
            query = query.where(sql.c.known_from <= as_of)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query.order_by(*sql.primary_key.columns))]

    def bundle(self) -> Bundle:
        """Everything in the store, as a Bundle ready to export."""
        bundle = Bundle()
        for name in TABLE_ORDER:
            for record in self.rows(name):
                bundle.add(name, record, Origin(f"store:{name}"))
        return bundle

    def is_empty(self) -> bool:
        if not inspect(self.engine).has_table("sources"):
            return True
        return not self.rows("sources")

    def close(self) -> None:
        self.engine.dispose()


def _parents_first(name: str, records: list[Record]) -> list[Record]:
    """Companies whose parent is in the same batch come after that parent."""
    if name != "companies":
        return records
    by_id = {r["id"]: r for r in records}
    ordered, placed = [], set()

    def place(record, depth=0):
        if record["id"] in placed:
            return
        parent = record.get("parent_id")
        if parent in by_id and parent not in placed and depth < len(records):
            place(by_id[parent], depth + 1)
        placed.add(record["id"])
        ordered.append(record)

    for record in records:
        place(record)
    return ordered


__all__ = ["ChangeReport", "MagchainError", "Store"]
