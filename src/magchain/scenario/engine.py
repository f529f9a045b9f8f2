"""Allocation: a labelled linear program over periods, solved with HiGHS.

Variable families (all in magnet-equivalent tonnes per period, except Dy+Tb in tonnes):
  ship[stage, origin, destination, period]  a stage's output of origin delivered to destination
  heavy[origin, destination, period]        Dy+Tb shipped; magnets made need their Dy+Tb content
  use[region, sector, period]               demand met from the market and users' stocks
  draw[holder, sector, period]              priority demand met from a government stockpile
  stock[region, period]                     users' magnet stocks at the end of the period
  heavy_stock[region, period]               magnet makers' Dy+Tb stocks at the end of the period
  pile[holder, period]                      government stockpile at the end of the period
  recycled[region, period]                  recycled magnets used (at most what recycling yields)
  floor[tier, period]                       the lowest share of demand met in a priority tier
  above, below[sourcing, period]            straying from an observed supplier share

Constraint families, one function each: stage capacity, stage input (a stage makes no more than it
received from the stage above), Dy+Tb supply and content, the regional balance, stockpiles,
sector limits, fairness, supplier shares and export limits. The balance rows' duals are the
scarcity value of a magnet in a region and period (weighted tonnes of demand met per tonne).

Objective: priority-weighted demand met, a fairness term per tier, minus small trade costs
(tariffs raise them) and small costs for straying from observed supplier shares. Stocks are
valued below target cover less their holding cost, so they are drawn only when demand would
otherwise go unmet and refilled when supply allows.

The structure (:class:`Shape`) is built once; what changes between runs, knock-outs, draws and
the steps of a rolling horizon (:class:`PeriodData`) goes into bounds, right-hand sides and the
fairness coefficients, so HiGHS re-solves from its previous basis.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import xarray as xr

from magchain.scenario.labelled import INF, LabelledLP
from magchain.scenario.network import HEAVY, month_index

TIER_WEIGHT = {1: 100.0, 2: 10.0, 3: 1.0}
DEFAULT_TIER = 3
FAIRNESS = 0.5  # weight of a tier's floor, per tonne of that tier's demand
TRADE_COST = 0.01  # per tonne shipped between regions; tariffs add TARIFF_COST x rate
TARIFF_COST = 0.1
BELOW_TARGET = 0.05  # per tonne per period that stocks sit below their target cover (refilled when supply allows)
HOLDING = 0.005  # per tonne per period held in stock
SOURCING_COST = 0.05  # per tonne a region's supply strays from its observed supplier shares
SWITCH_COST = 0.002  # per tonne a flow changes from one period to the next (buyers keep their suppliers)
SOONER = 0.01  # demand met earlier is worth up to 1 % more, so stocks are drawn when shortage starts
WINDOW = 3  # months a rolling-horizon decision looks ahead


@dataclass
class Limits:
    """Caps on flows from the scenario's trade events, per (stage, origin, destination, period)."""

    flow_cap: dict[tuple, float] = field(default_factory=dict)  # single flows
    quotas: list[Quota] = field(default_factory=list)  # sums of flows per period
    tariff: dict[tuple[str, str, str], float] = field(default_factory=dict)  # (stage, exporter, importer) -> rate
    fitted: dict[str, float] = field(default_factory=dict)  # licence-regime parameters fitted on observed months


@dataclass
class Quota:
    """At most ``caps[period]`` tonnes per period over the listed stages, exporter and destinations."""

    stages: list[str]
    exporter: str
    destinations: list[str]
    caps: dict[str, float]


@dataclass
class Allocation:
    """The LP's solution: plain dictionaries keyed like the variables, and labelled arrays."""

    ship: dict[tuple, float]
    supplied: dict[tuple, float]  # (region, sector, period) -> t, from market, stocks and stockpiles
    drawn: dict[tuple, float]  # (region, sector, period) -> t from a stockpile
    stock: dict[tuple, float]
    pile: dict[tuple, float]
    recycled: dict[tuple, float]
    produced: dict[tuple, float]  # (stage, region, period) -> t
    heavy: dict[tuple, float]  # (heavy_re, origin, destination, period) -> t of Dy+Tb
    heavy_stock: dict[tuple, float] = field(default_factory=dict)  # (region, period) -> t of Dy+Tb
    arrays: xr.Dataset = field(default_factory=xr.Dataset)  # every family's values, and the duals
    iterations: int = 0  # simplex iterations, summed over solves


# -- structure ------------------------------------------------------------------------------------
@dataclass
class Shape:
    """What stays fixed between solves: the sets, priorities, stockpile rules, shares, limits, tariffs."""

    stages: list[str]
    regions: list[str]
    sectors: list[str]
    tiers: np.ndarray  # (sector,) priority tier
    holders: list[str]  # regions holding a government stockpile
    priority: np.ndarray  # (holder, sector) whether the stockpile may serve the sector
    max_release: np.ndarray  # (holder,) t per period (inf: no limit)
    sourcing: list[tuple[int, int, int, float]]  # (stage, origin, destination, share) positions
    quota_masks: np.ndarray  # (quota, stage + heavy, origin, destination) 1 where the quota counts the flow
    tariff: np.ndarray  # (stage + heavy, origin, destination) rate

    @classmethod
    def of(cls, network, priorities: dict[str, int], limits: Limits, stockpiles: list) -> Shape:
        stages, regions = network.stages, network.regions
        sectors = sorted(set(network.demand["sector"]))
        goods = [*stages, HEAVY]
        holders = [s.holder.upper() for s in stockpiles]
        priority = np.array([[k in s.priority_sectors for k in sectors] for s in stockpiles], bool).reshape(len(holders), len(sectors))
        release = np.array([INF if s.max_release_t is None else s.max_release_t for s in stockpiles], float)
        sourcing = [(stages.index(s), regions.index(o), regions.index(d), share)
                    for (s, o, d), share in network.sourcing.items()]
        masks = np.zeros((len(limits.quotas), len(goods), len(regions), len(regions)))
        for q, quota in enumerate(limits.quotas):
            for stage in quota.stages:
                for destination in quota.destinations:
                    masks[q, goods.index(stage), regions.index(quota.exporter), regions.index(destination)] = 1.0
        tariff = np.zeros((len(goods), len(regions), len(regions)))
        for (stage, exporter, importer), rate in limits.tariff.items():
            if stage in goods:
                tariff[goods.index(stage), regions.index(exporter), regions.index(importer)] = rate
        tiers = np.array([priorities.get(k, DEFAULT_TIER) for k in sectors])
        return cls(stages, regions, sectors, tiers, holders, priority, release, sourcing, masks, tariff)

    def key(self) -> tuple:
        """Equal for shapes that give the same LP structure and costs (models may then be shared)."""
        arrays = (self.tiers, self.priority, self.max_release, self.quota_masks, self.tariff)
        return (tuple(self.stages), tuple(self.regions), tuple(self.sectors), tuple(self.holders),
                tuple(self.sourcing), *(a.tobytes() + str(a.shape).encode() for a in arrays))


@dataclass
class PeriodData:
    """Everything that changes from solve to solve, as arrays over the periods (last axis)."""

    labels: list[str]
    capacity: np.ndarray  # (stage, region, period)
    demand: np.ndarray  # (region, sector, period) what sectors seek
    recycled: np.ndarray  # (region, period) recycled magnets available
    heavy_supply: np.ndarray  # (region, period) Dy+Tb
    intensity: np.ndarray  # (period,) Dy+Tb per tonne of magnet made
    flow_cap: np.ndarray  # (stage + heavy, origin, destination, period)
    quota_cap: np.ndarray  # (quota, period)
    held: np.ndarray  # (period,) stocks may not be drawn (no disruption yet)
    released: np.ndarray  # (holder, period) stockpile may be drawn
    inventory: np.ndarray  # (region,) users' magnet stocks at the start, also their target
    heavy_stock: np.ndarray  # (region,) magnet makers' Dy+Tb stocks at the start, also their target
    pile_start: np.ndarray  # (holder,)
    purchases: np.ndarray  # (holder,) added each period
    stock_start: np.ndarray | None = None  # users' stocks at the start if not at target (rolling horizon)
    heavy_start: np.ndarray | None = None
    flows_before: np.ndarray | None = None  # (stage, origin, destination) the period before, if known
    monthly: bool = True

    def window(self, first: int, size: int) -> PeriodData:
        """``size`` periods from ``first``; beyond the last period the last one repeats."""
        last = len(self.labels) - 1
        picks = np.minimum(np.arange(first, first + size), last)

        def take(array):
            return np.take(array, picks, axis=-1)

        return replace(self, labels=[self.labels[i] for i in picks], capacity=take(self.capacity),
                       demand=take(self.demand), recycled=take(self.recycled), heavy_supply=take(self.heavy_supply),
                       intensity=take(self.intensity), flow_cap=take(self.flow_cap), quota_cap=take(self.quota_cap),
                       held=take(self.held), released=take(self.released))


def period_data(network, shape: Shape, limits: Limits, stockpiles: list, release_from: int | None,
                targets: dict[tuple, float] | None = None) -> PeriodData:
    """The network's capacity, demand (or ``targets``), supplies and limits as arrays."""
    labels = [p.label for p in network.periods]
    regions, stages, sectors = shape.regions, shape.stages, shape.sectors
    r, s, k, t = (dict(zip(x, range(len(x)))) for x in (regions, stages, sectors, labels))
    capacity = np.zeros((len(stages), len(regions), len(labels)))
    node = network.node_capacity()
    np.add.at(capacity, (node["stage"].map(s), node["region"].map(r), node["period"].map(t)), node["tonnes"].to_numpy())
    demand = np.zeros((len(regions), len(sectors), len(labels)))
    if targets is None:
        frame = network.demand
        np.add.at(demand, (frame["region"].map(r), frame["sector"].map(k), frame["period"].map(t)), frame["tonnes"].to_numpy())
    else:
        for (region, sector, period), tonnes in targets.items():
            demand[r[region], k[sector], t[period]] += tonnes
    recycled = _by_region_period(network.recycled, r, t, len(regions), len(labels))
    heavy_supply = _by_region_period(network.heavy, r, t, len(regions), len(labels))
    goods = [*stages, HEAVY]
    flow_cap = np.full((len(goods), len(regions), len(regions), len(labels)), INF)
    for (stage, origin, destination, period), cap in limits.flow_cap.items():
        if stage in goods:
            flow_cap[goods.index(stage), r[origin], r[destination], t[period]] = cap
    quota_cap = np.full((len(limits.quotas), len(labels)), INF)
    for q, quota in enumerate(limits.quotas):
        for period, cap in quota.caps.items():
            quota_cap[q, t[period]] = cap
    months = np.array([p.index_month for p in network.periods])
    held = np.ones(len(labels), bool) if release_from is None else months < release_from
    released = np.array([[p.release_from is None or m >= month_index(p.release_from) for m in months]
                         for p in stockpiles], bool).reshape(len(stockpiles), len(labels))
    return PeriodData(labels, capacity, demand, recycled, heavy_supply, dytb_intensity(network, labels), flow_cap,
                      quota_cap, held, released,
                      np.array([network.inventory.get(x, 0.0) for x in regions]),
                      np.array([network.heavy_stock.get(x, 0.0) for x in regions]),
                      np.array([p.initial_t for p in stockpiles], float), np.array([p.purchases_t for p in stockpiles], float),
                      monthly=network.periods[0].month is not None)


def _by_region_period(frame, regions: dict, labels: dict, n_regions: int, n_periods: int) -> np.ndarray:
    array = np.zeros((n_regions, n_periods))
    if len(frame):
        np.add.at(array, (frame["region"].map(regions), frame["period"].map(labels)), frame["tonnes"].to_numpy())
    return array


def dytb_intensity(network, labels: list[str]) -> np.ndarray:
    """Dy+Tb per tonne of magnet made, per period: demand's average (thrifting lowers it)."""
    totals = network.demand.groupby("period")[["dytb_t", "tonnes"]].sum()
    ratio = (totals["dytb_t"] / totals["tonnes"].where(totals["tonnes"] > 0)).fillna(0.0)
    return ratio.reindex(labels, fill_value=0.0).to_numpy()


def dytb_per_magnet(network) -> dict[str, float]:
    """:func:`dytb_intensity` by period label."""
    labels = [p.label for p in network.periods]
    return dict(zip(labels, dytb_intensity(network, labels)))


# -- the model ------------------------------------------------------------------------------------
class AllocationModel:
    """The allocation's LP for ``periods`` consecutive periods, built once and loaded with data."""

    def __init__(self, shape: Shape, periods: int, switching: bool = True):
        """``switching``: price changes of flows between periods (needed where the pattern of flows
        matters, not where only who goes short does, as in the knock-out sweep)."""
        self.shape, self.periods, self.switching = shape, periods, switching
        self.lp = LabelledLP()
        slots = [f"t{i}" for i in range(periods)]
        self.coords = {"stage": shape.stages, "good": [*shape.stages, HEAVY], "origin": shape.regions,
                       "destination": shape.regions, "region": shape.regions, "sector": shape.sectors,
                       "holder": shape.holders, "tier": sorted(set(TIER_WEIGHT)), "period": slots,
                       "sourcing": list(range(len(shape.sourcing))), "quota": list(range(len(shape.quota_masks)))}
        self.v = self._variables()
        for family in (self._stage_capacity, self._stage_input, self._dytb, self._balance, self._stockpiles,
                       self._sector_limits, self._fairness, self._supplier_shares, self._export_limits,
                       self._flow_changes):
            family()

    def _c(self, *dims) -> dict[str, list]:
        return {d: self.coords[d] for d in dims}

    # variables -----------------------------------------------------------------------------------
    def _variables(self) -> dict[str, np.ndarray]:
        shape, lp, n = self.shape, self.lp, self.periods
        foreign = 1.0 - np.eye(len(shape.regions))
        trade = foreign * TRADE_COST + TARIFF_COST * shape.tariff  # (good, origin, destination)
        weight = self._weights()  # (sector, period)
        value_of_stock = BELOW_TARGET - HOLDING  # per tonne per period, net of holding
        return {
            "heavy": lp.add_variables("heavy", self._c("origin", "destination", "period"), cost=trade[-1, :, :, None]),
            "ship": lp.add_variables("ship", self._c("stage", "origin", "destination", "period"),
                                     cost=trade[:-1, :, :, None]),
            "use": lp.add_variables("use", self._c("region", "sector", "period"), cost=-weight[None]),
            "draw": lp.add_variables("draw", self._c("holder", "sector", "period"), cost=-weight[None]),
            "stock": lp.add_variables("stock", self._c("region", "period"), cost=-value_of_stock * np.ones(n)),
            "heavy_stock": lp.add_variables("heavy_stock", self._c("region", "period"), cost=-value_of_stock * np.ones(n)),
            "pile": lp.add_variables("pile", self._c("holder", "period"), cost=-value_of_stock * np.ones(n)),
            "recycled": lp.add_variables("recycled", self._c("region", "period")),
            "floor": lp.add_variables("floor", self._c("tier", "period"), upper=1.0),
            **({"more": lp.add_variables("more", self._c("stage", "origin", "destination", "period"), cost=SWITCH_COST),
                "less": lp.add_variables("less", self._c("stage", "origin", "destination", "period"), cost=SWITCH_COST)}
               if self.switching else {}),
            "above": lp.add_variables("above", self._c("sourcing", "period"), cost=SOURCING_COST),
            "below": lp.add_variables("below", self._c("sourcing", "period"), cost=SOURCING_COST),
        }

    def _weights(self) -> np.ndarray:
        n = self.periods
        soon = 1 + SOONER * (n - np.arange(n)) / n
        tiers = np.array([TIER_WEIGHT[t] for t in self.shape.tiers])
        return tiers[:, None] * soon[None, :]

    # constraints ---------------------------------------------------------------------------------
    def _stage_capacity(self) -> None:
        """Each stage's output in a region within its capacity."""
        ship = self.v["ship"].transpose(0, 1, 3, 2)  # stage, origin, period, destination
        self.lp.add_constraints("stage_capacity", self._c("stage", "region", "period"), [(1.0, ship)])

    def _stage_input(self) -> None:
        """A stage makes no more than it received from the stage above."""
        if len(self.shape.stages) < 2:
            return
        ship = self.v["ship"]
        made = ship[1:].transpose(0, 1, 3, 2)  # stage, origin(=region), period, destination
        received = ship[:-1].transpose(0, 2, 3, 1)  # stage above, destination(=region), period, origin
        coords = {"stage": self.shape.stages[1:], "region": self.shape.regions, "period": self.coords["period"]}
        self.lp.add_constraints("stage_input", coords, [(1.0, made), (-1.0, received)], upper=0.0)

    def _dytb(self) -> None:
        """Dy+Tb shipped within supply; magnets made need their Dy+Tb, from what arrives or from stocks."""
        heavy = self.v["heavy"]
        self.lp.add_constraints("heavy_supply", self._c("region", "period"), [(1.0, heavy.transpose(0, 2, 1))])
        if self.shape.stages[-1] != "magnet":
            return
        magnets = self.v["ship"][-1].transpose(0, 2, 1)  # origin(=maker), period, destination
        received = heavy.transpose(1, 2, 0)
        stock = self.v["heavy_stock"]
        before = np.concatenate([np.full((stock.shape[0], 1), -1), stock[:, :-1]], axis=1)
        terms = [(0.0, magnets, "intensity"), (-1.0, received), (1.0, stock), (-1.0 * (before >= 0), np.maximum(before, 0))]
        self.lp.add_constraints("dytb_content", self._c("region", "period"), terms, upper=0.0)

    def _balance(self) -> None:
        """Magnets arriving, recycled and drawn from users' stocks equal what sectors use."""
        arrivals = self.v["ship"][-1].transpose(1, 2, 0)  # destination, period, origin
        stock, use = self.v["stock"], self.v["use"].transpose(0, 2, 1)
        before = np.concatenate([np.full((stock.shape[0], 1), -1), stock[:, :-1]], axis=1)
        self.lp.add_constraints("balance", self._c("region", "period"),
                                [(1.0, arrivals), (1.0, self.v["recycled"]), (-1.0, stock),
                                 (1.0 * (before >= 0), np.maximum(before, 0)), (-1.0, use)], lower=0.0, upper=0.0)

    def _stockpiles(self) -> None:
        """Government stockpiles carried over periods, bought into each period, released within limits."""
        pile, draw = self.v["pile"], self.v["draw"].transpose(0, 2, 1)  # holder, period, sector
        before = np.concatenate([np.full((pile.shape[0], 1), -1), pile[:, :-1]], axis=1)
        self.lp.add_constraints("stockpile_balance", self._c("holder", "period"),
                                [(1.0, pile), (1.0, draw), (-1.0 * (before >= 0), np.maximum(before, 0))])
        self.lp.add_constraints("stockpile_release", self._c("holder", "period"), [(1.0, draw)],
                                upper=self.shape.max_release[:, None])

    def _sector_limits(self) -> None:
        """A holder's sector gets no more than it seeks from market and stockpile together."""
        use = self.v["use"][[self.shape.regions.index(h) for h in self.shape.holders]]
        self.lp.add_constraints("sector_limit", self._c("holder", "sector", "period"),
                                [(1.0, use), (1.0, self.v["draw"])])

    def _fairness(self) -> None:
        """Each sector gets at least its tier's floor share of what it seeks (max-min fairness)."""
        shape = self.shape
        floors = self.v["floor"][[sorted(set(TIER_WEIGHT)).index(t) for t in shape.tiers]]  # sector, period
        draw = np.zeros(self.v["use"].shape, int) - 1
        for h, holder in enumerate(shape.holders):
            draw[shape.regions.index(holder)] = self.v["draw"][h]
        terms = [(0.0, np.broadcast_to(floors, self.v["use"].shape), "floor_demand"), (-1.0, self.v["use"]),
                 (-1.0 * (draw >= 0), np.maximum(draw, 0))]
        self.lp.add_constraints("fairness", self._c("region", "sector", "period"), terms, upper=0.0)

    def _supplier_shares(self) -> None:
        """Hold each observed supplier share softly: origin's flow = share x all the region receives,
        give or take a deviation that costs more than trade, far less than demand left unmet."""
        ship = self.v["ship"]
        if not self.shape.sourcing:
            return
        s, o, d, share = (np.array(x) for x in zip(*self.shape.sourcing))
        own = ship[s.astype(int), o.astype(int), d.astype(int)]  # sourcing, period
        received = ship[s.astype(int), :, d.astype(int)].transpose(0, 2, 1)  # sourcing, period, origin
        self.lp.add_constraints("supplier_share", self._c("sourcing", "period"),
                                [(1.0, own), (-share[:, None, None], received), (-1.0, self.v["above"]),
                                 (1.0, self.v["below"])], lower=0.0, upper=0.0)

    def _export_limits(self) -> None:
        """Quotas: the sum of the listed flows of a period within its cap."""
        goods = np.concatenate([self.v["ship"], self.v["heavy"][None]], axis=0)  # good, origin, destination, period
        flows = goods.transpose(3, 0, 1, 2).reshape(1, self.periods, -1)  # 1, period, flow
        masks = self.shape.quota_masks.reshape(len(self.shape.quota_masks), 1, flows.shape[-1])  # quota, 1, flow
        self.lp.add_constraints("export_limit", self._c("quota", "period"), [(masks, flows)])

    def _flow_changes(self) -> None:
        """A flow's change from the period before, priced so that buyers keep their suppliers unless
        something forces a change (the first period compares with the flows before the run, if known)."""
        if not self.switching:
            return
        ship = self.v["ship"]
        before = np.concatenate([np.full(ship.shape[:3] + (1,), -1), ship[..., :-1]], axis=-1)
        self.lp.add_constraints("flow_change", self._c("stage", "origin", "destination", "period"),
                                [(1.0, ship), (-1.0 * (before >= 0), np.maximum(before, 0)), (-1.0, self.v["more"]),
                                 (1.0, self.v["less"])])

    # loading and solving -------------------------------------------------------------------------
    def load(self, data: PeriodData) -> None:
        """Set bounds, right-hand sides and coefficients from one run's (or one window's) data."""
        lp, shape = self.lp, self.shape
        held = data.held[None, :]
        target, heavy_target = data.inventory[:, None], data.heavy_stock[:, None]
        lp.set_column_bounds("ship", upper=data.flow_cap[:-1])
        lp.set_column_bounds("heavy", upper=data.flow_cap[-1])
        lp.set_column_bounds("use", upper=data.demand)
        holders = [shape.regions.index(h) for h in shape.holders]
        may_draw = shape.priority[:, :, None] & data.released[:, None, :]
        lp.set_column_bounds("draw", upper=np.where(may_draw, data.demand[holders], 0.0))
        lp.set_column_bounds("stock", lower=np.where(held, target, 0.0),
                             upper=np.broadcast_to(target, (len(shape.regions), self.periods)))
        lp.set_column_bounds("heavy_stock", lower=np.where(held, heavy_target, 0.0),
                             upper=np.broadcast_to(heavy_target, (len(shape.regions), self.periods)))
        lp.set_column_bounds("recycled", upper=data.recycled)
        lp.set_row_bounds("stage_capacity", upper=data.capacity)
        lp.set_row_bounds("heavy_supply", upper=data.heavy_supply)
        start = data.inventory if data.stock_start is None else data.stock_start
        first = np.zeros((len(shape.regions), self.periods))
        first[:, 0] = -start
        lp.set_row_bounds("balance", lower=first, upper=first)
        if "dytb_content" in lp.rows:
            heavy_start = data.heavy_stock if data.heavy_start is None else data.heavy_start
            content = np.zeros((len(shape.regions), self.periods))
            content[:, 0] = heavy_start
            lp.set_row_bounds("dytb_content", upper=content)
            intensity = np.broadcast_to(data.intensity[None, :, None], (len(shape.regions), self.periods, len(shape.regions)))
            lp.set_coefficients("intensity", intensity)
        piles = np.broadcast_to(data.purchases[:, None], (len(shape.holders), self.periods)).copy()
        piles[:, 0] += data.pile_start
        lp.set_row_bounds("stockpile_balance", lower=piles, upper=piles)
        lp.set_row_bounds("sector_limit", upper=data.demand[holders])
        lp.set_row_bounds("export_limit", upper=data.quota_cap)
        if self.switching:
            self._load_switching(data)
        lp.set_coefficients("floor_demand", data.demand)
        lp.set_column_costs("floor", -FAIRNESS * self._tier_demand(data.demand))

    def _load_switching(self, data: PeriodData) -> None:
        """Switching costs (none for yearly periods) and the flows the first period is compared with."""
        lp = self.lp
        switch = SWITCH_COST if data.monthly else 0.0  # an ordering friction; yearly periods average over it
        lp.set_column_costs("more", switch)
        lp.set_column_costs("less", switch)
        change = np.zeros(self.v["ship"].shape)
        change_lower, change_upper = change.copy(), change.copy()
        if data.flows_before is None:
            change_lower[..., 0], change_upper[..., 0] = -INF, INF
        else:
            change_lower[..., 0] = change_upper[..., 0] = data.flows_before
        lp.set_row_bounds("flow_change", lower=change_lower, upper=change_upper)

    def _tier_demand(self, demand: np.ndarray) -> np.ndarray:
        tiers = sorted(set(TIER_WEIGHT))
        weights = np.array([TIER_WEIGHT[t] for t in tiers])[:, None]
        by_tier = np.stack([demand[:, self.shape.tiers == t].sum(axis=(0, 1)) for t in tiers])
        return weights * by_tier

    def solve(self, data: PeriodData):
        self.load(data)
        return self.lp.solve()


# -- results --------------------------------------------------------------------------------------
DUALS = {"scarcity": ("balance", 1.0), "capacity_value": ("stage_capacity", -1.0)}  # name -> (row family, sign)


def _blocks(model: AllocationModel, solution, slots: slice) -> dict[str, np.ndarray]:
    """Every variable family, and the duals reported, for some of the model's periods (the last axis)."""
    blocks = {name: solution.x[family.positions()][..., slots] for name, family in model.lp.columns.items()}
    for name, (rows, sign) in DUALS.items():
        blocks[name] = sign * solution.dual[model.lp.rows[rows].positions()][..., slots]
    return blocks


def _dataset(model: AllocationModel, blocks: dict[str, np.ndarray], labels: list[str]) -> xr.Dataset:
    """The blocks as labelled arrays, the model's slots named by their periods."""
    arrays = {}
    for name, values in blocks.items():
        family = model.lp.columns[name] if name in model.lp.columns else model.lp.rows[DUALS[name][0]]
        coords = {d: family.coords[d] for d in family.dims[:-1]} | {"period": labels}
        arrays[name] = xr.DataArray(values, dims=family.dims, coords=coords)
    return xr.Dataset(arrays)


def _allocation(data: xr.Dataset, shape: Shape, iterations: int) -> Allocation:
    labels = list(data["period"].values)
    regions, stages, sectors = shape.regions, shape.stages, shape.sectors

    def keyed(array: xr.DataArray) -> dict[tuple, float]:
        values = array.values
        names = [list(array[d].values) for d in array.dims]
        return {tuple(n[i] for n, i in zip(names, index)): float(values[index]) for index in np.ndindex(values.shape)}

    ship = keyed(data["ship"])
    use, draw = data["use"].values, data["draw"].values
    supplied = use.copy()
    for h, holder in enumerate(shape.holders):
        supplied[regions.index(holder)] += draw[h]
    supplied_keys = {(r, k, t): float(supplied[i, j, n]) for i, r in enumerate(regions) for j, k in enumerate(sectors)
                     for n, t in enumerate(labels)}
    drawn = {key: value for key, value in keyed(data["draw"]).items()}
    made = data["ship"].sum("destination")
    produced = {(s, r, t): float(made.values[i, j, n]) for i, s in enumerate(stages) for j, r in enumerate(regions)
                for n, t in enumerate(labels)}
    heavy = {(HEAVY, o, d, t): v for (o, d, t), v in keyed(data["heavy"]).items()}
    return Allocation(ship, supplied_keys, drawn, keyed(data["stock"]), keyed(data["pile"]), keyed(data["recycled"]),
                      produced, heavy, keyed(data["heavy_stock"]), data, iterations)


def solve_foresight(model: AllocationModel, data: PeriodData) -> Allocation:
    """All periods in one LP: every decision knows the whole future."""
    solution = model.solve(data)
    return _allocation(_dataset(model, _blocks(model, solution, slice(None)), data.labels), model.shape,
                       solution.iterations)


def solve_rolling(model: AllocationModel, data: PeriodData) -> Allocation:
    """Month by month: each period is decided by an LP over the next ``model.periods`` periods with
    the stocks left by the decisions before it, in which export limits in force are expected to last
    (licences in hand, not future ones), and only its first period is kept."""
    kept, iterations = [], 0
    stock, heavy_stock, pile, flows = data.inventory, data.heavy_stock, data.pile_start, None
    for first in range(len(data.labels)):
        window = data.window(first, model.periods)
        window.flow_cap = np.repeat(window.flow_cap[..., :1], model.periods, axis=-1)
        window.quota_cap = np.repeat(window.quota_cap[..., :1], model.periods, axis=-1)
        window = replace(window, stock_start=stock, heavy_start=heavy_stock, pile_start=pile, flows_before=flows)
        solution = model.solve(window)
        iterations += solution.iterations
        step = _blocks(model, solution, slice(0, 1))
        kept.append(step)
        stock, heavy_stock = step["stock"][:, 0], step["heavy_stock"][:, 0]
        pile, flows = step["pile"][:, 0], step["ship"][..., 0]
    joined = {name: np.concatenate([step[name] for step in kept], axis=-1) for name in kept[0]}
    return _allocation(_dataset(model, joined, data.labels), model.shape, iterations)


def allocate(network, priorities: dict[str, int], limits: Limits, stockpiles: list,
             release_from: int | None, targets: dict[tuple, float] | None = None, mode: str = "foresight",
             before: Allocation | None = None, models: dict | None = None) -> Allocation:
    """Solve the allocation. Users' stocks are held against disruptions: they can be drawn from
    the month ``release_from`` on (None: never, as in the no-event baseline). ``targets``
    (region, sector, period -> t) replace the network's demand as what sectors seek. ``mode`` is
    'foresight' (one LP over all periods) or 'rolling' (a rolling horizon of WINDOW periods);
    ``before`` (the baseline) gives the flows in force when the run starts. ``models`` (a dict the
    caller keeps) lets runs with the same structure, such as Monte Carlo draws, share their LPs,
    so each later solve starts from the previous basis."""
    shape = Shape.of(network, priorities, limits, stockpiles)
    data = period_data(network, shape, limits, stockpiles, release_from, targets)
    if before is not None:
        data.flows_before = before.arrays["ship"].isel(period=0).sel(
            stage=shape.stages, origin=shape.regions, destination=shape.regions).values
    periods = min(WINDOW, len(data.labels)) if mode == "rolling" else len(data.labels)
    key = (shape.key(), periods)
    model = models.get(key) if models is not None else None
    if model is None:
        model = AllocationModel(shape, periods)
        if models is not None:
            models[key] = model
    return solve_rolling(model, data) if mode == "rolling" else solve_foresight(model, data)
