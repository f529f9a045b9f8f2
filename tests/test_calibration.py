"""The calibrated world: capacity kinds, statistics netted at every stage, unknown never 0,
direct and embedded demand, calibration against observed figures, and as-of dates."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from magchain import calibrate
from magchain.errors import MagchainError
from magchain.model.conversions import Converter
from magchain.outlook import Chain, outlook
from magchain.outlook.capacity import plan
from magchain.outlook.demand import base_year_check, regional_consistency


@pytest.fixture(scope="module")
def chain(shipped_sqlite):
    return Chain.from_store(shipped_sqlite)


def test_a_target_is_not_todays_capacity(chain):
    """Solvay's 4,500 t magnet-REO line at La Rochelle is a 2030 target: nothing of it counts in 2025."""
    units = outlook(chain, "WORLD", "2025:2031").units
    solvay = units[units["unit_id"] == "solvay-la-rochelle"].groupby("year")["capacity_t"].sum()
    assert solvay.get(2025, 0.0) < 4500
    assert solvay.get(2031, 0.0) > solvay.get(2025, 0.0)


def test_a_lapsed_target_leaves_the_plant_unsized_not_counted(chain):
    blocks, exclusions = plan(chain)
    lapsed = [e for e in exclusions if "not confirmed as built" in e.reason]
    assert lapsed, "some targets have passed their year without a source saying they were built"
    counted = {(b.facility_id, b.record_id) for b in blocks}
    assert all((e.facility_id, e.record_id) not in counted for e in lapsed)


def test_national_statistics_are_netted_year_by_year(chain):
    """China's listed plants plus its statistic give back the statistic, at every stage it is sourced for."""
    units = outlook(chain, "CN", "2024:2024").units
    finished = 300000 * chain.factor("machining_yield").value  # China's series counts blanks (bases.csv)
    for stage, total in (("magnet", finished), ("separation", 106000), ("metal", 88000)):
        rows = units[units["stage"] == stage]
        assert rows["production_stage_t"].sum() == pytest.approx(total, rel=1e-6)
        assert (rows.loc[rows["unit_id"].str.startswith("statistic:"), "production_t"] >= 0).all()


def test_quota_batches_are_not_read_as_years(chain):
    blocks, _ = plan(chain)
    separation = next(b for b in blocks if b.unit_id == "statistic:CN:separation")
    assert separation.material == "NdPr_oxide"  # the production statistic, not the first-half quota


def test_unknown_capacity_is_never_zero_nor_the_weak_link(chain):
    result = outlook(chain, "WORLD", "2025:2025")
    table = result.table.set_index("stage")
    alloy = table.loc["alloy"]
    assert not alloy["capacity_known"] and "CN" in alloy["uncovered_countries"]
    assert np.isnan(alloy["self_sufficiency"]) and not alloy["weak_link"]
    sentence = result.sentence(2025)
    assert "capacity unknown at alloy" in sentence


def test_plants_without_a_figure_are_named_in_the_summary(chain):
    result = outlook(chain, "US", "2025:2025")
    assert result.unsized() and "without a capacity figure left out" in result.sentence(2025)


def test_direct_and_embedded_demand_side_by_side(chain):
    table = outlook(chain, "US", "2028:2028").table.query("stage == 'magnet'").iloc[0]
    assert table["demand_embedded_magnet_eq_t"] > 3 * table["demand_magnet_eq_t"] > 0


def test_named_regions_never_exceed_the_world(chain):
    for basis in ("direct",):
        frame = regional_consistency(chain, np.arange(2020, 2051), basis=basis)
        assert frame["consistent"].all()
        assert (frame["rest_of_world_t"] >= 0).all()


def test_calibration_rows_carry_model_observed_ratio_tolerance_and_source(chain):
    frame = calibrate.checks(chain, (2020, 2025))
    assert len(frame) == len(chain.calibration)
    for _, row in frame.iterrows():
        assert row["ratio"] == pytest.approx(row["model"] / row["observed"])
        assert row["tolerance"] >= 0 and row["bound"] in calibrate.BOUNDS
    assert frame.set_index("check").loc["cn-magnet-exports-2024", "passes"]
    met = frame[frame["quantity"] == "demand_met"]
    assert len(met) == 3 and (met["model"] >= 0.97).all()


def test_a_check_fails_when_the_model_is_outside_its_tolerance(chain):
    row = {"check": "too-strict", "quantity": "exports", "stage": "magnet", "material": "", "region": "CN",
           "destination": "", "year": "2024", "observed": "td-cn-magnet-exports-2024 * 2", "tolerance": "0.15",
           "bound": "point", "notes": ""}
    result = calibrate._check(calibrate.Calibration(chain, np.arange(2024, 2025)), row, 2024, "test")
    assert not result["passes"] and result["ratio"] < 0.85


def test_coverage_of_world_figures(chain):
    frame = calibrate.coverage(chain, (2023, 2025))
    measured = frame[frame["share"].notna()]
    assert {"mine", "magnet"} <= set(measured["stage"])
    mine = measured.query("stage == 'mine' and year == 2024").iloc[0]
    assert mine["share"] >= calibrate.COVERAGE_TARGET


def test_cli_calibrate_reports_and_the_shipped_world_passes(cli):
    cli("db", "init")
    result = cli("calibrate", "--years", "2020:2025", "--json")
    rows = json.loads(result.output[: result.output.rindex("]") + 1])
    assert {"check", "model", "observed", "ratio", "tolerance", "source", "passes"} <= set(rows[0])
    assert [r["check"] for r in rows if not r["passes"]] == [] and result.exit_code == 0


def test_baseline_json_has_trade_flows_and_no_phantom_shortage(cli):
    cli("db", "init")
    result = cli("scenario", "run", "baseline", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["flows"] and set(data["flows"][0]) == {"stage", "origin", "destination", "period", "tonnes"}
    for year in ("2024", "2025"):
        rows = [r for r in data["shortfall"] if r["period"].startswith(year)]
        assert sum(r["shortfall_t"] for r in rows) <= 0.03 * sum(r["demand_t"] for r in rows)


@pytest.mark.parametrize("command", [("outlook",), ("facilities",), ("calibrate",)])
def test_one_date_parser_refuses_impossible_dates(cli, command):
    cli("db", "init")
    result = cli(*command, "--as-of", "2025-13-01")
    assert result.exit_code == 2 and "not a real calendar date" in result.output


def test_as_of_shows_what_was_public_then(shipped_sqlite):
    """Noveon was producing by 2023; as of mid-2025 its capacity was public, before 2023 it was not."""
    for as_of, known in (("2023-01-01", False), ("2025-07-01", True)):
        units = outlook(Chain.from_store(shipped_sqlite, as_of), "US", "2025:2025").units
        assert ("noveon-san-marcos" in set(units.loc[units["capacity_t"] > 0, "unit_id"])) is known, as_of
    with pytest.raises(MagchainError):
        Chain.from_store(shipped_sqlite, "2025-13-01")


def test_a_delay_moves_every_pending_block_by_exactly_its_years(chain):
    """Plants known only by a plan (no year of its own) start when the plant does: delayed once, not twice."""
    on_time = {(b.unit_id, b.record_id): b.start for b in plan(chain)[0] if np.isfinite(b.start) and b.ramps}
    late = {(b.unit_id, b.record_id): b.start for b in plan(chain, delay_years=2)[0] if np.isfinite(b.start) and b.ramps}
    pending = set(on_time) & set(late)
    assert pending
    for key in pending:
        assert late[key] - on_time[key] in (0.0, 2.0), key  # running plants' expansions move, their past starts do not
    assert any(late[key] - on_time[key] == 2.0 for key in pending)


def test_chinas_blanks_become_finished_magnets_through_the_machining_yield(chain):
    """China's series counts sintered blanks (bases.csv): its statistic is a blank block, and a tonne
    of blanks is the machining yield of a tonne of finished magnet."""
    units = outlook(chain, "CN", "2024:2024").units
    statistic = units[units["unit_id"] == "statistic:CN:magnet"].iloc[0]
    assert statistic["material"] == "magnet_blank"
    converter = Converter.central(chain)
    finished = converter.magnet_equivalent(converter.ndpr_element(1.0, "magnet_blank"), "magnet")
    assert finished == pytest.approx(chain.factor("machining_yield").value)
    assert statistic["capacity_magnet_eq_t"] == pytest.approx(statistic["capacity_t"] * finished)


def test_the_mine_is_ranked_with_the_recycled_feed(chain):
    """Separation is fed by mines and scrap: the world's mines alone fall short where mines plus
    recycling do not, so the weak link is another stage."""
    table = outlook(chain, "WORLD", "2025:2025").table.set_index("stage")
    mine, recycled = table.loc["mine"], table.loc["recycling", "capacity_magnet_eq_t"]
    weak = table.index[table["weak_link"]][0]
    assert mine["self_sufficiency"] < table.loc[weak, "self_sufficiency"]
    assert (mine["capacity_magnet_eq_t"] + recycled) / mine["demand_magnet_eq_t"] > table.loc[weak, "self_sufficiency"]
    assert weak not in ("mine", "alloy")  # alloy is unknown for China, never the weak link


def test_a_published_total_in_an_unknown_basis_is_refused(chain):
    totals = chain.published_totals.assign(basis="t magnets")
    with pytest.raises(MagchainError, match="published_totals.csv: basis 't magnets' is not one of"):
        base_year_check(dataclasses.replace(chain, published_totals=totals))
