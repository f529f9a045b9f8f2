"""Articles per second for the fact extractor on one core, on the seed documents.

Run: python benchmarks/bench_ingest.py [--seconds 5]
The gazetteer is built once per process (as in a batch run), outside the timing.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from magchain.ingest.extract import extract_facts
from magchain.ingest.gazetteer import default_gazetteer

SEEDS = Path(__file__).resolve().parent.parent / "src" / "magchain" / "data" / "seeds"
TARGET_PER_SECOND = 20


def articles_per_second(texts: list[str], seconds: float) -> float:
    gazetteer = default_gazetteer()
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in texts:
            extract_facts(text, gazetteer=gazetteer)
        done += len(texts)
    return done / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to run")
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    mean_chars = sum(map(len, texts)) / len(texts)
    rate = articles_per_second(texts, args.seconds)
    verdict = "meets" if rate >= TARGET_PER_SECOND else "BELOW"
    print(f"{rate:.1f} articles/s on one core ({len(texts)} seed articles, mean "
          f"{mean_chars:,.0f} characters; {verdict} the target of {TARGET_PER_SECOND}/s)")


if __name__ == "__main__":
    main()
