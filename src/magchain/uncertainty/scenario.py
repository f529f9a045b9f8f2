"""A scenario over draws: the distribution of each region's shortfall beyond its baseline and of
its time-to-survive, the allocation solved once per draw with that draw's inputs (capacity
with its plant starts, factors, demand growth, users' stocks)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from magchain.outlook.arrays import ModelInputs
from magchain.scenario.library import find
from magchain.scenario.run import run
from magchain.uncertainty.design import Design, design
from magchain.uncertainty.run import check_draws
from magchain.uncertainty.schedulers import parse

CHUNK = 10  # draws per chunk: each draw solves the baseline LP and the scenario's (month by month if rolling)
QUANTILES = (0.05, 0.5, 0.95)


@dataclass(frozen=True)
class ScenarioJob:
    chain: object
    scenario: object
    inputs: ModelInputs
    design: Design
    draws: int
    seed: int

    def chunks(self) -> list[int]:
        return list(range(-(-self.draws // CHUNK)))


def scenario_chunk(job: ScenarioJob, index: int) -> list[dict]:
    size = min(CHUNK, job.draws - index * CHUNK)
    rng = np.random.default_rng(np.random.SeedSequence(job.seed, spawn_key=(index,)))
    rows, models = [], {}  # draws of one structure share their LPs (warm starts)
    for offset, u in enumerate(rng.random((size, job.design.size))):
        result = run(job.chain, job.scenario, job.design.one(job.inputs, u), models)
        short = result.shortfall.groupby("region")["shortfall_t"].sum()
        base = result.baseline_shortfall.groupby("region")["shortfall_t"].sum().reindex(short.index, fill_value=0.0)
        for region in short.index:
            rows.append({"draw": index * CHUNK + offset, "region": region, "shortfall_t": float(short[region]),
                         "extra_shortfall_t": float(short[region] - base[region]),
                         "tts_months": float(result.tts_months.get(region, np.nan)),
                         "tts_censored": region in result.tts_censored})
    return rows


@dataclass
class ScenarioUncertainty:
    scenario: str
    draws: int
    seed: int
    scheduler: str
    per_draw: pd.DataFrame  # draw, region, shortfall_t, extra_shortfall_t, tts_months, tts_censored

    COLUMNS: ClassVar[list[str]] = ["region", "p_extra_shortfall", "extra_shortfall_p5", "extra_shortfall_p50", "extra_shortfall_p95",
               "tts_p5", "tts_p50", "tts_p95", "p_tts_censored"]

    def table(self) -> pd.DataFrame:
        """Per region: P(short beyond the baseline), quantiles of that shortfall and of TTS (months)."""
        rows = []
        for region, group in self.per_draw.groupby("region", sort=True):
            extra, tts = group["extra_shortfall_t"].to_numpy(), group["tts_months"].to_numpy()
            row = {"region": region, "p_extra_shortfall": float(np.mean(extra > 1e-6))}
            for q in QUANTILES:
                row[f"extra_shortfall_p{round(q * 100)}"] = float(np.quantile(extra, q, method="inverted_cdf"))
                row[f"tts_p{round(q * 100)}"] = float(np.quantile(tts, q, method="inverted_cdf"))
            row["p_tts_censored"] = float(group["tts_censored"].mean())
            rows.append(row)
        return pd.DataFrame(rows, columns=self.COLUMNS)

    def to_dict(self) -> dict:
        return {"scenario": self.scenario, "draws": self.draws, "seed": self.seed, "scheduler": self.scheduler,
                "tts_note": "TTS censored: never short within the scenario's months (TTS is then its length)",
                "regions": self.table().round(3).to_dict(orient="records")}


def scenario_uncertainty(chain, name: str, draws: int = 200, seed: int = 1, scheduler: str = "local",
                         progress: Callable | None = None) -> ScenarioUncertainty:
    check_draws(draws, seed)
    where = parse(scheduler)
    scenario = find(name)
    inputs = ModelInputs.from_chain(chain, scenario.base.demand)
    job = ScenarioJob(chain, scenario, inputs, design(chain, inputs, scope="scenario"), draws, seed)
    chunks = where.map(scenario_chunk, job, job.chunks(), progress)
    frame = pd.DataFrame([row for chunk in chunks for row in chunk])
    return ScenarioUncertainty(scenario.name, draws, seed, where.describe(), frame)
