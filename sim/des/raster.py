"""One realization's change points -> its output arrays on the time grid, in one compiled pass.

After a realization's SimPy run, :func:`write_outputs` turns its change points (outage queues, feeders
live, source capacity, group codes, queues off) into the rows of the :class:`~sim.des.timeline.SupplyTimeline`
arrays: feeder power, the delivered heat fraction (:func:`sim.des.sources.heat_fraction`'s formulas), state
and cause of every group, and the queues off (whether a group has heat, ``heat_frac > 0``, is not stored).
One pass over the steps, writing each output cell once, with no (T, n) temporaries.

:func:`write_outputs_reference` is the same computation written plainly, from :func:`~sim.des.timeline.rasterize`
and :func:`~sim.des.sources.heat_fraction` (the path the DES took before; the tests compare the two). Both
follow the rules of :func:`~sim.des.timeline.rasterize`: a change at ``t`` shows from the first step starting
at or after ``t``; of the changes of a column that show from the same step the last one (by time, then
record order) counts; float columns are the running sum of their changes' differences, added in the same
order as the difference array and cumulative sum of :func:`~sim.des.timeline.rasterize`, so the results are
identical to the bit.
"""

from __future__ import annotations

import math
from typing import Any

import numba
import numpy as np

from sim.des.sources import heat_fraction
from sim.des.tables import RunTables
from sim.des.timeline import rasterize
from sim.timegrid import TimeGrid

#: A change-point list as the DES records it: ``(time_h, column, value)`` tuples.
Changes = list[tuple[float, int, Any]]


class OutputPlan:
    """The run's constant inputs of :func:`write_outputs` (built once per DES call).

    Parameters
    ----------
    tables : RunTables
    feeder_queue : numpy.ndarray
        int (F,): outage queue of each feeder, -1 for critical feeders (never in a queue).
    group_heat_source : numpy.ndarray
        int (G,): heat source of each group, -1 for groups with their own boilers.
    group_feeder : numpy.ndarray
        int (G,): feeder of each group.
    cap0 : numpy.ndarray
        Deliverable capacity of each source at the start (H,). [MW]
    boost_max_frac : float
        Cap of the delivered fraction while re-warming. [1]
    boost_steps : int
        Steps after heat returns during which a source boosts. [steps]
    """

    def __init__(self, tables: RunTables, feeder_queue: np.ndarray, group_heat_source: np.ndarray,
                 group_feeder: np.ndarray, cap0: np.ndarray, boost_max_frac: float, boost_steps: int) -> None:
        n_q = tables.n_queues
        self.tables = tables
        self.n_queues = n_q
        self.dt_h = float(tables.dt_h)
        self.fq = np.where(feeder_queue >= 0, feeder_queue, n_q).astype(np.int64)  # critical: always on
        self.own = np.ascontiguousarray(group_heat_source < 0)
        self.group_feeder = np.ascontiguousarray(group_feeder, dtype=np.int64)
        self.src = np.asarray(tables.group_source, dtype=np.int64)
        self.design = np.asarray(tables.group_design_mw, dtype=float)
        self.links = np.array([(a, b) for a, b, _c in tables.links], dtype=np.int64).reshape(-1, 2)
        self.link_mw = np.array([c for _a, _b, c in tables.links], dtype=float)
        self.cap0 = np.asarray(cap0, dtype=float)
        self.boost_max_frac = float(boost_max_frac)
        self.boost_steps = int(boost_steps)
        self.heat_indoor_c = float(tables.heat_indoor_c)
        self.heat_span_k = float(tables.heat_span_k)


_EMPTY_F = np.zeros(0, dtype=float)
_EMPTY_I = np.zeros(0, dtype=np.int64)


def _columns(changes: Changes, float_values: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Change points as arrays ordered by time (stable: record order among equal times): times, columns,
    values and the order."""
    if not changes:
        return _EMPTY_F, _EMPTY_I, (_EMPTY_F if float_values else _EMPTY_I), _EMPTY_I
    t, c, v = zip(*changes, strict=True)
    ta = np.asarray(t, dtype=float)
    return (ta, np.asarray(c, dtype=np.int64), np.asarray(v, dtype=float if float_values else np.int64),
            np.argsort(ta, kind="stable"))


def write_outputs(plan: OutputPlan, r: int, queue_changes: Changes, feeder_changes: Changes, cap_changes: Changes,
                  g_t: list[float], g_col: list[int], g_val: list[int], k_changes: list[tuple[float, float]],
                  outdoor_c: np.ndarray, season: np.ndarray, feeder_power: np.ndarray, heat_frac: np.ndarray,
                  group_state: np.ndarray, group_cause: np.ndarray, queues_off: np.ndarray) -> None:
    """Write realization ``r``'s rows of the output arrays (R, T, ...) from its change points.

    ``outdoor_c`` [degC] and ``season`` are the realization's (T,) rows; the outputs are those of
    :class:`~sim.des.timeline.SupplyTimeline` (``queues_off`` (R, T)).
    """
    qt, qc, qv, qo = _columns(queue_changes, False)
    ft, fc, fv, fo = _columns(feeder_changes, False)
    ct, cc, cv, co = _columns(cap_changes, True)
    if g_t:
        gt = np.asarray(g_t, dtype=float)
        gc, gv, go = np.asarray(g_col, dtype=np.int64), np.asarray(g_val, dtype=np.int64), np.argsort(gt, kind="stable")
    else:
        gt, gc, gv, go = _EMPTY_F, _EMPTY_I, _EMPTY_I, _EMPTY_I
    if k_changes:
        kt_, kv_ = zip(*k_changes, strict=True)
        kt, kv = np.asarray(kt_, dtype=float), np.asarray(kv_, dtype=float)
        ko = np.argsort(kt, kind="stable")
    else:
        kt, kv, ko = _EMPTY_F, _EMPTY_F, _EMPTY_I
    d = np.maximum((plan.heat_indoor_c - np.asarray(outdoor_c, dtype=float)) / plan.heat_span_k, 0.0)
    _outputs_kernel(plan.dt_h, plan.n_queues, plan.fq, plan.own, plan.group_feeder, plan.src, plan.design,
                    plan.links, plan.link_mw, plan.cap0, plan.boost_max_frac, plan.boost_steps, d,
                    np.asarray(season, dtype=np.bool_), qt, qc, qv, qo, ft, fc, fv, fo, ct, cc, cv, co, gt, gc, gv, go,
                    kt, kv, ko, feeder_power[r], heat_frac[r], group_state[r], group_cause[r], queues_off[r])


@numba.njit(cache=True)
def _step_of(t, dt):  # pragma: no cover - compiled
    """:func:`sim.des.timeline.step_of` of one time (the same operations, so the same step)."""
    return math.ceil(t / dt - 1e-9)


@numba.njit(cache=True)
def _apply_int(step, n_t, dt, ts, cols, vals, order, pos, cur):  # pragma: no cover - compiled
    """Apply the changes (in ``order``) that show from ``step``: the last one per column counts."""
    while pos < len(order):
        i = order[pos]
        s = min(_step_of(ts[i], dt), n_t)
        if s > step:
            break
        cur[cols[i]] = vals[i]
        pos += 1
    return pos


@numba.njit(cache=True)
def _apply_float(step, n_t, dt, ts, cols, vals, order, pos, cur, kept, pend, touched):  # pragma: no cover
    """Float columns: the running sum of the differences of the changes kept (the last per column and
    step), added as :func:`~sim.des.timeline.rasterize`'s difference array and cumulative sum add them."""
    n_touched = 0
    while pos < len(order):
        i = order[pos]
        s = min(_step_of(ts[i], dt), n_t)
        if s > step:
            break
        c = cols[i]
        if not pend[c]:
            pend[c] = True
            touched[n_touched] = c
            n_touched += 1
        kept_new = vals[i]
        kept[c, 1] = kept_new  # the last change of the column in this step so far
        pos += 1
    for j in range(n_touched):
        c = touched[j]
        pend[c] = False
        cur[c] = cur[c] + (kept[c, 1] - kept[c, 0])
        kept[c, 0] = kept[c, 1]
    return pos


@numba.njit(cache=True)
def _apply_codes(step, n_t, dt, ts, cols, vals, order, pos, codes, touched, old, mark):  # pragma: no cover
    """:func:`_apply_int` for the group codes, also listing the groups touched from ``step`` (``touched``,
    their code before it in ``old``); returns the new position and the number touched."""
    n_touched = 0
    while pos < len(order):
        i = order[pos]
        s = min(_step_of(ts[i], dt), n_t)
        if s > step:
            break
        g = cols[i]
        if not mark[g]:
            mark[g] = True
            old[g] = codes[g]
            touched[n_touched] = g
            n_touched += 1
        codes[g] = vals[i]
        pos += 1
    return pos, n_touched


@numba.njit(cache=True)
def _outputs_kernel(dt, n_q, fq, own, gfeeder, src, design, links, link_mw, cap0, boost_max, boost_steps, d,
                    season, qt, qc, qv, qo, ft, fc, fv, fo, ct, cc, cv, co, gt, gc, gv, go, kt, kv, ko,
                    fp, frac, state, cause, k_out):  # pragma: no cover - compiled; see write_outputs_reference
    """One pass over the steps. What a group's code determines (the slot of its value: its source's
    fraction, a mobile boiler's, none; its state and cause; the step its heat last returned) is updated at
    its change points only; per step, the zones' load (a zone's sum over its heated groups, summed again
    in group order only at steps where one of its codes changed: the same sum) and the fractions of the
    sources, then one branch-free pass over the groups."""
    n_t, n_g = frac.shape
    n_f = fp.shape[1]
    n_src = cap0.shape[0]
    q_on = np.ones(n_q + 1, dtype=np.int64)
    f_on = np.ones(n_f, dtype=np.int64)
    codes = np.zeros(n_g, dtype=np.int64)
    old = np.zeros(n_g, dtype=np.int64)
    mark = np.zeros(n_g, dtype=np.bool_)
    touched = np.zeros(n_g, dtype=np.int64)
    cap_cur = cap0.copy()
    cap_kept = np.empty((n_src, 2))
    for h in range(n_src):
        cap_kept[h, 0] = cap0[h]
        cap_kept[h, 1] = cap0[h]
    cap_pend = np.zeros(n_src, dtype=np.bool_)
    cap_touched = np.zeros(n_src, dtype=np.int64)
    k_cur = np.zeros(1)
    k_kept = np.zeros((1, 2))
    k_pend = np.zeros(1, dtype=np.bool_)
    k_touched = np.zeros(1, dtype=np.int64)
    k_cols = np.zeros(len(kt), dtype=np.int64)
    last_resume = np.full(n_g, -(10**9), dtype=np.int64)
    # a group's value this step is vals[slot[g]], plus n_src while its source boosts (boostable[g]):
    # vals = (its source's fraction capped at 1 (n_src), uncapped (n_src), a mobile boiler's, none); groups
    # with their own boilers are written after, from their feeder
    slot = np.zeros(n_g, dtype=np.int64)
    boostable = np.zeros(n_g, dtype=np.int64)
    vals = np.zeros(2 * n_src + 2, dtype=np.float32)
    mobile_slot, none_slot = 2 * n_src, 2 * n_src + 1
    n_own = 0
    own_groups = np.zeros(n_g, dtype=np.int64)
    state_row = np.zeros(n_g, dtype=np.int8)
    cause_row = np.zeros(n_g, dtype=np.int8)
    for g in range(n_g):
        if own[g]:
            own_groups[n_own] = g
            n_own += 1
            slot[g] = none_slot
        elif src[g] < 0:
            slot[g] = none_slot
        else:
            slot[g] = src[g]
            boostable[g] = 1
    # the groups of each zone in group order (CSR), the zones' load before the first change
    zone_start = np.zeros(n_src + 1, dtype=np.int64)
    for g in range(n_g):
        if src[g] >= 0:
            zone_start[src[g] + 1] += 1
    for h in range(n_src):
        zone_start[h + 1] += zone_start[h]
    zone_groups = np.zeros(zone_start[n_src], dtype=np.int64)
    fill = zone_start[:n_src].copy()
    base = np.zeros(n_src)
    for g in range(n_g):
        h = src[g]
        if h >= 0:
            zone_groups[fill[h]] = g
            fill[h] += 1
            base[h] += design[g]
    src_touched = np.zeros(n_src, dtype=np.bool_)
    load = np.zeros(n_src)
    cap = np.zeros(n_src)
    ratio = np.zeros(n_src)
    pq = pf = pc = pg = pk = 0
    for t in range(n_t):
        pq = _apply_int(t, n_t, dt, qt, qc, qv, qo, pq, q_on)
        pf = _apply_int(t, n_t, dt, ft, fc, fv, fo, pf, f_on)
        pc = _apply_float(t, n_t, dt, ct, cc, cv, co, pc, cap_cur, cap_kept, cap_pend, cap_touched)
        pk = _apply_float(t, n_t, dt, kt, k_cols, kv, ko, pk, k_cur, k_kept, k_pend, k_touched)
        pg, n_touched = _apply_codes(t, n_t, dt, gt, gc, gv, go, pg, codes, touched, old, mark)
        k_out[t] = k_cur[0]
        for f in range(n_f):
            fp[t, f] = (q_on[fq[f]] & f_on[f]) != 0
        for j in range(n_touched):
            g = touched[j]
            mark[g] = False
            c = codes[g]
            if t > 0 and c == 0 and old[g] != 0:
                last_resume[g] = t  # heat returns at this step
            if not own[g] and src[g] >= 0:
                if c == 0:
                    slot[g], boostable[g] = src[g], 1
                else:
                    slot[g], boostable[g] = (mobile_slot if c & 32 else none_slot), 0
            state_row[g] = c & 3
            cause_row[g] = (c >> 2) & 7
        for j in range(n_touched):
            h = src[touched[j]]
            if h >= 0:
                src_touched[h] = True
        for h in range(n_src):
            if src_touched[h]:
                # sim.des.sources._heat_fraction_kernel's load of the zone, summed in the same (group) order
                src_touched[h] = False
                b = 0.0
                for j in range(zone_start[h], zone_start[h + 1]):
                    g = zone_groups[j]
                    if codes[g] == 0:
                        b += design[g]
                base[h] = b
        for h in range(n_src):
            load[h] = base[h] * d[t]
            cap[h] = cap_cur[h]
        for i in range(links.shape[0]):
            for k in range(2):
                give, take = links[i, k], links[i, 1 - k]
                x = min(max(cap[give] - load[give], 0.0), max(load[take] - cap[take], 0.0), link_mw[i])
                cap[give] -= x
                cap[take] += x
        on = season[t]
        for h in range(n_src):
            ratio[h] = min(cap[h] / load[h], boost_max) if load[h] > 0 else boost_max
            vals[n_src + h] = ratio[h] if on else 0.0
            vals[h] = (1.0 if ratio[h] > 1.0 else ratio[h]) if on else 0.0
        vals[mobile_slot] = 1.0 if on else 0.0
        for g in range(n_g):
            boost = boostable[g] if t - last_resume[g] < boost_steps else 0
            v = vals[slot[g] + n_src * boost]
            frac[t, g] = v
            state[t, g] = state_row[g]
            cause[t, g] = cause_row[g]
        for j in range(n_own):
            g = own_groups[j]
            on_g = fp[t, gfeeder[g]]
            frac[t, g] = 1.0 if on_g else 0.0


def write_outputs_reference(plan: OutputPlan, grid: TimeGrid, r: int, queue_changes: Changes,
                            feeder_changes: Changes, cap_changes: Changes, g_t: list[float], g_col: list[int],
                            g_val: list[int], k_changes: list[tuple[float, float]], outdoor_c: np.ndarray,
                            season: np.ndarray, feeder_power: np.ndarray, heat_frac: np.ndarray,
                            group_state: np.ndarray, group_cause: np.ndarray, queues_off: np.ndarray) -> None:
    """:func:`write_outputs` written plainly with :func:`~sim.des.timeline.rasterize` and
    :func:`~sim.des.sources.heat_fraction` (several numpy passes and (T, n) temporaries)."""
    n_t, n_q = grid.n_steps, plan.n_queues
    n_f, n_g = feeder_power.shape[2], heat_frac.shape[2]

    def on_off(changes: Changes, n: int) -> np.ndarray:
        if not changes:
            return np.ones((n_t, n), dtype=bool)
        t, c, v = zip(*changes, strict=True)
        return rasterize(grid, np.asarray(t, dtype=float), np.asarray(c, dtype=np.int64),
                         np.asarray(v, dtype=np.int64), np.ones(n, dtype=np.int8), dtype=np.int8).view(bool)

    queue_on = np.ones((n_t, n_q + 1), dtype=bool)
    queue_on[:, :n_q] = on_off(queue_changes, n_q)
    fp = feeder_power[r]
    np.take(queue_on, plan.fq, axis=1, out=fp)
    if feeder_changes:
        fp &= on_off(feeder_changes, n_f)
    codes = np.zeros((n_t, n_g), dtype=np.int8)
    if g_t:
        rasterize(grid, np.asarray(g_t, dtype=float), np.asarray(g_col, dtype=np.int64),
                  np.asarray(g_val, dtype=np.int64), np.zeros(n_g, dtype=np.int8), dtype=np.int8, out=codes)
    if cap_changes:
        t_c, col_c, val_c = (np.asarray(x) for x in zip(*cap_changes, strict=True))
        cap = rasterize(grid, t_c, col_c, val_c, plan.cap0, dtype=np.float64)
    else:
        cap = np.broadcast_to(plan.cap0, (n_t, len(plan.cap0)))
    hf = heat_frac[r]
    heat_fraction(plan.tables, codes, cap, outdoor_c, season, plan.boost_max_frac, plan.boost_steps, out=hf)
    own_cols = np.flatnonzero(plan.own)
    if len(own_cols):
        hf[:, own_cols] = fp[:, plan.group_feeder[own_cols]]
    np.bitwise_and(codes, 3, out=group_state[r])
    np.right_shift(codes, 2, out=group_cause[r])
    np.bitwise_and(group_cause[r], 7, out=group_cause[r])
    if k_changes:
        kt, kv = zip(*k_changes, strict=True)
        queues_off[r] = rasterize(grid, np.asarray(kt), np.zeros(len(kt), dtype=np.int64), np.asarray(kv, dtype=np.int64),
                                  np.zeros(1))[:, 0]
    else:
        queues_off[r] = 0.0
