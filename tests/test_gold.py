"""The hand-annotated gold sets: every fact well formed and its sentence exactly where it says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from magchain.dataset import DATA

GOLD = Path(__file__).resolve().parent.parent / "gold"
KEYS = {"kind", "company", "facility", "country", "stage", "quantity", "quantity_high", "unit", "qualifier",
        "material", "year", "status", "agency", "evidence", "start", "end"}
KINDS = {"capacity", "production", "plant_status", "funding", "offtake", "export_control", "trade_flow", "price",
         "price_floor", "demand_forecast", "stockpile", "recycling"}
STAGES = {None, "mine", "separation", "metal", "alloy", "magnet", "recycling"}
SOURCE_KINDS = {"wire", "trade_press", "company_release", "government_release", "analyst_note", "esl_outlet"}
FILES = sorted(GOLD.glob("*/*.json"))


SECOND = "agreement"  # dev1's documents annotated a second time, independently
# second annotations and the set whose documents they annotate again
TWICE = {SECOND: "dev1", "agreement_train": "train"}


def document_text(gold_file: Path, name: str) -> str:
    home = GOLD / TWICE.get(gold_file.parent.name, gold_file.parent.name)
    docs = home / "docs"
    folder = docs if docs.is_dir() else Path(str(DATA / "seeds"))
    return (folder / name).read_text(encoding="utf-8")


def test_the_corpus_has_sixty_documents_a_test_split_of_twenty_and_five_annotated_twice():
    splits = {f.parent.name for f in FILES}
    assert splits == {"seeds", "dev1", "dev2", "blind", "train", "test", *TWICE}
    documents = [f for f in FILES if f.parent.name not in TWICE]
    assert len(documents) >= 60 and sum(f.parent.name == "test" for f in FILES) >= 20
    twice = sorted(f.name for f in FILES if f.parent.name == SECOND)
    assert len(twice) == 5 and twice == sorted(f.name for f in FILES if f.parent.name == "dev1")


def test_second_annotations_annotate_documents_of_their_set():
    for second, first in TWICE.items():
        names = {f.name for f in FILES if f.parent.name == first}
        assert {f.name for f in FILES if f.parent.name == second} <= names, second


def test_every_new_document_says_what_kind_of_source_it_is():
    for gold_file in FILES:
        if gold_file.parent.name in ("train", "test"):
            kind = json.loads(gold_file.read_text(encoding="utf-8")).get("source_kind")
            assert kind in SOURCE_KINDS, f"{gold_file.name}: source_kind {kind!r}"


@pytest.mark.parametrize("gold_file", FILES, ids=lambda f: f"{f.parent.name}/{f.stem}")
def test_gold_facts_are_well_formed_and_cite_their_sentence(gold_file):
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    text = document_text(gold_file, gold["document"])
    assert gold["facts"], "a gold document without facts measures nothing"
    seen = set()
    for number, fact in enumerate(gold["facts"]):
        where = f"{gold_file.name} fact {number}"
        assert KEYS <= set(fact) <= KEYS | {"usd"}, where
        assert fact["kind"] in KINDS and fact["stage"] in STAGES, where
        assert text[fact["start"]:fact["end"]] == fact["evidence"], where
        assert fact["quantity"] is None or isinstance(fact["quantity"], (int, float)), where
        key = json.dumps(fact, sort_keys=True)
        assert key not in seen, f"{where}: duplicate"
        seen.add(key)
