"""Heat sources and their capacity: which groups a zone can serve, cross-feeding, and the delivered fraction.

A source's deliverable capacity is the heat of its units in service (a CHP only while it runs and its
network pumps have power; a boiler house for its own section). Demand follows the network's supply curve,
``design load x (T_in - T_out) / (T_in - T_design)``. The DES decides at events which groups a source
serves (:func:`served_count`: an interconnected network lowers its supply temperature down to
``min_supply_frac`` of the demand, then sheds building groups in its serve order); everything per time
step is vectorized numpy after the SimPy run (:func:`heat_fraction`): the delivered fraction of each
served group is the zone's capacity (plus what linked zones can spare) over its served demand at the
step's outdoor temperature, capped at 1 in normal operation and at ``boost_max_frac`` for ``boost_h``
after heat returns, so that a restarted network re-warms flats with the headroom it has.

References
----------
.. [1] Frederiksen, S., Werner, S. (2013). *District Heating and Cooling*. Studentlitteratur, ch. 5
   (supply-temperature control against the outdoor temperature; heat load proportional to the
   indoor-outdoor temperature difference).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.des.tables import RunTables

if TYPE_CHECKING:
    from sim.des.state import SupplyState


def served_count(tb: RunTables, h: int, cap_mw: float, demand_factor: float) -> int:
    """Building groups (a prefix of the zone's serve order) an interconnected source serves. [groups]

    The network runs at a reduced delivered fraction down to ``min_supply_frac`` of the demand; below
    that it sheds groups until the rest get at least that fraction.
    """
    zone = tb.zones[h]
    if cap_mw <= 0 or not zone:
        return 0
    need = tb.source_min_frac[h] * tb.source_design_mw[h] * demand_factor
    if need <= cap_mw:
        return len(zone)
    share = cap_mw / need
    return bisect_right(tb.zone_cum_design[h], share * tb.source_design_mw[h] + 1e-9)


def cross_feed_mw(st: SupplyState, h: int) -> float:
    """Heat the zones linked to zone h can spare for it now (their surplus over their own demand at the
    planning temperature, each link up to its capacity), up to what zone h lacks; available
    ``city.grid.link_switch_h`` after the zone fell short (valves are re-switched by hand). [MW]"""
    tb = st.tables
    links = tb.source_links[h]
    if not links:
        return 0.0
    d = st.plan_demand_factor()
    need = tb.source_design_mw[h] * d - st.source_cap[h]
    now = st.env.now
    if need <= 0:
        st.short_since[h] = math.inf
        return 0.0
    if st.short_since[h] == math.inf:
        st.short_since[h] = now  # the operators start re-switching valves now
        st.push_replan(now + tb.link_switch_h)
    if now < st.short_since[h] + tb.link_switch_h - 1e-9:
        return 0.0
    give = 0.0
    for i in links:
        a, b, cap = tb.links[i]
        other = b if a == h else a
        surplus = st.source_cap[other] - tb.source_design_mw[other] * d
        if surplus > 0:
            give += min(surplus, cap)
    return min(give, need)


def heat_fraction(tb: RunTables, codes: np.ndarray, cap_mw: np.ndarray, outdoor_c: np.ndarray,
                  season: np.ndarray, boost_max_frac: float, boost_steps: int,
                  out: np.ndarray | None = None) -> np.ndarray:
    """Delivered district heat of every group relative to its normal supply curve, per step (T, G). [1]

    Parameters
    ----------
    tb : RunTables
        Uses ``group_source``, ``group_design_mw``, ``n_sources``, ``links``, ``heat_indoor_c`` and
        ``heat_span_k``.
    codes : numpy.ndarray
        int8 group codes per step (T, G) (:mod:`sim.des.timeline`); a group is heated by its source where
        its code is 0, by a mobile boiler where the mobile bit is set (then 1).
    cap_mw : numpy.ndarray
        Deliverable capacity of each source per step (T, H). [MW]
    outdoor_c : numpy.ndarray
        Outdoor temperature per step (T,). [degC]
    season : numpy.ndarray
        bool (T,): in the heating season (else nothing is delivered).
    boost_max_frac : float
        Cap of the delivered fraction during re-warming. [1]
    boost_steps : int
        Steps after heat returns during which the source boosts. [steps]
    out : numpy.ndarray, optional
        float32 (T, G) array to write into.

    Returns
    -------
    numpy.ndarray
        float32 (T, G); groups not on district heating get 0 (the caller sets their own boilers).

    Examples
    --------
    One zone of two groups (design 1 MW each), capacity 1.5 MW, at the design temperature: 0.75 each.

    >>> from types import SimpleNamespace
    >>> tb = SimpleNamespace(group_source=[0, 0], group_design_mw=[1.0, 1.0], n_sources=2, links=[],
    ...                      heat_indoor_c=21.0, heat_span_k=43.0)
    >>> f = heat_fraction(tb, np.zeros((1, 2), np.int8), np.array([[1.5, 0.0]]), np.array([-22.0]),
    ...                   np.array([True]), 1.4, 0)
    >>> f.round(3).tolist()
    [[0.75, 0.75]]
    """
    n_t, n_g = codes.shape
    d = np.maximum((tb.heat_indoor_c - np.asarray(outdoor_c, dtype=float)) / tb.heat_span_k, 0.0)
    links = np.array([(a, b) for a, b, _c in tb.links], dtype=np.int64).reshape(-1, 2)
    link_mw = np.array([c for _a, _b, c in tb.links], dtype=float)
    frac = out if out is not None else np.empty((n_t, n_g), dtype=np.float32)
    _heat_fraction_kernel(np.ascontiguousarray(codes, dtype=np.int8), np.ascontiguousarray(cap_mw, dtype=float),
                          d, np.asarray(season, dtype=np.bool_), np.asarray(tb.group_source, dtype=np.int64),
                          np.asarray(tb.group_design_mw, dtype=float), int(tb.n_sources), links, link_mw,
                          float(boost_max_frac), int(boost_steps), frac)
    return frac


@numba.njit(cache=True)
def _heat_fraction_kernel(codes, cap_mw, d, season, src, design, n_src, links, link_mw, boost_max,
                          boost_steps, frac):  # pragma: no cover - compiled; exercised through heat_fraction
    """One pass over (T, G) of the formulas of :func:`heat_fraction`."""
    n_t, n_g = codes.shape
    last_resume = np.full(n_g, -(10**9), dtype=np.int64)
    load = np.zeros(n_src)
    cap = np.zeros(n_src)
    ratio = np.zeros(n_src)
    for t in range(n_t):
        load[:] = 0.0
        for g in range(n_g):
            h = src[g]
            if h >= 0 and codes[t, g] == 0:
                load[h] += design[g]
        for h in range(n_src):
            load[h] *= d[t]
            cap[h] = cap_mw[t, h]
        for i in range(links.shape[0]):  # transfers from surplus to need, both directions
            for k in range(2):
                give, take = links[i, k], links[i, 1 - k]
                x = min(max(cap[give] - load[give], 0.0), max(load[take] - cap[take], 0.0), link_mw[i])
                cap[give] -= x
                cap[take] += x
        for h in range(n_src):
            ratio[h] = min(cap[h] / load[h], boost_max) if load[h] > 0 else boost_max
        on = season[t]
        for g in range(n_g):
            h = src[g]
            c = codes[t, g]
            if h < 0:
                frac[t, g] = 0.0
                continue
            if c == 0:
                if t > 0 and codes[t - 1, g] != 0:
                    last_resume[g] = t
                r = ratio[h]
                if t - last_resume[g] >= boost_steps and r > 1.0:
                    r = 1.0
                frac[t, g] = r if on else 0.0
            elif c & 32:
                frac[t, g] = 1.0 if on else 0.0
            else:
                frac[t, g] = 0.0


def heating_season(start: np.datetime64, dt_h: float, outdoor_c: np.ndarray, limit_c: float) -> np.ndarray:
    """bool (R, T): the network heats where the daily mean outdoor temperature of the calendar day is
    below ``limit_c`` (the heating-season rule on the daily mean: Kyiv starts and stops heating by the
    daily mean against +8 degC). [-]

    Examples
    --------
    >>> t = np.array([[10.0, 10.0, 2.0, 2.0]])  # two 12-hour steps per day: day means 10 and 2 degC
    >>> heating_season(np.datetime64("2026-01-01T00:00"), 12.0, t, 8.0).tolist()
    [[False, False, True, True]]
    """
    outdoor_c = np.asarray(outdoor_c, dtype=float)
    n_t = outdoor_c.shape[-1]
    t0 = np.datetime64(start)
    start_h = (t0.astype("datetime64[m]") - t0.astype("datetime64[D]")).astype(float) / 60.0
    day = np.floor((start_h + np.arange(n_t) * dt_h) / 24.0 + 1e-9).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, day[1:] != day[:-1]])
    counts = np.diff(np.r_[starts, n_t])
    mean = np.add.reduceat(outdoor_c, starts, axis=-1) / counts
    return mean[..., np.repeat(np.arange(len(starts)), counts)] < limit_c
