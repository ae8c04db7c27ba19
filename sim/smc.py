"""Sequential Monte Carlo over realizations: report likelihoods, importance weights, ESS and resampling.

Pure, vectorized functions; every random draw comes from a generator the caller passes. The chain
(:mod:`sim.nowcast`) predicts each report from each realization and calls these; ``docs/nowcast.md``
states and justifies the error models.

Error models (one per reported quantity; ``x`` the model's value in a realization, ``y`` the report):

buildings without heat (a count)
    ``y ~ NegBin(mean = x + offset, size = k)``: variance ``m + m^2 / k``, so the reporting error is
    Poisson-like for small counts and multiplicative (coefficient of variation ``1/sqrt(k)``) for large
    ones. The negative binomial is the usual measurement model of reported counts in state-space
    filtering (King, Nguyen & Ionides 2016, J. Stat. Softw. 69(12), the ``pomp`` package); ``offset``
    keeps a report above zero possible when the model has no building without heat.
share without power (in [0, 1])
    ``y ~ Beta(x phi, (1 - x) phi)``, the mean-precision parameterization of beta regression (Ferrari &
    Cribari-Neto 2004, J. Appl. Stat. 31(7) 799-815); ``x`` and ``y`` are clipped to
    ``[SHARE_EPS, 1 - SHARE_EPS]`` (a reported 0 means "under half a per cent").
outage queues off (ordinal: announced in half queues)
    ``y`` is ``x + e``, ``e ~ N(0, sd^2)``, rounded to the nearest half queue, and censored to
    ``[0, n_queues]``: an interval-censored (ordered probit) model (McCullagh 1980, J. R. Stat. Soc. B
    42(2) 109-142): ``P(y) = Phi((y + h - x) / sd) - Phi((y - h - x) / sd)``, ``h = 1/4``; the end bins
    are open.

Weights: ``log w_t(r) = log w_{t-1}(r) + sum_k log p(y_k | x_k(r))`` over the reports k at time t
(reports are independent given the state), normalized after each time; the effective sample size is
Kish's ``(sum w)^2 / sum w^2`` (Kong, Liu & Wong 1994, J. Am. Stat. Assoc. 89(425) 278-288). Resampling
is systematic (Kitagawa 1996, J. Comput. Graph. Stat. 5(1) 1-25) or residual (Liu & Chen 1998,
J. Am. Stat. Assoc. 93(443) 1032-1044), both unbiased (Douc, Cappé & Moulines 2005, ISPA 2005
64-69); resample when ESS < ``frac`` R with frac = 1/2 by default (Doucet & Johansen 2009, "A tutorial
on particle filtering and smoothing: fifteen years later", Handbook of Nonlinear Filtering).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import betaln, gammaln, log_ndtr, logsumexp

__all__ = [
    "COLLAPSED_PREFIX",
    "QUEUE_HALF_WIDTH",
    "SHARE_EPS",
    "UNCONDITIONED_SUFFIX",
    "SequentialWeights",
    "collapse_message",
    "effective_sample_size",
    "is_collapsed",
    "log_lik_buildings",
    "log_lik_queues",
    "log_lik_share",
    "needs_rejuvenation",
    "normalize_log_weights",
    "nowcast_state",
    "offspring_counts",
    "residual_resample",
    "sample_buildings",
    "sample_queues",
    "sample_share",
    "sequential_weights",
    "systematic_resample",
]

#: Shares are clipped to [SHARE_EPS, 1 - SHARE_EPS] before the beta density. [1]
SHARE_EPS = 0.005
#: Reported queues are rounded to half queues (calibration C2: "3.5 queues"). [queues]
QUEUE_HALF_WIDTH = 0.25


# --------------------------------------------------------------------------------------------------
# observation likelihoods: log p(y | x), broadcasting y and x (e.g. x of shape (R, K), y of shape (K,))
# --------------------------------------------------------------------------------------------------


def log_lik_buildings(y: np.ndarray, x: np.ndarray, dispersion: float, offset: float) -> np.ndarray:
    """Log-probability of reporting ``y`` buildings without heat when the model has ``x``.

    Parameters
    ----------
    y : array_like
        Reported count, whole numbers >= 0. [buildings]
    x : array_like
        Model count. [buildings]
    dispersion : float
        Negative binomial size k > 0; coefficient of variation ``1/sqrt(k)`` at large counts. [-]
    offset : float
        Added to the model's count so that any report has positive probability. [buildings]

    Returns
    -------
    numpy.ndarray
        ``log NegBin(y; mean = x + offset, size = k)``, broadcast shape.
    """
    y = np.asarray(y, dtype=float)
    m = np.maximum(np.asarray(x, dtype=float), 0.0) + float(offset)
    k = float(dispersion)
    return (gammaln(y + k) - gammaln(k) - gammaln(y + 1.0)
            + k * (np.log(k) - np.log(k + m)) + y * (np.log(m) - np.log(k + m)))


def log_lik_share(y: np.ndarray, x: np.ndarray, precision: float) -> np.ndarray:
    """Log-density of reporting a share ``y`` without power when the model has ``x``.

    Parameters
    ----------
    y, x : array_like
        Reported and model shares in [0, 1]; both clipped to ``[SHARE_EPS, 1 - SHARE_EPS]``. [1]
    precision : float
        Beta precision phi > 0: ``Var(y) = x (1 - x) / (1 + phi)``. [-]

    Returns
    -------
    numpy.ndarray
        ``log Beta(y; x phi, (1 - x) phi)``, broadcast shape.
    """
    y = np.clip(np.asarray(y, dtype=float), SHARE_EPS, 1.0 - SHARE_EPS)
    x = np.clip(np.asarray(x, dtype=float), SHARE_EPS, 1.0 - SHARE_EPS)
    a, b = x * precision, (1.0 - x) * precision
    return (a - 1.0) * np.log(y) + (b - 1.0) * np.log1p(-y) - betaln(a, b)


def log_lik_queues(y: np.ndarray, x: np.ndarray, sd: float, n_queues: int) -> np.ndarray:
    """Log-probability of announcing ``y`` queues off when the model has ``x``.

    Parameters
    ----------
    y : array_like
        Reported queues off, in [0, n_queues] (half queues). [queues]
    x : array_like
        Model queues off. [queues]
    sd : float
        Standard deviation of the error before rounding, > 0. [queues]
    n_queues : int
        The city's number of queues; reports at 0 and at ``n_queues`` take the open end bins. [queues]

    Returns
    -------
    numpy.ndarray
        ``log P(y | x)``, broadcast shape; accurate far in the tails (no cancellation).
    """
    y = np.asarray(y, dtype=float)
    x = np.asarray(x, dtype=float)
    lo = np.where(y <= QUEUE_HALF_WIDTH, -np.inf, (y - QUEUE_HALF_WIDTH - x) / sd)
    hi = np.where(y >= n_queues - QUEUE_HALF_WIDTH, np.inf, (y + QUEUE_HALF_WIDTH - x) / sd)
    return _log_normal_interval(lo, hi)


def _log_normal_interval(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """``log(Phi(hi) - Phi(lo))`` for lo < hi, computed on the side of the smaller tail."""
    lo, hi = np.broadcast_arrays(lo, hi)
    upper = lo > 0  # both in the upper tail: use the symmetry Phi(hi) - Phi(lo) = Phi(-lo) - Phi(-hi)
    a = np.where(upper, -hi, lo)
    b = np.where(upper, -lo, hi)
    log_b, log_a = log_ndtr(b), log_ndtr(a)
    with np.errstate(divide="ignore"):
        return log_b + np.log1p(-np.exp(log_a - log_b))


def sample_buildings(x: np.ndarray, dispersion: float, offset: float, rng: np.random.Generator) -> np.ndarray:
    """Draw reports of buildings without heat from the error model of :func:`log_lik_buildings`. [buildings]"""
    m = np.maximum(np.asarray(x, dtype=float), 0.0) + float(offset)
    k = float(dispersion)
    return rng.negative_binomial(k, k / (k + m)).astype(float)


def sample_share(x: np.ndarray, precision: float, rng: np.random.Generator) -> np.ndarray:
    """Draw reported shares without power from the error model of :func:`log_lik_share`. [1]"""
    x = np.clip(np.asarray(x, dtype=float), SHARE_EPS, 1.0 - SHARE_EPS)
    return rng.beta(x * precision, (1.0 - x) * precision)


def sample_queues(x: np.ndarray, sd: float, n_queues: int, rng: np.random.Generator) -> np.ndarray:
    """Draw announced queues off from the error model of :func:`log_lik_queues`: half queues in [0, n]. [queues]"""
    x = np.asarray(x, dtype=float)
    noisy = x + sd * rng.standard_normal(x.shape)
    return np.clip(np.round(noisy * 2.0) / 2.0, 0.0, float(n_queues))


# --------------------------------------------------------------------------------------------------
# weights and effective sample size
# --------------------------------------------------------------------------------------------------


def log_mean_exp(log_x: np.ndarray, weights: np.ndarray, axis: int = 0) -> np.ndarray:
    """``log sum_i w_i exp(log_x_i)`` along ``axis``: the log of a weighted mean of likelihoods.

    The weights enter as ``log w`` (a zero weight as ``-inf``), not as ``logsumexp``'s ``b``, which warns of
    an overflow (and is still right) when the largest term carries a weight near the smallest float.

    >>> float(log_mean_exp(np.array([0.0, -1.0]), np.array([1e-310, 1.0])))
    -1.0
    >>> round(float(np.exp(log_mean_exp(np.log(np.array([0.2, 0.4])), np.array([0.5, 0.5])))), 12)
    0.3
    """
    with np.errstate(divide="ignore"):
        return logsumexp(np.asarray(log_x, float) + np.log(np.asarray(weights, float)), axis=axis)


def normalize_log_weights(log_w: np.ndarray, axis: int = -1) -> np.ndarray:
    """Normalized weights ``w / sum(w)`` from log-weights, along ``axis`` (no overflow)."""
    log_w = np.asarray(log_w, dtype=float)
    if np.all(np.isneginf(log_w), axis=axis).any():
        raise ValueError("every weight is zero: no realization is compatible with the reports")
    return np.exp(log_w - logsumexp(log_w, axis=axis, keepdims=True))


def effective_sample_size(w: np.ndarray, axis: int = -1) -> np.ndarray:
    """Kish's effective sample size ``(sum w)^2 / sum w^2`` of weights along ``axis``. [realizations]"""
    w = np.asarray(w, dtype=float)
    return np.sum(w, axis=axis) ** 2 / np.sum(w * w, axis=axis)


@dataclass(frozen=True)
class SequentialWeights:
    """Importance weights after each report time.

    Attributes
    ----------
    times : numpy.ndarray
        The distinct report times in order, shape (n,); any sortable type (e.g. datetime64, step index).
    weights : numpy.ndarray
        Normalized weights after assimilating the reports up to ``times[i]``, shape (n, R). [1]
    ess : numpy.ndarray
        Their effective sample size, shape (n,). [realizations]
    log_evidence : numpy.ndarray
        ``log p(y_i | y_1..y_{i-1})`` estimated by the weighted mean of the likelihoods, shape (n,); low
        values flag reports the ensemble does not expect.
    """

    times: np.ndarray
    weights: np.ndarray
    ess: np.ndarray
    log_evidence: np.ndarray

    @property
    def final(self) -> np.ndarray:
        """The weights after the last report, shape (R,); uniform without reports. [1]"""
        return self.weights[-1]


def sequential_weights(
    log_lik: np.ndarray, report_time: Sequence, log_w0: np.ndarray | None = None
) -> SequentialWeights:
    """Sequential importance weights over report times.

    Parameters
    ----------
    log_lik : numpy.ndarray
        ``log p(y_k | x_k(r))``, shape (R, K): realization r, report k.
    report_time : sequence
        Time of each report, shape (K,); reports at the same time are assimilated together.
    log_w0 : numpy.ndarray, optional
        Log-weights before the first report, shape (R,); default uniform.

    Returns
    -------
    SequentialWeights
        With one entry per distinct report time; with no reports, a single entry at time None holding
        the initial weights.
    """
    log_lik = np.asarray(log_lik, dtype=float)
    R = log_lik.shape[0]
    log_w = np.zeros(R) if log_w0 is None else np.asarray(log_w0, dtype=float).copy()
    times, inverse = np.unique(np.asarray(report_time), return_inverse=True)
    if len(times) == 0:
        w = normalize_log_weights(log_w)
        return SequentialWeights(np.array([None]), w[None], effective_sample_size(w)[None], np.zeros(1))
    per_time = np.zeros((R, len(times)))  # the summed log-likelihoods of the reports at each time
    np.add.at(per_time.T, inverse.ravel(), np.asarray(log_lik).T)  # per_time.T is a view: sums into per_time
    weights = np.empty((len(times), R))
    evidence = np.empty(len(times))
    for i in range(len(times)):
        w_prev = normalize_log_weights(log_w)
        evidence[i] = log_mean_exp(per_time[:, i], w_prev)
        log_w = log_w + per_time[:, i]
        weights[i] = normalize_log_weights(log_w)
    return SequentialWeights(times, weights, effective_sample_size(weights), evidence)


# --------------------------------------------------------------------------------------------------
# resampling and the degeneracy rule
# --------------------------------------------------------------------------------------------------


def systematic_resample(w: np.ndarray, rng: np.random.Generator, n: int | None = None) -> np.ndarray:
    """Indices of ``n`` realizations drawn by systematic resampling (one uniform draw).

    Each realization i is drawn ``floor(n w_i)`` or ``ceil(n w_i)`` times, ``n w_i`` on average.

    Parameters
    ----------
    w : numpy.ndarray
        Normalized weights, shape (R,). [1]
    rng : numpy.random.Generator
        Seeded generator (``sim.rng.stream``).
    n : int, optional
        Number of draws; default R.

    Returns
    -------
    numpy.ndarray
        Sorted ancestor indices, int64, shape (n,).
    """
    w = _checked(w)
    n = len(w) if n is None else int(n)
    positions = (rng.random() + np.arange(n)) / n
    cdf = np.cumsum(w)
    cdf[-1] = 1.0  # no draw may fall off the end through round-off
    return np.searchsorted(cdf, positions, side="right").astype(np.int64)


def residual_resample(w: np.ndarray, rng: np.random.Generator, n: int | None = None) -> np.ndarray:
    """Indices of ``n`` realizations by residual resampling: ``floor(n w_i)`` copies, the rest multinomial.

    Parameters and result as :func:`systematic_resample`.
    """
    w = _checked(w)
    n = len(w) if n is None else int(n)
    copies = np.floor(n * w).astype(np.int64)
    rest = n - int(copies.sum())
    if rest > 0:
        residual = n * w - copies
        copies += rng.multinomial(rest, residual / residual.sum())
    return np.repeat(np.arange(len(w)), copies)


def offspring_counts(indices: np.ndarray, n_realizations: int) -> np.ndarray:
    """How many times each realization was drawn, shape (R,). [-]"""
    return np.bincount(np.asarray(indices, dtype=np.int64), minlength=n_realizations)


def needs_rejuvenation(ess: float, n_realizations: int, frac: float = 0.5) -> bool:
    """True when the effective sample size is below ``frac`` of the realizations (resample then)."""
    return bool(ess < frac * n_realizations)


def is_collapsed(ess: float, n_realizations: int, frac: float = 0.1) -> bool:
    """True when the effective sample size is below ``frac`` of the realizations (after rejuvenation)."""
    return bool(ess < frac * n_realizations)


#: How the status line of a collapsed nowcast begins (:func:`collapse_message`) and how that of a nowcast
#: with no report up to ``as_of`` ends (:func:`sim.nowcast.condition`); :func:`nowcast_state` reads them.
COLLAPSED_PREFIX = "nowcast collapsed"
UNCONDITIONED_SUFFIX = "the ensemble is unconditioned"


def nowcast_state(attrs: Mapping[str, object]) -> str | None:
    """What a result's nowcast did, in one word for tables: ``"conditioned"``, ``"collapsed"`` (the
    ensemble rests on a handful of histories: its ranges are not reliable) or ``"unconditioned"`` (no report
    up to ``as_of``); None for a run that is not a nowcast. From the ``nowcast_status`` line
    (:func:`collapse_message` for a collapse; :func:`sim.nowcast.condition` writes it).

    >>> nowcast_state({}), nowcast_state({"nowcast_status": "nowcast collapsed: effective sample size 1.0 ..."})
    (None, 'collapsed')
    >>> nowcast_state({"nowcast_status": "nowcast: 0 reports; the ensemble is unconditioned"})
    'unconditioned'
    >>> nowcast_state({"nowcast_status": "nowcast: conditioned on 84 reports; effective sample size 40 of 80"})
    'conditioned'
    """
    status = attrs.get("nowcast_status")
    if status is None:
        return None
    status = str(status)
    if status.startswith(COLLAPSED_PREFIX):
        return "collapsed"
    return "unconditioned" if status.endswith(UNCONDITIONED_SUFFIX) else "conditioned"


def collapse_message(ess: float, n_realizations: int, at: str, worst: str = "") -> str:
    """The one line a collapsed nowcast prints and its brief shows.

    Parameters
    ----------
    ess : float
        Effective sample size at the collapse. [realizations]
    n_realizations : int
        R. [-]
    at : str
        The report time, e.g. ``"2026-01-30 08:00"``.
    worst : str, optional
        The report the ensemble explains least, e.g. ``"buildings_without_heat in Darnytskyi: reported
        1,900, ensemble 5-95 % 200-800"``.
    """
    why = f"; least expected: {worst}" if worst else ""
    return (f"{COLLAPSED_PREFIX}: effective sample size {ess:.1f} of {n_realizations} realizations after the "
            f"reports of {at}{why}; the conditioned figures rest on a handful of histories and are not a "
            "reliable range: check the reports or the scenario")


def _checked(w: np.ndarray) -> np.ndarray:
    w = np.asarray(w, dtype=float)
    if w.ndim != 1 or len(w) == 0 or np.any(w < 0) or not np.isfinite(w).all():
        raise ValueError("weights must be a non-empty vector of finite values >= 0")
    total = w.sum()
    if not total > 0:
        raise ValueError("weights sum to zero")
    return w / total
