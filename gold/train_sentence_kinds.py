"""Train the sentence-kind model that extraction ships (magchain/data/learned/sentence_kinds.npz).

    python gold/train_sentence_kinds.py

Reads the training side of the corpus only: seeds, dev1, dev2, blind and train. The test split
(gold/test) is never read. A sentence's labels are the kinds of the gold facts whose spans
overlap it. One logistic regression per kind, fitted by stochastic gradient descent in document
order (deterministic: the same corpus gives the same model).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from magchain.ingest.extract import KINDS
from magchain.ingest.learned import DIMENSIONS, MODEL, SentenceKinds, features
from magchain.ingest.sentences import split_sentences

GOLD = Path(__file__).resolve().parent
PACKAGE = GOLD.parent / "src" / "magchain"
TRAINING = ("seeds", "dev1", "dev2", "blind", "train")
EPOCHS, RATE, L2 = 40, 0.3, 1e-4


def training_documents() -> list[tuple[str, str, str | None, list[dict]]]:
    """(set, text, publication date, gold facts) of every document on the training side."""
    out = []
    for name in TRAINING:
        folder = GOLD / name
        texts = folder / "docs" if (folder / "docs").is_dir() else PACKAGE / "data" / "seeds"
        for path in sorted(folder.glob("*.json")):
            gold = json.loads(path.read_text(encoding="utf-8"))
            out.append((name, (texts / gold["document"]).read_text(encoding="utf-8"), gold.get("published"),
                        gold["facts"]))
    return out


def examples() -> list[tuple[np.ndarray, np.ndarray]]:
    return [row for _, text, _, facts in training_documents() for row in labelled(text, facts)]


def labelled(text: str, facts: list[dict]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each sentence's features and the kinds of the gold facts whose spans overlap it."""
    rows = []
    for sentence in split_sentences(text):
        kinds = {f["kind"] for f in facts if f["start"] < sentence.end and sentence.start < f["end"]}
        rows.append((features(text[sentence.start:sentence.end]), np.array([k in kinds for k in KINDS], dtype=float)))
    return rows


def fit(rows) -> SentenceKinds:
    weights, bias = np.zeros((len(KINDS), DIMENSIONS)), np.zeros(len(KINDS))
    for _ in range(EPOCHS):
        for x, y in rows:
            error = 1 / (1 + np.exp(-(weights[:, x].sum(axis=1) + bias))) - y
            weights[:, x] -= RATE * (error[:, None] + L2 * weights[:, x])
            bias -= RATE * error
    return SentenceKinds(list(KINDS), weights, bias)


def main() -> None:
    rows = examples()
    model = fit(rows)
    target = PACKAGE / "data" / "learned" / MODEL
    model.save(target)
    print(f"{len(rows):,} sentences from {', '.join(TRAINING)}; wrote {target} ({target.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
