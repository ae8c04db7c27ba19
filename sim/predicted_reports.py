"""What each realization says the reports should be, and how likely the reports are under it.

Each report (:mod:`sim.observations`) is predicted by every realization from the run's own outputs
(:func:`predict_reports`) and scored by the error model of its quantity (:mod:`sim.smc`,
:func:`log_likelihood`); :mod:`sim.rejuvenation` turns the scores into weights.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from sim import smc
from sim.observations import CITY, Observations
from sim.weighted_stats import weighted_quantile

__all__ = ["CITY", "least_expected", "log_likelihood", "predict_reports", "predict_table", "to_datetime64"]


def to_datetime64(t: Any, unit: str = "ns") -> np.datetime64:
    """``t`` (a numpy or pandas time, or an ISO string) as a numpy datetime64 in ``unit``.

    >>> to_datetime64("2026-01-29T06:30", "h")
    np.datetime64('2026-01-29T06','h')
    """
    return np.datetime64(t, unit)  # type: ignore[call-overload]  # numpy's stubs: no unit with a datetime64


def predict_reports(ds: xr.Dataset, reports: Observations) -> np.ndarray:
    """What each realization says each report should be: shape (R, K), in the report's units.

    ``buildings_without_heat`` and ``share_without_power`` of a district are read from the Dataset at
    the step holding the report's time; a city total sums the districts' buildings, and weights their
    shares by ``population``; ``queues_off`` is city-wide.
    """
    table = reports.table
    return _predict(ds, table["time"].to_numpy("datetime64[ns]"), table["district_index"].to_numpy(),
                    table["quantity"].to_numpy())


def predict_table(ds: xr.Dataset) -> np.ndarray:
    """:func:`predict_reports` for the reports a nowcast stored in its Dataset (``report_time``,
    ``report_district``, ``report_quantity``): shape (R, K), e.g. to re-render a brief from ``result.nc``."""
    names = [str(n) for n in ds["district"].values]
    index = np.array([CITY if str(d) == "city" else names.index(str(d)) for d in ds["report_district"].values],
                     dtype=np.int64)
    return _predict(ds, ds["report_time"].values.astype("datetime64[ns]"), index, ds["report_quantity"].values)


def _predict(ds: xr.Dataset, report_time: np.ndarray, district: np.ndarray, quantity: np.ndarray) -> np.ndarray:
    times = ds["time"].values
    step = np.searchsorted(times, report_time, side="right") - 1
    if np.any(step < 0):
        raise ValueError("a report precedes the run's first step")
    quantity = np.asarray(quantity).astype(str)
    R = ds.sizes["realization"]
    out = np.empty((R, len(report_time)))
    population = ds["population"].values.astype(float)
    pop_share = population / population.sum()
    for q in np.unique(quantity):
        k = np.flatnonzero(quantity == q)
        da = ds[q].transpose("realization", "time", ...).values
        if q == "queues_off":
            out[:, k] = da[:, step[k]]
            continue
        by_district = da[:, step[k], :]  # (R, k, D)
        city = by_district.sum(axis=2) if q == "buildings_without_heat" else by_district @ pop_share
        d = np.where(district[k] == CITY, 0, district[k])
        one = np.take_along_axis(by_district, d[None, :, None], axis=2)[:, :, 0]
        out[:, k] = np.where(district[k] == CITY, city, one)
    return out


def log_likelihood(reports: Observations, predicted: np.ndarray, cfg: Any, n_queues: int) -> np.ndarray:
    """``log p(report k | realization r)``, shape (R, K), by the error model of each quantity (:mod:`sim.smc`)."""
    table = reports.table
    y = table["value"].to_numpy(float)
    quantity = table["quantity"].to_numpy()
    out = np.empty_like(predicted, dtype=float)
    for q in np.unique(quantity):
        k = np.flatnonzero(quantity == q)
        if q == "buildings_without_heat":
            out[:, k] = smc.log_lik_buildings(y[k], predicted[:, k], float(cfg.heat_dispersion),
                                              float(cfg.heat_offset_buildings))
        elif q == "share_without_power":
            out[:, k] = smc.log_lik_share(y[k], predicted[:, k], float(cfg.power_precision))
        else:
            out[:, k] = smc.log_lik_queues(y[k], predicted[:, k], float(cfg.queue_sd), n_queues)
    return out


def least_expected(reports: Observations, predicted: np.ndarray, loglik: np.ndarray, prior: np.ndarray,
                    at: np.datetime64) -> str:
    """The report at time ``at`` with the lowest predictive probability under the weights before it."""
    table = reports.table
    k_at = np.flatnonzero(table["time"].to_numpy("datetime64[ns]") == to_datetime64(at))
    log_pred = smc.log_mean_exp(loglik[:, k_at], prior[:, None], axis=0)
    k = int(k_at[np.argmin(log_pred)])
    row = table.iloc[k]
    p5, p95 = weighted_quantile(predicted[:, k], prior, [0.05, 0.95])
    fmt = (lambda v: f"{v:.2f}") if row["quantity"] == "share_without_power" else (lambda v: f"{v:,.1f}")
    place = "the city" if row["district_index"] == CITY else row["district"]
    return (f"{row['quantity']} in {place} (line {row['line']}): reported {fmt(row['value'])}, "
            f"ensemble 5-95 % {fmt(p5)}-{fmt(p95)}")
