"""The nowcast filter: sequential importance weights over report times, with rejuvenation.

The prior ensemble (generation 0: the run as simulated from ``start``) is weighted report time by report
time (:func:`sim.smc.sequential_weights`). When the effective sample size falls below
``nowcast.resample_ess_frac`` R at a report time ``t_k`` (Doucet & Johansen 2009, the usual rule), the
ensemble is **rejuvenated**: a new generation of ``nowcast.restart_realizations`` realizations is
simulated from the reported state at ``t_k`` (:mod:`sim.warm_start`: the damage that explains the
reports, as ``attacks.hits``; fresh random streams for everything else: later waves, repairs, drains,
weather members as the prior's). Each generation ``g`` starts with equal weights at its restart time and
is weighted by the reports after it; generations are combined, not replaced, at most
``nowcast.max_rejuvenations`` times.

Estimator
---------
Within generation ``g`` the self-normalized importance weights ``w~_gj`` (Geweke 1989, Econometrica
57(6) 1317-1339) estimate the posterior of that generation's model: for ``g = 0`` the model itself, for
``g >= 1`` the model restarted from the reported state at ``t_g``. A restarted generation's weights are
equal at ``t_g`` and use only the reports after it: its states were built from the reports up to
``t_g``, so weighting them by the reports of ``t_g`` again would use those reports twice (in a
resample-move filter the weights are equal after the move: Gilks & Berzuini 2001, J. R. Stat. Soc. B
63(1) 127-146; Doucet & Johansen 2009). The first version weighted them by the reports of ``t_g`` too,
and the random grid damage of the restarted realizations (substations, feeders of the onset wave) left a
handful of them effective at once (docs/nowcast.md, "The forecast criterion"). The generations are competing
hypotheses about the state (the model's own histories, or one of the reported-state warm starts), and
they are pooled as in Bayesian model averaging (Hoeting, Madigan, Raftery & Volinsky 1999, Stat. Sci.
14(4) 382-417) with equal prior odds: ``lambda_g`` proportional to the generation's evidence on the
reports every generation can be scored on, those from the latest restart ``t*`` on (including those
of ``t*``, which measure how well a warm start reproduces them; leaving them out of the evidence too
was tried and was worse in the twin experiment),
``Z_g = sum_j w~_gj(< t*) prod_{k: t_k >= t*} p(y_k | x_gj)`` (the predictive likelihood of those reports
given the generation's own earlier reports; the importance-sampling estimate of the evidence, Chopin &
Papaspiliopoulos 2020, *An Introduction to Sequential Monte Carlo*, Springer, ch. 10). A generation the
reports rule out carries almost nothing however even its weights are (a generation of identical bad
histories has a full ESS but no evidence), which is the point of the rejuvenation; a warm start that
explains the reports better than the prior takes over. The effective sample size is Kish's of the pooled
weights (Kong, Liu & Wong 1994). An ensemble whose pooled ESS stays below ``nowcast.collapse_ess_frac`` R
after the last report has collapsed: the run says so in one line and the brief withholds the confident
numbers. This is an approximation: the evidence of a warm-start generation ignores how likely its
restart state was before ``t_g`` (the warm start is a point estimate of it, not a draw from the
posterior), so the pool is not an exact posterior; docs/nowcast.md, "Limitations".

The filter only needs each generation's predictions of the reports; :func:`assimilate` takes the prior's
Dataset and a callable that simulates a generation from a :class:`~sim.warm_start.WarmStart`, so that the
chain (the full model) and the identical-twin validation (the supply model only) share it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from scipy.special import logsumexp

from sim import smc
from sim.observations import Observations
from sim.predicted_reports import log_likelihood, predict_reports, to_datetime64
from sim.rng import stream
from sim.warm_start import WarmStart

__all__ = ["FilterResult", "Generation", "assimilate", "forecast_move", "generation_seed", "move_time", "pooled_weights"]

log = logging.getLogger("coldgrid")

#: Simulates generation ``g`` (>= 1) from a warm start; returns a Dataset with the reported variables.
Restart = Callable[[int, WarmStart], xr.Dataset]
#: Builds the warm start at a report time from the reports (and the current pooled ensemble's median queues).
WarmStartBuilder = Callable[[np.datetime64, float], WarmStart]
#: Builds an ancestor warm start at a report time from the pooled weights and the generations' sizes (in
#: pool order): resamples the ancestors (:func:`sim.ancestor_start.resample_ancestors`).
AncestorBuilder = Callable[[np.datetime64, np.ndarray, list[int]], WarmStart]


def generation_seed(seed: int, generation: int) -> int:
    """The seed of generation ``g``: every stream of the restarted realizations differs from the prior's
    (``sim.rng.stream(seed, "nowcast_generation", -1, g)``); generation 0 is ``seed`` itself."""
    if generation == 0:
        return int(seed)
    return int(stream(int(seed), "nowcast_generation", -1, int(generation)).integers(0, 2**31 - 1))


@dataclass
class Generation:
    """One generation of the filter: its Dataset, restart time and the log-likelihood of every report."""

    index: int
    dataset: xr.Dataset
    loglik: np.ndarray  # (R_g, K) log p(report k | realization), all reports
    predicted: np.ndarray  # (R_g, K) the reports as each realization predicts them
    restart: np.datetime64 | None = None  # None: the prior, weighted by every report
    warm: WarmStart | None = None

    @property
    def size(self) -> int:
        return int(self.dataset.sizes["realization"])

    def weights(self, report_time: np.ndarray, upto: np.datetime64 | None) -> np.ndarray:
        """Normalized weights after the reports up to ``upto`` (all: None); a restarted generation's by the
        reports after its restart only (equal at the restart). [1]"""
        use = np.ones(len(report_time), dtype=bool)
        if upto is not None:
            use &= report_time <= to_datetime64(upto)
        if self.restart is not None:
            use &= report_time > to_datetime64(self.restart)  # equal weights at the restart (module docstring)
        if not use.any():
            return np.full(self.size, 1.0 / self.size)
        seq = smc.sequential_weights(self.loglik[:, use], list(report_time[use]))
        return seq.final


def pooled_weights(gens: list[Generation], report_time: np.ndarray, upto: np.datetime64 | None
                   ) -> tuple[np.ndarray, float]:
    """Weights of the pooled realizations (generations in order) and their Kish effective sample size.

    ``lambda_g w~_gj`` with ``lambda_g`` proportional to generation g's evidence on the reports it shares
    with every other generation, those from the latest restart ``t*`` up to ``upto`` (module docstring):
    ``Z_g = sum_j w~_gj(< t*) prod_k p(y_k | x_gj)``, ``w~_gj(< t*)`` its weights by its own reports
    before ``t*``. The pooled ESS is Kish's of the pooled weights.
    """
    within = [g.weights(report_time, upto) for g in gens]
    if len(gens) == 1:
        return within[0], float(smc.effective_sample_size(within[0]))
    t_star = max(to_datetime64(g.restart) for g in gens if g.restart is not None)
    common = report_time >= t_star
    if upto is not None:
        common &= report_time <= to_datetime64(upto)
    log_z = np.empty(len(gens))
    for i, g in enumerate(gens):
        before = g.weights(report_time, t_star - np.timedelta64(1, "ns")) if (
            g.restart is None or g.restart < t_star) else np.full(g.size, 1.0 / g.size)
        with np.errstate(divide="ignore"):
            log_z[i] = logsumexp(np.log(before) + g.loglik[:, common].sum(axis=1))
    lam = np.exp(log_z - log_z.max())
    lam /= lam.sum()
    w = np.concatenate([lam[i] * wi for i, wi in enumerate(within)])
    return w, float(smc.effective_sample_size(w))


@dataclass
class FilterResult:
    """What the filter did: generations, pooled weights, the ESS at each report time, the status line."""

    generations: list[Generation]
    weights: np.ndarray  # (N,) pooled, sums to 1
    trace: pd.DataFrame  # per report time: time, ess_before, ess_after, restarted, generations
    status: str
    collapsed: bool
    n_target: int
    log: list[str] = field(default_factory=list)
    collapse_time: np.datetime64 | None = None  # the report time from which the pooled ESS stayed collapsed
    moved: Generation | None = None  # the forecast move's generation (with a mover), after the pool
    ess_before_move: float | None = None  # the pooled ESS of the reports, before the forecast move [1]

    @property
    def all_generations(self) -> list[Generation]:
        """The pool's generations, then the forecast move's (if any): the order of :attr:`weights`."""
        return [*self.generations, *([self.moved] if self.moved is not None else [])]

    @property
    def generation(self) -> np.ndarray:
        """Generation of each realization in :attr:`weights` (the pool, then the move's), shape (N,)."""
        return np.concatenate([np.full(g.size, g.index) for g in self.all_generations])

    def ess_on(self, times: np.ndarray) -> np.ndarray:
        """Pooled ESS after the reports up to each of ``times`` (after any rejuvenation then); R before."""
        t = self.trace["time"].to_numpy("datetime64[ns]")
        after = np.searchsorted(t, np.asarray(times, dtype="datetime64[ns]"), side="right") - 1
        e = self.trace["ess_after"].to_numpy(float)
        return np.where(after >= 0, e[np.maximum(after, 0)], float(self.n_target))


def _generation(index: int, ds: xr.Dataset, reports: Observations, cfg: Any, n_queues: int,
                restart: np.datetime64 | None = None, warm: WarmStart | None = None) -> Generation:
    pred = predict_reports(ds, reports)
    return Generation(index, ds, log_likelihood(reports, pred, cfg, n_queues), pred, restart, warm)


def _fmt(t: np.datetime64) -> str:
    return str(to_datetime64(t, "m")).replace("T", " ")


def assimilate(prior: xr.Dataset, reports: Observations, cfg: Any, n_queues: int,
               restart: Restart | None = None, warm_start: WarmStartBuilder | None = None,
               end: np.datetime64 | None = None, ancestors: AncestorBuilder | None = None,
               mover: AncestorBuilder | None = None) -> FilterResult:
    """Condition ``prior`` on ``reports``, rejuvenating degenerate ensembles (module docstring).

    Parameters
    ----------
    prior : xarray.Dataset
        The run as simulated from ``start`` (R realizations), with the reported variables.
    reports : Observations
        At least one report.
    cfg : NowcastConfig or omegaconf.DictConfig
        The ``nowcast`` group (error model, ``resample_ess_frac``, ``collapse_ess_frac``,
        ``max_rejuvenations``).
    n_queues : int
        The city's outage queues. [queues]
    restart, warm_start : callable, optional
        Simulate a generation from a warm start, and build the warm start at a report time; without them
        the filter only weights (stage A).
    end : numpy.datetime64, optional
        The run's end: no rejuvenation at a report time at or after it.
    ancestors : callable, optional
        Instead of ``warm_start``: build the warm start from ancestors resampled by the pooled weights
        (``nowcast.rejuvenation=ancestors``, :mod:`sim.ancestor_start`).
    mover : callable, optional
        The ancestor builder of the forecast move (:func:`forecast_move`; the twin experiment's ``forecast_move`` setting);
        ``restart`` must then accept ancestors from every generation of the pool.
    """
    R = int(prior.sizes["realization"])
    report_time = reports.table["time"].to_numpy("datetime64[ns]")
    gens = [_generation(0, prior, reports, cfg, n_queues)]
    frac = float(cfg.resample_ess_frac)
    max_g = int(getattr(cfg, "max_rejuvenations", 0) or 0) if restart is not None else 0
    rows, messages = [], []
    for t in reports.times:
        w, ess_before = pooled_weights(gens, report_time, t)
        restarted, ess_after = False, ess_before
        can = (warm_start is not None or ancestors is not None) and len(gens) - 1 < max_g and (end is None or t < end)
        if ess_before < frac * R and can and restart is not None:
            if ancestors is not None:
                warm = ancestors(t, w, [g.size for g in gens])
            else:
                assert warm_start is not None
                warm = warm_start(t, _median_queues(gens, w, reports, t))
            g = len(gens)
            ds = restart(g, warm)
            gens.append(_generation(g, ds, reports, cfg, n_queues, restart=t, warm=warm))
            restarted = True
            w, ess_after = pooled_weights(gens, report_time, t)
            how = (warm.summary if warm.ancestors is not None else
                   f"{gens[-1].size} realizations restarted from the reported state ({warm.summary})")
            messages.append(f"effective sample size {ess_before:.1f} of {R} after the reports of {_fmt(t)}: "
                            f"{how}, pooled effective sample size {ess_after:.1f}")
            log.info("coldgrid: nowcast: %s", messages[-1])
        rows.append({"time": to_datetime64(t), "ess_before": ess_before, "ess_after": ess_after,
                     "restarted": restarted, "generations": len(gens)})
    trace = pd.DataFrame(rows)
    weights, final = pooled_weights(gens, report_time, None)
    collapsed = smc.is_collapsed(final, R, float(cfg.collapse_ess_frac))
    n_restarts = len(gens) - 1
    done = (f"; rejuvenated {n_restarts} time{'s' if n_restarts != 1 else ''}: " + "; ".join(messages)
            if n_restarts else "")
    collapse_time = None
    if collapsed:  # named by the first report time from which the ensemble stayed collapsed
        low = trace["ess_after"].to_numpy(float) < float(cfg.collapse_ess_frac) * R
        i = len(low) - 1
        while i > 0 and low[i - 1]:
            i -= 1
        collapse_time = to_datetime64(trace["time"].iloc[i])
        status = smc.collapse_message(float(trace["ess_after"].iloc[i]), R, _fmt(collapse_time)) + done
    else:
        status = (f"nowcast: conditioned on {reports.describe()}; effective sample size {final:.0f} of {R} "
                  f"realizations" + (f" ({sum(g.size for g in gens)} in {len(gens)} generations)" if n_restarts
                                     else "") + done)
    result = FilterResult(gens, weights, trace, status, collapsed, R, messages, collapse_time)
    if mover is not None and restart is not None:
        forecast_move(result, reports, cfg, n_queues, restart, mover, end)
    return result


def move_time(reports: Observations, end: np.datetime64 | None) -> np.datetime64:
    """When the forecast move starts the fresh futures: ``nowcast.as_of``, or the last report time when
    ``as_of`` is at or after the run's ``end``."""
    at = to_datetime64(reports.as_of)
    if end is not None and at >= to_datetime64(end):
        at = to_datetime64(reports.times[-1])
    return at


def forecast_move(result: FilterResult, reports: Observations, cfg: Any, n_queues: int, restart: Restart,
                  mover: AncestorBuilder, end: np.datetime64 | None = None) -> FilterResult:
    """The final resample-move (in place; with a ``mover``): the forecast from the filtered state
    with fresh futures.

    At ``t_m`` = ``nowcast.as_of`` (:func:`move_time`), after the last report, R ancestors are drawn from
    the final pooled weights (systematic resampling, :func:`sim.ancestor_start.resample_ancestors`) and
    each is continued from its own history before ``t_m`` with fresh randomness after it (waves, targets,
    damage, the residual repair work of repairs in progress at ``t_m``: :func:`sim.ancestor_start.
    ancestor_campaign`); the moved generation carries the forecast with equal weights, the pool keeps
    weight 0 (the resample-move rule: Gilks & Berzuini 2001, J. R. Stat. Soc. B 63(1) 127-146; Doucet &
    Johansen 2009, sect. 4). Without it a pool that has collapsed to one history forecasts one future of
    waves and repairs, a deterministic forecast of a random future. The move changes the forecast's
    spread, not the filter's state estimate: the effective sample size of the reports, the collapse flag
    and the status keep the pool's (``ess_before_move``), and the status names the distinct ancestors.
    """
    gens = result.generations
    R = result.n_target
    t_m = move_time(reports, end)
    warm = mover(t_m, result.weights, [g.size for g in gens])
    g = len(gens)
    moved = _generation(g, restart(g, warm), reports, cfg, n_queues, restart=t_m, warm=warm)
    n_moved = moved.size
    distinct = warm.distinct_ancestors
    result.ess_before_move = float(smc.effective_sample_size(result.weights))
    result.moved = moved
    result.weights = np.concatenate([np.zeros(sum(x.size for x in gens)), np.full(n_moved, 1.0 / n_moved)])
    line = (f"forecast from {_fmt(t_m)}: {n_moved} realizations resampled from {distinct} distinct "
            f"histor{'ies' if distinct != 1 else 'y'} of the pool (effective sample size "
            f"{result.ess_before_move:.1f} of {R}), fresh futures after it")
    result.log.append(line)
    result.status = f"{result.status}; {line}"
    log.info("coldgrid: nowcast: %s", line)
    return result


def _median_queues(gens: list[Generation], w: np.ndarray, reports: Observations, t: np.datetime64) -> float:
    """The pooled ensemble's weighted median of queues off at ``t`` (for a warm start without a queue report)."""
    from sim.weighted_stats import weighted_quantile

    q = np.concatenate([g.dataset["queues_off"].sel(time=t, method="ffill").values for g in gens])
    return float(weighted_quantile(q, w, 0.5))
