"""Allocation: one linear program over all periods, solved with HiGHS.

Variables (all in magnet-equivalent tonnes per period):
  ship[s, o, d, t]  stage-s output of region o delivered to region d
  use[d, k, t]      demand of sector k in d met from the market and users' stocks
  draw[d, k, t]     demand of a priority sector met from d's government stockpile
  stock[d, t]       users' magnet stocks at the end of t (at most their starting level)
  pile[d, t]        government stockpile at the end of t
  recycled[d, t]    recycled magnets used in d (at most what the scenario's recycling yields)
  floor[tier, t]    the lowest share of demand met in a priority tier (max-min fairness)
  heavy[o, d, t]    Dy+Tb shipped from o to d; magnets made in d need their Dy+Tb content

Constraints: output of each stage within its capacity; a stage's output within the input it
received from the stage above; magnets delivered plus recycled plus drawn from stocks equal
what sectors use; stocks and stockpiles carried between periods; export controls cap flows.
Objective: priority-weighted demand met, plus a fairness term per tier, minus small trade
costs (tariffs raise them), small costs for straying from observed supplier shares, plus a very
small reward for keeping stocks, so that stocks are drawn only when needed. HiGHS is
deterministic for a given problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from magchain.errors import Infeasible
from magchain.scenario.network import HEAVY, month_index

TIER_WEIGHT = {1: 100.0, 2: 10.0, 3: 1.0}
DEFAULT_TIER = 3
FAIRNESS = 0.5  # weight of a tier's floor, per tonne of that tier's demand
TRADE_COST = 0.01  # per tonne shipped between regions; tariffs add TARIFF_COST x rate
TARIFF_COST = 0.1
KEEP_STOCK = 1e-5  # per tonne kept in stock at the end of a period
SOURCING_COST = 0.05  # per tonne a region's supply strays from its observed supplier shares
SOONER = 0.01  # demand met earlier is worth up to 1 % more, so stocks are drawn when shortage starts


@dataclass
class LinearProgram:
    """Variables with bounds and a cost, rows as sparse triplets; built once, solved once."""

    cost: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    cols: list[int] = field(default_factory=list)
    vals: list[float] = field(default_factory=list)
    ub_rhs: list[float] = field(default_factory=list)
    eq_rows: list[int] = field(default_factory=list)
    eq_cols: list[int] = field(default_factory=list)
    eq_vals: list[float] = field(default_factory=list)
    eq_rhs: list[float] = field(default_factory=list)

    def variable(self, cost: float = 0.0, upper: float = np.inf, lower: float = 0.0) -> int:
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        return len(self.cost) - 1

    def at_most(self, terms: list[tuple[int, float]], rhs: float) -> None:
        row = len(self.ub_rhs)
        for col, val in terms:
            self.rows.append(row), self.cols.append(col), self.vals.append(val)
        self.ub_rhs.append(rhs)

    def equal(self, terms: list[tuple[int, float]], rhs: float) -> None:
        row = len(self.eq_rhs)
        for col, val in terms:
            self.eq_rows.append(row), self.eq_cols.append(col), self.eq_vals.append(val)
        self.eq_rhs.append(rhs)

    def solve(self) -> np.ndarray:
        n = len(self.cost)
        a_ub = coo_matrix((self.vals, (self.rows, self.cols)), shape=(len(self.ub_rhs), n)).tocsr()
        a_eq = coo_matrix((self.eq_vals, (self.eq_rows, self.eq_cols)), shape=(len(self.eq_rhs), n)).tocsr()
        result = linprog(self.cost, A_ub=a_ub if self.ub_rhs else None, b_ub=self.ub_rhs or None,
                         A_eq=a_eq if self.eq_rhs else None, b_eq=self.eq_rhs or None,
                         bounds=list(zip(self.lower, [None if np.isinf(u) else u for u in self.upper])),
                         method="highs")
        if result.status != 0:
            raise Infeasible(f"The allocation problem could not be solved: {result.message} "
                                "Check the scenario's events for contradictions (e.g. a quota below zero).")
        return result.x


def _released(pile, month: int) -> bool:
    """Whether a stockpile's trigger date (if any) has come by this month."""
    return pile.release_from is None or month >= month_index(pile.release_from)


def _flow_variables(lp: LinearProgram, stages, regions, labels, limits: Limits) -> dict[tuple, int]:
    """One variable per (stage, origin, destination, period): free at home, trade cost abroad."""
    variables = {}
    for t in labels:
        for s in stages:
            for o in regions:
                for d in regions:
                    key = (s, o, d, t)
                    cost = 0.0 if o == d else TRADE_COST + TARIFF_COST * limits.tariff.get((s, o, d), 0.0)
                    variables[key] = lp.variable(cost, limits.flow_cap.get(key, np.inf))
    return variables


def _keep_supplier_shares(lp: LinearProgram, ship: dict, network, regions, t: str) -> None:
    """Hold each observed supplier share softly: origin's flow = share x all the region receives,
    give or take a deviation that costs more than trade, far less than demand left unmet."""
    for (s, origin, destination), share in network.sourcing.items():
        received = [(ship[(s, o, destination, t)], -share) for o in regions]
        above, below = lp.variable(SOURCING_COST), lp.variable(SOURCING_COST)
        lp.equal([(ship[(s, origin, destination, t)], 1.0)] + received + [(above, -1.0), (below, 1.0)], 0.0)


def dytb_per_magnet(network) -> dict[str, float]:
    """Dy+Tb per tonne of magnet made, per period: demand's average (thrifting lowers it)."""
    totals = network.demand.groupby("period")[["dytb_t", "tonnes"]].sum()
    return (totals["dytb_t"] / totals["tonnes"].where(totals["tonnes"] > 0)).fillna(0.0).to_dict()


@dataclass
class Limits:
    """Caps on flows from the scenario's trade events, per (stage, origin, destination, period)."""

    flow_cap: dict[tuple, float] = field(default_factory=dict)  # single flows
    group_caps: list[tuple[list[tuple], float]] = field(default_factory=list)  # sum of flows <= cap
    tariff: dict[tuple[str, str, str], float] = field(default_factory=dict)  # (stage, exporter, importer) -> rate


@dataclass
class Allocation:
    """The LP's solution, as plain arrays keyed like the variables."""

    ship: dict[tuple, float]
    supplied: dict[tuple, float]  # (region, sector, period) -> t, from market, stocks and stockpiles
    drawn: dict[tuple, float]  # (region, sector, period) -> t from a stockpile
    stock: dict[tuple, float]
    pile: dict[tuple, float]
    recycled: dict[tuple, float]
    produced: dict[tuple, float]  # (stage, region, period) -> t
    heavy: dict[tuple, float]  # (heavy_re, origin, destination, period) -> t of Dy+Tb


def allocate(network, priorities: dict[str, int], limits: Limits, stockpiles: list,
             release_from: int | None, targets: dict[tuple, float] | None = None) -> Allocation:
    """Solve the allocation. Users' stocks are held against disruptions: they can be drawn from
    the month ``release_from`` on (None: never, as in the no-event baseline). ``targets``
    (region, sector, period -> t) replace the network's demand as what sectors seek."""
    lp = LinearProgram()
    labels = [p.label for p in network.periods]
    month_of = {p.label: p.index_month for p in network.periods}
    regions, stages = network.regions, network.stages
    capacity = network.node_capacity().set_index(["stage", "region", "period"])["tonnes"].to_dict()
    demand = targets if targets is not None else network.demand.groupby(["region", "sector", "period"])["tonnes"].sum().to_dict()
    recycled_cap = network.recycled.groupby(["region", "period"])["tonnes"].sum().to_dict()
    piles = {s.holder.upper(): s for s in stockpiles}

    heavy_supply = network.heavy.set_index(["region", "period"])["tonnes"].to_dict()
    intensity = dytb_per_magnet(network)
    heavy = _flow_variables(lp, [HEAVY], regions, labels, limits)
    ship = _flow_variables(lp, stages, regions, labels, limits)
    use, draw, stock, pile, recycled, floors = {}, {}, {}, {}, {}, {}
    for i, t in enumerate(labels):
        for (d, k, period), tonnes in demand.items():
            if period != t:
                continue
            weight = TIER_WEIGHT[priorities.get(k, DEFAULT_TIER)] * (1 + SOONER * (len(labels) - i) / len(labels))
            use[(d, k, t)] = lp.variable(-weight, tonnes)
            if d in piles and k in piles[d].priority_sectors:
                draw[(d, k, t)] = lp.variable(-weight, tonnes if _released(piles[d], month_of[t]) else 0.0)
        held = release_from is None or month_of[t] < release_from
        for d in regions:
            start = network.inventory.get(d, 0.0)
            stock[(d, t)] = lp.variable(-KEEP_STOCK, start, start if held else 0.0)
            recycled[(d, t)] = lp.variable(0.0, recycled_cap.get((d, t), 0.0))
            if d in piles:
                pile[(d, t)] = lp.variable(-KEEP_STOCK)
        for tier in sorted(set(TIER_WEIGHT)):
            tier_demand = sum(v for (d, k, p), v in demand.items() if p == t and priorities.get(k, DEFAULT_TIER) == tier)
            if tier_demand > 0:
                floors[(tier, t)] = lp.variable(-FAIRNESS * TIER_WEIGHT[tier] * tier_demand, 1.0)

    for i, t in enumerate(labels):
        before = labels[i - 1] if i else None
        for s_index, s in enumerate(stages):
            for o in regions:
                out = [(ship[(s, o, d, t)], 1.0) for d in regions]
                lp.at_most(out, capacity.get((s, o, t), 0.0))
                if s_index:  # a stage makes no more than it received from the stage above
                    above = stages[s_index - 1]
                    lp.at_most(out + [(ship[(above, x, o, t)], -1.0) for x in regions], 0.0)
        last = stages[-1]
        for o in regions:  # Dy+Tb: shipped within supply; magnets made need their content
            lp.at_most([(heavy[(HEAVY, o, d, t)], 1.0) for d in regions], heavy_supply.get((o, t), 0.0))
            if last == "magnet":
                made = [(ship[(last, o, d, t)], intensity.get(t, 0.0)) for d in regions]
                lp.at_most(made + [(heavy[(HEAVY, x, o, t)], -1.0) for x in regions], 0.0)
        for d in regions:
            sectors = [k for (r, k, p) in use if r == d and p == t]
            terms = [(ship[(last, o, d, t)], 1.0) for o in regions] + [(recycled[(d, t)], 1.0)]
            terms += [(stock[(d, t)], -1.0)] + [(use[(d, k, t)], -1.0) for k in sectors]
            start = network.inventory.get(d, 0.0)
            lp.equal(terms + ([(stock[(d, before)], 1.0)] if before else []), -start if not before else 0.0)
            if d in piles:
                spec = piles[d]
                drawn = [(draw[(d, k, t)], 1.0) for k in sectors if (d, k, t) in draw]
                carried = [(pile[(d, before)], -1.0)] if before else []
                lp.equal([(pile[(d, t)], 1.0)] + drawn + carried, spec.purchases_t + (0 if before else spec.initial_t))
                if spec.max_release_t is not None and drawn:
                    lp.at_most(drawn, spec.max_release_t)
            for k in sectors:
                both = [(use[(d, k, t)], 1.0)] + ([(draw[(d, k, t)], 1.0)] if (d, k, t) in draw else [])
                lp.at_most(both, demand[(d, k, t)])
                tier = priorities.get(k, DEFAULT_TIER)
                if (tier, t) in floors and demand[(d, k, t)] > 0:
                    lp.at_most([(floors[(tier, t)], demand[(d, k, t)])] + [(c, -v) for c, v in both], 0.0)
        _keep_supplier_shares(lp, ship, network, regions, t)
    flows_by_key = {**ship, **heavy}
    for flows, cap in limits.group_caps:
        lp.at_most([(flows_by_key[key], 1.0) for key in flows if key in flows_by_key], cap)

    x = lp.solve()

    def value(variables: dict) -> dict:
        return {key: float(x[col]) for key, col in variables.items()}

    used, drawn = value(use), value(draw)
    supplied = {key: used[key] + drawn.get(key, 0.0) for key in used}
    shipped = value(ship)
    produced = {}
    for (s, o, d, t), tonnes in shipped.items():
        produced[(s, o, t)] = produced.get((s, o, t), 0.0) + tonnes
    return Allocation(shipped, supplied, drawn, value(stock), value(pile), value(recycled), produced, value(heavy))
