"""People: cold exposure, vulnerable groups and needs, and their xarray form.

The stage after the thermal model: :class:`~sim.exposure.ExposureAccumulator` collects the metrics step by
step (see :mod:`sim.exposure` for the definitions, :mod:`sim.needs` for the heating-point assumptions);
:func:`exposure_to_dataset` turns the resulting :class:`~sim.exposure.Exposure` into the variables of
``result.nc`` (DESIGN.md, Outputs). Districts only: no building-group detail leaves this module.

Variables of :func:`exposure_to_dataset` (R realization, T time, K threshold, D district, A age_group,
B duration_bin, N day); contract variables of DESIGN.md are marked *:

=====================================  ==================  =======  ==========================================
variable                               dims                units    meaning
=====================================  ==================  =======  ==========================================
people_below_threshold *               R, T, K             1        people strictly below the threshold
people_below_threshold_by_age          R, T, K, A          1        the same by age group
people_below_threshold_by_district     R, T, K, D          1        the same by district (all ages)
people_below_long_by_district_age      R, T, D, A          1        below 16 degC, by district and age group
person_hours_below_threshold *         R, K, D             h        person-hours below the threshold
person_hours_below_threshold_by_age    R, K, D, A          h        the same by age group
people_ever_below_threshold            R, K, D, A          1        below the threshold at any step
people_cold_24h *                      R, D                1        below 16 degC for >= 24 h, continuously
people_cold_24h_by_age                 R, D, A             1        the same by age group
people_severe_cold                     R, D, A             1        below 12 degC for >= 72 h, continuously
people_dangerous_cold                  R, D, A             1        below 6 degC for >= 2 h, continuously
cold_hours_histogram                   R, B, A             1        affected people by total hours < 16 degC
cold_spell_histogram                   R, B, A             1        affected people by longest spell < 16 degC
severe_spell_histogram                 R, B, A             1        people by longest spell < 12 degC
cold_hours_median, cold_hours_p90      R, A                h        per affected person (0 if nobody)
cold_spell_median, cold_spell_p90      R, A                h        per affected person (0 if nobody)
occupants                              D, A                1        people present (denominators)
people_without_water                   R, T                1        upper floors, booster pumps unpowered
heating_point_demand *                 R, T                1        concurrent demand for places
heating_point_demand_by_district       R, T, D             1        the same by district
heating_point_unmet_demand             R, T                1        demand above capacity (district by district)
heating_point_capacity                 (scalar)            1        places
heating_point_capacity_by_district     D                   1        places per district
heating_points_on_generator            R, T                1        share of points without grid power
generators_running                     R, T                1        generators running at the points needed
generators_running_by_district         R, T, D             1        the same by district
generator_kw                           R, T                kW       their rated capacity
generator_load_kw                      R, T                kW       their load (rating x load share)
diesel_consumption                     R, N                L d-1    diesel per day of the run
diesel_consumption_by_district         R, N, D             L d-1    the same by district
generator_class_kw                     C                   kW       rating of each generator size class
generator_class_share                  C                   1        share of points needing each class
=====================================  ==================  =======  ==========================================

Coordinates: ``realization`` (int), ``time`` (datetime64), ``threshold`` (degC), ``district`` (names) with
``katotth`` on the district dimension, ``age_group`` (all, 65plus, under5), ``duration_bin`` (lower edge, h)
with ``duration_bin_upper``, ``day`` (datetime64, start of each day of the run), ``generator_class`` (C:
names such as ``10kW``). Thresholds and durations of the long-exposure, severe-exposure and dangerous-band
definitions are attributes ``threshold_c`` and ``duration_h`` of ``people_cold_24h*``,
``people_severe_cold`` and ``people_dangerous_cold`` (the names keep "24h" whatever the config says).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import xarray as xr

from sim.exposure import AGE_GROUPS, Exposure, ExposureAccumulator

__all__ = ["AGE_GROUPS", "Exposure", "ExposureAccumulator", "exposure_to_dataset"]

log = logging.getLogger(__name__)

_AGE_LONG = "all residents, 65 and over, under 5"


def _var(
    data: np.ndarray | float, dims: tuple[str, ...], units: str, long_name: str, **attrs: float
) -> xr.Variable:
    return xr.Variable(dims, np.asarray(data, dtype=float), {"units": units, "long_name": long_name, **attrs})


def exposure_to_dataset(
    exposure: Exposure,
    times: np.ndarray,
    district_names: Sequence[str],
    district_codes: Sequence[str],
    thresholds: Sequence[float] | None = None,
    household_size: float = 2.42,
) -> xr.Dataset:
    """Turn an :class:`Exposure` into CF-style xarray variables (no global attributes; the io stage adds them).

    Parameters
    ----------
    exposure : Exposure
        Output of :meth:`ExposureAccumulator.finish`.
    times : array of datetime64, shape (T,)
        Start of each step.
    district_names, district_codes : sequence of str, length D
        District names and their KATOTTH codes.
    thresholds : sequence of float, optional
        Thresholds for the ``threshold`` coordinate [degC]; must equal ``exposure.thresholds_c``.
    household_size : float
        People per household, stored as an attribute for converting people to households (Shelter
        Cluster Ukraine coefficient 2.42, reference/report.md). [people]

    Returns
    -------
    xarray.Dataset
        The variables in the table of this module's docstring; every one has ``units`` and ``long_name``.
    """
    e = exposure
    R, T, _K, _A = e.people_below.shape
    D = e.people_cold_long.shape[1]
    times = np.asarray(times).astype("datetime64[ns]")
    if times.shape != (T,):
        raise ValueError(f"times has shape {times.shape}, expected ({T},)")
    if len(district_names) != D or len(district_codes) != D:
        raise ValueError(f"need {D} district names and codes")
    if thresholds is not None and not np.array_equal(np.asarray(thresholds, dtype=float), e.thresholds_c):
        raise ValueError(f"thresholds {list(thresholds)} differ from the exposure's {list(e.thresholds_c)}")
    n_days = e.diesel_l_per_day.shape[1]
    days = (times[0] if T else np.datetime64("1970-01-01", "ns")) + np.arange(n_days) * np.timedelta64(1, "D")
    edges = e.duration_bin_edges_h
    lc, lh = f"{e.long_exposure_c:g} degC", f"{e.long_exposure_h:g} h"
    dc, dh = f"{e.danger_c:g} degC", f"{e.danger_h:g} h"
    sc, sh = f"{e.severe_exposure_c:g} degC", f"{e.severe_exposure_h:g} h"

    coords = {
        "realization": (
            "realization",
            np.arange(R),
            {"standard_name": "realization", "long_name": "Monte Carlo realization"},
        ),
        "time": ("time", times, {"long_name": "start of time step"}),
        "threshold": (
            "threshold",
            e.thresholds_c.astype(float),
            {"units": "degC", "long_name": "indoor temperature threshold (people strictly below; operative or air: "
                                            "attribute exposure_temperature)"},
        ),
        "district": (
            "district",
            np.asarray(list(district_names), dtype=str),
            {"long_name": "district (raion)"},
        ),
        "katotth": (
            "district",
            np.asarray(list(district_codes), dtype=str),
            {"long_name": "KATOTTH code of the district"},
        ),
        "age_group": ("age_group", np.asarray(AGE_GROUPS), {"long_name": f"age group: {_AGE_LONG}"}),
        "duration_bin": (
            "duration_bin",
            edges[:-1],
            {"units": "h", "long_name": "lower edge of duration bin (last bin open-ended)"},
        ),
        "duration_bin_upper": (
            "duration_bin",
            edges[1:],
            {"units": "h", "long_name": "upper edge of duration bin (last: the run length or the last edge, the larger)"},
        ),
        "day": ("day", days, {"long_name": "start of day of the run"}),
        "generator_class": (
            "generator_class",
            np.asarray([f"{kw:g}kW" for kw in e.generator_class_kw]),
            {"long_name": "generator size class (rating)"},
        ),
    }
    rt, rtk, rkd = (
        ("realization", "time"),
        ("realization", "time", "threshold"),
        ("realization", "threshold", "district"),
    )
    ra = ("realization", "age_group")
    rba = ("realization", "duration_bin", "age_group")
    variables = {
        "people_below_threshold": _var(
            e.people_below[..., 0], rtk, "1", "people with indoor temperature below threshold"
        ),
        "people_below_threshold_by_district": _var(
            e.people_below_by_district,
            (*rtk, "district"),
            "1",
            "people with indoor temperature below threshold, by district",
        ),
        "people_below_long_by_district_age": _var(
            e.people_below_long_by_district_age,
            ("realization", "time", "district", "age_group"),
            "1",
            f"people with indoor temperature below {lc}, by district and age group",
            threshold_c=e.long_exposure_c,
        ),
        "people_below_threshold_by_age": _var(
            e.people_below,
            (*rtk, "age_group"),
            "1",
            "people with indoor temperature below threshold, by age group",
        ),
        "person_hours_below_threshold": _var(
            e.person_hours_below_h[..., 0], rkd, "h", "person-hours with indoor temperature below threshold"
        ),
        "person_hours_below_threshold_by_age": _var(
            e.person_hours_below_h, (*rkd, "age_group"), "h", "person-hours below threshold, by age group"
        ),
        "people_ever_below_threshold": _var(
            e.people_ever_below,
            (*rkd, "age_group"),
            "1",
            "people below threshold at any time of the run, by age group",
        ),
        "people_cold_24h": _var(
            e.people_cold_long[..., 0],
            ("realization", "district"),
            "1",
            f"people below {lc} indoors for {lh} or more (continuous)",
            threshold_c=e.long_exposure_c,
            duration_h=e.long_exposure_h,
        ),
        "people_cold_24h_by_age": _var(
            e.people_cold_long,
            ("realization", "district", "age_group"),
            "1",
            f"people below {lc} indoors for {lh} or more (continuous), by age group",
            threshold_c=e.long_exposure_c,
            duration_h=e.long_exposure_h,
        ),
        "people_dangerous_cold": _var(
            e.people_danger,
            ("realization", "district", "age_group"),
            "1",
            f"people below {dc} indoors for {dh} or more (continuous; dangerous band)",
            threshold_c=e.danger_c,
            duration_h=e.danger_h,
        ),
        "people_severe_cold": _var(
            e.people_severe,
            ("realization", "district", "age_group"),
            "1",
            f"people below {sc} indoors for {sh} or more (continuous), by age group",
            threshold_c=e.severe_exposure_c,
            duration_h=e.severe_exposure_h,
        ),
        "severe_spell_histogram": _var(
            e.severe_spell_hist,
            rba,
            "1",
            f"people ever below {sc} by their longest continuous spell below {sc}",
            threshold_c=e.severe_exposure_c,
        ),
        "cold_hours_histogram": _var(
            e.cold_hours_hist, rba, "1", f"affected people by total hours below {lc} over the run"
        ),
        "cold_spell_histogram": _var(
            e.cold_spell_hist, rba, "1", f"affected people by longest continuous spell below {lc}"
        ),
        "cold_hours_median": _var(
            e.cold_hours_median_h, ra, "h", f"median total hours below {lc} per affected person (0 if none)"
        ),
        "cold_hours_p90": _var(
            e.cold_hours_p90_h,
            ra,
            "h",
            f"90th percentile of total hours below {lc} per affected person (0 if none)",
        ),
        "cold_spell_median": _var(
            e.cold_spell_median_h, ra, "h", f"median longest spell below {lc} per affected person (0 if none)"
        ),
        "cold_spell_p90": _var(
            e.cold_spell_p90_h,
            ra,
            "h",
            f"90th percentile of longest spell below {lc} per affected person (0 if none)",
        ),
        "occupants": _var(e.occupants, ("district", "age_group"), "1", "people present, by age group"),
        "people_without_water": _var(
            e.people_without_water,
            rt,
            "1",
            "upper-floor residents without water (booster pumps without power)",
        ),
        "heating_point_demand": _var(
            e.heating_point_demand, rt, "1", "concurrent demand for heating-point places"
        ),
        "heating_point_unmet_demand": _var(
            e.heating_point_unmet, rt, "1", "demand for heating-point places above capacity"
        ),
        "heating_point_capacity": _var(e.heating_point_capacity, (), "1", "places in heating points"),
        "heating_point_demand_by_district": _var(
            e.heating_point_demand_by_district,
            (*rt, "district"),
            "1",
            "concurrent demand for heating-point places, by district",
        ),
        "heating_point_capacity_by_district": _var(
            e.heating_point_capacity_by_district,
            ("district",),
            "1",
            "places in heating points, by district",
            places_per_point=e.places_per_point,
        ),
        "generators_running": _var(
            e.generators_by_district.sum(axis=-1),
            rt,
            "1",
            "generators running at the heating points needed (open and additional points without grid power)",
        ),
        "generators_running_by_district": _var(
            e.generators_by_district,
            (*rt, "district"),
            "1",
            "generators running at the heating points needed, by district",
        ),
        "generator_load_kw": _var(
            e.generator_load_kw, rt, "kW", "load of the generators running at heating points"
        ),
        "diesel_consumption_by_district": _var(
            e.diesel_l_per_day_by_district,
            ("realization", "day", "district"),
            "L d-1",
            "diesel burned by heating-point generators per day, by district",
        ),
        "generator_class_kw": _var(
            e.generator_class_kw, ("generator_class",), "kW", "rating of each generator size class"
        ),
        "generator_class_share": _var(
            e.generator_class_share,
            ("generator_class",),
            "1",
            "share of heating points needing a generator of each size class",
        ),
        "heating_points_on_generator": _var(
            e.points_unpowered_frac, rt, "1", "share of heating points without grid power, on generators"
        ),
        "generator_kw": _var(
            e.generator_kw, rt, "kW", "rated capacity of the generators running at the heating points needed"
        ),
        "diesel_consumption": _var(
            e.diesel_l_per_day,
            ("realization", "day"),
            "L d-1",
            "diesel burned by heating-point generators per day",
        ),
    }
    ds = xr.Dataset(variables, coords=coords)
    ds.attrs["household_size"] = float(household_size)
    ds.attrs["exposure_definitions"] = (
        f"strictly below threshold; long exposure: below {lc} for {lh} continuously; severe: below {sc} "
        f"for {sh} continuously; dangerous: below {dc} for {dh} continuously; durations per affected person (ever below {lc}); step {e.dt_h:g} h"
    )
    log.debug("people: exposure at %d thresholds in %d districts; peak heating-point demand %.0f people",
              len(e.thresholds_c), len(district_names), float(np.max(e.heating_point_demand, initial=0.0)))
    return ds
