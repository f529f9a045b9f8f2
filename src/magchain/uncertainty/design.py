"""The design of a Monte Carlo: which inputs are uncertain, one quantile column each, and how a
matrix of quantiles (draw x column) becomes model inputs with a ``draw`` dimension."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import xarray as xr

from magchain.errors import InvalidInput
from magchain.outlook.arrays import demand_arrays
from magchain.outlook.demand import Growth
from magchain.uncertainty.distributions import (
    Distribution,
    factor_distribution,
    read_declared,
    reference_class_of,
    reference_classes,
)


@dataclass(frozen=True)
class Column:
    """One column of quantiles: the inputs it drives and the group Sobol indices report it under."""

    name: str
    group: str


@dataclass(frozen=True)
class Design:
    """Uncertain inputs of a model and the transform from quantiles to arrays."""

    columns: tuple[Column, ...]
    factors: dict  # factor name -> (column index, Distribution)
    growth: dict  # region -> (column index, Distribution) of its annual demand growth
    plants: tuple  # (column index, block positions, reference class) per plan
    classes: dict  # reference class name -> ReferenceClass

    @property
    def size(self) -> int:
        return len(self.columns)

    def groups(self) -> list[str]:
        return [c.group for c in self.columns]

    def apply(self, inputs, u: np.ndarray):
        """Model inputs for each row of ``u`` (draw x column), every uncertain array along ``draw``."""
        u = np.asarray(u, dtype=float)
        if u.ndim != 2 or u.shape[1] != self.size:
            raise InvalidInput(f"Quantiles must be a (draws x {self.size}) matrix; got shape {u.shape}.")
        draws = np.arange(u.shape[0])
        factors = {name: xr.DataArray(dist.ppf(u[:, col]), dims="draw", coords={"draw": draws},
                                      attrs=inputs.factors[name].attrs)
                   for name, (col, dist) in self.factors.items()}
        demand = {}
        if self.growth:
            regions = list(inputs.demand["region"].values)
            rates = np.stack([self.growth[r][1].ppf(u[:, self.growth[r][0]]) if r in self.growth
                              else np.full(len(draws), float(inputs.demand["growth"].sel(region=r)))
                              for r in regions])
            demand["growth"] = xr.DataArray(rates, dims=("region", "draw"),
                                            coords={"region": inputs.demand["region"].values, "draw": draws})
        blocks = {}
        if self.plants:
            n_blocks = inputs.blocks.sizes["block"]
            delay, active = np.zeros((len(draws), n_blocks)), np.ones((len(draws), n_blocks))
            for col, positions, reference in self.plants:
                drawn = self.classes[reference].ppf(u[:, col])
                delay[:, positions] = np.nan_to_num(drawn, nan=0.0)[:, None]
                active[:, positions] = np.isfinite(drawn)[:, None]
            blocks = {"delay": xr.DataArray(delay, dims=("draw", "block"), coords={"draw": draws}),
                      "active": xr.DataArray(active, dims=("draw", "block"), coords={"draw": draws})}
        return inputs.with_arrays(factors=factors, blocks=blocks, demand=demand)

    def one(self, inputs, u_row: np.ndarray):
        """Model inputs of one draw, as plain scalars (for engines that take one draw at a time)."""
        drawn = self.apply(inputs, np.asarray(u_row)[None, :])
        factors = drawn.factors.isel(draw=0, drop=True) if "draw" in drawn.factors.dims else drawn.factors
        blocks = drawn.blocks.isel(draw=0, drop=True) if "draw" in drawn.blocks.dims else drawn.blocks
        demand = drawn.demand.isel(draw=0, drop=True) if "draw" in drawn.demand.dims else drawn.demand
        paths = {r: replace(p, growth=Growth(float(demand["growth"].sel(region=r))))
                 for r, p in drawn.paths.items()}
        values = {name: float(factors[name]) for name in self.factors}
        sectors = {region: [replace(b, amount=b.formula.value_with(values))
                            if b.formula is not None and b.formula.factors() & values.keys() else b for b in bases]
                   for region, bases in drawn.sectors.items()}  # magnet intensities reach the sector split
        return replace(drawn, factors=factors, blocks=blocks, demand=demand, paths=paths, sectors=sectors)


def design(chain, inputs, scope: str = "outlook", folder=None) -> Design:
    """The uncertain inputs of ``inputs`` (a region's, or the world's) for an engine's ``scope``."""
    declared = [d for d in read_declared(folder) if d.scope == "outlook" or scope == "scenario"]
    columns: list[Column] = []
    drivers: dict[str, int] = {}

    def column_for(name: str, driver: str, group: str) -> int:
        if driver:
            if driver not in drivers:
                drivers[driver] = len(columns)
                columns.append(Column(f"driver:{driver}", f"{driver} (shared driver)"))
            return drivers[driver]
        columns.append(Column(name, group))
        return len(columns) - 1

    factors, growth, plants = {}, {}, []
    for row in declared:
        where = f"distributions.csv, input {row.input}"
        if row.input == "growth":
            for region, dist in _growth_distributions(chain, inputs, where).items():
                growth[region] = (column_for(f"growth:{region}", row.driver or "demand", "demand growth"), dist)
        elif row.input == "plant_start":
            plants = _plant_columns(inputs, columns)
        else:
            if row.input not in chain.factors:
                raise InvalidInput(f"{where}: '{row.input}' is not a factor in factors.csv. Fix the name or add "
                                   "the factor with its source.")
            dist = factor_distribution(row, chain.factors[row.input], where)
            factors[row.input] = (column_for(row.input, row.driver, row.input), dist)
    return Design(tuple(columns), factors, growth, tuple(plants), reference_classes(folder))


def _growth_distributions(chain, inputs, where: str) -> dict[str, Distribution]:
    """Each region's growth between its low and high presets, its chosen preset as the mode."""
    low, _ = demand_arrays(chain, "low")
    high, _ = demand_arrays(chain, "high")
    out = {}
    for region in inputs.demand["region"].values:
        if region not in low["region"].values or region not in high["region"].values:
            continue  # no low or high preset: the region's growth stays as its preset says
        values = [float(d["growth"].sel(region=region)) for d in (low, inputs.demand, high)]
        try:
            out[region] = Distribution("triangular", *values)
        except InvalidInput as error:
            raise InvalidInput(f"{where} ({region}, demand.csv presets low, {inputs.preset}, high): {error}") from None
    return out


def _plant_columns(inputs, columns: list[Column]) -> list:
    """One quantile per plan, drawn from its stage's reference class: a pending plant's blocks share one
    (built late, or not at all, together); an expansion of a running plant has its own."""
    blocks = inputs.blocks
    keys: dict[str, list[int]] = {}
    pending = np.flatnonzero(blocks["pending"].values)
    for position in pending:
        status = blocks["status"].values[position]
        key = (f"plant:{blocks['facility_id'].values[position]}" if status != "operating"
               else f"expansion:{blocks['record_id'].values[position]}")
        keys.setdefault(key, []).append(int(position))
    out = []
    for key, positions in sorted(keys.items()):
        reference = reference_class_of(blocks["stage"].values[positions[0]])
        columns.append(Column(key, key))  # one group per plan: Sobol then names the plants that matter
        out.append((len(columns) - 1, np.array(positions), reference))
    return out
