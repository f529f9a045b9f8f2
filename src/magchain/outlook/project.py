"""The outlook: capacity against demand by region, year and stage, the weak link, and its basis.

``outlook()`` is closed-form (no solver): it realises every facility's capacity, converts each
stage to magnet-equivalent tonnes, sets it against the region's demand and marks the stage
with the lowest self-sufficiency as the weak link. ``explain()`` lists what a number rests on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr

from magchain.errors import InvalidInput, MagchainError
from magchain.model.conversions import Converter
from magchain.model.core import (
    PRIMARY_STAGES,
    converter,
    realise,
    stage_sums,
    summarise,
    uncovered_stages,
)
from magchain.outlook.arrays import ModelInputs
from magchain.outlook.balance import check_balance
from magchain.outlook.capacity import UNSIZED, Exclusion
from magchain.outlook.circularity import recycling_feed
from magchain.outlook.demand import DemandPath, demand_path, demand_table
from magchain.vocab import STAGE_MATERIAL

STAGES = PRIMARY_STAGES + ("recycling",)
COLUMNS = ["region", "year", "stage", "material", "capacity_t", "capacity_magnet_eq_t", "production_t",
           "demand_magnet_eq_t", "demand_embedded_magnet_eq_t", "self_sufficiency", "import_reliance", "weak_link",
           "gap_t", "capacity_known", "unsized_plants", "uncovered_countries"]


def parse_years(text: str | tuple[int, int]) -> np.ndarray:
    """'2024:2035' (inclusive), '2028' or a (first, last) pair -> array of years."""
    if isinstance(text, tuple):
        first, last = text
    else:
        parts = str(text).split(":")
        try:
            first, last = (int(parts[0]), int(parts[-1])) if len(parts) <= 2 else (None, None)
        except ValueError:
            first = last = None
        if first is None:
            raise InvalidInput(f"Years '{text}' not understood. Write a range like 2024:2035 or one year like 2028.")
    if last < first:
        raise InvalidInput(f"Years {first}:{last} is an empty range; the last year must not come before the first.")
    if first < 1950 or last > 2100:
        raise InvalidInput(f"Years {first}:{last} are outside 1950-2100.")
    return np.arange(first, last + 1)


@dataclass
class Outlook:
    """Result of :func:`outlook`: tidy tables plus what they rest on."""

    region: str
    years: np.ndarray
    table: pd.DataFrame
    units: pd.DataFrame  # realised capacity of each facility or statistic in the region
    demand: DemandPath | None
    exclusions: list[Exclusion]
    chain: object = field(repr=False)
    recycling: pd.DataFrame | None = None  # in-use stock, end-of-life and scrap feed, recycled supply
    indicators: xr.Dataset | None = field(default=None, repr=False)  # the core's result (stage, year)

    def rows(self) -> list[dict]:
        frame = self.table.astype(object).where(self.table.notna(), None)
        return frame.to_dict(orient="records")

    def sentence(self, year: int) -> str:
        """One plain sentence for a year: magnet capacity against demand, and the weak link."""
        rows = self.table[self.table["year"] == year].set_index("stage")
        if rows.empty:
            raise MagchainError(f"{year} is outside the outlook's years.")
        magnet = rows.loc["magnet"]
        capacity = "unknown" if pd.isna(magnet["capacity_t"]) else f"{magnet['capacity_t']:,.0f} t"
        text = f"{year}: {self.region} magnet capacity {capacity}"
        if pd.isna(magnet["demand_magnet_eq_t"]):
            return text + " ; demand unknown (no sourced demand figure for this region yet)."
        text += f" against demand {magnet['demand_magnet_eq_t']:,.0f} t"
        if pd.notna(magnet["self_sufficiency"]):
            text += f" ({magnet['self_sufficiency']:.0%})"
        weak = rows[rows["weak_link"]]
        if len(weak):
            stage = weak.index[0]
            gap = weak.iloc[0]["gap_t"]
            if stage == "mine":  # ranked with the recycled feed, and short by what both leave
                recycled = rows.loc["recycling", "capacity_magnet_eq_t"]
                gap = max(gap - (0.0 if pd.isna(recycled) else recycled), 0.0)
                stage = "mine (with recycled feed)"
            text += f"; weak link: {stage}, " + (f"short by {gap:,.0f} t magnet-equivalent" if gap > 0 else "no shortfall")
            if weak.iloc[0]["capacity_t"] == 0:
                text += f" (no {weak.index[0]} capacity listed in the registry)"
        unknown = [stage for stage in rows.index if not rows.loc[stage, "capacity_known"]]
        if unknown:
            text += "; capacity unknown at " + ", ".join(f"{s} ({_unknown_reason(rows.loc[s])})" for s in unknown)
        plants = self.units[(self.units["year"] == year) & (self.units["stage"] == "magnet") & (self.units["capacity_t"] > 0)]
        if len(plants):
            named = plants.groupby("unit_id")["capacity_t"].sum().sort_values(ascending=False)
            text += ". Magnet plants counted: " + ", ".join(f"{u} {t:,.0f} t" for u, t in named.head(8).items())
        unsized = self.unsized()
        if unsized:
            shown = ", ".join(unsized[:6]) + (", ..." if len(unsized) > 6 else "")
            text += f". {len(unsized)} plant{'s' if len(unsized) != 1 else ''} without a capacity figure left out ({shown})"
        return text + "."

    def unsized(self) -> list[str]:
        """Plants of the region listed without a usable capacity figure."""
        return sorted({e.facility_id for e in self.exclusions if e.reason == UNSIZED})


def _unknown_reason(row: pd.Series) -> str:
    if row["uncovered_countries"]:
        return f"national total not sourced for {row['uncovered_countries']}"
    return "plants listed without a capacity figure"


def outlook(chain, region: str = "WORLD", years="2024:2035", demand: str = "base", growth: str | None = None,
            inputs: ModelInputs | None = None) -> Outlook:
    """Capacity, production and demand for every stage and year of a region.

    ``inputs`` (built once with :meth:`ModelInputs.from_chain`) saves re-reading the registry
    when several outlooks are drawn from one chain."""
    region = region.strip().upper()
    chain.regions.members(region)  # raises a clear error for an unknown region
    years = parse_years(years)
    inputs = (inputs or ModelInputs.from_chain(chain, demand, growth)).with_demand(chain, demand, growth)
    blocks = inputs.blocks.isel(block=np.flatnonzero(inputs.member(region)))
    realised = realise(blocks, inputs.factors, years)
    indicators = summarise(inputs, region, blocks, stage_sums(realised, blocks["stage"]), years)
    units = _with_stage_material(units_frame(blocks, realised), converter(inputs.factors))
    path = inputs.paths.get(region)
    embedded = demand_path(chain, region, demand, growth, basis="embedded")
    demand_frame = demand_table(path, years, chain, embedded) if path else None
    facilities = chain.tables["facilities"].set_index("id")
    region_ids = set(units["facility_id"].dropna()) if len(units) else set()
    kept = [e for e in inputs.exclusions if e.facility_id in region_ids
            or chain.regions.contains(region, _country(facilities, e.facility_id))]
    table = _stage_table(region, indicators, units, demand_frame, inputs.unsized_count(region),
                         uncovered_stages(blocks))
    result = Outlook(region, years, table, units, path, kept, chain, indicators=indicators)
    if path is not None:
        result.recycling = recycling_feed(chain, result, path, inputs.factors)
        _limit_recycling_to_feed(table, result.recycling)
    check_balance(result)
    return result


def units_frame(blocks: xr.Dataset, realised: xr.Dataset) -> pd.DataFrame:
    """Realised blocks as a tidy table, one row per block and year."""
    years = realised["year"].values
    n = len(years)
    frame = {label: np.repeat(np.where(blocks[label].values == "", None, blocks[label].values), n)
             for label in ("unit_id", "facility_id", "country", "company_id", "stage", "material")}
    frame["year"] = np.tile(years, blocks.sizes["block"])
    for name in ("capacity_t", "production_t", "ndpr_t", "dytb_t", "capacity_magnet_eq_t", "production_magnet_eq_t"):
        frame[name] = realised[name].broadcast_like(realised["capacity_t"]).transpose("block", "year").values.ravel()
    frame["record_id"] = np.repeat(blocks["record_id"].values, n)
    return pd.DataFrame(frame)


def _limit_recycling_to_feed(table: pd.DataFrame, feed: pd.DataFrame) -> None:
    """Recycling plants produce no more than the scrap and end-of-life magnets available to them."""
    recycled = table["year"].map(feed.set_index("year")["recycled_supply_t"])
    rows = table["stage"] == "recycling"
    share = (recycled / table["production_magnet_eq_t"].where(table["production_magnet_eq_t"] > 0)).clip(upper=1)
    share = share.fillna(1.0)
    for column in ("production_t", "production_magnet_eq_t"):
        table.loc[rows, column] = table.loc[rows, column] * share[rows]


def _country(facilities, facility_id):
    country = facilities.loc[facility_id, "country"] if facility_id in facilities.index else None
    return None if country is None or (isinstance(country, float) and np.isnan(country)) else country


def _with_stage_material(units: pd.DataFrame, converter: Converter) -> pd.DataFrame:
    """Capacity in the stage's own reference material (REO at the mine, NdPr oxide at separation...)."""
    if units.empty:
        return units
    per_t = {stage: float(converter.ndpr_element(1.0, material)) for stage, material in STAGE_MATERIAL.items()}
    units = units.copy()
    factor = units["stage"].map(per_t)
    own = units["material"] == units["stage"].map(STAGE_MATERIAL)
    units["capacity_stage_t"] = units["capacity_t"].where(own, units["ndpr_t"] / factor)
    utilised = units["production_t"] / units["capacity_t"].where(units["capacity_t"] > 0)
    units["production_stage_t"] = units["capacity_stage_t"] * utilised
    units["production_stage_t"] = units["production_stage_t"].fillna(0.0)
    return units


def _stage_table(region, indicators: xr.Dataset, units, demand_frame, unsized: dict[str, int],
                 uncovered: dict[str, list[str]]) -> pd.DataFrame:
    """Stage by year, from the core's indicators plus each stage's tonnes in its own material. A
    stage whose capacity is unknown (see :func:`magchain.model.core.unknown_capacity`) shows NaN,
    never 0, and is never the weak link."""
    names = ["stage_capacity_t", "stage_production_t", "demand_t", "self_sufficiency", "gap_t", "weak_link",
             "capacity_known"]
    table = (indicators[names].drop_vars("region", errors="ignore").to_dataframe().reset_index()
             .rename(columns={"stage_capacity_t": "capacity_magnet_eq_t", "stage_production_t": "production_magnet_eq_t",
                              "demand_t": "demand_magnet_eq_t"}))
    table["stage"] = pd.Categorical(table["stage"], categories=STAGES, ordered=True)
    table = table.sort_values(["year", "stage"]).reset_index(drop=True)
    table["stage"] = table["stage"].astype(str)
    table.insert(0, "region", region)
    table["material"] = table["stage"].map(STAGE_MATERIAL)
    own = (units.groupby(["year", "stage"])[["capacity_stage_t", "production_stage_t"]].sum() if len(units)
           else pd.DataFrame(columns=["capacity_stage_t", "production_stage_t"]))
    own = own.reindex(pd.MultiIndex.from_frame(table[["year", "stage"]]), fill_value=0.0).to_numpy()
    stated = table["capacity_magnet_eq_t"].notna().to_numpy()
    table["capacity_t"] = np.where(stated, own[:, 0], np.nan)
    table["production_t"] = np.where(stated, own[:, 1], np.nan)
    embedded = (demand_frame.set_index("year")["demand_embedded_magnet_eq_t"] if demand_frame is not None
                else pd.Series(np.nan, index=indicators["year"].values))
    table["demand_embedded_magnet_eq_t"] = table["year"].map(embedded)
    table["import_reliance"] = (1 - table["production_magnet_eq_t"] / table["demand_magnet_eq_t"]).clip(lower=0)
    table["unsized_plants"] = table["stage"].map(unsized).fillna(0).astype(int)
    table["uncovered_countries"] = table["stage"].map(lambda s: ";".join(uncovered.get(s, [])) or None)
    table["weak_link"] = table["weak_link"].astype(bool)
    table["capacity_known"] = table["capacity_known"].astype(bool)
    return table[COLUMNS + ["production_magnet_eq_t"]]


def explain(chain, region: str, year: int, stage: str, demand: str = "base") -> dict:
    """The facilities, statistics, factors and demand figures behind one region-year-stage number."""
    if stage not in STAGES:
        raise MagchainError(f"Unknown stage '{stage}'. Stages are: {', '.join(STAGES)}.")
    result = outlook(chain, region, (year, year), demand)
    row = result.table[result.table["stage"] == stage].iloc[0].to_dict()
    return {
        "region": result.region, "year": year, "stage": stage, "summary": row,
        "contributions": contributions(result, stage, year),
        "left_out": [e.__dict__ for e in result.exclusions if _stage_of(chain, e.facility_id) == stage],
        "factors": factor_basis(chain, stage),
        "demand": demand_basis(chain, result.demand),
    }


def contributions(result, stage: str, year: int) -> list[dict]:
    """The plants and statistics counted in one stage's capacity in ``year`` of an outlook, each
    with its tonnes and the source of its record."""
    chain = result.chain
    units = result.units[(result.units["stage"] == stage) & (result.units["year"] == year)
                         & (result.units["capacity_t"] > 0)]
    records = chain.tables["capacities"].set_index("id")
    figures = chain.tables["figures"].set_index("id")
    out = []
    for _, unit in units.groupby(["unit_id", "record_id"], as_index=False).sum(numeric_only=True).iterrows():
        source_table = records if unit["record_id"] in records.index else figures
        record = source_table.loc[unit["record_id"]]
        out.append({
            "unit": unit["unit_id"], "record": unit["record_id"], "capacity_t": round(unit["capacity_stage_t"], 1),
            "capacity_magnet_eq_t": round(unit["capacity_magnet_eq_t"], 1),
            "sources": [chain.cite(record["source_id"], record.get("evidence"))],
        })
    return out


def _stage_of(chain, facility_id):
    facilities = chain.tables["facilities"].set_index("id")
    return facilities.loc[facility_id, "stage"] if facility_id in facilities.index else None


FACTORS_BY_STAGE = {
    "mine": ("ndpr_share_of_treo", "separation_recovery", "oxide_to_metal_yield", "metal_to_alloy_yield", "machining_yield"),
    "separation": ("oxide_to_metal_yield", "metal_to_alloy_yield", "machining_yield"),
    "metal": ("metal_to_alloy_yield", "machining_yield"),
    "alloy": ("machining_yield",),
    "magnet": (),
    "recycling": ("recycling_yield",),
}


def factor_basis(chain, stage) -> list[dict]:
    names = FACTORS_BY_STAGE[stage] + ("ndpr_wt_magnet", "utilisation", f"ramp_years_{stage}")
    out = []
    for name in names:
        factor = chain.factor(name)
        sources = [chain.cite(r["source_id"], r.get("evidence")) for source_name in factor.sources
                   for _, r in chain.parameter(source_name).iterrows()]
        out.append({"factor": name, "value": factor.value, "low": factor.low, "high": factor.high, "unit": factor.unit,
                    "basis": factor.basis, "sources": sources})
    return out


def demand_basis(chain, path: DemandPath | None) -> dict | None:
    if path is None:
        return None
    base = [chain.cite(r["source_id"], r.get("evidence")) for r in path.base_figures]
    growth_names = [n for n in path.sources if n not in {r.get("name") for r in path.base_figures}]
    growth = [chain.cite(r["source_id"], r.get("evidence")) for name in growth_names
              for _, r in chain.parameter(name).iterrows()]
    return {"preset": path.preset, "base_year": path.base_year, "base_magnet_t": path.base_magnet_t,
            "growth": path.growth_text, "annual_rate": path.growth.rate, "notes": path.notes, "sources": base + growth}


def concentration(chain, year: int) -> pd.DataFrame:
    """Herfindahl-Hirschman index (0-10,000) of world capacity per stage, by country and by company.

    Capacity counted by a national statistic has no company; it is held as one producer per
    country, which understates company-level concentration in China less than leaving it out.
    """
    units = outlook(chain, "WORLD", (year, year)).units
    units = units[units["capacity_magnet_eq_t"] > 0].assign(
        owner=lambda u: u["company_id"].fillna("national statistic " + u["country"].fillna("")))
    rows = []
    for stage, group in units.groupby("stage"):
        total = group["capacity_magnet_eq_t"].sum()
        for basis, column in (("country", "country"), ("company", "owner")):
            shares = group.groupby(group[column].fillna("unstated"))["capacity_magnet_eq_t"].sum() / total * 100
            rows.append({"year": year, "stage": stage, "basis": basis, "hhi": float((shares ** 2).sum()),
                         "largest": shares.idxmax(), "largest_share_pct": float(shares.max()),
                         "highly_concentrated": bool((shares ** 2).sum() > 2500)})
    return pd.DataFrame(rows)
