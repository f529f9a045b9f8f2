"""A long single-paragraph text through the fact extractor: finished, or refused by the budget.

Run: python benchmarks/bench_long_text.py [--megabytes 10]
Sentences are cut at MAX_SENTENCE characters, so reading is linear in the text; a document that
would take longer than the reading budget is refused with a message instead of running on.
"""

from __future__ import annotations

import argparse
import time

from magchain.errors import MagchainError
from magchain.ingest.extract import READING_BUDGET_S, extract_facts
from magchain.ingest.gazetteer import default_gazetteer

ROW = "MP Materials plans 1,000 t of magnets at Fort Worth, Texas, with capacity of 10,000 tonnes per year by 2028, "
LIMIT_S = 20  # the bound: finish or be refused within this


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=10.0)
    args = parser.parse_args()
    size = int(args.megabytes * 1_000_000)
    text = (ROW * (size // len(ROW) + 1))[:size]
    gazetteer = default_gazetteer()
    for kilobytes in (10, 100, 1000):
        began = time.perf_counter()
        extract_facts(text[: kilobytes * 1000], "2026-01-01", gazetteer=gazetteer, budget_s=3600)
        print(f"{kilobytes:>5} kB without a full stop: {time.perf_counter() - began:6.2f} s")
    began = time.perf_counter()
    try:
        facts = extract_facts(text, "2026-01-01", gazetteer=gazetteer)
        outcome = f"finished with {len(facts)} facts"
    except MagchainError as error:
        outcome = f"refused: {error}"
    elapsed = time.perf_counter() - began
    verdict = "within" if elapsed < LIMIT_S else "OVER"
    print(f"{args.megabytes:g} MB single paragraph: {elapsed:.1f} s ({verdict} {LIMIT_S} s; budget "
          f"{READING_BUDGET_S:g} s), {outcome}")


if __name__ == "__main__":
    main()
