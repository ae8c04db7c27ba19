"""Cold exposure of people: who is below which indoor temperature, where, and for how long.

The thermal model calls :meth:`ExposureAccumulator.update` once per time step with the indoor air
temperature and the power state of every building group in every realization; the accumulator keeps only
running state (current continuous time below a threshold, worst spell, totals), never the full trajectory.
:meth:`ExposureAccumulator.finish` returns an immutable :class:`Exposure`.

Conventions
-----------
* A value at step ``t`` holds for the whole step ``[t dt_h, (t + 1) dt_h)`` (piecewise constant, as in the
  thermal model). A spell of ``n`` consecutive steps below a threshold lasts ``n dt_h`` hours.
* "Below" is strict: ``indoor_c < threshold`` (report.md band 0 is ">= 18 degC").
* Everybody in a building group shares the group's indoor temperature; people are counted with the group's
  (fractional) occupant numbers, split by age with the group's shares.
* Age groups: ``all`` (everyone), ``65plus``, ``under5``; 65+ and under-5 are subsets of ``all``.
* "People below 16 degC for 24 h or more" counts a person once if a *continuous* spell below
  ``long_exposure_c`` ever reached ``long_exposure_h`` during the run; an interrupted spell restarts at 0.
  "People below 12 degC for 72 h or more" (``severe_exposure_c``, ``severe_exposure_h``) and the dangerous
  band (below ``danger_c`` for ``danger_h`` or more, high hypothermia risk) work the same way.
* Durations per affected person: a person is *affected* if they spent any step below ``long_exposure_c``.
  Two measures are kept: the *total* hours below ``long_exposure_c`` over the run (``cold_hours``) and the
  *longest continuous spell* (``cold_spell``), each as an occupant-weighted histogram and as exact
  weighted median and 90th percentile.

Needs by district: heating-point demand, the points needed (at least the open points, more where demand
exceeds their places), the generators those points run while their district has no grid power, their
rated capacity and load, and the diesel they burn (rules in :mod:`sim.needs`).

References
----------
WHO Housing and Health Guidelines (2018), 18 degC minimum; Department of Health, Cold Weather Plan for
England (2011), the indoor temperature ladder 18/16/12/9 degC and "below 9 degC for more than 2 hours core
body temperature falls"; Collins (1986), Age and Ageing 15(4):212-220, high hypothermia risk near 5-6 degC
(calibration G1, G2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np

from sim import needs

__all__ = ["AGE_GROUPS", "Exposure", "ExposureAccumulator", "weighted_quantile_steps"]

#: Age groups along the ``age_group`` axis, in this order.
AGE_GROUPS: tuple[str, ...] = ("all", "65plus", "under5")

_EPS = 1e-9


@dataclass(frozen=True)
class Exposure:
    """Exposure metrics of one run; axes: R realizations, T steps, K thresholds, D districts, A age groups,
    B duration bins, N days. Age is always the last axis, in the order of :data:`AGE_GROUPS`.

    Attributes
    ----------
    thresholds_c : ndarray (K,)
        Indoor thresholds. [degC]
    dt_h : float
        Time step. [h]
    long_exposure_c, long_exposure_h, severe_exposure_c, severe_exposure_h, danger_c, danger_h : float
        Long-exposure, severe-exposure and dangerous-band definitions. [degC], [h]
    duration_bin_edges_h : ndarray (B + 1,)
        Histogram edges: the configured lower edges plus one upper edge; bin ``b`` holds durations in
        ``[edges[b], edges[b + 1])``. The last bin is open-ended; its upper edge is ``max(last configured
        edge, run length)``, which no duration exceeds. [h]
    occupants : ndarray (D, A)
        People present per district and age group. [people]
    people_below : ndarray (R, T, K, A)
        People below each threshold at each step. [people]
    people_below_by_district : ndarray (R, T, K, D)
        People (all ages) below each threshold at each step, by district. [people]
    people_below_long_by_district_age : ndarray (R, T, D, A)
        People below ``long_exposure_c`` at each step, by district and age group. [people]
    person_hours_below_h : ndarray (R, K, D, A)
        Person-hours below each threshold. [h]
    people_ever_below : ndarray (R, K, D, A)
        People below each threshold at any step. [people]
    people_cold_long : ndarray (R, D, A)
        People below ``long_exposure_c`` for ``long_exposure_h`` or more, continuously. [people]
    people_severe : ndarray (R, D, A)
        People below ``severe_exposure_c`` for ``severe_exposure_h`` or more, continuously. [people]
    people_danger : ndarray (R, D, A)
        People below ``danger_c`` for ``danger_h`` or more, continuously. [people]
    severe_spell_hist : ndarray (R, B, A)
        People by their longest continuous spell below ``severe_exposure_c`` (ever below it). [people]
    cold_hours_hist, cold_spell_hist : ndarray (R, B, A)
        Affected people by total hours below ``long_exposure_c`` / by longest continuous spell. [people]
    cold_hours_median_h, cold_hours_p90_h, cold_spell_median_h, cold_spell_p90_h : ndarray (R, A)
        Weighted median and 90th percentile over affected people (lower quantile: the smallest duration
        that at least 50 % / 90 % of the affected do not exceed); 0 if nobody is affected. [h]
    people_without_water : ndarray (R, T)
        Upper-floor occupants whose booster pumps have no power (calibration D6). [people]
    heating_point_demand : ndarray (R, T)
        Concurrent demand for heating-point places (rule in :mod:`sim.needs`). [people]
    heating_point_capacity : float
        Places in heating points. [people]
    heating_point_unmet : ndarray (R, T)
        Demand above capacity, summed over districts (each district's points serve its residents). [people]
    points_unpowered_frac : ndarray (R, T)
        Share of heating points without grid power, running generators. [1]
    generator_kw : ndarray (R, T)
        Rated capacity of the generators running at the heating points needed. [kW]
    diesel_l_per_day : ndarray (R, N)
        Diesel burned by those generators per day of the run. [L/d]
    heating_point_demand_by_district : ndarray (R, T, D)
        Demand by district. [people]
    heating_point_capacity_by_district : ndarray (D,)
        Places in each district's heating points. [people]
    points_unpowered_by_district : ndarray (R, T, D)
        Share of each district's points without grid power (rule ``share_unpowered``: the people-weighted
        share of the district's groups without power; a district with groups but nobody present: the plain
        share of its groups, as :func:`sim.needs.points_unpowered_frac` does for the city). [1]
    generators_by_district : ndarray (R, T, D)
        Generators running: points needed (open points, more where demand exceeds their places) without
        grid power. [generators]
    generator_kw_by_district : ndarray (R, T, D)
        Their rated capacity. [kW]
    generator_load_kw : ndarray (R, T)
        Their load (rating x ``generator_load_frac``), city total. [kW]
    diesel_l_per_day_by_district : ndarray (R, N, D)
        Diesel per day by district. [L/d]
    generator_class_kw, generator_class_share : ndarray (C,)
        Generator size classes: rating [kW] and share of points needing each class [1].
    places_per_point : float
        Places per heating point. [people]
    """

    thresholds_c: np.ndarray
    dt_h: float
    long_exposure_c: float
    long_exposure_h: float
    danger_c: float
    danger_h: float
    severe_exposure_c: float
    severe_exposure_h: float
    duration_bin_edges_h: np.ndarray
    occupants: np.ndarray
    people_below: np.ndarray
    people_below_by_district: np.ndarray
    people_below_long_by_district_age: np.ndarray
    person_hours_below_h: np.ndarray
    people_ever_below: np.ndarray
    people_cold_long: np.ndarray
    people_danger: np.ndarray
    people_severe: np.ndarray
    severe_spell_hist: np.ndarray
    cold_hours_hist: np.ndarray
    cold_spell_hist: np.ndarray
    cold_hours_median_h: np.ndarray
    cold_hours_p90_h: np.ndarray
    cold_spell_median_h: np.ndarray
    cold_spell_p90_h: np.ndarray
    people_without_water: np.ndarray
    heating_point_demand: np.ndarray
    heating_point_capacity: float
    heating_point_unmet: np.ndarray
    points_unpowered_frac: np.ndarray
    generator_kw: np.ndarray
    diesel_l_per_day: np.ndarray
    heating_point_demand_by_district: np.ndarray
    heating_point_capacity_by_district: np.ndarray
    points_unpowered_by_district: np.ndarray
    generators_by_district: np.ndarray
    generator_kw_by_district: np.ndarray
    generator_load_kw: np.ndarray
    diesel_l_per_day_by_district: np.ndarray
    generator_class_kw: np.ndarray
    generator_class_share: np.ndarray
    places_per_point: float


def weighted_quantile_steps(steps: np.ndarray, weights: np.ndarray, q: float) -> np.ndarray:
    """Weighted lower quantile of per-group durations over groups with a positive duration.

    Parameters
    ----------
    steps : ndarray of int, shape (R, G)
        Duration per group, in steps; 0 means not affected (left out).
    weights : ndarray, shape (G,)
        People per group. [people]
    q : float
        Quantile in (0, 1].

    Returns
    -------
    ndarray of int, shape (R,)
        The smallest duration ``s`` such that the affected people with duration ``<= s`` make up at least
        ``q`` of all affected people; 0 where nobody is affected. [steps]

    Examples
    --------
    >>> weighted_quantile_steps(np.array([[0, 1, 3, 5]]), np.array([9.0, 1.0, 1.0, 2.0]), 0.5)
    array([3])
    """
    return _weighted_quantiles_steps(steps, np.asarray(weights, dtype=float)[:, None], [q])[0][..., 0]


def _weighted_quantiles_steps(steps: np.ndarray, weights: np.ndarray, qs: list[float]) -> list[np.ndarray]:
    """:func:`weighted_quantile_steps` for several weight columns (G, A) and quantiles, sorting once.

    Returns one (R, A) array per quantile in ``qs``.
    """
    steps = np.asarray(steps)
    order = np.argsort(steps, axis=-1, kind="stable")
    s_sorted = np.take_along_axis(steps, order, axis=-1)
    out = [np.empty((*steps.shape[:-1], weights.shape[-1]), dtype=steps.dtype) for _ in qs]
    for a in range(weights.shape[-1]):
        w_sorted = np.where(s_sorted > 0, weights[:, a][order], 0.0)
        cum = np.cumsum(w_sorted, axis=-1)
        total = cum[..., -1:] if cum.shape[-1] else np.zeros((*steps.shape[:-1], 1))
        for q, res in zip(qs, out, strict=True):
            reached = (cum >= q * total * (1.0 - 1e-12)) & (w_sorted > 0)
            # no groups: argmax of an empty axis raises; the result is 0 (nobody affected) anyway
            idx = np.argmax(reached, axis=-1) if cum.shape[-1] else np.zeros(steps.shape[:-1], dtype=np.intp)
            value = np.take_along_axis(s_sorted, idx[..., None], axis=-1)[..., 0] if cum.shape[-1] else idx
            res[..., a] = np.where(total[..., 0] > 0, value, 0)
    return out


class ExposureAccumulator:
    """Accumulates exposure and needs over time steps, vectorized over realizations and building groups.

    Parameters
    ----------
    occupants : ndarray (G,)
        People present in each building group (after departures and people away). [people]
    share_65plus, share_under5 : ndarray (G,)
        Shares of the occupants aged 65+ and under 5. [1]
    upper_floor_occupants : ndarray (G,)
        Occupants who lose water when the booster pumps have no power (calibration D6). [people]
    district_index : ndarray of int (G,)
        District of each group, ``0 .. n_districts - 1``.
    n_districts : int
        Number of districts.
    cfg : PeopleConfig or DictConfig
        The ``people`` config group (thresholds, durations, heating-point rule).
    dt_h : float
        Time step. [h]
    n_realizations, n_steps : int
        R and T.
    district_names : sequence of str, optional
        District names, to read ``cfg.heating_points_by_district``; without them (or without that key) the
        city's points are spread over districts like the people present [L].

    Notes
    -----
    Call :meth:`update` for ``t = 0, 1, ..., n_steps - 1`` in order, then :meth:`finish`. Memory held:
    O(R G K) for the running state plus O(R T K) for the time series. Heating-point assumptions are listed
    in :mod:`sim.needs`.
    """

    def __init__(
        self,
        occupants: np.ndarray,
        share_65plus: np.ndarray,
        share_under5: np.ndarray,
        upper_floor_occupants: np.ndarray,
        district_index: np.ndarray,
        n_districts: int,
        cfg: Any,
        dt_h: float,
        n_realizations: int,
        n_steps: int,
        district_names: Any = None,
    ) -> None:
        # ranges of cfg are checked by the config stage (sim.config.people.validate_people_config)
        occ = np.asarray(occupants, dtype=float)
        s65 = np.asarray(share_65plus, dtype=float)
        s5 = np.asarray(share_under5, dtype=float)
        upper = np.asarray(upper_floor_occupants, dtype=float)
        district = np.asarray(district_index)
        n_groups = occ.shape[0]
        for name, arr in [
            ("share_65plus", s65),
            ("share_under5", s5),
            ("upper_floor_occupants", upper),
            ("district_index", district),
        ]:
            if arr.shape != (n_groups,):
                raise ValueError(f"{name} has shape {arr.shape}, expected ({n_groups},)")
        if not (np.isfinite(occ).all() and (occ >= 0).all()):
            raise ValueError("occupants must be finite and >= 0")
        if not ((s65 >= 0) & (s5 >= 0) & (s65 + s5 <= 1 + _EPS)).all():
            raise ValueError("share_65plus and share_under5 must be >= 0 and sum to at most 1")
        if not ((upper >= 0) & (upper <= occ * (1 + _EPS) + _EPS)).all():
            raise ValueError("upper_floor_occupants must be within [0, occupants]")
        if not np.issubdtype(district.dtype, np.integer) or (
            n_groups and (district.min() < 0 or district.max() >= n_districts)
        ):
            raise ValueError(f"district_index must be integers in [0, {n_districts})")
        if not dt_h > 0:
            raise ValueError("dt_h must be > 0")

        self.dt_h = float(dt_h)
        self.n_realizations = int(n_realizations)
        self.n_steps = int(n_steps)
        self.n_districts = int(n_districts)
        self.thresholds_c = np.asarray([float(x) for x in cfg.thresholds_c])
        self.long_exposure_c = float(cfg.long_exposure_c)
        self.long_exposure_h = float(cfg.long_exposure_h)
        self.danger_c = float(cfg.danger_c)
        self.danger_h = float(cfg.danger_h)
        self.severe_exposure_c = float(getattr(cfg, "severe_exposure_c", 12.0))
        self.severe_exposure_h = float(getattr(cfg, "severe_exposure_h", 72.0))
        self._need_long = max(1, math.ceil(self.long_exposure_h / self.dt_h - _EPS))
        self._need_danger = max(1, math.ceil(self.danger_h / self.dt_h - _EPS))
        self._need_severe = max(1, math.ceil(self.severe_exposure_h / self.dt_h - _EPS))
        self._edges_h = np.asarray([float(x) for x in cfg.duration_bin_edges_h])
        self._vulnerable_c = float(cfg.vulnerable_seek_below_c)
        self._everyone_c = float(cfg.everyone_seek_below_c)
        self._uptake = float(cfg.uptake_frac)
        if cfg.heating_points is None:
            raise ValueError(
                "people.heating_points is None (the city's figure): fill it first, e.g. with "
                "sim.chain.resolve_defaults(cfg), or give a number"
            )
        self._points = float(cfg.heating_points)
        self._places = float(cfg.places_per_point)
        self._rule = str(cfg.generator_rule)
        self._class_kw = np.asarray([float(x) for x in cfg.generator_class_kw])
        self._class_share = np.asarray([float(x) for x in cfg.generator_class_share])
        if self._class_kw.shape != self._class_share.shape or not np.isclose(self._class_share.sum(), 1.0):
            raise ValueError("generator_class_kw and generator_class_share need one share per class, summing to 1")
        self._kw_per_point = float(self._class_kw @ self._class_share)  # mean rating of a point's generator
        self._load_frac = float(cfg.generator_load_frac)
        self._l_per_kwh = float(cfg.diesel_l_per_kwh)

        # the groups in district order (stable), the order of the step's sums (:func:`_exposure_step`);
        # every output is a sum over groups, so only the inputs of a step need reordering (``None``: in order)
        order = np.argsort(district, kind="stable")
        self._order: np.ndarray | None = None if np.array_equal(order, np.arange(n_groups)) else order
        if self._order is not None:
            occ, s65, s5, upper, district = occ[order], s65[order], s5[order], upper[order], district[order]
        self._seg = np.searchsorted(district, np.arange(n_districts + 1)).astype(np.int64)  # district d: seg[d]:seg[d+1]
        self._occ = occ
        self._occ_total = occ.sum()  # as in needs.points_unpowered_frac
        self._vulnerable = occ * np.clip(s65 + s5, 0.0, 1.0)
        self._others = occ - self._vulnerable  # as in needs.heating_point_eligible
        self._upper = upper
        self._weights = np.stack([occ, occ * s65, occ * s5], axis=-1)  # (G, A)
        self._weight_cols = [np.ascontiguousarray(self._weights[:, a]) for a in range(len(AGE_GROUPS))]
        onehot = (district[:, None] == np.arange(n_districts)[None, :]).astype(float)  # (G, D)
        self._to_district = (onehot[:, :, None] * self._weights[:, None, :]).reshape(n_groups, -1)  # (G, D*A)
        self._to_district_all = np.ascontiguousarray(onehot * self._weights[:, :1])  # (G, D), all ages
        self._vulnerable_d = np.ascontiguousarray(onehot * self._vulnerable[:, None])  # (G, D)
        self._others_d = np.ascontiguousarray(onehot * self._others[:, None])  # (G, D)
        self._occ_d = self._to_district_all.sum(axis=0)  # (D,) people present per district
        # districts with groups but nobody present: their points' share is the plain share of their groups
        # without power (the city-wide fallback of needs.points_unpowered_frac); points may be open there
        # (people.heating_points_by_district) and need generators when the grid is down.
        groups_d = onehot.sum(axis=0)
        self._empty_d = np.flatnonzero((self._occ_d <= 0) & (groups_d > 0))
        self._group_share_empty = np.ascontiguousarray(onehot[:, self._empty_d] / groups_d[self._empty_d])  # (G, E)
        self._points_d = needs.points_by_district(
            self._points, self._occ_d, getattr(cfg, "heating_points_by_district", None), district_names
        )

        R, T, K, A = self.n_realizations, self.n_steps, len(self.thresholds_c), len(AGE_GROUPS)
        self._shape_rg = (R, n_groups)
        # Every temperature the step compares against, each once: the K thresholds first, then the
        # heating-point cuts (needed as 0/1 floats for matrix products), then the spell cuts (bool only).
        vulnerable_below_c, everyone_below_c = needs.eligibility_cuts(self._vulnerable_c, self._everyone_c)
        cuts = list(self.thresholds_c)
        for c in (vulnerable_below_c, everyone_below_c):
            if c not in cuts:
                cuts.append(c)
        n_float = len(cuts)
        for c in (self.long_exposure_c, self.danger_c, self.severe_exposure_c):
            if c not in cuts:
                cuts.append(c)
        self._cuts = np.asarray(cuts)[:, None, None]  # (U, 1, 1)
        self._i_vulnerable, self._i_everyone = cuts.index(vulnerable_below_c), cuts.index(everyone_below_c)
        self._i_long, self._i_danger = cuts.index(self.long_exposure_c), cuts.index(self.danger_c)
        self._i_severe = cuts.index(self.severe_exposure_c)
        self._cuts_flat = np.asarray(cuts, dtype=float)  # (U,)
        self._n_float_cuts = n_float  # the cuts whose 0/1 flags enter sums (thresholds, heating-point cuts)
        self._weights_t = np.ascontiguousarray(self._weights.T)  # (A, G)
        self._off_occ = np.zeros(R)  # people without power in the last step (R,) and by district (R, D)
        self._off_occ_d = np.zeros((R, n_districts))
        # Durations in steps never exceed T: the smallest unsigned integer type that holds T.
        steps_t = np.min_scalar_type(max(T, 1))
        # Running state. Everything per district is derived in finish(): person-hours from the steps below
        # each threshold, "ever below" from the lowest temperature, the long and dangerous spells from the
        # longest spell below each cut.
        self._steps_below = np.zeros((K, R, n_groups), dtype=steps_t)
        self._cold_steps = (
            self._steps_below[self._i_long] if self._i_long < K else np.zeros((R, n_groups), dtype=steps_t)
        )
        self._min_c = np.full((R, n_groups), np.inf)
        self._run_long = np.zeros((R, n_groups), dtype=steps_t)
        self._max_spell = np.zeros((R, n_groups), dtype=steps_t)
        self._run_danger = np.zeros((R, n_groups), dtype=steps_t)
        self._max_danger = np.zeros((R, n_groups), dtype=steps_t)
        self._run_severe = np.zeros((R, n_groups), dtype=steps_t)
        self._max_severe = np.zeros((R, n_groups), dtype=steps_t)
        self._people_below = np.zeros((T, A, K * R))  # (R, T, K, A) in finish()
        self._people_below_d = np.zeros((T, K * R, n_districts))  # (R, T, K, D) in finish()
        self._people_below_long_da = np.zeros((T, R, n_districts * A))  # (R, T, D, A) in finish()
        self._no_water = np.zeros((R, T))
        self._demand = np.zeros((R, T))
        self._unpowered = np.zeros((R, T))
        self._demand_d = np.zeros((R, T, n_districts))
        self._unpowered_d = np.zeros((R, T, n_districts))
        self._next_t = 0

    def _district_sum(self, per_group: np.ndarray) -> np.ndarray:
        """(..., G) people flags or shares -> (..., D, A) people."""
        out = per_group.astype(float) @ self._to_district
        return out.reshape((*per_group.shape[:-1], self.n_districts, len(AGE_GROUPS)))

    def update(
        self,
        t: int,
        indoor_c: np.ndarray,
        powered: np.ndarray,
        points_unpowered_frac: np.ndarray | float | None = None,
    ) -> None:
        """Add step ``t``.

        Parameters
        ----------
        t : int
            Step index; must be the previous one plus 1, starting at 0.
        indoor_c : ndarray (R, G)
            Indoor air temperature during the step. [degC]
        powered : ndarray of bool (R, G)
            Power on at the group's feeder during the step.
        points_unpowered_frac : ndarray (R,) or float, optional
            Share of heating points without grid power during the step [1]; by default derived from
            ``powered`` with the config's ``generator_rule`` (see :mod:`sim.needs`).

        Notes
        -----
        The step is one compiled pass over (R, G) into preallocated buffers (:meth:`_step_kernel`):
        every cut compared once, the sums over groups, the per-group counters updated in place. District
        breakdowns by age and duration wait for :meth:`finish`.
        """
        if t != self._next_t:
            raise ValueError(f"update expects step {self._next_t}, got {t}")
        if t >= self.n_steps:
            raise ValueError(f"step {t} is beyond n_steps={self.n_steps}")
        indoor_c = np.asarray(indoor_c, dtype=float)
        powered = np.asarray(powered, dtype=bool)
        if indoor_c.shape != self._shape_rg or powered.shape != self._shape_rg:
            raise ValueError(
                f"indoor_c {indoor_c.shape} and powered {powered.shape} must be {self._shape_rg}"
            )
        if not np.isfinite(indoor_c.sum()) and not np.isfinite(indoor_c).all():  # a finite sum is the fast path
            raise ValueError(f"indoor_c has NaN or inf at step {t}")

        if self._order is not None:
            indoor_c, powered = indoor_c[:, self._order], powered[:, self._order]
        self._step_kernel(t, indoor_c, powered)
        if points_unpowered_frac is not None:
            share = np.clip(np.asarray(points_unpowered_frac, dtype=float), 0.0, 1.0)
            self._unpowered[:, t] = share
            self._unpowered_d[:, t] = np.broadcast_to(np.reshape(share, (-1, 1)), self._unpowered_d[:, t].shape)
        elif self._rule == "share_unpowered" and self._occ_total > 0:  # needs.points_unpowered_frac
            off_occ, off_d = self._off_occ, self._off_occ_d  # (R,), (R, D) people without power
            self._unpowered[:, t] = np.clip(off_occ / self._occ_total, 0.0, 1.0)
            self._unpowered_d[:, t] = np.clip(off_d / np.where(self._occ_d > 0, self._occ_d, 1.0), 0.0, 1.0)
            if self._empty_d.size:
                off = np.logical_not(powered).astype(float)
                self._unpowered_d[:, t, self._empty_d] = np.clip(off @ self._group_share_empty, 0.0, 1.0)
        else:
            self._unpowered[:, t] = needs.points_unpowered_frac(powered, self._occ, self._rule)
            self._unpowered_d[:, t] = self._unpowered[:, t : t + 1]
        self._next_t += 1

    def _step_kernel(self, t: int, indoor_c: np.ndarray, powered: np.ndarray) -> None:
        """Step ``t``'s comparisons, counters and sums over groups in one compiled pass over (R, G)
        (:func:`_exposure_step`); :meth:`_step_reference` is the same step as whole-array numpy operations."""
        _exposure_step(t, indoor_c, powered, self._cuts_flat, len(self.thresholds_c), self._i_long, self._i_danger,
                       self._i_severe, self._i_vulnerable, self._i_everyone, self._weights_t, self._seg,
                       self._occ, self._upper, self._vulnerable, self._others, self._uptake,
                       self._i_long >= len(self.thresholds_c), self._steps_below, self._cold_steps, self._min_c,
                       self._run_long, self._max_spell, self._run_danger, self._max_danger, self._run_severe,
                       self._max_severe, self._people_below, self._people_below_d, self._people_below_long_da,
                       self._no_water, self._demand, self._demand_d, self._off_occ, self._off_occ_d)

    def _step_reference(self, t: int, indoor_c: np.ndarray, powered: np.ndarray) -> None:
        """:meth:`_step_kernel` as whole-array operations into preallocated buffers (the path before it;
        the tests compare the two): one comparison against every cut, matrix products for the sums over
        groups, in-place updates of the per-group counters."""
        below = np.less(indoor_c[None], self._cuts)  # (U, R, G)
        below_f = below[: self._n_float_cuts].astype(float)
        K = len(self.thresholds_c)
        flat = below_f[:K].reshape(-1, below_f.shape[-1])  # (K R, G), a view
        for a, w in enumerate(self._weight_cols):
            np.matmul(flat, w, out=self._people_below[t, a])
        np.matmul(flat, self._to_district_all, out=self._people_below_d[t])
        np.add(self._steps_below, below[:K], out=self._steps_below)
        np.minimum(self._min_c, indoor_c, out=self._min_c)

        cold = below[self._i_long]
        np.matmul(cold, self._to_district, out=self._people_below_long_da[t])  # by district and age
        if self._i_long >= K:
            np.add(self._cold_steps, cold, out=self._cold_steps)
        for run, longest, mask in (
            (self._run_long, self._max_spell, cold),
            (self._run_danger, self._max_danger, below[self._i_danger]),
            (self._run_severe, self._max_severe, below[self._i_severe]),
        ):
            np.add(run, 1, out=run)  # a spell goes on below the cut and restarts at 0 above it
            np.multiply(run, mask, out=run)
            np.maximum(longest, run, out=longest)

        off = np.logical_not(powered).astype(float)
        self._no_water[:, t] = off @ self._upper
        eligible = below_f[self._i_vulnerable] @ self._vulnerable + below_f[self._i_everyone] @ self._others
        self._demand[:, t] = self._uptake * eligible
        eligible_d = below_f[self._i_vulnerable] @ self._vulnerable_d + below_f[self._i_everyone] @ self._others_d
        np.multiply(eligible_d, self._uptake, out=self._demand_d[:, t])
        self._off_occ[:] = off @ self._occ
        self._off_occ_d[:] = off @ self._to_district_all

    def _histogram(self, steps: np.ndarray, edges_h: np.ndarray) -> np.ndarray:
        """(R, G) durations in steps -> (R, B, A) affected people per bin."""
        hours = steps * self.dt_h
        n_bins = len(edges_h) - 1
        idx = np.clip(np.searchsorted(edges_h[:-1], hours + _EPS, side="right") - 1, 0, n_bins - 1)
        onehot = (idx[:, None, :] == np.arange(n_bins)[:, None]) & (steps > 0)[:, None, :]  # (R, B, G)
        return onehot.astype(float) @ self._weights

    def _quantiles_h(self, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(R, G) durations in steps -> (R, A) weighted median and 90th percentile over affected people. [h]"""
        median, p90 = _weighted_quantiles_steps(steps, self._weights, [0.5, 0.9])
        return median * self.dt_h, p90 * self.dt_h

    def finish(self, points_unpowered_frac: np.ndarray | None = None) -> Exposure:
        """Close the accumulation and return the metrics.

        Parameters
        ----------
        points_unpowered_frac : ndarray (R, T), optional
            Share of heating points without grid power [1]; overrides what :meth:`update` recorded.

        Returns
        -------
        Exposure
        """
        if self._next_t != self.n_steps:
            raise ValueError(f"finish after {self._next_t} of {self.n_steps} steps")
        unpowered, unpowered_d = self._unpowered, self._unpowered_d
        if points_unpowered_frac is not None:
            unpowered = np.clip(
                np.broadcast_to(np.asarray(points_unpowered_frac, dtype=float), unpowered.shape), 0.0, 1.0
            ).copy()
            unpowered_d = np.repeat(unpowered[:, :, None], self.n_districts, axis=2)
        horizon_h = self.n_steps * self.dt_h
        # One bin per configured lower edge (stable across horizons); the last is open-ended and its upper
        # edge records the run length (no duration can exceed it).
        edges = np.append(self._edges_h, max(self._edges_h[-1], horizon_h))
        capacity = self._points * self._places
        capacity_d = self._points_d * self._places
        points_needed_d = needs.points_needed(self._demand_d, self._points_d, self._places)
        generators_d = unpowered_d * points_needed_d  # (R, T, D)
        kw_d = needs.generator_kw(unpowered_d, points_needed_d, self._kw_per_point)
        running_kw = kw_d.sum(axis=-1)
        diesel_d = needs.diesel_l_per_day(
            np.moveaxis(kw_d, -1, 0), self.dt_h, self._load_frac, self._l_per_kwh
        )  # (D, R, N)
        K, R = len(self.thresholds_c), self.n_realizations
        people_below = np.ascontiguousarray(
            self._people_below.reshape(self.n_steps, len(AGE_GROUPS), K, R).transpose(3, 0, 2, 1)
        )  # (R, T, K, A)
        people_below_d = np.ascontiguousarray(
            self._people_below_d.reshape(self.n_steps, K, R, self.n_districts).transpose(2, 0, 1, 3)
        )  # (R, T, K, D)
        cold_steps = self._cold_steps.astype(np.int64)
        max_spell = self._max_spell.astype(np.int64)
        hours_q, spell_q = self._quantiles_h(cold_steps), self._quantiles_h(max_spell)
        return Exposure(
            thresholds_c=self.thresholds_c.copy(),
            dt_h=self.dt_h,
            long_exposure_c=self.long_exposure_c,
            long_exposure_h=self.long_exposure_h,
            danger_c=self.danger_c,
            danger_h=self.danger_h,
            severe_exposure_c=self.severe_exposure_c,
            severe_exposure_h=self.severe_exposure_h,
            duration_bin_edges_h=edges,
            occupants=self._district_sum(np.ones(self._occ.shape)),
            people_below=people_below,
            people_below_by_district=people_below_d,
            people_below_long_by_district_age=np.ascontiguousarray(
                self._people_below_long_da.reshape(self.n_steps, R, self.n_districts, len(AGE_GROUPS)).swapaxes(0, 1)
            ),
            person_hours_below_h=self._district_sum(np.swapaxes(self._steps_below, 0, 1)) * self.dt_h,
            people_ever_below=self._district_sum(self._min_c[:, None, :] < self.thresholds_c[:, None]),
            people_cold_long=self._district_sum(self._max_spell >= self._need_long),
            people_danger=self._district_sum(self._max_danger >= self._need_danger),
            people_severe=self._district_sum(self._max_severe >= self._need_severe),
            severe_spell_hist=self._histogram(self._max_severe.astype(np.int64), edges),
            cold_hours_hist=self._histogram(cold_steps, edges),
            cold_spell_hist=self._histogram(max_spell, edges),
            cold_hours_median_h=hours_q[0],
            cold_hours_p90_h=hours_q[1],
            cold_spell_median_h=spell_q[0],
            cold_spell_p90_h=spell_q[1],
            people_without_water=self._no_water,
            heating_point_demand=self._demand,
            heating_point_capacity=capacity,
            heating_point_unmet=np.maximum(self._demand_d - capacity_d, 0.0).sum(axis=-1),
            points_unpowered_frac=unpowered,
            generator_kw=running_kw,
            diesel_l_per_day=diesel_d.sum(axis=0),
            heating_point_demand_by_district=self._demand_d,
            heating_point_capacity_by_district=capacity_d,
            points_unpowered_by_district=unpowered_d,
            generators_by_district=generators_d,
            generator_kw_by_district=kw_d,
            generator_load_kw=running_kw * self._load_frac,
            diesel_l_per_day_by_district=np.moveaxis(diesel_d, 0, -1),
            generator_class_kw=self._class_kw.copy(),
            generator_class_share=self._class_share.copy(),
            places_per_point=self._places,
        )



@numba.njit(cache=True, parallel=True, fastmath={"reassoc", "contract"})
def _exposure_step(t, x, powered, cuts, n_k, i_long, i_danger, i_severe, i_vuln, i_every, weights_t, seg, occ,
                   upper, vulnerable, others, uptake, add_cold, steps_below, cold_steps, min_c, run_long, max_spell,
                   run_danger, max_danger, run_severe, max_severe, people_below, people_below_d, people_below_long_da,
                   no_water, demand, demand_d, off_occ, off_occ_d):  # pragma: no cover - compiled
    """One step of :class:`ExposureAccumulator` (its :meth:`~ExposureAccumulator._step_reference`'s outputs),
    realizations in parallel (each writes its own cells). The groups are in district order, district d
    being ``seg[d]:seg[d + 1]``, so every sum is a plain loop over a district's groups: a 0/1 flag times a
    weight adds the weight or exactly 0, without branches, and the sums may be vectorized (reassociated,
    as the reference's matrix products are: equal up to round-off). ``weights_t`` is (3, G): all, 65+,
    under 5."""
    n_r, n_g = x.shape
    n_d = seg.shape[0] - 1
    cut_long, cut_danger, cut_severe = cuts[i_long], cuts[i_danger], cuts[i_severe]
    cut_vuln, cut_every = cuts[i_vuln], cuts[i_every]
    w0, w1, w2 = weights_t[0], weights_t[1], weights_t[2]
    for r in numba.prange(n_r):
        xr = x[r]
        pr = powered[r]
        elig_all = 0.0
        water = 0.0
        off_all = 0.0
        for k in range(n_k):  # below each threshold: steps per group, people by age (all groups in one loop)
            c = cuts[k]
            sbk = steps_below[k, r]
            a0 = 0.0
            a1 = 0.0
            a2 = 0.0
            for g in range(n_g):
                b = xr[g] < c
                sbk[g] += b
                a0 += w0[g] * b
                a1 += w1[g] * b
                a2 += w2[g] * b
            row = k * n_r + r
            people_below[t, 0, row] = a0
            people_below[t, 1, row] = a1
            people_below[t, 2, row] = a2
        for d in range(n_d):  # by district: people below each threshold, below the long cut by age,
            g0, g1 = seg[d], seg[d + 1]  # eligible for heating points, without power
            for k in range(n_k):
                c = cuts[k]
                a0 = 0.0
                for g in range(g0, g1):
                    a0 += w0[g] * (xr[g] < c)
                people_below_d[t, k * n_r + r, d] = a0
            a0 = 0.0
            a1 = 0.0
            a2 = 0.0
            ev = 0.0
            eo = 0.0
            off = 0.0
            wat = 0.0
            for g in range(g0, g1):
                v = xr[g]
                b = v < cut_long
                a0 += w0[g] * b
                a1 += w1[g] * b
                a2 += w2[g] * b
                ev += vulnerable[g] * (v < cut_vuln)
                eo += others[g] * (v < cut_every)
                dark = not pr[g]
                off += occ[g] * dark
                wat += upper[g] * dark
            people_below_long_da[t, r, 3 * d] = a0
            people_below_long_da[t, r, 3 * d + 1] = a1
            people_below_long_da[t, r, 3 * d + 2] = a2
            demand_d[r, t, d] = uptake * (ev + eo)
            elig_all += ev + eo
            off_occ_d[r, d] = off
            off_all += off
            water += wat
        no_water[r, t] = water
        demand[r, t] = uptake * elig_all
        off_occ[r] = off_all
        # the per-group counters: lowest temperature, cold steps, spells (a spell goes on below its cut and
        # restarts at 0 above it) and the longest of each
        for g in range(n_g):
            v = xr[g]
            min_c[r, g] = min(min_c[r, g], v)
            b = v < cut_long
            if add_cold:
                cold_steps[r, g] += b
            run = (run_long[r, g] + 1) * b
            run_long[r, g] = run
            max_spell[r, g] = max(max_spell[r, g], run)
            run = (run_danger[r, g] + 1) * (v < cut_danger)
            run_danger[r, g] = run
            max_danger[r, g] = max(max_danger[r, g], run)
            run = (run_severe[r, g] + 1) * (v < cut_severe)
            run_severe[r, g] = run
            max_severe[r, g] = max(max_severe[r, g], run)
