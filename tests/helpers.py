"""Small helpers shared by tests."""

from __future__ import annotations

import csv
from pathlib import Path

from magchain.ingest.extract import extract_facts


def write_table(folder: Path, name: str, header: list[str], *rows: list[str]) -> Path:
    """Write a CSV table (an outlook what-if input, say) into ``folder``."""
    path = folder / name
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def facts_of(text: str, kind: str, published=None) -> list:
    """Facts of one kind the extractor finds in a made-up sentence."""
    return [f for f in extract_facts(text, published) if f.kind == kind]


def only(text: str, kind: str, published=None):
    """The one fact of a kind in a sentence (fails, listing what was found, if there is not exactly one)."""
    found = facts_of(text, kind, published)
    assert len(found) == 1, [(f.kind, f.quantity, f.status) for f in extract_facts(text, published)]
    return found[0]
