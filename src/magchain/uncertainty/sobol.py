"""Sobol sensitivity indices (SALib): which uncertain inputs move an answer most.

Inputs are quantiles in [0, 1) (see :mod:`magchain.uncertainty.distributions`), grouped as the
design groups them (a shared driver is one group; so are all the plant starts of a reference
class). Saltelli's design needs ``base_samples x (groups + 2)`` model runs; first-order (S1)
and total (ST) indices come with bootstrap confidence intervals.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analysis
from SALib.sample import sobol as sobol_sample

from magchain.errors import InvalidInput


def problem(names: list[str], groups: list[str]) -> dict:
    """SALib's problem over quantiles; indices are reported by group (a group of one is its input)."""
    spec = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    if len(set(groups)) < len(groups):
        spec["groups"] = list(groups)
    else:
        spec["names"] = list(groups)
    return spec


def sample(spec: dict, base_samples: int, seed: int) -> np.ndarray:
    """Saltelli's design on [0, 1): one row per model run."""
    if base_samples < 2 or base_samples & (base_samples - 1):
        raise InvalidInput(f"Sobol base samples must be a power of two of at least 2 (e.g. 512); got {base_samples}.")
    return sobol_sample.sample(spec, base_samples, calc_second_order=False, seed=seed)


def analyse(spec: dict, outputs: np.ndarray, seed: int, what: str) -> pd.DataFrame:
    """S1 and ST per input group, largest total index first."""
    outputs = np.asarray(outputs, dtype=float)
    if np.isnan(outputs).any():
        raise InvalidInput(f"{what} is unknown in some draws (capacity or demand not sourced); "
                           "Sobol indices need a number in every draw.")
    if np.ptp(outputs) == 0:
        raise InvalidInput(f"{what} does not vary over the draws, so no input moves it.")
    indices = sobol_analysis.analyze(spec, outputs, calc_second_order=False, seed=seed)
    names = list(dict.fromkeys(spec.get("groups", spec["names"])))
    table = pd.DataFrame({"input": names, "S1": indices["S1"], "S1_conf": indices["S1_conf"],
                          "ST": indices["ST"], "ST_conf": indices["ST_conf"]})
    return table.sort_values(["ST", "input"], ascending=[False, True]).reset_index(drop=True)


def indices(function: Callable[[np.ndarray], np.ndarray], names: list[str], groups: list[str],
            base_samples: int = 512, seed: int = 1, what: str = "the output") -> pd.DataFrame:
    """Sobol indices of ``function`` (quantile rows -> one number each) over inputs on [0, 1)."""
    spec = problem(names, groups)
    rows = sample(spec, base_samples, seed)
    return analyse(spec, function(rows), seed, what)
