"""``magchain outlook`` and ``magchain explain``: thin shells over magchain.outlook."""

from __future__ import annotations

import json

import typer

from magchain import calibrate as calibration
from magchain.cli.output import console, emit, errors, pick_format
from magchain.numbers import percent
from magchain.outlook import Chain
from magchain.outlook import explain as explain_number
from magchain.outlook import outlook as run_outlook
from magchain.outlook.plot import draw
from magchain.outlook.project import parse_years
from magchain.vocab import STAGES

OUTLOOK_COLUMNS = ["year", "stage", "material", "capacity_t", "capacity_magnet_eq_t", "production_t",
                   "demand_magnet_eq_t", "demand_embedded_magnet_eq_t", "self_sufficiency", "weak_link"]
JSON_KEYS = ["region", "year", "stage", "capacity_t", "capacity_magnet_eq_t", "production_t", "demand_magnet_eq_t",
             "demand_embedded_magnet_eq_t", "self_sufficiency", "import_reliance", "weak_link", "material", "gap_t",
             "capacity_known", "unsized_plants", "uncovered_countries"]
CHECK_COLUMNS = ["check", "region", "destination", "year", "model", "observed", "ratio", "tolerance", "bound", "passes"]
COVERAGE_COLUMNS = ["stage", "year", "material", "model_t", "comparator", "published_t", "share", "figure_id"]
YEARS_OF_INTEREST = (2025, 2028, 2030, 2035)


RECYCLING_COLUMNS = ["year", "in_use_stock_t", "eol_outflow_t", "eol_collected_t", "preconsumer_scrap_t",
                     "feed_t", "recycling_capacity_magnet_eq_t", "recycled_supply_t"]


def by_year(rows: list[dict]) -> list[dict]:
    """One row a year: demand, each stage's self-sufficiency as a percentage, and the weak link."""
    years: dict[int, dict] = {}
    for row in rows:
        line = years.setdefault(row["year"], {"year": row["year"], "demand_t": row["demand_magnet_eq_t"],
                                              "weak link": None})
        line[row["stage"]] = percent(row["self_sufficiency"])
        if row["weak_link"]:
            line["weak link"] = row["stage"]
    return list(years.values())


def register(app: typer.Typer, handle_errors, store, as_of_option) -> None:
    @app.command()
    @handle_errors
    def outlook(
        region: str = typer.Option("WORLD", help="ISO code (US, CN, JP), a bloc from regions.csv (EU, ALLIED) or WORLD."),
        years: str = typer.Option("2024:2035", help="First:last year, inclusive."),
        demand: str = typer.Option("base", help="Demand preset: base, high or low."),
        growth: str | None = typer.Option(None, help="Override the preset's growth: '9%/yr' or 'x5@2033'."),
        inputs: str | None = typer.Option(None, help="Folder of registry CSVs (and optional outlook tables) "
                                             "to use instead of the store, for a what-if."),
        as_of: str | None = as_of_option,
        plot: str | None = typer.Option(None, help="Also draw the chart to FILE.html, FILE.svg or FILE.png."),
        detail: bool = typer.Option(False, "--detail", help="Also print every stage and year in tonnes."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON rows."),
        as_csv: bool = typer.Option(False, "--csv", help="Print CSV rows."),
    ) -> None:
        """Capacity against demand by stage and year for a region, with the weak link.

        The answer comes first, then self-sufficiency by stage and year; --detail adds the
        tonnes behind it, --json and --csv give every row.

        Example: magchain outlook --region US --years 2024:2035 --plot us.html
        """
        chain = Chain.from_folder(inputs, as_of) if inputs else Chain.from_store(store(), as_of)
        result = run_outlook(chain, region, years, demand, growth)
        rows = [{k: row[k] for k in JSON_KEYS} for row in result.rows()]
        fmt = pick_format(as_json, as_csv)
        if fmt.value != "table":
            emit(rows, fmt, OUTLOOK_COLUMNS)
        else:
            for year in YEARS_OF_INTEREST:
                if year in result.years:
                    console.print(result.sentence(year), highlight=False)
            emit(by_year(rows), fmt, ["year", "demand_t", *STAGES, "weak link"], drop=["recycling"],
                 title=f"{result.region}: self-sufficiency by stage (own capacity / own demand, '{demand}' demand)")
            if detail:
                emit(rows, fmt, OUTLOOK_COLUMNS, title=f"Outlook for {result.region} (tonnes per year)")
            if detail and result.recycling is not None:
                emit(result.recycling.round(0).to_dict(orient="records"), fmt, RECYCLING_COLUMNS,
                     title="Magnets in use, end of life and recycling (magnet-equivalent tonnes)")
        if plot:
            path = draw(result, plot)
            if fmt.value == "table":
                console.print(f"Chart written to {path}")

    @app.command()
    @handle_errors
    def explain(
        region: str = typer.Option(..., help="ISO code, bloc or WORLD."),
        year: int = typer.Option(..., help="Year of the number."),
        stage: str = typer.Option(..., help="mine, separation, metal, alloy, magnet or recycling."),
        demand: str = typer.Option("base", help="Demand preset: base, high or low."),
        as_of: str | None = as_of_option,
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """The facilities, statistics, factors and demand figures behind one outlook number, with sources.

        Example: magchain explain --region US --year 2028 --stage magnet
        """
        result = explain_number(Chain.from_store(store(), as_of), region, year, stage, demand)
        if as_json:
            print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
            return
        summary = result["summary"]
        console.print(f"[bold]{result['region']} {stage} {year}[/bold]: capacity {summary['capacity_t']:,.0f} t "
                      f"{summary['material']} = {summary['capacity_magnet_eq_t']:,.0f} t magnet-equivalent", highlight=False)
        rows = [{"unit": c["unit"], "record": c["record"], "capacity_t": c["capacity_t"],
                 "capacity_magnet_eq_t": c["capacity_magnet_eq_t"], "sources": c["sources"]} for c in result["contributions"]]
        emit(rows, pick_format(False, False), ["unit", "capacity_t", "capacity_magnet_eq_t", "sources"], title="Counted")
        left = [{"facility": e["facility_id"], "record": e["record_id"], "reason": e["reason"]} for e in result["left_out"]]
        if left:
            emit(left, pick_format(False, False), ["facility", "reason"], title="Left out")
        factors = [{k: f[k] for k in ("factor", "value", "low", "high", "basis", "sources")} for f in result["factors"]]
        emit(factors, pick_format(False, False), ["factor", "value", "low", "high", "basis", "sources"], title="Factors")
        if result["demand"]:
            d = result["demand"]
            console.print(f"Demand ({d['preset']}): {d['base_magnet_t']:,.0f} t in {d['base_year']}, growth {d['growth']} "
                          f"({d['annual_rate']:.1%}/yr); sources: "
                          + "; ".join(s["title"] or s["id"] for s in d["sources"]), highlight=False)

    @app.command()
    @handle_errors
    def calibrate(
        years: str = typer.Option("2020:2025", help="First:last base year, inclusive."),
        coverage: bool = typer.Option(False, "--coverage", help="Show world coverage per stage and year instead."),
        as_of: str | None = as_of_option,
        as_json: bool = typer.Option(False, "--json", help="Print JSON rows."),
        as_csv: bool = typer.Option(False, "--csv", help="Print CSV rows."),
    ) -> None:
        """Set the model's base years against observed production, demand and trade; exit 1 on a miss.

        Each check of calibration.csv gives model, observed, ratio, the tolerance written there and
        its source. With --coverage: per stage and year, the world production the model counts
        against the published world figure (exit 1 when a stage is below 90 %).

        Example: magchain calibrate --years 2020:2025 --json
        """
        chain = Chain.from_store(store(), as_of)
        span = parse_years(years)
        window = (int(span[0]), int(span[-1]))
        fmt = pick_format(as_json, as_csv)
        if coverage:
            frame = calibration.coverage(chain, window)
            emit(_records(frame), fmt, COVERAGE_COLUMNS, title="World coverage by stage (model / published)")
            missed = frame[frame["share"].notna() & (frame["share"] < calibration.COVERAGE_TARGET)]
            _verdict(fmt, missed, len(frame[frame["share"].notna()]), "stage-years below 90 % coverage")
            return
        frame = calibration.checks(chain, window)
        emit(_records(frame), fmt, CHECK_COLUMNS, title="Calibration against observed figures")
        _verdict(fmt, frame[~frame["passes"]] if len(frame) else frame, len(frame), "checks outside their tolerance")


def _records(frame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")


def _verdict(fmt, missed, total: int, what: str) -> None:
    if fmt.value == "table":
        console.print(f"{total - len(missed)} of {total} pass.", highlight=False)
    if len(missed):
        errors.print(f"{len(missed)} {what}: " + ", ".join(
            str(r.get("check") or f"{r['stage']} {r['year']}") for _, r in missed.iterrows()))
        raise typer.Exit(1)
