"""Backtests: run a shipped episode's scenario and hold its flows to the observed series.

An episode (``data/history/episodes.yaml``) names a scenario, the calibration months its
parameters were fitted on, the months it predicts, and the observed series with the tolerance
each declares. Errors are model / observed - 1, month by month; a month without an observed
figure is shown as unknown, never as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from magchain.errors import InvalidInput, MagchainError
from magchain.history.observed import trade_series
from magchain.scenario import library
from magchain.scenario.network import month_index
from magchain.scenario.run import ScenarioResult, run
from magchain.scenario.spec import Period

EPISODES = resources.files("magchain") / "data" / "history" / "episodes.yaml"


class Window(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: Period
    end: Period

    def months(self) -> list[str]:
        first, last = month_index(self.start), month_index(self.end, end=True)
        return [f"{m // 12}-{m % 12 + 1:02d}" for m in range(first, last + 1)]


class Series(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str
    exporter: str
    destination: str | None = None
    tolerance: float | None = None


class Episode(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    title: str
    scenario: str
    calibration: Window
    predict: Window
    series: list[Series]


def episodes() -> list[Episode]:
    try:
        return [Episode.model_validate(item) for item in yaml.safe_load(EPISODES.read_text(encoding="utf-8"))]
    except (ValidationError, yaml.YAMLError) as error:
        raise MagchainError(f"{EPISODES}: the shipped episodes are not valid ({error}).") from None


def find(name: str) -> Episode:
    for episode in episodes():
        if episode.name == name:
            return episode
    raise InvalidInput(f"No backtest episode '{name}'; shipped: {', '.join(e.name for e in episodes())}.")


@dataclass
class Backtest:
    episode: Episode
    table: pd.DataFrame  # series, period, window, model_t, observed_t, error, sources
    fitted: dict[str, float]

    def scores(self) -> pd.DataFrame:
        """Per series: the largest and mean absolute error over predicted months, against its tolerance."""
        rows = []
        for series in self.episode.series:
            predicted = self.table[(self.table["series"] == series.label) & (self.table["window"] == "predict")]
            errors = predicted["error"].dropna().abs()
            worst = float(errors.max()) if len(errors) else None
            rows.append({"series": series.label, "months": len(errors), "max_abs_error": worst,
                         "mean_abs_error": float(errors.mean()) if len(errors) else None,
                         "tolerance": series.tolerance,
                         "passes": None if series.tolerance is None or worst is None else worst <= series.tolerance})
        return pd.DataFrame(rows)

    def passed(self) -> bool:
        return all(p is not False for p in self.scores()["passes"])

    def to_json(self) -> dict:
        table = self.table.astype(object).where(self.table.notna(), None)
        scores = self.scores().astype(object)
        return {"episode": self.episode.name, "title": self.episode.title, "scenario": self.episode.scenario,
                "calibration": self.episode.calibration.model_dump(), "predict": self.episode.predict.model_dump(),
                "fitted": self.fitted, "scores": scores.where(scores.notna(), None).to_dict(orient="records"),
                "months": table.to_dict(orient="records"), "passed": self.passed()}


def backtest(chain, episode: Episode) -> Backtest:
    result = run(chain, library.find(episode.scenario))
    windows = {**{m: "calibration" for m in episode.calibration.months()},
               **{m: "predict" for m in episode.predict.months()}}
    frames = [_compare(chain, result, series, windows) for series in episode.series]
    return Backtest(episode, pd.concat(frames, ignore_index=True), result.fitted)


def _compare(chain, result: ScenarioResult, series: Series, windows: dict[str, str]) -> pd.DataFrame:
    flows = result.flows()
    exporter = series.exporter.upper()
    rows = flows[(flows["stage"] == "magnet") & (flows["origin"] == exporter) & (flows["destination"] != exporter)]
    if series.destination:
        rows = rows[rows["destination"] == series.destination.upper()]
    model = rows.groupby("period")["tonnes"].sum()
    observed = trade_series(chain, exporter, series.destination).set_index("period")
    months = list(windows)
    frame = pd.DataFrame({"series": series.label, "period": months, "window": [windows[m] for m in months],
                          "model_t": [float(model.get(m, 0.0)) for m in months],
                          "observed_t": observed["tonnes"].reindex(months).to_numpy(),
                          "sources": observed["sources"].reindex(months).to_numpy()})
    frame["error"] = frame["model_t"] / frame["observed_t"] - 1
    return frame


def plot(results: list[Backtest], path: str | Path) -> Path:
    """Model against observed, one panel per series, the calibration months shaded; one HTML file
    with Plotly's script embedded."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    path = Path(path)
    if path.suffix.lower() != ".html":
        raise InvalidInput(f"{path}: the backtest plot is written as HTML; name the file FILE.html.")
    panels = [(r, s) for r in results for s in r.episode.series]
    chart = make_subplots(rows=len(panels), cols=1, vertical_spacing=0.06,
                          subplot_titles=[f"{r.episode.name}: {s.label} (t/month)" for r, s in panels])
    for row, (result, series) in enumerate(panels, start=1):
        frame = result.table[result.table["series"] == series.label]
        chart.add_trace(go.Scatter(x=frame["period"], y=frame["observed_t"], name="observed", mode="markers+lines",
                                   line={"color": "#444444"}, showlegend=row == 1), row=row, col=1)
        chart.add_trace(go.Scatter(x=frame["period"], y=frame["model_t"], name="model", mode="markers+lines",
                                   line={"color": "#d62728"}, showlegend=row == 1), row=row, col=1)
        calibration = frame[frame["window"] == "calibration"]["period"]
        if len(calibration):
            chart.add_vrect(x0=calibration.iloc[0], x1=calibration.iloc[-1], fillcolor="#1f77b4", opacity=0.1,
                            line_width=0, annotation_text="fitted", row=row, col=1)
        chart.update_yaxes(rangemode="tozero", row=row, col=1)
    chart.update_layout(template="plotly_white", height=300 * len(panels), title="Backtests: model against observed")
    chart.write_html(path, include_plotlyjs=True, full_html=True)
    return path
