"""Mass balance of contained NdPr along the chain, per region and year.

The supply-limited path: each stage processes what the stage above delivers, up to its own
production, and passes on its output after the stage's yield. Every tonne that enters is
booked as output, process loss (swarf, slag, tailings) or surplus left unprocessed; the
residual (what enters minus what is booked) must be zero up to rounding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from magchain.errors import MagchainError
from magchain.model.conversions import Converter

# Stage -> yield factor applied to the NdPr it processes.
STAGE_YIELD = (("separation", "separation_recovery"), ("metal", "oxide_to_metal_yield"),
               ("alloy", "metal_to_alloy_yield"), ("magnet", "machining_yield"))


def ndpr_path(mine_ndpr: np.ndarray, stage_ndpr: dict[str, np.ndarray], recycled_ndpr: np.ndarray,
              demand_ndpr: np.ndarray, converter: Converter) -> pd.DataFrame:
    """Flows of contained NdPr (t) for arrays over years; stage_ndpr is each stage's production ceiling."""
    flows = {"mine_output": mine_ndpr, "recycled_input": recycled_ndpr}
    available = mine_ndpr
    for stage, factor in STAGE_YIELD:
        if stage == "magnet":
            available = available + recycled_ndpr  # recycled alloy and powder re-enter at magnet making
        # stage_ndpr is the ceiling on what the stage can take in, on the NdPr of its output basis
        taken = np.minimum(available, stage_ndpr[stage] / converter.f[factor])
        output = taken * converter.f[factor]
        flows[f"{stage}_surplus"] = available - taken
        flows[f"{stage}_loss"] = taken - output
        flows[f"{stage}_output"] = output
        available = output
    delivered = np.minimum(available, demand_ndpr)
    flows["delivered"] = delivered
    flows["unsold"] = available - delivered
    flows["unmet_demand"] = demand_ndpr - delivered
    booked = sum(flows[f"{s}_{k}"] for s, _ in STAGE_YIELD for k in ("surplus", "loss")) + delivered + flows["unsold"]
    flows["residual"] = mine_ndpr + recycled_ndpr - booked
    return pd.DataFrame(flows)


def mass_balance(result, converter: Converter | None = None) -> pd.DataFrame:
    """NdPr flows and residual per year for an outlook result (production, not capacity)."""
    converter = converter or Converter.central(result.chain)
    units = result.units
    years = result.years
    ndpr_production = units.assign(ndpr_prod=units["ndpr_t"] * units["production_t"] / units["capacity_t"].where(units["capacity_t"] > 0))
    by_stage = ndpr_production.groupby(["stage", "year"])["ndpr_prod"].sum()

    def series(stage):
        return by_stage[stage].reindex(years, fill_value=0.0).fillna(0.0).to_numpy() if stage in by_stage.index.levels[0] else np.zeros(len(years))

    demand = result.table[result.table["stage"] == "magnet"]["demand_magnet_eq_t"].to_numpy() * converter.f["ndpr_wt_magnet"]
    frame = ndpr_path(series("mine"), {s: series(s) for s, _ in STAGE_YIELD}, series("recycling"), np.nan_to_num(demand), converter)
    frame.insert(0, "year", years)
    frame.insert(0, "region", result.region)
    return frame


BALANCE_TOLERANCE = 1e-9  # what enters minus what is booked, relative to what enters


def check_balance(result, tolerance: float = BALANCE_TOLERANCE) -> None:
    """Refuse an outlook whose NdPr does not balance: every tonne mined or recycled must be booked."""
    frame = mass_balance(result)
    entering = (frame["mine_output"] + frame["recycled_input"]).to_numpy()
    worst = float(np.max(np.abs(frame["residual"].to_numpy()) / np.where(entering > 0, entering, 1.0), initial=0.0))
    if worst > tolerance:
        raise MagchainError(f"The NdPr mass balance of the {result.region} outlook does not close: a residual of "
                            f"{worst:.2e} of what enters, above the tolerance {tolerance:.0e}. This is a bug; "
                            "please report it with the command that produced it.")
