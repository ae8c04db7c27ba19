"""Nowcasting: weight the realizations of a run by how well they reproduce what the city reported.

The chain calls :func:`load_reports` before the simulation (a bad file stops the run before anything is
computed) and :func:`condition` on the assembled Dataset. Each report (:mod:`sim.observations`) is
predicted by every realization from the run's own outputs (:func:`predict_reports`), scored by the error
model of :mod:`sim.smc`, and the realizations are weighted sequentially over the report times. The
weights (``realization_weight``) and their effective sample size over time (``effective_sample_size``)
go into ``result.nc``, with the reports themselves (``report_*`` on a ``report`` dimension) so that a
brief can show them against the ensemble.

This is stage A of the nowcast (docs/nowcast.md): importance weights on the ensemble as simulated
from ``start``. Stage B adds the rejuvenation of degenerate ensembles (restarts from warm starts built
from the reported state) and the conditioned statistics in the brief, ``headline.csv`` and
``summary.csv`` (:mod:`sim.weighted_stats`).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from scipy.special import logsumexp

from sim import smc
from sim.observations import CITY, Observations, read_observations
from sim.timegrid import TimeGrid
from sim.weighted_stats import weighted_quantile

__all__ = ["condition", "load_reports", "log_likelihood", "predict_reports", "twin_reports", "uniform_weights",
           "weight_variables"]

log = logging.getLogger("coldgrid")


def load_reports(cfg: Any, district_names: list[str], district_codes: list[str], grid: TimeGrid,
                 n_queues: int) -> Observations | None:
    """Read ``nowcast.observations`` for a run on ``grid``; None when the run is not a nowcast.

    Parameters
    ----------
    cfg : NowcastConfig or omegaconf.DictConfig
        The ``nowcast`` group.
    district_names, district_codes : list of str
        The city's districts (names and KATOTTH codes, in order).
    grid : TimeGrid
        The run's grid: reports must lie in ``[start, start + horizon)``.
    n_queues : int
        The city's outage queues. [queues]
    """
    if cfg is None or not getattr(cfg, "observations", None):
        return None
    end = grid.start + np.timedelta64(round(grid.horizon_h * 3600e9), "ns")
    return read_observations(cfg.observations, district_names, district_codes, start=grid.start, end=end,
                             n_queues=n_queues, as_of=cfg.as_of)


def predict_reports(ds: xr.Dataset, reports: Observations) -> np.ndarray:
    """What each realization says each report should be: shape (R, K), in the report's units.

    ``buildings_without_heat`` and ``share_without_power`` of a district are read from the Dataset at
    the step holding the report's time; a city total sums the districts' buildings, and weights their
    shares by ``population``; ``queues_off`` is city-wide.
    """
    table = reports.table
    times = ds["time"].values
    step = np.searchsorted(times, table["time"].to_numpy("datetime64[ns]"), side="right") - 1
    if np.any(step < 0):
        raise ValueError("a report precedes the run's first step")
    district = table["district_index"].to_numpy()
    quantity = table["quantity"].to_numpy()
    R = ds.sizes["realization"]
    out = np.empty((R, len(table)))
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


def weight_variables(times: np.ndarray, weights: np.ndarray, ess: np.ndarray) -> dict[str, xr.DataArray]:
    """``realization_weight (realization)`` and ``effective_sample_size (time)`` as Dataset variables.

    Parameters
    ----------
    times : numpy.ndarray
        The run's step starts, shape (T,).
    weights : numpy.ndarray
        Normalized weights, shape (R,): 1/R when the run is not a nowcast. [1]
    ess : numpy.ndarray
        Effective sample size after the reports up to each step, shape (T,). [realizations]
    """
    return {
        "realization_weight": xr.DataArray(
            np.asarray(weights, dtype=np.float64), dims=("realization",),
            attrs={"units": "1", "long_name": "weight of the realization in every statistic (sums to 1; "
                                              "1/R unless the run is conditioned on reports)"}),
        "effective_sample_size": xr.DataArray(
            np.asarray(ess, dtype=np.float64), dims=("time",), coords={"time": times},
            attrs={"units": "1", "long_name": "effective sample size of the realization weights after the "
                                              "reports up to the step (Kish; R without reports)"}),
    }


def uniform_weights(times: np.ndarray, n_realizations: int) -> dict[str, xr.DataArray]:
    """:func:`weight_variables` of a run that is not a nowcast: weights 1/R, ESS R."""
    R = int(n_realizations)
    return weight_variables(times, np.full(R, 1.0 / R), np.full(len(times), float(R)))


def condition(ds: xr.Dataset, reports: Observations | None, cfg: Any, n_queues: int) -> xr.Dataset:
    """Weight the realizations of ``ds`` by the reports; the Dataset itself when there are none.

    Returns a copy with ``realization_weight``, ``effective_sample_size``, the reports (``report_time``,
    ``report_district``, ``report_quantity``, ``report_value`` on a ``report`` dimension) and the global
    attributes ``nowcast_as_of``, ``nowcast_reports`` and ``nowcast_status`` (one line; it says when the
    ensemble collapsed, and the collapse is logged as a warning).
    """
    if reports is None:
        return ds
    R = ds.sizes["realization"]
    times = ds["time"].values
    out = ds.copy()
    out.attrs["nowcast_as_of"] = str(np.datetime64(reports.as_of, "m"))
    out.attrs["nowcast_observations"] = reports.source
    out.attrs["nowcast_reports"] = len(reports)
    out = out.assign(_report_variables(reports))
    if len(reports) == 0:
        out.attrs["nowcast_status"] = f"nowcast: {reports.describe()}; the ensemble is unconditioned"
        return out
    predicted = predict_reports(ds, reports)
    loglik = log_likelihood(reports, predicted, cfg, n_queues)
    report_time = reports.table["time"].to_numpy("datetime64[ns]")
    seq = smc.sequential_weights(loglik, report_time)
    # ESS over the grid: R before the first report, then that after the last report at or before each step
    after = np.searchsorted(seq.times.astype("datetime64[ns]"), times, side="right") - 1
    ess_t = np.where(after >= 0, seq.ess[np.maximum(after, 0)], float(R))
    out = out.assign(weight_variables(times, seq.final, ess_t))
    low = np.flatnonzero(seq.ess < float(cfg.collapse_ess_frac) * R)
    final_ess = float(seq.ess[-1])
    if smc.is_collapsed(final_ess, R, float(cfg.collapse_ess_frac)):
        i = int(low[0])
        prior = seq.weights[i - 1] if i > 0 else np.full(R, 1.0 / R)
        at = str(np.datetime64(seq.times[i], "m")).replace("T", " ")
        status = smc.collapse_message(float(seq.ess[i]), R, at,
                                      _least_expected(reports, predicted, loglik, prior, seq.times[i]))
        log.warning("coldgrid: %s", status)
    else:
        status = (f"nowcast: conditioned on {reports.describe()}; effective sample size {final_ess:.0f} of "
                  f"{R} realizations")
    out.attrs["nowcast_status"] = status
    return out


def twin_reports(ds: xr.Dataset, realization: int, times: np.ndarray, cfg: Any, n_queues: int,
                 rng: np.random.Generator | None = None) -> pd.DataFrame:
    """Synthetic reports of one realization ("the truth" of an identical-twin experiment), as a reports table.

    At each time: ``buildings_without_heat`` and ``share_without_power`` per district, ``queues_off`` for
    the city, drawn from the error model of ``cfg`` (:mod:`sim.smc` samplers) with ``rng``, or exact
    (buildings rounded) without ``rng``. Write it with ``DataFrame.to_csv(path, index=False)`` and pass
    the file as ``nowcast.observations``.

    Parameters
    ----------
    ds : xarray.Dataset
        A run (the truth is its realization ``realization``).
    realization : int
        Index along ``realization``.
    times : numpy.ndarray
        Report times (datetime64), each within the run.
    cfg : NowcastConfig or omegaconf.DictConfig
        The error model.
    n_queues : int
        The city's outage queues. [queues]
    rng : numpy.random.Generator, optional
        Seeded generator (``sim.rng.stream``); None gives error-free reports.
    """
    truth = ds.isel(realization=realization)
    when = np.asarray(times, dtype="datetime64[ns]")
    step = np.searchsorted(ds["time"].values, when, side="right") - 1
    heat = truth["buildings_without_heat"].transpose("time", "district").values[step]  # (n, D)
    power = truth["share_without_power"].transpose("time", "district").values[step]
    queues = truth["queues_off"].values[step]
    if rng is not None:
        heat = smc.sample_buildings(heat, float(cfg.heat_dispersion), float(cfg.heat_offset_buildings), rng)
        power = smc.sample_share(power, float(cfg.power_precision), rng)
        queues = smc.sample_queues(queues, float(cfg.queue_sd), n_queues, rng)
    districts = [str(d) for d in ds["district"].values]
    stamp = pd.DatetimeIndex(when).strftime("%Y-%m-%dT%H:%M")
    rows = []
    for i, t in enumerate(stamp):
        rows += [{"time": t, "district": d, "buildings_without_heat": round(float(heat[i, j])),
                  "share_without_power": round(float(power[i, j]), 4), "queues_off": None}
                 for j, d in enumerate(districts)]
        rows.append({"time": t, "district": "city", "buildings_without_heat": None, "share_without_power": None,
                     "queues_off": float(queues[i])})
    return pd.DataFrame(rows, columns=["time", "district", "buildings_without_heat", "share_without_power",
                                       "queues_off"]).astype({"buildings_without_heat": "Int64"})


def _least_expected(reports: Observations, predicted: np.ndarray, loglik: np.ndarray, prior: np.ndarray,
                    at: np.datetime64) -> str:
    """The report at time ``at`` with the lowest predictive probability under the weights before it."""
    table = reports.table
    k_at = np.flatnonzero(table["time"].to_numpy("datetime64[ns]") == np.datetime64(at, "ns"))
    log_pred = logsumexp(loglik[:, k_at], b=prior[:, None], axis=0)
    k = int(k_at[np.argmin(log_pred)])
    row = table.iloc[k]
    p5, p95 = weighted_quantile(predicted[:, k], prior, [0.05, 0.95])
    fmt = (lambda v: f"{v:.2f}") if row["quantity"] == "share_without_power" else (lambda v: f"{v:,.1f}")
    place = "the city" if row["district_index"] == CITY else row["district"]
    return (f"{row['quantity']} in {place} (line {row['line']}): reported {fmt(row['value'])}, "
            f"ensemble 5-95 % {fmt(p5)}-{fmt(p95)}")


def _report_variables(reports: Observations) -> dict[str, xr.DataArray]:
    t = reports.table
    dims = ("report",)
    return {
        "report_time": xr.DataArray(t["time"].to_numpy("datetime64[ns]"), dims=dims,
                                    attrs={"long_name": "time of the report (local)"}),
        "report_district": xr.DataArray(t["district"].to_numpy(str), dims=dims,
                                        attrs={"long_name": "district of the report, or city for a city total"}),
        "report_quantity": xr.DataArray(t["quantity"].to_numpy(str), dims=dims,
                                        attrs={"long_name": "reported variable (a variable of this file)"}),
        "report_value": xr.DataArray(t["value"].to_numpy(float), dims=dims,
                                     attrs={"units": "1", "long_name": "reported value, in the units of "
                                                                       "report_quantity"}),
    }
