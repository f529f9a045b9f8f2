"""Scenarios: files and their errors, the allocation LP, conservation, properties, TTS, CLI."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from magchain.errors import MagchainError
from magchain.outlook import Chain, outlook
from magchain.scenario import library
from magchain.scenario.engine import dytb_per_magnet
from magchain.scenario.resilience import resilience
from magchain.scenario.run import run
from magchain.scenario.spec import parse

SHORT = "base: {start: 2026-01, end: 2026-06}"


@pytest.fixture(scope="module")
def chain(shipped_sqlite):
    return Chain.from_store(shipped_sqlite)


def scenario(events: str = "[]", base: str = SHORT, extra: str = ""):
    return parse(f"name: t\n{base}\n{extra}events: {events}\n")


def us_shortfall(result) -> float:
    return float(result.shortfall.query("region == 'US'")["shortfall_t"].sum())


# -- files ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("name: x\nbase: {start: 2026-01, end: 2026-06}\nevents:\n  - {kind: embargo, exporter: CN}\n",
     ["line 4", "kind must be one of"]),
    ("name: x\nbase: {start: 2026-13, end: 2026-06}\n", ["line 2", "base.start", "YYYY or YYYY-MM"]),
    (("name: x\nbase: {start: 2026-01, end: 2026-06}\nevents:\n  - kind: export_control\n    exporter: CN\n"
      "    start: 2026-01\n"), ["line 4", "either cut", "quota_t"]),
    ("name: x\nbase: {start: 2026-01, end: 2026-06, colour: red}\n", ["line 2", "base.colour", "remove it"]),
    ("name: x\nbase: {start: 2026-06, end: 2026-01}\n", ["end 2026-01 comes before start 2026-06"]),
    (("name: x\nbase: {start: 2026-01, end: 2026-06}\nevents:\n  - {kind: recycling, region: US, "
      "collection: {2030: 30}}\n"), ["line 4", "events.0.collection.2030", "less than or equal to 1"]),
    ("name: x\nbase: {start: 2026-01, end: 2026-06\n", ["not valid YAML"]),
    ("- just\n- a list\n", ["a mapping"]),
])
def test_bad_scenario_files_name_the_line_and_the_fix(text, expected):
    with pytest.raises(MagchainError) as failure:
        parse(text, "bad.yaml")
    message = str(failure.value)
    assert all(part in message for part in expected), message


def test_every_shipped_scenario_loads_and_cites_its_events():
    shipped = library.scenarios()
    assert {"baseline", "china-export-controls-2025", "china-magnet-export-ban-12m", "mountain-pass-outage-6m",
            "us-plants-two-years-late", "eol-collection-30pct-2035", "dytb-thrifting-80", "china-heavy-re-export-ban-12m",
            "dod-price-floor-low-prices"} <= {s.name for s in shipped}
    for spec in shipped:
        assert all(event.source for event in spec.events), spec.name


# -- the allocation ------------------------------------------------------------------------------
def test_no_event_scenario_reproduces_the_outlook_balance(chain):
    result = run(chain, scenario(base="base: {start: 2026, end: 2028, periods: year}"))
    world = outlook(chain, "WORLD", "2026:2028").table.query("stage == 'magnet'").set_index("year")
    supplied = result.shortfall.groupby("period")["supplied_t"].sum()
    demand = result.shortfall.groupby("period")["demand_t"].sum()
    rest = result.shortfall.query("region == 'ROW'").groupby("period")["demand_t"].sum()
    for year in (2026, 2027, 2028):
        assert rest[str(year)] > 0  # the named regions' direct demand leaves a rest of the world
        assert demand[str(year)] == pytest.approx(world.loc[year, "demand_magnet_eq_t"], rel=1e-6)
        expected = min(demand[str(year)], world.loc[year, "capacity_magnet_eq_t"])
        assert supplied[str(year)] == pytest.approx(expected, rel=1e-6)
    assert not any("exceeds the world" in note for note in result.notes)
    assert result.summary()["tonnes_short"] == pytest.approx(0, abs=1e-6)


def test_flows_are_conserved_every_period(chain):
    events = "[{kind: export_control, exporter: CN, destinations: [US], start: 2026-02, cut: 0.9}, " \
             "{kind: stockpile, holder: US, initial_t: 300, priority_sectors: [defense]}]"
    result = run(chain, scenario(events))
    allocation, network = result.allocation, result.network
    capacity = network.node_capacity().set_index(["stage", "region", "period"])["tonnes"]
    for key, made in allocation.produced.items():
        assert made <= capacity.get(key, 0.0) + 1e-6
    labels = [p.label for p in network.periods]
    intensity = dytb_per_magnet(network)
    for region in network.regions:
        stock_before, pile_before = network.inventory[region], 300.0 if region == "US" else 0.0
        for period in labels:
            arrived = sum(v for (s, o, d, t), v in allocation.ship.items() if d == region and t == period)
            used = sum(v for (r, k, t), v in allocation.supplied.items() if r == region and t == period)
            drawn = sum(v for (r, k, t), v in allocation.drawn.items() if r == region and t == period)
            stock = allocation.stock[(region, period)]
            pile = allocation.pile.get((region, period), 0.0)
            assert arrived + allocation.recycled[(region, period)] + stock_before - stock + drawn == pytest.approx(used, abs=1e-6)
            assert pile_before - pile == pytest.approx(drawn, abs=1e-6)
            stock_before, pile_before = stock, pile
            dytb_in = sum(v for (s, o, d, t), v in allocation.heavy.items() if d == region and t == period)
            made = allocation.produced.get(("magnet", region, period), 0.0)
            assert dytb_in >= intensity[period] * made - 1e-6  # every magnet made has its Dy+Tb


@settings(max_examples=6, deadline=None)
@given(st.floats(0.0, 0.9), st.floats(0.05, 0.1))
def test_a_tighter_export_control_never_lowers_the_importers_shortfall(chain, cut, more):
    def with_cut(value):
        return run(chain, scenario(f"[{{kind: export_control, exporter: CN, destinations: [US], start: 2026-01, "
                                   f"cut: {value}}}]"))
    assert us_shortfall(with_cut(cut + more)) >= us_shortfall(with_cut(cut)) - 1e-6


@settings(max_examples=6, deadline=None)
@given(st.floats(0, 2000), st.floats(1, 2000))
def test_a_larger_stockpile_never_raises_the_shortfall(chain, tonnes, more):
    def with_pile(value):
        return run(chain, scenario(f"[{{kind: export_control, exporter: CN, destinations: all, start: 2026-01, "
                                   f"cut: 1.0}}, {{kind: stockpile, holder: US, initial_t: {value}, "
                                   f"priority_sectors: [defense, ev_traction, other]}}]"))
    assert us_shortfall(with_pile(tonnes + more)) <= us_shortfall(with_pile(tonnes)) + 1e-6


def test_a_stockpile_releases_nothing_before_its_trigger(chain):
    ban = "{kind: export_control, exporter: CN, destinations: all, start: 2026-01, cut: 1.0}"
    pile = "{kind: stockpile, holder: US, initial_t: 5000, priority_sectors: [defense, ev_traction, other], " \
           "release_from: 2026-04}"
    result = run(chain, scenario(f"[{ban}, {pile}]"))
    drawn = {t: sum(v for (r, k, p), v in result.allocation.drawn.items() if p == t) for t in
             (p.label for p in result.network.periods)}
    assert all(drawn[t] == 0 for t in ("2026-01", "2026-02", "2026-03")) and sum(drawn.values()) > 0


def test_priority_tiers_are_honoured(chain):
    result = run(chain, scenario("[{kind: export_control, exporter: CN, destinations: all, start: 2026-01, cut: 1.0}]"))
    us = result.shortfall.query("region == 'US'").groupby("sector")[["demand_t", "shortfall_t"]].sum()
    share = us["shortfall_t"] / us["demand_t"]
    assert share["defense"] <= share["ev_traction"] + 1e-9 <= share["other"] + 1e-9
    assert share["other"] > 0.01  # the ban does bite


def test_time_to_survive_follows_stocks(chain):
    ban = "[{kind: export_control, exporter: CN, destinations: all, start: 2026-01, cut: 1.0}]"
    thin = run(chain, scenario(ban, base="base: {start: 2026-01, end: 2026-12, inventory_months: 0.5}"))
    thick = run(chain, scenario(ban, base="base: {start: 2026-01, end: 2026-12, inventory_months: 3}"))
    assert 0 < thin.tts_months["US"] < thick.tts_months["US"] < 12
    assert "CN" in thick.tts_censored  # China keeps its own magnets


def test_price_floor_exposure_is_the_gap_times_the_volume(chain):
    result = run(chain, library.find("dod-price-floor-low-prices"))
    assert result.summary()["fiscal_exposure_usd"] == pytest.approx((110 - 63) * 2599 * 1000 * 10)


def test_recycling_and_thrifting_help(chain):
    base = "base: {start: 2030, end: 2035, periods: year}"
    ban = "{kind: export_control, exporter: CN, destinations: all, start: 2030, cut: 1.0}"
    plain = run(chain, scenario(f"[{ban}]", base=base))
    recycled = run(chain, scenario(f"[{ban}, {{kind: recycling, region: US, collection: {{2030: 0.3}}}}]", base=base))
    assert us_shortfall(recycled) < us_shortfall(plain)
    # Dy+Tb and magnets both cut, so Chinese makers cannot stand in for those outside China that lack Dy+Tb;
    # in 2026 no Dy+Tb is separated outside China: makers there have only their sourced stocks (Korea's)
    heavy_ban = "{kind: export_control, exporter: CN, stages: [heavy_re, magnet], start: 2026-01, cut: 1.0}"
    no_stocks = "base: {start: 2026-01, end: 2026-06, inventory_months: 0}"
    unthrifted = run(chain, scenario(f"[{heavy_ban}]", base=no_stocks))
    partly = run(chain, scenario(f"[{heavy_ban}, {{kind: thrifting, reduction: 0.8, adoption: {{2026: 1.0}}}}]",
                                 base=no_stocks))
    free = run(chain, scenario(f"[{heavy_ban}, {{kind: thrifting, reduction: 1.0, adoption: {{2026: 1.0}}}}]",
                               base=no_stocks))
    assert partly.network.demand["dytb_t"].sum() == pytest.approx(0.2 * unthrifted.network.demand["dytb_t"].sum())
    assert unthrifted.summary()["tonnes_short"] > 100  # magnet makers outside China lack Dy+Tb
    assert partly.network.heavy_stock == unthrifted.network.heavy_stock  # the same tonnes, used more slowly
    assert free.summary()["tonnes_short"] < partly.summary()["tonnes_short"] < unthrifted.summary()["tonnes_short"]


@pytest.mark.parametrize("events, message", [
    ("[{kind: plant_outage, facility: no-such-plant, start: 2026-01, months: 3}]", "not in the registry"),
    ("[{kind: stockpile, holder: Atlantis, initial_t: 5}]", "Unknown region .Atlantis."),
    ("[{kind: export_control, exporter: NZ, start: 2026-01, cut: 0.5}]", "cannot be singled out"),
    ("[{kind: capacity_change, facility: 'planned:US', start: 2026-01, tonnes: 500}]", "not in the registry"),
    ("[{kind: demand_shock, region: Atlantis, factor: 1.5, start: 2026-01}]", "Unknown region .Atlantis."),
    ("[{kind: price_floor, floor_usd_per_kg: 110, producer: mp-materials, covered_t_per_year: 1, price_path: {2030: 50}}]",
     "no price for 2026-01"),
])
def test_contradictory_scenarios_get_a_diagnosis(chain, events, message):
    with pytest.raises(MagchainError, match=message):
        run(chain, scenario(events))


def test_resilience_ranks_nodes_by_tts_minus_ttr(chain):
    table = resilience(chain, "US", scenario(base="base: {start: 2026-01, end: 2026-12}"))
    assert {"facility", "exporter"} <= set(table["kind"])
    assert list(table["margin_months"]) == sorted(table["margin_months"])
    china = table.set_index("node").loc["CN"]
    assert china["needs_mitigation"] and china["tts_months"] < china["ttr_months"]


# -- CLI -----------------------------------------------------------------------------------------
def test_cli_run_2025_controls_json(cli):
    assert cli("db", "init").exit_code == 0
    result = cli("scenario", "run", "china-export-controls-2025", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data["shortfall"][0]) == {"region", "sector", "period", "demand_t", "supplied_t", "shortfall_t"}
    us_2025 = [r for r in data["shortfall"] if r["region"] == "US" and r["period"].startswith("2025")]
    assert sum(r["shortfall_t"] for r in us_2025) > 0
    assert set(data["tts_months"]) >= {"US", "CN", "EU"} and data["summary"]["months_of_cover"] > 0


def test_cli_compare_list_resilience_and_errors(cli, tmp_path):
    assert cli("db", "init").exit_code == 0
    listed = cli("scenario", "list", "--json")
    assert len(json.loads(listed.output)) >= 8
    compared = json.loads(cli("scenario", "compare", "baseline", "china-magnet-export-ban-12m", "--json").output)
    assert [row["scenario"] for row in compared] == ["china-magnet-export-ban-12m", "baseline"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nbase: {start: 2026-01, end: 2026-02}\nevents:\n  - {kind: nope}\n", encoding="utf-8")
    failed = cli("scenario", "run", str(bad))
    assert failed.exit_code != 0 and "line 4" in " ".join(failed.output.split()) and "Traceback" not in failed.output
    plot = tmp_path / "ban.svg"
    assert cli("scenario", "run", "china-magnet-export-ban-12m", "--plot", str(plot)).exit_code == 0
    assert plot.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    ranked = cli("resilience", "--region", "US")
    assert ranked.exit_code == 0 and "TTS shorter than TTR" in ranked.output
    assert np.isfinite(compared[0]["tonnes_short"])


# -- observed supplier shares ------------------------------------------------------------------------
YEARLY_2024 = "base: {start: 2024, end: 2024, periods: year}"


def china_share_of(result, region: str, period: str = "2024") -> float:
    flows = result.flows().query("stage == 'magnet' and destination == @region and period == @period")
    return float(flows.query("origin == 'CN'")["tonnes"].sum() / flows["tonnes"].sum())


def test_the_no_event_world_keeps_observed_supplier_shares(chain):
    result = run(chain, scenario(base=YEARLY_2024))
    # Japan's sourced 31 % cannot hold together with the others in 2024: the non-Chinese supply the
    # model knows of is too small for every share at once, and which region strays is a tie of the LP.
    for region, parameter in (("US", "import_share_from_cn-us-2022-kita"), ("KR", "import_share_from_cn-kr-2022-kita")):
        sourced = float(chain.tables["parameters"].set_index("id").loc[parameter, "value"]) / 100
        assert china_share_of(result, region) == pytest.approx(sourced, abs=0.08), region
    # without the table, origins are alike to the LP and the shares are not kept
    unsourced = run(dataclasses.replace(chain, sourcing=chain.sourcing.iloc[0:0]), scenario(base=YEARLY_2024))
    assert any(china_share_of(unsourced, r) != pytest.approx(china_share_of(result, r), abs=0.02) for r in ("US", "KR"))


def test_supplier_shares_give_way_to_an_export_control(chain):
    ban = "[{kind: export_control, exporter: CN, destinations: [US], start: 2024, cut: 1.0}]"
    result = run(chain, scenario(ban, base=YEARLY_2024))
    assert china_share_of(result, "US") == 0.0
    assert result.shortfall.query("region == 'US'")["supplied_t"].sum() > 0


def test_a_share_given_as_a_percentage_is_refused(chain):
    wrong = chain.sourcing.assign(share=["import_share_from_cn-us-2022-kita"] + list(chain.sourcing["share"][1:]))
    with pytest.raises(MagchainError, match=r"sourcing.csv, row 2, column share.*divide a percentage by 100"):
        run(dataclasses.replace(chain, sourcing=wrong), scenario(base=YEARLY_2024))


# -- embedded demand and finished goods --------------------------------------------------------------
def embedded_short(result, region: str = "US") -> float:
    return float(result.embedded.query("region == @region")["shortfall_t"].sum())


def test_embedded_demand_is_met_in_the_no_event_world_and_split_by_maker(chain):
    result = run(chain, scenario(base=YEARLY_2024))
    us = result.embedded.query("region == 'US'").iloc[0]
    direct = result.shortfall.query("region == 'US'")["demand_t"].sum()
    assert us["own_makers_t"] == pytest.approx(min(direct, us["embedded_t"]))
    assert us["imported_t"] == pytest.approx(us["embedded_t"] - us["own_makers_t"])
    assert us["supplied_t"] == pytest.approx(us["embedded_t"]) and embedded_short(result) == 0.0
    assert "embedded" in result.to_json()


def test_a_magnet_cut_hits_the_regions_makers_a_finished_goods_cut_its_imports(chain):
    magnets = "{kind: export_control, exporter: CN, destinations: all, start: 2024, cut: 1.0}"
    goods = "{kind: finished_goods_control, exporter: CN, destinations: [US], start: 2024, cut: 1.0}"
    base = "base: {start: 2024, end: 2024, periods: year, inventory_months: 0}"
    magnet_cut = run(chain, scenario(f"[{magnets}]", base=base))
    goods_cut = run(chain, scenario(f"[{goods}]", base=base))
    us = goods_cut.embedded.query("region == 'US'").iloc[0]
    china = float(chain.tables["figures"].set_index("id").loc["tm-us-import-share-from-cn-hs8501-2015", "value"]) / 100
    # the goods cut leaves magnet trade alone and stops China's part of the imported goods
    assert us_shortfall(goods_cut) == pytest.approx(us_shortfall(run(chain, scenario(base=base))))
    assert embedded_short(goods_cut) == pytest.approx(us["imported_t"] * china)
    # the magnet cut leaves makers short, and with them the goods they build: US makers' for the US, China's
    # and the rest of the world's for the goods the US imports
    def met_by_makers(region):
        rows = magnet_cut.shortfall.query("region == @region")
        return float(rows["supplied_t"].sum() / rows["demand_t"].sum())

    made = magnet_cut.embedded.query("region == 'US'").iloc[0]
    assert met_by_makers("US") < 1
    imports_reached = china * met_by_makers("CN") + (1 - china) * met_by_makers("ROW")
    assert made["supplied_t"] == pytest.approx(
        made["own_makers_t"] * met_by_makers("US") + made["imported_t"] * imports_reached, rel=1e-6)


def test_a_finished_goods_control_from_outside_the_model_is_refused(chain):
    unknown = "[{kind: finished_goods_control, exporter: XX, start: 2024, cut: 0.5}]"
    with pytest.raises(MagchainError, match=r"line 3, events\[0\]: Unknown region 'XX'"):
        run(chain, scenario(unknown, base=YEARLY_2024))
    unmodelled = "[{kind: finished_goods_control, exporter: NZ, start: 2024, cut: 0.5}]"  # a country, no region
    with pytest.raises(MagchainError, match="finished_goods_control: exporter 'NZ' is not a model region"):
        run(chain, scenario(unmodelled, base=YEARLY_2024))


def test_a_share_table_without_its_columns_is_refused(chain):
    broken = chain.finished_goods.drop(columns=["origin"])
    with pytest.raises(MagchainError, match=r"finished_goods.csv: column\(s\) origin missing; the header is"):
        run(dataclasses.replace(chain, finished_goods=broken), scenario(base=YEARLY_2024))
