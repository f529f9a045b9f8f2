"""Uncertainty engine speed and memory (issue 11). Prints its figures; nothing is asserted.

Targets: 100,000 draws of the 2024-2040 outlook for a region and for the world in under 10 s on
2 cores with peak memory under 4 GiB; one draw through the vectorised core no slower than the
scalar outlook call; 1,000 draws of the global scenario in under 2 minutes on 2 cores; on a local
Dask cluster, 2 workers at least 1.7x faster than 1 on 1,000,000 outlook draws.

Run: python benchmarks/bench_uncertainty.py [--draws 100000] [--scenario-draws 20] [--dask-draws 1000000]
(the scenario runs --scenario-draws and six times as many, and projects 1,000 from the difference)
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from timing import best_of

from magchain.model import evaluate
from magchain.outlook import Chain, ModelInputs, outlook
from magchain.store import Store
from magchain.uncertainty import uncertainty
from magchain.uncertainty.scenario import scenario_uncertainty

YEARS = "2024:2040"


def peak_gib(workers: int) -> float:
    """An upper bound of the peak resident memory (GiB): this process's peak plus ``workers`` times
    the largest finished child's (the operating system reports only the largest child)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + workers * child) / 1024 ** 2


def timed(label: str, func, target: str = "") -> object:
    start = time.perf_counter()
    result = func()
    print(f"{label}: {time.perf_counter() - start:.1f} s {target}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--scenario-draws", type=int, default=20)
    parser.add_argument("--dask-draws", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        store.init()
        chain = Chain.from_store(store)
        inputs = ModelInputs.from_chain(chain)
        scalar, _ = best_of(5, lambda: outlook(chain, "US", YEARS, inputs=inputs))
        one, _ = best_of(5, lambda: evaluate(inputs, "US", range(2024, 2041)))
        print(f"one draw, vectorised core: {one * 1000:.0f} ms; scalar outlook call: {scalar * 1000:.0f} ms "
              "(target: core no slower)")
        for region in ("US", "WORLD"):
            timed(f"{args.draws:,} draws {region} {YEARS} on processes:2",
                  lambda r=region: uncertainty(chain, r, YEARS, args.draws, 1, "processes:2", inputs=inputs),
                  "(target < 10 s)")
        print(f"peak memory, upper bound (parent + 2 workers): {peak_gib(2):.2f} GiB (target < 4 GiB)")
        runs = {}
        for draws in (args.scenario_draws, 6 * args.scenario_draws):
            start = time.perf_counter()
            scenario_uncertainty(chain, "china-export-controls-2025", draws, 1, "processes:2")
            runs[draws] = time.perf_counter() - start
        (few, t_few), (many, t_many) = sorted(runs.items())
        marginal = (t_many - t_few) / (many - few)  # per draw, without starting the processes
        print(f"scenario draws (china-export-controls-2025) on processes:2: {few} in {t_few:.1f} s, {many} in "
              f"{t_many:.1f} s, {marginal:.3f} s per further draw; 1,000 draws: "
              f"{(t_many + (1000 - many) * marginal) / 60:.1f} min (projected; target < 2 min)")
        times = {}
        for workers in (1, 2):
            start = time.perf_counter()
            uncertainty(chain, "US", YEARS, args.dask_draws, 1, f"dask:{workers}", inputs=inputs)
            times[workers] = time.perf_counter() - start
            print(f"{args.dask_draws:,} draws US on a local Dask cluster of {workers}: {times[workers]:.1f} s", flush=True)
        print(f"Dask speed-up 2 workers over 1: {times[1] / times[2]:.2f}x (target >= 1.7x)")
        store.close()


if __name__ == "__main__":
    main()
