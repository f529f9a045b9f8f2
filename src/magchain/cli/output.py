"""Shared output for listings: a Rich table by default, or --json / --csv."""

from __future__ import annotations

import csv
import enum
import json
import math
import sys

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from magchain.numbers import money, percent

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


HEADERS = {  # a column's key -> its header, with the unit; other keys read with spaces for underscores
    "capacity_t_per_yr": "capacity t/yr", "start_year": "start", "capacity_t": "capacity t",
    "capacity_magnet_eq_t": "capacity t mag-eq", "production_t": "production t",
    "demand_magnet_eq_t": "demand t mag-eq", "demand_embedded_magnet_eq_t": "embedded demand t mag-eq",
    "self_sufficiency": "self-sufficiency", "import_reliance": "import reliance", "weak_link": "weak link",
    "tonnes_short": "short beyond baseline t", "tonnes_short_incl_baseline": "short incl. baseline t",
    "largest_shortfall_pct": "worst region short %", "largest_shortfall_region": "worst region",
    "months_of_cover": "cover months", "fiscal_exposure_usd": "fiscal exposure",
    "makers_output_lost_t": "makers' output lost t", "extra_short_t": "short beyond baseline t",
    "extra_t": "short beyond baseline t", "extra_share": "share of demand",
    "baseline_shortfall_t": "baseline's own shortfall t",
}
SHARES = ("self_sufficiency", "import_reliance", "share", "extra_share", "p_self_sufficient", "p_weak_link",
          "utilisation")
IDS = ("id", "facility_id", "company_id", "source_id", "scenario", "node", "name")
MONEY = ("usd",)


def header(key: str) -> str:
    return HEADERS.get(key) or key.replace("_", " ")


def _is_share(key: str) -> bool:
    return key in SHARES or key.endswith("_share") or key.startswith("p_")


def _sources(value: list[dict]) -> str:
    """The newest source by its publisher (or id) and date, and how many more there are."""
    dated = sorted(value, key=lambda s: s.get("date") or "", reverse=True)
    newest = dated[0]
    label = " ".join(str(x) for x in (newest.get("publisher") or newest.get("id"), newest.get("date")) if x)
    return label + (f" +{len(value) - 1}" if len(value) > 1 else "")


def _effects(value: list[dict]) -> str:
    """Observed effects in words: 'magnet exports change yoy US -93 % (2025-05)'."""
    return "; ".join(" ".join(str(x) for x in (e.get("metric", "").replace("_", " "), e.get("destination"),
                                               f"{e.get('value'):,.4g} {e.get('unit') or ''}".strip(),
                                               f"({e['period']})" if e.get("period") else "") if x)
                     for e in value)


def _cell(value, key: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "[dim]unknown[/dim]" if key not in ("flags", "conflict") else ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, int | float) and _is_share(key):
        return percent(value)
    if isinstance(value, int | float) and key.endswith(MONEY):
        return money(value)
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() or abs(value) >= 100 else f"{value:,.3g}"
    if isinstance(value, list):
        if not value:
            return ""
        if key == "sources" and isinstance(value[0], dict):
            return _sources(value)
        if key == "effects" and isinstance(value[0], dict):
            return _effects(value)
        if isinstance(value[0], dict):
            return "; ".join(str(v.get("id") or v.get("title")) for v in value)
        return ", ".join(map(str, value))
    return escape(str(value))


def _width(key: str, texts: list[str]) -> int:
    """The narrowest a column can be without breaking a word: its longest word, header included
    (an id is one word, so it is never broken)."""
    words = [w for t in [header(key), *(Text.from_markup(t).plain for t in texts)] for w in t.split()]
    return max((len(w) for w in words), default=1)


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


def emit(rows: list[dict], fmt: Format, columns: list[str], title: str | None = None,
         drop: list[str] | None = None) -> None:
    """Print rows: a table of ``columns`` that fits the terminal (ids never broken, headers with
    their units, shares as percentages, money in words; columns left out at the terminal's width,
    ``drop`` first, are named), or JSON and CSV with every key."""
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
    cells = [[_cell(row.get(c), c) for c in columns] for row in rows]
    widths = [_width(c, [r[i] for r in cells]) for i, c in enumerate(columns)]
    single = [i for i in range(1, len(columns)) if len(cells) > 1 and len({row[i] for row in cells}) == 1 and cells[0][i]]
    shown = [i for i in range(len(columns)) if i == 0 or any(row[i] for row in cells)]
    order = single + [columns.index(c) for c in (drop or []) if c in columns] + sorted(shown, reverse=True)
    need = lambda kept: sum(widths[i] + 3 for i in kept) + 1  # padding and a border per cell
    for i in order:  # leave columns out until no word need break: one value for all rows first (said in
        if need(shown) <= console.width or len(shown) == 1:  # the title), ``drop`` next, then from the right
            break
        if i in shown and i != 0:
            shown.remove(i)
    same = ", ".join(f"{header(columns[i])} {Text.from_markup(cells[0][i]).plain}" for i in single if i not in shown)
    title = f"{title} ({same})" if title and same else title or same or None
    console.print(_table(rows, cells, columns, shown, title))
    left = [header(columns[i]) for i in range(len(columns)) if i not in shown and i not in single
            and any(row[i] for row in cells)]
    note = f"; left out at this width: {', '.join(left)} (widen the terminal, or --json / --csv)" if left else ""
    console.print(f"[dim]{len(rows)} row(s){escape(note)}[/dim]")


def _table(rows: list[dict], cells: list[list[str]], columns: list[str], shown: list[int], title: str | None) -> Table:
    table = Table(title=title, show_lines=False, header_style="bold")
    for i in shown:
        key = columns[i]
        first = next((r.get(key) for r in rows if r.get(key) is not None), None)
        numeric = isinstance(first, int | float) or (isinstance(first, str) and first.endswith(" %"))
        table.add_column(header(key), justify="right" if numeric else "left", no_wrap=key in IDS, overflow="fold")
    for row in cells:
        table.add_row(*(row[i] for i in shown))
    return table


def emit_object(obj: dict, as_json: bool) -> bool:
    """Print one object as JSON when asked; returns True if it did."""
    if as_json:
        print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))
    return as_json
