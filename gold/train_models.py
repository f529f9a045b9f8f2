"""Train the three models extraction ships (magchain/data/learned/).

    python gold/train_models.py

Reads the training side of the corpus only: seeds, dev1, dev2, blind and train. The test split
(gold/test) is never read.

- sentence_kinds.npz: a sentence's labels are the kinds of the gold facts whose spans overlap it.
- quantity_roles.npz: each number the quantity parser finds in a sentence, labelled with the kinds
  of the gold facts of that sentence that carry it (within 1 %), or "none".
- plant_status.npz: each gold plant-status fact's sentence, labelled with its status.

Each is one logistic regression per label, fitted by stochastic gradient descent in document
order (deterministic: the same corpus gives the same model).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from magchain.ingest.evaluate import same_quantity
from magchain.ingest.extract import KINDS
from magchain.ingest.learned import (
    DIMENSIONS,
    KINDS_FILE,
    NO_ROLE,
    ROLES_FILE,
    STATUS_FILE,
    STATUSES,
    SentenceLabels,
    features,
    quantity_features,
)
from magchain.ingest.quantities import parse_quantities
from magchain.ingest.sentences import split_sentences

GOLD = Path(__file__).resolve().parent
PACKAGE = GOLD.parent / "src" / "magchain"
TRAINING = ("seeds", "dev1", "dev2", "blind", "train")
EPOCHS, RATE, L2 = 40, 0.3, 1e-4
ROLE_EPOCHS, ROLE_RATE = 20, 0.2  # the role model has fewer, denser examples
ROLES = (*KINDS, NO_ROLE)


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


def training_batches() -> list[str]:
    """The batch of each document of ``training_documents()``, in the same order: a train/
    document's slug prefix ("zf" of "zf_jiji_..."), one batch of articles annotated together;
    the other sets' folder name."""
    return [path.stem.split("_")[0] if name == "train" else name
            for name in TRAINING for path in sorted((GOLD / name).glob("*.json"))]


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


def with_roles(text: str, facts: list[dict]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each number in each sentence and the kinds of the gold facts there that carry it."""
    rows = []
    for sentence in split_sentences(text):
        here = [f for f in facts if f["quantity"] is not None and f["start"] < sentence.end and sentence.start < f["end"]]
        for quantity in parse_quantities(sentence.text):
            kinds = {f["kind"] for f in here if same_quantity(f["quantity"], quantity.value)}
            rows.append((quantity_features(sentence.text, quantity.start, quantity.end, quantity.measure),
                         np.array([k in kinds for k in KINDS] + [not kinds], dtype=float)))
    return rows


def fit(rows, labels=KINDS, epochs=EPOCHS, rate=RATE) -> SentenceLabels:
    weights, bias = np.zeros((len(labels), DIMENSIONS)), np.zeros(len(labels))
    for _ in range(epochs):
        for x, y in rows:
            error = 1 / (1 + np.exp(-(weights[:, x].sum(axis=1) + bias))) - y
            weights[:, x] -= rate * (error[:, None] + L2 * weights[:, x])
            bias -= rate * error
    return SentenceLabels(list(labels), weights, bias)


def fit_roles(rows) -> SentenceLabels:
    return fit(rows, ROLES, ROLE_EPOCHS, ROLE_RATE)


def main() -> None:
    documents = training_documents()
    for name, rows, fitter in [
            (KINDS_FILE, [r for _, text, _, facts in documents for r in labelled(text, facts)], fit),
            (ROLES_FILE, [r for _, text, _, facts in documents for r in with_roles(text, facts)], fit_roles),
            (STATUS_FILE, [r for _, text, _, facts in documents for r in with_status(text, facts)],
             lambda rows: fit(rows, STATUSES))]:
        target = PACKAGE / "data" / "learned" / name
        fitter(rows).save(target)
        print(f"{len(rows):,} examples from {', '.join(TRAINING)}; wrote {target} ({target.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
