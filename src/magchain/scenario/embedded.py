"""Embedded demand: magnets inside the products sold in a region, imported ones included.

The magnet trade (the allocation) moves direct demand, the magnets each region's own makers
buy. A region's embedded demand E is met in two parts:

- what its own makers build for it, min(E, D) with D its direct demand, reaches buyers as far
  as those makers got their magnets;
- the rest, E - D, arrives inside imported finished goods (cars, motors, electronics). The
  share made in each origin is sourced (``finished_goods.csv``); it reaches the region as far
  as that origin's makers got their magnets and no finished-goods control stops it. Origins
  not named fare as the rest of the world's makers.

So a cut of China's magnet exports hits a region's makers, while a cut of China's
finished-goods exports (``finished_goods_control``) is a separate event.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from magchain.errors import MagchainError
from magchain.outlook.demand import demand_path
from magchain.outlook.formula import share_rows
from magchain.scenario.network import REST, Network

COLUMNS = ["region", "period", "embedded_t", "own_makers_t", "imported_t", "supplied_t", "shortfall_t"]


def origin_shares(chain, regions: list[str]) -> dict[str, dict[str, float]]:
    """destination -> {origin: share of its imported finished-goods magnet content}."""
    shares: dict[str, dict[str, float]] = {}
    for row, share in share_rows(chain.finished_goods, "finished_goods.csv", ("region", "origin"), chain):
        if row["origin"].upper() in regions:
            shares.setdefault(row["region"].upper(), {})[row["origin"].upper()] = share
    for destination, by_origin in shares.items():
        if sum(by_origin.values()) > 1.0 + 1e-9:
            raise MagchainError(f"finished_goods.csv: the origins of {destination}'s imports add up to "
                                f"{sum(by_origin.values()):.2f}, more than all of them; check the shares.")
    return shares


def embedded_demand(chain, network: Network, preset: str) -> pd.DataFrame:
    """Embedded and direct demand per region with an embedded figure, per period (t)."""
    direct = network.demand.groupby(["region", "period"])["tonnes"].sum()
    rows = []
    for region in network.regions:
        path = demand_path(chain, region, preset, basis="embedded")
        if path is None:
            continue
        for period in network.periods:
            embedded = float(path.magnets(np.array([period.year]))[0]) * period.share_of_year
            own = min(embedded, float(direct.get((region, period.label), 0.0)))
            rows.append({"region": region, "period": period.label, "embedded_t": embedded,
                         "own_makers_t": own, "imported_t": embedded - own})
    return pd.DataFrame(rows, columns=COLUMNS[:5])


def met(frame: pd.DataFrame, shortfall: pd.DataFrame, origins: dict, cuts: dict[tuple, float]) -> pd.DataFrame:
    """What reaches buyers: own makers' part at their direct supply ratio, imports at their origin's."""
    totals = shortfall.groupby(["region", "period"])[["demand_t", "supplied_t"]].sum()
    ratio = (totals["supplied_t"] / totals["demand_t"].where(totals["demand_t"] > 0)).fillna(1.0).to_dict()
    supplied = []
    for row in frame.itertuples():
        named = origins.get(row.region, {})
        reached = row.own_makers_t * ratio.get((row.region, row.period), 1.0)
        for origin, share in named.items():
            kept = 1.0 - cuts.get((origin, row.region, row.period), 0.0)
            reached += row.imported_t * share * kept * ratio.get((origin, row.period), 1.0)
        reached += row.imported_t * (1.0 - sum(named.values())) * ratio.get((REST, row.period), 1.0)
        supplied.append(reached)
    result = frame.copy()
    result["supplied_t"] = supplied
    result["shortfall_t"] = (result["embedded_t"] - result["supplied_t"]).clip(lower=0.0)
    return result[COLUMNS]
