"""Weighted statistics of a nowcast (sim.weighted_stats) against known cases.

References: equal weights must give Hyndman & Fan type 7 (numpy's default, used by sim.stats); the
worked example of Akinshin (arXiv:2304.07265: weights 1, 0, 1, 0 give the median (x1 + x3)/2); zero
weights remove realizations; and self-normalized importance sampling of a known normal target
(proposal N(0, 2^2), target N(1, 1)) converges to the target's quantiles 1 + z_p.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from sim.stats import summarize
from sim.weighted_stats import crps, weighted_mean, weighted_quantile, weighted_summarize


@settings(max_examples=100, deadline=None)
@given(x=arrays(np.float64, st.tuples(st.integers(1, 30), st.integers(1, 4)),
                elements=st.floats(-1e4, 1e4, allow_nan=False)),
       w=st.floats(1e-3, 1e3))
def test_equal_weights_are_type_7(x, w):
    q = [0.05, 0.5, 0.95]
    np.testing.assert_array_equal(weighted_quantile(x, np.full(x.shape[0], w), q), np.quantile(x, q, axis=0))


def test_unequal_weights_with_integer_ratios_are_close_to_type_7_but_not_the_bypass():
    """The general formula (not the equal-weight shortcut) agrees with type 7 at nearly equal weights."""
    x = np.random.default_rng(2).normal(size=(51, 3))
    w = np.ones(51)
    w[0] = 1 + 1e-9
    np.testing.assert_allclose(weighted_quantile(x, w, [0.05, 0.5, 0.95]), np.quantile(x, [0.05, 0.5, 0.95], axis=0),
                               atol=1e-7)


def test_akinshin_example_and_zero_weights():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    assert weighted_quantile(x, np.array([1.0, 0.0, 1.0, 0.0]), 0.5) == pytest.approx(2.0)  # (x1 + x3) / 2
    rng = np.random.default_rng(3)
    y = rng.normal(size=(12, 5))
    w = rng.random(12)
    w[[1, 4, 7]] = 0.0
    keep = w > 0
    np.testing.assert_allclose(weighted_quantile(y, w, [0.1, 0.9]), weighted_quantile(y[keep], w[keep], [0.1, 0.9]))


def test_importance_weighted_quantiles_converge_to_the_target():
    """Draws from N(0, 2^2) weighted by N(1, 1) / N(0, 2^2); 5 standard errors of a quantile with the ESS:
    sqrt(p (1 - p) / ESS) / pdf(z_p)."""
    rng = np.random.default_rng(9)
    x = rng.normal(0.0, 2.0, 100_000)
    w = stats.norm.pdf(x, 1.0, 1.0) / stats.norm.pdf(x, 0.0, 2.0)
    ess = w.sum() ** 2 / (w**2).sum()
    for p in (0.05, 0.5, 0.95):
        z = stats.norm.ppf(p)
        se = np.sqrt(p * (1 - p) / ess) / stats.norm.pdf(z)
        assert weighted_quantile(x, w, p) == pytest.approx(1.0 + z, abs=5 * se)
    assert weighted_mean(x, w) == pytest.approx(1.0, abs=5 / np.sqrt(ess))


def test_weighted_summarize_matches_summarize_layout_and_numbers():
    rng = np.random.default_rng(4)
    da = xr.DataArray(rng.normal(size=(9, 4, 3)), dims=("realization", "time", "district"),
                      coords={"district": ["a", "b", "c"]}, attrs={"units": "1"}, name="x")
    xr.testing.assert_identical(weighted_summarize(da, np.full(9, 1 / 9)), summarize(da))
    w = xr.DataArray(rng.random(9), dims="realization")
    out = weighted_summarize(da.transpose("time", "realization", "district"), w)
    assert out.dims == ("percentile", "time", "district") and out.attrs["units"] == "1"
    np.testing.assert_allclose(out.sel(percentile=50.0).values,
                               weighted_quantile(da.values, w.values, 0.5))


def test_bad_weights_are_refused():
    with pytest.raises(ValueError):
        weighted_quantile(np.arange(3.0), np.zeros(3), 0.5)
    with pytest.raises(ValueError):
        weighted_quantile(np.arange(3.0), np.ones(2), 0.5)


def test_crps_against_its_definition_and_the_normal_closed_form():
    """Brute-force double sum; a one-member ensemble scores |x - y|; a large N(0, 1) sample scores the
    closed form of the normal, z (2 Phi(z) - 1) + 2 phi(z) - 1/sqrt(pi) (Gneiting & Raftery 2007), within
    1 %: the sampling error of the mean of |x - y| over 200,000 draws is below 0.3 %."""
    rng = np.random.default_rng(6)
    x = rng.normal(size=(40, 3))
    w = rng.random(40)
    y = np.array([0.3, -2.0, 5.0])
    wn = w / w.sum()
    brute = (np.einsum("i,ij->j", wn, np.abs(x - y))
             - 0.5 * np.einsum("i,k,ikj->j", wn, wn, np.abs(x[:, None, :] - x[None, :, :])))
    np.testing.assert_allclose(crps(x, w, y), brute, rtol=1e-12)
    assert crps(np.array([2.0]), np.array([1.0]), 5.5) == pytest.approx(3.5)
    big = rng.normal(size=200_000)
    for z in (0.0, 1.5):
        closed = z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - 1 / np.sqrt(np.pi)
        assert crps(big, np.ones_like(big), z) == pytest.approx(closed, rel=0.01)
    # weights matter: all weight on the member at the truth scores 0
    assert crps(np.array([1.0, 4.0]), np.array([0.0, 1.0]), 4.0) == pytest.approx(0.0)
