"""Evaluation: the matching rule, and the measured scores on the annotated seed documents."""

import json
from pathlib import Path

import pytest

from magchain.errors import MagchainError
from magchain.ingest.evaluate import evaluate, format_scores, match

GOLD = Path(__file__).resolve().parent.parent / "gold" / "seeds"


def fact(kind="capacity", start=0, end=10, quantity=None):
    return {"kind": kind, "start": start, "end": end, "quantity": quantity}


def test_match_needs_kind_overlap_and_close_quantity():
    gold = [fact(quantity=2000.0)]
    assert match([fact(quantity=2010.0)], gold)
    assert not match([fact(quantity=2100.0)], gold)
    assert not match([fact(kind="production", quantity=2000.0)], gold)
    assert not match([fact(start=10, end=20, quantity=2000.0)], gold)
    assert match([fact(start=5, end=20)], gold)  # no number on one side: span and kind decide


def test_each_gold_fact_matches_once_and_numbers_go_first():
    gold = [fact(quantity=600.0), fact()]
    pairs = match([fact(), fact(quantity=600.0), fact()], gold)
    assert len(pairs) == 2
    assert any(p["quantity"] == 600.0 and g["quantity"] == 600.0 for p, g in pairs)


def test_evaluate_with_a_custom_extractor(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "d.txt").write_text("One sentence. Two.", encoding="utf-8")
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "d.json").write_text(json.dumps({"document": "d.txt", "published": None,
                                                 "facts": [fact("funding", 0, 13)]}))

    def extractor(text, published):
        return [fact("funding", 0, 13), fact("price", 14, 18)]

    scores = evaluate(gold_dir, extractor, documents_dir=docs)
    assert (scores["funding"].precision, scores["funding"].recall) == (1.0, 1.0)
    assert scores["overall"].precision == 0.5 and scores["overall"].recall == 1.0
    assert "funding" in format_scores(scores)


def test_missing_gold_folder_is_a_clear_error(tmp_path):
    with pytest.raises(MagchainError, match="no gold files"):
        evaluate(tmp_path)


def test_seed_scores_meet_the_targets():
    scores = evaluate(GOLD)
    print("\n" + format_scores(scores))
    assert scores["overall"].precision >= 0.85
    assert scores["overall"].recall >= 0.80


def test_two_annotators_agreement_is_measured_on_the_twice_annotated_documents():
    from magchain.ingest.evaluate import agreement

    gold = Path(__file__).resolve().parent.parent / "gold"
    itself = agreement(gold / "dev1", gold / "dev1")
    assert itself["scores"]["overall"].f1 == 1.0
    assert all(right == compared for right, compared in itself["fields"].values())
    two = agreement(gold / "dev1", gold / "agreement")
    assert two["documents"] == 5 and 0.5 < two["scores"]["overall"].f1 < 1.0  # independent: close, not equal
    assert all(0 <= right <= compared for right, compared in two["fields"].values())
    later = agreement(gold / "train", gold / "agreement_train")
    assert later["documents"] == 8 and 0.5 < later["scores"]["overall"].f1 < 1.0


def test_company_slots_are_compared_after_normalising_names():
    from magchain.ingest.evaluate import fields

    def paired(first, second):
        return ({"company": first}, {"company": second})

    same = [paired("Lynas", "Lynas Rare Earths Ltd"), paired("e-VAC Magnetics", "e-VAC"),
            paired("IREL (India) Ltd", "IREL"), paired("POSCO International Corporation", "posco")]
    different = [paired("Lynas", "Iluka Resources"), paired("Neo Performance Materials", "NPM Silmet"),
                 paired("Rare Earths Ltd", None)]
    assert fields(same)["company"] == (4, 4)
    assert fields(different)["company"] == (0, 3)
