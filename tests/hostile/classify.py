"""Run the hostile corpus and count outcomes by class (clean refusal, accepted, traceback, hang,
partial write): the figures of the closing note, for this code or an older checkout.

Run: python tests/hostile/classify.py   (PYTHONPATH=<other checkout>/src to measure another version)
"""

from __future__ import annotations

import collections
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import test_hostile as corpus

from magchain.cli.main import app
from magchain.store import Store


def outcome(case: dict, template: Path) -> str:
    tmp = Path(tempfile.mkdtemp(prefix="hostile-"))
    try:
        return _run(case, template, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _run(case: dict, template: Path, tmp: Path) -> str:
    corpus._files(tmp)
    shutil.copy(template, tmp / "store.sqlite")
    fresh = f"sqlite:///{tmp / 'store.sqlite'}"
    url = fresh if case["store"] in ("shared", "fresh") else case["store"].replace("{tmp}", str(tmp))
    args = [a.replace("{tmp}", str(tmp)) for a in case["args"]]
    before = corpus._counts(fresh)
    signal.signal(signal.SIGALRM, corpus._alarm)
    signal.alarm(corpus.HANG_S)
    try:
        result = CliRunner().invoke(app, args, env={"MAGCHAIN_DATABASE_URL": url})
    except corpus.Hang:
        return "hang"
    finally:
        signal.alarm(0)
    if (result.exception is not None and not isinstance(result.exception, SystemExit)) or "Traceback" in result.output:
        return "traceback"
    if result.exit_code == 0:
        return "accepted"
    if corpus._counts(fresh) != before:
        return "partial write"
    return "clean refusal"


def main() -> None:
    template = Path(tempfile.mkdtemp()) / "store.sqlite"
    Store(f"sqlite:///{template}").close()
    table = collections.defaultdict(collections.Counter)
    for case in corpus.CASES["cases"]:
        table[case["class"]][outcome(case, template)] += 1
    kinds = ["clean refusal", "accepted", "traceback", "hang", "partial write"]
    print(f"{'class':<20}" + "".join(f"{k:>15}" for k in kinds))
    for name, counts in table.items():
        print(f"{name:<20}" + "".join(f"{counts[k]:>15}" for k in kinds))
    total = sum(table.values(), collections.Counter())
    print(f"{'all':<20}" + "".join(f"{total[k]:>15}" for k in kinds))


if __name__ == "__main__":
    main()
