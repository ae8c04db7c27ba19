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

from sim import smc
from sim.observations import Observations, read_observations
from sim.predicted_reports import least_expected, log_likelihood, predict_reports, to_datetime64
from sim.rejuvenation import assimilate, pooled_weights
from sim.timegrid import TimeGrid

#: The nowcast's weight variables (replaced, not pooled, when generations are appended).
WEIGHT_VARIABLES = ("realization_weight", "effective_sample_size")

__all__ = ["WEIGHT_VARIABLES", "condition", "load_reports", "log_likelihood", "predict_reports", "twin_reports", "uniform_weights",
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


def condition(ds: xr.Dataset, reports: Observations | None, cfg: Any, n_queues: int,
              restart: Any = None, warm_start: Any = None, end: np.datetime64 | None = None,
              ancestors: Any = None, mover: Any = None) -> xr.Dataset:
    """Condition the run ``ds`` on the reports; the Dataset itself when there are none.

    The filter (:func:`sim.rejuvenation.assimilate`) weights the realizations report time by report time
    and, given ``restart`` and ``warm_start`` (the chain's), rejuvenates a degenerate ensemble with
    realizations restarted from the reported state (or, given ``ancestors`` instead of ``warm_start``, from
    resampled ancestors' histories: ``nowcast.rejuvenation=ancestors``); their Datasets are appended along ``realization``
    (variable ``generation``: 0 the run itself). Returns a copy with ``realization_weight``,
    ``effective_sample_size``, the reports (``report_time``, ``report_district``, ``report_quantity``,
    ``report_value`` on a ``report`` dimension), the filter's trace (``assimilation_time``,
    ``ess_before_restart``, ``ess_after_restart``, ``restarted`` on an ``assimilation`` dimension) and the
    global attributes ``nowcast_as_of``, ``nowcast_reports``, ``nowcast_restarts`` and ``nowcast_status``
    (one line; it says when the ensemble collapsed and what was done, and a collapse is logged as a warning).

    With ``mover`` (an ancestor builder; the forecast move, :func:`sim.rejuvenation.forecast_move`, so far used by the
    identical-twin experiment only: ``settings['forecast_move']`` of :func:`sim.validation.nowcast.twin_experiment`),
    the forecast is carried by R realizations resampled from the pool at ``as_of`` and continued from their
    ancestors' histories with fresh futures: appended last with equal weights (the pool keeps weight 0),
    ``ancestor`` pointing at each one's ancestor; the attributes ``nowcast_forecast_move`` (one line),
    ``nowcast_forecast_move_ancestors`` (distinct ancestors) and ``nowcast_ess_before_move`` (the pool's
    effective sample size, also ``effective_sample_size``: the reports' state estimate is the pool's).
    """
    if reports is None:
        return ds
    R = ds.sizes["realization"]
    times = ds["time"].values
    out = ds.copy()
    out.attrs["nowcast_as_of"] = str(to_datetime64(reports.as_of, "m"))
    out.attrs["nowcast_observations"] = reports.source
    out.attrs["nowcast_reports"] = len(reports)
    out.attrs["nowcast_prior_realizations"] = int(R)
    out.attrs["nowcast_restarts"] = 0
    out = out.assign(_report_variables(reports))
    if len(reports) == 0:
        out.attrs["nowcast_status"] = f"nowcast: {reports.describe()}; {smc.UNCONDITIONED_SUFFIX}"
        return out
    result = assimilate(ds, reports, cfg, n_queues, restart=restart, warm_start=warm_start, end=end,
                        ancestors=ancestors, mover=mover)
    if len(result.all_generations) > 1:
        out = _pooled(out, result)
    out = out.assign(weight_variables(times, result.weights, result.ess_on(times)))
    out = out.assign(_trace_variables(result))
    out.attrs["nowcast_restarts"] = len(result.generations) - 1
    out.attrs["nowcast_restart_states"] = " | ".join(
        f"{to_datetime64(g.restart, 'm')}: {g.warm.summary}" for g in result.generations[1:] if g.warm is not None)
    moved = result.moved
    if moved is not None and moved.warm is not None and result.ess_before_move is not None:
        out.attrs["nowcast_forecast_move"] = result.log[-1]
        out.attrs["nowcast_forecast_move_ancestors"] = moved.warm.distinct_ancestors
        out.attrs["nowcast_ess_before_move"] = float(result.ess_before_move)
    status = result.status
    if result.collapsed:
        status = _withleast_expected(status, result, reports)
        log.warning("coldgrid: %s", status)
    out.attrs["nowcast_status"] = status
    return out


def _pooled(out: xr.Dataset, result: Any) -> xr.Dataset:
    """The generations' Datasets along ``realization`` (renumbered), with ``generation (realization)``."""
    per_r = [v for v in out.data_vars if "realization" in out[v].dims and v not in WEIGHT_VARIABLES]
    parts = [out[per_r]] + [g.dataset[per_r] for g in result.all_generations[1:]]
    pooled = xr.concat(parts, dim="realization", data_vars="all", coords="minimal", compat="override",
                       join="exact", combine_attrs="override")
    pooled = pooled.assign_coords(realization=("realization", np.arange(pooled.sizes["realization"]),
                                               out["realization"].attrs))
    rest = out.drop_vars([*per_r, *[v for v in WEIGHT_VARIABLES if v in out]]).drop_dims("realization",
                                                                                         errors="ignore")
    merged = xr.merge([rest, pooled], combine_attrs="override")
    merged.attrs = dict(out.attrs)
    merged["generation"] = xr.DataArray(
        result.generation.astype(np.int64), dims=("realization",),
        attrs={"units": "1", "long_name": "nowcast generation of the realization (0: the run from start; g >= 1: "
                                          "restarted at assimilation time g; the last, with the forecast move: "
                                          "the forecast resampled at as_of)"})
    if any(g.warm is not None and g.warm.ancestors is not None for g in result.all_generations):
        merged["ancestor"] = xr.DataArray(
            _ancestors(result.all_generations), dims=("realization",),
            attrs={"units": "1", "long_name": "realization (index in this file) whose history the realization "
                                              "continues (nowcast.rejuvenation=ancestors, the forecast move); "
                                              "-1: none"})
    merged.attrs["realizations"] = int(merged.sizes["realization"])
    return merged


def _ancestors(gens: list[Any]) -> np.ndarray:
    """Pooled index of each realization's ancestor (-1: generation 0, or a reported-state restart)."""
    first = np.concatenate([[0], np.cumsum([g.size for g in gens])[:-1]]).astype(np.int64)
    out = np.full(int(sum(g.size for g in gens)), -1, dtype=np.int64)
    for i, g in enumerate(gens):
        if g.warm is not None and g.warm.ancestors is not None:
            a = np.asarray(g.warm.ancestors, dtype=np.int64)
            out[first[i]:first[i] + g.size] = first[a[:, 0]] + a[:, 1]
    return out


def _trace_variables(result: Any) -> dict[str, xr.DataArray]:
    tr = result.trace
    dims = ("assimilation",)
    return {
        "assimilation_time": xr.DataArray(tr["time"].to_numpy("datetime64[ns]"), dims=dims,
                                          attrs={"long_name": "report time assimilated by the nowcast filter"}),
        "ess_before_restart": xr.DataArray(tr["ess_before"].to_numpy(float), dims=dims,
                                           attrs={"units": "1", "long_name": "effective sample size after the "
                                                                             "reports of the time, before any rejuvenation"}),
        "ess_after_restart": xr.DataArray(tr["ess_after"].to_numpy(float), dims=dims,
                                          attrs={"units": "1", "long_name": "effective sample size after the "
                                                                            "reports of the time and any rejuvenation"}),
        "restarted": xr.DataArray(tr["restarted"].to_numpy(np.int8), dims=dims,
                                  attrs={"units": "1", "long_name": "1 where the ensemble was rejuvenated "
                                                                    "(realizations restarted from the reported state)"}),
    }


def _withleast_expected(status: str, result: Any, reports: Observations) -> str:
    """Insert the report the ensemble expected least (at the first time its ESS fell below the collapse
    threshold) into a collapse message."""
    at = result.collapse_time
    report_time = reports.table["time"].to_numpy("datetime64[ns]")
    gens = [g for g in result.generations if g.restart is None or g.restart <= at]
    earlier = reports.times[reports.times < at]
    prior = (pooled_weights(gens, report_time, earlier[-1])[0] if len(earlier)
             else np.concatenate([np.full(g.size, 1.0) for g in gens]) / sum(g.size for g in gens))
    predicted = np.concatenate([g.predicted for g in gens])
    loglik = np.concatenate([g.loglik for g in gens])
    worst = least_expected(reports, predicted, loglik, prior, at)
    head, sep, tail = status.partition("; the conditioned figures")
    return f"{head}; least expected: {worst}{sep}{tail}" if sep else status


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
