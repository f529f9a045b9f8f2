"""Dynamic in-use stock: hand-computed cases, mass balance, bad parameters, flodym agreement."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from magchain.outlook.stock import (
    Lifetime,
    inflow_driven,
    outflow_shares,
    survival_curve,
    survival_matrix,
)


def phi(x: float) -> float:
    """Standard normal CDF, written out independently of the module."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def pulse(n: int, at: int, size: float = 1.0) -> np.ndarray:
    x = np.zeros(n)
    x[at] = size
    return x


# --- hand-computed cases -------------------------------------------------------------


def test_fixed_pulse_leaves_exactly_after_lifetime():
    result = inflow_driven(pulse(10, 2, 10.0), Lifetime("fixed", mean=3))
    assert_array_equal(result.stock, [0, 0, 10, 10, 10, 0, 0, 0, 0, 0])
    assert_array_equal(result.outflow, [0, 0, 0, 0, 0, 10, 0, 0, 0, 0])


@pytest.mark.parametrize(
    "mean, leaves_after",
    [(0, 0), (0.3, 0), (0.5, 0), (0.6, 1), (1, 1), (2.5, 2), (3.5, 3), (3.6, 4), (7, 7)],
)
def test_fixed_fractional_lifetimes_round_to_nearest_year_halves_down(mean, leaves_after):
    result = inflow_driven(pulse(12, 1), Lifetime("fixed", mean=mean))
    assert_array_equal(result.outflow, pulse(12, 1 + leaves_after))
    assert result.stock.sum() == leaves_after


def test_fixed_lifetime_longer_than_horizon_never_leaves():
    result = inflow_driven(np.ones(5), Lifetime("fixed", mean=50))
    assert_array_equal(result.stock, [1, 2, 3, 4, 5])
    assert_array_equal(result.outflow, np.zeros(5))


def test_normal_survival_is_evaluated_at_end_of_year_from_mid_year_inflow():
    # mean 0.5: half survives to the end of the inflow year; the rest leaves at once.
    result = inflow_driven(pulse(4, 0), Lifetime("normal", mean=0.5, std=1.0))
    expected_s = [phi((0.5 - (k + 0.5)) / 1.0) for k in range(4)]
    assert_allclose(result.stock, expected_s, rtol=1e-12)
    assert result.stock[0] == pytest.approx(0.5)
    assert_allclose(result.outflow, [1 - expected_s[0]] + list(-np.diff(expected_s)), rtol=1e-12)


def test_normal_mass_at_negative_ages_leaves_in_the_inflow_year():
    result = inflow_driven(pulse(3, 0), Lifetime("normal", mean=0.0, std=2.0))
    assert result.outflow[0] == pytest.approx(1 - phi(-0.25))
    assert result.outflow[0] > 0.5


def test_lognormal_takes_mean_and_std_of_the_lifetime_itself():
    mean, std = 2.0, 2.0
    sigma2 = math.log(1 + (std / mean) ** 2)
    mu = math.log(mean) - sigma2 / 2
    s = survival_curve(Lifetime("lognormal", mean=mean, std=std), 3)
    expected = [phi((mu - math.log(k + 0.5)) / math.sqrt(sigma2)) for k in range(3)]
    assert_allclose(s, expected, rtol=1e-12)


def test_weibull_shape_one_is_exponential():
    result = inflow_driven(pulse(4, 1, 2.0), Lifetime("weibull", shape=1.0, scale=1.0))
    assert_allclose(result.stock, [0] + [2 * math.exp(-(k + 0.5)) for k in range(3)], rtol=1e-12)


@pytest.mark.parametrize(
    "lifetime, mean",
    [
        (Lifetime("normal", mean=12.0, std=2.0), 12.0),
        (Lifetime("lognormal", mean=8.0, std=5.0), 8.0),
        (Lifetime("weibull", shape=2.5, scale=10.0), 10.0 * math.gamma(1 + 1 / 2.5)),
        (Lifetime("fixed", mean=6.0), 6.0),
    ],
)
def test_survival_function_integrates_to_the_mean(lifetime, mean):
    ages = np.linspace(0, 200, 400_001)
    values = lifetime.survival(ages)
    area = float(np.sum((values[1:] + values[:-1]) / 2 * np.diff(ages)))
    assert area == pytest.approx(mean, rel=1e-4)


def test_outflow_shares_and_survival_matrix():
    s = np.array([0.9, 0.5, 0.1])
    assert_allclose(outflow_shares(s), [0.1, 0.4, 0.4])
    assert_array_equal(survival_matrix(s), [[0.9, 0, 0], [0.5, 0.9, 0], [0.1, 0.5, 0.9]])


def test_stock_by_cohort_sums_to_stock_and_is_lower_triangular():
    x = np.arange(1.0, 13.0).reshape(2, 6)
    result = inflow_driven(x, Lifetime("normal", mean=3.0, std=1.0), by_cohort=True)
    cohorts = result.stock_by_cohort
    assert cohorts.shape == (2, 6, 6)
    assert_allclose(cohorts.sum(axis=-1), result.stock, rtol=1e-12)
    assert np.all(np.triu(cohorts, k=1) == 0)
    assert inflow_driven(x, Lifetime("fixed", mean=1)).stock_by_cohort is None


def test_array_parameters_equal_per_cell_lifetimes_and_kinds_may_mix():
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 5, size=(3, 2, 15))
    means = np.array([4.0, 9.0])
    shared = inflow_driven(x, Lifetime("normal", mean=means, std=0.3 * means))
    cells = [[Lifetime("normal", mean=m, std=0.3 * m) for m in means] for _ in range(3)]
    assert_allclose(inflow_driven(x, cells).stock, shared.stock, rtol=1e-12)

    mixed = [[Lifetime("fixed", mean=2), Lifetime("weibull", shape=2, scale=5)]] * 3
    result = inflow_driven(x, mixed)
    alone = inflow_driven(x[:, 1], Lifetime("weibull", shape=2, scale=5))
    assert_allclose(result.outflow[:, 1], alone.outflow, rtol=1e-12)
    assert_allclose(result.outflow[:, 0], inflow_driven(x[:, 0], mixed[0][0]).outflow)


def test_one_dimensional_and_empty_inputs():
    assert inflow_driven([1.0, 2.0], Lifetime("fixed", mean=1)).stock.tolist() == [1, 2]
    empty = inflow_driven(np.zeros((3, 0)), Lifetime("fixed", mean=1))
    assert empty.stock.shape == empty.outflow.shape == (3, 0)


@pytest.mark.parametrize(
    "lifetime",
    [
        Lifetime("fixed", mean=2),
        Lifetime("normal", mean=20, std=2),
        Lifetime("lognormal", mean=5, std=2),
        Lifetime("weibull", shape=0.5, scale=3),
    ],
)
def test_everything_survives_at_age_zero_and_before(lifetime):
    assert_array_equal(lifetime.survival([-3.0, 0.0]), [1.0, 1.0])
    assert float(lifetime.survival(0.0)) == 1.0


def test_survival_curve_is_a_writable_array_of_the_leading_shape():
    curve = survival_curve(Lifetime("fixed", mean=2), 4, (2, 3))
    assert curve.shape == (2, 3, 4) and curve.flags.writeable
    assert_array_equal(curve[1, 2], [1, 1, 0, 0])


def test_lifetime_normalises_kind_and_compares_by_value():
    a = Lifetime("Log-Normal", mean=5, std=np.array([1.0, 2.0]))
    b = Lifetime("lognormal", mean=5.0, std=np.array([1.0, 2.0]))
    assert a.kind == "lognormal"
    assert a == b and hash(a) == hash(b)
    assert a != Lifetime("normal", mean=5, std=np.array([1.0, 2.0]))
    assert isinstance(Lifetime("fixed", mean=3).mean, float)
    with pytest.raises(AttributeError):
        a.mean = 3  # frozen


# --- mass balance --------------------------------------------------------------------

lifetimes = st.one_of(
    st.builds(Lifetime, st.just("fixed"), mean=st.floats(0, 40)),
    st.builds(Lifetime, st.just("normal"), mean=st.floats(0, 40), std=st.floats(0.05, 20)),
    st.builds(Lifetime, st.just("lognormal"), mean=st.floats(0.05, 40), std=st.floats(0.05, 40)),
    st.builds(
        Lifetime,
        st.just("weibull"),
        shape=st.floats(0.2, 8),
        scale=st.floats(0.05, 40),
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    inflow=st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=40),
    lifetime=lifetimes,
)
def test_mass_balance_holds_for_every_kind(inflow, lifetime):
    x = np.array(inflow)
    result = inflow_driven(x, lifetime, by_cohort=True)
    change = np.diff(result.stock, prepend=0.0)
    scale = max(1.0, float(np.abs(x).sum()))
    assert_allclose(change, x - result.outflow, rtol=0, atol=1e-10 * scale)
    assert_allclose(result.stock[-1] + result.outflow.sum(), x.sum(), rtol=0, atol=1e-10 * scale)
    assert_allclose(result.stock_by_cohort.sum(axis=-1), result.stock, atol=1e-10 * scale)
    if np.all(x >= 0):
        assert np.all(result.stock >= 0) and np.all(result.outflow >= -1e-12 * scale)


@settings(max_examples=50, deadline=None)
@given(
    lifetime=lifetimes,
    rows=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
)
def test_mass_balance_with_leading_dimensions(lifetime, rows, seed):
    x = np.random.default_rng(seed).uniform(0, 100, size=(rows, 3, 25))
    result = inflow_driven(x, lifetime)
    assert_allclose(np.diff(result.stock, prepend=0.0), x - result.outflow, atol=1e-8)


# --- bad parameters ------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"kind": "gamma", "mean": 3}, "unknown lifetime kind 'gamma'"),
        ({"kind": "fixed", "mean": -1}, "fixed lifetime mean must be non-negative"),
        ({"kind": "normal", "mean": -2, "std": 1}, "normal lifetime mean must be non-negative"),
        ({"kind": "normal", "mean": 5, "std": 0}, "normal lifetime std must be positive"),
        ({"kind": "normal", "mean": 5}, "normal lifetime needs 'std'"),
        ({"kind": "lognormal", "mean": 0, "std": 1}, "lognormal lifetime mean must be positive"),
        ({"kind": "lognormal", "mean": 5, "std": -1}, "lognormal lifetime std must be positive"),
        ({"kind": "weibull", "shape": 0, "scale": 3}, "weibull lifetime shape must be positive"),
        ({"kind": "weibull", "shape": 2}, "weibull lifetime needs 'scale'"),
        (
            {"kind": "weibull", "mean": 5, "shape": 2, "scale": 3},
            "takes shape and scale, not 'mean'",
        ),
        ({"kind": "fixed", "mean": 5, "std": 1}, "fixed lifetime takes mean, not 'std'"),
        ({"kind": "fixed", "mean": float("nan")}, "must be finite"),
        ({"kind": "normal", "mean": np.array([3.0, -1.0]), "std": 1}, "must be non-negative"),
        ({"kind": "fixed", "mean": "long"}, "must be a number"),
    ],
)
def test_bad_lifetime_parameters_raise_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Lifetime(**kwargs)


def test_bad_model_inputs_raise_clear_errors():
    x = np.ones((2, 3, 5))
    with pytest.raises(ValueError, match="does not fit the leading shape"):
        inflow_driven(x, Lifetime("fixed", mean=np.ones(2)))
    with pytest.raises(ValueError, match="do not fit the leading shape"):
        inflow_driven(x, [Lifetime("fixed", mean=1)] * 4)
    with pytest.raises(TypeError, match="expected Lifetime objects"):
        inflow_driven(x, [[3.0] * 3] * 2)
    with pytest.raises(ValueError, match="needs a time axis"):
        inflow_driven(5.0, Lifetime("fixed", mean=1))
    with pytest.raises(ValueError, match="n_years must be non-negative"):
        survival_curve(Lifetime("fixed", mean=1), -1)


# --- agreement with flodym -----------------------------------------------------------


@pytest.fixture(scope="module")
def fd():
    import flodym  # a test dependency (pyproject's test extra): the cross-check must run, not skip

    return flodym


def _flodym_dsm(fd, inflow: np.ndarray, model_class, **prms):
    """Run flodym's InflowDrivenDSM on inflow[..., t] (flodym wants time first)."""
    lead = inflow.shape[:-1]
    years = list(range(2000, 2000 + inflow.shape[-1]))
    dims = fd.DimensionSet(
        dim_list=[fd.Dimension(name="time", letter="t", items=years)]
        + [fd.Dimension(name=f"d{n}", letter=n, items=list(range(k))) for n, k in zip("rsx", lead)]
    )
    model = model_class(dims=dims, **prms)
    values = np.moveaxis(inflow, -1, 0).copy()
    dsm = fd.InflowDrivenDSM(
        dims=dims, lifetime_model=model, inflow=fd.StockArray(dims=dims, values=values)
    )
    dsm.compute()
    return dsm


def _flodym_case(fd, kind: str, means: np.ndarray):
    if kind == "fixed":
        return fd.FixedLifetime, {"mean": means}, Lifetime("fixed", mean=means)
    if kind == "weibull":
        shapes = np.linspace(0.8, 4.0, means.size).reshape(means.shape)
        return (
            fd.WeibullLifetime,
            {"weibull_shape": shapes, "weibull_scale": means},
            Lifetime("weibull", shape=shapes, scale=means),
        )
    stds = 0.4 * means
    model = fd.NormalLifetime if kind == "normal" else fd.LogNormalLifetime
    return model, {"mean": means, "std": stds}, Lifetime(kind, mean=means, std=stds)


@pytest.mark.parametrize("kind", ["fixed", "normal", "lognormal", "weibull"])
def test_agrees_with_flodym(fd, kind):
    rng = np.random.default_rng(42)
    inflow = rng.uniform(0.1, 10.0, size=(3, 4, 30))
    means = np.array([0.4, 1.0, 2.5, 3.6, 5.0, 7.0, 9.5, 12.0, 15.0, 20.0, 28.0, 45.0])
    means = means.reshape(3, 4)
    model_class, prms, lifetime = _flodym_case(fd, kind, means)
    ours = inflow_driven(inflow, lifetime, by_cohort=True)
    theirs = _flodym_dsm(fd, inflow, model_class, **prms)
    assert_allclose(ours.stock, np.moveaxis(theirs.stock.values, 0, -1), rtol=1e-6)
    assert_allclose(ours.outflow, np.moveaxis(theirs.outflow.values, 0, -1), rtol=1e-6)
    # flodym: [t, c, ...]; here: [..., t, c]
    their_cohorts = np.moveaxis(theirs.get_stock_by_cohort(), (0, 1), (-2, -1))
    assert_allclose(ours.stock_by_cohort, their_cohorts, rtol=1e-6)


@pytest.mark.parametrize("kind", ["fixed", "normal", "lognormal", "weibull"])
def test_agrees_with_flodym_on_a_single_series_with_pulses(fd, kind):
    inflow = np.zeros(25)
    inflow[[0, 3, 4, 17]] = [5.0, 1.0, 2.0, 7.0]
    model_class, prms, lifetime = _flodym_case(fd, kind, np.array(6.0))
    prms = {k: float(v) for k, v in prms.items()}
    ours = inflow_driven(inflow, lifetime)
    theirs = _flodym_dsm(fd, inflow, model_class, **prms)
    assert_allclose(ours.stock, theirs.stock.values, rtol=1e-6)
    assert_allclose(ours.outflow, theirs.outflow.values, rtol=1e-6)


def _flodym_prms(lifetime: Lifetime) -> dict[str, float]:
    if lifetime.kind == "weibull":
        return {"weibull_shape": lifetime.shape, "weibull_scale": lifetime.scale}
    if lifetime.kind == "fixed":
        return {"mean": lifetime.mean}
    return {"mean": lifetime.mean, "std": lifetime.std}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lifetime=lifetimes,
    inflow=st.lists(st.floats(0.0, 1e4), min_size=3, max_size=30),  # flodym needs 3+ years
)
def test_agrees_with_flodym_on_random_cases(fd, lifetime, inflow):
    model_class = {
        "fixed": fd.FixedLifetime,
        "normal": fd.NormalLifetime,
        "lognormal": fd.LogNormalLifetime,
        "weibull": fd.WeibullLifetime,
    }[lifetime.kind]
    x = np.array(inflow)
    ours = inflow_driven(x, lifetime)
    theirs = _flodym_dsm(fd, x, model_class, **_flodym_prms(lifetime))
    assert_allclose(ours.stock, theirs.stock.values, rtol=1e-6)
    assert_allclose(ours.outflow, theirs.outflow.values, rtol=1e-6)
