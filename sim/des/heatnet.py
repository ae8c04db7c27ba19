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
from collections.abc import Generator

import numpy as np
import simpy

from sim.des.processes import K_DRAWS, GridState
from sim.des.repair import RESTART_PRIORITY
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
    source returns first): the operator need not wake per building group.
    """
    zone = st.zones[h]
    rp = st.rp
    dt_h = st.grid.dt_h
    n_t = len(st.outdoor_c)
    while True:
        if st.source_running[h]:
            yield st.source_event[h]
            continue
        # the source has stopped
        t_stop = env.now
        col = st.stop_count[h] % K_DRAWS
        st.stop_count[h] += 1
        stopped = zone[st.gstate[zone] == NORMAL]
        st.set_groups(t_stop, stopped, STOPPED)
        undrained = st.draws["undrained_u"][stopped, col] < rp["undrained_prob"]
        to_drain = stopped[~undrained]
        drain_at = t_stop + rp["drain_delay_h"] * (0.5 + st.draws["drain_u"][to_drain, col])
        order = np.argsort(drain_at, kind="stable")
        to_drain, drain_at = to_drain[order], drain_at[order]
        at_risk = stopped[undrained]
        t_freeze = (freeze_time_h(st.outdoor_c, dt_h, t_stop, rp["freeze_threshold_c"],
                                  rp["freeze_after_h"]) if len(at_risk) else math.inf)
        deferred = np.zeros(0, dtype=np.int64)  # due for draining but not in frost: re-checked later
        i = 0
        while True:
            now = env.now
            j = int(np.searchsorted(drain_at, now + 1e-9, side="right"))
            if j > i:
                due, t_due = to_drain[i:j], drain_at[i:j]
                idx = np.minimum((t_due / dt_h + 1e-9).astype(np.int64), n_t - 1)
                cold = st.outdoor_c[idx] < rp["drain_threshold_c"]
                _drain(st, t_due[cold], due[cold])
                deferred = np.concatenate([deferred, due[~cold]])
                i = j
            if len(deferred) and st.outdoor_at(now) < rp["drain_threshold_c"]:
                _drain(st, np.full(len(deferred), now), deferred)
                deferred = deferred[:0]
            if now >= t_freeze - 1e-9:
                risk = at_risk[st.gstate[at_risk] == STOPPED]
                st.set_groups(now, risk, FROZEN)
                for g in risk.tolist():
                    st.log(now, "freeze", -1, g, f"{st.buildings[g]:.0f} buildings")
                    env.process(riser_replacement(env, st, g))
                t_freeze = math.inf
            if st.source_running[h]:
                break
            nxt = min(drain_at[-1] if i < len(drain_at) else math.inf, t_freeze,
                      now + rp["drain_recheck_h"] if len(deferred) else math.inf)
            if math.isinf(nxt):
                yield st.source_event[h]
            else:
                yield env.timeout(max(nxt - now, 0.0)) | st.source_event[h]
        # the source runs again: filled systems resume, drained ones wait for a crew
        now = env.now
        st.set_groups(now, zone[st.gstate[zone] == STOPPED], NORMAL)
        drained = zone[(st.gstate[zone] == DRAINED) & ~st.restart_pending[zone]]
        if len(drained):
            # refill in the order they were drained (to_drain is sorted by drain time)
            first = np.isin(to_drain, drained)
            rest = drained[~np.isin(drained, to_drain)]
            request_restart(env, st, h, np.concatenate([to_drain[first], rest]))
        else:
            request_restart(env, st, h, drained)


def _drain(st: GridState, times: np.ndarray, groups: np.ndarray) -> None:
    st.set_groups(times, groups, DRAINED)
    for t, g in zip(times.tolist(), groups.tolist(), strict=True):
        st.log(t, "drain", -1, g, f"{st.buildings[g]:.0f} buildings")


def request_restart(env: simpy.Environment, st: GridState, h: int, groups) -> None:
    """Queue drained groups of zone ``h`` for refill and restart; call crews while the source runs."""
    q = st.restart_queue[h]
    for g in np.asarray(groups, dtype=np.int64).tolist():
        if not st.restart_pending[g]:
            st.restart_pending[g] = True
            q.append(g)
    if not st.source_running[h]:
        return
    n_teams = st.shop.crews["heat"].capacity
    for _ in range(min(n_teams, len(q)) - st.zone_crews[h]):
        env.process(heat_network_crew(env, st, h))


def heat_network_crew(env: simpy.Environment, st: GridState, h: int) -> Generator:
    """A heat-network crew (team of ``heat_crews_per_job``) refills and restarts the drained building
    groups of zone ``h``, one group at a time, while the source runs (calibration B2, B3):
    ``restart_h_per_building`` x buildings / team crew-hours each, stopping during alerts."""
    st.zone_crews[h] += 1
    q = st.restart_queue[h]
    heat = st.shop.crews["heat"]
    rp = st.rp
    while q and st.source_running[h]:
        with heat.request(priority=RESTART_PRIORITY) as req:
            yield req
            if not (q and st.source_running[h]):
                continue
            g = q.popleft()
            k = int(st.restart_count[g]) % K_DRAWS
            st.restart_count[g] += 1
            yield from st.shop.work(rp["restart_h_per_building"] * st.buildings[g] * st.draws["restart_f"][g, k]
                                    / rp["heat_crews_per_job"])
        if st.source_running[h]:
            st.restart_pending[g] = False
            st.set_group(env.now, g, NORMAL)
            st.log(env.now, "restart", -1, g, f"{st.buildings[g]:.0f} buildings")
        else:
            q.appendleft(g)  # the source stopped meanwhile: the group waits for the next return
    st.zone_crews[h] -= 1


def riser_replacement(env: simpy.Environment, st: GridState, g: int) -> Generator:
    """Contractors repair the frozen system of group ``g`` (weeks, E7); then it waits for a restart."""
    k = int(st.restart_count[g]) % K_DRAWS
    yield env.timeout(st.rp["frozen_repair_days"] * 24.0 * st.draws["frozen_f"][g, k])
    st.set_group(env.now, g, DRAINED)
    request_restart(env, st, int(st.group_source[g]), [g])
