"""The uncertainty engine's entry points: a region's outlook or a scenario over draws.

Example (in a notebook)::

    from magchain.store import Store
    from magchain.outlook import Chain
    from magchain.uncertainty import uncertainty
    chain = Chain.from_store(Store())
    result = uncertainty(chain, "US", "2024:2035", draws=10_000, seed=1)
    result.year(2028)["stages"]["magnet"]      # P(self-sufficient), P(weak link), P5/P50/P95
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from magchain.errors import InvalidInput
from magchain.model.core import evaluate
from magchain.outlook.arrays import ModelInputs
from magchain.outlook.project import parse_years
from magchain.uncertainty import sobol
from magchain.uncertainty.design import Design, design
from magchain.uncertainty.outlook import (
    MAX_DRAWS,
    OutlookJob,
    UncertaintyResult,
    batches,
    combine,
    run_batch,
)
from magchain.uncertainty.schedulers import parse

SOBOL_CHUNK = 2000  # Saltelli rows per chunk


def uncertainty(chain, region: str = "US", years="2024:2035", draws: int = 10_000, seed: int = 1,
                scheduler: str = "local", demand: str = "base", keep_draws: bool = False,
                sobol_year: int | None = None, sobol_samples: int = 512, sobol_stage: str = "magnet",
                progress: Callable | None = None, inputs: ModelInputs | None = None) -> UncertaintyResult:
    """P(own capacity meets own demand) and P(weak link) per stage and year, P5/P50/P95 of capacity,
    production, demand and gap; with ``sobol_year``, Sobol indices of the stage's self-sufficiency then."""
    region = region.strip().upper()
    chain.regions.members(region)
    years = tuple(int(y) for y in parse_years(years))
    check_draws(draws, seed)
    where = parse(scheduler)
    inputs = (inputs or ModelInputs.from_chain(chain, demand)).with_demand(chain, demand, None)
    inputs = replace(inputs, blocks=inputs.blocks.isel(block=np.flatnonzero(inputs.member(region))))
    plan = design(chain, inputs)
    job = OutlookJob(inputs, plan, region, years, draws, seed, keep_draws)
    chunks = where.map(run_batch, job, batches(job.chunks(), where.workers), progress)
    result = combine(job, chunks, where.describe(), [c.name for c in plan.columns])
    if sobol_year is not None:
        result.sobol = sensitivity(inputs, plan, region, sobol_year, sobol_stage, sobol_samples, seed, where, progress)
    return result


def check_draws(draws: int, seed: int) -> None:
    if not 1 <= draws <= MAX_DRAWS:
        raise InvalidInput(f"--draws must lie between 1 and {MAX_DRAWS:,}; got {draws:,}.")
    if seed < 0:
        raise InvalidInput(f"--seed must be a whole number of at least 0; got {seed}.")


@dataclass(frozen=True)
class SobolJob:
    """Rows of a Saltelli design to run through the core, in chunks (picklable)."""

    inputs: object
    design: Design
    region: str
    year: int
    stage: str
    rows: np.ndarray

    def chunks(self) -> list[int]:
        return list(range(-(-len(self.rows) // SOBOL_CHUNK)))


def sobol_chunk(job: SobolJob, index: int) -> np.ndarray:
    rows = job.rows[index * SOBOL_CHUNK:(index + 1) * SOBOL_CHUNK]
    result = evaluate(job.design.apply(job.inputs, rows), job.region, [job.year])
    ratio = result["self_sufficiency"].sel(stage=job.stage, year=job.year)
    return np.broadcast_to(ratio.values, (len(rows),)).astype(float)


def sensitivity(inputs, plan: Design, region: str, year: int, stage: str, base_samples: int, seed: int,
                where, progress=None):
    """First-order and total Sobol indices of a stage's self-sufficiency in one year."""
    spec = sobol.problem([c.name for c in plan.columns], plan.groups())
    job = SobolJob(inputs, plan, region, int(year), stage, sobol.sample(spec, base_samples, seed))
    outputs = np.concatenate(where.map(sobol_chunk, job, job.chunks(), progress))
    return sobol.analyse(spec, outputs, seed, f"{region} {stage} self-sufficiency in {year}")
