"""A throwaway PostgreSQL server for the test suite: its own data folder and a free port."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def _binary(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise RuntimeError(
            f"PostgreSQL's {name} was not found. Install the server (Debian: apt-get install -y postgresql); "
            ".ci/run does this on a fresh machine."
        )
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TempPostgres:
    """initdb + pg_ctl on a temporary folder. As root, the server runs as the 'postgres' user."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="magchain-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> TempPostgres:
        if self.as_user:
            shutil.chown(self.folder, "postgres")
        self._run(_binary("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8")
        self._run(_binary("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"), "-w", "-o",
                  f"-p {self.port} -h 127.0.0.1 -k {self.folder} -F", "start")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(_binary("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            time.sleep(0.1)
            shutil.rmtree(self.folder, ignore_errors=True)


def settle(url: str, timeout: float = 60.0) -> None:
    """Wait until no other session on the database of ``url`` is at work (a no-op for SQLite).

    A client killed while its COMMIT is on the wire leaves the server to finish (or roll back) the
    transaction after the client is gone; reading the store before then would see the tables of a
    committing transaction one by one, some before the commit and some after."""
    if not url.startswith("postgresql"):
        return
    import psycopg
    from sqlalchemy.engine import make_url

    parts = make_url(url)
    with psycopg.connect(host=parts.host, port=parts.port, user=parts.username, dbname=parts.database,
                         autocommit=True) as conn:
        deadline = time.monotonic() + timeout
        while conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND pid <> pg_backend_pid() AND state <> 'idle'").fetchone()[0]:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{parts.database}: another session is still at work after {timeout:.0f} s")
            time.sleep(0.02)
