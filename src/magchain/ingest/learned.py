"""The learned part of extraction: which kinds of fact a sentence states.

The rules find quantities, names, places and dates and decide most facts. A small model decides,
per sentence, the chance that it states each of the twelve kinds (one logistic regression per
kind over hashed words and word pairs, and whether the sentence holds a number, a share, money
or tonnes). Where it is sure of a kind that needs no number (a plant's status, funding, an
offtake, an export control, a price floor, a stockpile, recycling) and the rules found no fact of
that kind in the sentence, the rules' own slot-filling makes the fact (company, facility,
country, stage, year).

The model is trained on the training side of ``gold/`` (never its test split) by
``gold/train_sentence_kinds.py`` and shipped as ``data/learned/sentence_kinds.npz``; it needs
nothing but numpy.
"""

from __future__ import annotations

import functools
import itertools
import re
import zlib
from importlib import resources

import numpy as np

DIMENSIONS = 2**15
THRESHOLD = 0.6  # the chance above which a kind the rules missed is added (best F1 in cross-validation)
MODEL = "sentence_kinds.npz"
# Kinds a fact may have without a number: the measurable ones (capacity, production, trade flows,
# prices, demand forecasts) are facts only with their number, which the rules must find.
ADDABLE = ("plant_status", "funding", "offtake", "export_control", "price_floor", "stockpile", "recycling")
_WORDS = re.compile(r"[a-z]+|\d+|[%$€£¥]")
_MONEY = re.compile(r"[$€£¥]|\b(usd|dollars?|yuan|million|billion)\b")
_TONNES = re.compile(r"\b(tonnes?|tons?|t/yr|mt|kt)\b")


def features(sentence: str) -> np.ndarray:
    """The hashed feature indices of a sentence (sorted, unique)."""
    lower = sentence.lower()
    words = _WORDS.findall(lower)
    names = [f"w|{w}" for w in words] + [f"b|{a}_{b}" for a, b in itertools.pairwise(words)]
    names += ["number" if re.search(r"\d", sentence) else "no number",
              "share" if "%" in sentence or "percent" in lower else "no share",
              "money" if _MONEY.search(lower) else "no money",
              "tonnes" if _TONNES.search(lower) else "no tonnes"]
    return np.array(sorted({zlib.crc32(n.encode()) % DIMENSIONS for n in names}), dtype=np.int64)


class SentenceKinds:
    def __init__(self, kinds: list[str], weights: np.ndarray, bias: np.ndarray):
        self.kinds, self.weights, self.bias = kinds, weights, bias

    def chances(self, sentence: str) -> dict[str, float]:
        scores = self.weights[:, features(sentence)].sum(axis=1) + self.bias
        return dict(zip(self.kinds, (1 / (1 + np.exp(-scores))).tolist()))

    def sure(self, sentence: str, threshold: float | None = None) -> list[str]:
        """The kinds without a number the sentence states, by the model, at least ``threshold``
        (default: THRESHOLD) sure."""
        least = THRESHOLD if threshold is None else threshold
        return [kind for kind, chance in self.chances(sentence).items() if chance >= least and kind in ADDABLE]

    def save(self, path) -> None:
        np.savez_compressed(path, kinds=np.array(self.kinds), weights=self.weights.astype(np.float32),
                            bias=self.bias.astype(np.float32))


@functools.cache
def shipped() -> SentenceKinds | None:
    """The model shipped in the package (None when it has not been trained)."""
    resource = resources.files("magchain") / "data" / "learned" / MODEL
    if not resource.is_file():
        return None
    with resources.as_file(resource) as path, np.load(path) as stored:
        return SentenceKinds([str(k) for k in stored["kinds"]], stored["weights"].astype(np.float64),
                             stored["bias"].astype(np.float64))
