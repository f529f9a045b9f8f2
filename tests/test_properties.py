"""Hypothesis properties: whatever records a user writes, export and import give them back."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from magchain.bundle import Bundle, Origin
from magchain.coerce import coerce, period_end
from magchain.io.export import FORMATS, export_bundle
from magchain.io.files import read_path
from magchain.tables import table
from magchain.vocab import CAPACITY_TYPES, MATERIALS, STATUSES

# Text as people type it, minus control characters that CSV and XLSX cannot hold.
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)
numbers = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)

capacity = st.fixed_dictionaries({
    "id": st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True),
    "status": st.sampled_from(STATUSES),
    "capacity_t_per_yr": st.one_of(st.none(), numbers),
    "material": st.sampled_from(tuple(MATERIALS)),
    "capacity_type": st.one_of(st.none(), st.sampled_from(CAPACITY_TYPES)),
    "qualifier": st.one_of(st.none(), text),
    "year": st.one_of(st.none(), st.integers(1950, 2060)),
    "evidence": st.one_of(st.none(), text),
})


def _bundle(capacities: list[dict]) -> Bundle:
    bundle = Bundle()
    origin = Origin("test")
    common = {"source_id": "s1", "confidence": "high", "known_from": "2025-01-01"}
    bundle.add("sources", _typed("sources", {"id": "s1", "title": "T", "confidence": "high", "kind": "reference"}), origin)
    bundle.add("companies", _typed("companies", {"id": "c1", "name": "C", **common}), origin)
    bundle.add("facilities", _typed("facilities", {"id": "f1", "name": "F", "company_id": "c1", "stage": "magnet",
                                                   **common}), origin)
    for record in capacities:
        bundle.add("capacities", _typed("capacities", {**record, "facility_id": "f1", "scope": "facility", **common}),
                   origin)
    return bundle


def _typed(name: str, raw: dict) -> dict:
    return {c.name: coerce(c, raw.get(c.name)) for c in table(name).columns}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(capacity, max_size=6, unique_by=lambda r: r["id"]))
def test_every_format_round_trips(records):
    bundle = _bundle(records)
    for fmt in FORMATS:
        with tempfile.TemporaryDirectory() as folder:
            export_bundle(bundle, folder, fmt)
            back = read_path(Path(folder))
        for name in ("sources", "facilities", "capacities"):
            assert back.records[name] == bundle.records[name], (fmt, name)


@given(st.dates(), st.sampled_from([4, 7, 10]))
def test_period_end_is_never_before_the_period(day, precision):
    text = day.isoformat()[:precision]
    end = period_end(text)
    assert end >= text and end[:precision] == text


_round = iter(range(10**6))


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(capacity, min_size=1, max_size=4, unique_by=lambda r: r["id"]))
def test_any_accepted_value_round_trips_through_both_stores(empty_store, records):
    prefix = f"r{next(_round)}-"  # one store for every example: each writes records of its own
    bundle = _bundle([{**r, "id": prefix + r["id"]} for r in records])
    empty_store.apply(bundle)
    stored = {r["id"]: r for r in empty_store.rows("capacities")}
    for record in bundle.records["capacities"]:
        back = {k: v for k, v in stored[record["id"]].items() if k != "recorded_at"}
        assert back == {k: v for k, v in record.items() if k != "recorded_at"}
