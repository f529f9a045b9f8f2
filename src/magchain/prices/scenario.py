"""Prices in a scenario: China's domestic market and the market outside China, for NdPr and Dy+Tb.

The allocation decides quantities; this module prices them with the market model of
:mod:`magchain.prices.market`, one run per good and market:

- Outside China, users want what they used in the no-event baseline (scaled by any demand
  shock). They are offered China's exports that the scenario lets through, fixed by the
  controls, plus their own producers' supply: in the baseline the rest of their use, changed by
  what the scenario changes in the magnets made elsewhere.
- In China, users are offered China's own output (in the baseline, their use plus the exports)
  less the exports the scenario ships.

Both goods are counted in the finished magnets the allocation delivers: China's exports to the
rest of the world and the magnets made elsewhere, NdPr in magnet-equivalent tonnes and Dy+Tb by
the magnets' Dy+Tb content (which thrifting lowers). Upstream exports show through the magnets
made with them, so nothing is counted twice. In the baseline both markets clear at
index 1, the observed price at the reference month (the first disruption's, else the run's
start). Controls that cut exports raise the price outside China and lower China's: the spread.
An element's price is its market's reference price times the index, in its basis's own unit;
where no observed price quotes a market by then, the price is unknown and only the index shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from magchain.history.observed import months_of, observed_prices, price_series
from magchain.prices.market import MarketParameters, Offer, simulate
from magchain.scenario.engine import dytb_per_magnet
from magchain.scenario.network import month_index

CHINA, ABROAD = "CN", "ex-CN"
COLUMNS = ["good", "element", "market", "period", "price_index", "price", "unit", "basis", "reference_period",
           "reference_month"]


@dataclass(frozen=True)
class Reference:
    basis: str
    period: str
    price: float
    unit: str


@cache
def settings() -> dict:
    """``data/prices/markets.yaml``: goods, markets with their bases, and market parameters."""
    with (resources.files("magchain") / "data" / "prices" / "markets.yaml").open() as handle:
        return yaml.safe_load(handle)


def parameters(reference_price: float = 1.0) -> MarketParameters:
    values = {k: float(v["value"]) for k, v in settings()["parameters"].items()}
    return MarketParameters(reference_price=reference_price, demand=1.0, demand_trend=0.0, **values)


@cache
def reference(element: str, market: str, month: str, bases: tuple[str, ...] | None = None) -> Reference | None:
    """The latest observed price of ``element`` quoting ``market`` (on ``bases``, default the
    market's) whose period is over by the end of ``month`` (a yearly average of that year is not
    yet known then)."""
    found = []
    for rank, basis in enumerate(bases or settings()["markets"][market]["bases"]):
        for unit in _units(element, basis):
            series = price_series(element, basis, unit=unit)
            for period, value in zip(series["period"], series["value"]):
                if month_index(months_of(period)[-1]) <= month_index(month) < stale(period):
                    found.append((period[:10], -rank, Reference(basis, period, float(value), unit)))
    return max(found, key=lambda f: f[:2])[2] if found else None


def stale(period: str) -> int:
    """The first month index at which an observation of ``period`` is too old to be a reference."""
    return month_index(months_of(period)[-1]) + int(settings()["max_age_months"]) + 1


def _units(element: str, basis: str) -> list[str]:
    prices = observed_prices()
    return sorted(set(prices.loc[(prices["element"] == element) & (prices["basis"] == basis), "unit"]))


def scenario_prices(result, reference_month: str) -> pd.DataFrame:
    """Prices by good, element, market and period for a :class:`~magchain.scenario.run.ScenarioResult`."""
    if CHINA not in result.network.regions:
        return pd.DataFrame(columns=COLUMNS)
    periods = [p.label for p in result.network.periods]
    step = 12 * result.network.periods[0].share_of_year
    rows = []
    for good, spec in settings()["goods"].items():
        for market, (demand, offer) in _markets(result, good, step).items():
            path = simulate(parameters(), periods, offer, demand=demand, months_per_period=step)
            for element in spec["elements"]:
                ref = reference(element, market, reference_month)
                for period, index in zip(periods, path["price_index"]):
                    rows.append({"good": good, "element": element, "market": market, "period": period,
                                 "price_index": float(index), "price": float(index) * ref.price if ref else np.nan,
                                 "unit": ref.unit if ref else None, "basis": ref.basis if ref else None,
                                 "reference_period": ref.period if ref else None,
                                 "reference_month": reference_month})
    return pd.DataFrame(rows, columns=COLUMNS)


def _markets(result, good: str, step: float) -> dict[str, tuple[np.ndarray, Offer]]:
    """Each market's demand path and offer for ``good``. What users buy at the reference price
    (use plus restocking, as the market model's users do) is what is offered in the baseline, so
    the baseline clears at index 1. Outside China the offer is China's magnets let through plus
    the baseline's rest, changed by what the scenario changes in magnets made elsewhere for
    users outside China (the allocation has already used every spare plant, so the curve adds
    no more: its elasticity is 0). China's own producers would have made the baseline's exports
    too; what no longer leaves falls on China's market, and they cut output along its supply curve."""
    elasticity = {m: float(v["supply_elasticity"]["value"]) for m, v in settings()["markets"].items()}
    used = _used(result, good)
    content = _content(result, good, scenario=True), _content(result, good, scenario=False)
    exports = _magnets_abroad(result, result.allocation, from_china=True) * content[0]
    exports_before = _magnets_abroad(result, result.baseline, from_china=True) * content[1]
    made_abroad = _magnets_abroad(result, result.allocation, from_china=False) * content[0]
    made_abroad_before = _magnets_abroad(result, result.baseline, from_china=False) * content[1]
    offers = {}
    for market, sign in ((CHINA, -1.0), (ABROAD, 1.0)):
        bought = _bought_at_reference(used[market], step)
        own = bought - sign * exports_before + (made_abroad - made_abroad_before if market == ABROAD else 0.0)
        offers[market] = (used[market], Offer(sign * exports, np.maximum(own, 0.0), elasticity[market]))
    return offers


def _bought_at_reference(demand: np.ndarray, step: float) -> np.ndarray:
    """What users buy each period while the price stays at the reference."""
    unbounded = Offer(np.full(len(demand), np.inf), np.zeros(len(demand)), ceiling=True)
    path = simulate(parameters(), [str(i) for i in range(len(demand))], unbounded, demand=demand,
                    months_per_period=step)
    return path["bought_t"].to_numpy()


def _used(result, good: str) -> dict[str, np.ndarray]:
    """What users in China and outside it would use at the reference price, by period: the
    baseline's deliveries, scaled by the scenario's demand (a demand shock) and content."""
    labels = [p.label for p in result.network.periods]
    before = result.baseline_shortfall.groupby(["region", "period"])[["demand_t", "supplied_t"]].sum()
    ratio = result.shortfall.groupby(["region", "period"])["demand_t"].sum() / before["demand_t"]
    frame = (before["supplied_t"] * ratio.fillna(1.0)).rename("t").reset_index()
    frame["market"] = np.where(frame["region"] == CHINA, CHINA, ABROAD)
    totals = frame.groupby(["market", "period"])["t"].sum()
    content = _content(result, good, scenario=True)
    return {m: np.array([totals.get((m, t), 0.0) for t in labels]) * content for m in (CHINA, ABROAD)}


def _magnets_abroad(result, allocation, from_china: bool) -> np.ndarray:
    """Finished magnets shipped to users outside China by period, from China or from elsewhere."""
    labels = [p.label for p in result.network.periods]
    at = {t: i for i, t in enumerate(labels)}
    last = result.network.stages[-1]
    tonnes = np.zeros(len(labels))
    for (stage, origin, destination, period), value in allocation.ship.items():
        if stage == last and destination != CHINA and (origin == CHINA) == from_china:
            tonnes[at[period]] += value
    return tonnes


def _content(result, good: str, scenario: bool) -> np.ndarray:
    """Tonnes of the good per magnet-equivalent tonne, by period (1 for NdPr, which is counted in
    magnet-equivalent tonnes; the Dy+Tb intensity, lowered by thrifting, for Dy+Tb)."""
    labels = [p.label for p in result.network.periods]
    if good != "DyTb":
        return np.ones(len(labels))
    per = dytb_per_magnet(result.network if scenario else result.baseline_network)
    return np.array([per[t] for t in labels])


def price_at(prices: pd.DataFrame, element: str, market: str, period: str) -> tuple[float, str | None]:
    """The modelled price of ``element`` in ``market`` for ``period``, and its unit."""
    row = prices[(prices["element"] == element) & (prices["market"] == market) & (prices["period"] == period)]
    if row.empty:
        return np.nan, None
    return float(row["price"].iloc[0]), row["unit"].iloc[0]


def peaks(prices: pd.DataFrame) -> pd.DataFrame:
    """Per element and market: the reference, and the period where the price is furthest from it."""
    rows = []
    for (element, market), path in prices.groupby(["element", "market"], sort=False):
        far = path.loc[(np.log(path["price_index"])).abs().idxmax()]
        rows.append({"element": element, "market": market, "basis": far["basis"] or "unknown",
                     "reference": far["price"] / far["price_index"] if far["unit"] else None,
                     "unit": far["unit"], "furthest_in": far["period"], "index": round(float(far["price_index"]), 3),
                     "price": far["price"] if far["unit"] else None})
    return pd.DataFrame(rows, columns=["element", "market", "basis", "reference", "unit", "furthest_in", "index",
                                       "price"])
