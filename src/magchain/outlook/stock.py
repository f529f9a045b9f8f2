"""Dynamic (in-use) stock: magnets put into use leave the stock at end of life.

An inflow-driven stock model on an annual time grid, vectorised with numpy over any
leading dimensions (region x sector, Monte Carlo draws, ...) with time as the last axis.

Discretisation (chosen to agree with flodym's ``InflowDrivenDSM`` with its default
lifetime-model settings, so results can be cross-checked against that package):

* Time steps are whole years. The inflow of year ``c`` (a cohort) is taken to enter the
  stock at the middle of that year, and the stock is counted at the end of each year.
  At the end of year ``t >= c`` a cohort is therefore ``t - c + 0.5`` years old, and its
  surviving share is the survival function evaluated at that point,
  ``s[k] = S(k + 0.5)`` for ``k = t - c``. No integration within a year is done: one
  point per year.
* ``stock[t] = sum_{c <= t} inflow[c] * s[t - c]``.
* ``outflow[t] = sum_{c <= t} inflow[c] * d[t - c]`` with ``d[0] = 1 - s[0]`` and
  ``d[k] = s[k - 1] - s[k]``: whatever does not survive to the end of its first year
  (including, for a normal lifetime, the probability mass at negative ages) leaves in the
  inflow year itself. Hence ``stock[t] - stock[t-1] = inflow[t] - outflow[t]`` (up to
  rounding, with ``stock[-1] = 0``): there is no stock from before the first grid year.
* A fixed lifetime ``L`` means ``S(a) = 1 if a < L else 0``. A cohort therefore leaves in
  the year ``c + k`` with ``k`` the smallest whole number with ``k + 0.5 >= L``:
  integer lifetimes leave exactly ``L`` years after the inflow year, lifetimes of half a
  year or less leave in the inflow year, and fractional lifetimes round to the nearest
  whole year, halves rounding down (3.5 years leaves after 3, 3.6 after 4).
* Normal and log-normal lifetimes take the mean and standard deviation of the lifetime in
  years (for the log-normal, those of the lifetime itself, not of its logarithm); the
  normal distribution is not truncated at zero. Weibull takes shape and scale.

flodym options not reproduced here: inflow at the start or end of the year, quadrature
within the year (``n_pts_per_interval > 1``), lifetime factors by year or cohort, and
uneven time grids.

The survival curve of each cell depends only on the age, not on the cohort, so the model
is a causal convolution of the inflow with ``s`` (stock) and ``d`` (outflow), computed
as one batched matrix product of a sliding-window view of the inflow with both curves.
Speed matters because this runs inside Monte Carlo loops: lifetime parameters may be
arrays broadcastable to the leading shape, so one ``Lifetime`` can describe every cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy.special import ndtr as _normal_cdf

__all__ = [
    "KINDS",
    "Lifetime",
    "StockResult",
    "inflow_driven",
    "outflow_shares",
    "survival_curve",
    "survival_matrix",
]

KINDS = ("fixed", "normal", "lognormal", "weibull")
_ALIASES = {"log-normal": "lognormal", "log_normal": "lognormal", "lognorm": "lognormal"}
_NEEDS = {
    "fixed": ("mean",),
    "normal": ("mean", "std"),
    "lognormal": ("mean", "std"),
    "weibull": ("shape", "scale"),
}
_PARAMS = ("mean", "std", "shape", "scale")

Param = float | np.ndarray | None



@dataclass(frozen=True, eq=False)
class Lifetime:
    """Lifetime distribution of products in use, in years.

    Each parameter is a number or an array broadcastable to the leading shape of the
    inflow (e.g. one mean per sector), so a single object can stand for many cells.
    """

    kind: str
    mean: Param = None
    std: Param = None
    shape: Param = None
    scale: Param = None

    def __post_init__(self) -> None:
        kind = str(self.kind).strip().lower()
        kind = _ALIASES.get(kind, kind)
        if kind not in KINDS:
            raise ValueError(f"unknown lifetime kind {self.kind!r}; expected one of {KINDS}")
        object.__setattr__(self, "kind", kind)
        for name in _PARAMS:
            value = getattr(self, name)
            if value is None:
                if name in _NEEDS[kind]:
                    raise ValueError(f"{kind} lifetime needs {name!r} (years)")
                continue
            if name not in _NEEDS[kind]:
                raise ValueError(
                    f"{kind} lifetime takes {' and '.join(_NEEDS[kind])}, not {name!r}"
                )
            object.__setattr__(self, name, _checked(kind, name, value))

    def survival(self, ages: np.ndarray | float) -> np.ndarray:
        """Share of a cohort still in use at the given ages (parameters broadcast with ages)."""
        a = np.asarray(ages, dtype=float)
        if self.kind == "fixed":
            return (a < self.mean).astype(float)
        if self.kind == "normal":
            return _normal_cdf((self.mean - a) / self.std)
        if self.kind == "lognormal":
            sigma = np.sqrt(np.log1p((self.std / self.mean) ** 2))
            mu = np.log(self.mean) - 0.5 * sigma**2
            with np.errstate(divide="ignore"):  # age 0: log is -inf, survival 1
                return _normal_cdf((mu - np.log(np.maximum(a, 0.0))) / sigma)
        return np.exp(-((np.maximum(a, 0.0) / self.scale) ** self.shape))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Lifetime):
            return NotImplemented
        return self.kind == other.kind and all(
            _same(getattr(self, n), getattr(other, n)) for n in _PARAMS
        )

    def __hash__(self) -> int:
        return hash((self.kind,) + tuple(_key(getattr(self, n)) for n in _PARAMS))


def _checked(kind: str, name: str, value: object) -> float | np.ndarray:
    """Validate one parameter: finite, and positive (mean of fixed/normal may be zero)."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{kind} lifetime {name} must be a number, got {value!r}") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{kind} lifetime {name} must be finite, got {value!r}")
    zero_ok = name == "mean" and kind in ("fixed", "normal")
    bad = arr < 0 if zero_ok else arr <= 0
    if np.any(bad):
        sign = "non-negative" if zero_ok else "positive"
        raise ValueError(f"{kind} lifetime {name} must be {sign}, got {value!r}")
    return float(arr) if arr.ndim == 0 else arr


def _same(a: Param, b: Param) -> bool:
    if a is None or b is None:
        return a is b
    return bool(np.array_equal(a, b))


def _key(a: Param) -> object:
    if a is None or isinstance(a, float):
        return a
    return (a.shape, a.tobytes())


@dataclass(frozen=True)
class StockResult:
    """Stock and end-of-life outflow, shaped like the inflow (time last).

    ``stock_by_cohort[..., t, c]`` is the part of ``stock[..., t]`` that entered in year
    ``c`` (zero for ``c > t``); it is only filled when asked for, as it is T times larger.
    """

    stock: np.ndarray
    outflow: np.ndarray
    stock_by_cohort: np.ndarray | None = None


LifetimeSpec = Lifetime | Sequence | np.ndarray


def survival_curve(
    lifetime: LifetimeSpec, n_years: int, lead_shape: tuple[int, ...] = ()
) -> np.ndarray:
    """Surviving share ``s[..., k] = S(k + 0.5)`` at the end of the k-th year after inflow.

    ``lifetime`` is one ``Lifetime`` (parameters broadcast to ``lead_shape``) or an array
    or nested sequence of them with shape ``lead_shape`` (one per cell, kinds may mix).
    """
    if n_years < 0:
        raise ValueError(f"n_years must be non-negative, got {n_years}")
    lead_shape = tuple(lead_shape)
    ages = np.arange(n_years, dtype=float) + 0.5
    if isinstance(lifetime, Lifetime):
        return np.array(_curve_one(lifetime, ages, lead_shape))  # writable, not a view
    cells = _cell_array(lifetime, lead_shape)
    out = np.empty(lead_shape + (n_years,))
    for kind in KINDS:
        mask = np.vectorize(lambda lt, k=kind: lt.kind == k, otypes=[bool])(cells)
        if mask.any():
            out[mask] = _stacked(cells[mask], kind).survival(ages)
    return out


def _curve_one(lifetime: Lifetime, ages: np.ndarray, lead_shape: tuple[int, ...]) -> np.ndarray:
    """Evaluate one (possibly array-valued) lifetime on the grid, broadcast to lead_shape."""
    expanded = {}
    for name in _NEEDS[lifetime.kind]:
        value = np.asarray(getattr(lifetime, name))
        try:
            expanded[name] = np.broadcast_to(value, lead_shape)[..., None]
        except ValueError:
            raise ValueError(
                f"lifetime {name} of shape {value.shape} does not fit the leading "
                f"shape {lead_shape} of the inflow"
            ) from None
    curve = _raw(lifetime.kind, expanded).survival(ages)
    return np.broadcast_to(curve, lead_shape + ages.shape)


def _raw(kind: str, params: dict[str, np.ndarray]) -> Lifetime:
    """A Lifetime from already validated arrays, skipping validation (hot path)."""
    obj = object.__new__(Lifetime)
    for f in fields(Lifetime):
        object.__setattr__(obj, f.name, params.get(f.name))
    object.__setattr__(obj, "kind", kind)
    return obj


def _cell_array(lifetime: Sequence | np.ndarray, lead_shape: tuple[int, ...]) -> np.ndarray:
    """An object array of Lifetimes with exactly the leading shape of the inflow."""
    cells = np.empty(lead_shape, dtype=object)
    try:
        cells[...] = lifetime
    except ValueError:
        raise ValueError(
            f"lifetimes of shape {np.shape(lifetime)} do not fit the leading shape {lead_shape}"
        ) from None
    for cell in cells.flat:
        if not isinstance(cell, Lifetime):
            raise TypeError(f"expected Lifetime objects, got {type(cell).__name__}")
    return cells


def _stacked(cells: np.ndarray, kind: str) -> Lifetime:
    """One array-valued Lifetime (params shaped (n, 1)) from n scalar-parameter cells."""
    params = {}
    for name in _NEEDS[kind]:
        values = [np.asarray(getattr(c, name), dtype=float) for c in cells]
        if any(v.ndim for v in values):
            raise ValueError("per-cell lifetimes must have scalar parameters")
        params[name] = np.array(values)[:, None]
    return _raw(kind, params)


def outflow_shares(survival: np.ndarray) -> np.ndarray:
    """Share of a cohort leaving in each year of age: ``d[0] = 1 - s[0]``, then ``-diff(s)``."""
    s = np.asarray(survival, dtype=float)
    d = np.empty_like(s)
    d[..., :1] = 1.0 - s[..., :1]
    d[..., 1:] = s[..., :-1] - s[..., 1:]
    return d


def survival_matrix(curve: np.ndarray) -> np.ndarray:
    """Lower-triangular Toeplitz matrices ``m[..., t, c] = curve[..., t - c]`` (0 if c > t).

    Works for any per-age curve (survival or outflow shares).
    """
    curve = np.asarray(curve, dtype=float)
    n = curve.shape[-1]
    lag = np.arange(n)[:, None] - np.arange(n)[None, :]
    padded = np.concatenate([curve, np.zeros(curve.shape[:-1] + (1,))], axis=-1)
    return padded[..., np.where(lag >= 0, lag, n)]  # above the diagonal: the zero pad


def inflow_driven(
    inflow: np.ndarray, lifetime: LifetimeSpec, *, by_cohort: bool = False
) -> StockResult:
    """Stock and end-of-life outflow of an inflow-driven stock (time on the last axis).

    ``lifetime`` is one ``Lifetime`` for all cells (its parameters may be arrays
    broadcastable to ``inflow.shape[:-1]``) or an array/nested sequence of Lifetimes of
    that shape. See the module docstring for the discretisation.
    """
    x = np.asarray(inflow, dtype=float)
    if x.ndim == 0:
        raise ValueError("inflow needs a time axis (the last axis)")
    lead, n = x.shape[:-1], x.shape[-1]
    s = survival_curve(lifetime, n, lead)
    stock, outflow = _convolve(x, np.stack([s, outflow_shares(s)], axis=-1))
    cohorts = None
    if by_cohort:
        cohorts = survival_matrix(s) * x[..., None, :]
    return StockResult(stock=stock, outflow=outflow, stock_by_cohort=cohorts)


def _convolve(x: np.ndarray, kernels: np.ndarray) -> tuple[np.ndarray, ...]:
    """Causal convolutions y_j[t] = sum_{k<=t} kernels[k, j] * x[t-k] along time.

    ``kernels`` is ``(..., T, J)``. A zero-padded sliding-window view of the inflow (no
    copy) times the time-reversed kernels gives all J convolutions in one batched matmul,
    which beat a loop over lags, an explicit Toeplitz matrix and einsum when measured
    (FFT is faster still but not exact where results should be zero).
    """
    n = x.shape[-1]
    if n == 0:
        return tuple(np.zeros(x.shape) for _ in range(kernels.shape[-1]))
    padded = np.concatenate([np.zeros(x.shape[:-1] + (n - 1,)), x], axis=-1)
    windows = sliding_window_view(padded, n, axis=-1)  # [..., t, j] = x[t + j - (n - 1)]
    y = windows @ kernels[..., ::-1, :]
    return tuple(np.ascontiguousarray(y[..., j]) for j in range(y.shape[-1]))
