"""Design comparison: rules, plus facts a learned sentence classifier adds where the rules find none.

    python gold/experiments/sentence_kinds_cv.py

A one-against-the-rest logistic regression per kind over hashed words and word pairs of a
sentence (and whether it holds a number, a percentage, money or tonnes) learns which kinds of
fact the sentence states, from the gold facts overlapping it. Where it gives a kind at least the
threshold and the rules found no fact of that kind in the sentence, a fact of that kind without
a quantity is added. Five-fold cross-validation by document over the 40 training documents;
the held-out test split (gold/test) is never read.
"""

from __future__ import annotations

import itertools
import re
import zlib

import numpy as np
from rule_filter_cv import UNSEEN_BY_RULES, documents

from magchain.ingest.evaluate import Score, _compare
from magchain.ingest.extract import KINDS
from magchain.ingest.sentences import split_sentences

DIMENSIONS = 2**15
THRESHOLDS = (1.1, 0.9, 0.8, 0.7, 0.6, 0.5)  # 1.1: nothing added, the rules alone
KIND_LIST = list(KINDS)


def features(sentence: str) -> np.ndarray:
    lower = sentence.lower()
    words = re.findall(r"[a-z]+|\d+|[%$€£¥]", lower)
    names = [f"w|{w}" for w in words] + [f"b|{a}_{b}" for a, b in itertools.pairwise(words)]
    names += ["number" if re.search(r"\d", sentence) else "no number",
              "share" if "%" in sentence or "percent" in lower else "no share",
              "money" if re.search(r"[$€£¥]|\b(usd|dollars?|yuan|million|billion)\b", lower) else "no money",
              "tonnes" if re.search(r"\b(tonnes?|tons?|t/yr|mt|kt)\b", lower) else "no tonnes"]
    return np.array(sorted({zlib.crc32(n.encode()) % DIMENSIONS for n in names}))


def labelled_sentences(document) -> list[tuple[int, int, np.ndarray, np.ndarray]]:
    _, text, gold, _ = document
    out = []
    for sentence in split_sentences(text):
        kinds = {g["kind"] for g in gold if g["start"] < sentence.end and sentence.start < g["end"]}
        out.append((sentence.start, sentence.end, features(text[sentence.start:sentence.end]),
                    np.array([k in kinds for k in KIND_LIST], dtype=float)))
    return out


def fit(rows, epochs: int = 40, rate: float = 0.3, l2: float = 1e-4) -> tuple[np.ndarray, np.ndarray]:
    weights, bias = np.zeros((len(KIND_LIST), DIMENSIONS)), np.zeros(len(KIND_LIST))
    for _ in range(epochs):
        for x, y in rows:
            error = 1 / (1 + np.exp(-(weights[:, x].sum(axis=1) + bias))) - y
            weights[:, x] -= rate * (error[:, None] + l2 * weights[:, x])
            bias -= rate * error
    return weights, bias


def with_added(document, sentences, weights, bias, threshold: float) -> list[dict]:
    facts = list(document[3])
    for start, end, x, _ in sentences:
        chances = 1 / (1 + np.exp(-(weights[:, x].sum(axis=1) + bias)))
        found = {f["kind"] for f in document[3] if f["start"] < end and start < f["end"]}
        facts += [{"kind": kind, "start": start, "end": end, "quantity": None}
                  for kind, chance in zip(KIND_LIST, chances) if chance >= threshold and kind not in found]
    return facts


def main() -> None:
    corpus = documents()
    sentences = [labelled_sentences(d) for d in corpus]
    order = np.random.default_rng(0).permutation(len(corpus))
    folds = [set(order[i::5]) for i in range(5)]
    models = [fit([(x, y) for i in order if i not in fold for _, _, x, y in sentences[i]]) for fold in folds]
    for threshold in THRESHOLDS:
        every, unseen = [0, 0, 0], [0, 0, 0]
        for fold, (weights, bias) in zip(folds, models):
            for i in fold:
                facts = with_added(corpus[i], sentences[i], weights, bias, threshold)
                for hits, predicted, expected in _compare(facts, corpus[i][2]).values():
                    for totals in [every] + ([unseen] if corpus[i][0] in UNSEEN_BY_RULES else []):
                        totals[:] = [totals[0] + hits, totals[1] + predicted, totals[2] + expected]
        a, u = Score(*every), Score(*unseen)
        print(f"threshold {threshold:.1f}: all P {a.precision:.2f} R {a.recall:.2f} F1 {a.f1:.2f} | "
              f"unseen by the rules P {u.precision:.2f} R {u.recall:.2f} F1 {u.f1:.2f}")


if __name__ == "__main__":
    main()
