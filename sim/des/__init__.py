"""Discrete-event model (SimPy) of the grid and heat network under strike campaigns.

:func:`simulate_supply` runs one SimPy environment per realization with these processes (generator
functions named after real actors, ``env`` passed explicitly):

- :func:`~sim.des.processes.wave` - a strike wave damages nodes (from the :class:`~sim.threat.Campaign`);
- :func:`~sim.des.repair.repair_crew` - crews by trade repair damaged nodes, by priority, with spares;
- :func:`~sim.des.repair.air_raid_siren` - alerts stop all crews until the all-clear;
- :func:`~sim.des.blackouts.dispatcher` - deficit -> outage queues, rotation, emergency outages;
- :func:`~sim.des.heatnet.network_operator` - per heat source: circulation stop, drain, freeze, resume;
- :func:`~sim.des.heatnet.heat_network_crew` - refill and restart of drained building groups.

The DES records change points and flat event tuples; they are rasterized onto the time grid with numpy
at the end (:mod:`sim.des.timeline`).
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
import simpy

from sim.city import City
from sim.des.blackouts import dispatcher
from sim.des.heatnet import network_operator
from sim.des.network import Network, build_network
from sim.des.processes import K_DRAWS, GridState, GridTables, wave
from sim.des.repair import air_raid_siren
from sim.des.timeline import EVENT_COLUMNS, SupplyTimeline, rasterize
from sim.errors import ConfigError
from sim.rng import stream
from sim.threat import Campaign
from sim.timegrid import TimeGrid

__all__ = ["Network", "SupplyTimeline", "build_network", "repair_params", "simulate_supply"]

#: Hours between re-checks of a stopped system that is due for draining but not yet in frost. [h]
DRAIN_RECHECK_H = 3.0


def _get(cfg, key: str):
    """A config value from a dataclass instance, a DictConfig or a dict."""
    return cfg[key] if isinstance(cfg, dict) or hasattr(cfg, "__getitem__") else getattr(cfg, key)


def repair_params(cfg) -> dict:
    """Validate the ``repair`` config; return plain values (raises ConfigError naming the key)."""
    keys = ("power_crews", "power_crews_per_job", "heat_crews", "heat_crews_per_job", "crew_multiplier", "repair_time_multiplier",
            "transformer_spares", "transformer_lead_days", "drain_delay_h", "drain_threshold_c",
            "undrained_prob", "freeze_after_h", "freeze_threshold_c", "frozen_repair_days",
            "restart_h_per_building", "restart_cv", "emergency_outage_h", "emergency_min_hits",
            "emergency_extra_queues", "emergency_max_queues")
    p = {k: float(_get(cfg, k)) for k in keys}
    for k in ("power_crews", "heat_crews", "transformer_spares", "emergency_min_hits", "emergency_max_queues"):
        if p[k] < 0 or p[k] != int(p[k]):
            raise ConfigError(f"repair.{k} must be an integer >= 0, got {p[k]:g}")
    for k in ("power_crews_per_job", "heat_crews_per_job"):
        if p[k] < 1:
            raise ConfigError(f"repair.{k} must be >= 1, got {p[k]:g}")
    for k in ("crew_multiplier", "repair_time_multiplier", "transformer_lead_days", "drain_delay_h",
              "freeze_after_h", "frozen_repair_days", "restart_h_per_building", "restart_cv",
              "emergency_outage_h", "emergency_extra_queues"):
        if p[k] < 0 or not math.isfinite(p[k]):
            raise ConfigError(f"repair.{k} must be >= 0, got {p[k]:g}")
    if p["crew_multiplier"] <= 0:
        raise ConfigError(f"repair.crew_multiplier must be > 0, got {p['crew_multiplier']:g}")
    if not 0.0 <= p["undrained_prob"] <= 1.0:
        raise ConfigError(f"repair.undrained_prob must be in [0, 1], got {p['undrained_prob']:g}")
    for k in ("power_crews", "heat_crews", "transformer_spares", "emergency_min_hits", "emergency_max_queues"):
        p[k] = int(p[k])
    p["drain_recheck_h"] = DRAIN_RECHECK_H
    return p


def _draws(seed: int, r: int, n_groups: int, n_blocks: int, n_queues: int, restart_cv: float) -> dict:
    """Per-group random numbers of realization ``r`` (CRN: keyed by group and outage count)."""
    drain = stream(seed, "drain", r)
    restart = stream(seed, "restart", r)
    shape = 1.0 / restart_cv**2 if restart_cv > 0 else None
    restart_f = restart.gamma(shape, 1.0 / shape, (n_groups, K_DRAWS)) if shape else np.ones((n_groups, K_DRAWS))
    return {
        "drain_u": drain.random((n_groups, K_DRAWS)),
        "undrained_u": drain.random((n_groups, K_DRAWS)),
        "restart_f": restart_f,
        "frozen_f": np.exp(0.4 * restart.standard_normal((n_groups, K_DRAWS))),
        "emergency_keys": stream(seed, "blackout", r).random((n_blocks + 1, n_queues)),
    }


def simulate_supply(
    city: City,
    network: Network,
    campaign: Campaign,
    outdoor_c: np.ndarray,
    repair_cfg,
    buildings_cfg,
    grid: TimeGrid,
    seed: int,
    progress: Callable[[str, int, int], None] | None = None,
) -> SupplyTimeline:
    """Run the grid and heat-network DES for every realization.

    Parameters
    ----------
    city : City
    network : Network
        From :func:`build_network` for the same city.
    campaign : Campaign
        From :func:`sim.threat.make_campaign`; its realizations must match ``outdoor_c``.
    outdoor_c : numpy.ndarray
        Outdoor temperature (R, T). [degC]
    repair_cfg : RepairConfig or DictConfig
        The ``repair`` group (crews, spares, drain, restart, emergency outages).
    buildings_cfg : BuildingsConfig or DictConfig
        Uses ``heater_share_frac`` [1] and ``heater_kw`` [kW] (heater load of flats without heat).
    grid : TimeGrid
    seed : int
        The run's seed (streams ``drain``, ``restart``, ``blackout``).
    progress : callable, optional
        Called as ``progress("des", r + 1, n_realizations)`` after each realization.

    Returns
    -------
    SupplyTimeline
        ``stats``: ``n_events`` (SimPy events, all realizations) and ``des_seconds`` (wall time of this
        whole call: setup, the SimPy runs, rasterization and the event log).
    """
    t0 = time.perf_counter()
    rp = repair_params(repair_cfg)
    outdoor_c = np.asarray(outdoor_c, dtype=float)
    if outdoor_c.ndim != 2 or outdoor_c.shape[1] != grid.n_steps:
        raise ValueError(f"outdoor_c must be (R, {grid.n_steps}), got {outdoor_c.shape}")
    n_r, n_t = outdoor_c.shape
    if campaign.n_realizations < n_r:
        raise ValueError(f"campaign has {campaign.n_realizations} realizations, weather {n_r}")
    groups = city.groups
    if len(groups) != len(network.group_feeder):
        raise ValueError("network was built for another city (group count differs)")
    heater_kw = float(_get(buildings_cfg, "heater_share_frac")) * float(_get(buildings_cfg, "heater_kw"))
    households = groups["households"].to_numpy(float)
    n_buildings = groups["n_buildings"].to_numpy(float)
    is_dh = network.group_heat_source >= 0
    n_f, n_g, n_q = network.n_feeders, len(groups), network.n_queues
    n_s = len(network.substations)
    horizon_h = grid.horizon_h
    n_blocks = int(horizon_h / network.params["queue_block_h"]) + 1
    tables = GridTables(network, grid, rp, households, n_buildings, heater_kw)

    # the outputs, written in full once here: first-touch page faults in one pass, not per realization
    feeder_power = np.zeros((n_r, n_t, n_f), dtype=bool)
    group_heat = np.zeros((n_r, n_t, n_g), dtype=bool)
    group_state = np.zeros((n_r, n_t, n_g), dtype=np.int8)
    for a in (feeder_power, group_heat, group_state):
        a.fill(0)
    queues_off = np.empty((n_r, n_t), dtype=float)
    waves_rt = np.zeros((n_r, n_t), dtype=np.int64)
    hits_rt = np.zeros((n_r, n_t), dtype=np.int64)

    waves_of, alerts_of = _campaign_by_realization(campaign, grid, n_r, waves_rt, hits_rt)
    fq = np.where(network.feeder_queue >= 0, network.feeder_queue, n_q)  # critical feeders: an always-on column
    sub_idx = {int(s): i for i, s in enumerate(network.substations)}
    fsub = np.array([sub_idx[int(s)] for s in network.feeder_substation])
    group_feeder = network.group_feeder
    own_cols = np.flatnonzero(~is_dh)
    own_feeder = group_feeder[own_cols]
    zeros_g = np.zeros(n_g, dtype=np.int8)
    records: list[tuple[list, ...]] = []  # event-log columns of each realization
    n_events = 0
    gc_was_enabled = gc.isenabled()
    gc.disable()  # no automatic collections in the loop: see the gc.collect below
    try:
        for r in range(n_r):
            env = simpy.Environment()
            st = GridState(env, tables, outdoor_c[r], _draws(seed, r, n_g, n_blocks, n_q, rp["restart_cv"]))
            for w, t_w, hits in waves_of[r]:
                env.process(wave(env, st, t_w, w, hits))
            if alerts_of[r]:
                env.process(air_raid_siren(env, st.shop, alerts_of[r]))
            for h in range(len(st.source_nodes)):
                env.process(network_operator(env, st, h))
            env.process(dispatcher(env, st))
            env.run(until=horizon_h)
            n_events += next(env._eid)

            # rasterize change points (numpy, no stepping)
            queue_on = np.ones((n_t, n_q + 1), dtype=bool)
            queue_on[:, :n_q] = _raster(grid, st.queue_changes, n_q)
            fp = feeder_power[r]
            np.take(queue_on, fq, axis=1, out=fp)
            if st.sub_changes:
                fp &= np.take(_raster(grid, st.sub_changes, n_s), fsub, axis=1)
            if st.feeder_changes:
                fp &= _raster(grid, st.feeder_changes, n_f)
            gs = group_state[r]
            if st.g_t:
                rasterize(grid, np.asarray(st.g_t, dtype=float), np.asarray(st.g_col, dtype=np.int64),
                          np.asarray(st.g_val, dtype=np.int64), zeros_g, dtype=np.int8, out=gs)
            else:
                gs[...] = 0
            gh = group_heat[r]
            np.equal(gs, 0, out=gh)  # district heat: normal operation (own heating: state always 0)
            if len(own_cols):
                gh[:, own_cols] = fp[:, own_feeder]  # own boilers: their feeder has power
            if st.k_changes:
                kt, kv = zip(*st.k_changes, strict=True)
                queues_off[r] = rasterize(grid, np.asarray(kt), np.zeros(len(kt), dtype=np.int64),
                                          np.asarray(kv, dtype=np.int64), np.zeros(1))[:, 0]
            else:
                queues_off[r] = 0.0
            records.append((st.ev_t, st.ev_kind, st.ev_node, st.ev_group, st.ev_detail))
            # A finished environment is cyclic garbage (waiting processes, their events, the state). Collect
            # it here, young generations only: the automatic collector would also scan the whole heap of
            # the process again and again (a third of the DES time), for no garbage of ours.
            st.__dict__.clear()  # drop the state (most of the cyclic garbage) by reference counting
            env._queue.clear()
            del env, st
            gc.collect(1)
            if progress is not None:
                progress("des", r + 1, n_r)
        events = _label_events(records, network, city)
        del records
        gc.collect(1)
    finally:
        if gc_was_enabled:
            gc.enable()
    des_seconds = time.perf_counter() - t0
    return SupplyTimeline(
        feeder_power=feeder_power,
        group_heat=group_heat,
        group_state=group_state,
        group_feeder=network.group_feeder.copy(),
        waves=waves_rt,
        hits=hits_rt,
        queues_off=queues_off,
        events=events,
        group_heat_source=network.group_heat_source.copy(),
        stats={"n_events": n_events, "des_seconds": des_seconds},
    )


def _campaign_by_realization(campaign: Campaign, grid: TimeGrid, n_r: int, waves_rt: np.ndarray,
                             hits_rt: np.ndarray) -> tuple[list[list[tuple]], list[list[tuple]]]:
    """Split the campaign tables by realization (one pass, no pandas in the realization loop).

    Returns, per realization, its waves ``(wave, time_h, hits)`` in time order (``hits`` as taken by
    :func:`~sim.des.processes.wave`) and its alerts ``(start_h, end_h)``; counts waves and hits per step
    into ``waves_rt`` and ``hits_rt``.
    """
    by_wave: list[dict[int, list[tuple]]] = [{} for _ in range(n_r)]
    wave_time: list[dict[int, float]] = [{} for _ in range(n_r)]
    hits = campaign.hits
    if len(hits):
        rr = hits["realization"].to_numpy(np.int64)
        t = hits["time_h"].to_numpy(float)
        keep = rr < n_r
        np.add.at(hits_rt, (rr[keep], grid.index_of(t[keep])), 1)
        for r, w, t_h, node, kind, dmg, rep, tr in zip(
            rr.tolist(), hits["wave"].tolist(), hits["time_h"].tolist(), hits["node"].tolist(),
            hits["node_kind"].tolist(), hits["damage"].tolist(), hits["repair_h"].tolist(),
            hits["needs_transformer"].tolist(), strict=True,
        ):
            if r < n_r:
                w = int(w)
                by_wave[r].setdefault(w, []).append((int(node), kind, dmg, float(rep), bool(tr)))
                wave_time[r][w] = float(t_h)
    waves = campaign.waves
    if len(waves):
        rr = waves["realization"].to_numpy(np.int64)
        t = waves["time_h"].to_numpy(float)
        keep = rr < n_r
        np.add.at(waves_rt, (rr[keep], grid.index_of(t[keep])), 1)
        for r, w, t_h in zip(rr.tolist(), waves["wave"].tolist(), waves["time_h"].tolist(), strict=True):
            if r < n_r:
                w = int(w)
                wave_time[r][w] = float(t_h)
                by_wave[r].setdefault(w, [])
    waves_of = []
    for r in range(n_r):
        wt, bw = wave_time[r], by_wave[r]
        waves_of.append([(w, wt[w], bw[w]) for w in sorted(bw, key=lambda w, wt=wt: (wt[w], w))])
    alerts_of: list[list[tuple]] = [[] for _ in range(n_r)]
    alerts = campaign.alerts
    if len(alerts):
        for r, s, e in zip(alerts["realization"].tolist(), alerts["start_h"].tolist(), alerts["end_h"].tolist(),
                           strict=True):
            if r < n_r:
                alerts_of[r].append((s, e))
    return waves_of, alerts_of


def _raster(grid: TimeGrid, changes: list[tuple], n: int) -> np.ndarray:
    """On/off columns (T, n) from change points ``(time_h, column, 0/1)``, all on before their first."""
    if not changes:
        return np.ones((grid.n_steps, n), dtype=bool)
    t, c, v = zip(*changes, strict=True)
    on = rasterize(grid, np.asarray(t, dtype=float), np.asarray(c, dtype=np.int64), np.asarray(v, dtype=np.int64),
                   np.ones(n, dtype=np.int8), dtype=np.int8)
    return on.view(bool)  # the values are 0 and 1


def _label_events(records: list[tuple[list, ...]], net: Network, city: City) -> pd.DataFrame:
    """Event-log columns of each realization -> the event log: node ids and group indices -> names, kinds
    and districts; sorted by realization and time (stable: records at equal times keep their order)."""
    sizes = [len(rec[0]) for rec in records]
    n = sum(sizes)
    if n == 0:
        return pd.DataFrame({c: pd.Series(dtype=float if c == "time_h" else object) for c in EVENT_COLUMNS})

    def column(i: int, dtype) -> np.ndarray:
        if dtype is object:
            out = np.empty(n, dtype=object)
            k = 0
            for rec, m in zip(records, sizes, strict=True):
                out[k:k + m] = rec[i]
                k += m
            return out
        return np.concatenate([np.asarray(rec[i], dtype=dtype) for rec in records])

    realization = np.repeat(np.arange(len(records), dtype=np.int64), sizes)
    t = column(0, float)
    order = np.lexsort((t, realization))
    realization, t = realization[order], t[order]
    kind_ev = column(1, object)[order]
    node_id = column(2, np.int64)[order]
    group = column(3, np.int64)[order]
    detail = column(4, object)[order]
    has_node = node_id >= 0
    has_group = group >= 0
    names = net.nodes["name"].to_numpy(object)
    kinds = net.nodes["kind"].to_numpy(object)
    dists = net.nodes["district"].to_numpy(object)
    g_dist = city.groups["district"].to_numpy(object)
    g_name = np.array([f"G{g}" for g in range(len(g_dist))], dtype=object)
    node = np.full(n, "", dtype=object)
    kind = np.full(n, "", dtype=object)
    district = np.full(n, "", dtype=object)
    node[has_node], kind[has_node], district[has_node] = (
        names[node_id[has_node]], kinds[node_id[has_node]], dists[node_id[has_node]])
    node[has_group] = g_name[group[has_group]]
    kind[has_group] = "building_group"
    district[has_group] = g_dist[group[has_group]]
    return pd.DataFrame({"realization": realization, "time_h": t, "kind": kind_ev, "node": node,
                         "node_kind": kind, "district": district, "detail": detail})
