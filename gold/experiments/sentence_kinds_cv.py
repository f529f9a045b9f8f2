"""Design comparison: the rules alone against the rules with the shipped sentence-kind model.

    python gold/experiments/sentence_kinds_cv.py

Five-fold cross-validation by document over the training side of the corpus (seeds, dev1,
dev2, blind, train); the held-out test split (gold/test) is never read. For each fold the model
is trained on the other folds exactly as `gold/train_sentence_kinds.py` trains the shipped one,
and the extractor runs with it (`extract_facts(..., learned=model)`) at each threshold; the
rules' scope checks apply as in the shipped extractor.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np

GOLD = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(GOLD))
from train_sentence_kinds import fit, labelled, training_documents

from magchain.ingest import learned
from magchain.ingest.evaluate import Score, _compare
from magchain.ingest.extract import extract_facts

UNSEEN_BY_RULES = ("blind", "train")
THRESHOLDS = (None, 0.9, 0.8, 0.7, 0.6, 0.5)  # None: the rules alone


def main() -> None:
    documents = training_documents()
    order = np.random.default_rng(0).permutation(len(documents))
    folds = [set(order[i::5]) for i in range(5)]
    models = [fit([row for i in order if i not in fold for row in labelled(*documents[i][1:4:2])]) for fold in folds]
    for threshold in THRESHOLDS:
        every, unseen = [0, 0, 0], [0, 0, 0]
        for fold, model in zip(folds, models):
            learned.THRESHOLD = threshold or learned.THRESHOLD
            for i in fold:
                name, text, published, gold = documents[i]
                day = dt.date.fromisoformat(published[:10]) if published else None
                facts = [f.as_dict() for f in extract_facts(text, day, learned=model if threshold else False)]
                for hits, predicted, expected in _compare(facts, gold).values():
                    for totals in [every] + ([unseen] if name in UNSEEN_BY_RULES else []):
                        totals[:] = [totals[0] + hits, totals[1] + predicted, totals[2] + expected]
        a, u = Score(*every), Score(*unseen)
        label = "rules alone" if threshold is None else f"threshold {threshold:.1f}"
        print(f"{label:13s}: all P {a.precision:.2f} R {a.recall:.2f} F1 {a.f1:.2f} | "
              f"unseen by the rules P {u.precision:.2f} R {u.recall:.2f} F1 {u.f1:.2f}")


if __name__ == "__main__":
    main()
