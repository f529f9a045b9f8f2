"""The shipped dataset: coverage, provenance, evidence that can be found in its document."""

from __future__ import annotations

import csv
import re
from collections import Counter
from importlib import resources

from magchain.dataset import material_of, seed_documents, shipped_bundle, split_qualifier
from magchain.registry import Registry
from magchain.validate import prepare
from magchain.vocab import STAGES


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_shipped_bundle_is_valid():
    assert prepare(shipped_bundle()) == []


def test_reference_tables_are_all_loaded():
    bundle = shipped_bundle()
    folder = resources.files("magchain") / "data" / "reference"

    def count(name):
        with (folder / name).open(encoding="utf-8") as handle:
            return sum(1 for _ in csv.DictReader(handle))

    assert count("facilities.csv") <= len(bundle.records["facilities"])
    assert count("events.csv") <= len(bundle.records["events"])
    assert count("parameters.csv") <= len(bundle.records["parameters"])
    assert count("countries.csv") <= len(bundle.records["figures"])
    assert count("sources.csv") <= len(bundle.records["sources"])


def test_at_least_80_facilities_across_all_six_stages(shipped_sqlite):
    rows = Registry(shipped_sqlite).facilities()
    assert len(rows) >= 80
    assert set(Counter(r["stage"] for r in rows)) == set(STAGES)


def test_every_record_has_a_source():
    bundle = shipped_bundle()
    source_ids = {s["id"] for s in bundle.records["sources"]}
    for name, records in bundle.records.items():
        if name == "sources":
            continue
        for record in records:
            assert record["source_id"] in source_ids, (name, record)


def test_every_capacity_in_listings_has_a_dated_source(shipped_sqlite):
    for row in Registry(shipped_sqlite).facilities():
        if row["capacity_t_per_yr"] is not None:
            assert row["sources"] and all(s["title"] for s in row["sources"]), row["id"]
            assert any(s["date"] for s in row["sources"]), row["id"]


def test_seed_evidence_is_a_sentence_of_its_document():
    documents = {doc_id: _squash(path.read_text(encoding="utf-8")) for doc_id, path in seed_documents().items()}
    bundle = shipped_bundle()
    checked = 0
    for name, records in bundle.records.items():
        for record in records:
            if record.get("source_id") in documents and record.get("evidence"):
                assert _squash(record["evidence"]) in documents[record["source_id"]], (name, record["id"])
                checked += 1
    assert checked >= 40, "the seed documents state far more facts than this"


def test_seed_facts_cover_every_document():
    bundle = shipped_bundle()
    used = Counter(r["source_id"] for records in bundle.records.values() for r in records if "source_id" in r)
    for doc_id in seed_documents():
        assert used[doc_id] >= 3, doc_id


def test_seed_sources_carry_the_document_hash():
    import hashlib

    sources = {s["id"]: s for s in shipped_bundle().records["sources"]}
    for doc_id, path in seed_documents().items():
        assert sources[doc_id]["content_hash"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert sources[doc_id]["kind"] == "document"


def test_unit_mapping_keeps_material_bases_apart():
    assert material_of("t/yr NdPr oxide") == "NdPr_oxide"
    assert material_of("t/yr NdPr oxide equivalent (in MREC)") == "NdPr_oxide_eq"
    assert material_of("t/yr magnet REO") == "magnet_REO"
    assert material_of("t/yr magnet (iron nitride, not NdFeB)") == "FeN_magnet"
    assert material_of("t/yr magnet feed (recycled) + 5,000 t/yr concentrate") == "feed"
    assert material_of("t/yr REO (in 38,000 t MREC)") == "REO"
    assert material_of("t/yr DyTb (contained, target)") == "DyTb"
    assert material_of("furlongs") is None
    assert split_qualifier("nameplate (Phase 1; 850-1,000)") == ("nameplate", "Phase 1; 850-1,000")
    assert split_qualifier("design") == ("design", None)


def test_every_reference_capacity_unit_maps_to_a_material():
    folder = resources.files("magchain") / "data" / "reference"
    with (folder / "facilities.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for unit in (row["capacity_unit"], row["planned_expansion_unit"]):
                if unit:
                    assert material_of(unit), unit


def test_conflicts_keep_both_sources_and_respect_bounds(shipped_sqlite):
    conflicts = Registry(shipped_sqlite).conflicts()
    found = {(c["subject"], c["what"]): sorted(r["value"] for r in c["records"]) for c in conflicts}
    # The June 2025 article gives 600 t/yr for Stillwater's first phase; the reference gives 1,200.
    assert found[("usar-stillwater", "capacity of magnet (existing) for 2026")] == [600.0, 1200.0]
    # 85 % (SMM) against 'over 90 %' is a real disagreement ...
    assert 85.0 in next(v for (subject, what), v in found.items()
                       if subject == "CN" and what.startswith("share_magnet_production in 2025"))
    # ... while 'less than 70 %' and 69.2 % agree.
    assert not [what for subject, what in found if subject == "CN" and what.startswith("share_mine_production in 2025")]
    for conflict in conflicts:
        assert len({s["title"] for r in conflict["records"] for s in r["sources"]}) >= 2
