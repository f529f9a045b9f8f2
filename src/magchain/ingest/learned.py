"""The learned part of extraction: which kinds of fact a sentence states, what a number in it
is, and a plant's status.

The rules find quantities, names, places and dates and decide most facts. Three small models
read a sentence as hashed words and word pairs (and whether it holds a number, a share, money or
tonnes), each as one logistic regression per label:

- ``sentence_kinds``: the chance that the sentence states each of the twelve kinds. Where it is
  sure of a kind that needs no number (a plant's status, funding, an offtake, an export control,
  a price floor, a stockpile, recycling) and the rules found no fact of that kind in the
  sentence, the rules' own slot-filling makes the fact (company, facility, country, stage, year).
- ``quantity_roles``: what one number in a sentence is (a capacity, a trade volume, a price, ...
  or none of the twelve kinds), from its unit and the words on either side of it. Where the
  rules had no opinion on a number (neither a kind nor a deliberate "no fact") and the model is
  sure of a kind, that number becomes a fact of that kind, and the rules fill its slots as for
  any fact of that kind. It never overrides a kind the rules decided: tried, it turned correct
  rule decisions (a stockpile's tonnes) into the commoner kinds.
- ``plant_status``: which status (operating, under construction, planned, announced) a sentence
  about a plant gives it. It decides the status of a plant or recycling fact the status cues
  left open (most of them facts the first model added).

All three are trained on the training side of ``gold/`` (never its test split) by
``gold/train_models.py`` and shipped in ``data/learned/``; they need nothing but numpy.
"""

from __future__ import annotations

import functools
import itertools
import re
import zlib
from importlib import resources
from typing import NamedTuple

import numpy as np

DIMENSIONS = 2**15
THRESHOLD = 0.6  # the chance above which a kind the rules missed is added (best F1 in cross-validation)
ROLE_THRESHOLD = 0.6  # how sure the role model must be to give a number a kind (cross-validated)
KINDS_FILE, STATUS_FILE, ROLES_FILE = "sentence_kinds.npz", "plant_status.npz", "quantity_roles.npz"
NO_ROLE = "none"  # the role model's label for a number that is no fact (the rules' too, when sure)
STATUSES = ("operating", "under_construction", "planned", "announced")  # the annotated ones
# Kinds a fact may have without a number: the measurable ones (capacity, production, trade flows,
# prices, demand forecasts) are facts only with their number, which the rules must find.
ADDABLE = ("plant_status", "funding", "offtake", "export_control", "price_floor", "stockpile", "recycling")
_WORDS = re.compile(r"[a-z]+|\d+|[%$€£¥]")
_MONEY = re.compile(r"[$€£¥]|\b(usd|dollars?|yuan|million|billion)\b")
_TONNES = re.compile(r"\b(tonnes?|tons?|t/yr|mt|kt)\b")


_TOKENS = re.compile(r"[A-Za-z][\w'’-]*|\d[\d,.]*|[%$€£¥]")


def _shape(token: str, position: int) -> str:
    """A word as itself, lower-cased, unless it is a name or a number: then its class."""
    if token[0].isdigit():
        return "<year>" if re.fullmatch(r"(19|20)\d\d", token) else "<num>"
    if token[0].isupper() and position > 0:
        return "<name>"
    return token.lower()


def features(sentence: str) -> np.ndarray:
    """The hashed feature indices of a sentence (sorted, unique): its words, word pairs, pairs with
    names and numbers abstracted ("<name> will", "in <year>": a company never seen still counts),
    and whether it holds a number, a share, money or tonnes."""
    lower = sentence.lower()
    words = _WORDS.findall(lower)
    names = [f"w|{w}" for w in words] + [f"b|{a}_{b}" for a, b in itertools.pairwise(words)]
    shapes = [_shape(token, i) for i, token in enumerate(_TOKENS.findall(sentence))]
    names += [f"sb|{a}_{b}" for a, b in itertools.pairwise(shapes) if a.startswith("<") or b.startswith("<")]
    names += ["number" if re.search(r"\d", sentence) else "no number",
              "share" if "%" in sentence or "percent" in lower else "no share",
              "money" if _MONEY.search(lower) else "no money",
              "tonnes" if _TONNES.search(lower) else "no tonnes"]
    return np.array(sorted({zlib.crc32(n.encode()) % DIMENSIONS for n in names}), dtype=np.int64)


def quantity_features(sentence: str, start: int, end: int, unit: str) -> np.ndarray:
    """The hashed feature indices of the number at ``sentence[start:end]``: its unit class, the
    sentence's words (alone and beside the unit class) and the words just before and after it."""
    lower = sentence.lower()
    before = _WORDS.findall(lower[max(0, start - 80):start])[-8:]
    after = _WORDS.findall(lower[end:end + 80])[:8]
    words = _WORDS.findall(lower)
    names = [f"u|{unit}"] + [f"c|{w}" for w in words] + [f"uc|{unit}|{w}" for w in words]
    names += [f"l|{w}" for w in before] + [f"r|{w}" for w in after]
    names += [f"l1|{w}" for w in before[-3:]] + [f"r1|{w}" for w in after[:3]]
    names += [f"lb|{a}_{b}" for a, b in itertools.pairwise(before)]
    names += [f"rb|{a}_{b}" for a, b in itertools.pairwise(after)]
    names += [f"ul|{unit}|{w}" for w in before[-4:]] + [f"ur|{unit}|{w}" for w in after[:4]]
    return np.array(sorted({zlib.crc32(n.encode()) % DIMENSIONS for n in names}), dtype=np.int64)


class SentenceLabels:
    """One logistic regression per label over a sentence's hashed features."""

    def __init__(self, labels: list[str], weights: np.ndarray, bias: np.ndarray):
        self.labels, self.weights, self.bias = labels, weights, bias

    def chances(self, sentence: str) -> dict[str, float]:
        return dict(zip(self.labels, self.chances_of(features(sentence)).tolist()))

    def sure(self, sentence: str, threshold: float | None = None) -> list[str]:
        """The kinds without a number the sentence states, by the model, at least ``threshold``
        (default: THRESHOLD) sure."""
        least = THRESHOLD if threshold is None else threshold
        return [kind for kind, chance in self.chances(sentence).items() if chance >= least and kind in ADDABLE]

    def likeliest(self, sentence: str) -> str:
        chances = self.chances(sentence)
        return max(chances, key=chances.get)

    def chances_of(self, indices: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-(self.weights[:, indices].sum(axis=1) + self.bias)))

    def save(self, path) -> None:
        np.savez_compressed(path, labels=np.array(self.labels), weights=self.weights.astype(np.float32),
                            bias=self.bias.astype(np.float32))


def role(model: SentenceLabels, sentence: str, start: int, end: int, unit: str) -> str | None:
    """The kind of the number at ``sentence[start:end]`` (unit class ``unit``) by the model, where
    it is sure of one and finds it likelier than no kind at all; else None."""
    chances = dict(zip(model.labels, model.chances_of(quantity_features(sentence, start, end, unit)).tolist()))
    nothing = chances.pop(NO_ROLE)
    best = max(chances, key=chances.get)
    return best if chances[best] >= ROLE_THRESHOLD and chances[best] > nothing else None


class Models(NamedTuple):
    """What extraction learns: the kinds a sentence states, a plant's status and what a number is
    (any may be absent: a model not trained, or left out to compare designs)."""

    kinds: SentenceLabels | None
    statuses: SentenceLabels | None
    roles: SentenceLabels | None = None


@functools.cache
def shipped() -> Models:
    """The models shipped in the package (None for one that has not been trained)."""
    return Models(_load(KINDS_FILE), _load(STATUS_FILE), _load(ROLES_FILE))


def _load(name: str) -> SentenceLabels | None:
    resource = resources.files("magchain") / "data" / "learned" / name
    if not resource.is_file():
        return None
    with resources.as_file(resource) as path, np.load(path) as stored:
        return SentenceLabels([str(k) for k in stored["labels"]], stored["weights"].astype(np.float64),
                              stored["bias"].astype(np.float64))
