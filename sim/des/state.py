"""The state of one realization's grid and heat network, and its one update path.

:class:`SupplyState` holds the component state as flat columns (one list per column, indexed like the
network's component tables): nodes damaged or destroyed, units in service, substations energized,
feeders live, heat sources running with their deliverable capacity and pumping, building groups served
by their source and their codes (state and cause, :mod:`sim.des.timeline`). :meth:`SupplyState.update`
is the only place where the derived columns are recomputed from the damage columns (substations ->
feeders -> pumping -> sources -> the zones' supply plans); the heat-network functions of
:mod:`sim.des.heatnet` then move the building groups that gained or lost flow. The state records change
points and a flat event log; nothing here knows about buildings' physics.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from itertools import compress
from operator import itemgetter
from typing import Any

import numpy as np
import simpy

from sim.des import heatnet, sources
from sim.des.repair import RepairShop
from sim.des.simpy_adapter import CrewPool
from sim.des.tables import RunTables
from sim.des.timeline import HEATED, MAINS_FROZEN, MOBILE_BIT, NO_PUMPING_POWER, SOURCE_DAMAGED

#: The heat dispatcher plans supply for the coldest hour this far ahead (the forecast it works with). [h]
PLAN_AHEAD_H = 24.0
#: Random numbers drawn per building group in advance, for its first K outages/restarts (CRN by group).
K_DRAWS = 8
#: Group codes whose group has heat: heated by its source (0) or by a mobile boiler (:mod:`sim.des.timeline`).
_HEATED_CODE = tuple(c == 0 or bool(c & MOBILE_BIT) for c in range(64))


class SupplyState:
    """Shared state of one realization (one SimPy environment).

    Parameters
    ----------
    env : simpy.Environment
    tables : RunTables
        The run's read-only tables.
    outdoor_c : numpy.ndarray
        Outdoor temperature of this realization on the grid (T,). [degC]
    draws : dict
        Per-group random arrays (G, K_DRAWS): ``drain_u``, ``restart_f``, ``fault_u``, ``fault_f``; and
        ``emergency_keys`` (blocks, queues).
    """

    def __init__(self, env: simpy.Environment, tables: RunTables, outdoor_c: np.ndarray, draws: dict) -> None:
        tb = self.tables = tables
        self.env, self.rp = env, tb.rp
        rp = tb.rp
        self.outdoor_c = np.asarray(outdoor_c, dtype=float)
        self.outdoor = self.outdoor_c.tolist()
        self._dt_h, self._last_step = tb.dt_h, len(self.outdoor) - 1  # for step_at
        x = np.minimum(np.maximum((tb.mild_c - self.outdoor_c) / tb.mild_span, 0.0), 1.5)
        #: Temperature-dependent electric demand of each step (without heaters). [MW]
        self.base_demand = (tb.peak_mw * (tb.mild_frac + tb.rise_frac * x)).tolist()
        #: Heat demand factor of each step (:meth:`RunTables.heat_demand_factor`). [1]
        self.heat_factor = tb.heat_demand_factor(self.outdoor_c)
        #: Cumulative frost exposure at each step boundary, degree-hours below 0 degC (T + 1,). [K h]
        self.frost_cum = np.concatenate([[0.0], np.cumsum(np.maximum(-self.outdoor_c, 0.0) * tb.dt_h)])
        self.frost_cum_list = self.frost_cum.tolist()
        self.frost_rate = np.maximum(-self.outdoor_c, 0.0).tolist()  # [K]
        #: The heat demand factor the dispatcher plans for at each step (the next 24 hours' coldest). [1]
        ahead = max(1, math.ceil(PLAN_AHEAD_H / tb.dt_h))
        padded = np.concatenate([self.heat_factor, np.full(ahead - 1, -np.inf)])
        self.plan_factor = np.lib.stride_tricks.sliding_window_view(padded, ahead).max(axis=1).tolist()
        # event log (``log`` appends one record): (time [h], kind, node id, group, detail)
        self.ev_records: list[tuple[float, str, int, int, str]] = []
        self._ev_append = self.ev_records.append
        self.shop = RepairShop(env, tb.crews, rp["transformer_spares"], rp["transformer_lead_days"] * 24.0,
                               log=self.log)
        self.mobile_transformers = simpy.Container(env, init=rp["mobile_transformers"], capacity=1e9)
        n_s, n_f, n_h, n_u, n_g = len(tb.subs), tb.n_feeders, tb.n_sources, tb.n_units, tb.n_groups
        # -- component state: damage (set by hits and repairs) -----------------------------------------------
        self.down = [False] * tb.n_nodes  # damaged, not yet repaired (a CHP: the plant tripped)
        self.destroyed = [False] * tb.n_nodes
        self.expected_back: dict[int, float] = {}  # node -> when the operator expects it back [h]
        self.unit_ok = [True] * n_u
        self.unit_until = [0.0] * n_u  # a damaged unit is back at [h]
        self.node_units_down: dict[int, set[int]] = {}  # boiler-cluster node -> houses its repair restores
        self.sub_mobile = [False] * n_s  # a mobile transformer carries the substation
        self.feeder_ok = [True] * n_f
        self.feeder_reswitched = [False] * n_f
        self.mains_frozen = [False] * n_h
        self.workarounds: set[int] = set()  # substations whose transformer workaround has started
        self._dirty: set[int] = set(range(n_h))  # sources whose status update() must recompute
        self._feeders_dirty: set[int] = set(range(n_f))  # feeders whose live state update() must recompute
        # -- derived state (update) ---------------------------------------------------------------------
        self.sub_on = [True] * n_s
        self.sub_unfed_since = [math.inf] * n_s  # its transmission feed is down since [h]
        # update(): the damage of the substations' nodes its last substation pass saw (damaged, destroyed;
        # mobile transformers), and the first time a re-switch under way then feeds its substation [h]
        nodes = tb.sub_input_nodes
        self._sub_inputs = itemgetter(*nodes) if len(nodes) > 1 else (lambda col: tuple(col[n] for n in nodes))
        self._subs_key: tuple | None = None
        self._subs_wait_until = math.inf
        self.feeder_live = [True] * n_f  # powered apart from outage queues
        self.dark_hh = 0.0  # households on feeders that are not live
        self.source_running = [True] * n_h
        self.source_reason = [HEATED] * n_h  # why a zone gets no flow at all
        # deliverable heat capacity [MW] and electric output [MW] of each source: source_cap, source_power
        self.source_status: list[Any] = [None] * n_h  # last status the plan was made for
        # everything intact at the start (the run's tables hold these sums)
        self.served = bytearray(tb.zone_groups_mask)  # the plan: the group gets flow from its source
        self.served_n = [len(zone) for zone in tb.zones]  # interconnected zones: length of the served prefix
        self.source_cap = list(tb.source_heat_mw)
        self.source_power = list(tb.source_power_mw)
        self.unit_heat_ok = list(tb.source_heat_mw)  # heat of units in service [MW]
        self.turbines_ok = list(tb.source_turbines)
        self.power_ok = list(tb.source_power_mw)  # electric capacity of turbines in service [MW]
        self.zone_cause = [HEATED] * n_h  # cause of the unserved part of an interconnected zone
        self.short_since = [math.inf] * n_h  # a cross-fed zone has been short of heat since [h]
        self.plan_outdoor_c = self.outdoor_at(0.0)
        # -- building groups ------------------------------------------------------------------------------
        self.gcode = bytearray(n_g)
        self.epoch = [0] * n_g
        self.stop_count = [0] * n_g
        self.restart_count = [0] * n_g
        self.unheated_hh = 0.0
        self.draws = draws
        # flat (G * K_DRAWS,) views, read with .item(): a few hundred draws are used, not all
        self.drain_u: np.ndarray = draws["drain_u"].ravel()
        self.restart_f: np.ndarray = draws["restart_f"].ravel()
        self.fault_u: np.ndarray = draws["fault_u"].ravel()
        self.fault_f: np.ndarray = draws["fault_f"].ravel()
        self.warm_start = False
        self.ops = heatnet.init_state(self)  # the heat-network operators' state
        self.frozen_pool = CrewPool(env, capacity=max(1, rp["frozen_crews"]))
        # -- dispatcher ------------------------------------------------------------------------------------
        self.changed = env.event()
        self.emergency_until = -math.inf
        self.emergency_start = 0.0  # the current (or last) emergency began at [h]
        self.queue_on = [True] * tb.n_queues
        self.queue_off_emergency = [False] * tb.n_queues  # the queue went off under emergency outages
        self.k_off = 0.0
        self.dispatch_key: tuple | None = None
        self._supply: float | None = None
        # -- change points (time_h, column, value) ---------------------------------------------------------
        self.queue_changes: list[tuple[float, int, int]] = []
        self.feeder_changes: list[tuple[float, int, int]] = []
        self.k_changes: list[tuple[float, float]] = []
        self.cap_changes: list[tuple[float, int, float]] = []
        self.g_t: list[float] = []
        self.g_col: list[int] = []
        self.g_val: list[int] = []
        self._g_t_append, self._g_col_append, self._g_val_append = self.g_t.append, self.g_col.append, self.g_val.append
        self._group_households = tb.group_households

    # -- records ------------------------------------------------------------------------------------------
    def log(self, time_h: float, kind: str, node: int = -1, group: int = -1, detail: str = "") -> None:
        self._ev_append((time_h, kind, node, group, detail))

    @property
    def events(self) -> list[tuple]:
        """The event log as ``(time_h, kind, node, group, detail)`` records."""
        return list(self.ev_records)

    def event_columns(self) -> tuple[tuple | list, ...]:
        """The event log by column: times [h], kinds, node ids, groups, details (in record order)."""
        if not self.ev_records:
            return [], [], [], [], []
        return tuple(zip(*self.ev_records, strict=True))

    def set_code(self, g: int, code: int, time_h: float | None = None) -> None:
        """The one setter of a building group's code (state and cause): heater load and change point (at
        ``time_h``, default now: lazy drains record their own past time)."""
        gcode = self.gcode
        old = gcode[g]
        if old != code:
            if _HEATED_CODE[old] != _HEATED_CODE[code]:
                # a - x is a + (-x) in IEEE arithmetic: the same sums as subtracting and adding
                self.unheated_hh += -self._group_households[g] if _HEATED_CODE[code] else self._group_households[g]
            gcode[g] = code
            self._g_t_append(self.env.now if time_h is None else time_h)
            self._g_col_append(g)
            self._g_val_append(code)

    def set_codes(self, groups: list[int], codes: list[int], time_h: float) -> None:
        """:meth:`set_code` of distinct groups, in order, at ``time_h`` (one call for a zone's moves)."""
        gcode, heated, hh = self.gcode, _HEATED_CODE, self._group_households
        t_append, col_append, val_append = self._g_t_append, self._g_col_append, self._g_val_append
        unheated = self.unheated_hh
        for g, code in zip(groups, codes, strict=True):
            old = gcode[g]
            if old != code:
                if heated[old] != heated[code]:
                    unheated += -hh[g] if heated[code] else hh[g]  # the same sums as set_code, in order
                gcode[g] = code
                t_append(time_h)
                col_append(g)
                val_append(code)
        self.unheated_hh = unheated

    # -- time helpers -------------------------------------------------------------------------------------
    def step_at(self, time_h: float) -> int:
        i = int(time_h / self._dt_h + 1e-9)
        i = 0 if i < 0 else i  # min(max(i, 0), last): the builtins cost more than the comparisons
        return self._last_step if self._last_step < i else i

    def outdoor_at(self, time_h: float) -> float:
        """Outdoor temperature at ``time_h`` (the value of its step). [degC]"""
        return self.outdoor[self.step_at(time_h)]

    def frost_at(self, time_h: float) -> float:
        """Cumulative frost exposure at ``time_h`` (linear within a step). [K h]"""
        dt = self.tables.dt_h
        i, last = int(time_h / dt), self._last_step
        i = 0 if i < 0 else last if last < i else i  # min(max(i, 0), last)
        return self.frost_cum_list[i] + (time_h - i * dt) * self.frost_rate[i]

    def time_of_frost(self, frost_k_h: float) -> float:
        """First time at which cumulative frost reaches ``frost_k_h`` (inf if never within the run). [h]"""
        if frost_k_h <= 0:
            return 0.0
        fc = self.frost_cum_list
        i = bisect_left(fc, frost_k_h - 1e-9)  # fc[i-1] < target <= fc[i]
        if i < 1 or i >= len(fc):
            return math.inf
        j = i - 1
        rate = self.frost_rate[j]
        dt = self.tables.dt_h
        frac = (frost_k_h - fc[j]) / rate if rate > 0 else 0.0
        frac = 0.0 if frac < 0.0 else frac  # min(max(frac, 0.0), dt)
        return j * dt + (dt if dt < frac else frac)

    def times_of_frost(self, frost_k_h: list[float]) -> list[float]:
        """:meth:`time_of_frost` of many targets at once (numpy). [h]"""
        fc = self.frost_cum
        target = np.asarray(frost_k_h, dtype=float)
        i = np.searchsorted(fc, target - 1e-9, side="left")  # fc[i-1] < target <= fc[i]
        out = np.full(target.shape, math.inf)
        ok = (i >= 1) & (i < len(fc))
        j = i[ok] - 1
        rate = np.maximum(-self.outdoor_c[j], 0.0)
        dt = self.tables.dt_h
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.where(rate > 0, (target[ok] - fc[j]) / np.where(rate > 0, rate, 1.0), 0.0)
        out[ok] = j * dt + np.minimum(np.maximum(frac, 0.0), dt)
        out[target <= 0] = 0.0
        return out.tolist()

    def notify(self) -> None:
        """Wake the dispatcher (grid supply or demand changed)."""
        if not self.changed.triggered:
            self.changed.succeed()

    # -- the update path ----------------------------------------------------------------------------------
    def update(self, replan: bool = False) -> None:
        """Recompute substations, feeders, pumping and sources from the damage columns, re-plan the zones
        whose sources changed (all zones with ``replan``), move the groups that gained or lost flow, and wake
        the dispatcher."""
        tb = self.tables
        now = self.env.now
        heatnet.flush_drains(self, now)
        down, sub_on, sub_mobile, destroyed = self.down, self.sub_on, self.sub_mobile, self.destroyed
        changed_subs: list[int] = []
        # the substations are a function of their nodes' damage and, while a re-switch is under way, of the
        # time: with the damage as at the last pass and no re-switch done since, that pass's result stands
        inputs = self._sub_inputs
        key = (inputs(down), inputs(destroyed), tuple(sub_mobile))
        if key != self._subs_key or now >= self._subs_wait_until:
            self._subs_key = key
            wait_until = math.inf
            unfed_since = self.sub_unfed_since
            inf, reswitchable = math.inf, tb.sub_reswitchable
            ts_up: bool | None = None  # any_transmission_up(), once per update (nothing here changes it)
            for i, node, t1, t2 in tb.subs:
                fed = not down[t1] or (t2 >= 0 and not down[t2])
                if fed:
                    unfed_since[i] = inf
                elif reswitchable[i] and (ts_up if ts_up is not None else (ts_up := self.any_transmission_up())):
                    # the 110 kV network is re-switched to another transmission substation (B5)
                    if unfed_since[i] == inf:
                        unfed_since[i] = now
                        self.push_replan(now + self.rp["reswitch_h"])
                    t_fed = unfed_since[i] + self.rp["reswitch_h"] - 1e-9
                    fed = now >= t_fed
                    if not fed and t_fed < wait_until:
                        wait_until = t_fed  # fed later by the time alone
                on = fed and (not down[node] or (sub_mobile[i] and not destroyed[node]))
                if on != sub_on[i]:
                    sub_on[i] = on
                    changed_subs.append(i)
            self._subs_wait_until = wait_until
        if changed_subs or self._feeders_dirty:
            self._update_feeders(now, changed_subs)
        self._supply = None
        dirty = self._dirty
        if replan:
            dirty.update(tb.interconnected_sources)
        others = tb.source_link_others
        for h in list(dirty):  # a zone cross-fed by a changed source re-plans too
            dirty.update(others[h])
        order = sorted(dirty)
        dirty.clear()
        statuses = [self._source_status(h) for h in order]
        cap = self.source_cap
        for h, status in zip(order, statuses, strict=True):
            if others[h]:  # cross-fed: the donors' capacity is part of the plan's input
                status = (*status, tuple([round(cap[o], 6) for o in others[h]]))
            previous = self.source_status[h]
            if status != previous or (replan and tb.source_interconnected[h]):
                self.source_status[h] = status
                self._plan(h, now, previous)
        self.notify()

    def feeders_changed(self, feeders: Any) -> None:
        """Mark feeders (indices) for the next :meth:`update` (hit or repaired, or re-switched)."""
        self._feeders_dirty.update(feeders)

    def touch(self, h: int) -> None:
        """Mark source h for the next :meth:`update` (its damage, units, pumping or mains changed)."""
        self._dirty.add(h)

    def any_transmission_up(self) -> bool:
        return any(not self.down[t] for t, _c in self.tables.ts_cap)

    def _update_feeders(self, now: float, changed_subs: list[int]) -> None:
        """Feeders live (powered apart from queues): those marked (hit, repaired or re-switched) and those
        that a changed substation feeds (directly, as second feed, or re-switched in its district)."""
        tb = self.tables
        sub_on, live, ok, resw = self.sub_on, self.feeder_live, self.feeder_ok, self.feeder_reswitched
        seen = self._feeders_dirty
        any_reswitched = True in resw
        for i in changed_subs:
            seen.update(tb.sub_all_feeders[i])
            if any_reswitched:
                for j in tb.district_subs[tb.sub_district[i]]:
                    feeders_j = tb.sub_feeders[j]
                    seen.update(compress(feeders_j, map(resw.__getitem__, feeders_j)))  # those re-switched
        feeders = sorted(seen)
        seen.clear()
        feeder_sub, feeder_alt, feeder_hh, feeder_source = tb.feeder_sub, tb.feeder_alt, tb.feeder_hh, tb.feeder_source
        change = self.feeder_changes.append
        for f in feeders:
            s, alt = feeder_sub[f], feeder_alt[f]
            on = ok[f] and (sub_on[s] or (alt >= 0 and sub_on[alt])
                            or (resw[f] and any(sub_on[j] for j in tb.district_subs[tb.sub_district[s]] if j != s)))
            if on != live[f]:
                live[f] = on
                hh = feeder_hh[f]
                self.dark_hh += -hh if on else hh
                change((now, f, int(on)))
                if on and hh > 0:
                    self.log(now, "reconnect", tb.feeder_nodes[f], -1, tb.feeder_note[f])
                if feeder_source[f] >= 0:
                    self._dirty.add(feeder_source[f])

    def _source_status(self, h: int) -> tuple:
        """Deliverable capacity [MW], the reason of a stop, the sections that deliver (boiler clusters) and
        grid power of the pumps of source h; sets its running flag, capacity and electric output."""
        tb = self.tables
        node = tb.source_nodes[h]
        grid_pump = self.feeder_live[tb.source_feeder[h]]
        if tb.source_kind[h] == "chp":
            tripped = self.down[node]
            house = tb.source_house_load[h] and self.turbines_ok[h] > 0
            # a tripped plant needs grid power to start again; a running one powers its own pumps (house load)
            running = not tripped and (grid_pump or (self.source_running[h] and house))
            self.source_running[h] = running
            power = self.power_ok[h] if running else 0.0
            cap = self.unit_heat_ok[h] if running else 0.0
            if not running:
                reason = SOURCE_DAMAGED if tripped else NO_PUMPING_POWER
            else:
                reason = SOURCE_DAMAGED if cap <= 0 else HEATED
            sections = None
        else:
            running = not self.destroyed[node]
            self.source_running[h] = running
            unit_ok, backup = self.unit_ok, tb.unit_backup
            units = tb.source_units[h]
            sections = tuple([unit_ok[u] and running and (grid_pump or backup[u]) for u in units])
            cap = 0.0
            for u, on in zip(units, sections, strict=True):
                if on:
                    cap += tb.unit_heat_mw[u]
            power = 0.0
            reason = SOURCE_DAMAGED if not running else HEATED if grid_pump else NO_PUMPING_POWER
        if self.mains_frozen[h]:
            cap, reason = 0.0, MAINS_FROZEN
            sections = None if sections is None else tuple([False] * len(sections))
        if cap != self.source_cap[h]:
            self.source_cap[h] = cap
            self.cap_changes.append((self.env.now, h, cap))
        self.source_power[h] = power
        return (round(cap, 6), reason, sections, grid_pump)

    def _plan(self, h: int, now: float, previous: tuple | None) -> None:
        """The supply plan of zone h (which groups get flow), and the moves of the groups it changes.

        ``previous``: the status the last plan was made for (only the groups it changes move).
        """
        tb = self.tables
        zone = tb.zones[h]
        if not zone:
            return
        cap, reason, sections = self.source_status[h][:3]
        served = self.served
        gained: list[int] = []
        lost: list[int] = []
        why: list[int] = []
        if sections is not None:  # boiler houses: each heats its own section
            before = previous[2] if previous is not None and previous[2] is not None else None
            for j, (u, ok) in enumerate(zip(tb.source_units[h], sections, strict=True)):
                cause = HEATED if ok else (SOURCE_DAMAGED if not self.unit_ok[u] or reason == SOURCE_DAMAGED
                                           else MAINS_FROZEN if reason == MAINS_FROZEN else NO_PUMPING_POWER)
                if before is not None and previous is not None and before[j] == ok and (ok or previous[1] == reason):
                    continue  # this section's plan is unchanged
                for g in tb.section_groups[u]:
                    if ok:
                        if not served[g]:
                            gained.append(g)
                    else:
                        lost.append(g)
                        why.append(cause)
        else:  # one network: serve a prefix of the zone's serve order
            # the linked zones' surplus reaches this network only while its own pumps circulate
            pumps = self.source_status[h][3] or self.source_running[h]
            cap_eff = cap + (sources.cross_feed_mw(self, h) if pumps else 0.0)
            n = sources.served_count(tb, h, cap_eff, self.plan_demand_factor())
            cause = reason if cap <= 0 and reason != HEATED else SOURCE_DAMAGED
            old = self.served_n[h]
            self.served_n[h] = n
            if n > old:
                gained = [g for g in zone[old:n] if not served[g]]
            if cause != self.zone_cause[h]:
                lost = zone[n:]  # every unserved group takes the new cause
            elif n < old:
                lost = zone[n:old]
            why = [cause] * len(lost)
            self.zone_cause[h] = cause
            if 0 < n < len(zone) and n != old:
                self.log(now, "shed", tb.source_nodes[h], -1, f"{len(zone) - n} of {len(zone)} groups shed")
        for g in gained:
            served[g] = 1
        for g in lost:
            served[g] = 0
        if lost:
            heatnet.lose_flow(self, h, lost, why)
        if gained:
            heatnet.gain_flow(self, h, gained)

    def replan(self) -> None:
        """The heat dispatcher's periodic re-plan against the forecast: only the interconnected zones whose
        plan can change with the temperature (short of the demand of the coldest hour of the next day,
        shedding, or waiting for cross-feeding) are planned again; the grid has not changed since the last
        update, so the dispatcher is woken only if a plan moved groups."""
        heatnet.flush_drains(self, self.env.now)
        tb = self.tables
        d = self.plan_demand_factor()
        changed = False
        for h in tb.interconnected_sources:
            status = self.source_status[h]
            if status is None or not tb.zones[h]:
                continue
            short = status[0] < tb.source_design_mw[h] * d  # short of the full demand: cross-feed, shed
            if short or self.served_n[h] < len(tb.zones[h]) or self.short_since[h] < math.inf:
                self._plan(h, self.env.now, status)
                changed = True
        if changed:
            self.notify()

    def push_replan(self, time_h: float) -> None:
        """Re-plan the zones at ``time_h`` (an operator action: valves re-switched for cross-feeding)."""
        heatnet.push(self, time_h, heatnet.REPLAN, -1, 0)

    def plan_demand_factor(self) -> float:
        """Heat demand factor the dispatcher plans for: the coldest step of the next 24 hours (a plan that
        holds through the daily cycle, so buildings are not connected and shed again within a day). [1]"""
        i = int(self.env.now / self._dt_h + 1e-9)  # self.step_at(now), inlined
        i = 0 if i < 0 else i  # min(max(i, 0), last)
        return self.plan_factor[self._last_step if self._last_step < i else i]

    # -- damage and repair --------------------------------------------------------------------------------
    def is_destroyed(self, node: int) -> bool:
        return self.destroyed[node]

    def repaired(self, node: int) -> None:
        """Callback of a finished repair job: the node is back (a destroyed node stays down)."""
        if self.destroyed[node]:
            return
        tb = self.tables
        self.down[node] = False
        self.expected_back.pop(node, None)
        if tb.node_source[node] >= 0:
            self._dirty.add(tb.node_source[node])
        kind = tb.kinds[node]
        if kind == "feeder":
            self.feeder_ok[tb.feeder_index[node]] = True
            self._feeders_dirty.add(tb.feeder_index[node])
        elif kind == "boiler":
            for u in self.node_units_down.pop(node, ()):
                self.unit_back(u, update=False)
        elif kind == "substation":
            i = tb.sub_index[node]
            for f in tb.sub_feeders[i]:
                self.feeder_reswitched[f] = False
            self._feeders_dirty.update(tb.sub_all_feeders[i])
            if self.sub_mobile[i]:
                self.sub_mobile[i] = False
                self.mobile_transformers.put(1)
        self.update()

    def unit_out(self, u: int, until_h: float) -> None:
        tb = self.tables
        self._dirty.add(tb.unit_source[u])
        if self.unit_ok[u]:
            h = tb.unit_source[u]
            self.unit_ok[u] = False
            self.unit_heat_ok[h] -= tb.unit_heat_mw[u]
            if tb.unit_kind[u] == "turbine":
                self.turbines_ok[h] -= 1
                self.power_ok[h] -= tb.unit_power_mw[u]
        self.unit_until[u] = max(self.unit_until[u], until_h)

    def unit_back(self, u: int, update: bool = True) -> None:
        tb = self.tables
        if self.destroyed[tb.source_nodes[tb.unit_source[u]]] or self.unit_ok[u]:
            return
        if tb.kinds[tb.source_nodes[tb.unit_source[u]]] == "chp" and self.unit_until[u] > self.env.now + 1e-9:
            return  # hit again meanwhile: a later repair brings it back
        h = tb.unit_source[u]
        self._dirty.add(h)
        self.unit_ok[u] = True
        self.unit_heat_ok[h] += tb.unit_heat_mw[u]
        if tb.unit_kind[u] == "turbine":
            self.turbines_ok[h] += 1
            self.power_ok[h] += tb.unit_power_mw[u]
        self.log(self.env.now, "unit_back", tb.source_nodes[tb.unit_source[u]], -1, tb.unit_name[u])
        if update:
            self.update()

    def expected_outage_h(self, h: int) -> float:
        """How long the operator expects zone h to get no (or not enough) heat, from the damage it knows. [h]"""
        tb = self.tables
        now = self.env.now
        node = tb.source_nodes[h]
        if self.destroyed[node] or self.mains_frozen[h]:
            return math.inf
        back = -math.inf
        if self.down[node]:
            back = self.expected_back.get(node, now)
        reason = self.source_status[h][1] if self.source_status[h] else HEATED
        if reason == NO_PUMPING_POWER or not self.feeder_live[tb.source_feeder[h]]:
            pumping = self._pumping_back(tb.source_feeder[h], now)
            back = pumping if pumping > back else back  # max(back, pumping)
        if back == -math.inf:  # nothing else known: the damaged units' expected returns
            unit_ok, until = self.unit_ok, self.unit_until
            damaged = [until[u] for u in tb.source_units[h] if not unit_ok[u]]
            if damaged:
                back = min(damaged)
        if back == -math.inf:
            return 12.0  # nothing known: the operator's default guess [L]
        back -= now
        return 0.0 if back < 0.0 else back  # max(back - now, 0.0)

    def _pumping_back(self, f: int, now: float) -> float:
        """When the operator expects power back on feeder f (its own repair, its substation's or the
        transmission feeding it; a mobile transformer or re-switching if sooner). [h]"""
        tb = self.tables
        eb = self.expected_back
        back = now
        node = tb.feeder_nodes[f]
        if not self.feeder_ok[f]:
            back = max(back, eb.get(node, now))
        subs = [tb.feeder_sub[f]] + ([tb.feeder_alt[f]] if tb.feeder_alt[f] >= 0 else [])
        best = math.inf
        for i in subs:
            _, s_node, t1, t2 = tb.subs[i]
            t = now
            if self.down[s_node] and not self.sub_mobile[i]:
                t = max(t, min(eb.get(s_node, now), now + self.rp["mobile_transformer_install_h"]
                               if self.mobile_transformers.level > 0 else math.inf))
            if self.down[t1] and (t2 < 0 or self.down[t2]):
                t = max(t, min(eb.get(t1, now), eb.get(t2, now) if t2 >= 0 else math.inf))
            best = min(best, t)
        return max(back, best)

    # -- electric supply and demand ------------------------------------------------------------------------
    def supply_mw(self) -> float:
        """Electric supply: national allotment via the transmission substations up (each carrying up to
        ``transmission_headroom_frac`` times its share), its response to the city generation lost, plus
        the CHPs' output. [MW]"""
        if self._supply is None:
            tb, down = self.tables, self.down
            ts = min(1.0, tb.ts_headroom * sum(c for t, c in tb.ts_cap if not down[t]) / tb.ts_cap_total)
            chp = sum(self.source_power)
            lost = max(tb.chp_power_nominal_mw - chp, 0.0)
            self._supply = (tb.allotment_mw + tb.allotment_extra_mw(lost)) * ts + chp
        return self._supply

    def demand_now_mw(self, time_h: float) -> float:
        """Electric demand of the load that can be supplied (on live feeders): temperature-dependent demand
        plus electric heaters in flats without heat, scaled by the share of households not dark. [MW]"""
        tb = self.tables
        i = int(time_h / self._dt_h + 1e-9)  # self.step_at(time_h), inlined
        i = 0 if i < 0 else i  # min(max(i, 0), last)
        base = self.base_demand[self._last_step if self._last_step < i else i]
        heaters = self.unheated_hh * tb.heater_kw_per_household / 1000.0
        lit = 1.0 - self.dark_hh / tb.total_hh
        return (base + heaters) * (0.0 if lit < 0.0 else lit)  # max(lit, 0.0)
