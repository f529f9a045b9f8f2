"""The outlook: conversions, ramps, demand presets, stage tables, weak link, mass balance, as-of, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
import xarray as xr
from helpers import write_table
from hypothesis import given, settings
from hypothesis import strategies as st

from magchain.errors import MagchainError, ValidationFailed
from magchain.io.export import export_bundle
from magchain.model.conversions import NDPR_IN_OXIDE, Converter
from magchain.model.core import ramp_share
from magchain.outlook import Chain, explain, outlook
from magchain.outlook.balance import STAGE_YIELD, mass_balance, ndpr_path
from magchain.outlook.capacity import plan as capacity_plan
from magchain.outlook.demand import Growth, demand_path
from magchain.outlook.project import PRIMARY_STAGES, STAGES, parse_years

FACTORS = {"ndpr_wt_magnet": 0.30, "dytb_wt_magnet": 0.01, "machining_yield": 0.70, "oxide_to_metal_yield": 0.95,
           "metal_to_alloy_yield": 0.98, "separation_recovery": 0.95, "ndpr_share_of_treo": 0.20,
           "recycling_yield": 0.90}


@pytest.fixture(scope="module")
def chain(shipped_sqlite):
    return Chain.from_store(shipped_sqlite)


# -- conversions, by hand ---------------------------------------------------------------------
def test_oxide_stoichiometry_matches_atomic_masses():
    nd = 2 * 144.24 / (2 * 144.24 + 3 * 16.00)
    pr = 6 * 140.91 / (6 * 140.91 + 11 * 16.00)
    assert NDPR_IN_OXIDE == pytest.approx(0.75 * nd + 0.25 * pr)
    assert NDPR_IN_OXIDE == pytest.approx(0.850, abs=5e-4)


def test_hand_computed_magnet_equivalents():
    convert = Converter(FACTORS)
    # 1,000 t REO at a 20 % NdPr share: 200 t NdPr oxide -> 170 t NdPr
    assert convert.ndpr_element(1000, "REO") == pytest.approx(200 * NDPR_IN_OXIDE)
    # ... that becomes magnets after separation, reduction, alloying and machining, at 30 % NdPr
    expected = 200 * NDPR_IN_OXIDE * 0.95 * 0.95 * 0.98 * 0.70 / 0.30
    assert convert.magnet_equivalent(convert.ndpr_element(1000, "REO"), "mine") == pytest.approx(expected)
    # 1,000 t of alloy gives 700 t of finished magnets; a magnet is its own equivalent
    assert convert.magnet_equivalent(convert.ndpr_element(1000, "NdFeB_alloy"), "alloy") == pytest.approx(700)
    assert convert.magnet_equivalent(convert.ndpr_element(1000, "magnet"), "magnet") == pytest.approx(1000)
    # a deposit's own share replaces the default
    assert convert.ndpr_element(1000, "REO", ore_share=0.157) == pytest.approx(157 * NDPR_IN_OXIDE)


def test_materials_without_a_basis_are_refused():
    with pytest.raises(MagchainError, match="No NdPr conversion"):
        Converter(FACTORS).ndpr_element(10, "FeN_magnet")


# -- ramp curves ------------------------------------------------------------------------------
def _ramp(years, start, ramp_years):
    blocks = xr.Dataset({"start": ("block", [float(start)]), "delay": ("block", [0.0]), "ramps": ("block", [True])},
                        coords={"stage": ("block", ["magnet"])})
    factors = xr.Dataset({f"ramp_years_{s}": float(ramp_years) for s in STAGES})
    years = xr.DataArray(years, dims="year")
    return ramp_share(blocks, factors, years).isel(block=0).values


def test_linear_ramp_reaches_nameplate_in_the_ramp_years_th_year():
    years = np.arange(2024, 2030)
    assert _ramp(years, 2026, 2).tolist() == [0, 0, 0.5, 1, 1, 1]
    assert _ramp(years, 2026, 3).tolist() == pytest.approx([0, 0, 1 / 3, 2 / 3, 1, 1])
    assert _ramp(years, 2026, 0).tolist() == [0, 0, 1, 1, 1, 1]


def test_a_delay_shifts_the_ramp_and_draws_carry_through():
    blocks = xr.Dataset({"start": ("block", [2026.0]), "delay": (("draw", "block"), [[0.0], [2.0]]),
                         "ramps": ("block", [True])}, coords={"stage": ("block", ["magnet"])})
    factors = xr.Dataset({f"ramp_years_{s}": 2.0 for s in STAGES})
    share = ramp_share(blocks, factors, xr.DataArray(np.arange(2024, 2031), dims="year"))
    assert share.sel(draw=0, block=0).values.tolist() == [0, 0, 0.5, 1, 1, 1, 1]
    assert share.sel(draw=1, block=0).values.tolist() == [0, 0, 0, 0, 0.5, 1, 1]


# -- demand presets ---------------------------------------------------------------------------
def test_growth_rules():
    assert Growth.parse("9%/yr", 2025).rate == pytest.approx(0.09)
    assert Growth.parse("x5@2033", 2025).rate == pytest.approx(5 ** (1 / 8) - 1)
    for bad in ("fast", "x5@2020", "x0@2030"):
        with pytest.raises(MagchainError):
            Growth.parse(bad, 2025)


def test_presets_rest_on_sourced_figures(chain):
    us = demand_path(chain, "US", "base")  # direct: China's customs exports to the US over China's share of US supply
    assert us.basis == "direct" and us.base_year == 2024
    assert us.base_magnet_t == pytest.approx(7446 / 0.768)
    embedded = demand_path(chain, "US", "base", basis="embedded")  # magnets in products sold in the US
    assert embedded.base_magnet_t == 35000 and embedded.base_year == 2025
    assert demand_path(chain, "US", "high", basis="embedded").magnets(np.array([2033]))[0] == pytest.approx(5 * 35000)
    world = demand_path(chain, "WORLD", "base")
    # World consumption = world production in 2024: China (Argus, 300 kt) plus Japan (JREC, 12.4 kt)
    blanks = chain.factor("machining_yield").value  # China's output is counted in blanks (bases.csv)
    assert world.base_magnet_t == pytest.approx(300000 * blanks + 12400) and world.base_year == 2024
    low, high = demand_path(chain, "WORLD", "low"), demand_path(chain, "WORLD", "high")
    assert low.growth.rate < world.growth.rate < high.growth.rate
    for path in (us, embedded, world, low, high):
        assert path.sources and all(not chain.parameter(name).empty for name in path.sources)


def test_published_world_total_in_the_base_year(chain):
    """World demand built on production agrees with IEA's 93 kt RE (2023), a published check, within 25 %.
    The RE magnet makers buy ends partly in swarf, so it makes 93 kt / RE content x machining yield of
    finished magnets."""
    result = outlook(chain, "WORLD", "2023:2023")
    magnets = result.table.query("stage == 'magnet'")["demand_magnet_eq_t"].iloc[0]
    iea_magnets = 93000 / chain.factor("re_wt_magnet").value * chain.factor("machining_yield").value
    assert abs(magnets / iea_magnets - 1) <= 0.25


def test_the_capacity_plan_is_made_once_per_chain_and_a_changed_chain_makes_its_own(chain, monkeypatch):
    from dataclasses import replace

    from magchain.outlook import arrays

    planned = []
    monkeypatch.setattr(arrays, "plan", lambda c: planned.append(c) or capacity_plan(c))
    fresh = replace(chain)
    for region in ("US", "JP", "WORLD"):
        outlook(fresh, region, "2030:2030")
    arrays.ModelInputs.from_chain(fresh, "high")
    assert len(planned) == 1 and planned[0] is fresh  # every question on one chain draws on one plan
    capacities = chain.tables["capacities"]
    without_us = capacities[~capacities["facility_id"].isin(outlook(chain, "US", "2030:2030").units["facility_id"])]
    changed = replace(chain, tables={**chain.tables, "capacities": without_us})
    assert outlook(changed, "US", "2030:2030").units["facility_id"].dropna().empty  # its own plan, without the plants
    assert outlook(chain, "US", "2030:2030").units["facility_id"].notna().any()  # the original keeps its own


# -- the outlook table ------------------------------------------------------------------------
def test_us_outlook_has_every_stage_every_year_and_one_weak_link(chain):
    result = outlook(chain, "US", "2024:2035")
    table = result.table
    assert len(table) == 12 * len(STAGES)
    assert set(table["stage"]) == set(STAGES)
    weak = table[table["weak_link"]]
    assert sorted(weak["year"]) == list(range(2024, 2036))
    assert set(weak["stage"]) <= set(PRIMARY_STAGES)
    for year, rows in table[table["stage"].isin(PRIMARY_STAGES)].groupby("year"):
        assert rows.loc[rows["weak_link"], "self_sufficiency"].iloc[0] == rows["self_sufficiency"].min()


def test_2028_sentence_answers_with_the_plants_behind_it(chain):
    sentence = outlook(chain, "US", "2024:2035").sentence(2028)
    assert sentence.startswith("2028: US magnet capacity")
    assert "against demand" in sentence and "weak link:" in sentence
    for plant in ("evac-sumter", "noveon-san-marcos", "mp-independence-magnet"):
        assert plant in sentence
    assert "without a capacity figure left out" in sentence


def test_planned_plants_count_only_from_their_stated_year(chain):
    units = outlook(chain, "US", "2024:2030").units
    stillwater = units[units["unit_id"] == "usar-stillwater"].set_index("year")["capacity_t"]
    assert stillwater[2025] == 0 and stillwater[2026] > 0 and stillwater[2030] == 1200


def test_blocs_countries_and_world(chain):
    for region in ("CN", "EU", "JP", "WORLD", "ALLIED"):
        table = outlook(chain, region, "2025:2030").table
        assert len(table) == 6 * len(STAGES)
    world = outlook(chain, "WORLD", "2025:2025").table.set_index("stage")
    us = outlook(chain, "US", "2025:2025").table.set_index("stage")
    assert (world["capacity_magnet_eq_t"] >= us["capacity_magnet_eq_t"]).all()


def test_as_of_shows_what_was_known_then(shipped_sqlite):
    then = outlook(Chain.from_store(shipped_sqlite, as_of="2025-07-01"), "US", "2026:2026").units
    now = outlook(Chain.from_store(shipped_sqlite), "US", "2026:2026").units
    # In July 2025 the only published first phase for Stillwater was 600 t/yr; the reference later gives 1,200.
    assert then.loc[then["unit_id"] == "usar-stillwater", "record_id"].iloc[0] == "usar-stillwater-initial-doc001"
    assert now.loc[now["unit_id"] == "usar-stillwater", "record_id"].iloc[0] == "usar-stillwater-capacity"


def test_explain_lists_facilities_factors_and_demand_with_sources(chain):
    basis = explain(chain, "US", 2028, "magnet")
    units = {c["unit"] for c in basis["contributions"]}
    assert {"evac-sumter", "noveon-san-marcos"} <= units
    assert all(c["sources"][0]["title"] for c in basis["contributions"])
    left_out = {(e["facility_id"], e["reason"]) for e in basis["left_out"]}
    assert ("hitachi-china-grove", "status closed") in left_out
    assert ("ls-cable-chesapeake", "no capacity figure in a convertible material") in left_out
    assert basis["demand"]["sources"] and basis["demand"]["base_magnet_t"] == pytest.approx(7446 / 0.768)
    for factor in basis["factors"]:
        assert factor["sources"] or factor["basis"].startswith("assumption")


# -- mass balance -----------------------------------------------------------------------------
flows = st.lists(st.floats(0, 1e6, allow_nan=False), min_size=3, max_size=3)


@settings(max_examples=100, deadline=None)
@given(mine=flows, sep=flows, metal=flows, alloy=flows, magnet=flows, recycled=flows, demand=flows)
def test_ndpr_flows_balance(mine, sep, metal, alloy, magnet, recycled, demand):
    stages = dict(zip([s for s, _ in STAGE_YIELD], map(np.array, (sep, metal, alloy, magnet))))
    frame = ndpr_path(np.array(mine), stages, np.array(recycled), np.array(demand), Converter(FACTORS))
    scale = max(1.0, max(mine) + max(recycled))
    assert np.all(np.abs(frame["residual"]) <= 1e-9 * scale)
    assert (frame.drop(columns="residual") >= -1e-9 * scale).all().all()


def test_world_mass_balance_closes(chain):
    balance = mass_balance(outlook(chain, "WORLD", "2024:2035"))
    assert np.all(np.abs(balance["residual"]) <= 1e-6 * balance["mine_output"].max())


# -- bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize("region", ["XX", "Atlantis", ""])
def test_unknown_region(chain, region):
    with pytest.raises(MagchainError, match="Unknown region"):
        outlook(chain, region)


@pytest.mark.parametrize("years", ["2030:2025", "soon", "2024:2030:2040"])
def test_bad_year_ranges(years):
    with pytest.raises(MagchainError):
        parse_years(years)


def test_a_factor_without_a_source_is_refused(shipped_sqlite, tmp_path):
    export_bundle(shipped_sqlite.bundle(), tmp_path, "csv")
    write_table(tmp_path, "factors.csv",
                ["name", "value", "low", "high", "unit", "sources", "basis", "notes"],
                ["machining_yield", "0.7", "0.6", "0.8", "t/t", "", "", ""],
                ["ndpr_wt_magnet", "0.3", "0.29", "0.33", "t/t", "no_such_parameter", "sourced", ""])
    with pytest.raises(ValidationFailed) as failure:
        Chain.from_folder(tmp_path)
    text = str(failure.value)
    assert "factors.csv, row 2" in text and "has no source" in text
    assert "row 3" in text and "no_such_parameter" in text


def test_a_what_if_folder_changes_the_answer_without_touching_the_store(shipped_sqlite, tmp_path):
    export_bundle(shipped_sqlite.bundle(), tmp_path, "csv")
    write_table(tmp_path, "demand.csv",
                ["preset", "region", "basis", "base_year", "base", "base_unit", "growth", "growth_sources", "notes"],
                ["base", "US", "direct", "2025", "us_magnet_consumption@2025", "t magnet", "0%/yr", "", "flat"])
    flat = outlook(Chain.from_folder(tmp_path), "US", "2030:2030").table
    assert flat.query("stage == 'magnet'")["demand_magnet_eq_t"].iloc[0] == pytest.approx(35000)
    stored = outlook(Chain.from_store(shipped_sqlite), "US", "2030:2030").table
    # the store's direct US demand: China's 2024 exports to the US over its share of US supply, at 8.7 %/yr
    expected = 7446 / 0.768 * 1.087 ** 6
    assert stored.query("stage == 'magnet'")["demand_magnet_eq_t"].iloc[0] == pytest.approx(expected)


# -- CLI --------------------------------------------------------------------------------------
def test_cli_outlook_json_and_plot(cli, tmp_path):
    assert cli("db", "init").exit_code == 0
    plot = tmp_path / "us.html"
    result = cli("outlook", "--region", "US", "--years", "2024:2035", "--json", "--plot", str(plot))
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 12 * len(STAGES)
    assert set(rows[0]) >= {"region", "year", "stage", "capacity_t", "capacity_magnet_eq_t", "production_t",
                            "demand_magnet_eq_t", "self_sufficiency", "import_reliance", "weak_link"}
    assert sum(r["weak_link"] for r in rows) == 12
    assert "<svg" in plot.read_text(encoding="utf-8")
    table = cli("outlook", "--region", "US", "--years", "2024:2035")
    assert "2028: US magnet capacity" in table.output


def test_cli_outlook_errors_are_one_clean_message(cli):
    cli("db", "init")
    for args, needle, code in ((("--region", "XX"), "Unknown region", 1), (("--years", "2030:2020"), "empty range", 2),
                               (("--demand", "medium"), "Unknown demand preset", 1)):
        result = cli("outlook", *args)
        assert result.exit_code == code and needle in result.output and "Traceback" not in result.output


def test_cli_explain(cli):
    cli("db", "init")
    result = cli("explain", "--region", "US", "--year", "2028", "--stage", "magnet", "--json")
    assert result.exit_code == 0, result.output
    assert {c["unit"] for c in json.loads(result.output)["contributions"]} >= {"evac-sumter"}


def test_concentration_by_country_and_company(chain):
    from magchain.outlook.project import concentration

    table = concentration(chain, 2025).set_index(["stage", "basis"])
    assert ((table["hhi"] > 0) & (table["hhi"] <= 10000)).all()
    magnets = table.loc[("magnet", "country")]
    # China's ~300 kt of magnets (Argus, 2024) against a few thousand tonnes elsewhere
    assert magnets["largest"] == "CN" and magnets["largest_share_pct"] > 90 and magnets["highly_concentrated"]
