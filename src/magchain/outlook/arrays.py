"""The one input object of the numeric core (magchain.model), built once from a Chain.

:class:`ModelInputs` holds every number the core computes with as a named array (declared in
``data/model/schema.csv``): the capacity blocks over a ``block`` dimension, each factor of
``factors.csv``, and each region's demand path. Building it reads the registry once (the
capacity plan is the slow part); everything after is arithmetic on arrays. A Monte Carlo
replaces some arrays with ones that carry a ``draw`` dimension; nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import xarray as xr

from magchain.errors import MagchainError
from magchain.model.blocks import pack
from magchain.model.schema import check
from magchain.outlook.capacity import UNSIZED, Exclusion, plan
from magchain.outlook.demand import demand_path, sector_bases
from magchain.outlook.inputs import Regions


def factor_arrays(chain) -> xr.Dataset:
    """Every factor of factors.csv as a named 0-d array, its unit and range in the attributes."""
    return xr.Dataset({name: xr.DataArray(f.value, attrs={"unit": f.unit, "low": f.low, "high": f.high})
                       for name, f in chain.factors.items()})


def demand_arrays(chain, preset: str = "base", growth: str | None = None) -> tuple[xr.Dataset, dict]:
    """Direct demand of every region with a sourced path: base tonnes, base year and growth rate."""
    regions = sorted({r.upper() for r in chain.demand_presets["region"]})
    paths = {r: p for r in regions if (p := demand_path(chain, r, preset, growth)) is not None}
    names = list(paths)
    data = xr.Dataset({
        "base_t": ("region", np.array([paths[r].base_magnet_t for r in names], dtype=float)),
        "base_year": ("region", np.array([paths[r].base_year for r in names], dtype=float)),
        "growth": ("region", np.array([paths[r].growth.rate for r in names], dtype=float)),
    }, coords={"region": np.array(names, dtype=object)})
    return data.assign({name: check(name, data[name]) for name in data.data_vars}), paths


@dataclass(frozen=True)
class ModelInputs:
    """Everything the core computes with, as named arrays, plus the records the plan left out."""

    blocks: xr.Dataset
    factors: xr.Dataset
    demand: xr.Dataset
    paths: dict  # region -> DemandPath (the demand's sources, for citations at the edges)
    exclusions: tuple[Exclusion, ...]
    unsized: pd.DataFrame  # operating plants without a capacity figure: facility_id, country, stage
    regions: Regions
    preset: str = "base"
    growth_text: str | None = None
    sectors: dict = field(default_factory=dict)  # region -> its SectorBase rows (sectors.csv, formulas evaluated)

    @classmethod
    def from_chain(cls, chain, demand: str = "base", growth: str | None = None) -> ModelInputs:
        blocks, exclusions = chain.derived("capacity plan", lambda: plan(chain))
        demand_data, paths = demand_arrays(chain, demand, growth)
        return cls(pack(blocks), factor_arrays(chain), demand_data, paths, tuple(exclusions),
                   _unsized(exclusions, chain.tables["facilities"]), chain.regions, demand, growth,
                   {region: sector_bases(chain, region) for region in paths})

    def with_demand(self, chain, preset: str, growth: str | None) -> ModelInputs:
        """The same capacity and factors with another demand preset or growth override."""
        if (preset, growth) == (self.preset, self.growth_text):
            return self
        demand_data, paths = demand_arrays(chain, preset, growth)
        return replace(self, demand=demand_data, paths=paths, preset=preset, growth_text=growth)

    def with_arrays(self, factors: dict | None = None, blocks: dict | None = None,
                    demand: dict | None = None) -> ModelInputs:
        """A copy with some named arrays replaced (e.g. by arrays with a draw dimension)."""
        def updated(data: xr.Dataset, new: dict | None, declared: bool) -> xr.Dataset:
            if not new:
                return data
            unknown = set(new) - set(data.data_vars)
            if unknown:
                raise MagchainError(f"Unknown model input(s): {', '.join(sorted(unknown))}.")
            return data.assign({k: check(k, v) if declared else v for k, v in new.items()})
        return replace(self, factors=updated(self.factors, factors, False),
                       blocks=updated(self.blocks, blocks, True), demand=updated(self.demand, demand, True))

    def member(self, region: str) -> np.ndarray:
        """Which blocks lie in a region (every block for WORLD)."""
        members = self.regions.members(region)
        countries = self.blocks["country"].values
        if members is None:
            return np.ones(len(countries), dtype=bool)
        return np.isin(countries, list(members))

    def unsized_count(self, region: str) -> dict[str, int]:
        """Operating plants of the region without a capacity figure, by stage."""
        members = self.regions.members(region)
        rows = self.unsized if members is None else self.unsized[self.unsized["country"].isin(members)]
        return rows.groupby("stage").size().to_dict()


def _unsized(exclusions, facilities: pd.DataFrame) -> pd.DataFrame:
    indexed = facilities.set_index("id")
    rows = [{"facility_id": e.facility_id, "country": indexed.loc[e.facility_id, "country"],
             "stage": indexed.loc[e.facility_id, "stage"]}
            for e in exclusions if e.reason == UNSIZED and e.status == "operating" and e.facility_id in indexed.index]
    return pd.DataFrame(rows, columns=["facility_id", "country", "stage"])
