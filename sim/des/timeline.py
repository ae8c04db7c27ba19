"""The DES output: supply on the time grid, group codes, and the rasterization of change points onto it.

The DES records only change points ``(time_h, column, value)``; :func:`rasterize` turns them into a
(T, n) array of the value at each step's start with numpy (difference array and cumulative sum), never by
stepping the simulation.

A building group's heat-network state is one small integer, its *code*: ``state | cause << 2 | mobile << 5``
with ``state`` in :data:`NORMAL`, :data:`STOPPED`, :data:`DRAINED`, :data:`FROZEN`, ``cause`` one of
:data:`CAUSES` (index, 0 = heated) and ``mobile`` set while a mobile boiler heats it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.timegrid import TimeGrid

#: Group states in :attr:`SupplyTimeline.group_state`.
NORMAL, STOPPED, DRAINED, FROZEN = 0, 1, 2, 3

#: Causes of no heat (:attr:`SupplyTimeline.group_cause` values index this tuple; 0: the group has heat).
CAUSES = ("heated", "source_damaged", "no_pumping_power", "drained_waiting", "frozen", "mains_frozen")
HEATED, SOURCE_DAMAGED, NO_PUMPING_POWER, DRAINED_WAITING, FROZEN_CAUSE, MAINS_FROZEN = range(len(CAUSES))
MOBILE_BIT = 32


def code(state: int, cause: int, mobile: bool = False) -> int:
    """The code of a group state and cause (see the module docstring).

    Examples
    --------
    >>> code(DRAINED, DRAINED_WAITING), decode_state(np.array([code(DRAINED, DRAINED_WAITING)]))
    (14, array([2], dtype=int8))
    """
    return state | cause << 2 | (MOBILE_BIT if mobile else 0)


def decode_state(codes: np.ndarray) -> np.ndarray:
    """Group states (int8) of an array of codes."""
    return (codes & 3).astype(np.int8)


def decode_cause(codes: np.ndarray) -> np.ndarray:
    """Causes of no heat (int8, :data:`CAUSES` index) of an array of codes."""
    return ((codes >> 2) & 7).astype(np.int8)


def decode_mobile(codes: np.ndarray) -> np.ndarray:
    """True where a mobile boiler heats the group."""
    return (codes & MOBILE_BIT) != 0


EVENT_COLUMNS = ("realization", "time", "time_h", "kind", "node", "node_kind", "district", "detail")
EVENT_KINDS = ("wave", "hit", "hit_ignored", "repair_start", "repair_done", "unit_out", "unit_back",
               "reswitch", "mobile_transformer", "reconnect", "drain", "restart", "restart_fault", "freeze", "mains_freeze",
               "frozen_repaired", "mobile_boiler", "emergency", "stage", "shed")


@dataclass
class SupplyTimeline:
    """Power and heat supply per realization on the time grid, and the DES event log.

    Attributes
    ----------
    feeder_power : numpy.ndarray
        bool (R, T, F): feeder energized at the step start (after outage queues, emergency outages, damaged
        feeders and de-energized or damaged substations).
    heat_frac : numpy.ndarray
        float32 (R, T, G): district heat delivered to the group relative to its normal supply curve at the
        outdoor temperature of the step: 1 normal; 0 none (outage, or outside the heating season: daily
        mean outdoor temperature at or above ``buildings.heating_limit_c``); in between reduced (a source
        short of capacity, cross-fed); above 1 (up to ``repair.boost_max_frac``) for ``repair.boost_h``
        after heat returns, where the source has headroom, to re-warm flats. Groups with their own gas
        boilers: 1 while their feeder has power, else 0.
    group_state : numpy.ndarray
        int8 (R, T, G): 0 normal, 1 circulation stopped (not drained), 2 drained (waiting for its source or
        for refill), 3 frozen (weeks to restore). Always 0 for groups not on district heating.
    group_cause : numpy.ndarray
        int8 (R, T, G): why a district-heated group has no heat, an index into :data:`CAUSES`: 0 heated
        (or outside the heating season), ``source_damaged`` (its source or the unit heating it is down, or
        the source is short of capacity and sheds it), ``no_pumping_power``, ``drained_waiting`` (the
        source is back, the group waits for refill and restart), ``frozen`` (its system froze),
        ``mains_frozen`` (its zone's mains froze). Always 0 for groups with their own boilers.
    group_feeder : numpy.ndarray
        int (G,): feeder index of each group (column of ``feeder_power``).
    waves, hits : numpy.ndarray
        int (R, T): waves on the city and node hits in the step.
    queues_off : numpy.ndarray
        float (R, T): outage queues off at the step start (0-6; emergency outages included).
    events : pandas.DataFrame
        Flat event log (:data:`EVENT_COLUMNS`; ``time`` in calendar time, ``time_h`` hours since start),
        district level, no coordinates; ``kind`` in :data:`EVENT_KINDS`.
    group_heat_source : numpy.ndarray
        int (G,): heat-source index of each group (-1: own heating).
    heating_season : numpy.ndarray
        bool (R, T): the network heats (daily mean outdoor temperature below ``heating_limit_c``).
    stats : dict
        DES statistics: ``n_events`` (SimPy events processed, all realizations), ``des_seconds`` (the
        whole call), ``simpy_seconds`` (inside the SimPy runs).
    """

    feeder_power: np.ndarray
    group_state: np.ndarray
    group_feeder: np.ndarray
    waves: np.ndarray
    hits: np.ndarray
    queues_off: np.ndarray
    events: pd.DataFrame
    group_heat_source: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    stats: dict = field(default_factory=dict)
    heat_frac: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 0), dtype=np.float32))
    group_cause: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 0), dtype=np.int8))
    heating_season: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))

    @property
    def group_heat(self) -> np.ndarray:
        """bool (R, T, G): the group has heat, ``heat_frac > 0``; computed on each access, not stored (the
        chain reads ``heat_frac`` and ``group_cause``; the DES writes 1 byte per cell less)."""
        return self.heat_frac > 0

    @property
    def n_realizations(self) -> int:
        return self.feeder_power.shape[0]


def step_of(grid: TimeGrid, time_h: np.ndarray) -> np.ndarray:
    """First step whose start is at or after ``time_h`` (a change at t shows from that step on)."""
    return np.ceil(np.asarray(time_h, dtype=float) / grid.dt_h - 1e-9).astype(np.int64)


def rasterize(
    grid: TimeGrid,
    time_h: np.ndarray,
    column: np.ndarray,
    value: np.ndarray,
    initial: np.ndarray,
    dtype=np.int16,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Value at each step start from change points, shape (T, n).

    Parameters
    ----------
    grid : TimeGrid
    time_h : array (K,)
        Time of each change [h]; changes with equal time and column apply in record order.
    column : array of int (K,)
        Column the change applies to.
    value : array (K,)
        New value from ``time_h`` on.
    initial : array (n,)
        Value before the first change of each column.
    dtype : numpy dtype
        Type of the result; integer values must fit in it. The difference array and its cumulative sum are
        computed in this type (exact for integers: wrapped intermediate sums come back to the true value;
        floats carry the round-off of a few additions per column).
    out : numpy.ndarray, optional
        (T, n) array of ``dtype`` to write the result into.

    Examples
    --------
    >>> g = TimeGrid(np.datetime64("2026-01-01"), 1.0, 5)
    >>> rasterize(g, np.array([1.0, 2.5, 4.0]), np.array([0, 0, 0]), np.array([2, 1, 0]), np.array([0]))[:, 0]
    array([0, 2, 2, 1, 0], dtype=int16)
    """
    initial = np.asarray(initial).astype(dtype)
    n_t, n = grid.n_steps, len(initial)
    diff = np.zeros((n_t + 1, n), dtype=dtype)
    diff[0] = initial
    if len(time_h):
        is_float = np.issubdtype(np.dtype(dtype), np.floating)
        t = np.asarray(time_h, dtype=float)
        c = np.asarray(column, dtype=np.int64)
        v = np.asarray(value, dtype=np.float64 if is_float else np.int64)
        order = np.lexsort((np.arange(len(t)), t, c))
        t, c, v = t[order], c[order], v[order]
        step = np.minimum(step_of(grid, t), n_t)
        # within a column, only the last change before each step start counts
        last = np.ones(len(v), dtype=bool)
        last[:-1] = (c[1:] != c[:-1]) | (step[1:] != step[:-1])
        t, c, v, step = t[last], c[last], v[last], step[last]
        prev = np.empty_like(v)
        prev[1:] = v[:-1]
        first = np.ones(len(v), dtype=bool)
        first[1:] = c[1:] != c[:-1]
        prev[first] = initial[c[first]]
        with np.errstate(over="ignore"):
            np.add.at(diff, (step, c), (v - prev).astype(dtype))
    return np.cumsum(diff[:n_t], axis=0, dtype=dtype, out=out)


def event_times(start: np.datetime64, time_h: np.ndarray) -> np.ndarray:
    """Calendar times (datetime64[s]) of event hours since ``start``."""
    return np.datetime64(start).astype("datetime64[s]") + np.round(np.asarray(time_h, dtype=float) * 3600.0).astype("timedelta64[s]")
