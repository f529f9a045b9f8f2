"""Scenario speed: a 120-month global scenario, and the knock-out TTS sweep for the US.

Targets (issue 12): the knock-out TTS sweep for the US in under 1 s; a 120-month global scenario
(baseline LP over all months plus the scenario decided month by month) in under 2 s. Both are
timed after the model's inputs are planned (``ModelInputs.from_chain``, once per chain), which is
printed on its own.
Run: python benchmarks/bench_scenario.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from timing import best_of

from magchain.outlook import Chain
from magchain.outlook.arrays import ModelInputs
from magchain.scenario import library
from magchain.scenario.network import periods
from magchain.scenario.resilience import resilience
from magchain.scenario.run import run
from magchain.scenario.spec import parse
from magchain.store import Store

TEN_YEARS = """
name: bench
base: {start: 2025-01, end: 2034-12, periods: month}
events:
  - {kind: export_control, exporter: CN, destinations: all, start: 2026-04, end: 2026-12, cut: 0.74}
  - {kind: export_control, exporter: CN, destinations: [US], start: 2026-04, end: 2027-06, cut: 0.93}
  - {kind: plant_outage, facility: mp-independence-magnet, start: 2028-01, months: 6}
  - {kind: stockpile, holder: US, initial_t: 1000, priority_sectors: [defense]}
  - {kind: tariff, importer: US, exporter: CN, rate: 0.3}
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        store.init()
        chain = Chain.from_store(store)
        began = time.perf_counter()
        inputs = ModelInputs.from_chain(chain)
        print(f"model inputs planned once per chain: {time.perf_counter() - began:.2f} s")
        spec = parse(TEN_YEARS)
        seconds, result = best_of(3, lambda: run(chain, spec, inputs))
        model = result.allocation.arrays
        print(f"120-month global scenario ({len(result.network.regions)} regions, "
              f"{sum(v.size for v in model.data_vars.values()):,} values, baseline + 120 rolling steps): "
              f"{seconds:.2f} s   target < 2 s")
        sweep_spec = library.find("baseline")
        seconds, table = best_of(3, lambda: resilience(chain, "US", sweep_spec, inputs=inputs))
        months = len(periods(sweep_spec.base))
        print(f"knock-out TTS sweep for the US ('baseline', {len(table)} nodes x {months} months): "
              f"{seconds:.2f} s   target < 1 s")
        store.close()


if __name__ == "__main__":
    main()
