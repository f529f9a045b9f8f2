"""Dynamic stock speed: magchain's inflow-driven model against flodym's on the same case.

8 regions x 6 sectors x 80 years, normal lifetimes with a different mean per sector, random
positive inflows (fixed seed). Both must agree to 1e-6 relative; target: magchain at least
5x faster. Each timing covers the whole computation from arrays and lifetime parameters
(for flodym: building its lifetime model and InflowDrivenDSM and computing), as it would
run inside a Monte Carlo loop. Run: python benchmarks/bench_stock.py
"""

from __future__ import annotations

import numpy as np
from timing import best_of

from magchain.outlook.stock import Lifetime, inflow_driven

REGIONS, SECTORS, YEARS = 8, 6, 80
REPEATS = 7
TARGET = 5.0




def case() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(20260101)
    inflow = rng.uniform(1.0, 100.0, size=(REGIONS, SECTORS, YEARS))
    means = np.array([3.0, 6.0, 10.0, 15.0, 20.0, 30.0])  # e.g. electronics ... wind turbines
    return inflow, means, 0.3 * means


def run_magchain(inflow: np.ndarray, means: np.ndarray, stds: np.ndarray):
    result = inflow_driven(inflow, Lifetime("normal", mean=means, std=stds))
    return result.stock, result.outflow


def flodym_dsm(inflow: np.ndarray, means: np.ndarray, stds: np.ndarray):
    """flodym's InflowDrivenDSM for the case, built but not computed."""
    import flodym as fd

    dims = fd.DimensionSet(
        dim_list=[
            fd.Dimension(name="time", letter="t", items=list(range(2000, 2000 + YEARS))),
            fd.Dimension(name="region", letter="r", items=[f"R{i}" for i in range(REGIONS)]),
            fd.Dimension(name="sector", letter="s", items=[f"S{i}" for i in range(SECTORS)]),
        ]
    )
    model = fd.NormalLifetime(dims=dims, mean=means, std=stds)
    values = np.moveaxis(inflow, -1, 0).copy()
    return fd.InflowDrivenDSM(
        dims=dims, lifetime_model=model, inflow=fd.StockArray(dims=dims, values=values)
    )


def run_flodym(inflow: np.ndarray, means: np.ndarray, stds: np.ndarray):
    dsm = flodym_dsm(inflow, means, stds)
    dsm.compute()
    return np.moveaxis(dsm.stock.values, 0, -1), np.moveaxis(dsm.outflow.values, 0, -1)


def main() -> None:
    try:
        import flodym  # noqa: F401
    except ImportError:
        raise SystemExit("flodym is needed for this comparison: pip install flodym") from None
    inflow, means, stds = case()

    ours, theirs = run_magchain(inflow, means, stds), run_flodym(inflow, means, stds)
    for name, a, b in zip(("stock", "outflow"), ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-6, err_msg=f"{name} differs from flodym")
    worst = max(float(np.max(np.abs(a - b) / np.abs(b))) for a, b in zip(ours, theirs))

    t_ours, _ = best_of(REPEATS * 10, lambda: run_magchain(inflow, means, stds))
    t_theirs, _ = best_of(REPEATS, lambda: run_flodym(inflow, means, stds))
    built = flodym_dsm(inflow, means, stds)

    def compute_only():
        built.lifetime_model.reset_cached_arrays()  # else the survival table is reused
        built.compute()

    t_compute, _ = best_of(REPEATS, compute_only)
    speedup = t_theirs / t_ours
    print(f"case: {REGIONS} regions x {SECTORS} sectors x {YEARS} years, normal lifetimes")
    print(f"agreement with flodym: largest relative difference {worst:.1e} (limit 1e-6)")
    print(f"magchain: {t_ours * 1e3:8.3f} ms (best of {REPEATS * 10})")
    print(f"flodym:   {t_theirs * 1e3:8.3f} ms (best of {REPEATS})")
    print(f"  of which compute() on a built model: {t_compute * 1e3:.3f} ms")
    print(f"speed-up on compute() alone: {t_compute / t_ours:.1f}x")
    verdict = "meets" if speedup >= TARGET else "MISSES"
    print(f"speed-up: {speedup:.1f}x ({verdict} the {TARGET:.0f}x target)")


if __name__ == "__main__":
    main()
