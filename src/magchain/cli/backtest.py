"""``magchain backtest``: a thin shell over magchain.history.backtest."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer

from magchain.cli.output import Format, console, emit, errors
from magchain.outlook import Chain

COLUMNS = ["series", "period", "window", "model", "observed", "error"]
SCORE_COLUMNS = ["series", "months", "max_abs_error", "mean_abs_error", "tolerance", "passes", "detail"]


def register(app: typer.Typer, handle_errors, store) -> None:
    @app.command()
    @handle_errors
    def backtest(
        episode: str | None = typer.Argument(None, help="An episode of data/history/episodes.yaml (default: all)."),
        plot: Path | None = typer.Option(None, "--plot", help="Write model against observed as one HTML file."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ):
        """Run shipped episodes against observed history; exit 1 if a series misses its tolerance.

        Parameters are fitted on each episode's calibration months only; the errors that count are
        those of the months after them.

        Example: magchain backtest export-licensing-2025 --plot backtest.html
        """
        import json

        from magchain.history import backtest as history

        chain = Chain.from_store(store())
        chosen = [history.find(episode)] if episode else history.episodes()
        results = [history.backtest(chain, e) for e in chosen]
        if as_json:
            print(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2, default=str))
        else:
            for result in results:
                _print(result)
        if plot:
            history.plot(results, plot)
            if not as_json:
                console.print(f"Wrote {plot}")
        missed = [f"{r.episode.name}: {s['series']}" for r in results for s in r.scores().to_dict("records")
                  if s["passes"] is False]
        if missed:
            errors.print("Beyond tolerance: " + "; ".join(missed))
            raise typer.Exit(1)


def _print(result) -> None:
    episode = result.episode
    what = f"scenario {episode.scenario}" if episode.kind == "trade" else f"{episode.element} on {episode.basis}"
    console.print(f"[bold]{episode.name}[/bold]: {episode.title} ({what}; fitted on "
                  f"{episode.calibration.start}..{episode.calibration.end}, predicting what follows)", highlight=False)
    if result.fitted:
        console.print("Fitted: " + ", ".join(f"{k} = {v:,.3f}" for k, v in result.fitted.items()), highlight=False)
    if result.unidentified:
        console.print(f"Not identified separately by the calibration window (other values fit it as well): "
                      f"{', '.join(result.unidentified)}", highlight=False)
    table = result.table.assign(model=result.table["model"].round(0), observed=result.table["observed"].round(0),
                                error=result.table["error"].map(lambda e: "unknown" if pd.isna(e) else f"{e:+.0%}"))
    emit(table[COLUMNS].astype(object).where(table[COLUMNS].notna(), "unknown").to_dict("records"), Format.table,
         COLUMNS, title="Model against observed")
    scores = result.scores().astype(object)
    scores["passes"] = scores["passes"].map({True: "yes", False: "NO"})
    emit(scores.where(scores.notna(), "none").to_dict("records"), Format.table, SCORE_COLUMNS,
         title="Out-of-sample errors and checks")
