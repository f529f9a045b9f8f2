"""Dynamics: the labelled allocation LP, the rolling horizon, licences as a mechanism, backtests."""

from __future__ import annotations

import json

import numpy as np
import pytest

from magchain.history import backtest as history
from magchain.history.observed import trade_series
from magchain.outlook import Chain
from magchain.scenario import library
from magchain.scenario.labelled import LabelledLP
from magchain.scenario.licences import Parameters, caps
from magchain.scenario.run import run
from magchain.scenario.spec import parse


@pytest.fixture(scope="module")
def chain(shipped_sqlite):
    return Chain.from_store(shipped_sqlite)


def test_labelled_lp_names_rows_and_columns_and_reuses_its_basis():
    lp = LabelledLP()
    x = lp.add_variables("make", {"plant": ["a", "b"]}, cost=[-3.0, -2.0])
    lp.add_constraints("capacity", {"plant": ["a", "b"]}, [(1.0, x)], upper=[4.0, 5.0])
    lp.add_constraints("total", {"all": ["x"]}, [(1.0, x[None, :])], upper=6.0)
    first = lp.solve()
    assert first.value("make").sel(plant="a") == pytest.approx(4.0) and first.value("make").sel(plant="b") == pytest.approx(2.0)
    assert first.duals("total").sel(all="x") == pytest.approx(-2.0)  # one more unit of total is worth 2
    assert lp.column_name(1) == "make[b]" and lp.row_name(2) == "total[x]"
    lp.set_row_bounds("total", upper=8.0)
    second = lp.solve()
    assert second.value("make").values.tolist() == pytest.approx([4.0, 4.0])
    assert second.iterations <= 2  # started from the previous basis


def test_scenario_json_has_flows_duals_and_the_licence_fit(cli):
    assert cli("db", "init").exit_code == 0
    result = cli("scenario", "run", "china-export-controls-2025", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["flows"] and set(data["fitted"]) >= {"events[0].magnet.controlled_share.default",
                                                       "events[0].magnet.controlled_share.US"}
    assert data["scarcity"] and all(set(r) == {"region", "period", "scarcity"} for r in data["scarcity"][:5])


def test_a_constant_world_is_smooth_month_to_month(chain):
    """Within 2025 every input is constant by month; a month-long outage under rolling decisions
    leaves the months after its recovery as smooth as before."""
    spec = parse("name: s\nbase: {start: 2025-01, end: 2025-12, horizon: rolling}\nevents:\n"
                 "  - {kind: plant_outage, facility: mp-independence-magnet, start: 2025-03, months: 1}\n")
    flows = run(chain, spec).flows()
    exports = flows[(flows["stage"] == "magnet") & (flows["origin"] == "CN") & (flows["destination"] != "CN")]
    monthly = exports.groupby("period")["tonnes"].sum()
    baseline = run(chain, parse("name: b\nbase: {start: 2025-01, end: 2025-12}\nevents: []\n")).flows()
    base = baseline[(baseline["stage"] == "magnet") & (baseline["origin"] == "CN") & (baseline["destination"] != "CN")]
    steady = base.groupby("period")["tonnes"].sum().loc["2025-01":"2025-07"]
    assert (steady.pct_change().dropna().abs() < 0.02).all()
    assert (monthly.loc["2025-06":"2025-07"].pct_change().dropna().abs() < 0.02).all()


def test_licence_queue_ships_the_approved_share_after_the_review():
    spec = parse("name: l\nbase: {start: 2025-01, end: 2025-12}\nevents:\n"
                 "  - {kind: licence_regime, exporter: CN, start: 2025-04, review_months: 2, approval_share: 0.5,"
                 " controlled_share: {default: 0.8}}\n")
    regime = spec.events[0]
    months = np.arange(2025 * 12, 2025 * 12 + 12)
    capped = caps(regime, Parameters({"default": 0.8}, 0.0), np.full(12, 100.0), "US", months)
    assert np.isinf(capped[:3]).all()  # before the regime
    assert capped[3] == pytest.approx(20.0) and capped[4] == pytest.approx(20.0)  # only the uncontrolled 20 %
    assert capped[5] == pytest.approx(20.0 + 0.5 * 80.0)  # April's applications decided in June, half approved
    assert capped[6] == pytest.approx(20.0 + 0.5 * 80.0)  # May's; April's rejected half applied again in June
    assert capped[7] == pytest.approx(20.0 + 0.5 * 80.0 + 0.5 * 0.5 * 80.0)  # June's, and April's second try


def test_the_fit_uses_its_window_only(chain, monkeypatch):
    """Changing observed exports after the fit window leaves the fitted parameters as they were."""
    episode = history.find("export-licensing-2025")
    first = history.backtest(chain, episode)
    figures = chain.tables["figures"]
    later = figures["year"].astype(str).isin(["2025-06", "2025-07", "2025-08", "2025-09"])
    changed = figures.copy()
    changed.loc[later, "value"] = changed.loc[later, "value"] * 3
    monkeypatch.setitem(chain.tables, "figures", changed)
    second = history.backtest(chain, episode)
    assert second.fitted == first.fitted
    predicted = second.table[(second.table["window"] == "predict") & second.table["observed"].notna()]
    assert np.allclose(predicted["error"], predicted["model"] / predicted["observed"] - 1)


def test_backtest_reports_out_of_sample_errors_against_the_sourced_series(chain, tmp_path):
    result = history.backtest(chain, history.find("export-licensing-2025"))
    total = result.table[result.table["series"] == "China's magnet exports (t)"].set_index("period")
    observed = trade_series(chain, "CN").set_index("period")["tonnes"]
    assert total.loc["2025-07", "observed"] == observed["2025-07"] == 5577
    assert total.loc["2025-04":"2025-05", "window"].eq("calibration").all()
    scores = result.scores().set_index("series")
    assert scores.loc["China's magnet exports (t)", "months"] == 4 and scores.loc["to the US (t)", "tolerance"] == 0.35
    page = history.plot([result], tmp_path / "bt.html").read_text(encoding="utf-8")
    assert "<script src=\"http" not in page and "Plotly" in page


def test_runs_that_share_their_lps_give_what_fresh_runs_give(chain):
    """Monte Carlo draws reuse one LP per structure; a reused, warm-started LP finds the same optimum."""
    import xarray as xr

    from magchain.outlook.arrays import ModelInputs

    spec = parse("name: d\nbase: {start: 2026-01, end: 2026-12}\nevents:\n"
                 "  - {kind: export_control, exporter: CN, start: 2026-03, end: 2026-05, cut: 0.5}\n")
    central = ModelInputs.from_chain(chain)
    shifted = central.with_arrays(factors={"magnet_inventory_months": xr.DataArray(2.5)})
    models: dict = {}
    run(chain, spec, central, models)
    reused = run(chain, spec, shifted, models)
    fresh = run(chain, spec, shifted)
    assert models and reused.summary()["tonnes_short"] == pytest.approx(fresh.summary()["tonnes_short"], rel=1e-6)
    assert reused.shortfall["shortfall_t"].sum() == pytest.approx(fresh.shortfall["shortfall_t"].sum(), rel=1e-6)


def test_history_files_cite_registry_sources_and_name_their_bases(chain):
    """Prices and regime terms are shipped with a source each; prices keep their named basis."""
    from importlib import resources

    import pandas as pd

    folder = resources.files("magchain") / "data" / "history"
    known = set(chain.tables["sources"]["id"])
    for name in ("prices.csv", "terms.csv"):
        frame = pd.read_csv(folder / name, dtype=str)
        assert frame["source_id"].notna().all() and set(frame["source_id"]) <= known, name
        assert frame["evidence"].notna().all(), name
    prices = pd.read_csv(folder / "prices.csv", dtype=str)
    assert prices["basis"].notna().all() and prices["unit"].notna().all()
    assert prices["id"].is_unique


def test_backtest_command_reports_misses_and_refuses_unknown_episodes(cli, tmp_path):
    assert cli("db", "init").exit_code == 0
    unknown = cli("backtest", "no-such-episode")
    assert unknown.exit_code == 2 and "export-licensing-2025" in unknown.output
    wrong = cli("backtest", "export-licensing-2025", "--plot", str(tmp_path / "plot.png"))
    assert wrong.exit_code == 2 and "HTML" in wrong.output
    result = cli("backtest", "export-licensing-2025", "--json")
    data = json.loads(result.stdout)
    scores = {s["series"]: s for s in data[0]["scores"]}
    missed = any(s["passes"] is False for s in scores.values())
    assert result.exit_code == (1 if missed else 0)
    assert scores["to the US (t)"]["months"] == 4 and data[0]["calibration"] == {"start": "2025-04", "end": "2025-05"}


# -- the price model ------------------------------------------------------------------------------
def market(**changes):
    from magchain.prices.market import MarketParameters

    values = {"reference_price": 100.0, "demand": 1000.0, "demand_trend": 0.0, "elasticity": 0.5, "cover_months": 3.0,
              "hoarding": 0.2, "adjust_months": 6.0, "thrift_max": 0.2, "thrift_months": 24.0, "thrift_saturation": 5.0}
    return MarketParameters(**{**values, **changes})


def test_a_quota_that_binds_raises_the_price_and_one_that_does_not_leaves_exports_short_of_it():
    from magchain.prices.market import simulate_quota

    months = [f"2010-{m:02d}" for m in range(1, 13)]
    quota = np.array([2000.0] * 6 + [500.0] * 6)
    path = simulate_quota(market(), months, quota)
    loose, tight = path.iloc[:6], path.iloc[6:]
    assert (loose["price_index"] == 1.0).all() and (loose["exports_t"] < loose["quota_t"]).all()
    assert (tight["price_index"] > 1.0).all() and np.allclose(tight["exports_t"], tight["quota_t"])
    assert path["price"].iloc[6] == pytest.approx(100 * (1000 / 500) ** (1 / 0.5), rel=0.05)  # (wanted/quota)^(1/e)
    stock = path["stock_t"].to_numpy()
    assert np.allclose(np.diff(stock), (path["exports_t"] - path["use_t"]).to_numpy()[1:])
    assert (np.diff(path["thrift"]) >= -1e-12).all()  # thrifted designs stay thrifted


def test_the_market_fit_uses_its_calibration_window_only(chain, monkeypatch):
    import magchain.prices.episode as episode_module

    episode = history.find("export-quotas-2010")
    first = history.backtest(chain, episode)
    real = episode_module.price_series

    def later_tripled(element, basis, product="oxide"):
        frame = real(element, basis, product)
        later = frame["period"].str[:4].astype(int) >= 2011
        return frame.assign(value=np.where(later, frame["value"] * 3, frame["value"]))

    monkeypatch.setattr(episode_module, "price_series", later_tripled)
    second = history.backtest(chain, episode)
    assert second.fitted == first.fitted and set(first.fitted) == {"reference_price", "demand", "elasticity"}
    checks = {c["series"]: c for c in first.checks}
    assert len(checks) == 3 and all(isinstance(c["passes"], bool) and c["detail"] for c in checks.values())


def test_a_dytb_ban_takes_output_from_makers_outside_china(chain):
    result = run(chain, library.find("china-heavy-re-export-ban-12m"))
    makers = result.makers().groupby("region")[["made_t", "baseline_made_t"]].sum()
    assert makers.loc["JP", "made_t"] < makers.loc["JP", "baseline_made_t"] - 100  # no Dy+Tb, fewer magnets
    assert makers.loc["CN", "made_t"] >= makers.loc["CN", "baseline_made_t"]  # China's makers fill in
    assert result.summary()["makers_output_lost_t"] == pytest.approx(result.makers_output_lost())


@pytest.mark.parametrize("regime, expected", [
    ("controlled_share: {default: fit}", "need a fit window"),
    ("controlled_share: {US: 0.5}", "needs a 'default' entry"),
    ("controlled_share: {default: 1.5}", "between 0 and 1"),
])
def test_a_licence_regime_that_cannot_be_run_is_refused_with_its_line(regime, expected):
    from magchain.errors import InvalidInput

    text = ("name: l\nbase: {start: 2025-01, end: 2025-12}\nevents:\n"
            f"  - {{kind: licence_regime, exporter: CN, start: 2025-04, review_months: 2, approval_share: 0.5, {regime}}}\n")
    with pytest.raises(InvalidInput) as refused:
        parse(text, "l.yaml")
    assert expected in str(refused.value) and "line 4" in str(refused.value)


def test_a_licence_fit_without_observed_months_names_them(chain):
    from magchain.errors import InvalidInput

    spec = parse("name: l\nbase: {start: 2030-01, end: 2030-12}\nevents:\n"
                 "  - {kind: licence_regime, exporter: CN, start: 2030-02, review_months: 2, approval_share: 0.5,"
                 " controlled_share: {default: fit}, fit: {start: 2030-02, end: 2030-03}}\n", "l.yaml")
    with pytest.raises(InvalidInput) as refused:
        run(chain, spec)
    assert "2030-02, 2030-03" in str(refused.value) and "fit window" in str(refused.value)


def test_parameters_the_calibration_cannot_separate_are_named():
    from magchain.prices.episode import unidentified

    jacobian = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [1.0, 2.0, -4.0]])  # b and c move one residual
    assert unidentified(["a", "b", "c"], jacobian) == ["b", "c"]
    assert unidentified(["a", "b"], np.array([[1.0, 0.0], [0.0, 1.0]])) == []
    assert unidentified(["a", "b"], np.array([[1.0, 0.0], [2.0, 0.0]])) == ["b"]


@pytest.mark.parametrize("regime, expected", [
    ("stages: [heavy_re], controlled_share: {default: fit}, fit: {start: 2025-04, end: 2025-05}",
     "only magnet exports are observed"),
    ("destinations: [US], controlled_share: {default: fit}, fit: {start: 2025-04, end: 2025-05}",
     "needs destinations: all"),
    ("controlled_share: {default: fit}, fit: {start: 2024-11, end: 2025-02}", "not inside the run"),
])
def test_a_licence_fit_that_the_observed_series_cannot_support_is_refused(chain, regime, expected):
    from magchain.errors import InvalidInput

    spec = parse("name: l\nbase: {start: 2025-01, end: 2025-12}\nevents:\n"
                 f"  - {{kind: licence_regime, exporter: CN, start: 2025-04, review_months: 2, approval_share: 0.5, "
                 f"{regime}}}\n", "l.yaml")
    with pytest.raises(InvalidInput) as refused:
        run(chain, spec)
    assert expected in str(refused.value) and "line 4" in str(refused.value)
