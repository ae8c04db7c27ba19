"""The district-heating network: circulation, draining in frost, refill and restart, freezing.

A heat source delivers heat while it is undamaged and its network pumping has power. When it stops, its
zone's building groups lose circulation (state 1). In frost (outdoor below ``drain_threshold_c``) their
systems are drained within hours (``drain_delay_h`` x U(0.5, 1.5) per group; calibration E7) -> state 2.
A group not drained in time (probability ``undrained_prob``) freezes after ``freeze_after_h`` consecutive
hours below ``freeze_threshold_c`` -> state 3, and needs ``frozen_repair_days`` (lognormal) of riser and
radiator work before it can be refilled (E7: weeks, not days).

When the source returns, groups still filled resume at once; drained groups are refilled and restarted by
heat-network crews, one group per crew at a time, ``restart_h_per_building`` crew-hours per building
(calibration B2: ~2 days until heat reaches homes; the rate is fitted to the B3 restoration curve).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Generator

import numpy as np
import simpy

from sim.des.processes import K_DRAWS, FirstOf, GridState
from sim.des.repair import RESTART_PRIORITY, CrewRequest
from sim.des.timeline import DRAINED, FROZEN, NORMAL, STOPPED


def freeze_time_h(outdoor_c: np.ndarray, dt_h: float, t_stop_h: float, threshold_c: float,
                  freeze_after_h: float) -> float:
    """First time after ``t_stop_h`` at which a stopped, filled system has spent ``freeze_after_h``
    consecutive hours below ``threshold_c`` (outdoor piecewise constant per step); inf if never. [h]

    Examples
    --------
    >>> freeze_time_h(np.array([-5.0, -25.0, -25.0, -25.0, -5.0]), 1.0, 0.5, -15.0, 2.0)
    3.0
    >>> freeze_time_h(np.array([-25.0, -5.0, -25.0]), 1.0, 0.0, -15.0, 2.0)
    inf
    """
    i0 = min(max(int(t_stop_h / dt_h + 1e-9), 0), len(outdoor_c) - 1)
    below = outdoor_c[i0:] < threshold_c
    if not below.any():
        return math.inf
    dur = np.full(len(below), dt_h)
    dur[0] = (i0 + 1) * dt_h - t_stop_h
    cum = np.cumsum(dur * below)
    reset = np.maximum.accumulate(np.where(below, 0.0, cum))
    run = cum - reset
    j = np.flatnonzero(run >= freeze_after_h - 1e-9)
    if len(j) == 0:
        return math.inf
    j0 = int(j[0])
    return float((i0 + j0 + 1) * dt_h - (run[j0] - freeze_after_h))


def network_operator(env: simpy.Environment, st: GridState, h: int) -> Generator:
    """The operator of heat source ``h``'s network: stops circulation, drains in frost, resumes or
    hands drained groups to the heat-network crews when the source returns.

    Drains are recorded at their own times but handled in one wake-up (at the last drain due, or when the
    source returns first): the operator need not wake per building group. Zones are small (a few to a
    few hundred groups): plain lists, no numpy calls per wake-up.
    """
    zone = st.tables.zone_lists[h]
    rp = st.rp
    dt_h = st.tables.dt_h
    outdoor_c = st.outdoor_c
    outdoor = st.outdoor
    last_step = len(outdoor) - 1
    drain_thr = rp["drain_threshold_c"]
    undrained_prob = rp["undrained_prob"]
    drain_delay_h = rp["drain_delay_h"]
    recheck_h = rp["drain_recheck_h"]
    running = st.source_running
    source_event = st.source_event
    gstate = st.gstate_b
    pending = st.restart_pending_b
    drain_u, undrained_u = st.drain_u, st.undrained_u
    inf = math.inf
    while True:
        if running[h]:
            yield source_event[h]
            continue
        # the source has stopped
        t_stop = env.now
        col = st.stop_count[h] % K_DRAWS
        st.stop_count[h] += 1
        stopped = [g for g in zone if gstate[g] == NORMAL]
        st.set_groups_list(t_stop, stopped, STOPPED)
        to_drain: list[int] = []
        drain_at: list[float] = []
        at_risk: list[int] = []  # not drained (in time): may freeze
        for g in stopped:
            if undrained_u[g * K_DRAWS + col] < undrained_prob:
                at_risk.append(g)
            else:
                to_drain.append(g)
                drain_at.append(t_stop + drain_delay_h * (0.5 + drain_u[g * K_DRAWS + col]))
        order = sorted(range(len(drain_at)), key=drain_at.__getitem__)  # stable
        drain_groups = [to_drain[k] for k in order]  # in the order of their drain times
        drain_times = [drain_at[k] for k in order]
        n_drain = len(drain_times)
        last_drain = drain_times[-1] if n_drain else inf
        t_freeze = (freeze_time_h(outdoor_c, dt_h, t_stop, rp["freeze_threshold_c"],
                                  rp["freeze_after_h"]) if at_risk else inf)
        deferred: list[int] = []  # due for draining but not in frost: re-checked later
        i = 0
        while True:
            now = env.now
            if i < n_drain and drain_times[i] <= now + 1e-9:
                j = bisect_right(drain_times, now + 1e-9, i)
                cold_t: list[float] = []
                cold_g: list[int] = []
                for t, g in zip(drain_times[i:j], drain_groups[i:j], strict=True):
                    k = int(t / dt_h + 1e-9)
                    if outdoor[k if k < last_step else last_step] < drain_thr:
                        cold_t.append(t)
                        cold_g.append(g)
                    else:
                        deferred.append(g)
                _drain(st, cold_t, cold_g)
                i = j
            if deferred and st.outdoor_at(now) < drain_thr:
                _drain(st, [now] * len(deferred), deferred)
                deferred = []
            if now >= t_freeze - 1e-9:
                risk = [g for g in at_risk if gstate[g] == STOPPED]
                st.set_groups_list(now, risk, FROZEN)
                for g in risk:
                    st.log(now, "freeze", -1, g, st.tables.group_note[g])
                    env.process(riser_replacement(env, st, g))
                t_freeze = inf
            if running[h]:
                break
            nxt = min(last_drain if i < n_drain else inf, t_freeze, now + recheck_h if deferred else inf)
            if nxt == inf:
                yield source_event[h]
            else:
                yield FirstOf(env, env.timeout(max(nxt - now, 0.0)), source_event[h])
        # the source runs again: filled systems resume, drained ones wait for a crew
        now = env.now
        st.set_groups_list(now, [g for g in zone if gstate[g] == STOPPED], NORMAL)
        drained = [g for g in zone if gstate[g] == DRAINED and not pending[g]]
        if drained:
            # refill in the order they were drained, then any others (e.g. back from a riser replacement)
            is_drained = set(drained)
            queue = [g for g in drain_groups if g in is_drained]
            if len(queue) < len(drained):
                was_drained = set(drain_groups)
                queue += [g for g in drained if g not in was_drained]
            drained = queue
        request_restart(env, st, h, drained)


def _drain(st: GridState, times: list[float], groups: list[int]) -> None:
    """Stopped groups are drained at ``times``."""
    if groups:
        st.set_groups_list(times, groups, DRAINED)
        st.log_groups(times, "drain", groups)


def request_restart(env: simpy.Environment, st: GridState, h: int, groups) -> None:
    """Queue drained groups of zone ``h`` for refill and restart; call crews while the source runs."""
    q = st.restart_queue[h]
    pending = st.restart_pending_b
    for g in (groups.tolist() if isinstance(groups, np.ndarray) else groups):
        if not pending[g]:
            pending[g] = 1
            q.append(g)
    if not st.source_running[h]:
        return
    n_teams = st.shop.crews["heat"].capacity
    for _ in range(min(n_teams, len(q)) - st.zone_crews[h]):
        env.process(heat_network_crew(env, st, h))


def heat_network_crew(env: simpy.Environment, st: GridState, h: int) -> Generator:
    """A heat-network crew (team of ``heat_crews_per_job``) refills and restarts the drained building
    groups of zone ``h``, one group at a time, while the source runs (calibration B2, B3):
    ``restart_h_per_building`` x buildings / team crew-hours each, stopping during alerts (the loop of
    :meth:`~sim.des.repair.RepairShop.work`, inlined: this is the DES's most frequent job)."""
    st.zone_crews[h] += 1
    q = st.restart_queue[h]
    shop = st.shop
    heat = shop.crews["heat"]
    running = st.source_running
    restart_count = st.restart_count
    restart_f = st.restart_f
    restart_h = st.tables.restart_h
    per_job = st.rp["heat_crews_per_job"]
    note = st.tables.group_note
    ev_t, ev_kind, ev_node, ev_group, ev_detail = st.ev_t, st.ev_kind, st.ev_node, st.ev_group, st.ev_detail
    pending = st.restart_pending_b
    gstate = st.gstate_b
    households = st.tables.households_list
    g_t, g_col, g_val = st.g_t, st.g_col, st.g_val
    while q and running[h]:
        with CrewRequest(heat, RESTART_PRIORITY) as req:  # heat.request(priority=RESTART_PRIORITY)
            yield req
            if not (q and running[h]):
                continue
            g = q.popleft()
            k = restart_count[g] % K_DRAWS
            restart_count[g] += 1
            yield from shop.work(restart_h[g] * restart_f[g * K_DRAWS + k] / per_job)
        if running[h]:
            now = env._now
            pending[g] = 0
            if gstate[g] != NORMAL:  # st.set_group(now, g, NORMAL), inlined
                st.unheated_households -= households[g]
            gstate[g] = NORMAL
            g_t.append(now)
            g_col.append(g)
            g_val.append(NORMAL)
            ev_t.append(now)  # st.log(now, "restart", -1, g, note[g])
            ev_kind.append("restart")
            ev_node.append(-1)
            ev_group.append(g)
            ev_detail.append(note[g])
        else:
            q.appendleft(g)  # the source stopped meanwhile: the group waits for the next return
    st.zone_crews[h] -= 1


def riser_replacement(env: simpy.Environment, st: GridState, g: int) -> Generator:
    """Contractors repair the frozen system of group ``g`` (weeks, E7); then it waits for a restart."""
    k = st.restart_count[g] % K_DRAWS
    yield env.timeout(st.rp["frozen_repair_days"] * 24.0 * float(st.draws["frozen_f"][g, k]))
    st.set_group(env.now, g, DRAINED)
    request_restart(env, st, st.tables.group_source_list[g], [g])
