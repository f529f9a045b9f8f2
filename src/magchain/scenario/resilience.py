"""Time-to-survive against time-to-recover for every node (after Simchi-Levi et al., 2015).

Each facility of the modelled stages and each exporting region is knocked out in turn for the
whole horizon; the region's TTS is how long it keeps meeting its baseline demand after that.
A node whose TTS is shorter than its time-to-recover (TTR, from factors.csv) needs mitigation.
"""

from __future__ import annotations

import pandas as pd

from magchain.errors import MagchainError
from magchain.outlook.arrays import ModelInputs
from magchain.scenario.engine import Limits, allocate
from magchain.scenario.network import HEAVY, build, capacity_units
from magchain.scenario.run import _shortfall, baseline_targets, time_to_survive, trade_limits
from magchain.scenario.spec import ExportControl, PlantOutage, Scenario


def knockouts(scenario: Scenario, network, baseline) -> list[tuple[str, str, object]]:
    """(node, kind, event) for every facility with capacity and every region that exports."""
    months = len(network.periods) * 12 * network.periods[0].share_of_year
    start = scenario.base.start if "-" in scenario.base.start else f"{scenario.base.start}-01"
    capacity = network.capacity
    facilities = sorted(set(capacity.loc[(capacity["tonnes"] > 0) & (capacity["facility_id"] != ""), "facility_id"]))
    nodes = [(f, "facility", PlantOutage(kind="plant_outage", facility=f, start=start, months=months))
             for f in facilities]
    exporters = sorted({o for (s, o, d, t), v in baseline.ship.items() if o != d and v > 1e-6})
    nodes += [(r, "exporter", ExportControl(kind="export_control", exporter=r, stages=[*network.stages, HEAVY],
                                            start=start, cut=1.0)) for r in exporters]
    return nodes


def resilience(chain, region: str, scenario: Scenario, progress=None) -> pd.DataFrame:
    """Rank nodes by TTS - TTR for one region (most urgent first)."""
    region = region.upper()
    inputs = ModelInputs.from_chain(chain, scenario.base.demand)
    months = scenario.base.inventory_months
    if months is None:
        months = float(inputs.factors["magnet_inventory_months"])
    units = capacity_units(inputs, scenario)
    network = build(chain, scenario, months, inputs, units)
    if region not in network.regions:
        raise MagchainError(f"Region '{region}' is not a model region; use one of {', '.join(network.regions)}.")
    baseline = allocate(network, scenario.priorities, Limits(), [], release_from=None)
    base_shortfall = _shortfall(network, baseline)
    rows = []
    nodes = knockouts(scenario, network, baseline)
    for node, kind, event in (progress(nodes) if progress else nodes):
        trial = scenario.model_copy(update={"events": [event]})
        hit = build(chain, trial, months, inputs, units) if kind == "facility" else network
        limits = trade_limits(chain, trial, hit, baseline)
        allocation = allocate(hit, scenario.priorities, limits, [], release_from=0,
                              targets=baseline_targets(hit, network, baseline))
        tts, censored = time_to_survive(trial, hit, _shortfall(hit, allocation), base_shortfall)
        ttr = float(inputs.factors["ttr_months_facility" if kind == "facility" else "ttr_months_country"])
        rows.append({"node": node, "kind": kind, "tts_months": tts[region], "tts_censored": region in censored,
                     "ttr_months": ttr, "needs_mitigation": tts[region] < ttr})
    table = pd.DataFrame(rows)
    table["margin_months"] = table["tts_months"] - table["ttr_months"]
    return table.sort_values(["margin_months", "node"]).reset_index(drop=True)
