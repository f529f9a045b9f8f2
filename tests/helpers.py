"""Small helpers shared by tests."""

from __future__ import annotations

import csv
from pathlib import Path


def write_table(folder: Path, name: str, header: list[str], *rows: list[str]) -> Path:
    """Write a CSV table (an outlook what-if input, say) into ``folder``."""
    path = folder / name
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path
