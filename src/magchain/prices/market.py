"""A rare-earth market month by month: users' demand, their stocks, thrifting, and the price.

- Users use ``demand`` x (1 - thrift) x price^-elasticity a month, the price being an index
  (1 at the reference price). Demand trends as given, or follows a path (a scenario's baseline).
- They hold stocks and aim at a cover (months of use) that rises when prices have been rising
  (hoarding) and falls when they have been falling; they close a gap to it over ``adjust_months``.
  Buying for stock is as price-sensitive as buying for use.
- Thrifting and substitution ratchet up towards ``thrift_max`` while prices are high, at a pace of
  ``thrift_months``; thrifted designs stay thrifted.
- The price clears the market against an :class:`Offer`: a fixed quantity (a quota, the imports
  that controls let through, minus the exports that leave) plus the market's own producers on
  an isoelastic supply curve.

Under a quota (:func:`simulate_quota`) the offer is a ceiling: when users want less than the
quota at the reference price, they pay it and exports fall short of the quota; when more, the
quota binds and the price rises until use and the stock change fit it. There China's domestic
price is the reference, so the price moves only with the export premium the quota creates.
Every element of a basket moves by the same index; an element's price is its reference price
times the index.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq

MAX_INDEX = 60.0  # a choke price: users stop buying beyond 60 times the reference price


@dataclass(frozen=True)
class MarketParameters:
    reference_price: float  # US$/kg at index 1
    demand: float  # users' demand outside China at the reference price, t REO a month, at the start
    demand_trend: float  # change of that demand a year (e.g. -0.04)
    elasticity: float  # short-run price elasticity of use (positive)
    cover_months: float  # stocks users hold, in months of use, when prices are steady
    hoarding: float  # extra share of cover per unit of the price's log change over the last three months
    adjust_months: float  # months users take to close a gap to their target stock
    thrift_max: float  # share of use that thrifting and substitution can remove
    thrift_months: float  # pace of thrifting (months to close the gap to its target)
    thrift_saturation: float  # price index above 1 at which thrifting aims at its maximum


@dataclass(frozen=True)
class Offer:
    """What a market is offered a month: ``fixed`` tonnes whatever the price (a quota, imports
    the controls let through, or minus the exports that leave) and ``own`` tonnes at index 1
    from its own producers, who supply ``own`` x index^supply_elasticity. Under a ``ceiling``
    (a quota) buyers who want less than is offered pay the reference price."""

    fixed: np.ndarray
    own: np.ndarray
    supply_elasticity: float = 0.0
    ceiling: bool = False


def clearing_index(bought: float, fixed: float, own: float, elasticity: float, supply_elasticity: float) -> float:
    """The price index at which what buyers take (``bought`` at index 1, x index^-elasticity)
    equals what is offered (``fixed`` + ``own`` x index^supply_elasticity), within the choke."""
    low, high = -np.log(MAX_INDEX), np.log(MAX_INDEX)

    def excess(x: float) -> float:  # falls as the price rises
        offered = max(fixed + own * np.exp(supply_elasticity * x), 1e-12)
        return np.log(max(bought, 1e-12)) - elasticity * x - np.log(offered)

    if excess(high) >= 0:
        return MAX_INDEX
    if excess(low) <= 0:
        return 1 / MAX_INDEX
    return float(np.exp(brentq(excess, low, high, xtol=1e-10)))


def simulate(parameters: MarketParameters, months: list[str], offer: Offer, demand: np.ndarray | None = None,
             months_per_period: float = 1.0) -> pd.DataFrame:
    """The market period by period. ``demand`` (t a period, at index 1, before thrifting)
    defaults to the parameters' demand and trend; ``months_per_period`` scales the stock and
    thrifting paces for yearly periods."""
    p, step = parameters, months_per_period
    n = len(months)
    if demand is None:
        demand = p.demand * (1 + p.demand_trend) ** (np.arange(n) / 12)
    index = np.ones(n)
    use, bought_out, stock, thrift = (np.zeros(n) for _ in range(4))
    held = p.cover_months / step * demand[0]  # stocks at the start: the steady cover
    thrifted = 0.0
    lag = max(1, round(3 / step))
    for t in range(n):
        wanted = demand[t] * (1 - thrifted)
        growth = np.log(index[t - 1] / index[t - 1 - lag]) if t > lag else 0.0
        cover = p.cover_months / step * max(0.25, 1 + p.hoarding * growth)
        bought = wanted + (cover * wanted - held) / max(1.0, p.adjust_months / step)  # at index 1
        offered = offer.fixed[t] + offer.own[t]
        if offer.ceiling and bought <= offered:  # the quota does not bind: reference price
            index[t] = 1.0
        else:
            index[t] = clearing_index(bought, offer.fixed[t], offer.own[t], p.elasticity, offer.supply_elasticity)
        bought_out[t] = max(bought * index[t] ** -p.elasticity, 0.0)
        use[t] = min(wanted * index[t] ** -p.elasticity, held + bought_out[t])
        held = max(held + bought_out[t] - use[t], 0.0)
        stock[t], thrift[t] = held, thrifted
        recent = index[max(0, t - max(1, round(6 / step)) + 1):t + 1].mean()
        target = p.thrift_max * min(1.0, max(0.0, (recent - 1) / p.thrift_saturation))
        thrifted = max(thrifted, thrifted + (target - thrifted) / max(1.0, p.thrift_months / step))
    return pd.DataFrame({"period": months, "price_index": index, "price": index * p.reference_price,
                         "use_t": use, "bought_t": bought_out, "stock_t": stock, "thrift": thrift,
                         "offered_t": offer.fixed + offer.own})


def simulate_quota(parameters: MarketParameters, months: list[str], quota: np.ndarray) -> pd.DataFrame:
    """The export market under a quota (t REO a month, inf where there is none): what users
    buy is China's exports."""
    offer = Offer(fixed=quota, own=np.zeros(len(quota)), ceiling=True)
    return simulate(parameters, months, offer).rename(columns={"bought_t": "exports_t", "offered_t": "quota_t"})
