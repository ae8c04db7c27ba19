"""The state of one realization's grid and heat network, and the strike ``wave`` process.

:class:`GridState` holds what the SimPy processes of one realization share: node damage, which city
substations are energized, which heat sources run, the building groups' heat-network states, the repair
shop, and the change points and event records the DES emits (flat tuples, turned into arrays and a
DataFrame at the end by :mod:`sim.des`). State changes of the grid are propagated synchronously by
:meth:`GridState.update_grid`, which wakes the heat-network operators and the dispatcher through events.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Generator, Sequence

import numpy as np
import simpy

from sim.des.network import Network
from sim.des.repair import RepairShop, repair_crew
from sim.des.timeline import NORMAL
from sim.timegrid import TimeGrid

#: Random numbers drawn per building group in advance, for its first K outages/restarts (CRN by group).
K_DRAWS = 8


class GridState:
    """Shared state of one realization (one SimPy environment).

    Parameters
    ----------
    env : simpy.Environment
    net : Network
    grid : TimeGrid
    outdoor_c : numpy.ndarray
        Outdoor temperature of this realization on the grid (T,). [degC]
    rp : dict
        Validated repair parameters (:func:`sim.des.repair_params`).
    group_households, group_buildings : numpy.ndarray
        Households and buildings of each group (G,). [households], [buildings]
    heater_kw_per_household : float
        Expected electric-heater load of a household without heat (share x heater power). [kW]
    draws : dict
        Per-group random arrays (G, K_DRAWS): ``drain_u``, ``undrained_u``, ``restart_f``, ``frozen_f``;
        and ``emergency_keys`` (blocks, queues).
    """

    def __init__(self, env: simpy.Environment, net: Network, grid: TimeGrid, outdoor_c: np.ndarray, rp: dict,
                 group_households: np.ndarray, group_buildings: np.ndarray, heater_kw_per_household: float,
                 draws: dict) -> None:
        self.env, self.net, self.grid, self.rp = env, net, grid, rp
        self.p = net.params
        self.outdoor_c = np.asarray(outdoor_c, dtype=float)
        self.events: list[tuple] = []
        crews = {"power": max(1, round(rp["power_crews"] * rp["crew_multiplier"] / rp["power_crews_per_job"])),
                 "heat": max(1, round(rp["heat_crews"] * rp["crew_multiplier"] / rp["heat_crews_per_job"]))}
        self.shop = RepairShop(env, crews, rp["transformer_spares"], rp["transformer_lead_days"] * 24.0,
                               log=self.log)
        n_nodes = len(net.nodes)
        self.damaged = [False] * n_nodes
        self.kinds = list(net.nodes["kind"])
        self.sub_index = {int(n): i for i, n in enumerate(net.substations)}
        self.feeder_index = {int(n): i for i, n in enumerate(net.feeders)}
        self.feeder_sub_idx = [self.sub_index[int(s)] for s in net.feeder_substation]
        self.sub_feeds = [tuple(int(t) for t in f) for f in net.substation_feeds]
        self.sub_nodes = [int(n) for n in net.substations]
        self.sub_on = [True] * len(net.substations)
        self.feeder_ok = [True] * len(net.feeders)
        ts_cap = net.nodes.loc[net.transmission, "capacity_mw"].to_numpy(float)
        self.ts_cap = dict(zip((int(t) for t in net.transmission), ts_cap, strict=True))
        self.ts_cap_total = float(ts_cap.sum()) or 1.0
        chp = net.nodes.index[net.nodes["kind"] == "chp"]
        avail = float(self.p["chp_available_frac"])
        self.chp_mw = {int(n): float(net.nodes.at[n, "capacity_mw"]) * avail for n in chp}
        self.source_nodes = [int(n) for n in net.heat_sources]
        self.source_feeder = [int(f) for f in net.heat_source_feeder]
        self.source_running = [True] * len(self.source_nodes)
        self.source_event = [env.event() for _ in self.source_nodes]
        self.zones = [np.flatnonzero(net.group_heat_source == h) for h in range(len(self.source_nodes))]
        self.group_source = net.group_heat_source
        self.gstate = np.zeros(len(net.group_feeder), dtype=np.int8)
        self.households = np.asarray(group_households, dtype=float)
        self.buildings = np.asarray(group_buildings, dtype=float)
        self.heater_kw_per_household = float(heater_kw_per_household)
        self.unheated_households = 0.0
        self.restart_pending = np.zeros(len(self.gstate), dtype=bool)
        self.restart_queue: list[deque[int]] = [deque() for _ in self.source_nodes]
        self.zone_crews = [0] * len(self.source_nodes)
        self.restart_count = np.zeros(len(self.gstate), dtype=np.int64)
        self.stop_count = [0] * len(self.source_nodes)
        self.draws = draws
        # dispatcher
        self.changed = env.event()
        self.emergency_until = -math.inf
        self.queue_on = [True] * net.n_queues
        self.k_off = 0.0
        # change points (time_h, column, value)
        self.queue_changes: list[tuple[float, int, int]] = []
        self.sub_changes: list[tuple[float, int, int]] = []
        self.feeder_changes: list[tuple[float, int, int]] = []
        self.k_changes: list[tuple[float, float]] = []
        self.g_t: list[float] = []
        self.g_col: list[int] = []
        self.g_val: list[int] = []

    # -- records --------------------------------------------------------------------------------------
    def log(self, time_h: float, kind: str, node: int = -1, group: int = -1, detail: str = "") -> None:
        self.events.append((time_h, kind, node, group, detail))

    def set_groups(self, time_h: float | np.ndarray, groups: Sequence[int] | np.ndarray, state: int) -> None:
        """Set the heat-network state of ``groups`` from ``time_h`` (scalar or per group) on.

        Keeps the heater load (households without heat) current.
        """
        groups = np.asarray(groups, dtype=np.int64)
        if len(groups) == 0:
            return
        was_normal = self.gstate[groups] == NORMAL
        hh = self.households[groups]
        if state == NORMAL:
            self.unheated_households -= float(hh[~was_normal].sum())
        else:
            self.unheated_households += float(hh[was_normal].sum())
        self.gstate[groups] = state
        n = len(groups)
        self.g_t.extend(np.broadcast_to(np.asarray(time_h, dtype=float), (n,)).tolist())
        self.g_col.extend(groups.tolist())
        self.g_val.extend([state] * n)

    def set_group(self, time_h: float, g: int, state: int) -> None:
        """Scalar fast path of :meth:`set_groups` for one group."""
        old = self.gstate[g]
        if old == NORMAL and state != NORMAL:
            self.unheated_households += self.households[g]
        elif old != NORMAL and state == NORMAL:
            self.unheated_households -= self.households[g]
        self.gstate[g] = state
        self.g_t.append(time_h)
        self.g_col.append(g)
        self.g_val.append(state)

    def outdoor_at(self, time_h: float) -> float:
        """Outdoor temperature at ``time_h`` (the value of its step). [degC]"""
        i = min(max(int(time_h / self.grid.dt_h + 1e-9), 0), len(self.outdoor_c) - 1)
        return float(self.outdoor_c[i])

    def notify(self) -> None:
        """Wake the dispatcher (grid supply changed)."""
        if not self.changed.triggered:
            self.changed.succeed()

    # -- grid state -----------------------------------------------------------------------------------
    def update_grid(self) -> None:
        """Recompute energized substations and running heat sources; wake whoever cares."""
        now = self.env.now
        damaged = self.damaged
        for i, sub in enumerate(self.sub_nodes):
            on = not damaged[sub] and any(not damaged[t] for t in self.sub_feeds[i])
            if on != self.sub_on[i]:
                self.sub_on[i] = on
                self.sub_changes.append((now, i, int(on)))
        for h, node in enumerate(self.source_nodes):
            f = self.source_feeder[h]
            run = not damaged[node] and self.feeder_ok[f] and self.sub_on[self.feeder_sub_idx[f]]
            if run != self.source_running[h]:
                self.source_running[h] = run
                ev, self.source_event[h] = self.source_event[h], self.env.event()
                ev.succeed()
        self.notify()

    def damage(self, node: int, repair_h: float, needs_transformer: bool) -> None:
        """A hit on ``node``: it goes down; its repair work is added (a crew is dispatched if none is)."""
        kind = self.kinds[node]
        if kind == "feeder" and not self.damaged[node]:
            f = self.feeder_index[node]
            self.feeder_ok[f] = False
            self.feeder_changes.append((self.env.now, f, 0))
        self.damaged[node] = True
        if math.isfinite(repair_h) and self.shop.add_work(node, repair_h * self.rp["repair_time_multiplier"],
                                                          needs_transformer):
            self.env.process(repair_crew(self.env, self.shop, node, kind, on_done=self.repaired))

    def repaired(self, node: int) -> None:
        """Callback of a finished repair: the node is back."""
        self.damaged[node] = False
        if self.kinds[node] == "feeder":
            f = self.feeder_index[node]
            self.feeder_ok[f] = True
            self.feeder_changes.append((self.env.now, f, 1))
        self.update_grid()

    def supply_mw(self) -> float:
        """Electric supply: national allotment via the transmission substations up, plus CHPs up. [MW]"""
        ts = sum(c for t, c in self.ts_cap.items() if not self.damaged[t]) / self.ts_cap_total
        chp = sum(mw for n, mw in self.chp_mw.items() if not self.damaged[n])
        return float(self.p["national_allotment_mw"]) * ts + chp

    def demand_mw(self, outdoor_c: float) -> float:
        """Temperature-dependent demand plus electric heaters in flats without heat. [MW]"""
        p = self.p
        x = (p["mild_temperature_c"] - outdoor_c) / (p["mild_temperature_c"] - p["design_temperature_c"])
        x = min(max(x, 0.0), 1.5)
        base = p["peak_demand_mw"] * (p["mild_demand_frac"] + (1.0 - p["mild_demand_frac"]) * x)
        return base + self.unheated_households * self.heater_kw_per_household / 1000.0


def wave(env: simpy.Environment, st: GridState, time_h: float, wave_id: int, hits: list[tuple]) -> Generator:
    """A strike wave: at ``time_h`` its hits damage nodes; a major strike starts emergency outages (C3).

    ``hits`` are ``(node, node_kind, damage, repair_h, needs_transformer)``; ``wave_id`` -1 marks the
    failures of ``total_heat_loss`` (no wave, no emergency).
    """
    if time_h > env.now:
        yield env.timeout(time_h - env.now)
    if wave_id >= 0:
        st.log(env.now, "wave", -1, -1, f"wave {wave_id}: {len(hits)} hits")
    for node, _kind, level, repair_h, needs_tr in hits:
        st.log(env.now, "hit", node, -1, f"{level}; repair {repair_h:.0f} h" + ("; transformer" if needs_tr else ""))
        st.damage(node, repair_h, needs_tr)
    if wave_id >= 0 and len(hits) >= st.rp["emergency_min_hits"] and st.rp["emergency_outage_h"] > 0:
        st.emergency_until = max(st.emergency_until, env.now + st.rp["emergency_outage_h"])
        st.log(env.now, "emergency", -1, -1, f"schedules suspended for {st.rp['emergency_outage_h']:g} h")
    st.update_grid()
