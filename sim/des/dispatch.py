"""Dispatch and queues: the dispatcher turns the supply deficit into outage queues off, by schedule.

Power balance over the load that can be supplied: demand is the temperature-dependent demand plus
electric heaters in flats without heat, counted only on feeders that are live (a feeder dark from damage
draws nothing, so it does not make other queues go off). Supply is the national allotment through the
transmission substations that are up, plus what the national dispatcher grants as the city loses its own
generation (``city.grid.allotment_response``, a scenario curve), plus the CHPs' output (turbines in
service of running plants; calibration C4). With ``Q`` queues (C1: six), ``k = ceil(Q x deficit / demand
- tol)`` queues are off (``tol`` = ``city.grid.queue_rounding_tol``: a deficit of a fraction of a queue is
absorbed by voltage and frequency reduction rather than rounded up to a whole queue), so the share of
consumers off is about k/Q and each queue is off about ``k x block`` hours a day (C1: 1 queue ~ 4 h/day
with 4-hour blocks). Queues rotate by block: in block ``b`` queues ``(b k + j) mod Q`` for ``j < k`` are
off. After a major strike, emergency outages replace the schedule for ``emergency_outage_h`` (C3):
``k + emergency_extra_queues`` queues off, at most ``emergency_max_queues`` unless the deficit alone
needs more: a random order of the queues is drawn for each emergency and the first k of it are off
until it ends (schedules are suspended: the households cut stay cut, no rotation). Households whose queue
comes back after emergency outages are logged as ``reconnect`` events (the operators' count of
reconnections, calibration B7; the planned rotation is not counted). The dispatcher acts at block boundaries, at the end of emergencies
and whenever the grid changes (waves, repairs): never per time step, and per queue, not per feeder.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import TYPE_CHECKING

import numpy as np
import simpy

from sim.des.simpy_adapter import FirstOf

if TYPE_CHECKING:
    from sim.des.state import SupplyState


def queues_off(deficit_mw: float, demand_mw: float, n_queues: int, tol: float = 0.0) -> int:
    """Outage queues to switch off for a deficit (calibration C1: share off ~ k / n_queues); ``tol``: the
    part of a queue's worth of deficit absorbed before another queue goes off. [queues]

    Examples
    --------
    >>> queues_off(0.0, 1500.0, 6), queues_off(1.0, 1500.0, 6), queues_off(750.0, 1500.0, 6)
    (0, 1, 3)
    >>> queues_off(300.0, 1500.0, 6), queues_off(300.0, 1500.0, 6, tol=0.25)  # 1.2 queues' worth
    (2, 1)
    """
    if deficit_mw <= 0 or demand_mw <= 0:
        return 0
    return max(0, min(n_queues, math.ceil(n_queues * deficit_mw / demand_mw - tol - 1e-9)))


def rotation(block: int, k: int, n_queues: int) -> set[int]:
    """Queues off in rotation block ``block`` with ``k`` queues off: each queue k blocks out of n_queues.

    Examples
    --------
    >>> [sorted(rotation(b, 2, 6)) for b in range(3)]
    [[0, 1], [2, 3], [4, 5]]
    """
    return {(block * k + j) % n_queues for j in range(k)}


def dispatch(st: SupplyState) -> None:
    """Set the queues for now: deficit -> k queues, rotated by block or drawn in an emergency."""
    now = st.env.now
    tb = st.tables
    n_q = tb.n_queues
    demand = st.demand_now_mw(now)
    k = queues_off(demand - st.supply_mw(), demand, n_q, tb.rounding_tol)
    block = math.floor(now / tb.block_h + 1e-9)
    emergency = now < st.emergency_until - 1e-9
    key = (k, block, emergency)
    if key == st.dispatch_key:
        return  # the same queues as at the last dispatch: nothing changes
    st.dispatch_key = key
    if emergency:
        # emergency outages add queues, up to a cap; a deficit larger than the cap still counts in full
        k = max(k, min(n_q, k + round(st.rp["emergency_extra_queues"]), round(st.rp["emergency_max_queues"])))
        # one random order of the queues per emergency (drawn for the block it began in): the queues cut stay
        # cut until it ends, more are cut in that order if the deficit grows
        keys = st.draws["emergency_keys"]
        start = math.floor(st.emergency_start / tb.block_h + 1e-9)
        off = set(np.argsort(keys[start % len(keys)])[:k].tolist())
    else:
        off = rotation(block, k, n_q) if k else set()
    queue_on, off_emergency = st.queue_on, st.queue_off_emergency
    for q in range(n_q):
        on = q not in off
        if on != queue_on[q]:
            queue_on[q] = on
            st.queue_changes.append((now, q, int(on)))
            if not on:
                off_emergency[q] = emergency
            elif off_emergency[q]:
                # households back after an emergency outage (C3): reconnections as the operators count them
                # (B7); a planned rotation of the schedule is not one
                off_emergency[q] = False
                live, hh = st.feeder_live, tb.feeder_hh
                n = sum(hh[f] for f in tb.queue_feeders[q] if live[f])
                if n > 0:
                    st.log(now, "reconnect", -1, -1, f"{n:.0f} households; queue {q + 1} after emergency outages")
    if k != st.k_off:
        st.k_off = k
        st.k_changes.append((now, float(k)))
        st.log(now, "stage", -1, -1, f"{k} queues off" + (" (emergency outages)" if emergency else ""))


def dispatcher(env: simpy.Environment, st: SupplyState) -> Generator:
    """The grid dispatcher: re-sets the outage queues at each block boundary and whenever the grid changes."""
    block_h = st.tables.block_h
    floor = math.floor
    while True:
        if st.changed.triggered:
            st.changed = env.event()
        dispatch(st)
        now = env.now
        nxt = (floor(now / block_h + 1e-9) + 1) * block_h
        if st.emergency_until > now + 1e-9:
            nxt = min(nxt, st.emergency_until)
        yield FirstOf(env, env.timeout(nxt - now), st.changed)  # env.timeout(...) | st.changed
