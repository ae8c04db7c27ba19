"""Discrete-event model (SimPy) of the grid and heat network under strike campaigns.

:func:`simulate_supply` runs one SimPy environment per realization with these processes (generator
functions named after real actors, ``env`` passed explicitly):

- :func:`~sim.des.hits.wave` - a strike wave (or explicit hits) damages nodes and units;
- :func:`~sim.des.repair.repair_crew` - crews by trade repair damaged nodes, by priority, with spares;
  :func:`~sim.des.repair.substation_workaround` re-switches feeders and brings mobile transformers;
  :func:`~sim.des.repair.unit_repair` - a CHP's staff repair its damaged unit;
- :func:`~sim.des.repair.air_raid_siren` - alerts stop all crews until the all-clear;
- :func:`~sim.des.dispatch.dispatcher` - deficit over the live load -> outage queues, rotation, emergencies;
- :func:`~sim.des.heatnet.heat_network_operator` - drain decisions, drains, freezing, mobile boilers;
  :func:`~sim.des.heatnet.heat_dispatcher` re-plans supply against the forecast;
  :func:`~sim.des.heatnet.refill_team` refills and restarts drained building groups;
  :func:`~sim.des.heatnet.frozen_system_contractors` restore frozen ones.

The state of a realization is :class:`~sim.des.state.SupplyState` (component columns and the one update
path); the network's read-only tables are :class:`~sim.des.tables.RunTables`; everything that touches
SimPy's internals is in :mod:`sim.des.simpy_adapter`. The DES records change points and flat event
records; after each realization's run they are turned into its rows of the outputs on the time grid, with
the delivered heat fraction (:func:`sim.des.sources.heat_fraction`'s formulas), in one compiled pass
(:mod:`sim.des.raster`).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import simpy

from sim.city import City
from sim.des import heatnet
from sim.des.dispatch import dispatcher
from sim.des.hits import wave
from sim.des.params import repair_params
from sim.des.processes import process_cap, run_realizations, shared_zeros
from sim.des.raster import OutputPlan, write_outputs
from sim.des.repair import air_raid_siren
from sim.des.simpy_adapter import dispose, events_processed
from sim.des.sources import heating_season
from sim.des.state import K_DRAWS, SupplyState
from sim.des.tables import RunTables
from sim.des.timeline import CAUSES, EVENT_COLUMNS, SupplyTimeline, event_times
from sim.network import Network, build_network
from sim.rng import stream
from sim.threat import Campaign
from sim.timegrid import TimeGrid

__all__ = ["CAUSES", "Network", "SupplyTimeline", "build_network", "repair_params", "simulate_supply"]


def _get(cfg: Any, key: str) -> Any:
    """A config value from a dataclass instance, a DictConfig or a dict."""
    return cfg[key] if isinstance(cfg, dict) or hasattr(cfg, "__getitem__") else getattr(cfg, key)


def freeze_tolerance_k_h(seed: int, n_groups: int, median_k_h: float, cv: float) -> np.ndarray:
    """Frost exposure each building group's stopped, filled system stands: lognormal around the median,
    drawn once per run (a property of the buildings, shared by all realizations; stream ``freeze``). [K h]"""
    if cv <= 0:
        return np.full(n_groups, float(median_k_h))
    sigma = float(np.sqrt(np.log1p(cv**2)))
    return float(median_k_h) * np.exp(sigma * stream(seed, "freeze").standard_normal(n_groups))


def _draws(seed: int, r: int, n_groups: int, n_blocks: int, n_queues: int, rp: dict) -> dict:
    """Per-group random numbers of realization ``r`` (CRN: keyed by group and outage count)."""
    drain = stream(seed, "drain", r)
    restart = stream(seed, "restart", r)
    cv = rp["restart_cv"]
    shape = 1.0 / cv**2 if cv > 0 else None
    restart_f = restart.gamma(shape, 1.0 / shape, (n_groups, K_DRAWS)) if shape else np.ones((n_groups, K_DRAWS))
    frozen_f = np.exp(0.4 * restart.standard_normal((n_groups, K_DRAWS)))
    fault_u = restart.random((n_groups, K_DRAWS))
    # Pareto tail (shape 1.5) scaled so that its median is 1
    fault_f = (1.0 - restart.random((n_groups, K_DRAWS))) ** (-1.0 / 1.5) / 2.0 ** (1.0 / 1.5)
    return {
        "drain_u": drain.random((n_groups, K_DRAWS)),
        "restart_f": restart_f,
        "frozen_f": frozen_f,
        "fault_u": fault_u,
        "fault_f": fault_f,
        "emergency_keys": stream(seed, "blackout", r).random((n_blocks + 1, n_queues)),
    }


def simulate_supply(
    city: City,
    network: Network,
    campaign: Campaign,
    outdoor_c: np.ndarray,
    repair_cfg: Any,
    buildings_cfg: Any,
    grid: TimeGrid,
    seed: int,
    progress: Callable[[str, int, int], None] | None = None,
    processes: int | None = None,
) -> SupplyTimeline:
    """Run the grid and heat-network DES for every realization.

    Parameters
    ----------
    city : City
    network : Network
        From :func:`sim.network.build_network` for the same city.
    campaign : Campaign
        From :func:`sim.threat.make_campaign`; its realizations must match ``outdoor_c``.
    outdoor_c : numpy.ndarray
        Outdoor temperature (R, T). [degC]
    repair_cfg : RepairConfig or DictConfig
        The ``repair`` group (crews, spares, drain, refill, freezing, mobile units, emergency outages).
    buildings_cfg : BuildingsConfig or DictConfig
        Uses ``heater_share_frac`` [1] and ``heater_kw`` [kW] (heater load of flats without heat) and
        ``heating_limit_c`` [degC] (the heating season: daily mean outdoor temperature below it).
    grid : TimeGrid
    seed : int
        The run's seed (streams ``drain``, ``restart``, ``blackout``, ``freeze``).
    progress : callable, optional
        Called as ``progress("des", k, n_realizations)`` after each realization (k done so far).
    processes : int, optional
        Processes to run the realizations on (:mod:`sim.des.processes`; the outputs do not depend on
        it); default :func:`~sim.des.processes.process_cap`, the job's cores.

    Returns
    -------
    SupplyTimeline
        ``stats``: ``n_events`` (SimPy events, all realizations), ``des_seconds`` (wall time of this
        whole call: setup, the SimPy runs, rasterization, the heat fraction and the event log) and
        ``simpy_seconds`` (inside the SimPy runs only, summed over the processes).
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
    limit_c = float(_get(buildings_cfg, "heating_limit_c"))
    n_f, n_g, n_q = network.n_feeders, len(groups), network.n_queues
    horizon_h = grid.horizon_h
    n_blocks = int(horizon_h / network.params["queue_block_h"]) + 1
    tables = RunTables(network, grid, rp, heater_kw, freeze_tolerance_k_h(seed, n_g, rp["freeze_k_h"], rp["freeze_cv"]))

    n_proc = process_cap() if processes is None else max(1, int(processes))
    # the outputs: every cell of a realization's rows is written once by write_outputs (no fill pass first;
    # the pages are touched there); in shared memory if forked processes may write them
    zeros = shared_zeros if n_proc > 1 else np.zeros
    feeder_power = zeros((n_r, n_t, n_f), dtype=bool)
    heat_frac = zeros((n_r, n_t, n_g), dtype=np.float32)
    group_state = zeros((n_r, n_t, n_g), dtype=np.int8)
    group_cause = zeros((n_r, n_t, n_g), dtype=np.int8)
    queues_off = zeros((n_r, n_t), dtype=float)
    waves_rt = np.zeros((n_r, n_t), dtype=np.int64)
    hits_rt = np.zeros((n_r, n_t), dtype=np.int64)
    season = heating_season(grid.start, grid.dt_h, outdoor_c, limit_c)

    waves_of, alerts_of = _campaign_by_realization(campaign, grid, n_r, waves_rt, hits_rt)
    cap0 = np.array(tables.source_heat_mw, dtype=float)
    plan = OutputPlan(tables, network.feeder_queue, network.group_heat_source, network.group_feeder, cap0,
                      rp["boost_max_frac"], round(rp["boost_h"] / grid.dt_h))

    def realization(r: int) -> tuple[tuple, int, float]:
        """Run realization r, write its rows of the outputs; its event-log columns, events and SimPy time."""
        env = simpy.Environment()
        st = SupplyState(env, tables, outdoor_c[r], _draws(seed, r, n_g, n_blocks, n_q, rp))
        for w, t_w, hits, warm in waves_of[r]:
            env.process(wave(env, st, t_w, w, hits, warm))
        if alerts_of[r]:
            env.process(air_raid_siren(env, st.shop, alerts_of[r]))
        env.process(dispatcher(env, st))
        env.process(heatnet.heat_network_operator(env, st))
        env.process(heatnet.heat_dispatcher(env, st))
        t_run = time.perf_counter()
        env.run(until=horizon_h)
        heatnet.flush_drains(st, horizon_h)
        simpy_s = time.perf_counter() - t_run
        n_ev = events_processed(env)
        # change points -> this realization's output rows (one compiled pass, no stepping)
        write_outputs(plan, r, st.queue_changes, st.feeder_changes, st.cap_changes, st.g_t, st.g_col, st.g_val,
                      st.k_changes, outdoor_c[r], season[r], feeder_power, heat_frac, group_state, group_cause,
                      queues_off)
        columns = st.event_columns()
        # A finished environment is cyclic garbage (waiting processes, their events, the state). Collect
        # it here, young generations only: the automatic collector would also scan the whole heap of
        # the process again and again (a third of the DES time), for no garbage of ours.
        st.__dict__.clear()  # drop the state (most of the cyclic garbage) by reference counting
        dispose(env)
        del env, st
        gc.collect(1)
        return columns, n_ev, simpy_s

    gc_was_enabled = gc.isenabled()
    gc.disable()  # no automatic collections in the loop: see the gc.collect in realization()
    try:
        done = run_realizations(n_r, realization, n_proc,
                                None if progress is None else (lambda k: progress("des", k, n_r)))
        records = [d[0] for d in done]
        n_events = sum(d[1] for d in done)
        simpy_s = sum(d[2] for d in done)
        del done
        events = _label_events(records, network, city, grid)
        del records
        gc.collect(1)
    finally:
        if gc_was_enabled:
            gc.enable()
    des_seconds = time.perf_counter() - t0
    return SupplyTimeline(
        feeder_power=feeder_power,
        heat_frac=heat_frac,
        group_state=group_state,
        group_cause=group_cause,
        group_feeder=network.group_feeder.copy(),
        waves=waves_rt,
        hits=hits_rt,
        queues_off=queues_off,
        events=events,
        group_heat_source=network.group_heat_source.copy(),
        heating_season=season,
        stats={"n_events": n_events, "des_seconds": des_seconds, "simpy_seconds": simpy_s},
    )


def _campaign_by_realization(campaign: Campaign, grid: TimeGrid, n_r: int, waves_rt: np.ndarray,
                             hits_rt: np.ndarray) -> tuple[list[list[tuple]], list[list[tuple]]]:
    """Split the campaign tables by realization (one pass, no pandas in the realization loop).

    Returns, per realization, its waves ``(wave, time_h, hits, warm)`` in time order (``hits`` as taken
    by :func:`~sim.des.hits.wave`; hits that are no wave, ``wave`` -1, grouped by time; ``warm``: explicit
    hits at time 0) and its alerts ``(start_h, end_h)``; counts waves and hits per step into ``waves_rt``
    and ``hits_rt``.
    """
    by_key: list[dict[tuple, list[tuple]]] = [{} for _ in range(n_r)]
    hits = campaign.hits
    if len(hits):
        rr = hits["realization"].to_numpy(np.int64)
        t = hits["time_h"].to_numpy(float)
        keep = rr < n_r
        np.add.at(hits_rt, (rr[keep], grid.index_of(t[keep])), 1)
        explicit = hits["explicit"].tolist() if "explicit" in hits else [False] * len(hits)
        unit = hits["unit"].tolist() if "unit" in hits else [-1] * len(hits)
        unit_h = hits["unit_repair_h"].tolist() if "unit_repair_h" in hits else [0.0] * len(hits)
        for r, w, t_h, node, kind, dmg, rep, tr, ex, u, uh in zip(
            rr.tolist(), hits["wave"].tolist(), t.tolist(), hits["node"].tolist(), hits["node_kind"].tolist(),
            hits["damage"].tolist(), hits["repair_h"].tolist(), hits["needs_transformer"].tolist(), explicit,
            unit, unit_h, strict=True,
        ):
            if r < n_r:
                key = (int(w), float(t_h)) if int(w) >= 0 else (-1, float(t_h), bool(ex) and t_h <= 0.0)
                by_key[r].setdefault(key, []).append((int(node), kind, dmg, float(rep), bool(tr), int(u), float(uh)))
    waves = campaign.waves
    if len(waves):
        rr = waves["realization"].to_numpy(np.int64)
        t = waves["time_h"].to_numpy(float)
        keep = rr < n_r
        np.add.at(waves_rt, (rr[keep], grid.index_of(t[keep])), 1)
        for r, w, t_h in zip(rr.tolist(), waves["wave"].tolist(), t.tolist(), strict=True):
            if r < n_r:
                by_key[r].setdefault((int(w), float(t_h)), [])
    waves_of = []
    for r in range(n_r):
        items = sorted(by_key[r].items(), key=lambda kv: (kv[0][1], kv[0][0] >= 0, kv[0][0]))
        waves_of.append([(k[0], k[1], v, len(k) > 2 and k[2]) for k, v in items])
    alerts_of: list[list[tuple]] = [[] for _ in range(n_r)]
    alerts = campaign.alerts
    if len(alerts):
        for r, s, e in zip(alerts["realization"].tolist(), alerts["start_h"].tolist(), alerts["end_h"].tolist(),
                           strict=True):
            if r < n_r:
                alerts_of[r].append((s, e))
    return waves_of, alerts_of


def _label_events(records: list[tuple], net: Network, city: City, grid: TimeGrid) -> pd.DataFrame:
    """Event-log columns of each realization -> the event log: node ids and group indices -> names, kinds
    and districts; calendar times; sorted by realization and time (stable: records at equal times keep
    their order)."""
    sizes = [len(rec[0]) for rec in records]
    n = sum(sizes)
    if n == 0:
        return pd.DataFrame({c: pd.Series(dtype=float if c == "time_h" else "datetime64[s]" if c == "time"
                                          else np.int64 if c == "realization" else object) for c in EVENT_COLUMNS})

    def column(i: int, dtype: Any) -> np.ndarray:
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
    n_nodes, n_groups = len(names), len(g_dist)
    g_name = np.array([f"G{g}" for g in range(n_groups)], dtype=object)
    g_kind = np.full(n_groups, "building_group", dtype=object)
    none = np.array([""], dtype=object)
    # one lookup table per column: the nodes, the groups, then "" (neither); a group's record names the group
    row = np.where(has_group, n_nodes + group, np.where(has_node, node_id, n_nodes + n_groups))
    node = np.concatenate([names, g_name, none])[row]
    kind = np.concatenate([kinds, g_kind, none])[row]
    district = np.concatenate([dists, g_dist, none])[row]
    return pd.DataFrame({"realization": realization, "time": event_times(grid.start, t), "time_h": t,
                         "kind": kind_ev, "node": node, "node_kind": kind, "district": district, "detail": detail})
