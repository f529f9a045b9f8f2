"""Train the two models extraction ships (magchain/data/learned/).

    python gold/train_models.py

Reads the training side of the corpus only: seeds, dev1, dev2, blind and train. The test split
(gold/test) is never read.

- sentence_kinds.npz: a sentence's labels are the kinds of the gold facts whose spans overlap it.
- plant_status.npz: each gold plant-status fact's sentence, labelled with its status.

Each is one logistic regression per label, fitted by stochastic gradient descent in document
order (deterministic: the same corpus gives the same model).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from magchain.ingest.extract import KINDS
from magchain.ingest.learned import (
    DIMENSIONS,
    KINDS_FILE,
    STATUS_FILE,
    STATUSES,
    SentenceLabels,
    features,
)
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


def labelled(text: str, facts: list[dict]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each sentence's features and the kinds of the gold facts whose spans overlap it."""
    rows = []
    for sentence in split_sentences(text):
        kinds = {f["kind"] for f in facts if f["start"] < sentence.end and sentence.start < f["end"]}
        rows.append((features(text[sentence.start:sentence.end]), np.array([k in kinds for k in KINDS], dtype=float)))
    return rows


def with_status(text: str, facts: list[dict]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each plant-status fact's sentence and its status."""
    return [(features(text[f["start"]:f["end"]]), np.array([f["status"] == s for s in STATUSES], dtype=float))
            for f in facts if f["kind"] == "plant_status" and f["status"] in STATUSES]


def fit(rows, labels=KINDS) -> SentenceLabels:
    weights, bias = np.zeros((len(labels), DIMENSIONS)), np.zeros(len(labels))
    for _ in range(EPOCHS):
        for x, y in rows:
            error = 1 / (1 + np.exp(-(weights[:, x].sum(axis=1) + bias))) - y
            weights[:, x] -= RATE * (error[:, None] + L2 * weights[:, x])
            bias -= RATE * error
    return SentenceLabels(list(labels), weights, bias)


def main() -> None:
    documents = training_documents()
    for name, rows, labels in [
            (KINDS_FILE, [r for _, text, _, facts in documents for r in labelled(text, facts)], KINDS),
            (STATUS_FILE, [r for _, text, _, facts in documents for r in with_status(text, facts)], STATUSES)]:
        target = PACKAGE / "data" / "learned" / name
        fit(rows, labels).save(target)
        print(f"{len(rows):,} examples from {', '.join(TRAINING)}; wrote {target} ({target.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
