"""The uncertainty engine: distributions as declared, a closed-form case, Sobol on Ishigami,
seeds reproducible on every scheduler (local, processes, a local Dask cluster, and a Dask
scheduler with two workers started as separate processes), and bad input refused."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from magchain.errors import InvalidInput, SchedulerUnavailable, ValidationFailed
from magchain.model import pack
from magchain.outlook import Chain, ModelInputs, outlook
from magchain.outlook.capacity import Block
from magchain.outlook.inputs import Regions
from magchain.uncertainty import schedulers, sobol, uncertainty
from magchain.uncertainty.design import Column, Design, design
from magchain.uncertainty.distributions import (
    Distribution,
    ReferenceClass,
    read_declared,
    reference_classes,
)
from magchain.uncertainty.outlook import OutlookJob, batches, combine, run_batch
from magchain.uncertainty.scenario import scenario_uncertainty
from magchain.vocab import STAGES


@pytest.fixture(scope="module")
def chain(shipped_sqlite):
    return Chain.from_store(shipped_sqlite)


@pytest.fixture(scope="module")
def inputs(chain):
    return ModelInputs.from_chain(chain)


def _answer(result) -> dict:
    out = result.to_dict()
    out.pop("scheduler")
    return out


# -- distributions ------------------------------------------------------------------------------
@pytest.mark.parametrize("kind,low,mode,high", [("triangular", 0.6, 0.85, 1.0), ("pert", 0.157, 0.275, 0.368),
                                                ("uniform", 2.0, 2.0, 5.0), ("triangular", 1.0, 1.0, 3.0)])
def test_distributions_are_sampled_as_declared(kind, low, mode, high):
    dist = Distribution(kind, low, mode, high)
    values = dist.ppf(np.random.default_rng(7).random(400_000))
    assert values.min() >= low and values.max() <= high
    assert values.mean() == pytest.approx(dist.mean(), abs=0.002 * (high - low))
    assert values.var() == pytest.approx(dist.variance(), rel=0.01)


def test_triangular_and_pert_moments_match_their_closed_forms():
    assert Distribution("triangular", 0, 1, 5).mean() == pytest.approx(2.0)
    assert Distribution("triangular", 0, 1, 5).variance() == pytest.approx((0 + 1 + 25 - 0 - 0 - 5) / 18)
    assert Distribution("pert", 0, 1, 5).mean() == pytest.approx(9 / 6)


@pytest.mark.parametrize("args,message", [(("gamma", 0, 1, 2), "not known"), (("triangular", 2, 1, 3), "low <= mode"),
                                          (("pert", 0, float("nan"), 1), "finite")])
def test_bad_distributions_are_refused(args, message):
    with pytest.raises(InvalidInput, match=message):
        Distribution(*args)


def test_a_bad_distributions_file_names_the_row_and_column(tmp_path):
    (tmp_path / "distributions.csv").write_text(
        "input,distribution,low,mode,high,driver,scope,basis,notes\n"
        "utilisation,lognormal,,,,,outlook,x,\n"
        "machining_yield,triangular,abc,,,,outlook,x,\n"
        "growth,uniform,,,,,outlook,x,\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        read_declared(tmp_path)
    text = str(caught.value)
    assert "distributions.csv" in text and "row 2" in text and "distribution" in text
    assert "row 3" in text and "abc" in text and "row 4" in text


def test_reference_classes_come_from_the_project_histories():
    classes = reference_classes()
    assert set(classes) == {"upstream", "downstream"}
    for reference in classes.values():
        assert reference.projects >= 10 and reference.started >= 5
        assert np.all(np.diff(reference.cumulative) >= 0) and 0 < reference.cumulative[-1] <= 1
    # Pending greenfield mines and refineries keep upstream plans from being built more often than not.
    assert classes["upstream"].never_share > classes["downstream"].never_share


# -- a closed-form case ---------------------------------------------------------------------------
def _toy_inputs() -> ModelInputs:
    """One region with a running 1,100 t magnet plant and a planned 500 t one (no ramp), demand 1,000 t in 2024."""
    running = Block("running", "running", "US", None, "magnet", "magnet", 1100.0, -np.inf, False, False, "r1",
                    status="operating")
    planned = Block("planned", "planned", "US", None, "magnet", "magnet", 500.0, 2020.0, False, False, "r2",
                    status="planned", planned=True)
    factors = xr.Dataset({name: xr.DataArray(1.0) for name in (
        "ndpr_wt_magnet", "machining_yield", "oxide_to_metal_yield", "metal_to_alloy_yield", "separation_recovery",
        "recycling_yield", "utilisation", *[f"ramp_years_{s}" for s in STAGES])} | {"ndpr_share_of_treo": 0.3})
    demand = xr.Dataset({"base_t": ("region", [1000.0]), "base_year": ("region", [2024.0]),
                         "growth": ("region", [0.1])}, coords={"region": ["US"]})
    return ModelInputs(pack([running, planned]), factors, demand, {}, (),
                       pd.DataFrame(columns=["facility_id", "country", "stage"]), Regions({}, {}))


def test_a_two_input_case_reproduces_its_closed_form_probability():
    """P(capacity >= demand in 2028) with growth ~ U(0, 0.2) and the planned plant built with p = 0.7:
    0.3 P(1000 (1+g)^4 <= 1100) + 0.7 P(1000 (1+g)^4 <= 1600)."""
    toy = _toy_inputs()
    growth = Distribution("uniform", 0.0, 0.1, 0.2)
    plan = Design((Column("driver:demand", "demand growth"), Column("plant:planned", "plant starts: downstream")),
                  {}, {"US": (0, growth)}, ((1, np.array([1]), "downstream"),),
                  {"downstream": ReferenceClass("downstream", np.array([0.0]), np.array([0.7]), 1, 1, 0, 0)})
    job = OutlookJob(toy, plan, "US", (2028,), 40_000, 11)
    result = combine(job, [run_batch(job, batch) for batch in batches(job.chunks(), 2)], "local", [])
    expected = 0.3 * (1.1 ** 0.25 - 1) / 0.2 + 0.7 * (1.6 ** 0.25 - 1) / 0.2
    observed = result.year(2028)["stages"]["magnet"]["p_self_sufficient"]
    assert observed == pytest.approx(expected, abs=4 * np.sqrt(expected * (1 - expected) / 40_000))
    demand = result.year(2028)["demand_t"]
    assert demand["p50"] == pytest.approx(1000 * 1.1 ** 4, rel=0.005)  # the median of U(0, 0.2) is 0.1


def test_sobol_indices_of_the_ishigami_function_are_reproduced():
    def ishigami(u):
        x = -np.pi + 2 * np.pi * u
        return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])

    table = sobol.indices(ishigami, ["x1", "x2", "x3"], ["x1", "x2", "x3"], base_samples=4096, seed=1).set_index("input")
    first = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
    total = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}
    for name, value in first.items():
        assert table.loc[name, "S1"] == pytest.approx(value, abs=0.05)
        assert table.loc[name, "ST"] == pytest.approx(total[name], abs=0.05)
    assert list(table.index[:2]) == ["x1", "x2"]  # ranked by total index


def test_sobol_refuses_bad_base_samples():
    with pytest.raises(InvalidInput, match="power of two"):
        sobol.sample(sobol.problem(["a"], ["a"]), 100, 1)


# -- the shipped model ----------------------------------------------------------------------------
def test_a_central_draw_reproduces_the_outlook(chain, inputs):
    """Every uncertain input at its mode and no plant delayed: the Monte Carlo core gives the outlook's numbers."""
    plan = design(chain, inputs)
    central = {name: xr.DataArray([float(inputs.factors[name])], dims="draw") for name in plan.factors}
    result = inputs.with_arrays(factors=central)
    from magchain.model import evaluate

    drawn = evaluate(result, "US", range(2024, 2036)).isel(draw=0)
    table = outlook(chain, "US", "2024:2035", inputs=inputs).table.set_index(["year", "stage"])
    for year in (2024, 2028, 2035):
        for stage in STAGES:
            expected = table.loc[(year, stage), "capacity_magnet_eq_t"]
            assert float(drawn["stage_capacity_t"].sel(year=year, stage=stage)) == pytest.approx(expected, nan_ok=True)


def test_uncertainty_answers_the_question_with_probabilities_and_quantiles(chain, inputs):
    result = uncertainty(chain, "US", "2024:2035", draws=2000, seed=1, inputs=inputs)
    answer = result.year(2028)
    assert set(answer["stages"]) == set(STAGES)
    weak = [cell["p_weak_link"] for cell in answer["stages"].values()]
    assert sum(weak) == pytest.approx(1.0)  # the US has demand: some stage is the weak link in every draw
    for cell in answer["stages"].values():
        p = cell["p_self_sufficient"]
        assert p is None or 0 <= p <= 1
        q = cell["stage_capacity_t"]
        if q["p50"] is not None:
            assert q["p5"] <= q["p50"] <= q["p95"]
    assert answer["demand_t"]["p5"] < answer["demand_t"]["p95"]  # demand growth is uncertain
    # The central outlook lies inside the bands.
    central = outlook(chain, "US", "2024:2035", inputs=inputs).table.set_index(["year", "stage"])
    magnet = answer["stages"]["magnet"]["stage_capacity_t"]
    assert magnet["p5"] <= central.loc[(2028, "magnet"), "capacity_magnet_eq_t"] * 1.01


def test_a_seed_gives_identical_numbers_serially_and_on_processes(chain, inputs):
    first = uncertainty(chain, "US", "2024:2030", draws=2500, seed=5, inputs=inputs)
    again = uncertainty(chain, "US", "2024:2030", draws=2500, seed=5, inputs=inputs)
    spread = uncertainty(chain, "US", "2024:2030", draws=2500, seed=5, scheduler="processes:2", inputs=inputs)
    other = uncertainty(chain, "US", "2024:2030", draws=2500, seed=6, inputs=inputs)
    assert _answer(first) == _answer(again) == _answer(spread)
    assert _answer(first) != _answer(other)


def test_a_seed_gives_identical_numbers_on_a_local_dask_cluster(chain, inputs):
    local = uncertainty(chain, "US", "2024:2030", draws=2500, seed=5, inputs=inputs)
    dask = uncertainty(chain, "US", "2024:2030", draws=2500, seed=5, scheduler="dask:2", inputs=inputs)
    assert _answer(local) == _answer(dask)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_scheduler_and_two_workers_started_as_separate_processes_give_the_same_numbers(chain, inputs):
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                  "--port", str(port), "--no-dashboard"], stderr=subprocess.DEVNULL)
    workers = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
                                 "--no-dashboard", "--name", f"w{i}"], stderr=subprocess.DEVNULL) for i in range(2)]
    try:
        from dask.distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
            assert len(client.scheduler_info()["workers"]) == 2
        remote = uncertainty(chain, "US", "2024:2030", draws=2500, seed=5, scheduler=address, inputs=inputs)
        local = uncertainty(chain, "US", "2024:2030", draws=2500, seed=5, inputs=inputs)
        assert _answer(remote) == _answer(local)
        assert "127.0.0.1" in remote.scheduler
    finally:
        for process in workers + [scheduler]:
            process.terminate()
        for process in workers + [scheduler]:
            process.wait(timeout=30)


@pytest.mark.parametrize("text", ["tcp://", "tcp://host", "tcp://127.0.0.1:99999", "processes:0", "processes:x",
                                  "slurm", "dask:-1", "http://127.0.0.1:8786"])
def test_bad_scheduler_addresses_are_refused(text):
    with pytest.raises(InvalidInput, match="Scheduler"):
        schedulers.parse(text)


def test_an_unreachable_scheduler_says_how_to_start_one(chain, inputs, monkeypatch):
    monkeypatch.setattr(schedulers, "CONNECT_TIMEOUT_S", 2)
    with pytest.raises(SchedulerUnavailable, match="dask scheduler"):
        uncertainty(chain, "US", "2024:2026", draws=10, seed=1, scheduler=f"tcp://127.0.0.1:{_free_port()}",
                    inputs=inputs)


def test_draws_and_seeds_out_of_range_are_refused(chain, inputs):
    with pytest.raises(InvalidInput, match="--draws"):
        uncertainty(chain, "US", draws=0, inputs=inputs)
    with pytest.raises(InvalidInput, match="--seed"):
        uncertainty(chain, "US", draws=10, seed=-1, inputs=inputs)


def test_sobol_ranks_the_inputs_of_the_us_magnet_answer(chain, inputs):
    result = uncertainty(chain, "US", "2024:2030", draws=100, seed=1, sobol_year=2028, sobol_samples=64, inputs=inputs)
    table = result.sobol
    assert list(table.columns) == ["input", "S1", "S1_conf", "ST", "ST_conf"]
    assert table["ST"].iloc[0] == table["ST"].max() > 0.05
    assert "demand (shared driver)" in set(table["input"])
    assert any(name.startswith("plant:") for name in table["input"])  # each plan is its own group


def test_the_job_script_of_a_slurm_cluster():
    from magchain.uncertainty.cluster import slurm_cluster

    cluster = slurm_cluster(cores=4, memory="8GiB", walltime="00:30:00", queue="compute", account="magnets")
    try:
        script = cluster.job_script()
    finally:
        cluster.close()
    for line in ("#SBATCH -p compute", "#SBATCH -A magnets", "#SBATCH --cpus-per-task=4", "#SBATCH --mem=8G",
                 "#SBATCH -t 00:30:00"):
        assert line in script
    assert f"{sys.executable} -m distributed.cli.dask_worker" in script
    assert "--nworkers 4" in script and "--nthreads 1" in script


def test_a_scenario_over_draws_gives_shortfall_and_tts_distributions(chain):
    result = scenario_uncertainty(chain, "china-export-controls-2025", draws=4, seed=2)
    table = result.table().set_index("region")
    assert "US" in table.index and len(result.per_draw) == 4 * len(table)
    us = table.loc["US"]
    assert us["extra_shortfall_p5"] <= us["extra_shortfall_p50"] <= us["extra_shortfall_p95"]
    assert us["tts_p5"] <= us["tts_p50"] <= us["tts_p95"]
    assert 0 <= us["p_extra_shortfall"] <= 1


# -- the command line -----------------------------------------------------------------------------
def test_the_command_gives_the_same_json_twice_and_writes_draws_and_a_fan_chart(cli, tmp_path):
    assert cli("db", "init").exit_code == 0
    args = ["uncertainty", "--region", "US", "--years", "2024:2030", "--draws", "1500", "--seed", "1", "--json"]
    first, second = cli(*args), cli(*args)
    assert first.exit_code == 0, first.output
    assert json.loads(first.output) == json.loads(second.output)
    year = next(y for y in json.loads(first.output)["years"] if y["year"] == 2028)
    assert set(year["stages"]) == set(STAGES)
    fan, draws = tmp_path / "fan.html", tmp_path / "draws.parquet"
    shown = cli("uncertainty", "--region", "US", "--years", "2024:2030", "--draws", "1000", "--plot", str(fan),
                "--out", str(draws))
    assert shown.exit_code == 0, shown.output
    assert "P(US magnet capacity meets its demand)" in shown.output
    html = fan.read_text(encoding="utf-8")
    assert "plotly" in html.lower() and "<script src=" not in html  # the script is inside the file, not fetched
    frame = pd.read_parquet(draws)
    assert frame["draw"].nunique() == 1000 and set(frame["stage"]) == set(STAGES)


def test_the_command_refuses_a_bad_scheduler_with_a_clear_message(cli):
    assert cli("db", "init").exit_code == 0
    result = cli("uncertainty", "--draws", "10", "--scheduler", "yarn")
    assert result.exit_code == 2
    assert "Scheduler 'yarn' is not understood" in result.output and "Traceback" not in result.output


def test_an_outlook_whose_mass_balance_does_not_close_is_refused(chain, inputs, monkeypatch):
    from magchain.errors import MagchainError
    from magchain.outlook import balance

    real = balance.mass_balance

    def leaking(result):
        frame = real(result)
        frame.loc[frame.index[0], "residual"] = 0.01 * frame.loc[frame.index[0], "mine_output"]
        return frame

    monkeypatch.setattr(balance, "mass_balance", leaking)
    with pytest.raises(MagchainError, match="mass balance of the US outlook does not close"):
        outlook(chain, "US", "2024:2030", inputs=inputs)


def test_the_command_runs_a_scenario_over_draws(cli):
    assert cli("db", "init").exit_code == 0
    result = cli("uncertainty", "--scenario", "china-export-controls-2025", "--draws", "2", "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["draws"] == 2 and "US" in {row["region"] for row in answer["regions"]}
    table = cli("uncertainty", "--scenario", "china-export-controls-2025", "--draws", "2")
    assert table.exit_code == 0 and "shortfall beyond the baseline" in table.output


def test_magnet_intensities_drawn_in_a_scenario_reach_the_sector_split(chain):
    from magchain.scenario.library import find

    scenario = find("china-export-controls-2025")
    inputs = ModelInputs.from_chain(chain, scenario.base.demand)
    plan = design(chain, inputs, scope="scenario")
    assert "kg_magnet_per_ev_motor" in plan.factors and "kg_magnet_per_ev_motor" not in design(chain, inputs).factors
    low, high = (plan.one(inputs, np.full(plan.size, u)) for u in (0.01, 0.99))
    ev = {name: next(b.amount for b in drawn.sectors["WORLD"] if b.sector == "ev_traction")
          for name, drawn in (("low", low), ("high", high))}
    central = next(b for b in inputs.sectors["WORLD"] if b.sector == "ev_traction")
    assert ev["low"] < central.amount < ev["high"]
    ratio = (float(high.factors["kg_magnet_per_ev_motor"]) * float(high.factors["pm_share_ev"])) / (
        float(low.factors["kg_magnet_per_ev_motor"]) * float(low.factors["pm_share_ev"]))
    assert ev["high"] / ev["low"] == pytest.approx(ratio)  # the formula is re-evaluated, not scaled by guess


def test_the_command_handles_netcdf_a_region_without_demand_and_bad_combinations(cli, tmp_path):
    assert cli("db", "init").exit_code == 0
    cube = tmp_path / "draws.nc"
    written = cli("uncertainty", "--region", "US", "--years", "2024:2030", "--draws", "50", "--out", str(cube))
    assert written.exit_code == 0, written.output
    values = xr.open_dataset(cube)
    assert values.sizes["draw"] == 50 and "stage_capacity_t" in values
    values.close()
    no_demand = cli("uncertainty", "--region", "DE", "--draws", "50")
    assert no_demand.exit_code == 0 and "no sourced demand figure" in no_demand.output
    outside = cli("uncertainty", "--years", "2024:2030", "--year", "2033", "--draws", "10")
    assert outside.exit_code == 2 and "--year 2033 is outside --years 2024:2030" in outside.output
    mixed = cli("uncertainty", "--scenario", "baseline", "--plot", str(tmp_path / "fan.html"))
    assert mixed.exit_code == 2 and "--plot and --sobol are for the outlook" in mixed.output
    table = tmp_path / "scenario.parquet"
    ran = cli("uncertainty", "--scenario", "china-export-controls-2025", "--draws", "2", "--out", str(table))
    assert ran.exit_code == 0, ran.output
    assert set(pd.read_parquet(table)["draw"]) == {0, 1}
