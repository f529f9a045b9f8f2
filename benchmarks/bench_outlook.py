"""Outlook speed: building the chain from the store, and the global outlook 2020-2050.

Targets (issue 3): chain built in under 1 s; global outlook for every facility in under 0.2 s
once the chain is built. Also printed: a region's outlook asked of a chain without prepared
inputs (as the service and the report ask it), the first time and again once the chain keeps its
capacity plan. Run: python benchmarks/bench_outlook.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from timing import best_of

from magchain.outlook import Chain, ModelInputs, outlook
from magchain.store import Store


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        store.init()

        def build():
            chain = Chain.from_store(store)
            return chain, ModelInputs.from_chain(chain)  # the capacity plan is read once, into the inputs

        build_time, (chain, inputs) = best_of(5, build)
        outlook_time, _ = best_of(10, lambda: outlook(chain, "WORLD", "2020:2050", inputs=inputs))
        first_time, _ = best_of(1, lambda: outlook(Chain.from_store(store), "US", "2024:2035"))
        outlook(chain, "US", "2024:2035")
        again_time, _ = best_of(5, lambda: outlook(chain, "JP", "2024:2035"))
        facilities = len(chain.tables["facilities"])
        print(f"chain build (store -> Chain + model inputs): {build_time * 1000:.0f} ms   target < 1000 ms")
        print(f"global outlook 2020-2050, {facilities} facilities:   {outlook_time * 1000:.0f} ms   target < 200 ms")
        print(f"a region's outlook from the store (chain built, plan made): {first_time * 1000:.0f} ms")
        print(f"another region's on the same chain (plan kept):           {again_time * 1000:.0f} ms")
        store.close()


if __name__ == "__main__":
    main()
