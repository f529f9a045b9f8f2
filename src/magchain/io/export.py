"""Write a Bundle to a folder as CSV, XLSX, JSON or Parquet, in the documented schema.

Reading the folder back with ``read_path`` gives the same records: numbers are written at
full precision and empty cells mean unknown.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from magchain.bundle import Bundle
from magchain.errors import Conflict, InvalidInput
from magchain.io.files import guard_cell
from magchain.tables import TABLE_ORDER, table

FORMATS = ("csv", "xlsx", "parquet", "json")


def export_bundle(bundle: Bundle, folder: str | Path, fmt: str = "csv", replace: bool = False) -> list[Path]:
    """Write every table of ``bundle`` into ``folder``, which must be empty unless ``replace``: then
    the tables written there before, in any format, are removed first so formats never mix."""
    if fmt not in FORMATS:
        raise InvalidInput(f"Unknown export format '{fmt}'. Use one of: {', '.join(FORMATS)}")
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder} is a file; give a folder to export into")
    if folder.is_dir() and any(folder.iterdir()):
        if not replace:
            raise Conflict(f"{folder} is not empty. Export into an empty folder, or pass --replace to replace "
                           "the tables exported there before.")
        for old in folder.iterdir():
            if old.is_file() and (old.stem in TABLE_ORDER or old.name == "magchain.xlsx"):
                old.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        return [_write_xlsx(bundle, folder / "magchain.xlsx")]
    writer = {"csv": _write_csv, "json": _write_json, "parquet": _write_parquet}[fmt]
    return [writer(name, bundle.records[name], folder / f"{name}.{fmt}") for name in TABLE_ORDER]


def _write_csv(name: str, records: list[dict], path: Path) -> Path:
    columns = table(name).column_names
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for record in records:
            writer.writerow(["" if record.get(c) is None else guard_cell(record.get(c)) for c in columns])
    return path


def _write_json(name: str, records: list[dict], path: Path) -> Path:
    columns = table(name).column_names
    rows = [{c: record.get(c) for c in columns} for record in records]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def _arrow_type(column_type: str):
    import pyarrow as pa

    return {"int": pa.int64(), "float": pa.float64()}.get(column_type, pa.string())


def _write_parquet(name: str, records: list[dict], path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    spec = table(name)
    schema = pa.schema([(c.name, _arrow_type(c.type)) for c in spec.columns])
    columns = {c.name: [record.get(c.name) for record in records] for c in spec.columns}
    pq.write_table(pa.table(columns, schema=schema), path)
    return path


def _write_xlsx(bundle: Bundle, path: Path) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name in TABLE_ORDER:
        sheet = workbook.create_sheet(name)
        columns = table(name).column_names
        sheet.append(list(columns))
        for row_number, record in enumerate(bundle.records[name], start=2):
            for col_number, column in enumerate(columns, start=1):
                value = record.get(column)
                if value is None:
                    continue
                if isinstance(value, float) and float(f"{value:.15g}") != value:
                    value = repr(value)  # Excel keeps 15 digits; text keeps every one
                cell = sheet.cell(row=row_number, column=col_number, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text beginning with '=' stays text, not a formula
    workbook.save(path)
    return path
