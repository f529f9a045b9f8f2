"""Monte Carlo of the outlook: probabilities and quantiles of a region's stages by year.

Draws are split into chunks of :data:`CHUNK` draws; chunk ``i`` draws its quantiles from the
``i``-th child of one ``SeedSequence(seed)``, so a seed gives the same numbers whatever runs
the chunks. Each chunk is reduced where it runs to counts and histograms, so memory stays
bounded however many draws: probabilities are exact counts, quantiles are read from
histograms on a fixed log grid (:data:`BINS_PER_DECADE` bins per decade, so a quantile is
within 0.3 % of the exact sample quantile).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr

from magchain.errors import InvalidInput
from magchain.model.core import evaluate
from magchain.uncertainty.design import Design
from magchain.vocab import STAGES

CHUNK = 2000  # draws per chunk; fixed, so that chunks (and their seeds) do not depend on the scheduler
MAX_BATCH = 10  # chunks a worker runs and sums before it reports back
MAX_DRAWS = 10_000_000
QUANTILES = (0.05, 0.5, 0.95)
VARIABLES = ("stage_capacity_t", "stage_production_t", "demand_t", "gap_t", "self_sufficiency")
SMALLEST, DECADES, BINS_PER_DECADE = 1e-6, 15, 400  # histogram grid: 1e-6 to 1e9 (t or ratio)
BINS = DECADES * BINS_PER_DECADE + 1  # bin 0 holds zeros (and anything below the grid)


@dataclass(frozen=True)
class OutlookJob:
    """What a worker needs to run chunks of draws for one region (picklable)."""

    inputs: object  # ModelInputs restricted to the region's blocks
    design: Design
    region: str
    years: tuple[int, ...]
    draws: int
    seed: int
    keep_draws: bool = False

    def chunks(self) -> list[int]:
        return list(range(-(-self.draws // CHUNK)))

    def quantiles(self, index: int) -> np.ndarray:
        """The chunk's matrix of input quantiles (draws x columns)."""
        size = min(CHUNK, self.draws - index * CHUNK)
        rng = np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(index,)))
        return rng.random((size, self.design.size))


def batches(chunks: list[int], workers: int) -> list[tuple[int, ...]]:
    """Chunks grouped into runs of consecutive chunks, a few per worker and at most
    :data:`MAX_BATCH` each, so that workers send back few, already summed histograms. The grouping
    never changes a result: counts are exact integers and float sums are kept chunk by chunk."""
    size = max(1, min(MAX_BATCH, -(-len(chunks) // (4 * max(workers, 1)))))
    return [tuple(chunks[i:i + size]) for i in range(0, len(chunks), size)]


def run_batch(job: OutlookJob, indices: tuple[int, ...]) -> dict:
    """Several chunks, their counts and histograms summed, their float sums and draws kept in order."""
    parts = [run_chunk(job, index) for index in indices]
    merged = {key: sum(p[key] for p in parts) for key in ("draws", "sufficient", "weak_link", "known")}
    merged["histograms"] = sum(p["histograms"].astype(np.int64) for p in parts)
    merged["sums"] = [p["sums"] for p in parts]
    merged["values"] = [p["values"] for p in parts if "values" in p]
    return merged


def run_chunk(job: OutlookJob, index: int) -> dict:
    """One chunk of draws, reduced to counts, sums and histograms (and its draws when kept)."""
    u = job.quantiles(index)
    result = evaluate(job.design.apply(job.inputs, u), job.region, list(job.years))
    result = result.assign_coords(draw=np.arange(len(u)) + index * CHUNK)
    values = np.stack([_full(result[name], len(u)) for name in VARIABLES])  # var, draw, stage, year
    ratio = values[VARIABLES.index("self_sufficiency")]
    reduced = {
        "draws": len(u),
        "sufficient": np.sum(ratio >= 1, axis=0),
        "weak_link": np.sum(_full(result["weak_link"], len(u)), axis=0),
        "known": np.sum(~np.isnan(values), axis=1),
        "sums": np.nansum(values, axis=1),
        "histograms": _histograms(values),
    }
    if job.keep_draws:
        reduced["values"] = result[list(VARIABLES) + ["weak_link"]].drop_vars("region", errors="ignore")
    return reduced


def _full(array: xr.DataArray, draws: int) -> np.ndarray:
    """An indicator as a (draw, stage, year) array, broadcast where it does not vary."""
    array = array.expand_dims(stage=list(STAGES)) if "stage" not in array.dims else array
    array = array.expand_dims(draw=draws) if "draw" not in array.dims else array
    return array.transpose("draw", "stage", "year").values.astype(float)


def _histograms(values: np.ndarray) -> np.ndarray:
    """Counts per (var, stage, year, bin); NaN is not counted."""
    n_var, _, n_stage, n_year = values.shape
    with np.errstate(divide="ignore", invalid="ignore"):
        position = np.floor((np.log10(values) - np.log10(SMALLEST)) * BINS_PER_DECADE) + 1
    position = np.where(values <= SMALLEST, 0, np.clip(position, 1, BINS - 1))
    cell = (np.arange(n_var)[:, None, None, None] * n_stage + np.arange(n_stage)[None, None, :, None]) * n_year \
        + np.arange(n_year)[None, None, None, :]
    known = ~np.isnan(values)
    flat = (np.broadcast_to(cell, values.shape)[known] * BINS + position[known].astype(np.int64))
    counts = np.bincount(flat, minlength=n_var * n_stage * n_year * BINS)
    return counts.reshape(n_var, n_stage, n_year, BINS).astype(np.int32)


def _bin_value(index: np.ndarray) -> np.ndarray:
    """The geometric centre of a histogram bin (0 for the zero bin)."""
    centre = SMALLEST * 10 ** ((index - 0.5) / BINS_PER_DECADE)
    return np.where(index == 0, 0.0, centre)


@dataclass
class UncertaintyResult:
    """Probabilities and quantiles of a region's outlook over draws."""

    region: str
    years: tuple[int, ...]
    draws: int
    seed: int
    scheduler: str
    probabilities: xr.Dataset  # sufficient and weak_link: P by stage and year
    quantiles: xr.Dataset  # each variable by quantile, stage and year
    means: xr.Dataset
    inputs: list[str] = field(default_factory=list)  # the uncertain inputs (columns of the design)
    values: xr.Dataset | None = None  # every draw, when kept
    sobol: pd.DataFrame | None = None

    def year(self, year: int) -> dict:
        """The answer for one year: per stage, P(self-sufficient), P(weak link) and quantiles."""
        if year not in self.years:
            raise InvalidInput(f"{year} is outside the run's years {self.years[0]}-{self.years[-1]}.")
        stages = {}
        for stage in STAGES:
            cell = {"p_self_sufficient": _number(self.probabilities["sufficient"].sel(stage=stage, year=year)),
                    "p_weak_link": _number(self.probabilities["weak_link"].sel(stage=stage, year=year))}
            for name in VARIABLES:
                if name == "demand_t":
                    continue
                values = self.quantiles[name].sel(stage=stage, year=year)
                cell[name] = {f"p{round(q * 100)}": _number(values.sel(quantile=q)) for q in QUANTILES}
            stages[stage] = cell
        demand = self.quantiles["demand_t"].sel(stage="magnet", year=year)
        return {"year": year, "demand_t": {f"p{round(q * 100)}": _number(demand.sel(quantile=q)) for q in QUANTILES},
                "stages": stages}

    def to_dict(self) -> dict:
        out = {"region": self.region, "draws": self.draws, "seed": self.seed, "scheduler": self.scheduler,
               "quantile_precision": f"histogram of {BINS_PER_DECADE} log bins per decade (within 0.3 %)",
               "unknown": "null where a stage's capacity or the region's demand is not sourced",
               "uncertain_inputs": self.inputs, "years": [self.year(y) for y in self.years]}
        if self.sobol is not None:
            out["sobol"] = self.sobol.round(4).astype(object).where(self.sobol.notna(), None).to_dict(orient="records")
        return out

    def table(self) -> pd.DataFrame:
        """One row per year and stage: the probabilities and the P5/P50/P95 of capacity and gap."""
        rows = []
        for year in self.years:
            answer = self.year(year)
            for stage, cell in answer["stages"].items():
                rows.append({"year": year, "stage": stage, "p_self_sufficient": cell["p_self_sufficient"],
                             "p_weak_link": cell["p_weak_link"],
                             **{f"capacity_{k}": v for k, v in cell["stage_capacity_t"].items()},
                             **{f"demand_{k}": v for k, v in answer["demand_t"].items()},
                             **{f"gap_{k}": v for k, v in cell["gap_t"].items()}})
        return pd.DataFrame(rows)


def _number(value) -> float | None:
    value = float(value)
    return None if np.isnan(value) else value


def combine(job: OutlookJob, chunks: list[dict], scheduler: str, inputs: list[str]) -> UncertaintyResult:
    """The batches' reductions (in chunk order) as one result."""
    n = sum(c["draws"] for c in chunks)
    coords = {"stage": list(STAGES), "year": list(job.years)}
    known = sum(c["known"] for c in chunks)  # var, stage, year
    ratio_known = known[VARIABLES.index("self_sufficiency")]
    with np.errstate(invalid="ignore", divide="ignore"):
        sufficient = np.where(ratio_known > 0, sum(c["sufficient"] for c in chunks) / ratio_known, np.nan)
    weak = sum(c["weak_link"] for c in chunks) / n
    probabilities = xr.Dataset({"sufficient": (("stage", "year"), sufficient), "weak_link": (("stage", "year"), weak)},
                               coords=coords)
    histograms = sum(c["histograms"] for c in chunks)
    sums = np.sum([s for c in chunks for s in c["sums"]], axis=0)  # in chunk order: the same on every scheduler
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(known > 0, sums / known, np.nan)
    quantiles = _quantiles(histograms, known)
    dims = ("stage", "year")
    result = UncertaintyResult(
        job.region, job.years, n, job.seed, scheduler, probabilities,
        xr.Dataset({name: (("quantile",) + dims, quantiles[i]) for i, name in enumerate(VARIABLES)},
                   coords={**coords, "quantile": list(QUANTILES)}),
        xr.Dataset({name: (dims, means[i]) for i, name in enumerate(VARIABLES)}, coords=coords), inputs)
    if job.keep_draws:
        result.values = xr.concat([v for c in chunks for v in c["values"]], dim="draw")
    return result


def _quantiles(histograms: np.ndarray, known: np.ndarray) -> np.ndarray:
    """(var, quantile, stage, year) from cumulative histogram counts (the lower sample quantile)."""
    cumulative = np.cumsum(histograms, axis=-1)
    out = np.full((histograms.shape[0], len(QUANTILES)) + histograms.shape[1:3], np.nan)
    for k, q in enumerate(QUANTILES):
        rank = np.maximum(np.ceil(q * known), 1)[..., None]
        index = np.argmax(cumulative >= rank, axis=-1)
        out[:, k] = np.where(known > 0, _bin_value(index), np.nan)
    return out
