"""Design comparison: does a learned filter over the rule extractor's facts help on unseen text?

    python gold/experiments/rule_filter_cv.py

Each rule fact is labelled right or wrong by the evaluator's matching rule against the gold
facts of its document. A logistic regression over hashed features of its sentence (words and
word pairs, each also conjoined with the fact's kind, plus the kind, unit and whether a
quantity was found) learns P(right). Facts below a threshold are dropped. Scored by five-fold
cross-validation over the training documents (seeds, dev1, dev2, blind, train), folds by
document; the held-out test split (gold/test) is never read. Prints precision, recall and F1 for
every threshold, on all of them and on blind/ and train/ (added after the first rules; rules have since been
written from their misses too).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import sys
import zlib
from pathlib import Path

import numpy as np

GOLD = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(GOLD))
from train_models import training_documents

from magchain.ingest.evaluate import Score, _compare, match
from magchain.ingest.extract import extract_facts

UNSEEN_BY_RULES = ("blind", "train")
DIMENSIONS = 2**14
THRESHOLDS = (0.0, 0.2, 0.3, 0.4, 0.5)


def documents() -> list[tuple[str, str, list[dict], list[dict]]]:
    """(set, text, gold facts, rule facts) for every training document."""
    out = []
    for name, text, published, gold in training_documents():
        day = dt.date.fromisoformat(published[:10]) if published else None
        rules = extract_facts(text, day, learned=False)  # the rules alone: the shipped model saw these
        out.append((name, text, gold, [f.as_dict() for f in rules]))
    return out


def features(fact: dict, text: str) -> np.ndarray:
    words = re.findall(r"[a-z]+|\d+|[%$]", text[fact["start"]:fact["end"]].lower())
    kind = fact["kind"]
    names = [f"k={kind}", f"u={fact.get('unit')}|{kind}", f"q={fact.get('quantity') is None}|{kind}"]
    names += [f"{kind}|{w}" for w in words] + [f"{kind}|{a}_{b}" for a, b in itertools.pairwise(words)]
    names += [f"w|{w}" for w in words]
    return np.array(sorted({zlib.crc32(n.encode()) % DIMENSIONS for n in names}))


def examples(document) -> list[tuple[np.ndarray, float]]:
    _, text, gold, facts = document
    right = {id(p) for p, _ in match(facts, gold)}
    return [(features(f, text), float(id(f) in right)) for f in facts]


def fit(rows, l2: float = 1e-3, epochs: int = 60, rate: float = 0.5) -> tuple[np.ndarray, float]:
    """Logistic regression by stochastic gradient descent on sparse binary features."""
    weights, bias = np.zeros(DIMENSIONS), 0.0
    for _ in range(epochs):
        for x, y in rows:
            error = 1 / (1 + np.exp(-(weights[x].sum() + bias))) - y
            weights[x] -= rate * (error + l2 * weights[x])
            bias -= rate * error
    return weights, bias


def scored(documents_, keep) -> Score:
    totals = [0, 0, 0]
    for _, text, gold, facts in documents_:
        kept = [f for f in facts if keep(f, text)]
        for hits, predicted, expected in _compare(kept, gold).values():
            totals = [totals[0] + hits, totals[1] + predicted, totals[2] + expected]
    return Score(*totals)


def main() -> None:
    corpus = documents()
    order = np.random.default_rng(0).permutation(len(corpus))
    folds = [set(order[i::5]) for i in range(5)]
    for threshold in THRESHOLDS:
        every, unseen = [0, 0, 0], [0, 0, 0]
        for fold in folds:
            weights, bias = fit([row for i in order if i not in fold for row in examples(corpus[i])])
            def keep(fact, text, weights=weights, bias=bias, threshold=threshold):
                chance = 1 / (1 + np.exp(-(weights[features(fact, text)].sum() + bias)))
                return threshold == 0 or chance >= threshold

            held = [corpus[i] for i in fold]
            for totals, part in ((every, held), (unseen, [d for d in held if d[0] in UNSEEN_BY_RULES])):
                s = scored(part, keep)
                totals[:] = [totals[0] + s.true_positives, totals[1] + s.predicted, totals[2] + s.gold]
        a, u = Score(*every), Score(*unseen)
        print(f"threshold {threshold:.1f}: all P {a.precision:.2f} R {a.recall:.2f} F1 {a.f1:.2f} | "
              f"unseen by the rules P {u.precision:.2f} R {u.recall:.2f} F1 {u.f1:.2f}")


if __name__ == "__main__":
    main()
