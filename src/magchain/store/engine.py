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

from magchain.errors import MagchainError

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
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _alembic_config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("magchain") / "store" / "migrations"))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(resources.files("magchain") / "store" / "migrations"))
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Migrate the database to the newest schema (a no-op when it is there already)."""
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")
