"""Needs: heating-point places, generators at the points and their diesel.

Pure vectorized functions on arrays; :class:`sim.exposure.ExposureAccumulator` calls them step by step.

Assumptions (stated here once, cited in docstrings below):

* Demand for heating-point places is *concurrent*: the people who would sit in a heating point at that
  step. 65+ and under-5 come when their home is below ``vulnerable_seek_below_c`` (report.md band 2:
  "vulnerable people to a warm room or heating point"); everyone comes below ``everyone_seek_below_c``
  (band 3); only ``uptake_frac`` of the eligible actually come. Carers of small children are not added.
* Capacity is ``heating_points x places_per_point`` (calibration D5), open for the whole run.
* A heating point runs its generator while it has no grid power. Rule ``share_unpowered`` (default):
  points are spread over feeders and outage queues like residents, so the share of points without grid
  power equals the occupant-weighted share of building groups without power. Rule ``any_blackout``: every
  point runs its generator whenever any building group in the city is without power (an upper bound).
* A running generator delivers ``generator_load_frac`` of its rating on average; diesel burned is
  ``diesel_l_per_kwh`` per kWh (calibration G5).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "diesel_l_per_day",
    "eligibility_cuts",
    "generator_kw",
    "heating_point_eligible",
    "points_unpowered_frac",
]


def heating_point_eligible(
    indoor_c: np.ndarray,
    occupants: np.ndarray,
    vulnerable_occupants: np.ndarray,
    vulnerable_seek_below_c: float,
    everyone_seek_below_c: float,
) -> np.ndarray:
    """People who would seek a heating-point place, per realization.

    Vulnerable people (65+ and under-5) are eligible below ``max(vulnerable_seek_below_c,
    everyone_seek_below_c)``, everyone else below ``everyone_seek_below_c``; nobody is counted twice.

    Parameters
    ----------
    indoor_c : ndarray, shape (R, G)
        Indoor air temperature. [degC]
    occupants : ndarray, shape (G,)
        People present in each building group. [people]
    vulnerable_occupants : ndarray, shape (G,)
        Of whom 65+ or under-5. [people]
    vulnerable_seek_below_c, everyone_seek_below_c : float
        Thresholds of the rule (reference/report.md bands 2 and 3). [degC]

    Returns
    -------
    ndarray, shape (R,)
        Eligible people. [people]
    """
    indoor_c = np.asarray(indoor_c, dtype=float)
    vulnerable_below_c, everyone_below_c = eligibility_cuts(vulnerable_seek_below_c, everyone_seek_below_c)
    others = np.asarray(occupants, dtype=float) - np.asarray(vulnerable_occupants, dtype=float)
    return (indoor_c < vulnerable_below_c) @ np.asarray(vulnerable_occupants, dtype=float) + (
        indoor_c < everyone_below_c
    ) @ others


def eligibility_cuts(vulnerable_seek_below_c: float, everyone_seek_below_c: float) -> tuple[float, float]:
    """Indoor temperatures below which vulnerable people and everybody else are eligible.

    The rule of :func:`heating_point_eligible`: vulnerable people come below the higher of the two
    thresholds (they also come when everyone does), everyone else below ``everyone_seek_below_c``.

    Returns
    -------
    tuple of float
        ``(vulnerable_below_c, everyone_below_c)``. [degC]
    """
    return max(vulnerable_seek_below_c, everyone_seek_below_c), everyone_seek_below_c


def points_unpowered_frac(
    powered: np.ndarray, occupants: np.ndarray, rule: str = "share_unpowered"
) -> np.ndarray:
    """Share of heating points without grid power, which then run on generators.

    Parameters
    ----------
    powered : ndarray of bool, shape (R, G)
        Power on at each building group's feeder.
    occupants : ndarray, shape (G,)
        People present, the weights of rule ``share_unpowered``. [people]
    rule : {"share_unpowered", "any_blackout"}
        ``share_unpowered``: points are spread like residents over feeders and queues, so the share equals
        the occupant-weighted share of groups without power. ``any_blackout``: all points run generators
        whenever any group is without power (upper bound).

    Returns
    -------
    ndarray, shape (R,)
        Share of points on generators. [1]
    """
    off = ~np.asarray(powered, dtype=bool)
    if rule == "any_blackout":
        return off.any(axis=-1).astype(float)
    if rule == "share_unpowered":
        weights = np.asarray(occupants, dtype=float)
        total = weights.sum()
        if total <= 0:
            return off.mean(axis=-1) if off.shape[-1] else np.zeros(off.shape[:-1])
        return np.clip((off @ weights) / total, 0.0, 1.0)  # a share, even after round-off
    raise ValueError(f"unknown generator rule {rule!r}")


def generator_kw(
    unpowered_frac: np.ndarray, heating_points: float, generator_kw_per_point: float
) -> np.ndarray:
    """Rated generator capacity running at heating points.

    Parameters
    ----------
    unpowered_frac : ndarray
        Share of points without grid power. [1]
    heating_points : float
        Heating points open. [points]
    generator_kw_per_point : float
        Generator rating per point. [kW]

    Returns
    -------
    ndarray
        Rated capacity of the generators running, same shape as ``unpowered_frac``. [kW]
    """
    return np.asarray(unpowered_frac, dtype=float) * heating_points * generator_kw_per_point


def diesel_l_per_day(
    running_kw: np.ndarray, dt_h: float, load_frac: float, diesel_l_per_kwh: float
) -> np.ndarray:
    """Diesel burned by the heating-point generators per day since the start of the run.

    Energy is ``rating x load_frac x dt_h`` per step; fuel is ``diesel_l_per_kwh`` per kWh (calibration
    G5: 0.2-0.3 L/kWh). Day ``d`` covers hours ``[24 d, 24 (d + 1))``; a step straddling midnight is
    counted in the day of its start. A last, partial day is scaled to a daily rate (litres over the hours
    covered, times 24).

    Parameters
    ----------
    running_kw : ndarray, shape (R, T)
        Rated capacity of the generators running at each step. [kW]
    dt_h : float
        Time step. [h]
    load_frac : float
        Mean load of a running generator over its rating. [1]
    diesel_l_per_kwh : float
        Specific fuel consumption. [L/kWh]

    Returns
    -------
    ndarray, shape (R, ceil(T dt_h / 24))
        Diesel per day. [L/d]

    Examples
    --------
    >>> diesel_l_per_day(np.full((1, 48), 100.0), 1.0, 0.5, 0.25)
    array([[300., 300.]])
    """
    running_kw = np.asarray(running_kw, dtype=float)
    n_steps = running_kw.shape[-1]
    litres = running_kw * load_frac * dt_h * diesel_l_per_kwh
    day = np.floor(np.arange(n_steps) * dt_h / 24.0 + 1e-9).astype(np.int64)
    n_days = int(day[-1]) + 1 if n_steps else 0
    onehot = np.zeros((n_steps, n_days))
    onehot[np.arange(n_steps), day] = 1.0
    per_day = litres @ onehot
    hours_covered = onehot.sum(axis=0) * dt_h
    return per_day * (24.0 / np.maximum(hours_covered, 1e-12))
