"""Run a scenario: the no-event baseline, the scenario itself, and what they differ by.

Export controls cap flows relative to the baseline's flows (a cut of 0.74 leaves 26 % of what
the exporter would have shipped to that destination); time-to-survive (TTS) is how long a
region keeps meeting the demand it met in the baseline after the first disruption starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from magchain.errors import InvalidInput, MagchainError
from magchain.outlook.arrays import ModelInputs
from magchain.prices import scenario as market_prices
from magchain.scenario import embedded as embedded_demand
from magchain.scenario import licences
from magchain.scenario.checks import check
from magchain.scenario.engine import Allocation, Limits, Quota, allocate
from magchain.scenario.network import (
    HEAVY,
    REST,
    Network,
    build,
    capacity_units,
    month_index,
    region_of,
)
from magchain.scenario.spec import (
    ExportControl,
    FinishedGoodsControl,
    LicenceRegime,
    PriceFloor,
    Scenario,
    Stockpile,
    Tariff,
)

DISRUPTIONS = ("export_control", "licence_regime", "finished_goods_control", "plant_outage", "plant_delay", "demand_shock")
NETWORK_EVENTS = ("plant_outage", "plant_delay", "capacity_change", "demand_shock", "thrifting", "recycling")
TOLERANCE = 0.005  # a region 'stops meeting demand' when its extra shortfall exceeds 0.5 % of demand


@dataclass
class ScenarioResult:
    scenario: Scenario
    network: Network
    allocation: Allocation
    baseline: Allocation
    shortfall: pd.DataFrame
    baseline_shortfall: pd.DataFrame
    tts_months: dict[str, float]
    tts_censored: list[str]
    fiscal: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    embedded: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=embedded_demand.COLUMNS))
    baseline_embedded: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=embedded_demand.COLUMNS))
    fitted: dict[str, float] = field(default_factory=dict)  # parameters fitted on observed months
    baseline_network: Network | None = None  # the no-event network (the scenario's own when events keep it)
    prices: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=market_prices.COLUMNS))

    def flows(self) -> pd.DataFrame:
        """Trade flows by stage (and heavy_re for Dy+Tb), origin, destination and period."""
        flows = {**self.allocation.ship, **self.allocation.heavy}
        rows = [{"stage": s, "origin": o, "destination": d, "period": t, "tonnes": v}
                for (s, o, d, t), v in flows.items() if v > 1e-6]
        return pd.DataFrame(rows, columns=["stage", "origin", "destination", "period", "tonnes"])

    def makers(self) -> pd.DataFrame:
        """Magnets made by each region's makers against the baseline, by period: what a Dy+Tb cut or
        an outage takes from makers even where users are served by others."""
        keys = [k for k in self.allocation.produced if k[0] == self.network.stages[-1]]
        rows = [{"region": r, "period": t, "made_t": self.allocation.produced[(s, r, t)],
                 "baseline_made_t": self.baseline.produced.get((s, r, t), 0.0)} for s, r, t in keys]
        frame = pd.DataFrame(rows, columns=["region", "period", "made_t", "baseline_made_t"])
        frame["lost_t"] = (frame["baseline_made_t"] - frame["made_t"]).clip(lower=0.0)
        return frame

    def makers_output_lost(self) -> float:
        """Magnets the makers of every region make less than in the baseline, over the whole run
        (a region's shifts between months are not losses)."""
        totals = self.makers().groupby("region")[["made_t", "baseline_made_t"]].sum()
        return float((totals["baseline_made_t"] - totals["made_t"]).clip(lower=0.0).sum())

    def scarcity(self) -> pd.DataFrame:
        """The balance rows' duals: what one more magnet in a region and period is worth to the
        allocation, in priority-weighted tonnes of demand met (0 where supply is ample)."""
        duals = self.allocation.arrays["scarcity"].to_series().rename("scarcity").reset_index()
        return duals[["region", "period", "scarcity"]]

    def by_region(self) -> pd.DataFrame:
        """Shortfall by region and period: the scenario's, the baseline's, and beyond the baseline."""
        keys = ["region", "period"]
        frame = self.shortfall.groupby(keys)[["demand_t", "shortfall_t"]].sum()
        frame["baseline_shortfall_t"] = self.baseline_shortfall.groupby(keys)["shortfall_t"].sum()
        frame["extra_t"] = (frame["shortfall_t"] - frame["baseline_shortfall_t"].fillna(0.0)).clip(lower=0.0)
        return frame.reset_index()

    def totals(self) -> pd.DataFrame:
        """By region over the whole run: demand, supplied, the shortfall beyond the baseline (the
        scenario's effect) and its share of demand, the baseline's own shortfall beside it, and
        time-to-survive (``never_short`` where the run ends before the region goes short)."""
        frame = self.by_region().groupby("region")[["demand_t", "shortfall_t", "baseline_shortfall_t", "extra_t"]].sum()
        frame["supplied_t"] = frame["demand_t"] - frame["shortfall_t"]
        frame["extra_share"] = frame["extra_t"] / frame["demand_t"].where(frame["demand_t"] > 0)
        frame["tts_months"] = frame.index.map(self.tts_months)
        frame["never_short"] = frame.index.isin(self.tts_censored)
        columns = ["demand_t", "supplied_t", "extra_t", "extra_share", "baseline_shortfall_t", "tts_months", "never_short"]
        return frame[columns].reset_index()

    def windows(self) -> list[dict]:
        """Each dated event's kind and months, for shading a chart."""
        rows = []
        for event in self.scenario.events:
            start = getattr(event, "start", None)
            if start:
                end = getattr(event, "end", None)
                months = getattr(event, "months", None)
                if end is None and months:
                    first = month_index(start) + int(np.ceil(months)) - 1
                    end = f"{first // 12}-{first % 12 + 1:02d}"
                rows.append({"kind": event.kind, "start": start, "end": end})
        return rows

    def stockpiles(self) -> pd.DataFrame:
        rows = [{"holder": d, "period": t, "stockpile_t": v} for (d, t), v in self.allocation.pile.items()]
        return pd.DataFrame(rows, columns=["holder", "period", "stockpile_t"])

    def utilisation(self) -> pd.DataFrame:
        capacity = self.network.node_capacity().set_index(["stage", "region", "period"])["tonnes"]
        rows = []
        for key, cap in capacity.items():
            if cap > 0:
                rows.append({"stage": key[0], "region": key[1], "period": key[2], "capacity_t": cap,
                             "produced_t": self.allocation.produced.get(key, 0.0),
                             "utilisation": self.allocation.produced.get(key, 0.0) / cap})
        return pd.DataFrame(rows)

    def summary(self) -> dict:
        """One comparable row: shortfall beyond the baseline's, the worst-hit region, cover and TTS."""
        by_region = self.shortfall.groupby("region")[["demand_t", "shortfall_t"]].sum()
        by_region["extra_t"] = by_region["shortfall_t"] - self.baseline_shortfall.groupby("region")["shortfall_t"].sum()
        by_region["extra_share"] = by_region["extra_t"] / by_region["demand_t"].where(by_region["demand_t"] > 0)
        worst = by_region["extra_share"].fillna(0).idxmax()
        return {"scenario": self.scenario.name, "largest_shortfall_region": worst,
                "largest_shortfall_pct": round(100 * float(by_region.loc[worst, "extra_share"] or 0), 2),
                "tonnes_short": round(float(by_region["extra_t"].clip(lower=0).sum()), 1),
                "tonnes_short_incl_baseline": round(float(by_region["shortfall_t"].sum()), 1),
                "months_of_cover": round(self.months_of_cover(worst), 2),
                "makers_output_lost_t": round(self.makers_output_lost(), 1),
                "tts_months": self.tts_months, "never_short": list(self.tts_censored),
                **self.shortest_tts(), "fiscal_exposure_usd": round(float(self.fiscal["exposure_usd"].sum()), 0)}

    def shortest_tts(self) -> dict:
        """The region that goes short first and after how many months; none when none goes short."""
        short = {r: m for r, m in self.tts_months.items() if r not in self.tts_censored}
        region = min(short, key=short.get) if short else None
        return {"shortest_tts_region": region, "shortest_tts_months": short.get(region)}

    def months_of_cover(self, region: str) -> float:
        """Users' stocks plus the region's stockpiles, over its monthly demand at the start."""
        first = self.network.periods[0]
        monthly = self.network.demand.query("region == @region and period == @first.label")["tonnes"].sum()
        monthly /= first.share_of_year * 12
        held = self.network.inventory.get(region, 0.0) + sum(
            e.initial_t for e in self.scenario.events if isinstance(e, Stockpile) and e.holder.upper() == region)
        return held / monthly if monthly > 0 else float("inf")

    def to_json(self) -> dict:
        rows = self.shortfall.round(3).to_dict(orient="records")
        return {"scenario": self.scenario.name, "title": self.scenario.title, "shortfall": rows,
                "tts_months": self.tts_months, "tts_censored": self.tts_censored,
                "stockpiles": self.stockpiles().round(3).to_dict(orient="records"),
                "fiscal_exposure_usd": round(float(self.fiscal["exposure_usd"].sum()), 0),
                "flows": self.flows().round(3).to_dict(orient="records"),
                "scarcity": self.scarcity().round(4).to_dict(orient="records"),
                "prices": _records(self.prices.round({"price_index": 4, "price": 2})),
                "by_region": self.by_region().round(3).to_dict(orient="records"), "windows": self.windows(),
                "embedded": self.embedded.round(3).to_dict(orient="records"),
                "fitted": self.fitted, "summary": self.summary(), "notes": self.notes}


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows for JSON, unknowns as null (never NaN)."""
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")


def run(chain, scenario: Scenario, inputs: ModelInputs | None = None, models: dict | None = None) -> ScenarioResult:
    """A scenario against its own no-event baseline. ``inputs`` (one draw's, in a Monte Carlo)
    default to the chain's central inputs with the scenario's demand preset; ``models`` (a dict
    kept between runs) lets runs of the same structure share their LPs."""
    check(chain, scenario)
    inputs = (inputs or ModelInputs.from_chain(chain, scenario.base.demand)).with_demand(chain, scenario.base.demand, None)
    months = scenario.base.inventory_months
    if months is None:
        months = float(inputs.factors["magnet_inventory_months"])
    units = capacity_units(inputs, scenario)
    quiet = scenario.model_copy(update={"events": []})
    baseline_network = build(chain, quiet, months, inputs, units)
    changes_network = any(e.kind in NETWORK_EVENTS for e in scenario.events)
    network = build(chain, scenario, months, inputs, units) if changes_network else baseline_network
    network.heavy_stock = baseline_network.heavy_stock  # the same tonnes held; thrifting makes them last longer
    baseline = allocate(baseline_network, scenario.priorities, Limits(), [], release_from=None, models=models)
    limits = trade_limits(chain, scenario, network, baseline)
    stockpiles = [e for e in scenario.events if isinstance(e, Stockpile)]
    for pile in stockpiles:
        if pile.holder.upper() not in network.regions:
            raise MagchainError(f"stockpile: holder '{pile.holder}' is not a model region; use one of "
                                f"{', '.join(network.regions)}.")
    if scenario.events:
        targets = baseline_targets(network, baseline_network, baseline)
        allocation = allocate(network, scenario.priorities, limits, stockpiles, disruption_start(scenario, network),
                              targets, horizon(scenario), before=baseline, models=models)
    else:  # a scenario without events is its own baseline
        allocation = baseline
    shortfall, baseline_shortfall = _shortfall(network, allocation), _shortfall(baseline_network, baseline)
    tts, censored = time_to_survive(scenario, network, shortfall, baseline_shortfall)
    embedded, baseline_embedded = _embedded(chain, scenario, network, shortfall, baseline_shortfall)
    result = ScenarioResult(scenario, network, allocation, baseline, shortfall, baseline_shortfall, tts, censored,
                            pd.DataFrame(), _notes(scenario, network, limits), embedded, baseline_embedded,
                            limits.fitted, baseline_network)
    start = disruption_start(scenario, network)
    result.prices = market_prices.scenario_prices(result, f"{start // 12}-{start % 12 + 1:02d}")
    result.fiscal = fiscal_exposure(scenario, network, result.prices)
    return result


def horizon(scenario: Scenario) -> str:
    """'rolling' (decided month by month) for a scenario with a disruption, else 'foresight'."""
    if scenario.base.horizon:
        return scenario.base.horizon
    return "rolling" if any(e.kind in DISRUPTIONS for e in scenario.events) else "foresight"


def _embedded(chain, scenario, network, shortfall, baseline_shortfall) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Embedded demand met in the scenario (finished-goods cuts apply) and in the baseline."""
    frame = embedded_demand.embedded_demand(chain, network, scenario.base.demand)
    origins = embedded_demand.origin_shares(chain, network.regions)
    cuts = finished_goods_cuts(chain, scenario, network)
    return (embedded_demand.met(frame, shortfall, origins, cuts),
            embedded_demand.met(frame, baseline_shortfall, origins, {}))


def baseline_targets(network: Network, baseline_network: Network, baseline: Allocation) -> dict[tuple, float]:
    """What each sector received in the no-event baseline, scaled by any demand shock.

    The sourced world demand exceeds recorded world capacity, so the baseline is short already;
    a scenario is about what changes, so sectors seek what they got without the disruption and
    stocks cover losses, not the baseline's gap.
    """
    keys = ["region", "sector", "period"]
    before = baseline_network.demand.groupby(keys)["tonnes"].sum()
    after = network.demand.groupby(keys)["tonnes"].sum()
    ratio = (after / before.where(before > 0)).fillna(1.0)
    return {key: baseline.supplied.get(key, 0.0) * ratio.get(key, 1.0) for key in after.index}


def trade_limits(chain, scenario: Scenario, network: Network, baseline: Allocation) -> Limits:
    limits = Limits()
    for number, event in enumerate(scenario.events):
        if isinstance(event, Tariff):
            importer = region_of(chain, network.regions, event.importer.upper())
            exporter = region_of(chain, network.regions, event.exporter.upper())
            for stage in event.stages:
                limits.tariff[(stage, exporter, importer)] = event.rate
        if isinstance(event, LicenceRegime):
            _licence_limits(chain, scenario, number, event, network, baseline, limits)
        if not isinstance(event, ExportControl):
            continue
        exporter = _exporter(chain, network, event)
        destinations = _destinations(chain, network, event, exporter)
        stages = [s for s in event.stages if s in network.stages or s == HEAVY]
        start = month_index(event.start)
        within = _periods_within(network, event)
        if event.quota_t is not None:
            limits.quotas.append(Quota(stages, exporter, destinations, {p.label: event.quota_t for p in within}))
            continue
        for period in within:
            month, label = period.index_month, period.label
            flows = [(s, exporter, d, label) for s in stages for d in destinations]
            cut = event.cut if month - start < event.licence_delay_months else event.cut * (1 - event.licence_approval)
            for key in flows:
                cap = (1 - cut) * (baseline.heavy if key[0] == HEAVY else baseline.ship).get(key, 0.0)
                limits.flow_cap[key] = min(cap, limits.flow_cap.get(key, cap))
    return limits


def _licence_limits(chain, scenario, number, event, network, baseline: Allocation, limits: Limits) -> None:
    """Caps on each controlled flow from the licence mechanism, fitted on its window if asked."""
    where = scenario.where_event(number)
    if network.periods[0].month is None:
        raise InvalidInput(f"{where}: a licence regime needs monthly periods (base.periods: month).")
    fitting = "fit" in event.controlled_share.values() or event.cleared_share == "fit"
    if fitting and any(s != "magnet" for s in event.stages):
        raise InvalidInput(f"{where}: only magnet exports are observed, so a regime on {', '.join(event.stages)} "
                           "cannot be fitted; give its shares as numbers or list stages: [magnet].")
    if event.controlled_share["default"] == "fit" and event.destinations != "all":
        raise InvalidInput(f"{where}: the default controlled share is fitted on the exporter's total exports, "
                           "which needs destinations: all.")
    exporter = _exporter(chain, network, event)
    destinations = _destinations(chain, network, event, exporter)
    months = np.array([p.index_month for p in network.periods])
    labels = [p.label for p in network.periods]
    keyed = {**baseline.ship, **baseline.heavy}
    for stage in [s for s in event.stages if s in network.stages or s == HEAVY]:
        orders = {d: np.array([keyed.get((stage, exporter, d, t), 0.0) for t in labels]) for d in destinations}
        regime = event.model_copy(update={"controlled_share": {
            region_of(chain, network.regions, k.upper()) if k != "default" else k: v
            for k, v in event.controlled_share.items()}})
        parameters, fitted = licences.fitted_parameters(chain, regime, orders, months, labels, where)
        limits.fitted.update({f"events[{number}].{stage}.{k}": v for k, v in fitted.items()})
        for destination, capped in licences.all_caps(regime, parameters, orders, months).items():
            for label, cap in zip(labels, capped):
                if np.isfinite(cap):
                    key = (stage, exporter, destination, label)
                    limits.flow_cap[key] = min(cap, limits.flow_cap.get(key, cap))


def finished_goods_cuts(chain, scenario: Scenario, network: Network) -> dict[tuple, float]:
    """(origin, destination, period) -> share of the origin's finished-goods exports stopped."""
    cuts = {}
    for event in (e for e in scenario.events if isinstance(e, FinishedGoodsControl)):
        exporter = _exporter(chain, network, event)
        destinations = _destinations(chain, network, event, exporter)
        for period in _periods_within(network, event):
            for destination in destinations:
                key = (exporter, destination, period.label)
                cuts[key] = max(cuts.get(key, 0.0), event.cut)
    return cuts


def _periods_within(network: Network, event) -> list:
    """The network's periods from the event's start to its end (open-ended without one)."""
    start = month_index(event.start) if event.start else -1
    end = month_index(event.end, end=True) if event.end else 10**9
    return [p for p in network.periods if start <= p.index_month <= end]


def _exporter(chain, network, event) -> str:
    exporter = region_of(chain, network.regions, event.exporter.upper())
    if exporter == REST and event.exporter.upper() != REST:
        raise MagchainError(f"{event.kind}: exporter '{event.exporter}' is not a model region "
                            f"({', '.join(network.regions)}); its exports cannot be singled out.")
    return exporter


def _destinations(chain, network, event, exporter) -> list[str]:
    if event.destinations == "all":
        return [r for r in network.regions if r != exporter]
    codes = [event.destinations] if isinstance(event.destinations, str) else event.destinations
    mapped = {region_of(chain, network.regions, code.upper()) for code in codes}
    return [r for r in network.regions if r in mapped and r != exporter]


def _shortfall(network: Network, allocation: Allocation) -> pd.DataFrame:
    frame = network.demand.groupby(["region", "sector", "period"], as_index=False)["tonnes"].sum()
    frame = frame.rename(columns={"tonnes": "demand_t"})
    frame["supplied_t"] = [allocation.supplied.get((r, k, p), 0.0)
                           for r, k, p in zip(frame["region"], frame["sector"], frame["period"])]
    frame["shortfall_t"] = (frame["demand_t"] - frame["supplied_t"]).clip(lower=0.0)
    return frame[["region", "sector", "period", "demand_t", "supplied_t", "shortfall_t"]]


def disruption_start(scenario, network) -> int:
    """Month index at which the first disruption starts (the first period if there is none)."""
    starts = [month_index(e.start) for e in scenario.events if e.kind in DISRUPTIONS and getattr(e, "start", None)]
    if any(e.kind == "plant_delay" for e in scenario.events):
        starts.append(network.periods[0].index_month)
    return min(starts) if starts else network.periods[0].index_month


def time_to_survive(scenario, network, shortfall, baseline_shortfall) -> tuple[dict[str, float], list[str]]:
    """Months from the first disruption until each region's shortfall exceeds its baseline one."""
    start = disruption_start(scenario, network)
    extra = (shortfall.groupby(["region", "period"])["shortfall_t"].sum()
             - baseline_shortfall.groupby(["region", "period"])["shortfall_t"].sum())
    demand = shortfall.groupby(["region", "period"])["demand_t"].sum()
    tts, censored = {}, []
    for region in network.regions:
        if demand.get(region, pd.Series(dtype=float)).sum() <= 0:
            continue  # a producing country with no demand figure of its own: nothing to survive
        need = np.array([demand.get((region, p.label), 0.0) for p in network.periods])
        excess = np.array([extra.get((region, p.label), 0.0) for p in network.periods])
        survived, whole = months_survived(network.periods, start, need, excess)
        if whole:
            censored.append(region)
        tts[region] = survived
    return tts, censored


def months_survived(periods, start: int, need: np.ndarray, excess: np.ndarray) -> tuple[float, bool]:
    """Months from ``start`` until the shortfall beyond the baseline's (``excess``) first exceeds
    TOLERANCE of demand (``need``), by period; and whether the region lasted the whole run."""
    months_per_period = 12 * periods[0].share_of_year
    for period, wanted, more in zip(periods, need, excess):
        if period.index_month + months_per_period <= start:
            continue
        if wanted > 0 and more > TOLERANCE * wanted:
            begun = max(period.index_month, start) - start
            return round(float(begun + months_per_period * (1 - more / wanted)), 2), False
    return round(float(periods[-1].index_month + months_per_period - start), 2), True


def fiscal_exposure(scenario: Scenario, network: Network, prices: pd.DataFrame) -> pd.DataFrame:
    """Top-up paid under each price floor: (floor - market price) x covered volume, when positive.
    The market price is the modelled NdPr price outside China unless the event types a path."""
    rows = []
    for event in (e for e in scenario.events if isinstance(e, PriceFloor)):
        for period in _periods_within(network, event):
            price = _price(event.price_path, period) if event.price_path else _modelled(prices, period, scenario)
            gap = max(0.0, event.floor_usd_per_kg - price)
            kilograms = event.covered_t_per_year * period.share_of_year * 1000
            rows.append({"producer": event.producer, "period": period.label, "price_usd_per_kg": price,
                         "floor_usd_per_kg": event.floor_usd_per_kg, "exposure_usd": gap * kilograms})
    return pd.DataFrame(rows, columns=["producer", "period", "price_usd_per_kg", "floor_usd_per_kg", "exposure_usd"])


def _modelled(prices: pd.DataFrame, period, scenario: Scenario) -> float:
    price, unit = market_prices.price_at(prices, "NdPr", market_prices.ABROAD, period.label)
    if unit != "USD/kg" or not np.isfinite(price):
        raise InvalidInput(f"{scenario.name}: price_floor: no modelled NdPr price in US$/kg outside China for "
                           f"{period.label} (no observed price quotes it by the reference month); give price_path.")
    return price


def _price(path: dict[str, float], period) -> float:
    """The price for a period: its own entry, else its year's, else the latest earlier entry."""
    if period.label in path:
        return float(path[period.label])
    if str(period.year) in path:
        return float(path[str(period.year)])
    earlier = [k for k in path if month_index(k) <= period.index_month]
    if not earlier:
        raise MagchainError(f"price_floor: no price for {period.label} or before; start price_path earlier.")
    return float(path[max(earlier, key=month_index)])


def _notes(scenario, network, limits: Limits) -> list[str]:
    notes = [f"Trade model stages: {', '.join(network.stages)} (magnet-equivalent tonnes)."]
    if scenario.events:
        notes.append("Decided month by month with what is known then (rolling horizon)."
                     if horizon(scenario) == "rolling" else "Decided with foresight of every period.")
    if limits.fitted:
        notes.append("Fitted on observed exports: " + ", ".join(f"{k} = {v:.3f}" for k, v in limits.fitted.items()) + ".")
    rest = network.demand[network.demand["region"] == REST].groupby("period")["tonnes"].sum()
    over = [p for p in rest.index if rest[p] <= 0]
    if over:
        notes.append(f"In {over[0]}..{over[-1]} the named regions' demand exceeds the world figure; the rest of "
                     "the world is taken as zero and world demand as the named regions' sum.")
    if "magnet" not in network.stages[-1:]:
        notes.append("The last modelled stage is not magnet making, so Dy+Tb does not constrain this run.")
    return notes
