"""The assessment as a workbook: one formatted sheet per section, a chart of capacity against
demand, and a Sources sheet the other sheets' "sources" columns point into."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from magchain.report.assess import Assessment, Figure, ranges

HEADER = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="34495E")
WEAK_FILL = PatternFill("solid", fgColor="FDE4DC")
FORMATS = {"t": "#,##0", "share": "0%", "months": "0.0", "USD": '"US$"#,##0'}


def workbook(report: Assessment) -> Workbook:
    book = Workbook()
    _summary(book.active, report)
    _outlook(book.create_sheet("Outlook"), report)
    _rows(book.create_sheet("Weak links"), ["year", "weak stage", "short by (t magnet-eq)"],
          [[w["year"], w["stage"], w["gap"]] for w in report.weak_links])
    _rows(book.create_sheet("Suppliers"), ["supplier", "kind", "time-to-survive (months)", "time-to-recover (months)",
                                           "needs mitigation"],
          [[p["name"], p["kind"], p["tts"], p["ttr"], "yes" if p["needs_mitigation"] else "no"] for p in report.plants])
    _rows(book.create_sheet("Export controls"), ["scenario", "months", "short beyond baseline (t)", "share of demand",
                                                 "baseline short (t)", "time-to-survive (months)", "price floor cost"],
          [[e["title"], e["period"], e["extra"], e["share"], e["baseline"], e["tts"], e.get("fiscal")]
           for e in report.exposure])
    _rows(book.create_sheet("Prices"), ["oxide", "basis", "period", "statistic", "price", "unit"],
          [[p["element"], p["basis"], p["period"], p["statistic"], p["price"], p["price"].unit] for p in report.prices])
    _rows(book.create_sheet("Changes"), ["date", "what", "amount", "state"],
          [[c["date"], c["what"], c["amount"], c["review"]] for c in report.changes])
    _sources(book.create_sheet("Sources"), report)
    return book


def _head(sheet, names: list[str], row: int = 1) -> None:
    for column, name in enumerate(names, start=1):
        cell = sheet.cell(row=row, column=column, value=name)
        cell.font, cell.fill = HEADER, HEADER_FILL
    sheet.freeze_panes = sheet.cell(row=row + 1, column=1)


def _put(sheet, row: int, column: int, value) -> set[int]:
    """Write a value; a Figure as its number (formatted) or, when unknown, the word; return its sources."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, Figure):
        cell.value = value.value if value.value is not None else value.text
        if value.value is not None and value.unit in FORMATS:
            cell.number_format = FORMATS[value.unit]
        cell.alignment = Alignment(horizontal="right")
        return set(value.refs)
    cell.value = value
    return set()


def _rows(sheet, names: list[str], rows: list[list]) -> None:
    _head(sheet, names + ["sources"])
    for r, values in enumerate(rows, start=2):
        refs = set()
        for c, value in enumerate(values, start=1):
            refs |= _put(sheet, r, c, value)
        sheet.cell(row=r, column=len(names) + 1, value=_cite(refs))
    if not rows:
        sheet.cell(row=2, column=1, value="none")
    _widths(sheet)


def _cite(refs) -> str:
    return " ".join(f"[{label}]" for _, label in ranges(refs))


def _summary(sheet, report: Assessment) -> None:
    sheet.title = "Summary"
    sheet["A1"] = f"The health of the {report.region} NdFeB magnet industrial base"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = f"As known on {report.as_of}; changes since {report.since}. Bracketed numbers: the Sources sheet."
    for row, sentence in enumerate(report.answer, start=4):
        sheet.cell(row=row, column=1, value="".join(
            f"{p.text} {_cite(p.refs)}" if isinstance(p, Figure) else str(p) for p in sentence))
    start = 5 + len(report.answer)
    sheet.cell(row=start, column=1, value="Caveats").font = Font(bold=True)
    for row, note in enumerate(report.caveats, start=start + 1):
        sheet.cell(row=row, column=1, value=note)
    sheet.column_dimensions["A"].width = 140


def _outlook(sheet, report: Assessment) -> None:
    """Stage by year, then the full series and a line chart of it."""
    _head(sheet, ["stage", "quantity", *map(str, report.years), "sources"])
    row = 2
    labels = (("capacity", "capacity (t)"), ("share", "self-sufficiency"), ("probability", "chance self-sufficient"))
    for stage in report.stages:
        for key, label in labels + (("demand", "own demand (t)"),):
            sheet.cell(row=row, column=1, value=stage["stage"])
            sheet.cell(row=row, column=2, value=label)
            refs = set()
            for c, year in enumerate(report.years, start=3):
                refs |= _put(sheet, row, c, stage["cells"][year][key])
                if key == "share" and stage["cells"][year]["weak"]:
                    sheet.cell(row=row, column=c).fill = WEAK_FILL
            sheet.cell(row=row, column=3 + len(report.years), value=_cite(refs))
            row += 1
    _series(sheet, report, row + 2)
    _widths(sheet)


def _series(sheet, report: Assessment, top: int) -> None:
    series = report.series
    stages = [s for s, values in series["capacity"].items() if any(v is not None for v in values)]
    sheet.cell(row=top, column=1, value="year").font = Font(bold=True)
    for c, name in enumerate(["demand", *stages], start=2):
        sheet.cell(row=top, column=c, value=f"{name} (t magnet-eq)").font = Font(bold=True)
    for r, year in enumerate(series["years"], start=top + 1):
        sheet.cell(row=r, column=1, value=year)
        for c, values in enumerate([series["demand"], *(series["capacity"][s] for s in stages)], start=2):
            cell = sheet.cell(row=r, column=c, value=values[r - top - 1])
            cell.number_format = FORMATS["t"]
    chart = LineChart()
    chart.title = f"{report.region}: own capacity by stage against own demand"
    chart.y_axis.title = "t magnet-equivalent a year"
    chart.x_axis.title = "year"
    bottom = top + len(series["years"])
    chart.add_data(Reference(sheet, min_col=2, max_col=2 + len(stages), min_row=top, max_row=bottom), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=top + 1, max_row=bottom))
    chart.width, chart.height = 24, 11
    sheet.add_chart(chart, f"{get_column_letter(len(stages) + 4)}{top}")


def _sources(sheet, report: Assessment) -> None:
    _head(sheet, ["number", "title", "publisher", "date", "url", "id", "cited for"])
    for r, entry in enumerate(report.bibliography.entries, start=2):
        for c, value in enumerate([r - 1, entry["title"] or entry["id"], entry["publisher"], entry["date"], entry["url"],
                                   entry["id"], " | ".join(entry["evidence"])], start=1):
            sheet.cell(row=r, column=c, value=value)
    _widths(sheet, cap=70)


def _widths(sheet, cap: int = 50) -> None:
    for column in sheet.columns:
        longest = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        sheet.column_dimensions[column[0].column_letter].width = min(cap, max(10, longest + 2))
