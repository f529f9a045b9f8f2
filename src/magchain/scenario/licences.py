"""Export licensing as a mechanism: orders, applications, review, approval, and what may ship.

Each month a destination orders what it took in the no-event baseline. The controlled share of
those orders needs a licence (less what general licences cover); the rest ships. An application
is decided ``review_months`` after it is filed (mid-month), or sooner where an announced change
of terms expedites it; ``approval_share`` of what is decided is approved and ships that month,
the rest applies again. In the first month, ``cleared_share`` of the licensable goods had been
declared before the rule bit. What may ship is a cap on the flow; the allocation decides what
does ship, so stocks drawn down in the cut are refilled once licences flow.

Parameters given as 'fit' are fitted by least squares on the log of observed monthly exports in
the regime's fit window only (while licences are scarce, exports equal the cap); every month
after the window is a prediction.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from magchain.errors import InvalidInput
from magchain.history.observed import trade_series
from magchain.scenario.network import month_index
from magchain.scenario.spec import LicenceRegime


@dataclass
class Parameters:
    controlled: dict[str, float]  # destination region or 'default' -> share of orders needing a licence
    cleared: float

    def share(self, destination: str) -> float:
        return self.controlled.get(destination, self.controlled["default"])


def caps(regime: LicenceRegime, parameters: Parameters, orders: np.ndarray, destination: str,
         months: np.ndarray) -> np.ndarray:
    """What may ship to ``destination`` each month (inf where no licence is needed), for orders
    given per month (``months`` are month indices, consecutive)."""
    return group_caps(regime, parameters, orders[None, :], [destination], months)[0]


def group_caps(regime: LicenceRegime, parameters: Parameters, orders: np.ndarray, destinations: list[str],
               months: np.ndarray) -> np.ndarray:
    """:func:`caps` for destinations that share their expedited terms, at once: ``orders`` is
    (destination, month), and so is the result. The queue is linear in the orders, so one queue
    of volume vectors serves them all."""
    start, end = month_index(regime.start), month_index(regime.end, end=True) if regime.end else None
    first_day = (regime.start_day - 1) / calendar.monthrange(start // 12, start % 12 + 1)[1]
    shares = np.array([parameters.share(d) for d in destinations])
    cap = np.full(orders.shape, np.inf)
    queue: list[tuple[float, np.ndarray]] = []  # (decided at, tonnes by destination), in months since year 0
    when = _Decisions(regime, destinations[0])
    for i, month in enumerate(months):
        if month < start or (end is not None and month > end):
            continue
        covered = shares * (1 - _general_share(regime, month)) * orders[:, i]
        if month == start:  # days before the rule, and goods already declared, ship unlicensed
            covered = covered * (1 - first_day) * (1 - parameters.cleared)
        if covered.any():
            queue.append((when(month + 0.5, month), covered))
        approved, queue = _decide(regime.approval_share, when, queue, month, len(destinations))
        cap[:, i] = orders[:, i] - covered + approved
    return cap


def _general_share(regime: LicenceRegime, month: int) -> float:
    """The share under general licences in force: the latest that has started."""
    started = [g for g in regime.general_licences if month_index(g.start) <= month]
    return max(started, key=lambda g: month_index(g.start)).share if started else 0.0


def _expedited(regime: LicenceRegime, destination: str) -> list:
    return [e for e in regime.expedite
            if e.destinations == "all" or destination in ([e.destinations] if isinstance(e.destinations, str)
                                                          else e.destinations)]


class _Decisions:
    """When an application filed at a time is decided: after the review, or sooner once expedited
    (remembered, since the same filing times recur for every month of a fit)."""

    def __init__(self, regime: LicenceRegime, destination: str):
        self.review = regime.review_months
        self.changes = [(month_index(e.start), e.review_months) for e in _expedited(regime, destination)]
        self.known: dict[tuple[float, int], float] = {}

    def __call__(self, filed: float, now: int) -> float:
        key = (filed, now)
        if key not in self.known:
            decided = filed + self.review
            for begins, review in self.changes:
                decided = min(decided, max(begins, filed + review))
            self.known[key] = max(decided, now)
        return self.known[key]


def _decide(approval: float, when: _Decisions, queue, month: int, width: int) -> tuple[np.ndarray, list]:
    """Applications decided this month: the approved share ships, the rest apply again."""
    approved, waiting = np.zeros(width), []
    for decided, tonnes in queue:
        if decided >= month + 1:
            waiting.append((decided, tonnes))
            continue
        approved += approval * tonnes
        if approval < 1:
            waiting.append((when(month + 0.5, month + 1), (1 - approval) * tonnes))
    return approved, waiting


# -- fitting --------------------------------------------------------------------------------------
def fitted_parameters(chain, regime: LicenceRegime, orders: dict[str, np.ndarray], months: np.ndarray,
                      labels: list[str], where: str) -> tuple[Parameters, dict[str, float]]:
    """The regime's parameters, with those given as 'fit' fitted on the observed months of its
    window; also returns the fitted values by name."""
    names = [f"controlled_share.{k}" for k, v in regime.controlled_share.items() if v == "fit"]
    names += ["cleared_share"] if regime.cleared_share == "fit" else []
    fixed = {k: v for k, v in regime.controlled_share.items() if v != "fit"}

    def parameters(x) -> Parameters:
        values = dict(zip(names, x))
        controlled = {**fixed, **{k: values[f"controlled_share.{k}"] for k, v in regime.controlled_share.items()
                                  if v == "fit"}}
        cleared = values.get("cleared_share", regime.cleared_share if regime.cleared_share != "fit" else 0.0)
        return Parameters(controlled, float(cleared))

    if not names:
        return parameters([]), {}
    window = [i for i, m in enumerate(months) if month_index(regime.fit.start) <= m <= month_index(regime.fit.end, True)]
    if len(window) < month_index(regime.fit.end, True) - month_index(regime.fit.start) + 1:
        raise InvalidInput(f"{where}: the fit window {regime.fit.start}..{regime.fit.end} is not inside the run "
                           f"({labels[0]}..{labels[-1]}); move it or extend base.start/base.end.")
    targets = _targets(chain, regime, orders, labels, window, where)

    def residuals(x) -> np.ndarray:
        capped = all_caps(regime, parameters(x), orders, months)
        capped = {d: np.minimum(capped[d], o) for d, o in orders.items()}
        out = []
        for destinations, observed in targets:
            model = sum(capped[d][window] for d in destinations)
            out.append(np.log(np.maximum(model, 1e-6) / observed))
        return np.concatenate(out)

    solution = least_squares(residuals, x0=np.full(len(names), 0.5), bounds=(0.0, 1.0))
    return parameters(solution.x), dict(zip(names, (round(float(v), 4) for v in solution.x)))


def all_caps(regime: LicenceRegime, parameters: Parameters, orders: dict[str, np.ndarray],
             months: np.ndarray) -> dict[str, np.ndarray]:
    """:func:`caps` for every destination, grouped by their expedited terms."""
    groups: dict[tuple, list[str]] = {}
    for destination in orders:
        groups.setdefault(tuple(id(e) for e in _expedited(regime, destination)), []).append(destination)
    result = {}
    for members in groups.values():
        capped = group_caps(regime, parameters, np.array([orders[d] for d in members]), members, months)
        result.update(zip(members, capped))
    return result


def _targets(chain, regime, orders, labels, window, where) -> list[tuple[list[str], np.ndarray]]:
    """Observed exports to fit: the exporter's total, and each destination with its own fitted share."""
    months = [labels[i] for i in window]
    own = [k for k, v in regime.controlled_share.items() if v == "fit" and k != "default"]
    series = [(list(orders), trade_series(chain, regime.exporter))]
    series += [([k], trade_series(chain, regime.exporter, k)) for k in own]
    targets = []
    for destinations, frame in series:
        observed = frame.set_index("period")["tonnes"].reindex(months)
        if observed.isna().any():
            missing = ", ".join(observed.index[observed.isna()])
            raise InvalidInput(f"{where}: no observed exports for {missing} "
                               f"({'total' if len(destinations) > 1 else destinations[0]}) to fit the licence "
                               "regime on; add the figures or move the fit window.")
        targets.append((destinations, observed.to_numpy(float)))
    return targets
