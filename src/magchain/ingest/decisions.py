"""Review decisions that outlast the store: exported beside the registry's tables and restored
with them, so a document ingested again into a restored store finds its facts accepted or
rejected as before (a candidate is known by its source and fingerprint, both stable).

They travel as one JSON file, ``review_decisions.json``, whatever the tables' format.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from magchain.errors import InvalidInput
from magchain.io.files import DECISIONS_FILE as FILE
from magchain.store import Store
from magchain.store.review import candidates

DECIDED = ("accepted", "rejected")


def decided(store: Store) -> list[dict]:
    """Every accepted or rejected candidate, whole (its fields, sentence, decision and who made it)."""
    store.ensure_current()
    with store.engine.connect() as conn:
        rows = conn.execute(select(candidates).where(candidates.c.review.in_(DECIDED)).order_by(candidates.c.id))
        return [dict(r._mapping) for r in rows]


def write(rows: list[dict], folder: Path) -> Path:
    path = Path(folder) / FILE
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return path


def read(folder: Path) -> list[dict]:
    """The decisions exported into ``folder`` (none when it holds no decisions file)."""
    path = Path(folder) / FILE
    if not path.is_file():
        return []
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(f"{path}: not readable JSON ({error}); export the store again.") from None
    columns = set(candidates.c.keys())
    for number, row in enumerate(rows if isinstance(rows, list) else [None], start=1):
        if not isinstance(row, dict) or not {"id", "source_id", "review"} <= set(row) or row["review"] not in DECIDED:
            raise InvalidInput(f"{path}, decision {number}: needs id, source_id and review (accepted or rejected).")
        unknown = set(row) - columns
        if unknown:
            raise InvalidInput(f"{path}, decision {number}: unknown field(s) {', '.join(sorted(unknown))}.")
    return rows


def restore(conn, rows: list[dict]) -> int:
    """Insert the decisions the queue lacks, inside the caller's transaction; returns how many."""
    known = set(conn.execute(select(candidates.c.id)).scalars())
    new = [row for row in rows if row["id"] not in known]
    if new:
        conn.execute(candidates.insert(), new)
    return len(new)
