"""Declared distributions of the uncertain inputs (``data/outlook/distributions.csv``).

Every uncertain input is drawn as a quantile ``u`` in [0, 1) and turned into a value by its
distribution's inverse CDF, so Monte Carlo (random ``u``) and Sobol analysis (``u`` from a
Saltelli design) run the same model. Inputs that name one ``driver`` share one ``u`` per draw:
they move together (every region's demand growth with the demand driver).

Plant starts come from a reference class (``project_history.csv``): the delays of past
projects between the start they announced and the start they achieved, estimated with
Kaplan-Meier so that projects still pending count as delayed at least until their last check.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

import numpy as np
from scipy.special import betaincinv

from magchain.errors import InvalidInput, Issue, ValidationFailed

DATA = resources.files("magchain") / "data" / "outlook"
KINDS = ("triangular", "pert", "uniform", "fixed")
SPECIAL = {"growth": "triangular", "plant_start": "reference_class"}
SCOPES = ("outlook", "scenario")
UPSTREAM = ("mine", "separation")  # reference classes: upstream and the rest (too few projects to split further)


@dataclass(frozen=True)
class Distribution:
    """A continuous distribution between ``low`` and ``high`` with its most likely value ``mode``."""

    kind: str
    low: float
    mode: float
    high: float

    def __post_init__(self):
        if self.kind not in KINDS:
            raise InvalidInput(f"Distribution '{self.kind}' is not known; use one of {', '.join(KINDS)}.")
        if not (np.isfinite([self.low, self.mode, self.high]).all() and self.low <= self.mode <= self.high):
            raise InvalidInput(f"A {self.kind} distribution needs finite low <= mode <= high; got "
                               f"{self.low:g}, {self.mode:g}, {self.high:g}.")

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """The value at quantile ``u``."""
        u = np.asarray(u, dtype=float)
        a, m, b = self.low, self.mode, self.high
        if self.kind == "fixed" or a == b:
            return np.full(u.shape, m)
        if self.kind == "uniform":
            return a + u * (b - a)
        if self.kind == "triangular":
            split = (m - a) / (b - a)
            left = a + np.sqrt(u * (b - a) * (m - a))
            right = b - np.sqrt((1 - u) * (b - a) * (b - m))
            return np.where(u < split, left, right)
        alpha, beta = 1 + 4 * (m - a) / (b - a), 1 + 4 * (b - m) / (b - a)  # PERT
        return a + (b - a) * betaincinv(alpha, beta, u)  # the Beta distribution's inverse CDF

    def mean(self) -> float:
        a, m, b = self.low, self.mode, self.high
        return {"fixed": m, "uniform": (a + b) / 2, "triangular": (a + m + b) / 3, "pert": (a + 4 * m + b) / 6}[
            "fixed" if a == b else self.kind]

    def variance(self) -> float:
        a, m, b = self.low, self.mode, self.high
        if self.kind == "fixed" or a == b:
            return 0.0
        if self.kind == "uniform":
            return (b - a) ** 2 / 12
        if self.kind == "triangular":
            return (a * a + m * m + b * b - a * m - a * b - m * b) / 18
        mean = self.mean()
        return (mean - a) * (b - mean) / 7  # PERT: alpha + beta = 6


@dataclass(frozen=True)
class Declared:
    """One row of distributions.csv."""

    input: str
    distribution: str
    low: str
    mode: str
    high: str
    driver: str
    scope: str
    basis: str
    notes: str


def read_declared(folder=None) -> list[Declared]:
    """The rows of distributions.csv (a user's copy in ``folder`` first), checked."""
    path = (folder / "distributions.csv") if folder is not None and (folder / "distributions.csv").is_file() \
        else DATA / "distributions.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    issues, out = [], []
    for number, row in enumerate(rows, start=2):
        values = {name: (row.get(name) or "").strip() for name in Declared.__dataclass_fields__}
        declared = Declared(**values)
        expected = SPECIAL.get(declared.input)
        if expected and declared.distribution != expected:
            issues.append(Issue(str(path), number, "distribution", declared.distribution,
                                f"input '{declared.input}' is drawn as {expected}", f"Write {expected}"))
        elif not expected and declared.distribution not in KINDS:
            issues.append(Issue(str(path), number, "distribution", declared.distribution,
                                "is not a known distribution", f"Use one of {', '.join(KINDS)}"))
        if declared.scope not in SCOPES:
            issues.append(Issue(str(path), number, "scope", declared.scope, "is not a scope",
                                "Write outlook (used by the outlook and scenarios) or scenario"))
        for column in ("low", "mode", "high"):
            text = getattr(declared, column)
            if text and not text.startswith("preset") and not _is_number(text):
                issues.append(Issue(str(path), number, column, text, "is not a number",
                                    "Give a number, or leave it empty for the factor's own value in factors.csv"))
        out.append(declared)
    if issues:
        raise ValidationFailed(issues)
    return out


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def factor_distribution(declared: Declared, factor, where: str) -> Distribution:
    """A factor's distribution: numbers in the row where given, else the factor's low, value, high."""
    values = [float(getattr(declared, c)) if getattr(declared, c) else default
              for c, default in (("low", factor.low), ("mode", factor.value), ("high", factor.high))]
    try:
        return Distribution(declared.distribution, *values)
    except InvalidInput as error:
        raise InvalidInput(f"{where}: {error}") from None


# -- plant starts -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReferenceClass:
    """Delays (years) of past projects, as a Kaplan-Meier distribution with a share never started."""

    name: str
    delays: np.ndarray  # the delays at which the distribution steps
    cumulative: np.ndarray  # P(started with a delay <= delays[i])
    projects: int
    started: int
    pending: int
    cancelled: int

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Delay at quantile ``u``; NaN where the plant is not built within the reference class's experience."""
        u = np.asarray(u, dtype=float)
        index = np.searchsorted(self.cumulative, u, side="right")
        out = np.full(u.shape, np.nan)
        built = index < len(self.delays)
        out[built] = self.delays[index[built]]
        return out

    @property
    def never_share(self) -> float:
        return float(1 - self.cumulative[-1]) if len(self.cumulative) else 1.0


def _years(text: str) -> float | None:
    """'2023' -> 2023.5 (a year without a month is taken at mid-year), '2023-12' -> 2023.917."""
    text = (text or "").strip()
    if not text:
        return None
    year, _, month = text.partition("-")
    return int(year) + ((int(month) - 0.5) / 12 if month else 0.5)


def reference_classes(folder=None) -> dict[str, ReferenceClass]:
    """Upstream (mine, separation) and downstream (metal, alloy, magnet, recycling) reference classes from
    each project's first sourced announcement; later restatements and milestone rows are left out."""
    path = (folder / "project_history.csv") if folder is not None and (folder / "project_history.csv").is_file() \
        else DATA / "project_history.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    first = {}
    for row in rows:
        if "MILESTONE" in row.get("notes", ""):
            continue  # a full-rate milestone, not a start
        key = row["project"]
        if key not in first or (_years(row["announced_in"]) or 0) < (_years(first[key]["announced_in"]) or 0):
            first[key] = row
    classes = {}
    for name in ("upstream", "downstream"):
        members = [r for r in first.values() if (r["stage"] in UPSTREAM) == (name == "upstream")]
        classes[name] = _kaplan_meier(name, members, path)
    return classes


def _kaplan_meier(name: str, rows: list[dict], path) -> ReferenceClass:
    """Kaplan-Meier over delays: a start is an event at its delay, a pending project is censored at its
    last check, a cancelled one never starts (it stays at risk forever, so it lowers the curve's top)."""
    events, censored = [], []
    for row in rows:
        announced = _years(row["announced_start"])
        if announced is None:
            raise InvalidInput(f"{path}: project '{row['project_id']}' has no announced_start.")
        if row["outcome"] == "started":
            events.append(_years(row["achieved_start"]) - announced)
        elif row["outcome"] == "pending":
            censored.append(max(_years(row["latest_checked"]) - announced, 0.0))
    cancelled = sum(r["outcome"] == "cancelled" for r in rows)
    times = np.array(sorted(set(events)))
    cumulative, surviving = [], 1.0
    for t in times:
        at_risk = sum(e >= t for e in events) + sum(c >= t for c in censored) + cancelled
        surviving *= 1 - events.count(t) / at_risk
        cumulative.append(1 - surviving)
    return ReferenceClass(name, times, np.array(cumulative), len(rows), len(events), len(censored), cancelled)


def reference_class_of(stage: str) -> str:
    return "upstream" if stage in UPSTREAM else "downstream"
