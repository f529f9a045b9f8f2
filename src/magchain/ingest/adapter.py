"""The seam between the queue (pipeline, review) and the extractor (documents, extract, evaluate)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from magchain.ingest.documents import read_document
from magchain.ingest.evaluate import evaluate as score
from magchain.ingest.extract import READING_BUDGET_S, extract_facts
from magchain.ingest.gazetteer import Gazetteer, build_gazetteer


@dataclass(frozen=True)
class Document:
    text: str
    title: str | None
    published: str | None
    publisher: str | None = None
    url: str | None = None


def read(path: Path) -> Document:
    document = read_document(path)
    published = document.metadata.published
    return Document(document.text, document.metadata.title, published.isoformat() if published else None)


def gazetteer_of(store) -> Gazetteer:
    """Names to recognise, from the store's own companies and facilities (not only the shipped ones)."""
    return build_gazetteer(store.rows("companies"), store.rows("facilities"))


def extract(text: str, published: str | None, gazetteer: Gazetteer | None = None,
            budget_s: float = READING_BUDGET_S) -> list[dict]:
    date = dt.date.fromisoformat(published[:10]) if published and len(published) >= 10 else None
    return [fact.as_dict() for fact in extract_facts(text, date, gazetteer, budget_s)]


def evaluate(gold: str | Path) -> list[dict]:
    """Precision, recall and F1 per kind (and overall) on a gold folder.

    The documents are in the folder's ``docs/`` when it has one, else they are the seeds.
    """
    docs = Path(gold) / "docs"
    scores = score(gold, documents_dir=docs if docs.is_dir() else None)
    return [{"kind": kind, "gold": s.gold, "predicted": s.predicted, "matched": s.true_positives,
             "precision": round(s.precision, 3), "recall": round(s.recall, 3), "f1": round(s.f1, 3)}
            for kind, s in scores.items() if s.gold or s.predicted]
