"""Interrupted store changes: `db init` and `db upgrade` killed at random moments of their work, by
SIGINT, SIGTERM or SIGKILL, on SQLite and on a real PostgreSQL server, leave the store exactly as
before or exactly as after, and the next command completes it."""

from __future__ import annotations

import itertools
import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from alembic import command
from interrupt import interrupt as interrupt_now
from interrupt import work_seconds
from pg import settle
from sqlalchemy import inspect, text

from magchain.store import Store
from magchain.store import engine as engines
from magchain.tables import TABLE_ORDER

INIT_TRIALS = 100
UPGRADE_TRIALS = 30
_names = itertools.count()
_alembic = threading.Lock()  # alembic's migration context is global: one migration per process at a time


def interrupt(args: list[str], url: str, within: float, rng: random.Random) -> tuple[int, float, bool]:
    """Interrupt the command, then wait for the server to be done with the interrupted session."""
    outcome = interrupt_now(args, url, within, rng)
    settle(url)
    return outcome


def counts(store: Store) -> dict[str, int]:
    return {name: len(store.rows(name)) for name in TABLE_ORDER}


@pytest.fixture(scope="module")
def full_counts(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('full') / 'store.sqlite'}")
    yield counts(store)
    store.close()


@pytest.fixture(params=["sqlite", "postgres"])
def new_url(request, tmp_path):
    """A function giving the URL of a new, empty database on the backend."""
    if request.param == "sqlite":
        return lambda: f"sqlite:///{tmp_path / f'store{next(_names)}.sqlite'}"
    server = request.getfixturevalue("postgres")
    return lambda: server.create_database(f"fault{next(_names)}")


def init_state(url: str, full: dict[str, int]) -> str:
    """'before' (nothing at all), 'after' (schema and every shipped record) or what is half-done."""
    store = Store(url, initialise=False)
    try:
        tables = set(inspect(store.engine).get_table_names())
        revision = store.revision()
        if revision is None:
            return "before" if not tables - {"alembic_version"} else f"tables {sorted(tables)} without a revision"
        found = counts(store)
        return "after" if revision == engines.head_revision() and found == full else f"{revision}: {found}"
    finally:
        store.close()


def _run_trials(trial, n: int) -> list:
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(trial, range(n)))


def test_interrupted_db_init_leaves_the_store_before_or_after(new_url, full_counts):
    window = work_seconds(["db", "init"], new_url()) * 1.1

    def trial(i: int):
        url = new_url()
        signal, delay, finished = interrupt(["db", "init"], url, window, random.Random(i))
        state = init_state(url, full_counts)
        with _alembic:
            Store(url).close()  # the next command completes what was interrupted
        return signal, round(delay, 3), finished, state, init_state(url, full_counts)

    results = _run_trials(trial, INIT_TRIALS)
    broken = [r for r in results if r[3] not in ("before", "after") or r[4] != "after"]
    assert broken == []
    interrupted = [r for r in results if not r[2]]
    assert len(interrupted) >= INIT_TRIALS // 2  # most trials really cut the command short
    assert {r[3] for r in interrupted} == {"before", "after"} or len(interrupted) < 5


def _store_at_first_revision(url: str) -> None:
    """A store made by magchain's first schema, holding one record of the user's."""
    store = Store(url, initialise=False)
    with store.engine.begin() as conn:
        command.upgrade(engines._alembic_config(conn), "0001")
        conn.execute(text("INSERT INTO sources (id, title, kind, confidence) "
                          "VALUES ('mine', 'My own notes', 'reference', 'high')"))
    store.close()


def _migrated(url: str) -> str:
    with _alembic:
        store = Store(url, initialise=False)
        store.upgrade()
        store.close()
    return url


def upgrade_state(url: str) -> str:
    store = Store(url, initialise=False)
    try:
        tables = set(inspect(store.engine).get_table_names())
        revision = store.revision()
        kept = [r["id"] for r in store.rows("sources")] == ["mine"]
        queue = {"candidate_facts", "ingested_documents"} <= tables
        if revision == "0001" and kept and not queue:
            return "before"
        if revision == engines.head_revision() and kept and queue:
            return "after"
        return f"revision {revision}, user record kept: {kept}, queue tables: {queue}"
    finally:
        store.close()


def test_interrupted_db_upgrade_keeps_the_users_records(new_url):
    probe = new_url()
    _store_at_first_revision(probe)
    window = work_seconds(["db", "upgrade"], probe) * 1.1

    def trial(i: int):
        url = new_url()
        with _alembic:
            _store_at_first_revision(url)
        _, _, finished = interrupt(["db", "upgrade"], url, window, random.Random(1000 + i))
        state = upgrade_state(url)
        _migrated(url)
        return finished, state, upgrade_state(url)

    results = _run_trials(trial, UPGRADE_TRIALS)
    assert [r for r in results if r[1] not in ("before", "after") or r[2] != "after"] == []


# -- import, ingest and review accept ---------------------------------------------------------------
WRITE_TRIALS = 20


@pytest.fixture(scope="module")
def export_folder(tmp_path_factory):
    """The shipped dataset as CSV files: what `import` writes into an empty store."""
    from magchain.io.export import export_bundle

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('src') / 'store.sqlite'}")
    folder = tmp_path_factory.mktemp("export") / "csv"
    export_bundle(store.bundle(), folder)
    store.close()
    return folder


def test_interrupted_import_writes_all_or_nothing(new_url, export_folder, full_counts):
    args = ["import", str(export_folder)]
    window = work_seconds(args, _migrated(new_url())) * 1.1

    def trial(i: int):
        url = _migrated(new_url())
        interrupt(args, url, window, random.Random(2000 + i))
        store = Store(url, initialise=False)
        found = counts(store)
        store.close()
        return found == full_counts or not any(found.values())

    assert all(_run_trials(trial, WRITE_TRIALS))


def _queue(url: str) -> tuple[set, set, set]:
    """Documents ingested, sources their candidates cite, and the seed sources in the registry."""
    store = Store(url, initialise=False)
    with store.engine.connect() as conn:
        documents = set(conn.execute(text("SELECT source_id FROM ingested_documents")).scalars())
        cited = set(conn.execute(text("SELECT DISTINCT source_id FROM candidate_facts")).scalars())
    store.close()
    return documents, cited


def test_interrupted_ingest_keeps_each_document_whole(new_url, tmp_path):
    from magchain.dataset import seed_documents

    folder = tmp_path / "news"
    folder.mkdir()
    for number, path in enumerate(sorted(seed_documents().values())):  # new bytes: not the shipped seeds
        folder.joinpath(f"{number}.txt").write_text(path.read_text(encoding="utf-8") + f"\n\nCopy {number}.\n",
                                                    encoding="utf-8")
    probe = new_url()
    with _alembic:
        Store(probe).close()
    window = work_seconds(["ingest", str(folder)], probe) * 1.1

    def trial(i: int):
        url = new_url()
        with _alembic:
            Store(url).close()
        interrupt(["ingest", str(folder)], url, window, random.Random(3000 + i))
        documents, cited = _queue(url)
        return cited <= documents  # no candidate without its document, no document half-written

    assert all(_run_trials(trial, WRITE_TRIALS))


def test_interrupted_review_accept_writes_record_and_state_together(new_url, tmp_path):
    from test_ingest_pipeline import ARTICLE

    from magchain.ingest.pipeline import ingest
    from magchain.ingest.review import get, listing

    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")

    def ready() -> tuple[str, str]:
        url = new_url()
        with _alembic:
            store = Store(url)
        ingest(store, [article])
        funding = next(c for c in listing(store) if c["kind"] == "funding")
        store.close()
        return url, funding["id"]

    probe, probe_id = ready()
    window = work_seconds(["review", "accept", probe_id], probe) * 1.1

    def trial(i: int):
        url, candidate_id = ready()
        store = Store(url, initialise=False)
        events_before = len(store.rows("events"))
        store.close()
        interrupt(["review", "accept", candidate_id], url, window, random.Random(4000 + i))
        store = Store(url, initialise=False)
        state, events = get(store, candidate_id)["review"], len(store.rows("events"))
        store.close()
        return (state, events - events_before) in (("pending", 0), ("accepted", 1))

    assert all(_run_trials(trial, WRITE_TRIALS))
