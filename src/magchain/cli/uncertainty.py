"""``magchain uncertainty``: a thin shell over magchain.uncertainty."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from magchain.cli.output import Format, console, emit, emit_object
from magchain.errors import InvalidInput
from magchain.outlook import Chain
from magchain.outlook.project import parse_years

OUTLOOK_DRAWS, SCENARIO_DRAWS = 10_000, 200
COLUMNS = ["stage", "p_self_sufficient", "p_weak_link", "capacity_p5", "capacity_p50", "capacity_p95",
           "gap_p50", "gap_p95"]


def register(app: typer.Typer, handle_errors, store, as_of_option) -> None:
    @app.command()
    @handle_errors
    def uncertainty(
        region: str = typer.Option("US", help="ISO code, a bloc from regions.csv, or WORLD."),
        years: str = typer.Option("2024:2035", help="First:last year, inclusive."),
        year: int | None = typer.Option(None, help="The question's year, shown first and used by --sobol "
                                                   "(default: 2028 when in range, else the first year)."),
        draws: int | None = typer.Option(None, help="Number of Monte Carlo draws (default 10,000; 200 with "
                                                    "--scenario, where each draw solves the allocation)."),
        seed: int = typer.Option(1, help="Seed: the same seed gives the same numbers on every scheduler."),
        scenario: str | None = typer.Option(None, help="Run a scenario over the draws instead of the outlook."),
        sobol: bool = typer.Option(False, "--sobol", help="Rank the inputs by Sobol indices of the question's "
                                                          "answer (magnet self-sufficiency in --year)."),
        sobol_samples: int = typer.Option(512, help="Sobol base samples (a power of two; runs = samples x (groups+2))."),
        scheduler: str = typer.Option("local", help="Where draws run: local, processes:N, dask (a local cluster), "
                                                    "dask:N or tcp://HOST:PORT (a Dask scheduler)."),
        demand: str = typer.Option("base", help="Demand preset at the mode of the growth distribution."),
        inputs: str | None = typer.Option(None, help="Folder of registry CSVs (and optional outlook tables) for a what-if."),
        as_of: str | None = as_of_option,
        out: str | None = typer.Option(None, help="Also write every draw to FILE.parquet or FILE.nc."),
        plot: str | None = typer.Option(None, help="Also draw the fan chart to FILE.html."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """How sure: P(own capacity meets own demand) per stage and year, P(weak link), P5/P50/P95.

        Example: magchain uncertainty --region US --years 2024:2035 --draws 10000 --seed 1 --plot fan.html

        Also: --sobol --year 2028 ranks the inputs that move the answer; --scheduler processes:2, dask or
        tcp://HOST:PORT spreads the draws (same seed, same numbers); --scenario china-export-controls-2025
        --draws 200 gives the distribution of shortfall and time-to-survive.
        """
        # Imported here: SALib, plotly and Dask would add a second to every other command's start.
        from magchain.uncertainty import uncertainty as run_uncertainty
        from magchain.uncertainty.plot import draw
        from magchain.uncertainty.scenario import scenario_uncertainty

        if out and Path(out).suffix.lower() not in (".parquet", ".nc"):
            raise InvalidInput(f"{out}: --out writes FILE.parquet or FILE.nc.")
        if scenario and (plot or sobol):
            raise InvalidInput("--plot and --sobol are for the outlook; a scenario over draws gives its "
                               "distributions as a table (and every draw with --out).")
        span = [int(y) for y in parse_years(years)]
        if year is not None and year not in span:
            raise InvalidInput(f"--year {year} is outside --years {years}; choose a year within them.")
        asked = year if year is not None else (2028 if 2028 in span else span[0])
        chain = Chain.from_folder(inputs, as_of) if inputs else Chain.from_store(store(), as_of)
        with _progress(as_json) as report:
            if scenario:
                count = SCENARIO_DRAWS if draws is None else draws
                result = scenario_uncertainty(chain, scenario, count, seed, scheduler, progress=report)
            else:
                count = OUTLOOK_DRAWS if draws is None else draws
                result = run_uncertainty(chain, region, years, count, seed, scheduler, demand, keep_draws=bool(out),
                                         sobol_year=asked if sobol else None, sobol_samples=sobol_samples,
                                         progress=report)
        if scenario:
            if out:
                _write_scenario_draws(result, Path(out))
            _show_scenario(result, as_json)
            return
        if out:
            _write_draws(result, Path(out))
        if plot:
            draw(result, plot)
        if emit_object(result.to_dict(), as_json):
            return
        _show(result, asked)


class _progress:
    """A progress bar over chunks of draws (none with --json)."""

    def __init__(self, quiet: bool):
        self.bar = None if quiet else Progress(TextColumn("Draws"), BarColumn(), MofNCompleteColumn(),
                                               TextColumn("chunks"), TimeRemainingColumn(), console=console,
                                               transient=True)
        self.task = None

    def __enter__(self):
        if self.bar is None:
            return None
        self.bar.__enter__()
        return self.update

    def update(self, done: int, total: int) -> None:
        if self.task is None:
            self.task = self.bar.add_task("draws", total=total)
        self.bar.update(self.task, completed=done, total=total)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _show(result, year: int) -> None:
    table = result.table()
    rows = table[table["year"] == year].to_dict(orient="records")
    emit(rows, Format.table, COLUMNS, title=f"{result.region} {year}: {result.draws:,} draws (t magnet-equivalent; "
                                   "P = probability)")
    magnet = next(r for r in rows if r["stage"] == "magnet")
    if magnet["demand_p50"] is None:
        console.print(f"{year}: {result.region} has no sourced demand figure, so no self-sufficiency or weak "
                      "link is stated; the capacity bands above stand alone.", highlight=False)
    else:
        weak = max(rows, key=lambda r: r["p_weak_link"])
        p = magnet["p_self_sufficient"]
        console.print(f"{year}: P({result.region} magnet capacity meets its demand) = "
                      + ("unknown" if p is None else f"{p:.0%}")
                      + f"; the weak link is most likely {weak['stage']} ({weak['p_weak_link']:.0%} of draws); "
                      f"demand P5-P95 {magnet['demand_p5']:,.0f}-{magnet['demand_p95']:,.0f} t.", highlight=False)
    if result.sobol is not None:
        emit(result.sobol.head(10).round(3).to_dict(orient="records"), None,
             ["input", "S1", "S1_conf", "ST", "ST_conf"], title=f"What moves {result.region} magnet "
                                                                 f"self-sufficiency in {year} (Sobol indices)")


def _write_draws(result, path: Path) -> None:
    values = result.values.assign_coords(stage=result.values["stage"].astype(str))
    if path.suffix.lower() == ".nc":
        values.assign(weak_link=values["weak_link"].astype("int8")).to_netcdf(path, engine="scipy")
    else:
        values.to_dataframe().reset_index().to_parquet(path, index=False)


def _write_scenario_draws(result, path: Path) -> None:
    if path.suffix.lower() == ".nc":
        frame = result.per_draw.assign(tts_censored=result.per_draw["tts_censored"].astype("int8"))
        frame.set_index(["draw", "region"]).to_xarray().to_netcdf(path, engine="scipy")
    else:
        result.per_draw.to_parquet(path, index=False)


def _show_scenario(result, as_json: bool) -> None:
    if emit_object(result.to_dict(), as_json):
        return
    emit(result.table().to_dict(orient="records"), Format.table, result.COLUMNS,
         title=f"{result.scenario}: {result.draws} draws (shortfall beyond the baseline, t; TTS, months)")
