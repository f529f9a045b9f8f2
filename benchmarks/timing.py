"""Timing shared by the benchmark scripts (run them from the repository root)."""

from __future__ import annotations

import time


def best_of(repeats: int, func) -> tuple[float, object]:
    """Best wall time of several runs (the least disturbed by other load) and the last result."""
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result
