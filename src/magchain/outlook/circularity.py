"""Magnets in use, at end of life and as scrap: the stock model applied to the outlook.

Magnets put into use each year (the region's demand, by sector) form an inflow-driven in-use
stock (:mod:`magchain.outlook.stock`); what leaves it at end of life can be collected and
recycled, and so can the swarf of magnet making (the pre-consumer scrap loop). The recycled
supply a region can count on is the smaller of its recycling capacity and that feed.

History before the demand path's base year comes from the sourced world output points
(``world_sintered_ndfeb_output`` in the registry), interpolated log-linearly, never below
China's reported output; a region's history is the world's scaled by its base-year share of
world demand, and its sector split is that of its first outlook year. Both are stated
simplifications: no regional or sectoral history is sourced yet.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from magchain.errors import MagchainError
from magchain.model.conversions import ND_SHARE_OF_NDPR
from magchain.outlook.demand import DemandPath, demand_path, sector_table
from magchain.outlook.inputs import WORLD
from magchain.outlook.stock import Lifetime, inflow_driven

FIRST_YEAR = 1983  # sintered NdFeB was announced in 1983; nothing was in use before
WORLD_OUTPUT = "world_sintered_ndfeb_output"

# Du & Graedel (2011): global in-use stock of rare earths in NdFeB magnets, 1983-2007 (Gg).
DU_GRAEDEL = {"Nd": ("in_use_stock_nd_in_ndfeb",), "Pr": ("in_use_stock_pr_in_ndfeb",),
              "Dy+Tb": ("in_use_stock_dy_in_ndfeb", "in_use_stock_tb_in_ndfeb")}


def world_history(chain, last_year: int, path: DemandPath | None = None) -> pd.Series:
    """World magnet output (t) from 1983 to ``last_year``: sourced points, then the demand path.

    Zero in 1983, the sourced world points, China's reported output as a floor, and the world
    demand path from its base year; log-linear between known points (linear from zero).
    """
    points = {FIRST_YEAR: 0.0}
    for _, row in chain.parameter(WORLD_OUTPUT).iterrows():
        points[int(row["year"])] = float(row["value"])
    path = path or demand_path(chain, WORLD)
    if path is not None:
        for year in range(path.base_year, last_year + 1):
            points[year] = float(path.magnets(np.array([year]))[0])
    years = np.arange(FIRST_YEAR, last_year + 1)
    series = pd.Series(_interpolate(points, years), index=years)
    floor = china_output(chain).reindex(years).fillna(0.0)
    return np.maximum(series, floor)


def china_output(chain) -> pd.Series:
    """China's reported magnet output by year (sintered plus bonded NdFeB), from the statistics."""
    figures = chain.tables["figures"]
    rows = figures[(figures["country"] == "CN") & (figures["metric"] == "magnet_production")
                   & figures["material"].fillna("").str.contains("NdFeB")]
    return rows.groupby(rows["year"].astype(int))["value"].sum()


def _interpolate(points: dict[int, float], years: np.ndarray) -> np.ndarray:
    known = sorted(points.items())
    out = np.empty(len(years))
    for i, year in enumerate(years):
        before = max((p for p in known if p[0] <= year), default=known[0])
        after = min((p for p in known if p[0] >= year), default=known[-1])
        if before[0] == after[0]:
            out[i] = before[1]
        elif before[1] <= 0 or after[1] <= 0:
            out[i] = before[1] + (after[1] - before[1]) * (year - before[0]) / (after[0] - before[0])
        else:
            out[i] = before[1] * (after[1] / before[1]) ** ((year - before[0]) / (after[0] - before[0]))
    return out


def sector_lifetime(factors: xr.Dataset, sector: str) -> Lifetime:
    """Normal lifetime from the factor ``lifetime_<sector>``: mean its value, sd a quarter of its range."""
    factor = factors[f"lifetime_{sector}"] if f"lifetime_{sector}" in factors else factors["lifetime_other"]
    return Lifetime("normal", mean=float(factor), std=max((factor.attrs["high"] - factor.attrs["low"]) / 4, 1e-9))


def in_use(chain, path: DemandPath, years: np.ndarray, factors: xr.Dataset) -> pd.DataFrame:
    """In-use stock, inflow and end-of-life outflow by sector and year (magnet t) along a demand path."""
    years = np.asarray(years)
    sectors = sector_table(chain, path, years)
    split = sectors[sectors["year"] == years[0]].set_index("sector")["demand_magnet_eq_t"]
    split = split / split.sum()
    timeline = np.arange(FIRST_YEAR, years[-1] + 1)
    history = _regional_history(chain, path, timeline)
    frames = []
    for sector, share in split.items():
        inflow = history * share
        modelled = sectors[sectors["sector"] == sector].set_index("year")["demand_magnet_eq_t"]
        inflow[np.isin(timeline, modelled.index)] = modelled.reindex(timeline).dropna().to_numpy()
        result = inflow_driven(inflow, sector_lifetime(factors, sector))
        frames.append(pd.DataFrame({"region": path.region, "sector": sector, "year": timeline, "inflow_t": inflow,
                                    "stock_t": result.stock, "eol_outflow_t": result.outflow}))
    table = pd.concat(frames, ignore_index=True)
    return table[table["year"].isin(years)].reset_index(drop=True)


def _regional_history(chain, path: DemandPath, timeline: np.ndarray) -> np.ndarray:
    """The region's magnets put into use before and on its path (world history x base-year share)."""
    world_path = path if path.region == WORLD else demand_path(chain, WORLD, path.preset)
    world = world_history(chain, int(timeline[-1]), world_path).reindex(timeline).to_numpy()
    share = 1.0
    if path.region != WORLD and world_path is not None:
        share = path.base_magnet_t / float(world_path.magnets(np.array([path.base_year]))[0])
    own = np.where(timeline >= path.base_year, path.magnets(timeline), world * share)
    return own.astype(float)


def recycling_feed(chain, outlook_result, path: DemandPath, factors: xr.Dataset) -> pd.DataFrame:
    """Feed for recycling and the recycled supply it allows, per year (magnet-equivalent t).

    End-of-life outflow x collection rate, plus magnet-making swarf (output x (1/yield - 1)) x
    its recovery rate; recycled supply is min(recycling capacity, feed x recycling yield).
    The in-use stock follows ``path``, the same demand the outlook sets against capacity.
    """
    stocks = in_use(chain, path, outlook_result.years, factors)
    by_year = stocks.groupby("year")[["stock_t", "eol_outflow_t"]].sum()
    table = outlook_result.table.set_index(["year", "stage"])
    magnets_made = table.xs("magnet", level="stage")["production_magnet_eq_t"]
    capacity = table.xs("recycling", level="stage")["capacity_magnet_eq_t"]
    swarf = magnets_made * (1 / float(factors["machining_yield"]) - 1)
    frame = pd.DataFrame({
        "in_use_stock_t": by_year["stock_t"],
        "eol_outflow_t": by_year["eol_outflow_t"],
        "eol_collected_t": by_year["eol_outflow_t"] * float(factors["eol_collection_rate"]),
        "preconsumer_scrap_t": swarf,
        "preconsumer_recovered_t": swarf * float(factors["preconsumer_scrap_recovery"]),
    })
    frame["feed_t"] = frame["eol_collected_t"] + frame["preconsumer_recovered_t"]
    frame["recycling_capacity_magnet_eq_t"] = capacity
    frame["recycled_supply_t"] = np.minimum(capacity, frame["feed_t"] * float(factors["recycling_yield"]))
    frame.insert(0, "region", outlook_result.region)
    return frame.rename_axis("year").reset_index()


def _published_gg(chain, name: str) -> float:
    values = chain.parameter(name)["value"]
    if values.empty:
        raise MagchainError(f"The backcast needs the registry parameter '{name}' (Du & Graedel 2011), "
                            "which is not known on this chain's as-of date.")
    return float(values.iloc[0])


def backcast(chain, last_year: int = 2007) -> pd.DataFrame:
    """World in-use stock of Nd, Pr and Dy+Tb at the end of ``last_year``, set against Du & Graedel.

    Inflow is the world output history from 1983; lifetimes are ``lifetime_other`` at its low,
    central and high value, and 'no outflow' (cumulative output) bounds the stock from above.
    """
    history = world_history(chain, last_year).to_numpy()
    factor = chain.factor("lifetime_other")
    cases = {f"lifetime {v:g} yr": Lifetime("normal", mean=v, std=max((factor.high - factor.low) / 4, 1e-9))
             for v in (factor.low, factor.value, factor.high)}
    magnets = {name: float(inflow_driven(history, lt).stock[-1]) for name, lt in cases.items()}
    magnets["no outflow (cumulative output)"] = float(history.sum())
    ndpr, dytb = chain.factor("ndpr_wt_magnet").value, chain.factor("dytb_wt_magnet").value
    published = {element: 1000 * sum(_published_gg(chain, n) for n in names)
                 for element, names in DU_GRAEDEL.items()}  # Gg -> t
    rows = []
    for case, stock in magnets.items():
        content = {"Nd": stock * ndpr * ND_SHARE_OF_NDPR, "Pr": stock * ndpr * (1 - ND_SHARE_OF_NDPR),
                   "Dy+Tb": stock * dytb}
        for element, value in content.items():
            rows.append({"case": case, "year": last_year, "element": element, "magnet_stock_t": stock,
                         "modelled_t": value, "du_graedel_t": published[element],
                         "difference_pct": 100 * (value / published[element] - 1)})
    return pd.DataFrame(rows)
