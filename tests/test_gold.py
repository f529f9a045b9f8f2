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
FILES = sorted(GOLD.glob("*/*.json"))


def document_text(gold_file: Path, name: str) -> str:
    docs = gold_file.parent / "docs"
    folder = docs if docs.is_dir() else Path(str(DATA / "seeds"))
    return (folder / name).read_text(encoding="utf-8")


def test_there_are_four_gold_sets_of_five_documents():
    assert {f.parent.name for f in FILES} == {"seeds", "dev1", "dev2", "blind"}
    assert all(sum(f.parent == folder for f in FILES) == 5 for folder in {f.parent for f in FILES})


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
