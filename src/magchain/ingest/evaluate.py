"""Score an extractor against a hand-annotated gold set: precision, recall and F1 per kind.

Gold files are ``<gold_dir>/<stem>.json``, each ``{"document": "<name>.txt", "published":
"YYYY-MM-DD" | null, "facts": [...]}``; the document is read from the seed folder
(``magchain/data/seeds/<document>``) unless ``documents_dir`` says otherwise.

Matching rule. A predicted fact matches a gold fact when

1. both have the same ``kind``;
2. the gold evidence span ``[start, end)`` overlaps the predicted sentence span (sentence
   splitters disagree on where a sentence ends, so overlap rather than equality); and
3. when *both* carry a quantity, the two agree within 1 % relative
   (``|p - g| <= 0.01 * max(|p|, |g|)``); a missing quantity on either side does not block
   a match.

Each gold fact is matched at most once. Predictions with a quantity are matched first, so a
prediction without a number cannot take the gold fact a numeric prediction needs.

Slots (year, status, stage, company) are scored separately, on matched facts. Company names are
normalised first, as the annotation guide asks of an evaluator: case, punctuation and legal
suffixes are ignored, and a name that is the start of the other counts as the same ("Lynas"
and "Lynas Rare Earths Ltd", "e-VAC" and "e-VAC Magnetics").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from magchain.errors import MagchainError
from magchain.ingest.extract import KINDS, Fact, extract_facts

RELATIVE_TOLERANCE = 0.01
LEGAL_SUFFIXES = {"ltd", "limited", "llc", "inc", "corp", "corporation", "co", "plc", "gmbh", "ag",
                  "sa", "nv", "pty", "jsc", "company"}
SEEDS = Path(__file__).resolve().parent.parent / "data" / "seeds"


@dataclass(frozen=True)
class Score:
    true_positives: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(gold_dir: str | Path, extractor: Callable[..., list[Fact]] = extract_facts,
             documents_dir: str | Path | None = None) -> dict[str, Score]:
    """Scores per kind, plus 'overall' (micro-averaged over every fact)."""
    return evaluate_with_fields(gold_dir, extractor, documents_dir)[0]


def evaluate_with_fields(gold_dir: str | Path, extractor: Callable[..., list[Fact]] = extract_facts,
                         documents_dir: str | Path | None = None) -> tuple[dict[str, Score], dict[str, tuple[int, int]]]:
    """Scores per kind and 'overall', and per slot (year, status, stage, company) how often a
    matched prediction has the gold value: (right, compared)."""
    files = sorted(Path(gold_dir).glob("*.json"))
    if not files:
        raise MagchainError(f"{gold_dir}: no gold files (*.json) found. Point evaluate() at "
                            "the folder holding the annotated <document stem>.json files.")
    documents = Path(documents_dir) if documents_dir else SEEDS
    counts = {kind: [0, 0, 0] for kind in KINDS}
    pairs = []
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = (documents / gold["document"]).read_text(encoding="utf-8")
        predicted = [_as_dict(f) for f in extractor(text, gold.get("published"))]
        pairs += match(predicted, gold["facts"])
        for kind, (hits, n_predicted, n_gold) in _compare(predicted, gold["facts"]).items():
            counts.setdefault(kind, [0, 0, 0])
            counts[kind][0] += hits
            counts[kind][1] += n_predicted
            counts[kind][2] += n_gold
    scores = {kind: Score(*c) for kind, c in counts.items()}
    scores["overall"] = Score(*(sum(c[i] for c in counts.values()) for i in range(3)))
    return scores, fields(pairs)


FIELDS = ("year", "status", "stage", "company")  # slots scored on matched facts


def agreement(first: str | Path, second: str | Path) -> dict:
    """Two independent annotations of the same documents (``<stem>.json`` in each folder): facts
    paired by the matching rule, the first as reference, so F1 per kind is their agreement; and
    per field the share of paired facts on which the two agree."""
    counts: dict[str, list[int]] = {}
    pairs = []
    stems = sorted(p.name for p in Path(second).glob("*.json"))
    for name in stems:
        reference = json.loads((Path(first) / name).read_text(encoding="utf-8"))["facts"]
        other = json.loads((Path(second) / name).read_text(encoding="utf-8"))["facts"]
        pairs += match(other, reference)
        for kind, (hits, n_other, n_reference) in _compare(other, reference).items():
            row = counts.setdefault(kind, [0, 0, 0])
            row[0], row[1], row[2] = row[0] + hits, row[1] + n_other, row[2] + n_reference
    scores = {kind: Score(*c) for kind, c in sorted(counts.items())}
    scores["overall"] = Score(*(sum(c[i] for c in counts.values()) for i in range(3)))
    return {"documents": len(stems), "scores": scores, "fields": fields(pairs)}


def fields(pairs: list[tuple[dict, dict]]) -> dict[str, tuple[int, int]]:
    """Per slot, (agreeing, compared) over paired facts where either side fills it."""
    out = {}
    for name in FIELDS:
        compared = [(a.get(name), b.get(name)) for a, b in pairs if a.get(name) is not None or b.get(name) is not None]
        same = _same_company if name == "company" else _same
        out[name] = (sum(same(x, y) for x, y in compared), len(compared))
    return out


def _same(x, y) -> bool:
    return (str(x).strip().lower() == str(y).strip().lower()) if x is not None and y is not None else False


def _same_company(x, y) -> bool:
    if x is None or y is None:
        return False
    a, b = sorted((_name_words(x), _name_words(y)), key=len)
    return bool(a) and b[:len(a)] == a


def _name_words(name: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", name.lower()) if w not in LEGAL_SUFFIXES]


def match(predicted: list[dict], gold: list[dict]) -> list[tuple[dict, dict]]:
    """Pairs (prediction, gold fact) under the matching rule in the module docstring."""
    pairs, free = [], list(gold)
    ordered = sorted(predicted, key=lambda f: f.get("quantity") is None)
    for fact in ordered:
        partner = next((g for g in free if _agrees(fact, g)), None)
        if partner is not None:
            free.remove(partner)
            pairs.append((fact, partner))
    return pairs


def format_scores(scores: dict[str, Score]) -> str:
    lines = [f"{'kind':16s} {'pred':>5s} {'gold':>5s} {'tp':>4s} {'P':>6s} {'R':>6s} {'F1':>6s}"]
    for kind, s in scores.items():
        if s.predicted or s.gold:
            lines.append(f"{kind:16s} {s.predicted:5d} {s.gold:5d} {s.true_positives:4d} "
                         f"{s.precision:6.2f} {s.recall:6.2f} {s.f1:6.2f}")
    return "\n".join(lines)


def _compare(predicted: list[dict], gold: list[dict]) -> dict[str, tuple[int, int, int]]:
    hits: dict[str, int] = {}
    for fact, _ in match(predicted, gold):
        hits[fact["kind"]] = hits.get(fact["kind"], 0) + 1
    kinds = {f["kind"] for f in predicted} | {g["kind"] for g in gold}
    return {kind: (hits.get(kind, 0), sum(f["kind"] == kind for f in predicted),
                   sum(g["kind"] == kind for g in gold)) for kind in kinds}


def _agrees(fact: dict, gold: dict) -> bool:
    if fact["kind"] != gold["kind"]:
        return False
    if not (fact["start"] < gold["end"] and gold["start"] < fact["end"]):
        return False
    p, g = fact.get("quantity"), gold.get("quantity")
    return p is None or g is None or same_quantity(p, g)


def same_quantity(p: float, g: float) -> bool:
    """Two figures agree within the matching rule's relative tolerance."""
    return abs(p - g) <= RELATIVE_TOLERANCE * max(abs(p), abs(g))


def _as_dict(fact) -> dict:
    return fact.as_dict() if hasattr(fact, "as_dict") else dict(fact)
