"""Statistics over weighted realizations: quantiles (median, p5, p95) and means of a nowcast.

A nowcast weights its realizations (``realization_weight`` in ``result.nc``); its statistics must use
the weights, and with equal weights must equal the unweighted statistics of :mod:`sim.stats`
(``xarray.DataArray.quantile``, linear interpolation between order statistics, Hyndman & Fan 1996
type 7), so that a nowcast without reports gives exactly the plain run's numbers.

The weighted quantile is Akinshin's weighted type-7 estimator ("Weighted quantile estimators",
arXiv:2304.07265, 2023): the type-7 estimate is a weighted sum of the order statistics,
``Q(p) = sum_i W_i x_(i)`` with ``W_i = F(S_i) - F(S_{i-1})``, where ``S_i`` is the cumulative
normalized weight of the i-th smallest value and ``F`` the CDF of the uniform distribution on
``[(h - 1)/n*, h/n*]``, ``h = (n* - 1) p + 1``, with Kish's effective sample size
``n* = (sum w)^2 / sum w^2``. Equal weights give ``n* = R``, ``S_i = i/R``: exactly type 7. A zero
weight removes a realization.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

__all__ = ["crps", "median", "percentiles", "probability", "quantile_summary", "realization_weights",
           "summary_values", "weighted_mean", "weighted_quantile", "weighted_summarize"]


def realization_weights(obj: xr.Dataset | xr.DataArray | None) -> np.ndarray | None:
    """The realization weights of a run when they are not all equal (a conditioned nowcast), else None.

    A Dataset's ``realization_weight`` variable, or a DataArray's ``realization_weight`` coordinate.

    Examples
    --------
    >>> ds = xr.Dataset({"realization_weight": ("realization", [0.25, 0.25, 0.25, 0.25])})
    >>> realization_weights(ds) is None
    True
    >>> realization_weights(ds.assign(realization_weight=("realization", [0.1, 0.2, 0.3, 0.4])))
    array([0.1, 0.2, 0.3, 0.4])
    """
    if obj is None:
        return None
    w = obj.get("realization_weight") if isinstance(obj, xr.Dataset) else obj.coords.get("realization_weight")
    if w is None:
        return None
    v = np.asarray(w.values, dtype=float).ravel()
    if v.size == 0 or np.all(v == v[0]):
        return None
    return v


def percentiles(values: np.ndarray, pct: Sequence[float] | float, weights: np.ndarray | None = None,
                axis: int = 0) -> np.ndarray:
    """Percentiles over realizations (``axis``): :func:`numpy.percentile` without weights, else the weighted
    type-7 estimator (:func:`weighted_quantile`). [%]

    Examples
    --------
    >>> x = np.array([1.0, 2.0, 3.0, 10.0])
    >>> float(percentiles(x, 50)), float(percentiles(x, 50, np.array([1.0, 1.0, 1.0, 0.0])))
    (2.5, 2.0)
    """
    if weights is None:
        return np.percentile(values, pct, axis=axis)
    return weighted_quantile(values, weights, np.asarray(pct, dtype=float) / 100.0, axis=axis)


def median(values: np.ndarray, weights: np.ndarray | None = None, axis: int = 0) -> np.ndarray | float:
    """Median over realizations, weighted when ``weights`` is given (see :func:`percentiles`)."""
    if weights is None:
        return np.median(values, axis=axis)
    return percentiles(values, 50.0, weights, axis=axis)


def probability(event: np.ndarray, weights: np.ndarray | None = None, axis: int = 0) -> np.ndarray | float:
    """Share of realizations (``axis``) where ``event`` holds; the weights' share of them when weighted. [1]

    Examples
    --------
    >>> float(probability([True, False, False, False])), float(probability([True, False], [3.0, 1.0]))
    (0.25, 0.75)
    """
    event = np.asarray(event, dtype=bool)
    if weights is None:
        return event.mean(axis=axis)
    w = np.asarray(weights, dtype=float)
    return np.tensordot(w / w.sum(), np.moveaxis(event, axis, 0).astype(float), axes=(0, 0))


def quantile_summary(da: xr.DataArray, pct: np.ndarray, dim: str = "realization") -> xr.DataArray:
    """Unweighted percentiles ``pct`` [%] of ``da`` over ``dim``: xarray's type 7 (``DataArray.quantile``,
    NaN skipped in float data), computed by :func:`summary_values`, with a leading ``percentile`` coordinate:
    the layout of :func:`sim.stats.summarize`."""
    pct = np.asarray(pct, dtype=float)
    values = summary_values(da.values, pct, axis=da.get_axis_num(dim))
    # DataArray.quantile's coordinates: those on the other dimensions; scalar ones and those along dim go
    return _percentile_layout(da, values, pct, dim, {k: v for k, v in da.coords.items() if v.dims and dim not in v.dims},
                              f"percentile over {dim}s")


def summary_values(values: np.ndarray, pct: np.ndarray | Sequence[float], weights: np.ndarray | None = None,
                   axis: int = 0) -> np.ndarray:
    """The numbers of :func:`quantile_summary` and :func:`weighted_summarize` on a plain array.

    Without weights, or with weights all equal and positive: type 7 as ``xarray.DataArray.quantile``
    computes it (:func:`numpy.nanquantile` for float data, NaN skipped; :func:`numpy.quantile` otherwise);
    else :func:`weighted_quantile`. Shape ``(len(pct), *values.shape without axis)``; ``pct`` in [%].
    """
    q = np.asarray(pct, dtype=float) / 100.0
    if weights is not None:
        w = np.asarray(weights)
        if not (w.size and np.all(w == w.flat[0]) and w.flat[0] > 0):
            return weighted_quantile(values, w, q, axis=axis)
    x = np.asarray(values)
    quantile = np.nanquantile if x.dtype.kind in "cfO" else np.quantile
    return np.asarray(quantile(x, q, axis=axis, method="linear"))


def _percentile_layout(da: xr.DataArray, values: np.ndarray, pct: np.ndarray, dim: str, coords: dict,
                       long_name: str) -> xr.DataArray:
    """``values`` (percentile first, then ``da``'s other dimensions) as a DataArray like ``da`` without ``dim``."""
    dims = ["percentile", *[d for d in da.dims if d != dim]]
    coords = {"percentile": xr.Variable("percentile", pct, {"units": "%", "long_name": long_name}), **coords}
    return xr.DataArray(values, dims=dims, coords=coords, attrs=dict(da.attrs), name=da.name)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float | Sequence[float] | np.ndarray,
                      axis: int = 0) -> np.ndarray:
    """Weighted type-7 quantiles of ``values`` along ``axis``.

    Parameters
    ----------
    values : numpy.ndarray
        Data; ``axis`` runs over realizations (length R); NaN is not allowed.
    weights : numpy.ndarray
        Weights >= 0 of the realizations, shape (R,), not all zero (need not be normalized).
    q : float or sequence of float
        Probabilities in [0, 1].
    axis : int
        The realization axis of ``values``.

    Returns
    -------
    numpy.ndarray
        Shape ``q.shape + values.shape without axis`` (as :func:`numpy.quantile`).
    """
    x = np.moveaxis(np.asarray(values, dtype=float), axis, 0)
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1 or len(w) != x.shape[0]:
        raise ValueError(f"weights have shape {w.shape}, expected ({x.shape[0]},)")
    if np.any(w < 0) or not np.isfinite(w).all() or not w.sum() > 0:
        raise ValueError("weights must be finite, >= 0 and not all zero")
    if np.isnan(x).any():
        raise ValueError("values contain NaN")
    qs = np.asarray(q, dtype=float)
    if np.any((qs < 0) | (qs > 1)):
        raise ValueError("probabilities must lie in [0, 1]")
    if np.all(w == w[0]):  # equal weights: type 7 itself, bit for bit
        return np.quantile(x, qs, axis=0)
    keep = w > 0  # a zero weight removes the realization (and its zero-width interval)
    x, w = x[keep], w[keep] / w[keep].sum()
    n_eff = 1.0 / np.sum(w * w)
    order = np.argsort(x, axis=0, kind="stable")
    xs = np.take_along_axis(x, order, axis=0)
    cum = np.cumsum(w[order], axis=0)  # S_i per element, shape like xs
    cum[-1] = 1.0
    lower = np.concatenate([np.zeros((1, *cum.shape[1:])), cum[:-1]], axis=0)
    out = np.empty(qs.shape + xs.shape[1:])
    for idx, p in np.ndenumerate(qs):
        h = (n_eff - 1.0) * p + 1.0
        a, b = (h - 1.0) / n_eff, h / n_eff

        def cdf(t: np.ndarray, a: float = a, b: float = b) -> np.ndarray:
            return np.clip((t - a) / (b - a), 0.0, 1.0)

        weights_i = cdf(cum) - cdf(lower)
        out[idx] = np.sum(weights_i * xs, axis=0)
    return out


def weighted_mean(values: np.ndarray, weights: np.ndarray, axis: int = 0) -> np.ndarray:
    """Weighted mean along the realization axis (weights need not be normalized)."""
    w = np.asarray(weights, dtype=float)
    x = np.moveaxis(np.asarray(values, dtype=float), axis, 0)
    return np.tensordot(w / w.sum(), x, axes=(0, 0))


def weighted_summarize(
    da: xr.DataArray, weights: xr.DataArray | np.ndarray, dim: str = "realization",
    percentiles: Sequence[float] = (5, 50, 95),
) -> xr.DataArray:
    """Weighted percentiles over ``dim``, laid out like :func:`sim.stats.summarize`.

    Parameters
    ----------
    da : xarray.DataArray
        Values with dimension ``dim``.
    weights : xarray.DataArray or numpy.ndarray
        ``realization_weight`` of the run, along ``dim``.
    dim : str
        The realization dimension.
    percentiles : sequence of float
        Percentiles in [0, 100].

    Returns
    -------
    xarray.DataArray
        ``da`` without ``dim``, with a leading ``percentile`` coordinate (``units="%"``); equal weights
        give the numbers of :func:`sim.stats.summarize`.
    """
    pct = np.asarray(percentiles, dtype=float)
    w = weights.transpose(dim).values if isinstance(weights, xr.DataArray) else np.asarray(weights)
    if w.size and np.all(w == w.flat[0]) and w.flat[0] > 0:  # equal weights: sim.stats.summarize exactly
        return quantile_summary(da, pct, dim)
    values = summary_values(da.values, pct, w, axis=da.get_axis_num(dim))
    return _percentile_layout(da, values, pct, dim, {k: v for k, v in da.coords.items() if dim not in v.dims},
                              f"weighted percentile over {dim}s")


def crps(values: np.ndarray, weights: np.ndarray, observed: np.ndarray, axis: int = 0) -> np.ndarray:
    """Continuous ranked probability score of a weighted ensemble against what happened.

    ``CRPS = sum_i w_i |x_i - y| - 1/2 sum_ij w_i w_j |x_i - x_j|`` (the energy form, Gneiting & Raftery
    2007, J. Am. Stat. Assoc. 102(477) 359-378, eq. 20, for the weighted empirical distribution); lower
    is better, in the units of the values; a one-member ensemble scores ``|x - y|``.

    Parameters
    ----------
    values : numpy.ndarray
        Ensemble; ``axis`` runs over realizations (length R).
    weights : numpy.ndarray
        Weights >= 0, shape (R,), not all zero.
    observed : numpy.ndarray
        What happened, broadcastable to ``values`` without ``axis``.
    axis : int
        The realization axis.

    Returns
    -------
    numpy.ndarray
        Shape of ``values`` without ``axis``.
    """
    x = np.moveaxis(np.asarray(values, dtype=float), axis, 0)
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    y = np.asarray(observed, dtype=float)
    spread_to_obs = np.tensordot(w, np.abs(x - y), axes=(0, 0))
    # 1/2 sum_ij w_i w_j |x_i - x_j| = sum_{i<j} w_i w_j (x_(j) - x_(i)) over the sorted values
    # = sum_j w_j x_(j) S_{j-1} - sum_i w_i x_(i) (1 - S_i), S the cumulative weight: O(R log R), not O(R^2)
    order = np.argsort(x, axis=0, kind="stable")
    xs = np.take_along_axis(x, order, axis=0)
    ws = w[order]
    cum = np.cumsum(ws, axis=0)
    below = cum - ws
    half_pairs = np.sum(ws * xs * below, axis=0) - np.sum(ws * xs * (1.0 - cum), axis=0)
    return spread_to_obs - half_pairs
