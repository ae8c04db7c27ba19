"""Needs: heating-point places, generators at the points and their diesel.

Pure vectorized functions on arrays; :class:`sim.exposure.ExposureAccumulator` calls them step by step.

Assumptions (stated here once, cited in docstrings below):

* Demand for heating-point places is *concurrent*: the people who would sit in a heating point at that
  step. 65+ and under-5 come when their home is below ``vulnerable_seek_below_c`` (report.md band 2:
  "vulnerable people to a warm room or heating point"); everyone comes below ``everyone_seek_below_c``
  (band 3); only ``uptake_frac`` of the eligible actually come. Carers of small children are not added.
* Capacity is ``heating_points x places_per_point`` (calibration D5), open for the whole run. Points are
  spread over districts like the people present unless ``heating_points_by_district`` gives them; each
  district's residents use their district's points. Where demand exceeds a district's places, more points
  of the same size are needed (``points_needed``); they too need generators while their district has no
  grid power, and burn diesel.
* A heating point runs its generator while it has no grid power. Rule ``share_unpowered`` (default):
  points are spread over feeders and outage queues like residents, so the share of points without grid
  power equals the occupant-weighted share of building groups without power. Rule ``any_blackout``: every
  point runs its generator whenever any building group in the city is without power (an upper bound).
* Generators come in size classes (``generator_class_kw``, the share of points needing each in
  ``generator_class_share``); counts by class are the share times the count of generators running.
  A running generator delivers ``generator_load_frac`` of its rating on average (the load, kept apart from
  the rating); diesel burned is ``diesel_l_per_kwh`` per kWh of load (calibration G5).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "diesel_l_per_day",
    "eligibility_cuts",
    "generator_kw",
    "heating_point_eligible",
    "points_by_district",
    "points_needed",
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


def points_by_district(
    heating_points: float,
    people_by_district: np.ndarray,
    by_district: dict | None = None,
    district_names: Sequence[str] | None = None,
) -> np.ndarray:
    """Heating points per district: given by name, else spread like the people present [L].

    Parameters
    ----------
    heating_points : float
        Points open in the city. [points]
    people_by_district : ndarray, shape (D,)
        People present per district, the weights of the spread. [people]
    by_district : mapping of str to float, optional
        Points per district name (``people.heating_points_by_district``); districts not named get 0.
    district_names : sequence of str, optional
        The district names, in the order of ``people_by_district`` (needed with ``by_district``).

    Returns
    -------
    ndarray, shape (D,)
        Points per district (fractional when spread). [points]

    Examples
    --------
    >>> points_by_district(10, np.array([300.0, 100.0]))
    array([7.5, 2.5])
    >>> points_by_district(10, np.array([300.0, 100.0]), {"B": 4}, ["A", "B"])
    array([0., 4.])
    """
    people = np.asarray(people_by_district, dtype=float)
    if by_district:
        if district_names is None:
            raise ValueError("heating_points_by_district needs the district names")
        unknown = sorted(set(map(str, by_district)) - set(map(str, district_names)))
        if unknown:
            raise ValueError(f"heating_points_by_district names unknown districts: {', '.join(unknown)}")
        return np.asarray([float(by_district.get(str(n), 0.0)) for n in district_names])
    total = people.sum()
    if total <= 0:
        return np.full(people.shape, float(heating_points) / max(len(people), 1))
    return float(heating_points) * people / total


def points_needed(demand: np.ndarray, points: np.ndarray, places_per_point: float) -> np.ndarray:
    """Heating points needed: the open points, plus as many more as demand above their places fills.

    Parameters
    ----------
    demand : ndarray, shape (..., D)
        Concurrent demand per district. [people]
    points : ndarray, shape (D,)
        Points open per district. [points]
    places_per_point : float
        Places per point. [people]

    Returns
    -------
    ndarray, shape (..., D)
        ``max(points, demand / places_per_point)`` (fractional: an expected count). [points]

    Examples
    --------
    >>> points_needed(np.array([[50.0, 900.0]]), np.array([2.0, 3.0]), 100.0)
    array([[2., 9.]])
    """
    per_point = max(float(places_per_point), 1e-12)
    return np.maximum(np.asarray(points, dtype=float), np.asarray(demand, dtype=float) / per_point)


def generator_kw(
    unpowered_frac: np.ndarray, heating_points: float | np.ndarray, generator_kw_per_point: float
) -> np.ndarray:
    """Rated generator capacity running at heating points.

    Parameters
    ----------
    unpowered_frac : ndarray
        Share of points without grid power. [1]
    heating_points : float or ndarray
        Heating points (open or needed), broadcast against ``unpowered_frac``. [points]
    generator_kw_per_point : float
        Mean generator rating per point (over the size classes). [kW]

    Returns
    -------
    ndarray
        Rated capacity of the generators running, same shape as ``unpowered_frac``. [kW]
    """
    return np.asarray(unpowered_frac, dtype=float) * np.asarray(heating_points, dtype=float) * generator_kw_per_point


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
    running_kw : ndarray, shape (..., T)
        Rated capacity of the generators running at each step. [kW]
    dt_h : float
        Time step. [h]
    load_frac : float
        Mean load of a running generator over its rating. [1]
    diesel_l_per_kwh : float
        Specific fuel consumption. [L/kWh]

    Returns
    -------
    ndarray, shape (..., ceil(T dt_h / 24))
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
