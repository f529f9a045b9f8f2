"""Time-to-survive against time-to-recover for every node (after Simchi-Levi et al., 2015).

Each facility of the modelled stages and each exporting region is knocked out in turn for the
whole horizon; the region's TTS is how long it keeps meeting its baseline demand after that.
A node whose TTS is shorter than its time-to-recover (TTR, from factors.csv) needs mitigation.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from magchain.errors import MagchainError
from magchain.outlook.arrays import ModelInputs
from magchain.scenario.engine import (
    AllocationModel,
    Limits,
    PeriodData,
    Shape,
    allocate,
    period_data,
)
from magchain.scenario.network import build, capacity_units
from magchain.scenario.run import baseline_targets, months_survived
from magchain.scenario.spec import Scenario


def knockouts(network, baseline) -> list[tuple[str, str]]:
    """(node, kind) for every facility with capacity and every region that exports."""
    capacity = network.capacity
    facilities = sorted(set(capacity.loc[(capacity["tonnes"] > 0) & (capacity["facility_id"] != ""), "facility_id"]))
    exporters = sorted({o for (s, o, d, t), v in baseline.ship.items() if o != d and v > 1e-6})
    return [(f, "facility") for f in facilities] + [(r, "exporter") for r in exporters]


def resilience(chain, region: str, scenario: Scenario, progress=None, inputs: ModelInputs | None = None) -> pd.DataFrame:
    """Rank nodes by TTS - TTR for one region (most urgent first).

    The allocation's LP is built once; each knock-out only changes capacities (a facility's
    share of its node) or flow bounds (an exporter's flows), and HiGHS re-solves from the
    previous basis. A knock-out lasts the whole horizon and is known from its start, so each is
    solved with foresight."""
    region = region.upper()
    inputs = (inputs or ModelInputs.from_chain(chain, scenario.base.demand)).with_demand(chain, scenario.base.demand, None)
    months = scenario.base.inventory_months
    if months is None:
        months = float(inputs.factors["magnet_inventory_months"])
    network = build(chain, scenario, months, inputs, capacity_units(inputs, scenario))
    if region not in network.regions:
        raise MagchainError(f"Region '{region}' is not a model region; use one of {', '.join(network.regions)}.")
    baseline = allocate(network, scenario.priorities, Limits(), [], release_from=None)
    shape = Shape.of(network, scenario.priorities, Limits(), [])
    start = network.periods[0].index_month
    central = period_data(network, shape, Limits(), [], release_from=start,
                          targets=baseline_targets(network, network, baseline))
    at = shape.regions.index(region)
    demand = period_data(network, shape, Limits(), [], release_from=None).demand[at].sum(axis=0)
    base_short = np.maximum(demand - _supplied(baseline.arrays["use"], at), 0.0)
    model = AllocationModel(shape, len(central.labels), switching=False)
    by_facility = _facility_capacity(network, shape, central.labels)
    ttr = {kind: float(inputs.factors[f"ttr_months_{kind if kind == 'facility' else 'country'}"])
           for kind in ("facility", "exporter")}
    rows = []
    nodes = knockouts(network, baseline)
    for node, kind in (progress(nodes) if progress else nodes):
        solution = model.solve(_knocked_out(central, shape, kind, node, by_facility))
        extra = np.maximum(demand - _supplied(solution.value("use"), at), 0.0) - base_short
        tts, whole = months_survived(network.periods, start, demand, extra)
        rows.append({"node": node, "kind": kind, "tts_months": tts, "tts_censored": whole,
                     "ttr_months": ttr[kind], "needs_mitigation": not whole and tts < ttr[kind]})
    table = pd.DataFrame(rows)
    table["margin_months"] = table["tts_months"] - table["ttr_months"]
    return table.sort_values(["margin_months", "node"]).reset_index(drop=True)


def _supplied(use, at: int) -> np.ndarray:
    """What region ``at``'s sectors received (the ``use`` family), summed, by period; a knock-out
    has no stockpiles."""
    return use.values[at].sum(axis=0)


def _facility_capacity(network, shape: Shape, labels: list[str]) -> dict[str, np.ndarray]:
    """Each facility's capacity as an array over (stage, region, period)."""
    stage = {s: i for i, s in enumerate(shape.stages)}
    region = {r: i for i, r in enumerate(shape.regions)}
    period = {p: i for i, p in enumerate(labels)}
    capacity = network.capacity[network.capacity["facility_id"] != ""]
    arrays = {}
    for facility, rows in capacity.groupby("facility_id"):
        array = np.zeros((len(shape.stages), len(shape.regions), len(labels)))
        np.add.at(array, (rows["stage"].map(stage), rows["region"].map(region), rows["period"].map(period)),
                  rows["tonnes"].to_numpy())
        arrays[facility] = array
    return arrays


def _knocked_out(central: PeriodData, shape: Shape, kind: str, node: str, by_facility) -> PeriodData:
    """The central data with one facility's capacity removed, or one exporter's exports stopped."""
    if kind == "facility":
        return replace(central, capacity=np.maximum(central.capacity - by_facility[node], 0.0))
    flow_cap = central.flow_cap.copy()
    exporter = shape.regions.index(node)
    others = [i for i in range(len(shape.regions)) if i != exporter]
    flow_cap[:, exporter, others, :] = 0.0
    return replace(central, flow_cap=flow_cap)
