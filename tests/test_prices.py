"""The price module: market clearing, prices in scenarios, and the price floor on modelled prices."""

from __future__ import annotations

import json

import numpy as np
import pytest

from magchain.errors import InvalidInput
from magchain.outlook import Chain
from magchain.prices import scenario as market_prices
from magchain.prices.market import clearing_index
from magchain.scenario import library
from magchain.scenario.run import run
from magchain.scenario.spec import parse


@pytest.fixture(scope="module")
def chain(shipped_sqlite):
    return Chain.from_store(shipped_sqlite)


@pytest.fixture(scope="module")
def licensing(chain):
    return run(chain, library.find("china-export-controls-2025"))


@pytest.mark.parametrize("bought, fixed, own, elasticity, supply", [
    (100.0, 40.0, 30.0, 1.0, 0.0), (100.0, 120.0, 0.0, 0.5, 0.0), (100.0, -20.0, 150.0, 1.0, 0.5)])
def test_the_clearing_price_balances_what_is_bought_and_what_is_offered(bought, fixed, own, elasticity, supply):
    index = clearing_index(bought, fixed, own, elasticity, supply)
    assert bought * index ** -elasticity == pytest.approx(fixed + own * index ** supply, rel=1e-6)
    assert clearing_index(bought, fixed + 10, own, elasticity, supply) < index  # more offered, lower price


def test_a_world_without_events_prices_at_its_reference(chain):
    result = run(chain, parse("name: b\nbase: {start: 2025-01, end: 2025-12}\nevents: []\n"))
    assert np.allclose(result.prices["price_index"], 1.0)


def test_licensing_opens_a_spread_between_china_and_the_rest(licensing):
    prices = licensing.prices.set_index(["element", "market", "period"])["price_index"]
    assert prices[("Dy", "ex-CN", "2025-05")] > 1.5 and prices[("Dy", "CN", "2025-05")] < 1.0
    assert prices[("Dy", "ex-CN", "2025-03")] == pytest.approx(1.0)  # before the rule
    # Elements are priced by their content in the same magnets: one index per market.
    assert prices[("Tb", "ex-CN", "2025-05")] == pytest.approx(prices[("Dy", "ex-CN", "2025-05")])


def test_references_are_known_by_the_reference_month_and_not_stale():
    april = market_prices.reference("Dy", "ex-CN", "2025-04")
    assert (april.basis, april.period, april.unit) == ("europe", "2025-04", "USD/kg")  # not 2025's average
    assert market_prices.reference("Dy", "ex-CN", "2040-01") is None


def test_the_price_floor_pays_the_gap_to_the_modelled_price(licensing):
    fiscal = licensing.fiscal.set_index("period")
    assert fiscal.index[0] == "2025-10"  # from the floor's start only
    ndpr = licensing.prices.query("element == 'NdPr' and market == 'ex-CN'").set_index("period")["price"]
    expected = np.maximum(110 - ndpr[fiscal.index], 0) * 2599 / 12 * 1000
    assert np.allclose(fiscal["exposure_usd"], expected) and fiscal["exposure_usd"].sum() > 0


def test_a_floor_without_a_modelled_price_in_dollars_asks_for_a_path(chain):
    spec = parse("name: f\nbase: {start: 2040-01, end: 2040-03}\nevents:\n"
                 "  - {kind: price_floor, floor_usd_per_kg: 110, producer: MP Materials, covered_t_per_year: 100}\n")
    with pytest.raises(InvalidInput, match="give price_path"):
        run(chain, spec)


def test_scenario_json_gives_prices_with_unknowns_as_null(cli):
    assert cli("db", "init").exit_code == 0
    result = cli("scenario", "run", "baseline", "--json")
    assert result.exit_code == 0, result.output
    prices = json.loads(result.output)["prices"]
    assert prices and {"element", "market", "period", "price_index", "price", "unit", "basis"} <= set(prices[0])
    unknown = [p for p in prices if p["basis"] is None]
    assert unknown and all(p["price"] is None and p["price_index"] == 1.0 for p in unknown)


def test_makers_outside_china_run_on_their_dytb_stocks_then_go_short_and_thrifting_stretches_them(chain):
    """Korea's sourced Dy cover (more than six months) carries its makers into the ban; the
    makers without a sourced stock stop at once. Cutting Dy+Tb per magnet by 80 % makes the
    same tonnes last the whole ban."""
    ban = run(chain, library.find("china-heavy-re-export-ban-12m"))
    thrifted = run(chain, library.find("dytb-thrifting-80"))
    assert ban.network.heavy_stock["KR"] > 0 and thrifted.network.heavy_stock == ban.network.heavy_stock

    def lost(result, region=None):
        makers = result.makers().query("period < '2027-01' and region != 'CN'")
        makers = makers[makers["region"] == region] if region else makers
        return makers.set_index("period")["baseline_made_t"].groupby(level=0).sum() - \
            makers.set_index("period")["made_t"].groupby(level=0).sum()

    korea = lost(ban, "KR")
    assert (korea.loc[:"2026-06"] < 0.5).all() and (korea.loc["2026-07":] > 0.5).all()  # stocks last six months
    assert lost(thrifted, "KR").abs().max() < 0.5
    assert lost(thrifted).sum() < lost(ban).sum() - 500
