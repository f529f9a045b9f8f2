"""Backtests: run a shipped episode's scenario and hold its flows to the observed series.

An episode (``data/history/episodes.yaml``) names a scenario, the calibration months its
parameters were fitted on, the months it predicts, and the observed series with the tolerance
each declares. Errors are model / observed - 1, month by month; a month without an observed
figure is shown as unknown, never as zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from magchain.errors import InvalidInput, MagchainError
from magchain.history.observed import months_of, price_series, trade_series
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


class PriceSeries(BaseModel):
    """Observed prices of one element on one basis, against the scenario's modelled price in
    ``market`` scaled to that basis's own reference (never spliced across bases)."""

    model_config = ConfigDict(extra="forbid")
    label: str
    element: str
    basis: str
    market: Literal["CN", "ex-CN"]
    tolerance: float | None = None


class Episode(BaseModel):
    """A trade episode: a shipped scenario's flows against observed monthly exports, and its
    prices against observed prices."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["trade"] = "trade"
    name: str
    title: str
    scenario: str
    calibration: Window
    predict: Window
    series: list[Series]
    prices: list[PriceSeries] = []


class Parameter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: float | Literal["fit"]
    source: str | None = None
    assumption: bool = False


class Check(BaseModel):
    """rise: the peak over the base year's mean, at least ``at_least``, the peak in ``peak_in``;
    falls_back: the mean of ``years`` over the peak, at most ``at_most``;
    exports_below_quota: exports at most ``at_most`` of the quota in each of ``years``."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["rise", "falls_back", "exports_below_quota"]
    base: str | None = None
    peak_in: str | None = None
    at_least: float | None = None
    years: list[int] = []
    at_most: float | None = None


class MarketEpisode(BaseModel):
    """A price episode: the market model (magchain.prices) fitted on its calibration months."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["market"]
    name: str
    title: str
    element: str
    basis: str
    start: Period
    end: Period
    calibration: Window
    parameters: dict[str, Parameter]
    checks: list[Check]


AnyEpisode = Annotated[Episode | MarketEpisode, Field(discriminator="kind")]


def episodes() -> list[Episode | MarketEpisode]:
    try:
        items = yaml.safe_load(EPISODES.read_text(encoding="utf-8"))
        return [TypeAdapter(AnyEpisode).validate_python({"kind": "trade", **item}) for item in items]
    except (ValidationError, yaml.YAMLError) as error:
        raise MagchainError(f"{EPISODES}: the shipped episodes are not valid ({error}).") from None


def find(name: str) -> Episode | MarketEpisode:
    for episode in episodes():
        if episode.name == name:
            return episode
    raise InvalidInput(f"No backtest episode '{name}'; shipped: {', '.join(e.name for e in episodes())}.")


@dataclass
class Backtest:
    episode: Episode | MarketEpisode
    table: pd.DataFrame  # series, period, window, model, observed, error, sources
    fitted: dict[str, float]
    path: pd.DataFrame | None = None  # a market episode's monthly model path
    checks: list[dict] = field(default_factory=list)  # a market episode's checks: series, passes, detail
    unidentified: list[str] = field(default_factory=list)  # fitted parameters the calibration does not pin down

    def scores(self) -> pd.DataFrame:
        """Per series: the largest and mean absolute error over predicted months, against its tolerance;
        a market episode's declared checks follow."""
        rows = []
        if isinstance(self.episode, Episode):
            labels = [(f"{s.label} (t)", s.tolerance) for s in self.episode.series]
            labels += [(_price_label(s), s.tolerance) for s in self.episode.prices]
        else:
            labels = [(self.table["series"].iloc[0], None)] if len(self.table) else []
        for label, tolerance in labels:
            predicted = self.table[(self.table["series"] == label) & (self.table["window"] == "predict")]
            errors = predicted["error"].dropna().abs()
            worst = float(errors.max()) if len(errors) else None
            rows.append({"series": label, "months": len(errors), "max_abs_error": worst,
                         "mean_abs_error": float(errors.mean()) if len(errors) else None, "tolerance": tolerance,
                         "passes": None if tolerance is None or worst is None else worst <= tolerance, "detail": ""})
        for check in self.checks:
            rows.append({"months": None, "max_abs_error": None, "mean_abs_error": None, "tolerance": None, **check})
        return pd.DataFrame(rows)

    def passed(self) -> bool:
        return all(p is not False for p in self.scores()["passes"])

    def to_json(self) -> dict:
        table = self.table.astype(object).where(self.table.notna(), None)
        scores = self.scores().astype(object)
        episode = self.episode.model_dump(include={"name", "title", "kind", "calibration"})
        extra = {"scenario": self.episode.scenario, "predict": self.episode.predict.model_dump()} \
            if isinstance(self.episode, Episode) else {"element": self.episode.element, "basis": self.episode.basis}
        path = {} if self.path is None else {"path": self.path.round(4).to_dict(orient="records")}
        return {**{("episode" if k == "name" else k): v for k, v in episode.items()}, **extra, "fitted": self.fitted,
                "unidentified": self.unidentified,
                "scores": scores.where(scores.notna(), None).to_dict(orient="records"),
                "months": table.to_dict(orient="records"), **path, "passed": self.passed()}


def backtest(chain, episode: Episode | MarketEpisode) -> Backtest:
    if isinstance(episode, MarketEpisode):
        return _market_backtest(chain, episode)
    result = run(chain, library.find(episode.scenario))
    windows = {**{m: "calibration" for m in episode.calibration.months()},
               **{m: "predict" for m in episode.predict.months()}}
    frames = [_compare(chain, result, series, windows) for series in episode.series]
    frames += [_compare_prices(result, series, episode) for series in episode.prices]
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
    frame = pd.DataFrame({"series": f"{series.label} (t)", "period": months, "window": [windows[m] for m in months],
                          "model": [float(model.get(m, 0.0)) for m in months],
                          "observed": observed["tonnes"].reindex(months).to_numpy(),
                          "sources": observed["sources"].reindex(months).to_numpy()})
    frame["error"] = frame["model"] / frame["observed"] - 1
    return frame


def _price_label(series: PriceSeries) -> str:
    return f"{series.label} ({series.element} {series.basis})"


def _compare_prices(result: ScenarioResult, series: PriceSeries, episode: Episode) -> pd.DataFrame:
    """Each observed price in the run against the model's: the basis's reference price at the
    scenario's reference month times the modelled index over the observation's months. An
    observation is predicted when all its months lie in the predicted window; those after it
    are shown as 'later', unscored."""
    from magchain.prices import scenario as market_prices

    label = _price_label(series)
    columns = ["series", "period", "window", "model", "observed", "sources", "error"]
    month = result.prices["reference_month"].iloc[0] if len(result.prices) else None
    ref = market_prices.reference(series.element, series.market, month, (series.basis,)) if month else None
    if ref is None:
        raise InvalidInput(f"episode {episode.name}: no {series.element} price on basis {series.basis} by the "
                           "scenario's reference month, so its model price has no reference; drop the series.")
    paths = result.prices
    index = paths[(paths["element"] == series.element) & (paths["market"] == series.market)].set_index("period")
    observed = price_series(series.element, series.basis, unit=ref.unit)
    calibration, predicted = episode.calibration.months(), episode.predict.months()
    rows = []
    for period, value, source in zip(observed["period"], observed["value"], observed["id"]):
        months = months_of(period)
        if not set(months) <= set(index.index) or period == ref.period:
            continue
        window = ("calibration" if set(months) <= set(calibration) else "predict" if set(months) <= set(predicted)
                  else "later" if months[0] > predicted[-1] else "other")
        rows.append({"series": label, "period": period, "window": window,
                     "model": ref.price * float(index.loc[months, "price_index"].mean()), "observed": value,
                     "sources": source})
    frame = pd.DataFrame(rows, columns=columns[:-1])
    frame = frame.iloc[np.argsort([months_of(p)[0] + p for p in frame["period"]], kind="stable")]
    frame["error"] = frame["model"] / frame["observed"] - 1
    return frame.reset_index(drop=True)


def _market_backtest(chain, episode: MarketEpisode) -> Backtest:
    from magchain.prices.episode import run_market

    path, observed, fitted, loose = run_market(chain, episode)
    label = f"{episode.element} {episode.basis} ({observed['unit'].iloc[0] if len(observed) else 'US$/kg'})"
    table = pd.DataFrame({"series": label, "period": observed["period"], "window": observed["window"],
                          "model": observed["model"], "observed": observed["value"], "sources": observed["id"]})
    table["error"] = table["model"] / table["observed"] - 1
    return Backtest(episode, table.reset_index(drop=True), fitted, path, [_check(c, path) for c in episode.checks],
                    loose)


def _check(check: Check, path: pd.DataFrame) -> dict:
    """One declared check on the model's path, with what it measured."""
    year = path["period"].str[:4].astype(int)
    peak = int(path["price"].to_numpy().argmax())
    peak_price, peak_month = float(path["price"].iloc[peak]), path["period"].iloc[peak]
    if check.kind == "rise":
        ratio = peak_price / float(path.loc[year == int(check.base), "price"].mean())
        passes = ratio >= check.at_least and peak_month.startswith(check.peak_in)
        detail = f"peak {peak_price:,.0f} in {peak_month}, {ratio:.1f}x the {check.base} mean"
        return {"series": f"rises at least {check.at_least:g}x from {check.base} to a peak in {check.peak_in}",
                "passes": passes, "detail": detail}
    if check.kind == "falls_back":
        ratio = float(path.loc[year.isin(check.years), "price"].mean()) / peak_price
        return {"series": f"falls back: {check.years[0]}-{check.years[-1]} mean at most {check.at_most:g} of the peak",
                "passes": ratio <= check.at_most, "detail": f"{ratio:.2f} of the peak"}
    by_year = path.assign(year=year).groupby("year")[["exports_t", "quota_t"]].sum()
    rows = by_year.loc[check.years]
    used = rows["exports_t"] / rows["quota_t"]
    detail = "; ".join(f"{y}: {r.exports_t:,.0f} of {r.quota_t:,.0f} t ({u:.0%})"
                       for (y, r), u in zip(rows.iterrows(), used))
    return {"series": f"exports at most {check.at_most:.0%} of the quota in {', '.join(map(str, check.years))}",
            "passes": bool((used <= check.at_most).all()), "detail": detail}


def plot(results: list[Backtest], path: str | Path) -> Path:
    """Model against observed, one panel per series, the calibration months shaded; one HTML file
    with Plotly's script embedded."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    path = Path(path)
    if path.suffix.lower() != ".html":
        raise InvalidInput(f"{path}: the backtest plot is written as HTML; name the file FILE.html.")
    panels = [(r, label) for r in results for label in r.table["series"].unique()]
    chart = make_subplots(rows=len(panels), cols=1, vertical_spacing=0.3 / max(len(panels), 1),
                          subplot_titles=[f"{r.episode.name}: {label}" for r, label in panels])
    for row, (result, label) in enumerate(panels, start=1):
        frame = result.table[result.table["series"] == label]
        market = result.path is not None
        model_x, model_y = (result.path["period"], result.path["price"]) if market else (frame["period"], frame["model"])
        chart.add_trace(go.Scatter(x=_dates(frame["period"]), y=frame["observed"], name="observed",
                                   mode="markers" if market else "markers+lines", line={"color": "#444444"},
                                   text=frame["sources"], showlegend=row == 1), row=row, col=1)
        chart.add_trace(go.Scatter(x=_dates(model_x), y=model_y, name="model", mode="lines",
                                   line={"color": "#d62728"}, showlegend=row == 1), row=row, col=1)
        window = result.episode.calibration
        chart.add_vrect(x0=f"{window.start}-01" if len(window.start) == 7 else window.start,
                        x1=f"{window.end}-28" if len(window.end) == 7 else window.end, fillcolor="#1f77b4",
                        opacity=0.1, line_width=0, annotation_text="fitted", row=row, col=1)
        if market:
            chart.update_yaxes(type="log", row=row, col=1)
        else:
            chart.update_yaxes(rangemode="tozero", row=row, col=1)
    chart.update_layout(template="plotly_white", height=320 * len(panels), title="Backtests: model against observed")
    chart.write_html(path, include_plotlyjs=True, full_html=True)
    return path


def _dates(periods) -> list[str]:
    """Period labels as dates a chart can place: a month's first day, a quarter's middle, a year's middle."""
    out = []
    for period in map(str, periods):
        if len(period) == 4:
            out.append(f"{period}-07-01")
        elif "-Q" in period:
            year, quarter = period.split("-Q")
            out.append(f"{year}-{3 * int(quarter) - 1:02d}-15")
        else:
            out.append(period if len(period) == 10 else f"{period}-01")
    return out
