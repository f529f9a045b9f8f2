"""Arbitrary bytes and structures into every reader: a clean refusal (a MagchainError naming the
problem) or a valid result, never another exception."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from magchain.errors import MagchainError
from magchain.ingest.documents import read_document
from magchain.io.files import read_path
from magchain.scenario.spec import parse

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


def _refused_or_read(read, *args):
    try:
        read(*args)
    except MagchainError as error:
        assert str(error).strip()


@FUZZ
@given(st.binary(max_size=400), st.sampled_from(["facilities.csv", "capacities.json", "sources.xlsx",
                                                  "figures.parquet", "companies.csv"]))
def test_any_bytes_under_a_registry_name(tmp_path_factory, data, name):
    path = tmp_path_factory.mktemp("bytes") / name
    path.write_bytes(data)
    _refused_or_read(read_path, path)


@FUZZ
@given(json_values)
def test_any_json_structure(tmp_path_factory, value):
    path = tmp_path_factory.mktemp("json") / "facilities.json"
    path.write_text(json.dumps(value), encoding="utf-8")
    _refused_or_read(read_path, path)


@FUZZ
@given(st.lists(st.lists(st.text(max_size=15), min_size=1, max_size=6), min_size=1, max_size=5))
def test_any_csv_cells(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("csv") / "facilities.csv"
    header = "id,name,company_id,country,stage,source_id,confidence,known_from\n"
    body = "\n".join(",".join(json.dumps(c) for c in row) for row in rows)
    path.write_text(header + body + "\n", encoding="utf-8")
    _refused_or_read(read_path, path)


@FUZZ
@given(st.text(max_size=300) | json_values.map(json.dumps))
def test_any_scenario_text(text):
    _refused_or_read(parse, text, "fuzz.yaml")


@FUZZ
@given(st.binary(max_size=600), st.sampled_from(["a.txt", "a.html", "a.md", "a.pdf"]))
def test_any_document_bytes(tmp_path_factory, data, name):
    path = tmp_path_factory.mktemp("doc") / name
    path.write_bytes(data)
    _refused_or_read(read_document, path)
