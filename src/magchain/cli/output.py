"""Shared output for listings: a Rich table by default, or --json / --csv."""

from __future__ import annotations

import csv
import enum
import json
import sys

from rich.console import Console
from rich.table import Table

console = Console()
errors = Console(stderr=True)


class Format(str, enum.Enum):
    table = "table"
    json = "json"
    csv = "csv"


def pick_format(as_json: bool, as_csv: bool) -> Format:
    if as_json and as_csv:
        raise ValueError("Choose one of --json and --csv")
    return Format.json if as_json else Format.csv if as_csv else Format.table


def _cell(value) -> str:
    if value is None:
        return "[dim]—[/dim]"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() or abs(value) >= 100 else f"{value:,.3g}"
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "; ".join(str(v.get("id") or v.get("title")) for v in value)
        return ", ".join(map(str, value))
    if isinstance(value, bool):
        return "yes" if value else ""
    return str(value)


def _flat(value):
    """CSV cells: lists of sources become 'title (date) <url>' joined with ' | '."""
    if isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, dict):
                label = item.get("title") or item.get("id") or json.dumps(item, default=str)
                date = f" ({item['date']})" if item.get("date") else ""
                url = f" <{item['url']}>" if item.get("url") else ""
                parts.append(f"{label}{date}{url}")
            else:
                parts.append(str(item))
        return " | ".join(parts)
    return "" if value is None else value


def emit(rows: list[dict], fmt: Format, columns: list[str], title: str | None = None) -> None:
    """Print rows: a table of ``columns``; JSON and CSV carry every key."""
    if fmt is Format.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    if fmt is Format.csv:
        keys = list(rows[0]) if rows else columns
        writer = csv.writer(sys.stdout)
        writer.writerow(keys)
        for row in rows:
            writer.writerow([_flat(row.get(k)) for k in keys])
        return
    table = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        numeric = rows and isinstance(next((r.get(column) for r in rows if r.get(column) is not None), None), (int, float))
        table.add_column(column, justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    console.print(table)
    console.print(f"[dim]{len(rows)} row(s)[/dim]")


def emit_object(obj: dict, as_json: bool) -> bool:
    """Print one object as JSON when asked; returns True if it did."""
    if as_json:
        print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))
    return as_json
