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

import math
import time

import numpy as np
import pandas as pd
import simpy

from sim.city import City
from sim.des.blackouts import dispatcher
from sim.des.heatnet import network_operator
from sim.des.network import Network, build_network
from sim.des.processes import K_DRAWS, GridState, wave
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
            "emergency_extra_queues")
    p = {k: float(_get(cfg, k)) for k in keys}
    for k in ("power_crews", "heat_crews", "transformer_spares", "emergency_min_hits"):
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
    for k in ("power_crews", "heat_crews", "transformer_spares", "emergency_min_hits"):
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

    Returns
    -------
    SupplyTimeline
    """
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

    feeder_power = np.empty((n_r, n_t, n_f), dtype=bool)
    group_heat = np.empty((n_r, n_t, n_g), dtype=bool)
    group_state = np.empty((n_r, n_t, n_g), dtype=np.int8)
    queues_off = np.empty((n_r, n_t), dtype=float)
    waves_rt = np.zeros((n_r, n_t), dtype=np.int64)
    hits_rt = np.zeros((n_r, n_t), dtype=np.int64)

    hits_by_r = {r: df for r, df in campaign.hits.groupby("realization")} if len(campaign.hits) else {}
    waves_by_r = {r: df for r, df in campaign.waves.groupby("realization")} if len(campaign.waves) else {}
    alerts_by_r = {r: df for r, df in campaign.alerts.groupby("realization")} if len(campaign.alerts) else {}
    fq = np.where(network.feeder_queue >= 0, network.feeder_queue, n_q)  # critical feeders: an always-on column
    sub_idx = {int(s): i for i, s in enumerate(network.substations)}
    fsub = np.array([sub_idx[int(s)] for s in network.feeder_substation])
    records: list[pd.DataFrame] = []
    n_events = 0
    t0 = time.perf_counter()
    for r in range(n_r):
        env = simpy.Environment()
        st = GridState(env, network, grid, outdoor_c[r], rp, households, n_buildings, heater_kw,
                       _draws(seed, r, n_g, n_blocks, n_q, rp["restart_cv"]))
        h_r = hits_by_r.get(r)
        by_wave: dict[int, list[tuple]] = {}
        wave_time: dict[int, float] = {}
        if h_r is not None:
            for w, t, node, kind, dmg, rep, tr in zip(
                h_r["wave"], h_r["time_h"], h_r["node"], h_r["node_kind"], h_r["damage"], h_r["repair_h"],
                h_r["needs_transformer"], strict=True,
            ):
                by_wave.setdefault(int(w), []).append((int(node), kind, dmg, float(rep), bool(tr)))
                wave_time[int(w)] = float(t)
            np.add.at(hits_rt[r], grid.index_of(h_r["time_h"].to_numpy(float)), 1)
        w_r = waves_by_r.get(r)
        if w_r is not None:
            for w, t in zip(w_r["wave"], w_r["time_h"], strict=True):
                wave_time[int(w)] = float(t)
                by_wave.setdefault(int(w), [])
            np.add.at(waves_rt[r], grid.index_of(w_r["time_h"].to_numpy(float)), 1)
        for w in sorted(by_wave, key=lambda w: (wave_time[w], w)):
            env.process(wave(env, st, wave_time[w], w, by_wave[w]))
        a_r = alerts_by_r.get(r)
        if a_r is not None:
            env.process(air_raid_siren(env, st.shop, list(zip(a_r["start_h"], a_r["end_h"], strict=True))))
        for h in range(len(st.source_nodes)):
            env.process(network_operator(env, st, h))
        env.process(dispatcher(env, st))
        env.run(until=horizon_h)
        n_events += next(env._eid)

        # rasterize change points (numpy, no stepping)
        queue_on = np.ones((n_t, n_q + 1), dtype=bool)
        queue_on[:, :n_q] = _raster(grid, st.queue_changes, n_q, 1).astype(bool)
        sub_on = _raster(grid, st.sub_changes, n_s, 1).astype(bool)
        feeder_ok = _raster(grid, st.feeder_changes, n_f, 1).astype(bool)
        fp = queue_on[:, fq] & sub_on[:, fsub] & feeder_ok
        feeder_power[r] = fp
        gs = rasterize(grid, np.asarray(st.g_t), np.asarray(st.g_col, dtype=np.int64),
                       np.asarray(st.g_val, dtype=np.int64), np.zeros(n_g), dtype=np.int8)
        group_state[r] = gs
        group_heat[r] = np.where(is_dh, gs == 0, fp[:, network.group_feeder])
        if st.k_changes:
            kt, kv = zip(*st.k_changes, strict=True)
            queues_off[r] = rasterize(grid, np.asarray(kt), np.zeros(len(kt), dtype=np.int64),
                                      np.asarray(kv, dtype=np.int64), np.zeros(1))[:, 0]
        else:
            queues_off[r] = 0.0
        records.append(_events_frame(r, st.events))
    des_seconds = time.perf_counter() - t0

    events = _label_events(pd.concat(records, ignore_index=True) if records else None, network, city)
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


def _raster(grid: TimeGrid, changes: list[tuple], n: int, initial: int) -> np.ndarray:
    init = np.full(n, initial)
    if not changes:
        return np.broadcast_to(init.astype(np.int16), (grid.n_steps, n))
    t, c, v = zip(*changes, strict=True)
    return rasterize(grid, np.asarray(t), np.asarray(c, dtype=np.int64), np.asarray(v, dtype=np.int64), init)


def _events_frame(r: int, events: list[tuple]) -> pd.DataFrame:
    df = pd.DataFrame(events, columns=["time_h", "kind", "node_id", "group", "detail"])
    df.insert(0, "realization", r)
    return df


def _label_events(df: pd.DataFrame | None, net: Network, city: City) -> pd.DataFrame:
    """Node ids and group indices -> names, kinds and districts; sorted by realization and time."""
    if df is None or df.empty:
        return pd.DataFrame({c: pd.Series(dtype=float if c == "time_h" else object) for c in EVENT_COLUMNS})
    node_id = df["node_id"].to_numpy().astype(np.int64)
    group = df["group"].to_numpy().astype(np.int64)
    has_node = node_id >= 0
    has_group = group >= 0
    names = net.nodes["name"].to_numpy(object)
    kinds = net.nodes["kind"].to_numpy(object)
    dists = net.nodes["district"].to_numpy(object)
    g_dist = city.groups["district"].to_numpy(object)
    node = np.full(len(df), "", dtype=object)
    kind = np.full(len(df), "", dtype=object)
    district = np.full(len(df), "", dtype=object)
    node[has_node], kind[has_node], district[has_node] = (
        names[node_id[has_node]], kinds[node_id[has_node]], dists[node_id[has_node]])
    node[has_group] = np.char.add("G", group[has_group].astype(str)).astype(object)
    kind[has_group] = "building_group"
    district[has_group] = g_dist[group[has_group]]
    out = pd.DataFrame({"realization": df["realization"].to_numpy(np.int64), "time_h": df["time_h"].to_numpy(float),
                        "kind": df["kind"].to_numpy(object), "node": node, "node_kind": kind,
                        "district": district, "detail": df["detail"].to_numpy(object)})
    return out.sort_values(["realization", "time_h"], kind="stable", ignore_index=True)
