"""Bad files are refused with every problem named (file, row, column, value, fix) and nothing written."""

from __future__ import annotations

import json

import pytest

from magchain.errors import ValidationFailed
from magchain.io.files import read_path

FACILITY_HEADER = "id,name,company_id,country,stage,source_id,confidence,known_from\n"


def problems(path) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        read_path(path)
    return [str(issue) for issue in caught.value.issues]


def apply_problems(store, path) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        store.apply(read_path(path))
    return [str(issue) for issue in caught.value.issues]


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "facilities.csv"
    path.write_text("")
    assert any("is empty" in p for p in problems(path))


def test_truncated_csv_names_the_line(tmp_path):
    path = tmp_path / "facilities.csv"
    path.write_text(FACILITY_HEADER + 'x1,"Unclosed name,acme,US,magnet,s1,high,2024-01-01\n')
    found = problems(path)
    assert any("malformed CSV" in p or "fields where the header has" in p for p in found), found


def test_row_with_missing_fields_is_named(tmp_path):
    path = tmp_path / "facilities.csv"
    path.write_text(FACILITY_HEADER + "x1,Plant,acme,US,magnet\n")
    assert any("row 2" in p and "has 5 fields where the header has 8" in p for p in problems(path))


def test_non_utf8_file_is_refused(tmp_path):
    path = tmp_path / "facilities.csv"
    path.write_bytes((FACILITY_HEADER + "x1,Usine d'Évreux,acme,FR,magnet,s1,high,2024\n").encode("latin-1"))
    found = problems(path)
    assert any("is not UTF-8" in p and "Save the file as UTF-8" in p for p in found), found


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "facilities.csv"
    path.write_bytes(b"\x00\x01\x02binary" * 10)
    assert any("binary" in p for p in problems(path))


def test_malformed_json_names_the_line(tmp_path):
    path = tmp_path / "facilities.json"
    path.write_text('[{"id": "x1",\n "name": "A"\n')
    assert any("is not valid JSON" in p and "row" in p for p in problems(path))


def test_corrupt_xlsx_is_refused(tmp_path):
    path = tmp_path / "registry.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook")
    assert any("not a valid XLSX" in p for p in problems(path))


def test_unknown_table_and_column_get_hints(tmp_path):
    (tmp_path / "bundle.json").write_text(json.dumps({"facilites": [], "sources": [{"id": "s", "titel": "x"}]}))
    found = problems(tmp_path / "bundle.json")
    assert any("Did you mean 'facilities'?" in p for p in found), found
    assert any("'titel'" in p and "Did you mean 'title'?" in p for p in found), found


def test_cell_type_errors_are_all_reported_at_once(tmp_path):
    path = tmp_path / "capacities.csv"
    path.write_text(
        "id,facility_id,status,capacity_t_per_yr,material,scope,year,source_id\n"
        "c1,f1,operating,\"2,000\",magnet,facility,20x6,s1\n"
        "c2,f1,operating,abc,magnet,facility,2026,s1\n"
    )
    found = problems(path)
    assert any("row 2, column 'capacity_t_per_yr'" in p and "Write 2000" in p for p in found), found
    assert any("row 2, column 'year'" in p and "whole number" in p for p in found), found
    assert any("row 3, column 'capacity_t_per_yr'" in p for p in found), found


def _write_facility_file(tmp_path, rows: list[str]):
    path = tmp_path / "facilities.csv"
    path.write_text(FACILITY_HEADER + "".join(rows))
    return path


def test_vocabulary_country_and_reference_errors(loaded_store, tmp_path):
    path = _write_facility_file(tmp_path, [
        "x1,Plant one,mp-materials,USA,magnett,usgs_mcs2025,high,2024-01-01\n",
        "x2,Plant two,no-such-company,US,magnet,no_such_source,high,2024-01-01\n",
    ])
    found = apply_problems(loaded_store, path)
    assert any("row 2, column 'country'" in p and "Use the ISO code 'US'" in p for p in found), found
    assert any("row 2, column 'stage'" in p and "Did you mean 'magnet'?" in p for p in found), found
    assert any("row 3, column 'company_id'" in p and "refers to no record of table 'companies'" in p for p in found)
    assert any("row 3, column 'source_id'" in p for p in found), found


def test_duplicate_ids_and_implausible_values(loaded_store, tmp_path):
    path = tmp_path / "capacities.csv"
    path.write_text(
        "id,facility_id,status,capacity_t_per_yr,material,scope,year,source_id\n"
        "dup,evac-sumter,operating,-5,magnet,facility,2026,usgs_mcs2025\n"
        "dup,evac-sumter,operating,100,,facility,3026,usgs_mcs2025\n"
    )
    found = apply_problems(loaded_store, path)
    assert any("row 2" in p and "is negative" in p for p in found), found
    assert any("row 3, column 'year'" in p and "plausible year" in p for p in found), found
    assert any("row 3, column 'material'" in p and "required when a capacity is given" in p for p in found)
    assert sum("is not unique" in p for p in found) == 2, found


def test_a_bad_file_changes_nothing(loaded_store, tmp_path):
    before = loaded_store.bundle().count()
    path = _write_facility_file(tmp_path, [
        "good-plant,Good plant,mp-materials,US,magnet,usgs_mcs2025,high,2024-01-01\n",
        "bad-plant,Bad plant,mp-materials,US,magnetic,usgs_mcs2025,high,2024-01-01\n",
    ])
    with pytest.raises(ValidationFailed):
        loaded_store.apply(read_path(path))
    assert loaded_store.bundle().count() == before
    assert "good-plant" not in {f["id"] for f in loaded_store.rows("facilities")}


def test_a_failure_inside_the_transaction_rolls_back(loaded_store, monkeypatch, tmp_path):
    """Even when the database itself fails midway, the earlier tables of the write are undone."""
    from magchain import store as store_module

    path = _write_facility_file(tmp_path, ["new-plant,New plant,mp-materials,US,magnet,usgs_mcs2025,high,2024-01-01\n"])
    bundle = read_path(path)
    real = store_module.Store._write_table

    def crash_on_events(self, conn, name, *args):
        if name == "events":
            raise RuntimeError("simulated crash")
        return real(self, conn, name, *args)

    monkeypatch.setattr(store_module.Store, "_write_table", crash_on_events)
    with pytest.raises(RuntimeError):
        loaded_store.apply(bundle)
    assert "new-plant" not in {f["id"] for f in loaded_store.rows("facilities")}


def test_an_existing_id_with_other_values_is_refused_never_overwritten(loaded_store, tmp_path):
    before = next(r for r in loaded_store.rows("facilities") if r["id"] == "usar-stillwater")
    path = tmp_path / "facilities.csv"
    path.write_text(FACILITY_HEADER + "usar-stillwater,Renamed plant,usa-rare-earth,US,magnet,usar_minelistings,high,\n")
    found = apply_problems(loaded_store, path)
    assert any("usar-stillwater" in p and "never overwritten" in p for p in found)
    assert next(r for r in loaded_store.rows("facilities") if r["id"] == "usar-stillwater") == before


def test_ids_and_texts_every_store_and_format_can_hold(tmp_path):
    row = {"id": "plant-x", "name": "Plant", "company_id": "mp-materials", "country": "US", "stage": "magnet",
           "source_id": "mp_fy2025", "confidence": "high"}
    for change, problem in (({"id": "x" * 201}, "201 characters long"), ({"name": "a\x00b"}, "NUL character"),
                            ({"name": "n" * 40_000}, "40,000 characters long")):
        path = tmp_path / str(len(problem)) / "facilities.json"
        path.parent.mkdir()
        path.write_text(json.dumps([{**row, **change}]), encoding="utf-8")
        assert any(problem in p for p in problems(path)), problem


def test_formula_cells_are_neutralised_in_csv_and_re_import_exactly(loaded_store, tmp_path):
    from magchain.io.export import export_bundle
    from magchain.store import Store

    path = tmp_path / "facilities.csv"
    path.write_text(FACILITY_HEADER + "formula-plant,=cmd|' /C calc'!A0,mp-materials,US,magnet,mp_fy2025,high,\n")
    loaded_store.apply(read_path(path))
    export_bundle(loaded_store.bundle(), tmp_path / "out")
    written = (tmp_path / "out" / "facilities.csv").read_text(encoding="utf-8")
    assert "'=cmd|" in written and ",=cmd|" not in written
    copy = Store(f"sqlite:///{tmp_path / 'copy.sqlite'}", initialise=False)
    copy.apply(read_path(tmp_path / "out"))
    assert next(r for r in copy.rows("facilities") if r["id"] == "formula-plant")["name"] == "=cmd|' /C calc'!A0"


def test_an_export_refuses_a_folder_that_is_not_empty_unless_told_to_replace(loaded_store, tmp_path):
    from magchain.errors import Conflict
    from magchain.io.export import export_bundle

    folder = tmp_path / "backup"
    export_bundle(loaded_store.bundle(), folder, "json")
    with pytest.raises(Conflict, match="is not empty"):
        export_bundle(loaded_store.bundle(), folder, "csv")
    export_bundle(loaded_store.bundle(), folder, "csv", replace=True)
    assert {p.suffix for p in folder.iterdir()} == {".csv"}  # formats never mix
    assert read_path(folder).count() == loaded_store.bundle().count()
