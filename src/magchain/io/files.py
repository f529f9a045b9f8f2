"""Read registry files (CSV, XLSX, JSON, Parquet, or a folder of them) into a Bundle.

File-level problems (empty, truncated, not UTF-8, malformed) and cell-level problems
(wrong type, unknown column) are collected, never raised one at a time, and reported
together with the file, row and column.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import zipfile
from pathlib import Path

from magchain.bundle import Bundle, Origin
from magchain.coerce import BadValue, coerce
from magchain.errors import Issue, ValidationFailed
from magchain.tables import TABLE_ORDER, table, tables

SUFFIXES = (".csv", ".xlsx", ".json", ".parquet")
MAX_BYTES = 200 * 1024 * 1024


def read_path(path: str | Path) -> Bundle:
    """Read a file or every registry file in a folder; raise ValidationFailed listing all problems."""
    path = Path(path)
    issues: list[Issue] = []
    bundle = Bundle()
    for file in _files(path, issues):
        for table_name, rows, origins in _read_file(file, issues):
            _coerce_rows(bundle, table_name, rows, origins, issues)
    if issues:
        raise ValidationFailed(issues)
    return bundle


DECISIONS_FILE = "review_decisions.json"  # exported beside the tables for the review queue; not a table


def _files(path: Path, issues: list[Issue]) -> list[Path]:
    if not path.exists():
        issues.append(Issue(str(path), None, None, None, "does not exist", "Check the path"))
        return []
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.name != DECISIONS_FILE)
        if not found:
            issues.append(
                Issue(str(path), None, None, None, "holds no .csv, .xlsx, .json or .parquet file")
            )
        return found
    if path.suffix.lower() not in SUFFIXES:
        issues.append(
            Issue(
                str(path), None, None, None, f"has an unsupported type '{path.suffix}'",
                "Use .csv, .xlsx, .json or .parquet",
            )
        )
        return []
    return [path]


def _read_file(file: Path, issues: list[Issue]):
    """Yield (table, raw rows, origins) for each table in one file."""
    name = str(file)
    size = file.stat().st_size
    if size == 0:
        issues.append(Issue(name, None, None, None, "is empty", "Export the table again"))
        return
    if size > MAX_BYTES:
        issues.append(Issue(name, None, None, None, f"is too large ({size} bytes)"))
        return
    suffix = file.suffix.lower()
    if suffix == ".csv":
        yield from _read_csv(file, issues)
    elif suffix == ".json":
        yield from _read_json(file, issues)
    elif suffix == ".xlsx":
        yield from _read_xlsx(file, issues)
    else:
        yield from _read_parquet(file, issues)


def _decode(file: Path, issues: list[Issue]) -> str | None:
    data = file.read_bytes()
    if b"\x00" in data[:4096]:
        issues.append(Issue(str(file), None, None, None, "is binary, not text", "Give a UTF-8 text file"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        issues.append(
            Issue(
                str(file), line, None, None,
                f"is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                "Save the file as UTF-8",
            )
        )
        return None


def table_for(file: Path, columns: list[str]) -> str | None:
    """The table a file holds: its stem when that names a table, else the best header match."""
    stem = file.stem.lower()
    if stem in TABLE_ORDER:
        return stem
    best, best_score = None, 0.0
    for name, spec in tables().items():
        required = {c.name for c in spec.columns if c.required and c.name != "recorded_at"}
        if required <= set(columns):
            score = len(set(columns) & set(spec.column_names)) / len(set(columns) | set(spec.column_names))
            if score > best_score:
                best, best_score = name, score
    return best


def _unknown_table(file: Path, issues: list[Issue]) -> None:
    issues.append(
        Issue(
            str(file), None, None, file.stem,
            "does not name a registry table and its header matches none",
            f"Name the file after its table ({', '.join(TABLE_ORDER)}), e.g. facilities.csv",
        )
    )


FILLED_FROM_SOURCE = {"confidence", "known_from", "recorded_at"}  # required, but taken from the source when left out

# A cell a spreadsheet would run as a formula is written with a leading apostrophe, which the
# reader takes off again, so an export re-imports exactly and opening it runs nothing.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def guard_cell(value: object) -> object:
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def unguard_cell(text: str) -> str:
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_START) else text


def _read_csv(file: Path, issues: list[Issue]):
    text = _decode(file, issues)
    if text is None:
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        issues.append(Issue(str(file), 1, None, None, "has no header row", "Start with the column names"))
        return
    header = [h.strip() for h in header]
    table_name = table_for(file, header)
    if table_name is None:
        _unknown_table(file, issues)
        return
    missing = [c.name for c in table(table_name).columns
               if c.required and c.name not in header and c.name not in FILLED_FROM_SOURCE]
    if missing:
        issues.append(Issue(str(file), 1, None, None, f"has no column {', '.join(missing)}",
                            f"Add the column(s) to the header; `magchain schema {table_name}` lists them"))
        return
    rows, origins = [], []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                issues.append(
                    Issue(
                        str(file), line, None, None,
                        f"has {len(cells)} fields where the header has {len(header)}",
                        "Quote fields that contain commas; check for a truncated line",
                    )
                )
                continue
            rows.append(dict(zip(header, (unguard_cell(c) for c in cells))))
            origins.append(Origin(str(file), line))
    except csv.Error as exc:
        issues.append(
            Issue(str(file), reader.line_num, None, None, f"is malformed CSV ({exc})",
                  "Close every quoted field; the file may be truncated")
        )
        return
    yield table_name, rows, origins


def _read_json(file: Path, issues: list[Issue]):
    text = _decode(file, issues)
    if text is None:
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        issues.append(
            Issue(str(file), exc.lineno, None, None, f"is not valid JSON ({exc.msg}, column {exc.colno})",
                  "Check brackets and commas; the file may be truncated")
        )
        return
    if isinstance(data, list):
        header = sorted({k for row in data if isinstance(row, dict) for k in row})
        table_name = table_for(file, header)
        if table_name is None:
            _unknown_table(file, issues)
            return
        groups = {table_name: data}
    elif isinstance(data, dict):
        groups = data
    else:
        issues.append(Issue(str(file), None, None, None, "holds neither an array nor an object of tables"))
        return
    for table_name, rows in groups.items():
        if table_name not in TABLE_ORDER:
            issues.append(_unknown_key(file, table_name))
            continue
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            issues.append(Issue(str(file), None, table_name, None, "must be an array of objects"))
            continue
        yield table_name, rows, [Origin(str(file), i + 1) for i in range(len(rows))]


def _unknown_key(file: Path, key: str) -> Issue:
    hint = difflib.get_close_matches(key, TABLE_ORDER, n=1)
    fix = f"Did you mean '{hint[0]}'?" if hint else f"Tables are: {', '.join(TABLE_ORDER)}"
    return Issue(str(file), None, None, key, "is not a registry table", fix)


def _read_xlsx(file: Path, issues: list[Issue]):
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        issues.append(Issue(str(file), None, None, None, f"is not a valid XLSX workbook ({exc})",
                            "Save it again from Excel or LibreOffice as .xlsx"))
        return
    for sheet in workbook.worksheets:
        values = sheet.iter_rows(values_only=True)
        header = next(values, None)
        if header is None:
            continue
        header = [str(h).strip() if h is not None else "" for h in header]
        table_name = sheet.title if sheet.title in TABLE_ORDER else table_for(Path(sheet.title), header)
        if table_name is None:
            issues.append(_unknown_key(file, sheet.title))
            continue
        rows, origins = [], []
        for number, cells in enumerate(values, start=2):
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            rows.append({h: c for h, c in zip(header, cells) if h})
            origins.append(Origin(f"{file} [{sheet.title}]", number))
        yield table_name, rows, origins
    workbook.close()


def _read_parquet(file: Path, issues: list[Issue]):
    import pyarrow
    import pyarrow.parquet as pq

    try:
        frame = pq.read_table(file)
    except (pyarrow.ArrowInvalid, OSError) as exc:
        issues.append(Issue(str(file), None, None, None, f"is not a valid Parquet file ({exc})"))
        return
    rows = frame.to_pylist()
    table_name = table_for(file, frame.column_names)
    if table_name is None:
        _unknown_table(file, issues)
        return
    yield table_name, rows, [Origin(str(file), i + 1) for i in range(len(rows))]


def _coerce_rows(bundle: Bundle, table_name: str, rows, origins, issues: list[Issue]) -> None:
    spec = table(table_name)
    known = set(spec.column_names)
    reported_columns: set[str] = set()
    for raw, origin in zip(rows, origins):
        for column in raw:
            if column not in known and column not in reported_columns:
                reported_columns.add(column)
                hint = difflib.get_close_matches(column, spec.column_names, n=1)
                fix = f"Did you mean '{hint[0]}'?" if hint else "Remove it or see `magchain schema`"
                issues.append(
                    Issue(origin.file, None, column, None, f"is not a column of table '{table_name}'", fix)
                )
        record = {}
        for col in spec.columns:
            try:
                record[col.name] = coerce(col, raw.get(col.name))
            except BadValue as bad:
                issues.append(Issue(origin.file, origin.row, col.name, raw.get(col.name), bad.problem, bad.fix))
        bundle.add(table_name, record, origin)
