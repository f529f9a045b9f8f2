"""Scenario speed: a 36-month global scenario, and the knock-out TTS sweep for the US.

Targets (issue 4): the scenario (baseline LP plus scenario LP, every facility) in under 2 s;
the sweep over every facility and exporting region in under 60 s on 2 cores.
Run: python benchmarks/bench_scenario.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from timing import best_of

from magchain.outlook import Chain
from magchain.scenario import library
from magchain.scenario.resilience import resilience
from magchain.scenario.run import run
from magchain.scenario.spec import parse
from magchain.store import Store

THIRTY_SIX_MONTHS = """
name: bench
base: {start: 2025-01, end: 2027-12, periods: month}
events:
  - {kind: export_control, exporter: CN, destinations: all, start: 2025-04, end: 2025-12, cut: 0.74}
  - {kind: export_control, exporter: CN, destinations: [US], start: 2025-04, end: 2025-12, cut: 0.93}
  - {kind: stockpile, holder: US, initial_t: 1000, priority_sectors: [defense]}
  - {kind: tariff, importer: US, exporter: CN, rate: 0.3}
"""




def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        store.init()
        chain = Chain.from_store(store)
        spec = parse(THIRTY_SIX_MONTHS)
        seconds, result = best_of(3, lambda: run(chain, spec))
        variables = len(result.allocation.ship) + len(result.allocation.supplied) + 2 * len(result.allocation.stock)
        print(f"36-month global scenario ({len(result.network.regions)} regions, {variables}+ variables, two LPs): "
              f"{seconds:.2f} s   target < 2 s")
        sweep_spec = library.find("baseline")
        seconds, table = best_of(1, lambda: resilience(chain, "US", sweep_spec))
        print(f"knock-out TTS sweep for the US, {len(table)} nodes x 36 months: {seconds:.1f} s   target < 60 s")
        store.close()


if __name__ == "__main__":
    main()
