"""The ancestor warm start: restarted realizations that continue resampled histories (no DES snapshot).

The design's rejuvenation (docs/nowcast.md, "Stage B design": resample-move; Gilks & Berzuini 2001, J. R.
Stat. Soc. B 63(1) 127-146) resamples ancestors by their weights at the report time ``t_g`` and restarts
each from its *own* state. The DES has no snapshot, but its state at ``t_g`` is a function of its inputs
before ``t_g``: the strike campaign (waves, hits with their damage and repair work, air-raid alerts) and
the random draws of drains, restarts and outage queues. The repair shop (crews by priority, spare and
mobile transformers, alerts that stop work; :mod:`sim.des.repair`) uses no random numbers, so a run from
``start`` that is given the ancestor's campaign before ``t_g`` repairs what the ancestor repaired, when it
did. Restarted realization ``i`` of generation ``g`` therefore gets, as its campaign
(:func:`ancestor_campaign`):

* **before t_g, its ancestor's history**: every wave of ancestor ``a_i`` with onset before ``t_g``
  (with its emergency outage), every hit (node, onset, damage level, unit struck, transformer need as the
  ancestor drew them) and every air-raid alert that began before ``t_g``. Repairs the ancestor finished by
  ``t_g`` (a ``repair_done`` of the node in its DES event log after the onset; a CHP unit back by its own
  timer) keep their repair work exactly; a repair still in progress at ``t_g`` is redrawn from the
  lognormal repair-time distribution of its kind and level conditioned on lasting past the time since its
  onset (the residual life: the truncated-lognormal draw of :func:`sim.warm_start._as_reported`, with a
  fresh quantile per restarted realization, stream ``ancestor_repair``), so that siblings differ. A
  ``destroyed`` node stays destroyed; a repair time the user fixed (``attacks.hits[].repair_days``) is kept.
* **after t_g, fresh streams** (the generation's seed, :func:`sim.rejuvenation.generation_seed`): waves,
  their hits and alerts from the run's policy, the renewal process of waves anchored at the ancestor's
  latest wave onset (as the reported-state warm start anchors at the latest onset; wave 0 is that wave
  and is dropped, so is any later one before ``t_g``; :func:`sim.threat.make_campaign` ``first_wave_h``),
  and the DES's own draws (drains, restarts, outage queues) from the generation's seed.

The weather of restarted realization ``i`` is its ancestor's (the reports were made under it). What is
*not* carried over: the DES's random draws before ``t_g`` (drains and refills of the restarted
realization are drawn afresh, so its building groups at ``t_g`` differ from the ancestor's where a drain
or a refill was random) and the escalation memory of later hits (a fresh wave's damage level does not
see the ancestor's earlier hits on the node).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from omegaconf import OmegaConf

from sim import smc
from sim.config.attacks import CONTINUED_POLICIES
from sim.network import Network
from sim.rng import stream
from sim.threat import ALERT_COLUMNS, Campaign, make_campaign
from sim.timegrid import TimeGrid
from sim.warm_start import WarmStart, _as_reported, distinct_histories

__all__ = ["History", "ancestor_builder", "ancestor_campaign", "ancestor_forecast_rows", "ancestor_warm_start",
           "conditional_next_wave_h", "repairs_done", "resample_ancestors"]


@dataclass(frozen=True)
class History:
    """What one generation's realizations did: the campaign they were given, the repairs their DES finished
    and the weather row of each (into the run's forecast).

    Attributes
    ----------
    campaign : Campaign
    repairs_done : pandas.DataFrame
        ``realization``, ``node`` (node id), ``time_h``: the ``repair_done`` events of the DES. [h]
    forecast_rows : numpy.ndarray
        int (R_g,): the forecast row (realization of the run's weather) of each realization.
    """

    campaign: Campaign
    repairs_done: pd.DataFrame
    forecast_rows: np.ndarray


def repairs_done(events: pd.DataFrame, network: Network) -> pd.DataFrame:
    """The ``repair_done`` events of a DES event log (:data:`sim.des.EVENT_COLUMNS`, node names) as
    ``realization``, ``node`` (id), ``time_h``."""
    done = events[events["kind"] == "repair_done"]
    ids = {str(n): i for i, n in enumerate(network.nodes["name"])}
    return pd.DataFrame({"realization": done["realization"].to_numpy(np.int64),
                         "node": np.array([ids[str(n)] for n in done["node"]], dtype=np.int64),
                         "time_h": done["time_h"].to_numpy(float)})


def resample_ancestors(weights: np.ndarray, sizes: Sequence[int], seed: int, generation: int, n: int) -> np.ndarray:
    """``n`` ancestors by systematic resampling of the pooled ``weights`` (Kitagawa 1996; stream
    ``nowcast_resampling`` keyed by the new generation, docs/nowcast.md "Algorithm"), as rows
    ``(generation, realization within it)``; ``sizes`` are the generations' realizations in pool order.

    Examples
    --------
    >>> resample_ancestors(np.array([0.0, 0.0, 1.0, 0.0]), [2, 2], seed=1, generation=1, n=3).tolist()
    [[1, 0], [1, 0], [1, 0]]
    """
    idx = smc.systematic_resample(np.asarray(weights, dtype=float), stream(int(seed), "nowcast_resampling", -1,
                                                                           int(generation)), int(n))
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    g = np.searchsorted(first, idx, side="right") - 1
    return np.stack([g, idx - first[g]], axis=1).astype(np.int64)


def ancestor_warm_start(restart: np.datetime64, restart_h: float, ancestors: np.ndarray,
                        conditional_waves: bool = False) -> WarmStart:
    """The warm start that restarts realization i from ancestor ``ancestors[i]`` = (generation, realization)."""
    anc = np.asarray(ancestors, dtype=np.int64).reshape(-1, 2)
    distinct = distinct_histories(anc)
    summary = (f"{len(anc)} realization{'s' if len(anc) != 1 else ''} restarted from {distinct} resampled "
               f"histor{'ies' if distinct != 1 else 'y'}")
    return WarmStart(restart=restart, restart_h=float(restart_h), summary=summary, ancestors=anc,
                     conditional_waves=bool(conditional_waves))


def ancestor_builder(seed: int, start: np.datetime64, n: int, conditional_waves: bool = False
                     ) -> Callable[[np.datetime64, np.ndarray, list[int]], WarmStart]:
    """The filter's ancestor builder (:data:`sim.rejuvenation.AncestorBuilder`) for a run from ``start``:
    ``n`` ancestors resampled from the pooled weights at a report time (:func:`resample_ancestors`);
    ``conditional_waves``: see :class:`~sim.warm_start.WarmStart`."""

    def build(at: Any, weights: np.ndarray, sizes: list[int]) -> WarmStart:
        a = resample_ancestors(weights, sizes, seed, len(sizes), n)
        restart_h = float((np.datetime64(at, "ns") - start) / np.timedelta64(1, "h"))
        return ancestor_warm_start(np.datetime64(at, "ns"), restart_h, a, conditional_waves)

    return build


def conditional_next_wave_h(latest_h: float, t_g: float, shape: float, scale_h: float,
                            rng: np.random.Generator, max_draws: int = 100_000) -> float:
    """The first wave at or after ``t_g`` of the continued policy's renewal process (:func:`sim.threat.
    _continued_times`: gamma intervals of ``shape`` and ``scale_h``; the first wave at ``G U``, G an
    interval, U uniform) given the waves before ``t_g``. [h since start]

    * ``latest_h`` finite (the latest wave before ``t_g``): ``latest_h + X``, X the interval conditioned on
      ``X > t_g - latest_h`` (inverse survival function of the gamma distribution: an exact draw).
    * ``latest_h`` NaN (no wave before ``t_g``): ``G U`` conditioned on ``G U >= t_g``: G from the gamma
      density weighted by ``P(G U >= t_g | G) = 1 - t_g / G`` (rejection from the gamma truncated to
      ``G > t_g``, accepted with that probability), then U uniform on ``[t_g / G, 1)``.

    Dropping the waves before ``t_g`` instead (the next one an interval after a dropped one) makes the
    next wave too late: the renewal process is not memoryless (docs/nowcast.md, "causes tested" (3)).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> bool(conditional_next_wave_h(10.0, 100.0, 2.0, 54.0, rng) >= 100.0)
    True
    >>> bool(conditional_next_wave_h(float("nan"), 60.0, 2.0, 54.0, rng) >= 60.0)
    True
    """
    from scipy.stats import gamma

    if np.isfinite(latest_h):
        e = max(float(t_g) - float(latest_h), 0.0)
        u = rng.uniform()
        x = float(gamma.isf(u * gamma.sf(e, shape, scale=scale_h), shape, scale=scale_h))
        return max(float(latest_h) + max(x, e), float(t_g))
    t = max(float(t_g), 0.0)
    sf_t = gamma.sf(t, shape, scale=scale_h)
    for _ in range(max_draws):
        g = float(gamma.isf(rng.uniform() * sf_t, shape, scale=scale_h))  # G | G > t
        if g > 0 and rng.uniform() < 1.0 - t / g:
            return float(g * rng.uniform(t / g, 1.0))
    return t + float(rng.gamma(shape, scale_h))  # not reached for t within a few mean intervals


def ancestor_forecast_rows(histories: Sequence[History], warm: WarmStart) -> np.ndarray:
    """The forecast row (weather) of each restarted realization: its ancestor's."""
    assert warm.ancestors is not None
    return np.array([histories[int(g)].forecast_rows[int(r)] for g, r in warm.ancestors], dtype=np.int64)


def _plain(attacks_cfg: Any) -> Any:
    plain = OmegaConf.to_container(attacks_cfg, resolve=True) if OmegaConf.is_config(attacks_cfg) else (
        dict(attacks_cfg.__dict__) if hasattr(attacks_cfg, "__dataclass_fields__") else dict(attacks_cfg))
    return OmegaConf.create(plain)


def _by_realization(df: pd.DataFrame) -> dict[int, pd.DataFrame]:
    """Rows of each realization (a realization without rows is absent)."""
    if not len(df):
        return {}
    rr = df["realization"].to_numpy(np.int64)
    return {int(r): df[rr == r] for r in np.unique(rr)}


def ancestor_campaign(attacks_cfg: Any, network: Network, grid: TimeGrid, seed: int, warm: WarmStart,
                      histories: Sequence[History], repair_time_multiplier: float = 1.0) -> Campaign:
    """The campaign of realizations restarted from the ancestors of ``warm`` (module docstring).

    Parameters
    ----------
    attacks_cfg : AttacksConfig or DictConfig
        The run's ``attacks`` group (its policy draws the waves after the restart).
    network : Network
    grid : TimeGrid
    seed : int
        The generation's seed (fresh streams after the restart).
    warm : WarmStart
        From :func:`ancestor_warm_start`: ``restart_h`` and ``ancestors`` (generation, realization).
    histories : sequence of History
        Per generation (index = generation), what its realizations did.
    repair_time_multiplier : float
        ``repair.repair_time_multiplier``: the DES scales the drawn repair work by it. [1]
    """
    if warm.ancestors is None:
        raise ValueError("ancestor_campaign needs a warm start with ancestors (ancestor_warm_start)")
    anc = np.asarray(warm.ancestors, dtype=np.int64)
    n, t_g, mult = len(anc), float(warm.restart_h), float(repair_time_multiplier)
    cfg = _plain(attacks_cfg)
    split = [(_by_realization(h.campaign.waves), _by_realization(h.campaign.hits), _by_realization(h.campaign.alerts),
              _by_realization(h.repairs_done)) for h in histories]
    empty = {k: df.iloc[0:0] for k, df in (("waves", histories[0].campaign.waves), ("hits", histories[0].campaign.hits),
                                            ("alerts", histories[0].campaign.alerts),
                                            ("done", histories[0].repairs_done))}
    # the renewal process of waves after the restart: anchored at each ancestor's latest wave before t_g
    fwd = cfg.get("first_wave_day")
    renewal = str(cfg.policy) in CONTINUED_POLICIES and (fwd is None or float(fwd) * 24.0 < t_g)
    anchor_h, last_wave = np.full(n, np.nan), np.full(n, -1, dtype=np.int64)
    past_waves = []
    for i, (g, r) in enumerate(anc):
        w = split[g][0].get(int(r), empty["waves"])
        w = w[w["time_h"].to_numpy(float) < t_g]
        past_waves.append(w)
        if len(w):
            last_wave[i] = int(w["wave"].max())
            if renewal:
                anchor_h[i] = float(w["time_h"].max())
    conditional = bool(getattr(warm, "conditional_waves", False)) and str(cfg.policy) == "continued" and (
        fwd is None or float(fwd) * 24.0 < t_g)
    if conditional:  # the next wave from the renewal process given the ancestor's waves (each one's stream)
        latest = np.array([float(w["time_h"].max()) if len(w) else np.nan for w in past_waves])
        p0 = make_campaign(cfg, network, grid, 0, seed).params  # the policy's parameters with their defaults
        shape = float(p0["interval_shape"])
        scale_h = float(p0["mean_interval_days"]) * 24.0 / shape
        anchor_h = np.array([conditional_next_wave_h(latest[i], t_g, shape, scale_h,
                                                     stream(int(seed), "ancestor_next_wave", int(i)))
                             for i in range(n)])
        fresh = make_campaign(cfg, network, grid, n, seed, first_wave_h=anchor_h)
        shift = last_wave + 1  # fresh wave k (wave 0 the next one, at or after t_g) is the ancestor's last + 1 + k
    else:
        fresh = make_campaign(cfg, network, grid, n, seed, first_wave_h=anchor_h if renewal else None)
        # anchored wave k is the ancestor's wave last + k (wave 0 is that wave, before t_g: dropped)
        shift = np.where(np.isfinite(anchor_h), last_wave, 0)
    # fresh waves, hits and alerts after the restart
    fw = fresh.waves[fresh.waves["time_h"].to_numpy(float) >= t_g].copy()
    fw["wave"] = fw["wave"].to_numpy(np.int64) + shift[fw["realization"].to_numpy(np.int64)]
    fh = fresh.hits[fresh.hits["time_h"].to_numpy(float) >= t_g].copy()
    is_wave = fh["wave"].to_numpy(np.int64) >= 0
    fh.loc[is_wave, "wave"] = fh.loc[is_wave, "wave"].to_numpy(np.int64) + shift[
        fh.loc[is_wave, "realization"].to_numpy(np.int64)]
    fa = fresh.alerts[fresh.alerts["end_h"].to_numpy(float) > t_g].copy()
    fa["start_h"] = np.maximum(fa["start_h"].to_numpy(float), t_g)
    a_wave = fa["wave"].to_numpy(np.int64) >= 0
    fa.loc[a_wave, "wave"] = fa.loc[a_wave, "wave"].to_numpy(np.int64) + shift[fa.loc[a_wave, "realization"].to_numpy(np.int64)]
    # the ancestors' history before the restart
    p = fresh.params
    fixed = {(int(h["node"]), float(h["day"]) * 24.0) for h in p["hits"] if h.get("repair_days") is not None}
    waves, hits, alerts = [fw], [fh], [fa]
    for i, (g, r) in enumerate(anc):
        waves.append(past_waves[i].assign(realization=i))
        h = split[g][1].get(int(r), empty["hits"])
        h = h[h["time_h"].to_numpy(float) < t_g]
        hits.append(_continued_repairs(h.assign(realization=i), split[g][3].get(int(r), empty["done"]), t_g, mult,
                                       p, fixed, seed, i))
        a = split[g][2].get(int(r), empty["alerts"])
        alerts.append(a[a["start_h"].to_numpy(float) < t_g].assign(realization=i))
    waves_df = pd.concat(waves, ignore_index=True).sort_values(["realization", "time_h"], kind="stable")
    hits_df = pd.concat(hits, ignore_index=True).sort_values(["realization", "time_h"], kind="stable")
    alerts_df = _merged_alerts(pd.concat(alerts, ignore_index=True))
    for df in (waves_df, hits_df):
        for c in ("realization", "wave", "node", "unit"):
            if c in df:
                df[c] = df[c].astype(np.int64)
    return replace(fresh, waves=waves_df.reset_index(drop=True), hits=hits_df.reset_index(drop=True),
                   alerts=alerts_df)


def _continued_repairs(hits: pd.DataFrame, done: pd.DataFrame, t_g: float, mult: float, p: dict,
                       fixed: set[tuple[int, float]], seed: int, i: int) -> pd.DataFrame:
    """An ancestor's hits before ``t_g`` with the repairs still in progress then redrawn (module docstring):
    node repair work conditioned on ``repair_h mult > t_g - onset``, a CHP unit's likewise. [h]"""
    hits = hits.copy()
    if not len(hits):
        return hits
    onset = hits["time_h"].to_numpy(float)
    node = hits["node"].to_numpy(np.int64)
    d_node, d_time = done["node"].to_numpy(np.int64), done["time_h"].to_numpy(float)
    finished = np.array([bool(np.any((d_node == nd) & (d_time > t0) & (d_time <= t_g + 1e-9)))
                         for nd, t0 in zip(node, onset, strict=True)], dtype=bool)
    rep = hits["repair_h"].to_numpy(float).copy()
    unit_h = hits["unit_repair_h"].to_numpy(float).copy()
    kinds = hits["node_kind"].to_numpy(object)
    levels = hits["damage"].to_numpy(object)
    user = np.array([(int(nd), float(t0)) in fixed for nd, t0 in zip(node, onset, strict=True)]
                    if fixed else np.zeros(len(hits), dtype=bool))
    elapsed = (t_g - onset) / max(mult, 1e-12)  # in drawn repair hours
    sigma = float(p["repair_sigma"])
    # one fresh pair of normals per restarted realization and hit (keyed by its rank in the history)
    redo = ~finished & np.isfinite(rep) & (rep > 0) & ~user
    unit_redo = (np.isfinite(unit_h) & (unit_h > 0) & (onset + unit_h * mult > t_g + 1e-9) & ~user
                 & (kinds == "chp"))
    z = np.zeros((len(hits), 2))
    for j in np.flatnonzero(redo | unit_redo):
        z[j] = stream(int(seed), "ancestor_repair", int(i), int(j)).standard_normal(2)
    if redo.any():
        med = np.array([float(p["repair_median_h"].get(str(k), {}).get(str(lv), 0.0))
                        for k, lv in zip(kinds[redo], levels[redo], strict=True)])
        rep[redo] = _as_reported(med * np.exp(sigma * z[redo, 0]), med, elapsed[redo],
                                 np.full(int(redo.sum()), "out", dtype=object), sigma)
    if unit_redo.any():
        um = np.array([float(p["unit_repair_median_h"].get(str(lv), 0.0)) for lv in levels[unit_redo]])
        unit_h[unit_redo] = _as_reported(um * np.exp(sigma * z[unit_redo, 1]), um, elapsed[unit_redo],
                                         np.full(int(unit_redo.sum()), "out", dtype=object), sigma)
    hits["repair_h"] = rep
    hits["unit_repair_h"] = unit_h
    return hits


def _merged_alerts(alerts: pd.DataFrame) -> pd.DataFrame:
    """Alerts per realization sorted and merged where they overlap (the siren takes disjoint spans; an
    ancestor's alert in force at the restart may overlap a fresh one)."""
    rows: list[list] = []
    for r, s, e, w in sorted(zip(alerts["realization"].astype(np.int64).tolist(), alerts["start_h"].tolist(),
                                 alerts["end_h"].tolist(), alerts["wave"].astype(np.int64).tolist(), strict=True)):
        if rows and rows[-1][0] == r and s <= rows[-1][2]:
            rows[-1][2] = max(rows[-1][2], e)
            if rows[-1][3] < 0:
                rows[-1][3] = w
        else:
            rows.append([r, s, e, w])
    out = pd.DataFrame(rows, columns=list(ALERT_COLUMNS)) if rows else alerts.iloc[0:0].copy()
    for c in ("realization", "wave"):
        out[c] = out[c].astype(np.int64)
    return out.reset_index(drop=True)
