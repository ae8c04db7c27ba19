"""Sequential Monte Carlo (sim.smc): likelihoods, weights, ESS and resamplers against closed forms.

References: the likelihoods are compared with scipy.stats' independent implementations of the same
distributions; the weights with the conjugate Gaussian posterior (a static state x ~ N(0, tau^2)
observed twice with N(x, sigma^2) errors: precision 1/tau^2 + n/sigma^2, mean sum(y)/sigma^2 / precision);
the ESS with its large-R limit R E[L]^2 / E[L^2], a Gaussian integral; the resamplers with their defining
property E[N_i] = R w_i, checked by simulation. Tolerances are stated where they are set.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from sim import smc

# --------------------------------------------------------------------------------------------------
# likelihoods
# --------------------------------------------------------------------------------------------------


def test_buildings_likelihood_is_the_negative_binomial_of_scipy():
    y = np.array([0, 3, 120, 1900, 5635])
    x = np.array([[0.0], [10.0], [1500.0], [6000.0]])
    k, offset = 25.0, 5.0
    m = x + offset
    expected = stats.nbinom.logpmf(y, n=k, p=k / (k + m))
    np.testing.assert_allclose(smc.log_lik_buildings(y, x, k, offset), expected, rtol=1e-10, atol=1e-10)


def test_buildings_likelihood_has_the_stated_mean_and_coefficient_of_variation():
    """Mean x + offset; CV -> 1/sqrt(k) at large counts (0.2 for k = 25), sqrt(1/m + 1/k) in general."""
    y = np.arange(0, 20000)
    p = np.exp(smc.log_lik_buildings(y, 4000.0, 25.0, 5.0))
    mean = np.sum(y * p)
    sd = np.sqrt(np.sum((y - mean) ** 2 * p))
    assert p.sum() == pytest.approx(1.0, abs=1e-9)
    assert mean == pytest.approx(4005.0, rel=1e-9)
    assert sd / mean == pytest.approx(np.sqrt(1 / 4005 + 1 / 25), rel=1e-6)


def test_share_likelihood_is_the_beta_of_scipy_with_mean_precision_parameters():
    y = np.array([0.0, 0.1, 0.35, 0.9, 1.0])
    x = np.array([[0.0], [0.2], [0.5], [0.97]])
    phi = 30.0
    yc, xc = np.clip(y, smc.SHARE_EPS, 1 - smc.SHARE_EPS), np.clip(x, smc.SHARE_EPS, 1 - smc.SHARE_EPS)
    expected = stats.beta.logpdf(yc, xc * phi, (1 - xc) * phi)
    np.testing.assert_allclose(smc.log_lik_share(y, x, phi), expected, rtol=1e-10)


def test_queue_likelihood_is_an_interval_censored_normal_summing_to_one():
    reports = np.arange(0, 6.5, 0.5)  # every possible announcement, in half queues
    x = np.array([[0.0], [1.2], [3.5], [5.9], [6.0]])
    sd = 0.5
    logp = smc.log_lik_queues(reports, x, sd, 6)
    np.testing.assert_allclose(np.exp(logp).sum(axis=1), 1.0, rtol=1e-12)
    lo, hi = (3.5 - 0.25 - x) / sd, (3.5 + 0.25 - x) / sd
    # the reference difference is taken in the tail where it does not cancel
    inner = np.where(lo > 0, stats.norm.sf(lo) - stats.norm.sf(hi), stats.norm.cdf(hi) - stats.norm.cdf(lo))
    np.testing.assert_allclose(smc.log_lik_queues(3.5, x, sd, 6), np.log(inner), rtol=1e-10)
    # far tails: no cancellation to log(0)
    assert smc.log_lik_queues(6.0, 0.0, sd, 6) == pytest.approx(stats.norm.logsf(5.75 / sd), rel=1e-10)
    assert smc.log_lik_queues(2.0, 6.0, sd, 6) == pytest.approx(
        np.log(stats.norm.cdf((2.25 - 6) / sd) - stats.norm.cdf((1.75 - 6) / sd)), rel=1e-8)
    assert smc.log_lik_queues(6.0, 6.0 - 12.0, 0.5, 6) > -np.inf


def test_report_samplers_draw_from_the_likelihoods():
    """The samplers used to make synthetic reports (twin experiments) follow the same error model: the
    frequencies of 200,000 draws match exp(log-likelihood) within 5 binomial standard errors."""
    rng = np.random.default_rng(8)
    n = 200_000
    y = smc.sample_buildings(np.full(n, 300.0), 25.0, 5.0, rng)
    values, counts = np.unique(y, return_counts=True)
    p = np.exp(smc.log_lik_buildings(values, 300.0, 25.0, 5.0))
    common = counts > 500
    np.testing.assert_allclose(counts[common] / n, p[common], atol=float(5 * np.sqrt(p.max() / n)))
    q = smc.sample_queues(np.full(n, 3.2), 0.5, 6, rng)
    grid = np.arange(0, 6.5, 0.5)
    freq = np.array([(q == g).mean() for g in grid])
    prob = np.exp(smc.log_lik_queues(grid, 3.2, 0.5, 6))
    np.testing.assert_allclose(freq, prob, atol=float(5 * np.sqrt(0.25 / n)))
    s = smc.sample_share(np.full(n, 0.35), 30.0, rng)
    assert s.mean() == pytest.approx(0.35, abs=5 * np.sqrt(0.35 * 0.65 / 31 / n))
    assert s.var() == pytest.approx(0.35 * 0.65 / 31, rel=0.02)


# --------------------------------------------------------------------------------------------------
# sequential weights and ESS
# --------------------------------------------------------------------------------------------------


def test_effective_sample_size_of_known_weight_vectors():
    assert smc.effective_sample_size(np.full(10, 0.1)) == pytest.approx(10.0)
    assert smc.effective_sample_size(np.array([0.0, 1.0, 0.0])) == pytest.approx(1.0)
    assert smc.effective_sample_size(np.array([0.5, 0.5, 0.0, 0.0])) == pytest.approx(2.0)
    assert smc.effective_sample_size(np.array([3.0, 1.0])) == pytest.approx(16.0 / 10.0)  # unnormalized
    np.testing.assert_allclose(smc.effective_sample_size(np.array([[1.0, 1.0], [1.0, 0.0]])), [2.0, 1.0])


def _gauss_loglik(y, x, sigma):
    return -0.5 * ((y - x) / sigma) ** 2 - np.log(sigma * np.sqrt(2 * np.pi))


def test_weights_equal_the_normalized_product_of_likelihoods():
    x = np.array([-1.0, 0.0, 0.5, 2.0])
    y = np.array([1.5, 2.5])
    ll = _gauss_loglik(y[None, :], x[:, None], 1.0)
    seq = smc.sequential_weights(ll, [0, 1])
    first = np.exp(-0.5 * (1.5 - x) ** 2)
    both = first * np.exp(-0.5 * (2.5 - x) ** 2)
    np.testing.assert_allclose(seq.weights[0], first / first.sum(), rtol=1e-12)
    np.testing.assert_allclose(seq.weights[1], both / both.sum(), rtol=1e-12)
    # two reports at the same time are assimilated together
    np.testing.assert_allclose(smc.sequential_weights(ll, [0, 0]).final, both / both.sum(), rtol=1e-12)
    # the evidence of the first time is the mean likelihood under uniform weights
    assert seq.log_evidence[0] == pytest.approx(np.log(np.mean(np.exp(ll[:, 0]))), rel=1e-12)


def test_no_reports_keep_uniform_weights():
    seq = smc.sequential_weights(np.zeros((5, 0)), [])
    np.testing.assert_array_equal(seq.final, np.full(5, 0.2))
    assert seq.ess[0] == pytest.approx(5.0, rel=1e-12)


def test_weighted_ensemble_reproduces_the_conjugate_gaussian_posterior():
    """A static x ~ N(0, 2^2), two reports 1.5 and 2.5 with N(x, 1) errors, 200,000 realizations.

    Posterior after the first report: N(1.2, 0.8); after both: N(1.778, 0.444). The weighted mean must be
    within 5 standard errors sqrt(var / ESS); the ESS within 2 % of its limit R E[L]^2 / E[L^2] (with
    x ~ N(0, tau^2) and L = exp(-a (x - m)^2), E[L] = (1 + 2 a tau^2)^-1/2 exp(-a m^2 / (1 + 2 a tau^2))).
    """
    tau, sigma, R = 2.0, 1.0, 200_000
    x = np.random.default_rng(11).normal(0.0, tau, R)
    y = np.array([1.5, 2.5])
    seq = smc.sequential_weights(_gauss_loglik(y[None, :], x[:, None], sigma), [0, 1])

    def e_l(a, m):
        return (1 + 2 * a * tau**2) ** -0.5 * np.exp(-a * m**2 / (1 + 2 * a * tau**2))

    for i, (n, ybar) in enumerate([(1, 1.5), (2, 2.0)]):
        precision = 1 / tau**2 + n / sigma**2
        mean, var = n * ybar / sigma**2 / precision, 1 / precision
        w = seq.weights[i]
        ess = seq.ess[i]
        assert np.sum(w * x) == pytest.approx(mean, abs=5 * np.sqrt(var / ess))
        assert np.sum(w * (x - mean) ** 2) == pytest.approx(var, rel=0.03)
        a = n / (2 * sigma**2)
        assert ess / R == pytest.approx(e_l(a, ybar) ** 2 / e_l(2 * a, ybar), rel=0.02)
    assert seq.ess[1] < seq.ess[0] < R


def test_degeneracy_rule_and_collapse_message():
    assert smc.needs_rejuvenation(49.9, 100, 0.5) and not smc.needs_rejuvenation(50.0, 100, 0.5)
    assert smc.is_collapsed(9.9, 100, 0.1) and not smc.is_collapsed(10.0, 100, 0.1)
    msg = smc.collapse_message(1.3, 100, "2026-01-30 08:00", "queues_off in the city: reported 5")
    assert "\n" not in msg and msg.startswith("nowcast collapsed: effective sample size 1.3 of 100")
    assert "reported 5" in msg


def test_all_zero_weights_are_refused():
    with pytest.raises(ValueError, match="no realization"):
        smc.normalize_log_weights(np.full(3, -np.inf))


# --------------------------------------------------------------------------------------------------
# resampling
# --------------------------------------------------------------------------------------------------

W = np.array([0.05, 0.3, 0.0, 0.15, 0.02, 0.2, 0.08, 0.2])


@pytest.mark.parametrize("resample", [smc.systematic_resample, smc.residual_resample])
def test_resamplers_are_unbiased(resample):
    """E[N_i] = R w_i, by simulation: 20,000 resamplings of R = 8.

    Tolerance 4.5 standard errors of the mean count: systematic counts take two adjacent values, so
    Var(N_i) <= 1/4; residual counts are floor(R w_i) plus a multinomial of n_rest draws, Var <= n_rest/4.
    """
    R, M = len(W), 20_000
    rng = np.random.default_rng(5)
    counts = np.stack([smc.offspring_counts(resample(W, rng), R) for _ in range(M)])
    assert (counts.sum(axis=1) == R).all()
    n_rest = R - np.floor(R * W).sum()
    var_bound = 0.25 if resample is smc.systematic_resample else n_rest / 4
    np.testing.assert_allclose(counts.mean(axis=0), R * W, atol=4.5 * np.sqrt(var_bound / M))
    assert counts[:, 2].max() == 0  # a zero weight is never drawn


weights = st.lists(st.floats(0.0, 1e6, allow_nan=False), min_size=1, max_size=60).filter(lambda w: sum(w) > 0)


@settings(max_examples=200, deadline=None)
@given(w=weights)
def test_normalized_weights_sum_to_one(w):
    w = np.asarray(w)
    with np.errstate(divide="ignore"):
        norm = smc.normalize_log_weights(np.log(w))
    assert norm.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(norm, w / w.sum(), rtol=1e-9, atol=1e-15)
    assert 1.0 - 1e-9 <= smc.effective_sample_size(norm) <= len(w) + 1e-9


@settings(max_examples=200, deadline=None)
@given(w=weights, seed=st.integers(0, 2**32 - 1))
def test_resampler_counts(w, seed):
    """Systematic: each count is floor(R w_i) or ceil(R w_i); residual: at least floor(R w_i); both sum to R."""
    w = np.asarray(w) / np.sum(w)
    R = len(w)
    rw = R * w
    sys_counts = smc.offspring_counts(smc.systematic_resample(w, np.random.default_rng(seed)), R)
    assert sys_counts.sum() == R
    assert np.all(sys_counts >= np.floor(rw - 1e-9)) and np.all(sys_counts <= np.ceil(rw + 1e-9))
    res_counts = smc.offspring_counts(smc.residual_resample(w, np.random.default_rng(seed)), R)
    assert res_counts.sum() == R
    assert np.all(res_counts >= np.floor(rw - 1e-9))
    assert np.all(res_counts[w == 0] == 0) and np.all(sys_counts[w == 0] == 0)


def test_evidence_of_a_degenerate_ensemble_is_exact_and_does_not_warn():
    """A prior weight near the smallest float on the most likely member made scipy's ``logsumexp(b=...)``
    warn of an overflow on stderr of a real nowcast run (the value was right); the evidence is the log of
    the weighted mean likelihood, here by hand: log(w0 e^0 + w1 e^-1) for the second report time, with the
    weights w after the first time."""
    import warnings

    log_lik = np.array([[-720.0, 0.0], [0.0, -1.0]])  # (R=2, one report at each of two times)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        seq = smc.sequential_weights(log_lik, np.array(["2026-01-29T06", "2026-01-29T18"], "datetime64[ns]"))
    assert seq.log_evidence[0] == pytest.approx(np.log(0.5 * np.exp(-720.0) + 0.5))
    w = np.array([np.exp(-720.0), 1.0]) / (1.0 + np.exp(-720.0))  # weights after the first time
    assert 0 < w[0] < 1e-300
    assert seq.log_evidence[1] == pytest.approx(np.log(w[0] + w[1] * np.exp(-1.0)))
