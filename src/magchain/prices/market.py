"""An oxide export market under a quota: users' demand, their stocks, thrifting, and the price.

Monthly, for the rare earths China exports under a tonnage quota (tonnes of REO):

- Users outside China use ``demand`` x (1 - thrift) x price^-elasticity a month, the price being an
  index (1 at the reference FOB price). Demand trends as the episode states.
- They hold stocks and aim at a cover (months of use) that rises when prices have been rising
  (hoarding) and falls when they have been falling; they close a gap to it over ``adjust_months``.
  Buying for stock is as price-sensitive as buying for use.
- Thrifting and substitution ratchet up towards ``thrift_max`` while prices are high, at a pace of
  ``thrift_months``; thrifted designs stay thrifted.
- Exports are what users buy. When that is more than the quota at the reference price, the quota
  binds: exports equal the quota and the price rises until use and the stock change fit it.
  When it is less, the price is the reference and exports fall short of the quota.

China's domestic price is not modelled here: the reference price stands for it, so the model's
price moves only with the export premium the quota creates. Every element exported under the
quota moves by the same index (the premium is one for the basket); the price of one element is
its reference price times the index.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

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


def simulate(parameters: MarketParameters, months: list[str], quota: np.ndarray) -> pd.DataFrame:
    """The market month by month (``quota`` in t REO a month, inf where there is none)."""
    p = parameters
    index = np.ones(len(months))
    use, exports, stock, thrift = (np.zeros(len(months)) for _ in range(4))
    held = p.cover_months * p.demand  # stocks at the start: the steady cover
    thrifted = 0.0
    for t in range(len(months)):
        wanted = p.demand * (1 + p.demand_trend) ** (t / 12) * (1 - thrifted)
        growth = np.log(index[t - 1] / index[t - 4]) if t >= 4 else 0.0
        cover = p.cover_months * max(0.25, 1 + p.hoarding * growth)
        bought = wanted + (cover * wanted - held) / p.adjust_months  # for use and for stock, at index 1
        if bought <= quota[t]:  # the quota does not bind: reference price
            index[t] = 1.0
            exports[t] = max(bought, 0.0)
        else:
            index[t] = min(MAX_INDEX, (bought / quota[t]) ** (1 / p.elasticity))
            exports[t] = bought * index[t] ** -p.elasticity
        use[t] = min(wanted * index[t] ** -p.elasticity, held + exports[t])
        held = max(held + exports[t] - use[t], 0.0)
        stock[t], thrift[t] = held, thrifted
        recent = index[max(0, t - 5):t + 1].mean()
        target = p.thrift_max * min(1.0, max(0.0, (recent - 1) / p.thrift_saturation))
        thrifted = max(thrifted, thrifted + (target - thrifted) / p.thrift_months)
    return pd.DataFrame({"period": months, "price_index": index, "price": index * p.reference_price,
                         "use_t": use, "exports_t": exports, "stock_t": stock, "thrift": thrift,
                         "quota_t": quota})
