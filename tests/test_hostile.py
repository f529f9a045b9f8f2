"""Hostile inputs (tests/hostile/cases.json) against every command: no traceback, no hang, no
partial write, and every refusal names what was wrong."""

from __future__ import annotations

import json
import shutil
import signal
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select
from typer.testing import CliRunner

from magchain.cli.main import app
from magchain.dataset import seed_documents
from magchain.store import Store
from magchain.store.models import sql_tables

CASES = json.loads((Path(__file__).parent / "hostile" / "cases.json").read_text(encoding="utf-8"))
HANG_S = 10
SOURCE = "adamas_cn2019"  # a shipped source the import files cite


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A loaded SQLite store, copied for every case that may write."""
    path = tmp_path_factory.mktemp("template") / "store.sqlite"
    Store(f"sqlite:///{path}").close()
    return path


@pytest.fixture(scope="module")
def shared(tmp_path_factory, template) -> str:
    path = tmp_path_factory.mktemp("shared") / "store.sqlite"
    shutil.copy(template, path)
    return f"sqlite:///{path}"


def _files(tmp: Path) -> None:
    """Everything the cases refer to under {tmp}."""
    (tmp / "not-a-db.sqlite").write_text("this is not a database", encoding="utf-8")
    (tmp / "truncated.sqlite").write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    (tmp / "facilities.csv").write_text("id,name\n", encoding="utf-8")
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    shutil.copy(next(iter(sorted(seed_documents().values()))), tmp / "article.txt")
    (tmp / "a-file.txt").write_text("a file, not a folder", encoding="utf-8")
    (tmp / "full").mkdir()
    (tmp / "full" / "notes.txt").write_text("someone's notes", encoding="utf-8")
    (tmp / "scenarios").mkdir()
    for name, text in CASES["scenarios"].items():
        (tmp / "scenarios" / f"{name}.yaml").write_text(text, encoding="utf-8")
    for name, (file_name, text) in CASES["imports"].items():
        folder = tmp / "imports" / name
        folder.mkdir(parents=True)
        if text is None:  # not UTF-8
            (folder / file_name).write_bytes("id,name\nxé,Bad\n".encode("latin-1"))
        else:
            (folder / file_name).write_text(text.replace("{source}", SOURCE), encoding="utf-8")


def _counts(url: str) -> dict[str, int]:
    store = Store(url, initialise=False)
    try:
        present = set(inspect(store.engine).get_table_names())
        with store.engine.connect() as conn:
            return {name: conn.execute(select(func.count()).select_from(table)).scalar()
                    for name, table in sql_tables.items() if name in present}
    finally:
        store.close()


class Hang(Exception):
    pass


def _alarm(_signum, _frame):
    raise Hang


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["id"] for c in CASES["cases"]])
def test_hostile_case(case, tmp_path, template, shared):
    _files(tmp_path)
    if case["store"] == "shared":
        url = shared
    elif case["store"] == "fresh":
        shutil.copy(template, tmp_path / "store.sqlite")
        url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    else:
        url = case["store"].replace("{tmp}", str(tmp_path))
    args = [a.replace("{tmp}", str(tmp_path)) for a in case["args"]]
    before = _counts(url) if case.get("writes") and case["store"] == "fresh" else None
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_S)
    try:
        result = CliRunner().invoke(app, args, env={"MAGCHAIN_DATABASE_URL": url})
    except Hang:
        pytest.fail(f"hangs over {HANG_S} s: magchain {' '.join(args)}")
    finally:
        signal.alarm(0)
    output = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in output
    assert result.exit_code != 0, f"accepted: magchain {' '.join(args)}\n{output[-500:]}"
    assert "Error" in output or "could not be read" in output or "Usage" in output, output[-500:]
    if case["names"]:
        assert case["names"].replace("{tmp}/", "") in output.replace("\n", ""), output[-500:]
    if before is not None:
        assert _counts(url) == before, "a refused command changed the store"
