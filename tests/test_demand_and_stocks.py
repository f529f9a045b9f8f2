"""Demand by sector and region, formulas over registry figures, in-use stocks, recycling feed, backcast."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import write_table

from magchain.errors import MagchainError
from magchain.io.export import export_bundle
from magchain.outlook import Chain, outlook
from magchain.outlook.arrays import factor_arrays
from magchain.outlook.circularity import backcast, in_use, world_history
from magchain.outlook.demand import OTHER, base_year_check, demand_path, sector_table
from magchain.outlook.formula import evaluate


@pytest.fixture(scope="module")
def chain(shipped_sqlite):
    return Chain.from_store(shipped_sqlite)


def _value(chain, parameter_id):
    frame = chain.tables["parameters"]
    return float(frame.loc[frame["id"] == parameter_id, "value"].iloc[0])


# -- formulas ---------------------------------------------------------------------------------
def test_formula_follows_precedence_and_parentheses(chain):
    assert evaluate("2 + 3 * 4", chain, "test").value == 14
    assert evaluate("( 2 + 3 ) * 4", chain, "test").value == 20
    assert evaluate("10 - 4 - 3", chain, "test").value == 3
    assert evaluate("utilisation * 100", chain, "test").value == pytest.approx(chain.factor("utilisation").value * 100)


def test_formula_reads_registry_figures_by_id_and_by_name_at_year(chain):
    result = evaluate("ndfeb_production-cn-2024-argus - ndfeb_exports-cn-2024-adamas", chain, "test")
    assert result.value == pytest.approx(300000 - 58152)
    assert {p["id"] for p in result.parameters} == {"ndfeb_production-cn-2024-argus", "ndfeb_exports-cn-2024-adamas"}
    assert evaluate("us_magnet_consumption@2025", chain, "test").value == 35000


@pytest.mark.parametrize("text, message", [
    ("no_such_figure * 2", "neither a factor"),
    ("electric_car_sales@2024", "matches several"),
    ("2 +", "lacks an operand"),
    ("( 2 + 3", "unbalanced"),
    ("2 3", "without an operator"),
    ("", "empty formula"),
    ("1 / 0", "division by zero"),
])
def test_bad_formulas_are_explained(chain, text, message):
    with pytest.raises(MagchainError, match=message):
        evaluate(text, chain, "demand.csv, row 9, column base")


# -- demand presets and sectors ----------------------------------------------------------------
def test_regional_presets_rest_on_their_figures(chain):
    cn = demand_path(chain, "CN")
    yield_ = chain.factor("machining_yield").value  # China's output is counted in blanks (bases.csv)
    assert cn.base_magnet_t == pytest.approx(300000 * yield_ - 58152)  # apparent consumption: production - exports
    assert demand_path(chain, "EU").base_magnet_t == 20000
    kr = demand_path(chain, "KR")
    assert kr.base_magnet_t == pytest.approx(4821 / 0.879)
    assert demand_path(chain, "JP").base_magnet_t == pytest.approx(12400 / (1 - 0.311))
    assert demand_path(chain, "ALLIED") is None  # no sourced total for the bloc: unknown, not guessed
    for path in (cn, kr):
        assert path.base_figures and all(r["source_id"] for r in path.base_figures)


def test_world_ev_sector_is_activity_times_share_times_intensity(chain):
    path = demand_path(chain, "WORLD")
    sectors = sector_table(chain, path, np.array([2024]))
    ev = sectors.set_index("sector").loc["ev_traction", "demand_magnet_eq_t"]
    cars = _value(chain, "electric_car_sales-world-2024-iea") * 1e6
    expected = cars * chain.factor("pm_share_ev").value * chain.factor("kg_magnet_per_ev_motor").value / 1000
    assert ev == pytest.approx(expected)


def test_sectors_add_up_to_the_regional_total_every_year(chain):
    years = np.arange(2024, 2041)
    for region in ("WORLD", "US", "CN", "EU", "KR"):
        path = demand_path(chain, region)
        sectors = sector_table(chain, path, years)
        totals = sectors.groupby("year")["demand_magnet_eq_t"].sum().to_numpy()
        unattributed = sectors["unattributed_t"].fillna(0).groupby(sectors["year"]).sum().to_numpy()
        np.testing.assert_allclose(totals + unattributed, path.magnets(years), rtol=1e-9)
        assert (sectors["demand_magnet_eq_t"] >= 0).all() and OTHER in set(sectors["sector"])


def test_dy_tb_demand_depends_on_the_application(chain):
    path = demand_path(chain, "WORLD")
    sectors = sector_table(chain, path, np.array([2030])).set_index("sector")
    per_tonne = sectors["demand_dytb_t"] / sectors["demand_magnet_eq_t"]
    # grain-boundary-diffused EV grades and direct-drive wind grades both carry more than generic magnets
    assert min(per_tonne["ev_traction"], per_tonne["wind"]) > per_tonne["consumer_electronics"]
    assert per_tonne["ev_traction"] == pytest.approx(chain.factor("dytb_wt_ev").value)
    assert per_tonne["wind"] == pytest.approx(chain.factor("dytb_wt_wind").value)


def test_base_year_agrees_with_published_world_totals(chain):
    check = base_year_check(chain)
    assert len(check) >= 5 and check["agrees"].all(), check
    assert set(check["bound"]) == {"lower", "point"}
    assert check["source_id"].notna().all()


def test_base_year_check_fails_when_the_model_is_far_off(shipped_sqlite, tmp_path):
    export_bundle(shipped_sqlite.bundle(), tmp_path, "csv")
    write_table(tmp_path, "demand.csv",
                ["preset", "region", "base_year", "base", "base_unit", "growth", "growth_sources", "notes"],
                ["base", "WORLD", "2023", "magnet_ree_demand_world@2023 / 3", "t RE", "0%/yr", "", "too low"])
    check = base_year_check(Chain.from_folder(tmp_path))
    assert not check["agrees"].all()


def test_a_sector_row_with_a_bad_basis_is_named(shipped_sqlite, tmp_path):
    export_bundle(shipped_sqlite.bundle(), tmp_path, "csv")
    write_table(tmp_path, "sectors.csv",
                ["region", "sector", "base_year", "basis", "amount", "dytb", "growth", "notes"],
                ["US", "ev_traction", "2024", "kilograms", "1000", "dytb_wt_ev", "", ""])
    with pytest.raises(MagchainError, match="sectors.csv, row 2: basis 'kilograms'"):
        outlook(Chain.from_folder(tmp_path), "US", "2030:2030")


# -- stocks, end of life and recycling ---------------------------------------------------------
def test_world_history_passes_through_the_sourced_points_and_never_below_china(chain):
    history = world_history(chain, 2010)
    assert history[1983] == 0 and history[1987] == 285 and history[2000] == 13940 and history[2010] == 98200
    assert (history.diff().dropna() >= 0).all()
    china = {2004: 25000 + 1500, 2007: 48000 + 2300}
    for year, output in china.items():
        assert history[year] >= output


def test_in_use_stock_balances_inflow_and_outflow(chain):
    years = np.arange(2024, 2036)
    stocks = in_use(chain, demand_path(chain, "EU"), years, factor_arrays(chain))
    for _, group in stocks.groupby("sector"):
        change = np.diff(group["stock_t"].to_numpy())
        np.testing.assert_allclose(change, (group["inflow_t"] - group["eol_outflow_t"]).to_numpy()[1:], rtol=1e-9)


def test_a_growth_override_moves_the_in_use_stock_with_demand(chain):
    """--growth used to change demand but not the stock and end-of-life flows built from it."""
    base = outlook(chain, "US", "2024:2035")
    fast = outlook(chain, "US", "2024:2035", growth="50%/yr")
    last = base.recycling["year"] == 2035
    assert fast.table["demand_magnet_eq_t"].max() > 5 * base.table["demand_magnet_eq_t"].max()
    assert float(fast.recycling.loc[last, "in_use_stock_t"].iloc[0]) > 3 * float(base.recycling.loc[last, "in_use_stock_t"].iloc[0])


def test_recycled_supply_is_capped_by_capacity_and_by_feed(chain):
    result = outlook(chain, "US", "2024:2035")
    feed = result.recycling.set_index("year")
    assert (feed["recycled_supply_t"] <= feed["recycling_capacity_magnet_eq_t"] + 1e-9).all()
    yield_ = chain.factor("recycling_yield").value
    assert (feed["recycled_supply_t"] <= feed["feed_t"] * yield_ + 1e-9).all()
    recycling_rows = result.table[result.table["stage"] == "recycling"].set_index("year")
    assert (recycling_rows["production_magnet_eq_t"] <= feed["recycled_supply_t"] + 1e-9).all()


def test_backcast_against_du_and_graedel(chain, shipped_sqlite):
    table = backcast(chain)
    central = table[table["case"] == "lifetime 10 yr"].set_index("element")
    assert central.loc["Nd", "du_graedel_t"] == 62600
    assert abs(central.loc["Nd", "difference_pct"]) < 25  # neodymium: the model lands near the estimate
    assert central.loc["Dy+Tb", "difference_pct"] < -50  # today's low Dy content understates the 2007 stock
    cumulative = table[table["case"].str.startswith("no outflow")]["magnet_stock_t"].iloc[0]
    with pytest.raises(MagchainError, match="in_use_stock_nd_in_ndfeb"):
        backcast(Chain.from_store(shipped_sqlite, as_of="2005"))
    assert (table["magnet_stock_t"] <= cumulative + 1e-6).all()
