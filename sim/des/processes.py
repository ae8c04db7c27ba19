"""The state of one realization's grid and heat network, and the strike ``wave`` process.

:class:`GridTables` holds what every realization of a run reads and nobody writes (topology as plain
Python lists and tuples, per-group constants, demand coefficients); :func:`sim.des.simulate_supply` builds
it once per run. :class:`GridState` holds what the SimPy processes of one realization share: node damage,
which city substations are energized, which heat sources run, the building groups' heat-network states,
the repair shop, and the change points and event records the DES emits (flat tuples, turned into arrays
and a DataFrame at the end by :mod:`sim.des`). State changes of the grid are propagated synchronously by
:meth:`GridState.update_grid`, which wakes the heat-network operators and the dispatcher through events.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Generator, Sequence

import numpy as np
import simpy
from simpy.events import PENDING

from sim.des.network import Network
from sim.des.repair import RepairShop, repair_crew
from sim.des.timeline import NORMAL
from sim.timegrid import TimeGrid

#: Random numbers drawn per building group in advance, for its first K outages/restarts (CRN by group).
K_DRAWS = 8


class FirstOf(simpy.Event):
    """``a | b`` for the DES's waits (a timeout or a wake-up event): triggered when the first of the two is
    processed, like SimPy's :class:`~simpy.events.AnyOf` and at the same point of the schedule, without
    building a condition value (the processes do not read it)."""

    def __init__(self, env: simpy.Environment, a: simpy.Event, b: simpy.Event) -> None:
        self.env = env
        self.callbacks = [self._done]
        self._events = (a, b)
        for ev in self._events:
            if ev.callbacks is None:
                self._check(ev)
            else:
                ev.callbacks.append(self._check)

    def _check(self, event: simpy.Event) -> None:
        if self._value is not PENDING:
            return
        if event._ok:
            self._ok = True
            self._value = None
            self.env.schedule(self)
        else:
            event._defused = True
            self.fail(event._value)

    def _done(self, _event: simpy.Event) -> None:
        check = self._check
        for ev in self._events:
            cbs = ev.callbacks
            if cbs and check in cbs:
                cbs.remove(check)


class GridTables:
    """Read-only tables of a run, shared by all its realizations (built once, never written).

    Parameters
    ----------
    net : Network
    grid : TimeGrid
    rp : dict
        Validated repair parameters (:func:`sim.des.repair_params`).
    group_households, group_buildings : numpy.ndarray
        Households and buildings of each group (G,). [households], [buildings]
    heater_kw_per_household : float
        Expected electric-heater load of a household without heat (share x heater power). [kW]
    """

    def __init__(self, net: Network, grid: TimeGrid, rp: dict, group_households: np.ndarray,
                 group_buildings: np.ndarray, heater_kw_per_household: float) -> None:
        self.net, self.grid, self.rp = net, grid, rp
        p = self.p = net.params
        self.dt_h = float(grid.dt_h)
        self.crews = {"power": max(1, round(rp["power_crews"] * rp["crew_multiplier"] / rp["power_crews_per_job"])),
                      "heat": max(1, round(rp["heat_crews"] * rp["crew_multiplier"] / rp["heat_crews_per_job"]))}
        self.n_nodes = len(net.nodes)
        self.kinds = [str(k) for k in net.nodes["kind"]]
        self.sub_index = {int(n): i for i, n in enumerate(net.substations)}
        self.feeder_index = {int(n): i for i, n in enumerate(net.feeders)}
        self.feeder_sub_idx = [self.sub_index[int(s)] for s in net.feeder_substation]
        # (substation index, its node, the transmission nodes feeding it: first and second, or first twice)
        self.subs = tuple((i, int(n), int(f[0]), int(f[-1]))
                          for i, (n, f) in enumerate(zip(net.substations, net.substation_feeds, strict=True)))
        if any(len(f) not in (1, 2) for f in net.substation_feeds):
            raise ValueError("a city substation must be fed by one or two transmission substations")
        ts_cap = net.nodes.loc[net.transmission, "capacity_mw"].to_numpy(float)
        self.ts_cap = tuple(zip((int(t) for t in net.transmission), ts_cap, strict=True))
        self.ts_cap_total = float(ts_cap.sum()) or 1.0
        chp = net.nodes.index[net.nodes["kind"] == "chp"]
        avail = float(p["chp_available_frac"])
        self.chp_mw = tuple((int(n), float(net.nodes.at[n, "capacity_mw"]) * avail) for n in chp)
        self.allotment_mw = float(p["national_allotment_mw"])
        self.source_nodes = [int(n) for n in net.heat_sources]
        self.source_feeder = [int(f) for f in net.heat_source_feeder]
        # (source index, its node, feeder index, substation index of the feeder)
        self.sources = tuple((h, n, f, self.feeder_sub_idx[f])
                             for h, (n, f) in enumerate(zip(self.source_nodes, self.source_feeder, strict=True)))
        self.zones = [np.flatnonzero(net.group_heat_source == h) for h in range(len(self.source_nodes))]
        self.zone_lists = [z.tolist() for z in self.zones]
        self.group_source = net.group_heat_source
        self.group_source_list = [int(h) for h in net.group_heat_source]
        self.n_groups = len(net.group_feeder)
        self.households = np.asarray(group_households, dtype=float)
        self.households_list = self.households.tolist()
        self.buildings = np.asarray(group_buildings, dtype=float)
        #: ``restart_h_per_building`` x buildings of each group (the order of the original product). [crew-h]
        self.restart_h = [rp["restart_h_per_building"] * b for b in self.buildings.tolist()]
        #: Event detail of a group ("N buildings"), formatted once.
        self.group_note = [f"{b:.0f} buildings" for b in self.buildings.tolist()]
        self.heater_kw_per_household = float(heater_kw_per_household)
        # demand = peak x (mild_frac + (1 - mild_frac) x clip((mild - T) / (mild - design), 0, 1.5))
        self.mild_c = p["mild_temperature_c"]
        self.mild_span = p["mild_temperature_c"] - p["design_temperature_c"]
        self.peak_mw = p["peak_demand_mw"]
        self.mild_frac = p["mild_demand_frac"]
        self.rise_frac = 1.0 - p["mild_demand_frac"]
        self.block_h = p["queue_block_h"]
        self.n_queues = net.n_queues


class GridState:
    """Shared state of one realization (one SimPy environment).

    Parameters
    ----------
    env : simpy.Environment
    tables : GridTables
        The run's read-only tables.
    outdoor_c : numpy.ndarray
        Outdoor temperature of this realization on the grid (T,). [degC]
    draws : dict
        Per-group random arrays (G, K_DRAWS): ``drain_u``, ``undrained_u``, ``restart_f``, ``frozen_f``;
        and ``emergency_keys`` (blocks, queues).
    """

    def __init__(self, env: simpy.Environment, tables: GridTables, outdoor_c: np.ndarray, draws: dict) -> None:
        tb = self.tables = tables
        self.env, self.net, self.grid, self.rp, self.p = env, tb.net, tb.grid, tb.rp, tb.p
        rp = tb.rp
        self.outdoor_c = np.asarray(outdoor_c, dtype=float)
        self.outdoor = self.outdoor_c.tolist()
        x = np.minimum(np.maximum((tb.mild_c - self.outdoor_c) / tb.mild_span, 0.0), 1.5)
        #: Temperature-dependent demand of each step (:meth:`demand_mw` without heaters). [MW]
        self.base_demand = (tb.peak_mw * (tb.mild_frac + tb.rise_frac * x)).tolist()
        #: The event log, by column (``log`` appends one record): time [h], kind, node id, group, detail.
        self.ev_t: list[float] = []
        self.ev_kind: list[str] = []
        self.ev_node: list[int] = []
        self.ev_group: list[int] = []
        self.ev_detail: list[str] = []
        self.shop = RepairShop(env, tb.crews, rp["transformer_spares"], rp["transformer_lead_days"] * 24.0,
                               log=self.log)
        self.damaged = [False] * tb.n_nodes
        self.kinds = tb.kinds
        self.sub_on = [True] * len(tb.subs)
        self.feeder_ok = [True] * len(tb.feeder_sub_idx)
        self.source_nodes = tb.source_nodes
        self.source_running = [True] * len(tb.source_nodes)
        self.source_event = [env.event() for _ in tb.source_nodes]
        self.zones = tb.zones
        self.group_source = tb.group_source
        # group states and pending restarts: bytearrays (fast scalar access) with numpy views (zone masks)
        self.gstate_b = bytearray(tb.n_groups)
        self.gstate = np.frombuffer(self.gstate_b, dtype=np.int8)
        self.households = tb.households
        self.buildings = tb.buildings
        self.heater_kw_per_household = tb.heater_kw_per_household
        self.unheated_households = 0.0
        self.restart_pending_b = bytearray(tb.n_groups)
        self.restart_pending = np.frombuffer(self.restart_pending_b, dtype=bool)
        self.restart_queue: list[deque[int]] = [deque() for _ in tb.source_nodes]
        self.zone_crews = [0] * len(tb.source_nodes)
        self.restart_count = [0] * tb.n_groups
        self.stop_count = [0] * len(tb.source_nodes)
        self.draws = draws
        # flat lists: [g * K_DRAWS + k]
        self.restart_f = draws["restart_f"].ravel().tolist()
        self.drain_u = draws["drain_u"].ravel().tolist()
        self.undrained_u = draws["undrained_u"].ravel().tolist()
        self._supply: float | None = None
        # dispatcher
        self.changed = env.event()
        self.emergency_until = -math.inf
        self.queue_on = [True] * tb.n_queues
        self.k_off = 0.0
        self.dispatch_key: tuple | None = None  # (k, block, emergency) of the last dispatch
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
        self.ev_t.append(time_h)
        self.ev_kind.append(kind)
        self.ev_node.append(node)
        self.ev_group.append(group)
        self.ev_detail.append(detail)

    def log_groups(self, times: list[float], kind: str, groups: list[int]) -> None:
        """One record per group (detail: its buildings) at ``times`` (one per group)."""
        n = len(groups)
        note = self.tables.group_note
        self.ev_t.extend(times)
        self.ev_kind.extend([kind] * n)
        self.ev_node.extend([-1] * n)
        self.ev_group.extend(groups)
        self.ev_detail.extend([note[g] for g in groups])

    @property
    def events(self) -> list[tuple]:
        """The event log as ``(time_h, kind, node, group, detail)`` records."""
        return list(zip(self.ev_t, self.ev_kind, self.ev_node, self.ev_group, self.ev_detail, strict=True))

    def set_groups(self, time_h: float | np.ndarray, groups: Sequence[int] | np.ndarray, state: int) -> None:
        """Set the heat-network state of ``groups`` from ``time_h`` (scalar or per group) on.

        Keeps the heater load (households without heat) current.
        """
        groups = np.asarray(groups, dtype=np.int64)
        n = len(groups)
        if n == 0:
            return
        was_normal = self.gstate[groups] == NORMAL
        hh = self.households[groups]
        if state == NORMAL:
            self.unheated_households -= float(hh[~was_normal].sum())
        else:
            self.unheated_households += float(hh[was_normal].sum())
        self.gstate[groups] = state
        if isinstance(time_h, np.ndarray):
            self.g_t.extend(time_h.astype(float, copy=False).tolist())
        else:
            self.g_t.extend([float(time_h)] * n)
        self.g_col.extend(groups.tolist())
        self.g_val.extend([state] * n)

    def set_groups_list(self, time_h: float | list[float], groups: list[int], state: int) -> None:
        """:meth:`set_groups` for a list of groups (time scalar or one per group), without numpy calls
        except the heater-load sum (the same numpy sum as :meth:`set_groups`, for identical numbers)."""
        n = len(groups)
        if n == 0:
            return
        gstate = self.gstate_b
        if state == NORMAL:
            changed = [g for g in groups if gstate[g] != NORMAL]
            if changed:
                self.unheated_households -= float(self.households[changed].sum())
        else:
            changed = [g for g in groups if gstate[g] == NORMAL]
            if changed:
                self.unheated_households += float(self.households[changed].sum())
        for g in groups:
            gstate[g] = state
        if isinstance(time_h, list):
            self.g_t.extend(time_h)
        else:
            self.g_t.extend([float(time_h)] * n)
        self.g_col.extend(groups)
        self.g_val.extend([state] * n)

    def set_group(self, time_h: float, g: int, state: int) -> None:
        """Scalar fast path of :meth:`set_groups` for one group."""
        gstate = self.gstate_b
        old = gstate[g]
        if old == NORMAL and state != NORMAL:
            self.unheated_households += self.tables.households_list[g]
        elif old != NORMAL and state == NORMAL:
            self.unheated_households -= self.tables.households_list[g]
        gstate[g] = state
        self.g_t.append(time_h)
        self.g_col.append(g)
        self.g_val.append(state)

    def outdoor_at(self, time_h: float) -> float:
        """Outdoor temperature at ``time_h`` (the value of its step). [degC]"""
        outdoor = self.outdoor
        i = int(time_h / self.tables.dt_h + 1e-9)
        return outdoor[min(max(i, 0), len(outdoor) - 1)]

    def notify(self) -> None:
        """Wake the dispatcher (grid supply changed)."""
        if not self.changed.triggered:
            self.changed.succeed()

    # -- grid state -----------------------------------------------------------------------------------
    def update_grid(self) -> None:
        """Recompute energized substations and running heat sources; wake whoever cares."""
        env = self.env
        now = env.now
        damaged = self.damaged
        sub_on = self.sub_on
        for i, sub, t1, t2 in self.tables.subs:
            on = not damaged[sub] and not (damaged[t1] and damaged[t2])
            if on != sub_on[i]:
                sub_on[i] = on
                self.sub_changes.append((now, i, int(on)))
        running, feeder_ok, source_event = self.source_running, self.feeder_ok, self.source_event
        for h, node, f, s in self.tables.sources:
            run = not damaged[node] and feeder_ok[f] and sub_on[s]
            if run != running[h]:
                running[h] = run
                ev, source_event[h] = source_event[h], env.event()
                ev.succeed()
        self.notify()

    def damage(self, node: int, repair_h: float, needs_transformer: bool) -> None:
        """A hit on ``node``: it goes down; its repair work is added (a crew is dispatched if none is)."""
        kind = self.kinds[node]
        if kind == "feeder" and not self.damaged[node]:
            f = self.tables.feeder_index[node]
            self.feeder_ok[f] = False
            self.feeder_changes.append((self.env.now, f, 0))
        self.damaged[node] = True
        self._supply = None
        if math.isfinite(repair_h) and self.shop.add_work(node, repair_h * self.rp["repair_time_multiplier"],
                                                          needs_transformer):
            self.env.process(repair_crew(self.env, self.shop, node, kind, on_done=self.repaired))

    def repaired(self, node: int) -> None:
        """Callback of a finished repair: the node is back."""
        self.damaged[node] = False
        self._supply = None
        if self.kinds[node] == "feeder":
            f = self.tables.feeder_index[node]
            self.feeder_ok[f] = True
            self.feeder_changes.append((self.env.now, f, 1))
        self.update_grid()

    def supply_mw(self) -> float:
        """Electric supply: national allotment via the transmission substations up, plus CHPs up. [MW]"""
        if self._supply is None:
            tb, damaged = self.tables, self.damaged
            ts = sum(c for t, c in tb.ts_cap if not damaged[t]) / tb.ts_cap_total
            chp = sum(mw for n, mw in tb.chp_mw if not damaged[n])
            self._supply = tb.allotment_mw * ts + chp
        return self._supply

    def demand_mw(self, outdoor_c: float) -> float:
        """Temperature-dependent demand plus electric heaters in flats without heat. [MW]"""
        tb = self.tables
        x = (tb.mild_c - outdoor_c) / tb.mild_span
        x = min(max(x, 0.0), 1.5)
        base = tb.peak_mw * (tb.mild_frac + tb.rise_frac * x)
        return base + self.unheated_households * tb.heater_kw_per_household / 1000.0

    def demand_now_mw(self, time_h: float) -> float:
        """:meth:`demand_mw` at the outdoor temperature of ``time_h``'s step (from the per-step table). [MW]"""
        base = self.base_demand
        i = min(max(int(time_h / self.tables.dt_h + 1e-9), 0), len(base) - 1)
        return base[i] + self.unheated_households * self.tables.heater_kw_per_household / 1000.0


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
