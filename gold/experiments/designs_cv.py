"""Design comparison: the rules alone, with the sentence-kind model, the status model and the role model.

    python gold/experiments/designs_cv.py [--by-batch]

Five-fold cross-validation by document over the training side of the corpus (seeds, dev1,
dev2, blind, train); the held-out test split (gold/test) is never read. For each fold all three
models are trained on the other folds exactly as `gold/train_models.py` trains the shipped ones,
and the extractor runs with them (`extract_facts(..., learned=Models(...))`); the rules' scope
checks apply as in the shipped extractor. Prints precision, recall and F1 on all training
documents and on blind/ and train/ (the documents added after the first rules; rules have since
been written from their misses too, so only the learned parts are unseen there), and how often
each slot of a matched fact is right; then the F1 of each kind under the shipped design.

With --by-batch the folds hold whole batches (the articles a helper annotated together, often on
one theme from a few outlets), so the learned parts are scored on batches they never saw, nearer
to how they meet a new week's news; random folds let a batch's sister articles into training.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np

GOLD = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(GOLD))
from train_models import (
    fit,
    fit_roles,
    labelled,
    training_batches,
    training_documents,
    with_roles,
    with_status,
)

from magchain.ingest import learned
from magchain.ingest.evaluate import FIELDS, Score, _compare, fields, match
from magchain.ingest.extract import extract_facts
from magchain.ingest.learned import STATUSES, Models

LATER = ("blind", "train")  # added after the first rules
# (label, sentence-kind threshold or None for no kind model, whether the status model is used,
# whether the role model is)
DESIGNS = [("rules alone", None, False, False), ("rules + roles", None, False, True)] + \
          [(f"kinds at {t:.1f}", t, False, False) for t in (0.8, 0.6)] + \
          [(f"kinds at {learned.THRESHOLD:.1f} + status", learned.THRESHOLD, True, False),
           (f"kinds at {learned.THRESHOLD:.1f} + status + roles (shipped)", learned.THRESHOLD, True, True)]


def main() -> None:
    documents = training_documents()
    order = np.random.default_rng(0).permutation(len(documents))
    folds = _batch_folds(training_batches()) if "--by-batch" in sys.argv[1:] else [set(order[i::5]) for i in range(5)]
    models = []
    for fold in folds:
        train = [documents[i] for i in order if i not in fold]
        models.append(Models(fit([r for _, text, _, facts in train for r in labelled(text, facts)]),
                             fit([r for _, text, _, facts in train for r in with_status(text, facts)], STATUSES),
                             fit_roles([r for _, text, _, facts in train for r in with_roles(text, facts)])))
    shipped_threshold = learned.THRESHOLD
    for label, threshold, statuses, roles in DESIGNS:
        every, later, pairs, kinds = [0, 0, 0], [0, 0, 0], [], {}
        learned.THRESHOLD = threshold or shipped_threshold
        for fold, fold_models in zip(folds, models):
            used = Models(fold_models.kinds if threshold else None, fold_models.statuses if statuses else None,
                          fold_models.roles if roles else None)
            for i in fold:
                name, text, published, gold = documents[i]
                day = dt.date.fromisoformat(published[:10]) if published else None
                facts = [f.as_dict() for f in extract_facts(text, day, learned=used)]
                pairs += match(facts, gold)
                for kind, (hits, predicted, expected) in _compare(facts, gold).items():
                    for totals in [every, kinds.setdefault(kind, [0, 0, 0])] + ([later] if name in LATER else []):
                        totals[:] = [totals[0] + hits, totals[1] + predicted, totals[2] + expected]
        a, u = Score(*every), Score(*later)
        slots = fields(pairs)
        print(f"{label:44s}: all P {a.precision:.3f} R {a.recall:.3f} F1 {a.f1:.3f} | blind+train "
              f"P {u.precision:.3f} R {u.recall:.3f} F1 {u.f1:.3f} | slots " +
              " ".join(f"{name} {slots[name][0] / slots[name][1]:.1%}" for name in FIELDS), flush=True)
    print("per kind, shipped design: " + ", ".join(f"{kind} {Score(*totals).f1:.2f}"
                                                    for kind, totals in sorted(kinds.items())))
    learned.THRESHOLD = shipped_threshold


def _batch_folds(batches: list[str], count: int = 5) -> list[set[int]]:
    """Five folds of whole batches, the batches shuffled and dealt largest first to the smallest fold."""
    members: dict[str, list[int]] = {}
    for index, batch in enumerate(batches):
        members.setdefault(batch, []).append(index)
    shuffled = [list(members)[i] for i in np.random.default_rng(0).permutation(len(members))]
    folds: list[set[int]] = [set() for _ in range(count)]
    for batch in sorted(shuffled, key=lambda b: -len(members[b])):
        min(folds, key=len).update(members[batch])
    return folds


if __name__ == "__main__":
    main()
