"""Where the store lives and how it is opened and migrated."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event

from magchain.errors import MagchainError, StoreUnavailable

ENV_URL = "MAGCHAIN_DATABASE_URL"


def default_url() -> str:
    """``MAGCHAIN_DATABASE_URL`` if set, else a SQLite file in the user's data directory."""
    url = os.environ.get(ENV_URL)
    if url:
        return url
    folder = Path(platformdirs.user_data_dir("magchain"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'magchain.sqlite'}"


def make_engine(url: str) -> Engine:
    if url.strip() == "sqlite://" or url.startswith("sqlite:///:memory:"):
        raise StoreUnavailable(f"{url} is an in-memory store that vanishes when the command ends. Give a file, "
                               "e.g. sqlite:///magchain.sqlite, or leave MAGCHAIN_DATABASE_URL unset for the default.")
    if url.startswith("postgresql") and "+" not in url.split(":", 1)[0]:
        url = url.replace("postgresql", "postgresql+psycopg", 1)
    try:
        engine = create_engine(url, future=True)
    except ModuleNotFoundError as exc:
        raise MagchainError(
            f"The database driver for {url.split(':', 1)[0]} is not installed ({exc.name}). "
            "For PostgreSQL run: pip install 'magchain[postgres]'"
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


SQLITE_WAIT_S = 15  # how long a writer waits for another one's lock before giving up with a message


def _sqlite_connect(dbapi_connection, _record) -> None:
    # The driver's own transaction handling commits before DDL, so an interrupted migration would
    # leave half a schema; magchain opens every transaction itself instead (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_WAIT_S * 1000}")
    cursor.close()


def _sqlite_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")


def _alembic_config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("magchain") / "store" / "migrations"))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(resources.files("magchain") / "store" / "migrations"))
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection) -> None:
    """Migrate the database to the newest schema (a no-op when it is there already), inside the
    caller's transaction: schema and data change together or not at all."""
    command.upgrade(_alembic_config(connection), "head")
