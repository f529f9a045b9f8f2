"""``magchain scenario list|run|compare`` and ``magchain resilience``: shells over magchain.scenario."""

from __future__ import annotations

import json

import typer
from rich.progress import track

from magchain.cli.output import Format, console, emit
from magchain.numbers import money, months
from magchain.prices import scenario as market_prices
from magchain.scenario import library
from magchain.scenario.plot import draw_shortfall
from magchain.service import Service

COMPARE_COLUMNS = ["scenario", "largest_shortfall_region", "largest_shortfall_pct", "tonnes_short",
                   "months_of_cover", "shortest_tts", "fiscal_exposure_usd"]
RESILIENCE_COLUMNS = ["node", "kind", "tts_months", "ttr_months", "margin_months", "needs_mitigation"]


def register(app: typer.Typer, handle_errors, store, as_of_option) -> None:
    scenario_app = typer.Typer(help="Disruption scenarios: export controls, outages, delays, stockpiles, policy.\n\n"
                                    "Example: magchain scenario run china-export-controls-2025", no_args_is_help=True)
    app.add_typer(scenario_app, name="scenario")

    @scenario_app.command("list")
    @handle_errors
    def list_scenarios(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
        """The scenarios shipped with magchain.

        Example: magchain scenario list
        """
        rows = [{"name": s.name, "title": s.title, "events": len(s.events),
                 "periods": f"{s.base.start}..{s.base.end} ({s.base.periods})"} for s in library.scenarios()]
        emit(rows, Format.json if as_json else Format.table, ["name", "title", "events", "periods"],
             title="Shipped scenarios")

    @scenario_app.command("run")
    @handle_errors
    def run(
        scenario: str = typer.Argument(..., help="A shipped scenario's name or a YAML file."),
        as_of: str | None = as_of_option,
        plot: str | None = typer.Option(None, help="Draw shortfall by region over time to FILE.html/.svg/.png."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        """Run a scenario: shortfall by region, sector and period, time-to-survive, fiscal exposure.

        Example: magchain scenario run china-export-controls-2025 --json
        """
        result = Service(store=store()).scenario(scenario, as_of)
        if plot:
            path = draw_shortfall(result, plot)
        if as_json:
            print(json.dumps(result.to_json(), ensure_ascii=False, indent=2, default=float))
            return
        _print_run(result)
        if plot:
            console.print(f"Chart written to {path}")

    @scenario_app.command("compare")
    @handle_errors
    def compare(
        scenarios: list[str] = typer.Argument(None, help="Names or files; default: every shipped scenario."),
        as_of: str | None = as_of_option,
        as_json: bool = typer.Option(False, "--json", help="Print JSON rows."),
    ) -> None:
        """One row per scenario: shortfall beyond the no-event baseline, months of cover, TTS, fiscal exposure.

        Example: magchain scenario compare baseline china-magnet-export-ban-12m
        """
        progress = None if as_json else lambda specs: track(specs, description="Running")
        rows = Service(store=store()).compare(scenarios or None, as_of, progress)
        if as_json:
            print(json.dumps(rows, ensure_ascii=False, indent=2, default=float))
            return
        for row in rows:
            region = row["shortest_tts_region"]
            row["shortest_tts"] = f"{region} {months(row['shortest_tts_months'])}" if region else "never short"
        emit(rows, Format.table, COMPARE_COLUMNS, title="Scenarios, worst first")

    @app.command("resilience")
    @handle_errors
    def resilience(
        region: str = typer.Option("US", help="The region whose time-to-survive is measured."),
        scenario: str = typer.Option("baseline", help="The scenario whose base the knock-outs start from."),
        as_of: str | None = as_of_option,
        as_json: bool = typer.Option(False, "--json", help="Print JSON rows."),
    ) -> None:
        """Knock out each facility and each exporting region; rank by time-to-survive minus time-to-recover.

        Example: magchain resilience --region US
        """
        progress = None if as_json else lambda nodes: track(nodes, description="Knocking out")
        table = Service(store=store()).resilience(region, scenario, as_of, progress)
        rows = table.round(2).to_dict(orient="records")
        if as_json:
            print(json.dumps(rows, ensure_ascii=False, indent=2, default=float))
            return
        for row in rows:  # a knock-out the region outlasts to the end of the run is never short
            if row["tts_censored"]:
                row["margin_months"] = f"at least {row['margin_months']:g}"
            row["tts_months"] = months(row["tts_months"], row.pop("tts_censored"))
        emit(rows, Format.table, RESILIENCE_COLUMNS, title=f"{region.upper()}: nodes by TTS - TTR (months)")
        urgent = [r["node"] for r in rows if r["needs_mitigation"]]
        console.print(f"{len(urgent)} node(s) with TTS shorter than TTR: {', '.join(urgent) or 'none'}.")


def _print_embedded(result) -> None:
    """Magnets inside products sold in a region: met through its makers and imported goods."""
    if result.embedded.empty:
        return
    columns = ["embedded_t", "own_makers_t", "imported_t", "supplied_t", "shortfall_t"]
    by_region = result.embedded.groupby("region")[columns].sum()
    by_region["extra_short_t"] = by_region["shortfall_t"] - result.baseline_embedded.groupby("region")["shortfall_t"].sum()
    emit(by_region.reset_index().round(1).to_dict(orient="records"), Format.table, ["region", *columns, "extra_short_t"],
         title="Embedded demand: magnets in products sold there, imported goods included (t)")


def _print_prices(result) -> None:
    """Each price's reference and its furthest move, when any price moves."""
    furthest = market_prices.peaks(result.prices)
    if furthest.empty or (furthest["index"] - 1).abs().max() < 0.005:
        return
    emit(furthest.round({"reference": 2, "price": 2}).astype(object).where(furthest.notna(), "unknown")
         .to_dict(orient="records"), Format.table, list(furthest.columns),
         title="Prices: China (CN) and outside it (ex-CN), at their furthest from the reference")


def _print_run(result) -> None:
    summary = result.summary()
    console.print(f"[bold]{result.scenario.name}[/bold]: {result.scenario.title}")
    horizon = len(result.network.periods) * result.network.periods[0].share_of_year * 12
    rows = result.totals().to_dict(orient="records")
    for row in rows:
        row["time_to_survive"] = months(row.pop("tts_months"), row.pop("never_short"), horizon)
    emit(rows, Format.table, ["region", "demand_t", "supplied_t", "extra_t", "extra_share", "baseline_shortfall_t",
                              "time_to_survive"],
         title="Shortfall beyond the baseline, the baseline's own beside it (whole run, magnet-equivalent t)")
    _print_embedded(result)
    _print_prices(result)
    if summary["fiscal_exposure_usd"]:
        console.print(f"Fiscal exposure of price floors: {money(summary['fiscal_exposure_usd'])}")
    if summary["makers_output_lost_t"] > 0.5:
        console.print(f"Magnet makers make {summary['makers_output_lost_t']:,.0f} t less than in the baseline "
                      "over the run (others may serve their users).")
    for note in result.notes:
        console.print(note, style="dim")
