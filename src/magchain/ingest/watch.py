"""A folder watched for new documents: each file that appears (or changes) is ingested once it
has stopped growing, so a file still being copied is never read half-written."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from magchain.errors import NotFound

POLL_S = 2.0


def watch(folder: str | Path, ingest: Callable[[list[Path]], None], *, poll_s: float = POLL_S,
          stop: threading.Event | None = None, readable: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".pdf"),
          ) -> None:
    """Call ``ingest(files)`` with the files of ``folder`` that are new or changed and have kept the
    same size and time for one poll; runs until ``stop`` is set (or for ever)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NotFound(f"{folder}: no such folder to watch. Create it, or give another.")
    stop = stop or threading.Event()
    done: dict[Path, tuple[int, float]] = {}
    seen: dict[Path, tuple[int, float]] = {}
    while not stop.is_set():
        now = _files(folder, readable)
        ready = sorted(p for p, sig in now.items() if seen.get(p) == sig and done.get(p) != sig)
        if ready:
            ingest(ready)
            done.update({p: now[p] for p in ready})
        seen = now
        stop.wait(poll_s)


def _files(folder: Path, readable: tuple[str, ...]) -> dict[Path, tuple[int, float]]:
    """Each readable file (not hidden, not a partial download) with its size and modification time."""
    found = {}
    for path in folder.rglob("*"):
        if path.suffix.lower() in readable and path.is_file() and not path.name.startswith("."):
            stat = path.stat()
            found[path] = (stat.st_size, stat.st_mtime)
    return found
