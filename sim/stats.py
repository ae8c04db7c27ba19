"""Statistics over Monte Carlo realizations: percentiles, paired differences, headline figures.

Every figure in a brief is a median with a central interval (90 %: p5-p95) over realizations; two scenarios
run with the same seed share their random numbers (common random numbers), so they are compared realization
by realization (paired differences), not by their separate intervals (reference/report.md). The median of
paired differences is not the difference of the two medians. Each median carries its Monte Carlo error: a
distribution-free confidence interval from order statistics (:func:`median_ci`).

The figures themselves are defined once, in :mod:`sim.keyfigures`; this module summarizes them.

A nowcast weights its realizations (``realization_weight``, :mod:`sim.rejuvenation`): every statistic
here then uses the weights (weighted type-7 quantiles, :func:`sim.weighted_stats.weighted_quantile`;
weighted shares for probabilities; the Monte Carlo error from Kish's effective sample size). Equal
weights, the plain run's, take the unweighted code path: the same numbers bit for bit.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from sim import keyfigures
from sim.keyfigures import Settings
from sim.weighted_stats import (
    median,
    percentiles,
    probability,
    quantile_summary,
    realization_weights,
    summary_values,
    weighted_quantile,
    weighted_summarize,
)

__all__ = [
    "HEADLINE_COLUMNS",
    "comparison_table",
    "duration_survival",
    "figure_summaries",
    "figure_summary",
    "headline_table",
    "headline_values",
    "median",
    "median_ci",
    "paired_difference",
    "paired_weights",
    "percentiles",
    "prob_reduction_at_least",
    "probability",
    "realization_weights",
    "summarize",
    "weighted_median_ci",
]

#: Columns of :func:`headline_table` with the default 90 % interval (``p5``/``p95`` follow the interval).
HEADLINE_COLUMNS = [
    "figure", "label", "p50", "p5", "p95", "unit", "definition", "section", "lead", "ceiling", "at_ceiling",
    "p50_ci_low", "p50_ci_high", "mc_rel_error", "mc_enough",
]


def summarize(
    da: xr.DataArray, dim: str = "realization", percentiles: Sequence[float] = (5, 50, 95),
    weights: np.ndarray | xr.DataArray | bool | None = None,
) -> xr.DataArray:
    """Percentiles of ``da`` over ``dim``.

    Parameters
    ----------
    da : xarray.DataArray
        Values with a ``dim`` dimension.
    dim : str
        Dimension to reduce (the Monte Carlo realizations).
    percentiles : sequence of float
        Percentiles in [0, 100]; linear interpolation between realizations (numpy's default). [%]
    weights : array_like or bool, optional
        Realization weights; default (None) the ``realization_weight`` coordinate of ``da`` when its
        weights are not all equal; ``False``: unweighted. Weighted percentiles are
        :func:`sim.weighted_stats.weighted_summarize` (equal weights give the same numbers).

    Returns
    -------
    xarray.DataArray
        ``da`` without ``dim``, with a leading ``percentile`` coordinate (attribute ``units="%"``); the
        attributes of ``da`` (``units``, ``long_name``) are kept.

    Examples
    --------
    >>> da = xr.DataArray(np.arange(101.0), dims="realization")
    >>> summarize(da).values
    array([ 5., 50., 95.])
    """
    pct = _checked_percentiles(percentiles)
    w = realization_weights(da) if weights is None and dim == "realization" else (
        None if weights is None or weights is False else np.asarray(weights, dtype=float))
    da = da.drop_vars("realization_weight", errors="ignore")
    w = _unequal(w)
    if w is not None:
        return weighted_summarize(da, w, dim=dim, percentiles=percentiles)
    return quantile_summary(da, pct, dim)


def _checked_percentiles(percentiles: Sequence[float]) -> np.ndarray:
    pct = np.asarray(percentiles, dtype=float)
    if pct.ndim != 1 or ((pct < 0) | (pct > 100)).any():
        raise ValueError(f"percentiles must be a sequence within [0, 100], got {percentiles!r}")
    return pct


def _unequal(w: np.ndarray | None) -> np.ndarray | None:
    """The weights :func:`summarize` uses: None when there are none or they are all equal (0 too)."""
    return None if w is None or np.all(w == w.ravel()[0]) else w


def _summarize_np(values: np.ndarray, percentiles: Sequence[float], weights: np.ndarray | None = None,
                  axis: int = 0) -> np.ndarray:
    """The numbers of :func:`summarize` on a plain array with explicit ``weights`` (None: unweighted):
    percentiles [%] along ``axis``, shape ``(len(percentiles), *values.shape without axis)``."""
    pct = _checked_percentiles(percentiles)
    w = _unequal(None if weights is None else np.asarray(weights, dtype=float))
    x = np.asarray(values)
    if w is None and x.dtype.kind == "f" and x.ndim > 1 and not np.isnan(x).any():
        # numpy.nanquantile (summary_values' unweighted float path) only drops NaN, one 1-D slice at a time
        # (numpy.apply_along_axis): without NaN it is numpy.quantile of each slice, which is this, number for
        # number, in one vectorised call
        return np.asarray(np.quantile(x, pct / 100.0, axis=axis, method="linear"))
    return summary_values(x, pct, w, axis=axis)


def paired_difference(
    a: xr.DataArray,
    b: xr.DataArray,
    dim: str = "realization",
    percentiles: Sequence[float] | None = (5, 50, 95),
    weights: np.ndarray | None = None,
) -> xr.DataArray:
    """Realization-wise difference ``b - a`` of two scenarios run with the same seed, then its percentiles.

    Parameters
    ----------
    a, b : xarray.DataArray
        The same quantity in scenario ``a`` (e.g. ``continued``) and ``b`` (e.g. ``pause_week``); their
        ``dim`` coordinates must be identical (same seed and number of realizations).
    dim : str
        The realization dimension.
    percentiles : sequence of float or None
        Percentiles of the difference [%]; ``None`` returns the realization-wise differences.
    weights : numpy.ndarray, optional
        Weights of the realization pairs (:func:`paired_weights`); None: equal.

    Returns
    -------
    xarray.DataArray
        ``b - a`` (negative: ``b`` has less), summarized by :func:`summarize` unless ``percentiles`` is None.
    """
    a, b = xr.align(a.drop_vars("realization_weight", errors="ignore"),
                    b.drop_vars("realization_weight", errors="ignore"), join="exact")
    diff = b - a
    diff.attrs = {
        "units": a.attrs.get("units", "1"),
        "long_name": f"paired difference (b - a) of {a.attrs.get('long_name', a.name or 'value')}",
    }
    if percentiles is None:
        return diff
    return summarize(diff, dim=dim, percentiles=percentiles, weights=False if weights is None else weights)


def _paired_difference_np(a: np.ndarray, b: np.ndarray, percentiles: Sequence[float],
                          weights: np.ndarray | None = None, axis: int = 0) -> np.ndarray:
    """The numbers of :func:`paired_difference` on plain arrays (realizations along ``axis``, paired by
    position): the percentiles of ``b - a``."""
    return _summarize_np(np.asarray(b) - np.asarray(a), percentiles, weights, axis)


def paired_weights(a: xr.Dataset, b: xr.Dataset) -> np.ndarray | None:
    """Weights of the realization pairs of two runs: None when both are unweighted; the common weights when
    they agree (two nowcasts on the same reports whose policies differ only after ``as_of``); else the mean
    of the two (an approximation: the pairs' histories were weighted differently; docs/nowcast.md)."""
    wa, wb = realization_weights(a), realization_weights(b)
    if wa is None and wb is None:
        return None
    n = a.sizes.get("realization")
    if n is None or n != b.sizes.get("realization"):  # before 1 / n: a run without realizations is refused too
        raise ValueError("the two runs have different realizations; paired differences need the same ones")
    wa = np.full(n, 1.0 / n) if wa is None else wa / wa.sum()
    wb = np.full(n, 1.0 / n) if wb is None else wb / wb.sum()
    return wa if np.allclose(wa, wb, rtol=1e-12, atol=0.0) else 0.5 * (wa + wb)


def prob_reduction_at_least(
    a: xr.DataArray,
    b: xr.DataArray,
    frac: float = 0.25,
    dim: str = "realization",
    zero_baseline: str = "fail",
    weights: np.ndarray | None = None,
) -> xr.DataArray:
    """Probability over realizations that scenario ``b`` cuts exposure by at least ``frac`` relative to ``a``.

    A realization counts as a success when ``a > 0`` and ``a - b >= frac a`` (for ``frac > 0`` also
    ``b < a``, so that a tie is never a cut). Where the baseline has no
    exposure (``a == 0``) there is nothing to cut: with ``zero_baseline="fail"`` (default) the realization
    counts as no success, so the probability never credits ``b`` with exposure that did not exist; with
    ``"exclude"`` such realizations are left out (a probability conditional on ``a > 0``; NaN if all are
    left out). The number of realizations with ``a == 0`` is in the attribute ``n_baseline_zero``.

    Parameters
    ----------
    a, b : xarray.DataArray
        Exposure (>= 0) per realization in the baseline and the alternative scenario, same seed.
    frac : float
        Relative reduction, in [0, 1]. [1]
    dim : str
        The realization dimension.
    zero_baseline : {"fail", "exclude"}
        Treatment of realizations with ``a == 0``.
    weights : numpy.ndarray, optional
        Weights of the realization pairs (a nowcast, :func:`paired_weights`): the probability is the
        weights' share ``sum_r w_r 1[success_r] / sum_r w_r``; None: equal weights.

    Returns
    -------
    xarray.DataArray
        Probability, without ``dim``. [1]

    Examples
    --------
    >>> a = xr.DataArray([100.0, 100.0, 100.0, 0.0], dims="realization")
    >>> b = xr.DataArray([75.0, 80.0, 10.0, 0.0], dims="realization")
    >>> float(prob_reduction_at_least(a, b))
    0.5
    """
    if not 0.0 <= frac <= 1.0:
        raise ValueError(f"frac must be within [0, 1], got {frac}")
    if zero_baseline not in ("fail", "exclude"):
        raise ValueError(f"zero_baseline must be 'fail' or 'exclude', got {zero_baseline!r}")
    a, b = xr.align(a.drop_vars("realization_weight", errors="ignore"),
                    b.drop_vars("realization_weight", errors="ignore"), join="exact")
    n_zero = []

    def core(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        prob, zero = _prob_reduction_np(x, y, frac, weights, zero_baseline)
        n_zero.append(zero)
        return prob

    prob = xr.apply_ufunc(core, a, b, input_core_dims=[[dim], [dim]], keep_attrs="override")
    # what xarray's arithmetic on a and b gave: a's coordinates where b's differ (apply_ufunc drops them), the
    # common name of a and b, no name with the (unnamed) weights
    prob = prob.assign_coords({k: v for k, v in a.coords.items() if dim not in v.dims and k not in prob.coords})
    prob.name = a.name if weights is None and a.name == b.name else None
    prob.attrs = {
        "units": "1",
        "long_name": f"probability that b cuts {a.attrs.get('long_name', a.name or 'exposure')} "
        f"by at least {frac:.0%} relative to a",
        "n_baseline_zero": n_zero[0],
        "zero_baseline": zero_baseline,
    }
    return prob


def _prob_reduction_np(a: np.ndarray, b: np.ndarray, frac: float, weights: np.ndarray | None = None,
                       zero_baseline: str = "fail") -> tuple[np.ndarray, int]:
    """The numbers of :func:`prob_reduction_at_least` on plain arrays, realizations on the last axis (paired
    by position; ``frac`` and ``zero_baseline`` already checked): (probability, shape of ``a`` without the
    last axis [1]; the number of entries with ``a == 0``, realizations of weight 0 not counted)."""
    a, b = np.asarray(a), np.asarray(b)
    positive = a > 0
    # a - b >= frac a; for frac > 0 also b < a, so that underflow in frac * a never credits a tie
    success = positive & (a - b >= frac * a) & ((b < a) | (frac == 0.0))
    zero = ~positive
    if weights is not None:
        w = np.asarray(weights, dtype=float) / np.sum(weights)
        zero = zero & (w > 0)  # a realization of weight 0 is not in the ensemble
        success, positive = success * w, positive * w
    # sums skip NaN (weights of sum 0): xarray's sum, which this replaced, bit for bit
    if zero_baseline == "fail":
        prob = success.mean(axis=-1) if weights is None else np.nansum(success, axis=-1)
    else:
        n_pos = np.nansum(positive, axis=-1)
        prob = np.nansum(success, axis=-1) / np.where(n_pos > 0, n_pos, np.nan)
    return np.asarray(prob, dtype=float), int(zero.sum())


def duration_survival(histogram: xr.DataArray, bin_dim: str = "duration_bin") -> xr.DataArray:
    """Duration curve: share of affected people whose duration is at least each bin's lower edge.

    Exact at the lower edges (bins are ``[lower, upper)``). Reads ``cold_hours_histogram`` or
    ``cold_spell_histogram`` of :func:`sim.people.exposure_to_dataset`.

    Parameters
    ----------
    histogram : xarray.DataArray
        Affected people per duration bin. [people]
    bin_dim : str
        The bin dimension; its coordinate holds the lower edges. [h]

    Returns
    -------
    xarray.DataArray
        Share still cold after ``duration_bin`` hours (1 at the first edge 0; 0 where nobody is affected). [1]
    """
    total = histogram.sum(bin_dim)
    at_least = (
        histogram.isel({bin_dim: slice(None, None, -1)})
        .cumsum(bin_dim)
        .isel({bin_dim: slice(None, None, -1)})
    )
    share = (at_least / total.where(total > 0)).fillna(0.0)
    share.attrs = {"units": "1", "long_name": "share of affected people still cold after the given duration"}
    return share


def median_ci(values: np.ndarray, confidence: float = 0.95) -> tuple[float, float, float]:
    """Distribution-free confidence interval of a median from order statistics.

    With ``n`` sorted values ``x_(1) <= ... <= x_(n)``, ``[x_(k), x_(n-k+1)]`` covers the true median with
    probability ``1 - 2 P(B <= k - 1)``, ``B ~ Binomial(n, 1/2)``; ``k`` is the largest index for which that
    is at least ``confidence`` (Conover, Practical Nonparametric Statistics, 3rd ed. 1999, section 3.2;
    Hollander, Wolfe & Chicken 2014, section 3.6).

    Parameters
    ----------
    values : array_like, shape (n,)
        Values over realizations.
    confidence : float
        Coverage wanted, e.g. 0.95. [1]

    Returns
    -------
    (float, float, float)
        Lower and upper end of the interval and its actual coverage [1]; ``(min, max, coverage)`` when
        ``n`` is too small for the coverage wanted (then the coverage is below ``confidence``).

    Examples
    --------
    With 10 runs the 95 % interval is ``[x_(2), x_(9)]`` (coverage 97.9 %):

    >>> lo, hi, cov = median_ci(np.arange(1.0, 11.0))
    >>> lo, hi, round(cov, 3)
    (2.0, 9.0, 0.979)
    """
    x = np.sort(np.asarray(values, dtype=float).ravel())
    n = x.size
    if n == 0:
        return float("nan"), float("nan"), 0.0
    k, coverage = _ci_index(n, float(confidence))
    if k < 1:
        return float(x[0]), float(x[-1]), coverage
    return float(x[k - 1]), float(x[n - k]), coverage


try:  # scipy.stats.binom's own ufuncs (Boost), without importing scipy.stats (~0.5 s on every run's start)
    from scipy.special import _ufuncs as _scu

    _BINOM: tuple[Any, Any] | None = (_scu._binom_cdf, _scu._binom_ppf)
except (ImportError, AttributeError):  # pragma: no cover - a scipy without them: scipy.stats itself
    _BINOM = None


def _binom_half_cdf(k: int, n: int) -> float:
    """P(B <= k) for B ~ Binomial(n, 1/2): ``scipy.stats.binom.cdf(k, n, 0.5)``, the same ufunc."""
    if _BINOM is None:  # pragma: no cover
        from scipy.stats import binom

        return float(binom.cdf(k, n, 0.5))
    return float(_BINOM[0](float(k), float(n), 0.5))


def _binom_half_ppf(q: float, n: int) -> int:
    """The smallest k with P(B <= k) >= q for B ~ Binomial(n, 1/2), 0 < q < 1: ``scipy.stats.binom.ppf(q, n,
    0.5)``, the same ufunc."""
    if _BINOM is None:  # pragma: no cover
        from scipy.stats import binom

        return int(binom.ppf(q, n, 0.5))
    return int(_BINOM[1](q, float(n), 0.5))


@functools.lru_cache(maxsize=256)
def _ci_index(n: int, confidence: float) -> tuple[int, float]:
    """(k, coverage) of :func:`median_ci`: the largest k with 2 P(B <= k - 1) <= 1 - confidence."""
    alpha = 1.0 - confidence
    k = _binom_half_ppf(alpha / 2.0, n)  # the smallest k with P(B <= k) >= alpha / 2
    while k >= 1 and 2 * _binom_half_cdf(k - 1, n) > alpha:  # pragma: no cover - guard against round-off
        k -= 1
    if k < 1:
        return 0, float(1.0 - 2 * 0.5**n)
    return k, 1.0 - 2.0 * _binom_half_cdf(k - 1, n)


def weighted_median_ci(values: np.ndarray, weights: np.ndarray, confidence: float = 0.95
                       ) -> tuple[float, float, float]:
    """:func:`median_ci` of weighted realizations: the order statistics ``k`` and ``n - k + 1`` of
    :func:`median_ci` for ``n`` = Kish's effective sample size (rounded), read as the weighted type-7
    quantiles at ``(k - 1)/(n - 1)`` and ``(n - k)/(n - 1)`` (for equal weights exactly ``x_(k)`` and
    ``x_(n-k+1)``). Returns (low, high, coverage)."""
    x = np.asarray(values, dtype=float).ravel()
    w = np.asarray(weights, dtype=float)
    if x.size == 0:  # before Kish's n, which is 0/0 here
        return float("nan"), float("nan"), 0.0
    n = round(float(np.sum(w) ** 2 / np.sum(w * w)))
    if n < 2:
        return float(np.min(x)), float(np.max(x)), 0.0
    k, coverage = _ci_index(n, float(confidence))
    if k < 1:
        lo, hi = weighted_quantile(x, w, [0.0, 1.0])
        return float(lo), float(hi), coverage
    lo, hi = weighted_quantile(x, w, [(k - 1) / (n - 1), (n - k) / (n - 1)])
    return float(lo), float(hi), coverage


def mc_error(values: np.ndarray, s: Settings, weights: np.ndarray | None = None) -> dict[str, float | bool]:
    """Monte Carlo error of a median and the rule that says whether the realizations were enough.

    Enough: the half-width of the order-statistic interval (:func:`median_ci`, ``s.mc_confidence``; with
    ``weights``, :func:`weighted_median_ci` on the effective sample size) is at most
    ``s.mc_rel_tolerance`` of the median's magnitude (an interval of zero width always is; a zero median
    with a wider interval never is), and the interval reached its coverage.
    """
    x = np.asarray(values, dtype=float)
    if weights is None:
        lo, hi, coverage = median_ci(x, s.mc_confidence)
        med = float(np.median(x)) if x.size else float("nan")
    else:
        lo, hi, coverage = weighted_median_ci(x, weights, s.mc_confidence)
        med = float(median(x, weights)) if x.size else float("nan")
    return _mc_verdict(lo, hi, coverage, med, s)


def _mc_verdict(lo: float, hi: float, coverage: float, med: float, s: Settings) -> dict[str, float | bool]:
    """:func:`mc_error` from the median's interval (``lo``, ``hi``, its ``coverage``) and the median ``med``."""
    half = (hi - lo) / 2.0
    if half == 0:
        rel = 0.0
    elif med == 0 or not np.isfinite(med):
        rel = float("inf")
    else:
        rel = half / abs(med)
    enough = bool(coverage >= s.mc_confidence - 1e-12 and rel <= s.mc_rel_tolerance)
    return {"ci_low": lo, "ci_high": hi, "rel_error": rel, "enough": enough}


def figure_summary(values: np.ndarray, s: Settings, weights: np.ndarray | None = None,
                   ) -> tuple[float, float, float, dict[str, float | bool]]:
    """(low end, median, high end, :func:`mc_error`) of a figure's values over realizations.

    A figure that is not available (NaN in every run: a rate or a share over a population unknown in some
    district) is NaN everywhere and has no Monte Carlo error to report (``rel_error`` NaN, ``enough``: not
    "more runs needed", since more runs would not make it known).
    """
    x = np.asarray(values, dtype=float)
    if x.size and np.isnan(x).all():
        nan = float("nan")
        return nan, nan, nan, {"ci_low": nan, "ci_high": nan, "rel_error": nan, "enough": True}
    p_lo, p50, p_hi = percentiles(x, s.percentiles, weights)
    return float(p_lo), float(p50), float(p_hi), mc_error(x, s, weights)


def figure_summaries(values: np.ndarray, s: Settings, weights: np.ndarray | None = None,
                     ) -> list[tuple[float, float, float, dict[str, float | bool]]]:
    """:func:`figure_summary` of each column of ``values`` (realization, figure), the same numbers.

    Unweighted NaN-free columns are summarized together (percentiles, sort and median along the realization
    axis: numpy's per-column results, element for element); weighted runs or columns with NaN one by one.
    """
    x = np.asarray(values, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"values must be (realization, figure), got shape {x.shape}")
    if weights is not None or x.shape[0] == 0 or np.isnan(x).any():
        return [figure_summary(x[:, j], s, weights) for j in range(x.shape[1])]
    p_lo, p50, p_hi = np.percentile(x, s.percentiles, axis=0)
    n = x.shape[0]
    xs = np.sort(x, axis=0)
    k, coverage = _ci_index(n, float(s.mc_confidence))
    lo, hi = (xs[0], xs[-1]) if k < 1 else (xs[k - 1], xs[n - k])  # median_ci's order statistics
    med = np.median(x, axis=0)
    return [(float(p_lo[j]), float(p50[j]), float(p_hi[j]),
             _mc_verdict(float(lo[j]), float(hi[j]), coverage, float(med[j]), s)) for j in range(x.shape[1])]


def _realization_values(ds: xr.Dataset, key: str, *other: str) -> np.ndarray:
    """``ds[key]``'s values as a C-contiguous array ``(*other, realization)``: each row one figure's realizations."""
    return np.ascontiguousarray(ds.variables[key].transpose(*other, "realization").values)


def _same_realizations(x: xr.Dataset, y: xr.Dataset) -> None:
    """Raise as :func:`paired_difference` does (``xr.align(join="exact")``) unless ``x`` and ``y`` have the
    same realizations; other dimensions are not aligned."""
    xr.align(x, y, join="exact", exclude={*x.dims, *y.dims} - {"realization"})


def _settings(ds: xr.Dataset, **overrides: object) -> Settings:
    return Settings.from_dataset(ds, **overrides)


def headline_values(
    ds: xr.Dataset, restored_frac: float | None = None, household_size: float | None = None
) -> xr.Dataset:
    """Every figure of the brief per realization, from one run's Dataset (:func:`sim.keyfigures.values`).

    Parameters
    ----------
    ds : xarray.Dataset
        A run's result.
    restored_frac : float, optional
        Heat counts as restored when buildings without heat fall to this share of their peak [1]; default
        ``output.restored_frac`` of the run's config, else 0.1.
    household_size : float, optional
        People per household; default the run's (``household_size`` attribute), else 2.42. [people]

    Returns
    -------
    xarray.Dataset
        One variable per figure, dims ``(realization,)``, attributes ``units``, ``long_name``,
        ``definition`` (see :mod:`sim.keyfigures`).
    """
    s = _settings(ds, restored_frac=restored_frac, household_size=household_size)
    return keyfigures.values(ds, s)


def _ceiling_hit(value: float, ceiling: float) -> bool:
    return bool(np.isfinite(ceiling) and ceiling > 0 and value >= ceiling * (1 - 1e-9))


def headline_table(
    ds: xr.Dataset, restored_frac: float | None = None, household_size: float | None = None
) -> pd.DataFrame:
    """Every figure of the brief as a table: median, interval, Monte Carlo error (``headline.csv``).

    Returns
    -------
    pandas.DataFrame
        One row per figure; columns ``figure`` (key), ``label``, ``p50`` (median over runs), the interval's
        ends (``p5``, ``p95`` for 90 %), ``unit``, ``definition``, ``section``, ``lead`` (a key-figure box),
        ``ceiling`` (physical upper bound, NaN if none), ``at_ceiling`` (the upper end is that bound),
        ``p50_ci_low``/``p50_ci_high`` (order-statistic confidence interval of the median),
        ``mc_rel_error`` (its half-width over the median) and ``mc_enough`` (within ``output.mc_rel_tolerance``).
    """
    s = _settings(ds, restored_frac=restored_frac, household_size=household_size)
    v = keyfigures.values(ds, s)
    w = realization_weights(ds)
    lo_name, hi_name = s.pct_names
    rows = []
    keys = list(v.data_vars)
    summaries = figure_summaries(np.stack([v.variables[k].values for k in keys], axis=1), s, w) if keys else []
    for key, (p_lo, p50, p_hi, err) in zip(keys, summaries, strict=True):  # as summarize(), without xarray's overhead
        da = v.variables[key]  # the attributes (a Variable: no DataArray built per figure)
        ceiling = float(da.attrs["ceiling"])
        rows.append({
            "figure": key, "label": da.attrs["long_name"], "p50": float(p50), lo_name: float(p_lo),
            hi_name: float(p_hi), "unit": da.attrs["units"], "definition": da.attrs["definition"],
            "section": da.attrs["section"], "lead": bool(da.attrs["lead"]), "ceiling": ceiling,
            "at_ceiling": _ceiling_hit(float(p_hi), ceiling), "p50_ci_low": err["ci_low"],
            "p50_ci_high": err["ci_high"], "mc_rel_error": err["rel_error"], "mc_enough": err["enough"],
        })
    cols = [c if c not in ("p5", "p95") else {"p5": lo_name, "p95": hi_name}[c] for c in HEADLINE_COLUMNS]
    return pd.DataFrame(rows, columns=cols)


#: Columns of :func:`comparison_table` with the defaults (90 % interval, cut of 25 %).
COMPARISON_COLUMNS = [
    "figure", "label", "unit", "adm5_code", "adm5_name", "a_p50", "b_p50", "diff_p50", "diff_p5", "diff_p95",
    "rel_diff_p50", "prob_reduction", "diff_ci_low", "diff_ci_high", "mc_enough",
]


def comparison_table(
    a: xr.Dataset,
    b: xr.Dataset,
    frac: float | None = None,
    restored_frac: float | None = None,
    districts: bool = True,
) -> pd.DataFrame:
    """Every figure of two scenarios run with the same seed, with paired differences, city and districts.

    Parameters
    ----------
    a, b : xarray.Dataset
        Results of the baseline (e.g. ``continued``) and the alternative (e.g. ``pause_week``), same seed
        and realizations.
    frac : float, optional
        Relative reduction for the probability column [1]; default ``output.reduction_frac`` of ``a``'s
        config, else 0.25.
    restored_frac : float, optional
        See :func:`headline_values`. [1]
    districts : bool
        Add one row per district for the figures that exist by district.

    Returns
    -------
    pandas.DataFrame
        Columns ``figure``, ``label``, ``unit``, ``adm5_code``/``adm5_name`` (empty on city rows),
        ``a_p50``, ``b_p50`` (medians of each scenario), ``diff_p50`` and the interval ends of the paired
        differences (``diff_p5``, ``diff_p95`` for 90 %: ``b - a`` run by run; the median of the differences,
        not the difference of the medians), ``rel_diff_p50`` (median over runs of ``(b - a) / a`` where
        ``a > 0``), ``prob_reduction`` (probability that ``b`` is at least ``frac`` below ``a``,
        :func:`prob_reduction_at_least`; NaN where a cut is not an improvement), ``diff_ci_low``/``high``
        (Monte Carlo interval of ``diff_p50``) and ``mc_enough``.
    """
    s = _settings(a, reduction_frac=frac, restored_frac=restored_frac)
    va, vb = keyfigures.values(a, s), keyfigures.values(b, s)
    w = paired_weights(a, b)
    wa, wb = realization_weights(a), realization_weights(b)
    lo, _, hi = s.percentiles
    lo_name, hi_name = f"diff_p{lo:g}", f"diff_p{hi:g}"
    rows = []

    def row(key: str, x: np.ndarray, y: np.ndarray, code: str, name: str) -> dict:
        # x, y: the figure's values over realizations in a and b, paired by position (same realizations)
        attrs = va.variables[key].attrs
        diff = y - x
        if diff.size and np.isnan(diff).all():  # not available (over an unknown population): no chance of a cut
            nan = float("nan")
            return {"figure": key, "label": attrs["long_name"], "unit": attrs["units"],
                    "adm5_code": code, "adm5_name": name, "diff_p50": nan,
                    **{k: nan if np.isnan(v).all() else float(median(v, vw))
                       for k, v, vw in (("a_p50", x, wa), ("b_p50", y, wb))},
                    lo_name: nan, hi_name: nan, "rel_diff_p50": nan, "prob_reduction": nan, "diff_ci_low": nan,
                    "diff_ci_high": nan, "mc_enough": True}
        d_lo, d50, d_hi = _paired_difference_np(x, y, (lo, 50, hi), w)
        rel = np.divide(diff, x, out=np.full(diff.shape, np.nan), where=x > 0)
        err = mc_error(diff, s, w)
        good = bool(attrs["cut_is_good"])
        ok = np.isfinite(rel)
        return {
            "figure": key, "label": attrs["long_name"], "unit": attrs["units"],
            "adm5_code": code, "adm5_name": name, "a_p50": float(median(x, wa)),
            "b_p50": float(median(y, wb)),
            "diff_p50": float(d50), lo_name: float(d_lo), hi_name: float(d_hi),
            "rel_diff_p50": (float(np.nanmedian(rel)) if w is None else float(median(rel[ok], w[ok])))
            if ok.any() and (w is None or w[ok].sum() > 0) else float("nan"),
            "prob_reduction": float(_prob_reduction_np(x, y, s.reduction_frac, w)[0]) if good else float("nan"),
            "diff_ci_low": err["ci_low"], "diff_ci_high": err["ci_high"], "mc_enough": err["enough"],
        }

    # numpy per row (xarray's alignment per row cost ~1.8 s a Kyiv pair): realizations are paired by position,
    # so they must be the same ones (paired_difference's join="exact")
    keys = [str(k) for k in va.data_vars if k in vb.data_vars]
    _same_realizations(va[keys], vb[keys])
    for key in keys:
        rows.append(row(key, _realization_values(va, key), _realization_values(vb, key), "", ""))
    if districts:
        da_, db_ = keyfigures.district_values(a, s), keyfigures.district_values(b, s)
        codes = a["katotth"].values if "katotth" in a.coords else [""] * a.sizes.get("district", 0)
        dkeys = [str(k) for k in da_.data_vars if k in db_.data_vars and k in va.data_vars]
        _same_realizations(da_[dkeys], db_[dkeys])
        names = list(da_["district"].values) if dkeys else []
        for key in dkeys:
            # (district, realization): one contiguous row per district, districts paired by position
            xa, xb = _realization_values(da_, key, "district"), _realization_values(db_, key, "district")
            for i, name in enumerate(names):
                rows.append(row(key, xa[i], xb[i], str(codes[i]), str(name)))
    cols = [c if c not in ("diff_p5", "diff_p95") else {"diff_p5": lo_name, "diff_p95": hi_name}[c]
            for c in COMPARISON_COLUMNS]
    return pd.DataFrame(rows, columns=cols)
