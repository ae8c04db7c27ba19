"""The district-heating network's operators: drain decisions, freezing, refill and restart, mobile boilers.

When a building group loses flow (its source stops, cannot pump, or sheds it), its system is *stopped and
filled* (state 1). The network operator decides whether to drain it, on the damage it knows and the
forecast: it drains when the expected frost exposure of the outage (expected outage x mean frost of the
forecast, degree-hours below 0 degC) reaches ``drain_safety_frac`` of what a stopped system stands
(``freeze_k_h``), less what it has already taken (calibration E7: Kyiv drains when circulation stops in
frost). Draining starts after the operator's delay (``drain_delay_h`` x U(0.5, 1.5) per group) and is
paced by a finite city-wide capacity (``drain_buildings_per_h``), so delays grow when many zones stop at
once. A stopped system that is not drained accumulates frost exposure from the stop; when it passes the
group's own tolerance (``freeze_k_h``, lognormal between groups) it freezes (state 3; the Alchevsk disaster
of 22 January 2006: a network at about -28 degC left filled for more than six hours froze). Heat mains
freeze the same way with a larger tolerance (``city.grid.mains_freeze_k_h``); then the whole zone is frozen
until contractors restore them. Frozen buildings are restored by a finite pool of contractor teams, one
team per building for ``frozen_team_days_per_building``, which is reinforced (``frozen_crews_mobilized``)
``frozen_mobilize_days`` after the frozen backlog passes ``frozen_mobilize_buildings`` (Alchevsk: more
than 3,000 repairmen sent; a third of 700 houses still unheated after 19 days).

When flow returns, filled groups resume at once; drained ones are refilled and restarted by refill teams
in the order they became ready: ``heat_crews / heat_crews_per_job`` teams plus
``refill_extra_teams_per_kbuilding`` per 1,000 buildings waiting (building staff joining), at most
``refill_max_teams``; a group takes ``restart_h_per_building`` x buildings x a gamma factor / team crews
(calibration B2, B3). With probability ``restart_fault_prob`` a refilled group has local faults (air locks,
leaks) and waits a heavy-tailed extra time (Pareto, shape 1.5, median ``restart_fault_h``).

Mobile boiler houses (calibration B6: 51 in Kyiv) go first to hospitals, schools and heating points
(outside the model); the share ``mobile_boilers_housing_frac`` heats building groups whose source is
expected to stay down at least ``mobile_min_outage_h``, the groups with the most households per MW first,
``mobile_deploy_h`` after the outage, until their source serves them again.

All timed decisions of the operators are actions on one heap, handled by :func:`heat_network_operator`
(one SimPy process for the whole network); stale actions are recognized by the group's epoch.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from itertools import count
from typing import TYPE_CHECKING

import simpy

from sim.des.simpy_adapter import FirstOf
from sim.des.timeline import (
    DRAINED,
    DRAINED_WAITING,
    FROZEN,
    FROZEN_CAUSE,
    MAINS_FROZEN,
    MOBILE_BIT,
    NO_PUMPING_POWER,
    NORMAL,
    STOPPED,
    code,
)

if TYPE_CHECKING:
    from sim.des.state import SupplyState

#: Kinds of operator actions on the heap.
DRAIN, FREEZE, DECIDE, MAINS, FAULT, MOBILE, REPLAN = range(7)
K_DRAWS = 8
_DRAINED_WAITING = code(DRAINED, DRAINED_WAITING)


@dataclass(slots=True)
class OperatorState:
    """The heat-network operators' part of a realization's state (``SupplyState.ops``)."""

    #: timed operator actions, a heap of (time [h], seq, kind, target, epoch)
    actions: list[tuple[float, int, int, int, int]]
    #: batch id -> deque of (freeze time [h], group, epoch) in time order
    freeze_batches: dict[int, deque[tuple[float, int, int]]]
    #: lazy drains, a heap of (time [h], seq, group, epoch): applied at their times when state is read
    drains: list[tuple[float, int, int, int]]
    action_seq: Iterator[int]
    operator_wake: simpy.Event | None  # the operator's wake-up while it waits
    operator_next: float  # time of the operator's next action [h]
    drain_wake_at: float  # the drain teams' next wake-up [h]
    stop_time: list[float]  # per group: circulation stopped at [h]
    frost_stop: list[float]  # per group: the run's cumulative frost when it stopped [K h]
    drain_free_at: float  # the drain teams are free again at [h]
    refill_queue: deque[int]  # groups waiting for refill, in order
    refill_active: int  # refill teams at work
    refill_backlog: float  # buildings waiting for refill [buildings]
    mobile_free: int  # mobile boilers not deployed
    mobile_units: dict[int, int]  # group -> mobile boilers deployed there
    mobile_review_at: float  # next review of the mobile-boiler deployment [h]
    frozen_backlog: float  # frozen systems waiting for contractors [buildings]
    mobilized: bool  # the contractor pool has been mobilized
    mains_epoch: list[int]  # per source: epoch of its mains' frost watch
    zone_dark: list[bool]  # per source: its zone has no circulation
    mains_freeze_at: list[float]  # per source: its mains freeze at [h]


def init_state(st: SupplyState) -> OperatorState:
    """The heat-network operators' part of the realization state, at the start of a run."""
    tb = st.tables
    n_g, n_h = tb.n_groups, tb.n_sources
    return OperatorState(
        actions=[], freeze_batches={}, drains=[], action_seq=count(), operator_wake=None,
        operator_next=math.inf, drain_wake_at=-math.inf, stop_time=[0.0] * n_g, frost_stop=[0.0] * n_g,
        drain_free_at=-math.inf, refill_queue=deque(), refill_active=0, refill_backlog=0.0,
        mobile_free=round(st.rp["mobile_boilers"] * st.rp["mobile_boilers_housing_frac"]), mobile_units={},
        mobile_review_at=math.inf, frozen_backlog=0.0, mobilized=False, mains_epoch=[0] * n_h,
        zone_dark=[False] * n_h, mains_freeze_at=[math.inf] * n_h,
    )  # fmt: skip


def push(st: SupplyState, time_h: float, kind: int, target: int, epoch: int) -> None:
    """Schedule an operator action; wake the operator if it is waiting for a later one."""
    heapq.heappush(st.ops.actions, (time_h, next(st.ops.action_seq), kind, target, epoch))
    if time_h < st.ops.operator_next - 1e-9 and st.ops.operator_wake is not None and not st.ops.operator_wake.triggered:
        st.ops.operator_wake.succeed()


def flush_drains(st: SupplyState, until_h: float) -> None:
    """Apply the drains due by ``until_h`` (each at its own time) of groups still stopped.

    :func:`decide` schedules drains on the heap ``st.ops.drains`` (time, sequence number, group, epoch); they
    are applied lazily, at their own times, whenever the state is next read: the operator need not wake per
    building group (:func:`decide` schedules one wake-up at the last drain of a batch)."""
    drains = st.ops.drains
    if not drains or drains[0][0] > until_h + 1e-9:
        return
    epochs, gcode, heappop = st.epoch, st.gcode, heapq.heappop
    while drains and drains[0][0] <= until_h + 1e-9:
        t, _seq, g, epoch = heappop(drains)
        if epochs[g] == epoch and gcode[g] & 3 == STOPPED and not gcode[g] & MOBILE_BIT:
            _drain_now(st, g, t)


def heat_network_operator(env: simpy.Environment, st: SupplyState) -> Generator:
    """The heat network's control room: carries out the operators' timed actions (drains, freezes,
    re-decisions, faults fixed, mobile boilers) in time order."""
    heap = st.ops.actions
    handlers = (_drain_due, _freeze_due, _decide_due, _mains_due, _fault_fixed, _mobile_due, _replan_due)
    while True:
        now = env.now
        while heap and heap[0][0] <= now + 1e-9:
            _t, _seq, kind, target, epoch = heapq.heappop(heap)
            flush_drains(st, _t)
            handlers[kind](st, target, epoch)
        flush_drains(st, now)
        st.ops.operator_wake = env.event()
        if heap:
            st.ops.operator_next = heap[0][0]
            wait = heap[0][0] - now
            yield FirstOf(env, env.timeout(0.0 if wait < 0.0 else wait), st.ops.operator_wake)  # max(wait, 0.0)
        else:
            st.ops.operator_next = math.inf
            yield st.ops.operator_wake


def _replan_due(st: SupplyState, _target: int, _epoch: int) -> None:
    st.update(replan=True)


def heat_dispatcher(env: simpy.Environment, st: SupplyState) -> Generator:
    """Re-plans the networks' supply against the forecast every ``replan_h`` hours (demand changes with the
    outdoor temperature between events)."""
    while True:
        yield env.timeout(st.rp["replan_h"])
        st.replan()


# -- groups losing and gaining flow ------------------------------------------------------------------------
def lose_flow(st: SupplyState, h: int, groups: list[int], reasons: list[int]) -> None:
    """Groups of zone h get no flow (``reasons``: their cause of no heat). Filled ones stop and the
    operator decides on draining; drained ones wait; frozen ones stay frozen."""
    now = st.env.now
    gcode, tb = st.gcode, st.tables
    stopped: list[int] = []
    frost_now = st.frost_at(now)
    epoch, stop_count = st.epoch, st.stop_count
    stop_time, frost_stop = st.ops.stop_time, st.ops.frost_stop
    moved: list[int] = []  # the groups whose code is set (distinct: a zone's), and their new codes
    codes: list[int] = []
    for g, why in zip(groups, reasons, strict=True):
        c = gcode[g]
        if c & MOBILE_BIT:
            continue  # a mobile boiler heats it
        state = c & 3
        if state == NORMAL:
            moved.append(g)
            codes.append(STOPPED | why << 2)  # code(STOPPED, why)
            epoch[g] += 1
            stop_time[g] = now
            frost_stop[g] = frost_now
            stop_count[g] += 1
            stopped.append(g)
        elif state == STOPPED:
            moved.append(g)
            codes.append(STOPPED | why << 2)
        elif state == DRAINED:
            if c == _DRAINED_WAITING:
                epoch[g] += 1  # a refill waiting or under way is off
            moved.append(g)
            codes.append(DRAINED | why << 2)  # code(DRAINED, why)
    st.set_codes(moved, codes, now)
    dark = (st.served_n[h] == 0) if tb.source_interconnected[h] else not any(st.served[g] for g in tb.zones[h])
    no_pumps = st.source_status[h] is not None and st.source_status[h][1] == NO_PUMPING_POWER
    if st.ops.zone_dark[h] and not (dark and no_pumps):
        st.ops.zone_dark[h] = False  # pumps back (or part of the zone served): the mains circulate again
        st.ops.mains_epoch[h] += 1
    elif dark and no_pumps and not st.ops.zone_dark[h]:
        # the network's water stands still only when its pumps stop: its mains start to take frost
        st.ops.zone_dark[h] = True
        _watch_mains(st, h, now)  # before the decision: draining the zone drains its mains too
    if stopped:
        decide(st, h, stopped)
    if st.rp["mobile_boilers"] and st.ops.mobile_free > 0 and st.expected_outage_h(h) >= st.rp["mobile_min_outage_h"]:
        _schedule_mobile(st, now + st.rp["mobile_deploy_h"])


def gain_flow(st: SupplyState, h: int, groups: list[int]) -> None:
    """Groups of zone h get flow again: filled ones resume, drained ones queue for refill, mobile boilers
    are released."""
    gcode = st.gcode
    queued = False
    released = False
    epoch, ops = st.epoch, st.ops
    now = st.env.now
    buildings = st.tables.group_buildings
    moved: list[int] = []  # the groups whose code is set (distinct: a zone's), and their new codes
    codes: list[int] = []
    for g in groups:
        c = gcode[g]
        if c & MOBILE_BIT:
            ops.mobile_free += ops.mobile_units.pop(g, 0)
            moved.append(g)
            codes.append(0)
            epoch[g] += 1
            released = True
            continue
        state = c & 3
        if state == STOPPED:
            moved.append(g)
            codes.append(0)
            epoch[g] += 1
        elif state == DRAINED:
            moved.append(g)
            codes.append(_DRAINED_WAITING)
            epoch[g] += 1
            ops.refill_queue.append(g)
            ops.refill_backlog += buildings[g]
            queued = True
    st.set_codes(moved, codes, now)
    if st.ops.zone_dark[h]:
        st.ops.zone_dark[h] = False
        st.ops.mains_epoch[h] += 1
    if queued:
        staff_refill(st)
    if released:
        _schedule_mobile(st, now + st.rp["mobile_deploy_h"])


# -- drain decisions, drains and freezing ------------------------------------------------------------------
def expected_frost_k_h(st: SupplyState, outage_h: float) -> float:
    """Frost exposure the operator expects over an outage of ``outage_h`` hours: the outage times the mean
    frost (degrees below 0 degC) of the forecast over it, read at most ``drain_forecast_h`` ahead; 0 if the
    forecast stays at or above ``drain_threshold_c`` (E7: drained "in frost"). [K h]"""
    now = st.env.now
    window = min(outage_h, st.rp["drain_forecast_h"])
    i0 = st.step_at(now)
    i1 = min(st.step_at(now + window) + 1, len(st.outdoor))
    if i1 <= i0:
        return 0.0
    fc = st.frost_cum_list
    rate = (fc[i1] - fc[i0]) / ((i1 - i0) * st.tables.dt_h)  # mean frost of the window [K]
    if rate <= 0:
        return 0.0
    # below 0 degC somewhere: below a threshold >= 0 too; a threshold below 0 is checked
    thr = st.rp["drain_threshold_c"]
    if thr < 0 and float(st.outdoor_c[i0:i1].min()) >= thr:
        return 0.0  # no frost below the operators' drain threshold in the forecast
    return outage_h * rate if math.isfinite(outage_h) else math.inf


def decide(st: SupplyState, h: int, groups: list[int]) -> None:
    """The operator decides on draining stopped groups of zone h (distinct; see the module docstring)."""
    rp, tb = st.rp, st.tables
    now = st.env.now
    outage = st.expected_outage_h(h)
    # the exposure until the systems would be drained: the expected outage, or the operator's delay if longer
    delay = rp["drain_delay_h"]
    exposure = expected_frost_k_h(st, delay if delay > outage else outage)  # max(outage, delay)
    frost_now = st.frost_at(now)
    tolerance = rp["freeze_k_h"]
    thr = tb.freeze_k_h
    drain: list[int] = []
    if exposure > 0:
        safety = rp["drain_safety_frac"]
        frost_stop = st.ops.frost_stop
        for g in groups:
            left = tolerance - (frost_now - frost_stop[g])
            if exposure >= safety * (0.0 if left < 0.0 else left):  # max(left, 0.0)
                drain.append(g)
    drain_at: dict[int, float] = {}
    if drain and st.ops.mains_freeze_at[h] > now + (0.0 if st.warm_start else rp["drain_delay_h"]):
        st.ops.mains_epoch[h] += 1  # the mains are drained with the zone, after the operator's delay
    if drain:
        if st.warm_start:
            for g in drain:  # the outage happened before the run: the systems were drained then
                _drain_now(st, g, now)
                drain_at[g] = now
        else:
            delay, u, stop_count = rp["drain_delay_h"], st.drain_u, st.stop_count
            due = sorted([(now + delay * (0.5 + u.item(g * K_DRAWS + stop_count[g] % K_DRAWS)), g) for g in drain])
            rate = rp["drain_buildings_per_h"]
            free = st.ops.drain_free_at
            buildings, epoch, drains, seq = tb.group_buildings, st.epoch, st.ops.drains, st.ops.action_seq
            for t, g in due:
                free = (t if t >= free else free) + buildings[g] / rate  # max(t, free) + ...
                drain_at[g] = free
                heapq.heappush(drains, (free, next(seq), g, epoch[g]))  # applied by flush_drains
            st.ops.drain_free_at = free
            if free > st.ops.drain_wake_at:  # one wake-up at the last drain: the log is complete without reads
                st.ops.drain_wake_at = free
                push(st, free, DRAIN, -1, 0)
    inf = math.inf
    frost_stop = st.ops.frost_stop
    watch = groups
    if drain_at:
        # a group drained before its frost exposure comes within 1e-6 K h of its tolerance cannot freeze
        # first (cumulative frost never decreases): its freeze time need not be searched
        # st.frost_at(drain_at[g]), inlined (the same arithmetic)
        fc, rate_of, dt, last = st.frost_cum_list, st.frost_rate, tb.dt_h, len(st.outdoor) - 1
        watch = []
        for g in groups:
            t = drain_at.get(g)
            if t is not None:
                i = int(t / dt)
                i = 0 if i < 0 else last if last < i else i  # min(max(i, 0), last)
                if fc[i] + (t - i * dt) * rate_of[i] < frost_stop[g] + thr[g] - 1e-6:
                    continue
            watch.append(g)
    if len(watch) > 32:  # a zone's worth: one vectorized search
        times = st.times_of_frost([frost_stop[g] + thr[g] for g in watch])
    else:
        times = [st.time_of_frost(frost_stop[g] + thr[g]) for g in watch]
    epoch = st.epoch
    if drain_at:
        batch = [(t, g, epoch[g]) for g, t in zip(watch, times, strict=True) if t < inf and t < drain_at.get(g, inf)]
    else:
        batch = [(t, g, epoch[g]) for g, t in zip(watch, times, strict=True) if t < inf]
    batch.sort()
    if batch:  # one freeze check at the earliest freeze of the batch (re-armed for the next)
        b = next(st.ops.action_seq)
        st.ops.freeze_batches[b] = deque(batch)
        push(st, max(batch[0][0], now), FREEZE, b, 0)
    # groups left filled (distinct groups: drain is a subset of them) are decided again after the outage
    if len(drain) < len(groups) and math.isfinite(outage):
        push(st, now + (1.0 if outage < 1.0 else outage), DECIDE, h, 0)  # max(outage, 1.0)


def _drain_now(st: SupplyState, g: int, time_h: float) -> None:
    st.set_code(g, DRAINED | (st.gcode[g] >> 2 & 7) << 2, time_h)  # code(DRAINED, its cause)
    st.epoch[g] += 1
    st.log(time_h, "drain", -1, g, st.tables.group_note[g])


def _drain_due(st: SupplyState, _g: int, _epoch: int) -> None:
    """The wake-up at the last drain of a batch (the drains themselves are flushed before handlers)."""


def _freeze_due(st: SupplyState, batch: int, _epoch: int) -> None:
    """Freeze the groups of a batch due by now that are still stopped and filled; re-arm for the rest."""
    items = st.ops.freeze_batches[batch]
    now = st.env.now
    while items and items[0][0] <= now + 1e-9:
        _t, g, epoch = items.popleft()
        if st.epoch[g] == epoch and st.gcode[g] & 3 == STOPPED and not st.gcode[g] & MOBILE_BIT:
            freeze(st, g)
    while items and st.epoch[items[0][1]] != items[0][2]:
        items.popleft()  # resumed, drained or frozen meanwhile
    if items:
        push(st, items[0][0], FREEZE, batch, 0)
    else:
        del st.ops.freeze_batches[batch]


def _decide_due(st: SupplyState, h: int, _epoch: int) -> None:
    """Re-decision on a zone's groups still stopped after the outage the operator expected."""
    gcode, served = st.gcode, st.served
    groups = [g for g in st.tables.zones[h] if gcode[g] & 3 == STOPPED and not served[g] and not gcode[g] & MOBILE_BIT]
    if groups:
        decide(st, h, groups)


def freeze(st: SupplyState, g: int) -> None:
    """A stopped, filled system froze: contractors restore it, building by building."""
    st.set_code(g, code(FROZEN, FROZEN_CAUSE))
    st.epoch[g] += 1
    tb, rp = st.tables, st.rp
    st.log(st.env.now, "freeze", -1, g, tb.group_note[g])
    st.ops.frozen_backlog += tb.group_buildings[g]
    st.env.process(frozen_system_contractors(st.env, st, g))
    if not st.ops.mobilized and st.ops.frozen_backlog >= rp["frozen_mobilize_buildings"] and rp["frozen_crews_mobilized"]:
        st.ops.mobilized = True
        st.env.process(contractor_mobilization(st.env, st))


def _watch_mains(st: SupplyState, h: int, now: float) -> None:
    """A whole zone without flow: its filled mains accumulate frost until drained or back in use."""
    k_h = st.tables.source_mains_k_h[h]
    st.ops.mains_freeze_at[h] = math.inf
    if math.isfinite(k_h):
        t = st.time_of_frost(st.frost_at(now) + k_h)
        if math.isfinite(t):
            st.ops.mains_freeze_at[h] = t
            push(st, t, MAINS, h, st.ops.mains_epoch[h])


def _mains_due(st: SupplyState, h: int, epoch: int) -> None:
    if st.ops.mains_epoch[h] != epoch or not st.ops.zone_dark[h] or st.mains_frozen[h]:
        return
    st.mains_frozen[h] = True
    st.touch(h)
    tb = st.tables
    st.log(st.env.now, "mains_freeze", tb.source_nodes[h], -1, f"{tb.source_name[h]} heat mains froze")
    for g in tb.zones[h]:
        state = st.gcode[g] & 3
        if state == STOPPED:
            freeze(st, g)
        elif state == DRAINED:
            st.set_code(g, code(DRAINED, MAINS_FROZEN))
    st.env.process(mains_repair(st.env, st, h))
    st.update()


def mains_repair(env: simpy.Environment, st: SupplyState, h: int) -> Generator:
    """Contractors restore a zone's frozen heat mains (``frozen_mains_repair_days``)."""
    yield env.timeout(st.rp["frozen_mains_repair_days"] * 24.0)
    st.mains_frozen[h] = False
    st.touch(h)
    st.update()


def frozen_system_contractors(env: simpy.Environment, st: SupplyState, g: int) -> Generator:
    """Contractor teams restore a frozen group, one team per building (risers, radiators; E7: weeks)."""
    tb, rp = st.tables, st.rp
    n = max(1, round(tb.group_buildings[g]))
    days = rp["frozen_team_days_per_building"] * float(st.draws["frozen_f"][g, st.stop_count[g] % K_DRAWS])
    left = [n]
    done = env.event()
    for _ in range(n):
        env.process(_contractor_team(env, st, days * 24.0, left, done))
    yield done
    flush_drains(st, env.now)
    st.ops.frozen_backlog -= tb.group_buildings[g]
    if st.gcode[g] & 3 == FROZEN:
        st.log(env.now, "frozen_repaired", -1, g, tb.group_note[g])
        h = tb.group_source[g]
        if st.served[g] and not st.mains_frozen[h]:
            st.set_code(g, _DRAINED_WAITING)
            st.epoch[g] += 1
            st.ops.refill_queue.append(g)
            st.ops.refill_backlog += tb.group_buildings[g]
            staff_refill(st)
        else:
            st.set_code(g, code(DRAINED, MAINS_FROZEN if st.mains_frozen[h] else st.source_status[h][1] or 1))
            st.epoch[g] += 1


def _contractor_team(env: simpy.Environment, st: SupplyState, hours: float, left: list[int],
                     done: simpy.Event) -> Generator:
    with st.frozen_pool.request() as req:
        yield req
        yield env.timeout(hours)
    left[0] -= 1
    if left[0] == 0:
        done.succeed()


def contractor_mobilization(env: simpy.Environment, st: SupplyState) -> Generator:
    """Teams sent from elsewhere arrive ``frozen_mobilize_days`` after the frozen backlog grew large."""
    yield env.timeout(st.rp["frozen_mobilize_days"] * 24.0)
    st.frozen_pool.set_capacity(max(1, st.rp["frozen_crews"]) + st.rp["frozen_crews_mobilized"])
    st.log(env.now, "stage", -1, -1, f"{st.rp['frozen_crews_mobilized']} contractor teams mobilized")


# -- refill and restart ------------------------------------------------------------------------------------
def refill_teams_target(st: SupplyState) -> int:
    """Refill teams at work for the current backlog (base teams plus staff joining, capped). [teams]"""
    rp = st.rp
    base = st.tables.crews["heat"]
    extra = rp["refill_extra_teams_per_kbuilding"] * st.ops.refill_backlog / 1000.0
    return min(max(base, rp["refill_max_teams"]), int(base + extra))


def staff_refill(st: SupplyState) -> None:
    """Start refill teams up to the target for the backlog."""
    n = min(refill_teams_target(st), len(st.ops.refill_queue)) - st.ops.refill_active
    for _ in range(n):
        st.env.process(refill_team(st.env, st))


def refill_team(env: simpy.Environment, st: SupplyState) -> Generator:
    """A refill team (building staff with a heat-network crew) refills and restarts drained groups, one at a
    time, in the order they became ready; stops during air-raid alerts."""
    ops = st.ops
    ops.refill_active += 1
    q = ops.refill_queue
    tb, rp = st.tables, st.rp
    shop = st.shop
    per_team = rp["heat_crews_per_job"]
    h_per_building = rp["restart_h_per_building"]
    buildings, epochs, gcode, served = tb.group_buildings, st.epoch, st.gcode, st.served
    restart_count, restart_f, fault_u = st.restart_count, st.restart_f, st.fault_u
    fault_prob = rp["restart_fault_prob"]
    set_code, log = st.set_code, st.log
    # refill_teams_target(st), inlined: the most frequent check of the DES
    base, per_k, cap = tb.crews["heat"], rp["refill_extra_teams_per_kbuilding"] / 1000.0, rp["refill_max_teams"]
    cap = max(base, cap)
    while q and ops.refill_active <= (cap if (n := int(base + per_k * ops.refill_backlog)) >= cap else n):  # min(cap, n)
        if ops.drains:
            flush_drains(st, env.now)
        g = q.popleft()
        ops.refill_backlog -= buildings[g]
        if gcode[g] != _DRAINED_WAITING or not served[g]:
            continue
        epoch = epochs[g]
        k = g * K_DRAWS + restart_count[g] % K_DRAWS
        restart_count[g] += 1
        yield from shop.work(h_per_building * buildings[g] * restart_f.item(k) / per_team)
        if epochs[g] != epoch:
            continue  # its source stopped meanwhile: refilled again when it returns
        now = env.now
        if fault_u.item(k) < fault_prob:
            extra = rp["restart_fault_h"] * st.fault_f.item(k)
            log(now, "restart_fault", -1, g, f"local faults: {extra:.0f} h more")
            push(st, now + extra, FAULT, g, epoch)
        else:
            set_code(g, 0, now)
            epochs[g] += 1
            log(now, "restart", -1, g, tb.group_note[g])
    ops.refill_active -= 1


def _fault_fixed(st: SupplyState, g: int, epoch: int) -> None:
    if st.epoch[g] == epoch and st.gcode[g] == _DRAINED_WAITING and st.served[g]:
        st.set_code(g, 0)
        st.epoch[g] += 1
        st.log(st.env.now, "restart", -1, g, st.tables.group_note[g])


# -- mobile boilers ----------------------------------------------------------------------------------------
def _schedule_mobile(st: SupplyState, time_h: float) -> None:
    if time_h < st.ops.mobile_review_at - 1e-9:
        st.ops.mobile_review_at = time_h
        push(st, time_h, MOBILE, -1, 0)


def _mobile_due(st: SupplyState, _target: int, _epoch: int) -> None:
    """Deploy free mobile boilers to the groups that need them most (see the module docstring)."""
    now = st.env.now
    if now < st.ops.mobile_review_at - 1e-9:
        return  # a later review was superseded by an earlier one that already ran
    st.ops.mobile_review_at = math.inf
    tb, rp = st.tables, st.rp
    if st.ops.mobile_free <= 0:
        return
    d = st.plan_demand_factor()
    cands = []
    served = st.served
    for h in range(tb.n_sources):
        zone = tb.zones[h]
        if not zone or st.mains_frozen[h] or all(map(served.__getitem__, zone)):
            continue
        if st.expected_outage_h(h) < rp["mobile_min_outage_h"]:
            continue
        for g in zone:
            if not st.served[g] and not st.gcode[g] & MOBILE_BIT and st.gcode[g] & 3 != FROZEN:
                cands.append((-tb.group_hh_per_mw[g], g))
    cands.sort()
    for _, g in cands:
        need = max(1, math.ceil(tb.group_design_mw[g] * max(d, 1e-9) / rp["mobile_boiler_mw"] - 1e-9))
        if need <= st.ops.mobile_free:
            st.ops.mobile_free -= need
            st.ops.mobile_units[g] = need
            st.set_code(g, code(NORMAL, 0, mobile=True))
            st.epoch[g] += 1
            st.log(now, "mobile_boiler", -1, g, f"{need} mobile boiler houses")
