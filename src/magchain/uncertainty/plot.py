"""Fan chart of an uncertainty run: capacity bands against the demand band, stage by stage, and
the probability that each stage meets demand, by year. One self-contained HTML file (Plotly's
script is embedded, nothing is fetched when it is opened)."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from magchain.errors import InvalidInput
from magchain.uncertainty.outlook import UncertaintyResult
from magchain.vocab import STAGES

COLOURS = {"mine": "#8c564b", "separation": "#9467bd", "metal": "#1f77b4", "alloy": "#17becf",
           "magnet": "#d62728", "recycling": "#2ca02c"}


def figure(result: UncertaintyResult) -> go.Figure:
    years = list(result.years)
    chart = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.65, 0.35], vertical_spacing=0.08,
                          subplot_titles=((f"{result.region}: capacity by stage (P5-P95, P50) against demand "
                                           "(magnet-equivalent t)"), "P(own capacity meets own demand)"))
    quantiles = result.quantiles
    demand = quantiles["demand_t"].sel(stage="magnet")
    _band(chart, years, demand, "demand", "#444444", dash="dash")
    for stage in STAGES:
        capacity = quantiles["stage_capacity_t"].sel(stage=stage)
        if capacity.isnull().all():
            continue  # unknown capacity is not drawn as zero
        _band(chart, years, capacity, stage, COLOURS[stage])
        chart.add_trace(go.Scatter(x=years, y=result.probabilities["sufficient"].sel(stage=stage).values,
                                   name=stage, legendgroup=stage, showlegend=False, mode="lines+markers",
                                   line={"color": COLOURS[stage]},
                                   hovertemplate=f"{stage} %{{x}}: P = %{{y:.0%}}<extra></extra>"), row=2, col=1)
    chart.update_yaxes(rangemode="tozero", row=1, col=1, title_text="t/yr")
    chart.update_yaxes(range=[0, 1.05], tickformat=".0%", row=2, col=1)
    chart.update_layout(template="plotly_white", height=720, hovermode="x unified",
                        title=f"How sure: {result.draws:,} draws, seed {result.seed}")
    return chart


def _band(chart, years, values, name, colour, dash=None) -> None:
    low, mid, high = (values.sel(quantile=q).values for q in (0.05, 0.5, 0.95))
    chart.add_trace(go.Scatter(x=years + years[::-1], y=list(high) + list(low[::-1]), fill="toself",
                               fillcolor=colour, opacity=0.18, line={"width": 0}, name=f"{name} P5-P95",
                               legendgroup=name, showlegend=False, hoverinfo="skip"), row=1, col=1)
    chart.add_trace(go.Scatter(x=years, y=mid, name=name, legendgroup=name, line={"color": colour, "dash": dash},
                               hovertemplate=f"{name} P50 %{{y:,.0f}} t<extra></extra>"), row=1, col=1)


def draw(result: UncertaintyResult, path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".html":
        raise InvalidInput(f"{path}: the fan chart is written as HTML; name the file FILE.html.")
    figure(result).write_html(path, include_plotlyjs=True, full_html=True)
    return path
