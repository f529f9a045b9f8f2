"""Calibration: the model's base years set against what was observed.

Two tables:

- **coverage**: per stage and year, the world production the model counts (listed plants plus
  national statistics net of them) against a published world figure of that stage, each on
  the published figure's own material basis;
- **checks**: the rows of ``calibration.csv``, each a modelled quantity (production or
  capacity of a stage in a region, a region's direct demand, China's exports in total or to a
  destination, the share of world demand the no-event allocation meets, regional consistency)
  against an observed figure, with the tolerance and bound written in that file.

Observed figures are formulas over registry figures and parameters (see ``outlook.formula``),
so no observed value is copied into the check. A row passes when the model is within its
tolerance: ``point`` within +/- tolerance, ``lower`` (the observation is a part or a minimum) at
least 1 - tolerance of it, ``upper`` at most 1 + tolerance of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from magchain.errors import MagchainError
from magchain.model.conversions import Converter
from magchain.outlook import outlook
from magchain.outlook.arrays import ModelInputs
from magchain.outlook.capacity import STATISTICS
from magchain.outlook.demand import demand_path, regional_consistency
from magchain.outlook.formula import evaluate
from magchain.outlook.inputs import WORLD
from magchain.scenario.run import run
from magchain.scenario.spec import parse

COVERAGE_TARGET = 0.90  # listed plants plus statistics must account for 90 % of each stage's world output
QUANTITIES = ("production", "capacity", "direct_demand", "exports", "exports_to", "demand_met", "consistency")
BOUNDS = ("point", "lower", "upper")
# The published world figure that stands for each stage's output, in order of preference.
WORLD_METRICS = {
    "mine": ("mine_production",),
    "separation": ("ndpr_oxide_production",),
    "metal": ("ndpr_metal_production",),
    "alloy": ("ndfeb_alloy_production",),
    "magnet": ("magnet_production",),
    "recycling": ("recycled_ndpr_oxide_production",),
}
MATERIAL_OF = {s.metric: s.material for s in STATISTICS}


@dataclass
class Calibration:
    """The model of one chain over some years, computed once and read by every check."""

    chain: object
    years: np.ndarray

    @cached_property
    def inputs(self) -> ModelInputs:
        return ModelInputs.from_chain(self.chain)

    @cached_property
    def world(self):
        return outlook(self.chain, WORLD, (int(self.years[0]), int(self.years[-1])), inputs=self.inputs)

    @cached_property
    def converter(self) -> Converter:
        return Converter.central(self.chain)

    @cached_property
    def no_event(self):
        """The no-event scenario run over the calibration years, one period a year."""
        text = (f"name: calibration\ntitle: No-event allocation of the base years\n"
                f"base: {{start: {int(self.years[0])}, end: {int(self.years[-1])}, periods: year}}\nevents: []\n")
        return run(self.chain, parse(text, "calibration"), self.inputs)

    # -- modelled quantities ---------------------------------------------------------------------
    def stage_tonnes(self, stage: str, region: str, year: int, material: str, what: str) -> float:
        """Production or capacity of a stage in a region, on a material basis, through contained NdPr."""
        units = self.world.units
        inside = np.array([self.chain.regions.contains(region, c) for c in units["country"]], dtype=bool)
        rows = units[(units["stage"] == stage).to_numpy() & (units["year"] == year).to_numpy() & inside]
        column = "production_t" if what == "production" else "capacity_t"
        ndpr = sum(self.converter.ndpr_element(t, m) for t, m in zip(rows[column], rows["material"]))
        return ndpr / self.converter.ndpr_element(1.0, material)

    def direct_demand(self, region: str, year: int) -> float:
        path = demand_path(self.chain, region)
        return float(path.magnets(np.array([year]))[0]) if path else np.nan

    def exports(self, exporter: str, year: int, destination: str | None = None) -> float:
        flows = self.no_event.flows()
        rows = flows[(flows["stage"] == "magnet") & (flows["origin"] == exporter) & (flows["destination"] != exporter)
                     & (flows["period"] == str(year))]
        if destination:
            rows = rows[rows["destination"] == destination]
        return float(rows["tonnes"].sum())

    def demand_met(self, year: int) -> float:
        frame = self.no_event.baseline_shortfall
        rows = frame[frame["period"] == str(year)]
        return float(rows["supplied_t"].sum() / rows["demand_t"].sum())


def coverage(chain, years=(2020, 2025)) -> pd.DataFrame:
    """Per stage and year: world production in the model against the published world figure."""
    model = Calibration(chain, np.arange(years[0], years[1] + 1))
    figures = chain.tables["figures"]
    rows = []
    for stage, metrics in WORLD_METRICS.items():
        for year in model.years:
            published = _world_figure(figures, metrics, int(year))
            if published is None:
                rows.append({"stage": stage, "year": int(year), "material": None, "model_t": None,
                             "published_t": None, "comparator": None, "share": None, "figure_id": None,
                             "source": None})
                continue
            material = chain.statistic_material(WORLD, published["metric"], MATERIAL_OF[published["metric"]])
            modelled = model.stage_tonnes(stage, WORLD, int(year), material, "production")
            rows.append({"stage": stage, "year": int(year), "material": material, "model_t": modelled,
                         "published_t": float(published["value"]), "comparator": published["comparator"] or None,
                         "share": modelled / float(published["value"]), "figure_id": published["id"],
                         "source": _cite(chain, published["source_id"])})
    return pd.DataFrame(rows)


def _world_figure(figures: pd.DataFrame, metrics, year: int):
    """The newest world figure of a stage and year; a plain figure before one qualified with '>' or '<'."""
    rows = figures[(figures["country"] == WORLD) & figures["metric"].isin(metrics) & figures["value"].notna()
                   & (figures["year"].astype(str) == str(year))]
    if rows.empty:
        return None
    qualified = rows["comparator"].isin([">", "<", ">=", "<="])
    return rows.assign(_bound=qualified).sort_values(["_bound", "known_from", "id"], ascending=[False, True, True]).iloc[-1]


def _cite(chain, source_id) -> str:
    source = chain.source(source_id)
    parts = [source.get("title") or source_id, source.get("publisher"), source.get("published"), source.get("url")]
    return ", ".join(str(p) for p in parts if p and not (isinstance(p, float) and np.isnan(p)))


def checks(chain, years=(2020, 2025)) -> pd.DataFrame:
    """Every row of calibration.csv within the years: model, observed, ratio, tolerance, pass."""
    model = Calibration(chain, np.arange(years[0], years[1] + 1))
    table = chain.calibration
    rows = []
    for index, row in table.iterrows():
        if not str(row["year"])[:4].isdigit():
            raise MagchainError(f"calibration.csv, row {index + 2}, column year: '{row['year']}' is not a year. "
                                "Write YYYY, e.g. 2024.")
        year = int(str(row["year"])[:4])
        if not years[0] <= year <= years[1]:
            continue
        where = f"calibration.csv, row {index + 2} ({row['check']})"
        rows.append(_check(model, row, year, where))
    return pd.DataFrame(rows)


def _check(model: Calibration, row, year: int, where: str) -> dict:
    quantity, bound = row["quantity"], row["bound"]
    if quantity not in QUANTITIES:
        raise MagchainError(f"{where}: quantity '{quantity}' is not one of {', '.join(QUANTITIES)}.")
    if bound not in BOUNDS:
        raise MagchainError(f"{where}: bound '{bound}' is not one of {', '.join(BOUNDS)}.")
    try:
        tolerance = float(row["tolerance"])
    except (TypeError, ValueError):
        raise MagchainError(f"{where}: tolerance '{row['tolerance']}' is not a number (0.15 means 15 %).") from None
    observed = evaluate(str(row["observed"]), model.chain, f"{where}, column observed")
    if observed is None:
        raise MagchainError(f"{where}: the observed figure is not known on the chain's as-of date.")
    modelled = _modelled(model, row, year, where)
    ratio = modelled / observed.value if observed.value else np.nan
    low, high = {"point": (1 - tolerance, 1 + tolerance), "lower": (1 - tolerance, np.inf),
                 "upper": (0.0, 1 + tolerance)}[bound]
    records = observed.parameters
    return {"check": row["check"], "quantity": quantity, "stage": row.get("stage") or None,
            "region": row["region"], "destination": row.get("destination") or None, "year": str(row["year"]),
            "model": modelled, "observed": observed.value, "ratio": ratio, "tolerance": tolerance, "bound": bound,
            "passes": bool(low <= ratio <= high), "source": "; ".join(_cite(model.chain, r["source_id"]) for r in records),
            "notes": row.get("notes") or ""}


def _modelled(model: Calibration, row, year: int, where: str) -> float:
    quantity, region = row["quantity"], str(row["region"]).upper()
    if quantity in ("production", "capacity"):
        if not row.get("material"):
            raise MagchainError(f"{where}: a {quantity} check needs the material of the observed figure.")
        return model.stage_tonnes(row["stage"], region, year, row["material"], quantity)
    if quantity == "direct_demand":
        return model.direct_demand(region, year)
    if quantity == "exports":
        return model.exports(region, year)
    if quantity == "exports_to":
        return model.exports(region, year, str(row["destination"]).upper())
    if quantity == "demand_met":
        return model.demand_met(year)
    consistency = regional_consistency(model.chain, np.array([year]))
    return float(consistency["named_regions_t"].iloc[0] / consistency["world_t"].iloc[0])
