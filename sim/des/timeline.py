"""The DES output: supply on the time grid, and the rasterization of change points onto it.

The DES records only change points ``(time_h, column, value)``; :func:`rasterize` turns them into a
(T, n) array of the value at each step's start with numpy (difference array and cumulative sum), never by
stepping the simulation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.timegrid import TimeGrid

#: Group states in :attr:`SupplyTimeline.group_state`.
NORMAL, STOPPED, DRAINED, FROZEN = 0, 1, 2, 3

EVENT_COLUMNS = ("realization", "time_h", "kind", "node", "node_kind", "district", "detail")
EVENT_KINDS = ("wave", "hit", "repair_start", "repair_done", "drain", "restart", "freeze", "emergency", "stage")


@dataclass
class SupplyTimeline:
    """Power and heat supply per realization on the time grid, and the DES event log.

    Attributes
    ----------
    feeder_power : numpy.ndarray
        bool (R, T, F): feeder energized at the step start (after outage queues, emergency outages, damaged
        feeders and de-energized or damaged substations).
    group_heat : numpy.ndarray
        bool (R, T, G): heat reaching the group's radiators at the step start. District-heated groups:
        their source runs and their system is filled (state 0). Groups with their own gas boilers: the
        boiler runs while their feeder has power (circulation pump and controls need electricity).
    group_state : numpy.ndarray
        int8 (R, T, G): 0 normal, 1 circulation stopped (not drained yet), 2 drained (waiting for refill
        and restart), 3 frozen (weeks to restore). Always 0 for groups not on district heating.
    group_feeder : numpy.ndarray
        int (G,): feeder index of each group (column of ``feeder_power``).
    waves, hits : numpy.ndarray
        int (R, T): waves on the city and node hits in the step.
    queues_off : numpy.ndarray
        float (R, T): outage queues off at the step start (0-6; emergency outages included).
    events : pandas.DataFrame
        Flat event log (:data:`EVENT_COLUMNS`), district level, no coordinates; ``kind`` in
        :data:`EVENT_KINDS`.
    group_heat_source : numpy.ndarray
        int (G,): heat-source index of each group (-1: own heating).
    stats : dict
        DES statistics: ``n_events`` (SimPy events processed, all realizations), ``des_seconds``.
    """

    feeder_power: np.ndarray
    group_heat: np.ndarray
    group_state: np.ndarray
    group_feeder: np.ndarray
    waves: np.ndarray
    hits: np.ndarray
    queues_off: np.ndarray
    events: pd.DataFrame
    group_heat_source: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    stats: dict = field(default_factory=dict)

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
        Integer type of the result; the values must fit in it. The difference array and its cumulative
        sum are computed in this type (exact: wrapped intermediate sums come back to the true value).
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
        t = np.asarray(time_h, dtype=float)
        c = np.asarray(column, dtype=np.int64)
        v = np.asarray(value, dtype=np.int64)
        order = np.lexsort((np.arange(len(t)), t, c))
        t, c, v = t[order], c[order], v[order]
        prev = np.empty_like(v)
        prev[1:] = v[:-1]
        first = np.ones(len(v), dtype=bool)
        first[1:] = c[1:] != c[:-1]
        prev[first] = initial[c[first]]
        step = np.minimum(step_of(grid, t), n_t)
        with np.errstate(over="ignore"):
            np.add.at(diff, (step, c), (v - prev).astype(dtype))
    return np.cumsum(diff[:n_t], axis=0, dtype=dtype, out=out)
