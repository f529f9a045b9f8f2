"""Fixtures: stores on SQLite and on a real PostgreSQL server, small bundles, the CLI runner."""

from __future__ import annotations

import itertools

import pytest
from typer.testing import CliRunner

from magchain.store import Store

_counter = itertools.count()


@pytest.fixture(scope="session")
def postgres():
    from pg import TempPostgres

    server = TempPostgres().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def empty_store(request, tmp_path):
    """A migrated store with nothing in it, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    else:
        url = request.getfixturevalue("postgres").create_database(f"t{next(_counter)}")
    store = Store(url, initialise=False)
    store.upgrade()
    yield store
    store.close()


@pytest.fixture(scope="session")
def shipped_sqlite(tmp_path_factory):
    """A SQLite store loaded with the shipped dataset, shared read-only by many tests."""
    url = f"sqlite:///{tmp_path_factory.mktemp('shipped') / 'store.sqlite'}"
    store = Store(url)
    yield store
    store.close()


@pytest.fixture
def loaded_store(empty_store):
    """A store on each backend with the shipped dataset; tests may change it."""
    empty_store.init()
    return empty_store


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """Run the CLI against a fresh SQLite store in a temporary folder."""
    from magchain.cli.main import app

    monkeypatch.setenv("MAGCHAIN_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run
