"""A market episode: the price model fitted on its first months, predicting the rest.

The episode (in ``data/history/episodes.yaml``) gives each parameter of
:class:`~magchain.prices.market.MarketParameters` as a value with its source, as an assumption,
or as 'fit'. Parameters given as 'fit' are fitted by least squares on the log of the observed
prices whose months lie in the calibration window; nothing after it is used.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from magchain.errors import InvalidInput
from magchain.history.observed import months_of, price_series, quota_months
from magchain.prices.market import MarketParameters, simulate_quota

BOUNDS = {"reference_price": (1.0, 1e5), "demand": (1.0, 1e6), "elasticity": (0.05, 5.0),
          "demand_trend": (-0.5, 0.5), "cover_months": (0.0, 24.0), "hoarding": (0.0, 5.0),
          "adjust_months": (1.0, 36.0), "thrift_max": (0.0, 0.9), "thrift_months": (1.0, 240.0),
          "thrift_saturation": (0.1, 50.0)}


def month_labels(start: str, end: str) -> list[str]:
    first = int(start[:4]) * 12 + int(start[5:7]) - 1
    last = int(end[:4]) * 12 + int(end[5:7]) - 1
    return [f"{m // 12}-{m % 12 + 1:02d}" for m in range(first, last + 1)]


def model_at(path: pd.DataFrame, period: str) -> float:
    """The model's price over an observed period (the mean of its months)."""
    prices = path.set_index("period")["price"]
    months = [m for m in months_of(period) if m in prices.index]
    return float(prices[months].mean()) if months else np.nan


def run_market(chain, episode) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float], list[str]]:
    """The fitted market path, the observed prices beside the model, the fitted values, and the
    fitted parameters the calibration window does not identify."""
    months = month_labels(episode.start, episode.end)
    by_month = quota_months(chain)
    quota = np.array([by_month.get(m, np.inf) for m in months])
    observed = price_series(episode.element, episode.basis)
    calibration = set(month_labels(episode.calibration.start, episode.calibration.end))
    observed["window"] = ["calibration" if set(months_of(p)) <= calibration else "predict" for p in observed["period"]]
    observed = observed[[set(months_of(p)) <= set(months) for p in observed["period"]]]
    observed = observed.iloc[np.argsort([months_of(p)[0] + p for p in observed["period"]], kind="stable")]
    fixed = {k: v.value for k, v in episode.parameters.items() if v.value != "fit"}
    names = [k for k, v in episode.parameters.items() if v.value == "fit"]
    missing = {f.name for f in fields(MarketParameters)} - set(episode.parameters)
    if missing:
        raise InvalidInput(f"episode {episode.name}: parameters {', '.join(sorted(missing))} are not given.")
    targets = observed[observed["window"] == "calibration"]
    if len(targets) < len(names):
        raise InvalidInput(f"episode {episode.name}: {len(targets)} observed prices in the calibration window "
                           f"cannot fit {len(names)} parameters.")

    def parameters(x) -> MarketParameters:
        return MarketParameters(**fixed, **dict(zip(names, x)))

    def residuals(x) -> np.ndarray:
        path = simulate_quota(parameters(x), months, quota)
        return np.log([model_at(path, p) / v for p, v in zip(targets["period"], targets["value"])])

    lower, upper = zip(*(BOUNDS[n] for n in names))
    start = [_start(n, targets, quota) for n in names]
    solution = least_squares(residuals, x0=np.clip(start, lower, upper), bounds=(lower, upper))
    path = simulate_quota(parameters(solution.x), months, quota)
    observed = observed.assign(model=[model_at(path, p) for p in observed["period"]])
    fitted = {n: round(float(v), 4) for n, v in zip(names, solution.x)}
    return path, observed, fitted, unidentified(names, solution.jac)


def unidentified(names: list[str], jacobian: np.ndarray) -> list[str]:
    """Fitted parameters the calibration prices do not pin down: those that take part in a
    direction (nearly) in the null space of the fit's Jacobian. Moving them together leaves the
    fit unchanged, so they are not identified separately."""
    if not names:
        return []
    norms = np.linalg.norm(jacobian, axis=0)
    scaled = np.nan_to_num(jacobian / np.maximum(norms, 1e-300))
    _, singular, right = np.linalg.svd(scaled, full_matrices=True)
    singular = np.concatenate([singular, np.zeros(len(names) - len(singular))])
    loose = set(np.flatnonzero(norms < 1e-9))
    for vector, value in zip(right, singular):
        if value < 1e-3 * singular[0]:
            loose |= set(np.flatnonzero(np.abs(vector) > 0.1))
    return [n for i, n in enumerate(names) if i in loose]


def _start(name: str, targets: pd.DataFrame, quota: np.ndarray) -> float:
    """A neutral starting point for the fit: the first observed price, the mean quota, unit elasticity."""
    finite = quota[np.isfinite(quota)]
    return {"reference_price": float(targets["value"].iloc[0]), "demand": float(finite.mean()) if len(finite) else 1.0,
            "elasticity": 1.0}.get(name, float(np.mean(BOUNDS[name])))
