"""The store on SQLite and PostgreSQL: init, idempotence, dry runs, as-of views and round trips."""

from __future__ import annotations

import pytest

from magchain.io.export import FORMATS, export_bundle
from magchain.io.files import read_path
from magchain.registry import Registry
from magchain.store import Store
from magchain.store.engine import head_revision


def test_init_migrates_loads_and_is_idempotent(empty_store):
    first = empty_store.init()
    assert empty_store.revision() == head_revision()
    assert first.tables["facilities"].added and first.total_changed == 0
    second = empty_store.init()
    assert second.total_added == 0 and second.total_changed == 0
    assert second.tables["facilities"].unchanged == len(first.tables["facilities"].added)


def test_a_changed_record_of_a_table_without_recorded_at_is_updated(loaded_store):
    """A new release may reword a citation's evidence; re-loading updates it in place."""
    from magchain.dataset import shipped_bundle

    bundle = shipped_bundle()
    citation = bundle.records["citations"][0]
    citation["evidence"] = "A reworded sentence."
    report = loaded_store.apply(bundle, overwrite=True)  # as `db init` refreshes the shipped data
    assert report.tables["citations"].changed == ["/".join(
        str(citation[k]) for k in ("record_table", "record_id", "source_id"))]
    stored = [r for r in loaded_store.rows("citations") if r["record_id"] == citation["record_id"]
              and r["source_id"] == citation["source_id"]]
    assert stored[0]["evidence"] == "A reworded sentence."


def test_default_store_is_created_on_first_use(tmp_path, monkeypatch):
    monkeypatch.setenv("MAGCHAIN_DATABASE_URL", f"sqlite:///{tmp_path / 'auto.sqlite'}")
    store = Store()
    assert len(store.rows("facilities")) >= 80
    store.close()


def test_dry_run_writes_nothing(loaded_store, tmp_path):
    path = tmp_path / "facilities.csv"
    path.write_text(
        "id,name,company_id,country,stage,source_id\n"
        "dry-plant,Dry plant,mp-materials,US,magnet,usgs_mcs2025\n"
    )
    report = loaded_store.apply(read_path(path), dry_run=True)
    assert report.tables["facilities"].added == ["dry-plant"]
    assert "dry-plant" not in {f["id"] for f in loaded_store.rows("facilities")}


def test_import_fills_provenance_from_the_source(loaded_store, tmp_path):
    path = tmp_path / "facilities.csv"
    path.write_text(
        "id,name,company_id,country,stage,source_id\n"
        "new-plant,New plant,mp-materials,US,magnet,usgs_mcs2025\n"
    )
    loaded_store.apply(read_path(path))
    row = next(f for f in loaded_store.rows("facilities") if f["id"] == "new-plant")
    source = next(s for s in loaded_store.rows("sources") if s["id"] == "usgs_mcs2025")
    assert row["confidence"] == source["confidence"]
    assert row["known_from"].startswith(source["published"][:4]) and row["recorded_at"]


def test_as_of_shows_what_was_known_then(loaded_store, tmp_path):
    (tmp_path / "sources.csv").write_text(
        "id,title,published,confidence,kind\nlate-news,A later report,2030-06-15,medium,document\n"
    )
    (tmp_path / "capacities.csv").write_text(
        "id,facility_id,status,capacity_t_per_yr,material,capacity_type,scope,year,source_id\n"
        "evac-late,evac-sumter,idle,,,,facility,2030,late-news\n"
    )
    (tmp_path / "facilities.csv").write_text(
        "id,name,company_id,country,stage,source_id\nfuture-plant,Future plant,mp-materials,US,magnet,late-news\n"
    )
    loaded_store.apply(read_path(tmp_path))
    now = Registry(loaded_store)
    then = Registry(loaded_store, as_of="2026-06-01")
    assert now.facility("evac-sumter")["status"] == "idle"
    assert then.facility("evac-sumter")["status"] == "operating"
    assert "future-plant" in {f["id"] for f in now.facilities()}
    assert "future-plant" not in {f["id"] for f in then.facilities()}
    early = Registry(loaded_store, as_of="2020-01-01")
    assert "evac-sumter" not in {f["id"] for f in early.facilities()}
    assert all(r["known_from"] <= "2020-01-01" for r in early.data["capacities"])


def _records(store: Store) -> dict:
    bundle = store.bundle()
    return {name: sorted(map(repr, rows)) for name, rows in bundle.records.items()}


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_then_import_reproduces_the_store(loaded_store, tmp_path, fmt):
    export_bundle(loaded_store.bundle(), tmp_path / "out", fmt)
    copy = Store(f"sqlite:///{tmp_path / 'copy.sqlite'}", initialise=False)
    copy.apply(read_path(tmp_path / "out"))
    assert _records(copy) == _records(loaded_store)
    copy.close()


def test_upgrade_is_a_no_op_at_head(empty_store):
    before, after = empty_store.upgrade()
    assert before == after == head_revision()


def test_a_writer_waits_for_a_lock_then_gets_a_clear_message(tmp_path, monkeypatch):
    import sqlite3

    from typer.testing import CliRunner

    from magchain.cli.main import app
    from magchain.store import engine as engines

    path = tmp_path / "store.sqlite"
    Store(f"sqlite:///{path}").close()
    rows = tmp_path / "sources.csv"
    rows.write_text("id,title,published,confidence,kind\nmine,My notes,2026-01-01,high,reference\n")
    monkeypatch.setattr(engines, "SQLITE_WAIT_S", 1)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        result = CliRunner().invoke(app, ["import", str(rows)], env={"MAGCHAIN_DATABASE_URL": f"sqlite:///{path}"})
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.exit_code == 4 and "being written by another program" in result.output, result.output
    assert "Traceback" not in result.output
    again = CliRunner().invoke(app, ["import", str(rows)], env={"MAGCHAIN_DATABASE_URL": f"sqlite:///{path}"})
    assert again.exit_code == 0 and "1 added" in again.output


def test_a_retraction_and_what_it_retracts_no_longer_count():
    from magchain.tables import in_force

    rows = [{"id": "a", "retracts": None}, {"id": "b", "retracts": None}, {"id": "a-retracted", "retracts": "a"}]
    assert in_force(rows) == [rows[1]]
    assert in_force(rows[:2]) == rows[:2]  # as of a date before the retraction, both count


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_store_of_the_previous_schema_holding_the_shipped_data_upgrades(backend, tmp_path, request):
    from alembic import command
    from sqlalchemy import text

    from magchain.dataset import shipped_bundle
    from magchain.store import _parents_first, timestamp
    from magchain.store import engine as engines
    from magchain.store.models import sql_tables
    from magchain.tables import TABLE_ORDER
    from magchain.validate import prepare

    url = (f"sqlite:///{tmp_path / 'old.sqlite'}" if backend == "sqlite"
           else request.getfixturevalue("postgres").create_database("previous_schema"))
    store = Store(url, initialise=False)
    bundle = shipped_bundle()
    assert prepare(bundle) == []  # provenance filled as the store would
    with store.engine.begin() as conn:  # what magchain wrote before retractions existed
        command.upgrade(engines._alembic_config(conn), "0002")
        for name in TABLE_ORDER:
            rows = [{**{k: v for k, v in r.items() if k != "retracts"}, "recorded_at": timestamp()}
                    if "recorded_at" in sql_tables[name].c else r for r in _parents_first(name, bundle.records[name])]
            for row in rows:
                conn.execute(sql_tables[name].insert().values(**row))
    def counted() -> dict[str, int]:
        with store.engine.connect() as conn:
            return {name: conn.execute(text(f"SELECT COUNT(*) FROM {name}")).scalar() for name in TABLE_ORDER}

    before = counted()
    assert store.upgrade() == ("0002", engines.head_revision())
    assert counted() == before and before["events"] and before["effects"]
    assert all(r["retracts"] is None for r in store.rows("events"))
