"""The scenario's network: model regions, periods, capacity per node and demand per sector.

Built from the outlook (capacity realised per facility and year in magnet-equivalent tonnes,
demand by region and sector), then changed by the scenario's plant and demand events. The
trade model works in magnet-equivalent tonnes at every stage, so a stage's output feeds the
next one tonne for tonne and element content follows from the magnet composition factors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
import pandas as pd

from magchain.errors import MagchainError
from magchain.model.core import realise
from magchain.outlook.arrays import ModelInputs
from magchain.outlook.circularity import in_use
from magchain.outlook.demand import basis_of, sector_table
from magchain.outlook.formula import share_rows
from magchain.outlook.inputs import WORLD
from magchain.outlook.project import units_frame
from magchain.scenario.spec import (
    CapacityChange,
    DemandShock,
    PlantDelay,
    PlantOutage,
    Recycling,
    Scenario,
)

REST = "ROW"  # the rest of the world: every country not in a region with its own demand figure
HEAVY = "heavy_re"  # Dy+Tb as a traded commodity; export controls may name it as a stage
HEAVY_HOME = "CN"  # where unlisted Dy+Tb supply is taken to be (see _heavy_supply)


@dataclass(frozen=True)
class Period:
    label: str  # 'YYYY-MM' or 'YYYY'
    year: int
    month: int | None
    share_of_year: float

    @property
    def index_month(self) -> int:
        """Months since year 0, so periods of either kind can be ordered and compared."""
        return self.year * 12 + (self.month or 1) - 1


@dataclass
class Network:
    regions: list[str]
    periods: list[Period]
    stages: list[str]
    capacity: pd.DataFrame  # unit_id, facility_id, stage, region, period, tonnes (per period)
    demand: pd.DataFrame  # region, sector, period, tonnes (per period), dytb_t
    recycled: pd.DataFrame  # region, period, tonnes available from scenario recycling
    heavy: pd.DataFrame  # region, period, tonnes of Dy+Tb that can be supplied
    inventory: dict[str, float]  # users' magnet stocks at the start, by region (t)
    sourcing: dict[tuple[str, str, str], float] = field(default_factory=dict)  # (stage, origin, dest) -> share
    heavy_stock: dict[str, float] = field(default_factory=dict)  # magnet makers' Dy+Tb stocks at the start (t)

    def node_capacity(self) -> pd.DataFrame:
        return self.capacity.groupby(["stage", "region", "period"], as_index=False)["tonnes"].sum()


def periods(base) -> list[Period]:
    first, last = month_index(base.start), month_index(base.end, end=True)
    if base.periods == "year":
        return [Period(str(y), y, None, 1.0) for y in range(first // 12, last // 12 + 1)]
    return [Period(f"{m // 12}-{m % 12 + 1:02d}", m // 12, m % 12 + 1, 1 / 12) for m in range(first, last + 1)]


def month_index(text: str, end: bool = False) -> int:
    year, _, month = text.partition("-")
    return int(year) * 12 + (int(month) - 1 if month else (11 if end else 0))


def model_regions(chain, units: pd.DataFrame, stages: list[str]) -> list[str]:
    """Regions with their own demand figure, each other producing country, then the rest of the world.

    Producing countries stand alone so that each can be an exporter: controlled, knocked out
    or ranked in the resilience sweep.
    """
    presets = chain.demand_presets
    direct = presets[basis_of(presets) == "direct"]
    named = sorted({r.upper() for r in direct["region"] if r.upper() != WORLD})
    active = units[(units["stage"].isin(stages) & (units["capacity_magnet_eq_t"] > 0)) | (units["dytb_t"] > 0)]
    producers = sorted({c for c in active["country"].dropna() if region_of(chain, named, c) == REST})
    return named + producers + [REST]


def region_of(chain, regions: list[str], country: str | None) -> str:
    if country in regions:
        return country
    for region in regions:
        if region != REST and region in chain.regions.blocs and country in chain.regions.blocs[region]:
            return region
    return REST


def build(chain, scenario: Scenario, inventory_months: float, inputs: ModelInputs,
          units: pd.DataFrame | None = None) -> Network:
    """The network of a scenario from the model's inputs (capacity blocks, factors, demand paths);
    ``units`` (from :func:`capacity_units`) may be shared between runs."""
    base = scenario.base
    steps = periods(base)
    if units is None:
        units = capacity_units(inputs, scenario)
    regions = model_regions(chain, units, base.stages)
    capacity = _capacity(chain, scenario, regions, steps, units)
    demand = _demand(chain, scenario, regions, steps, inputs)
    recycled = _recycled(chain, scenario, regions, steps, inputs)
    heavy = _heavy_supply(chain, regions, steps, units, demand)
    first = demand[demand["period"] == steps[0].label].groupby("region")["tonnes"].sum()
    per_month = first / (steps[0].share_of_year * 12)
    inventory = {r: float(per_month.get(r, 0.0)) * inventory_months for r in regions}
    return Network(regions, steps, base.stages, capacity, demand, recycled, heavy, inventory,
                   supplier_shares(chain, regions, base.stages), _heavy_stocks(chain, regions, steps, capacity, demand))


def supplier_shares(chain, regions: list[str], stages: list[str]) -> dict[tuple[str, str, str], float]:
    """Observed shares of a region's supply by origin (sourcing.csv), for the model's regions.

    Trade costs alone make every exporter alike, so without them the allocation would pick an
    origin at random; the observed pattern is kept unless an event forces a change.
    """
    shares = {}
    for row, share in share_rows(chain.sourcing, "sourcing.csv", ("region", "stage", "origin"), chain):
        destination, origin = row["region"].upper(), row["origin"].upper()
        if row["stage"] in stages and destination in regions and origin in regions:
            shares[(row["stage"], origin, destination)] = share
    return shares


# -- capacity -------------------------------------------------------------------------------------
EARLIEST_DELAYED_YEAR = 10  # years before the scenario whose capacity a delayed plant may fall back to


def capacity_units(inputs: ModelInputs, scenario: Scenario) -> pd.DataFrame:
    """Realised capacity per unit and year (magnet-equivalent t/yr) over the scenario's years and before."""
    first = periods(scenario.base)[0].year - EARLIEST_DELAYED_YEAR
    last = periods(scenario.base)[-1].year
    years = np.arange(first, last + 1)
    return units_frame(inputs.blocks, realise(inputs.blocks, inputs.factors, years))


def _capacity(chain, scenario: Scenario, regions, steps, units) -> pd.DataFrame:
    units = units[units["stage"].isin(scenario.base.stages)]
    delays = [e for e in scenario.events if isinstance(e, PlantDelay)]
    _check_facilities(chain, scenario)
    keys = ["unit_id", "facility_id", "stage", "country"]
    annual = (units.fillna({"facility_id": "", "country": ""}).groupby(keys + ["year"])["capacity_magnet_eq_t"]
              .sum().unstack("year", fill_value=0.0))
    known_years = annual.columns.to_numpy(float)
    step_years = np.array([p.year for p in steps], dtype=float)
    shares = np.array([p.share_of_year for p in steps])
    labels = [p.label for p in steps]
    keys_of_units = list(annual.index)
    tonnes = [np.interp(step_years - _delay_of(delays, facility_id, country), known_years, series) * shares
              for (_, facility_id, _, country), series in zip(keys_of_units, annual.to_numpy())]
    n = len(labels)
    frame = pd.DataFrame({
        "unit_id": np.repeat([k[0] for k in keys_of_units], n).astype(object),
        "facility_id": np.repeat([k[1] for k in keys_of_units], n).astype(object),
        "stage": np.repeat([k[2] for k in keys_of_units], n).astype(object),
        "region": np.repeat([region_of(chain, regions, k[3]) for k in keys_of_units], n).astype(object),
        "period": np.tile(np.array(labels, dtype=object), len(keys_of_units)),
        "tonnes": np.concatenate(tonnes) if tonnes else np.zeros(0),
    })
    fills = _unlisted_inputs(frame, scenario.base.stages) if scenario.base.fill_unlisted else frame.iloc[0:0]
    frame = _apply_plant_events(frame, scenario, steps, chain, regions)
    return pd.concat([frame, fills], ignore_index=True)


def _unlisted_inputs(frame: pd.DataFrame, stages: list[str]) -> pd.DataFrame:
    """Give each region the upstream capacity its downstream plants need where none is listed.

    The registry lists few metal and alloy plants (integrated magnet makers make their own), so
    without this every multi-stage run would be short for want of plants nobody has listed.
    The fill is computed before outages and capacity changes, so the loss of a listed plant is
    not made good by it.
    """
    totals = frame.groupby(["stage", "region", "period"])["tonnes"].sum().to_dict()
    fills = []
    for upper, lower in reversed(list(pairwise(stages))):
        for (stage, region, period), need in list(totals.items()):
            gap = need - totals.get((upper, region, period), 0.0) if stage == lower else 0.0
            if gap > 0:
                fills.append((f"unlisted:{region}:{upper}", "", upper, region, period, gap))
                totals[(upper, region, period)] = need
    return pd.DataFrame(fills, columns=frame.columns)


def _delay_of(delays, facility_id, country) -> float:
    total = 0.0
    for event in delays:
        if event.facility == facility_id or event.facility == f"planned:{country}":
            total += event.years
    return total


def _check_facilities(chain, scenario) -> None:
    known = set(chain.tables["facilities"]["id"])
    for number, event in enumerate(scenario.events):
        name = getattr(event, "facility", None)
        whole_country = isinstance(event, PlantDelay) and name and name.startswith("planned:")
        if name and not whole_country and name not in known:
            raise MagchainError(f"events[{number}] ({event.kind}): facility '{name}' is not in the registry. "
                                "Use a facility id from `magchain facilities` (plant_delay also takes 'planned:US' "
                                "for every US plant).")


def _apply_plant_events(frame, scenario, steps, chain, regions) -> pd.DataFrame:
    order = {p.label: p.index_month for p in steps}
    month = frame["period"].map(order)
    for event in scenario.events:
        if isinstance(event, PlantOutage):
            start = month_index(event.start)
            hit = (frame["facility_id"] == event.facility) & (month >= start) & (month < start + event.months)
            frame.loc[hit, "tonnes"] = 0.0
        elif isinstance(event, CapacityChange):
            facility = chain.tables["facilities"].set_index("id").loc[event.facility]
            if facility["stage"] not in scenario.base.stages:
                continue
            added = [(f"change:{event.facility}", event.facility, facility["stage"],
                      region_of(chain, regions, facility["country"]), p.label,
                      event.tonnes * p.share_of_year if p.index_month >= month_index(event.start) else 0.0) for p in steps]
            frame = pd.concat([frame, pd.DataFrame(added, columns=frame.columns)], ignore_index=True)
    return frame


# -- demand ---------------------------------------------------------------------------------------
def _demand(chain, scenario: Scenario, regions, steps, inputs: ModelInputs) -> pd.DataFrame:
    years = np.arange(steps[0].year, steps[-1].year + 1)
    paths = inputs.paths
    world_path = paths.get(WORLD)
    if world_path is None:
        raise MagchainError("No world demand figure is known on the scenario's as-of date; choose a later as_of.")
    world = sector_table(chain, world_path, years, inputs.sectors.get(WORLD))
    frames = []
    for region in regions[:-1]:  # producing countries without a demand figure have none here
        if region in paths:
            frames.append(sector_table(chain, paths[region], years, inputs.sectors.get(region)))
    named = pd.concat(frames, ignore_index=True) if frames else world.iloc[0:0]
    rest = _rest_of_world(world, named)
    annual = pd.concat([named, rest], ignore_index=True)
    calendar = pd.DataFrame({"period": [p.label for p in steps], "year": [p.year for p in steps],
                             "share": [p.share_of_year for p in steps]})
    joined = calendar.merge(annual, on="year", how="inner", sort=False)  # periods in order, rows as listed
    demand = pd.DataFrame({"region": joined["region"], "sector": joined["sector"], "period": joined["period"],
                           "tonnes": joined["demand_magnet_eq_t"] * joined["share"],
                           "dytb_t": joined["demand_dytb_t"] * joined["share"]})
    return _apply_demand_events(demand, scenario, steps)


def _rest_of_world(world: pd.DataFrame, named: pd.DataFrame) -> pd.DataFrame:
    """World demand less the named regions' totals, split like the world's sectors (never negative)."""
    columns = ["demand_magnet_eq_t", "demand_dytb_t"]
    world_total = world.groupby("year")[columns].sum()
    left = (world_total - named.groupby("year")[columns].sum().reindex(world_total.index, fill_value=0.0))
    scale = (left["demand_magnet_eq_t"] / world_total["demand_magnet_eq_t"]).clip(lower=0.0)
    rest = world.copy()
    rest[columns] = rest[columns].mul(rest["year"].map(scale), axis=0)
    return rest.assign(region=REST)


def _apply_demand_events(demand, scenario, steps) -> pd.DataFrame:
    regions = set(demand["region"])
    for event in scenario.events:
        if isinstance(event, DemandShock) and event.region.upper() not in regions:
            raise MagchainError(f"demand_shock: region '{event.region}' has no demand in this scenario; "
                                f"use one of {', '.join(sorted(regions))}.")
    order = {p.label: p.index_month for p in steps}
    month = demand["period"].map(order)
    for event in scenario.events:
        if isinstance(event, DemandShock):
            end = month_index(event.end, end=True) if event.end else 10**9
            hit = (demand["region"] == event.region.upper()) & (month >= month_index(event.start)) & (month <= end)
            if event.sector != "all":
                hit &= demand["sector"] == event.sector
            demand.loc[hit, ["tonnes", "dytb_t"]] *= event.factor
        elif event.kind == "thrifting":
            share = demand["period"].map({p.label: _path_value(event.adoption, p.year) for p in steps})
            demand["dytb_t"] *= 1 - event.reduction * share
    return demand


def _path_value(points: dict[int, float], year: float) -> float:
    """A value by year, linear between the given years and flat outside them."""
    years = sorted(points)
    return float(np.interp(year, years, [points[y] for y in years]))


# -- Dy+Tb ------------------------------------------------------------------------------------------
def _heavy_supply(chain, regions, steps, units, demand) -> pd.DataFrame:
    """Dy+Tb each region can supply per period: listed plants' Dy+Tb output, plus, in China,
    whatever the world needs beyond them.

    China separates nearly all of the world's heavy rare earths, but its Dy+Tb output is not
    sourced in the registry; taking it as ample keeps the baseline unconstrained, so that only
    an export control on ``heavy_re`` (or thrifting) changes the picture.
    """
    listed = units[units["dytb_t"] > 0]
    listed_by = listed.groupby([listed["country"].map(lambda c: region_of(chain, regions, c)), "year"])["dytb_t"].sum()
    rows = []
    need = demand.groupby("period")["dytb_t"].sum()
    for step in steps:
        for region in regions:
            tonnes = float(listed_by.get((region, step.year), 0.0)) * step.share_of_year
            if region == HEAVY_HOME:
                tonnes += float(need.get(step.label, 0.0))
            rows.append((region, step.label, tonnes))
    return pd.DataFrame(rows, columns=["region", "period", "tonnes"])


HEAVY_COVER = "dytb_stock_months_of_cover"


def _heavy_stocks(chain, regions, steps, capacity, demand) -> dict[str, float]:
    """Dy+Tb held for each region's magnet makers at the start (t): the latest sourced months of
    cover known by then (figures ``dytb_stock_months_of_cover``; a lower bound such as '> 6'
    counts as 6) times what its makers use a month at full capacity. Regions without a sourced
    cover hold none: an unknown is not a stock."""
    figures = chain.tables["figures"]
    cover = figures[(figures["metric"] == HEAVY_COVER) & (figures["year"].astype(str) <= steps[0].label)]
    first = steps[0]
    made = capacity[(capacity["stage"] == "magnet") & (capacity["period"] == first.label)].groupby("region")["tonnes"].sum()
    at_start = demand[demand["period"] == first.label][["dytb_t", "tonnes"]].sum()
    intensity = at_start["dytb_t"] / at_start["tonnes"] if at_start["tonnes"] > 0 else 0.0
    stocks = {}
    for row in cover.sort_values("year").itertuples():
        region = region_of(chain, regions, str(row.country).upper())
        months = row.value if pd.notna(row.value) else row.low
        if region != REST and pd.notna(months):
            monthly_use = float(made.get(region, 0.0)) / (first.share_of_year * 12) * intensity
            stocks[region] = float(months) * monthly_use
    return stocks


# -- recycling --------------------------------------------------------------------------------------
def _recycled(chain, scenario: Scenario, regions, steps, inputs: ModelInputs) -> pd.DataFrame:
    rows = []
    years = np.arange(steps[0].year, steps[-1].year + 1)
    for event in (e for e in scenario.events if isinstance(e, Recycling)):
        region = event.region.upper()
        if region not in regions:
            raise MagchainError(f"recycling event: region '{event.region}' has no demand figure; use one of "
                                f"{', '.join(regions[:-1])}.")
        stocks = in_use(chain, inputs.paths[region], years, inputs.factors)
        outflow = stocks.groupby("year")["eol_outflow_t"].sum()
        for step in steps:
            rate = _path_value({int(k): v for k, v in event.collection.items()}, step.year)
            rows.append((region, step.label, outflow[step.year] * rate * event.recovery * step.share_of_year))
    return pd.DataFrame(rows, columns=["region", "period", "tonnes"])
