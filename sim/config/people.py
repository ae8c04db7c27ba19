"""Schema of the ``people`` config group: cold thresholds, heating points and fuel.

Sources are tagged as in ``reference/calibration.md``: [H] official or consistent, [M] one source or
derived, [L] assumption (a sweep parameter, not a fact).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

from sim.config.checks import Plausible, check_plausible
from sim.errors import ConfigError

#: Model choices for the share of heating points that run on generators (see :mod:`sim.needs`).
GENERATOR_RULES = ("share_unpowered", "any_blackout")


@dataclass
class PeopleConfig:
    """Indoor-cold thresholds, exposure durations and the heating-point response."""

    description: str = ""
    # Cold bands of reference/report.md (calibration G1, G2): 18 WHO minimum, 16 respiratory risk and
    # Ukraine's wartime minimum, 12 cardiovascular strain, 9 core temperature falls [H].
    thresholds_c: list[float] = field(default_factory=lambda: [18.0, 16.0, 12.0, 9.0])
    long_exposure_c: float = 16.0  # "cold": below this (report.md band 2; calibration G1, G2) [degC]
    long_exposure_h: float = 24.0  # ... for this long in a row: the secondary count (report.md) [h]
    severe_exposure_c: float = 12.0  # "very cold": cardiovascular strain below this (calibration G2) [degC]
    severe_exposure_h: float = 72.0  # ... for this long in a row: a lead figure that does not saturate [L] [h]
    danger_c: float = 6.0  # dangerous band: high hypothermia risk near 5-6 degC (calibration G2) [degC]
    danger_h: float = 2.0  # ... for at least this long, continuously (calibration G2: 2 h) [h]
    # Upper edges are the next lower edge; the last bin runs to the end of the run. [h]
    duration_bin_edges_h: list[float] = field(
        default_factory=lambda: [
            0.0,
            6.0,
            12.0,
            24.0,
            36.0,
            48.0,
            72.0,
            96.0,
            120.0,
            168.0,
            240.0,
            336.0,
            504.0,
        ]
    )
    vulnerable_seek_below_c: float = (
        16.0  # 65+ and under-5 seek a heating point below this (report.md band 2) [degC]
    )
    everyone_seek_below_c: float = 12.0  # everyone seeks a heating point below this (report.md band 3) [degC]
    uptake_frac: float = 0.3  # share of those eligible who actually come, assumption [L] [1]
    heating_points: int | None = None  # heating points open; None: the city's figure (city.heating_points) [points]
    places_per_point: float = (
        100.0  # places per point; 50-400 elsewhere, rail carriage ~40, calibration D5 [M] [people]
    )
    generator_rule: str = "share_unpowered"  # which points run generators: share_unpowered | any_blackout [-]
    # Generators at heating points by size class: rating of each class and the share of points that need
    # it; assumption [L]: rail carriages and small rooms ~10 kW, a standard point 30 kW, schools 50 kW.
    generator_class_kw: list[float] = field(default_factory=lambda: [10.0, 30.0, 50.0])  # [kW]
    generator_class_share: list[float] = field(default_factory=lambda: [0.2, 0.6, 0.2])  # [1]
    # Heating points per district; None: spread over districts like the people present [L] [points]
    heating_points_by_district: dict[str, float] | None = None
    generator_load_frac: float = 0.6  # mean load of a running generator over its rating, assumption [L] [1]
    diesel_l_per_kwh: float = 0.25  # diesel burned per kWh generated, 0.2-0.3 in calibration G5 [M] [L/kWh]


#: The longest duration a run can hold: horizon_days at most 366 (sim.config.validate) [h]
_YEAR_H = 366.0 * 24.0
#: Plausible ranges (:class:`sim.config.checks.Plausible`): outside them a value is meaningless or a typo.
PLAUSIBLE: dict[str, Plausible] = {
    # indoor temperatures: report.md's bands run from 18 down to 5-6 degC (calibration G1, G2); an indoor
    # threshold below -10 or above 30 degC counts nothing a brief could mean
    "long_exposure_c": Plausible(-10.0, 30.0, "degC", "an indoor cold threshold"),
    "severe_exposure_c": Plausible(-10.0, 30.0, "degC", "an indoor cold threshold"),
    "danger_c": Plausible(-10.0, 30.0, "degC", "an indoor cold threshold"),
    "vulnerable_seek_below_c": Plausible(-10.0, 30.0, "degC", "an indoor temperature"),
    "everyone_seek_below_c": Plausible(-10.0, 30.0, "degC", "an indoor temperature"),
    # durations: no run is longer than 366 days
    "long_exposure_h": Plausible(0.0, _YEAR_H, "h", "a duration within the longest run, 366 days"),
    "severe_exposure_h": Plausible(0.0, _YEAR_H, "h", "a duration within the longest run, 366 days"),
    "danger_h": Plausible(0.0, _YEAR_H, "h", "a duration within the longest run, 366 days"),
    "duration_bin_edges_h": Plausible(0.0, _YEAR_H, "h", "a duration within the longest run, 366 days"),
    # Kyiv ~1,300 points (calibration D5); Ukraine as a whole ~10,000
    "heating_points": Plausible(0.0, 100_000.0, "points", "heating points in one city"),
    "heating_points_by_district": Plausible(0.0, 100_000.0, "points", "heating points in one district"),
    # 50-400 places elsewhere, a rail carriage ~40 (calibration D5); a sports hall a few thousand
    "places_per_point": Plausible(0.0, 5_000.0, "people", "places at one heating point"),
    # heating points run 10-50 kW generators; the largest diesel gensets are ~2 MW
    "generator_class_kw": Plausible(0.0, 2_000.0, "kW", "the rating of one generator"),
    # diesel gensets burn 0.25-0.4 L/kWh at load, ~0.6 at light load; 1 L/kWh is 10 % efficiency
    "diesel_l_per_kwh": Plausible(0.0, 1.0, "L/kWh", "the diesel a generator burns per kWh"),
}


def validate_people_config(cfg: Any, district_names: list[str] | None = None) -> None:
    """Check a people config (dataclass or DictConfig); raise :class:`ConfigError` naming the key.

    Parameters
    ----------
    cfg : PeopleConfig or omegaconf.DictConfig
        The ``people`` group.
    district_names : list of str, optional
        The city's districts (``city.districts``): the names ``heating_points_by_district`` may use.
    """

    def fail(key: str, why: str) -> None:
        raise ConfigError(f"people.{key}: {why} (got {getattr(cfg, key)!r})")

    thresholds = list(cfg.thresholds_c)
    if not thresholds or not all(math.isfinite(float(x)) for x in thresholds):
        fail("thresholds_c", "needs at least one finite temperature")
    if len(set(thresholds)) != len(thresholds):
        fail("thresholds_c", "temperatures must be distinct")
    for key in ("long_exposure_h", "severe_exposure_h", "danger_h"):
        if not float(getattr(cfg, key)) > 0:
            fail(key, "must be > 0")
    edges = [float(x) for x in cfg.duration_bin_edges_h]
    if not edges or edges[0] != 0.0 or any(b <= a for a, b in itertools.pairwise(edges)):
        fail("duration_bin_edges_h", "must start at 0 and increase strictly")
    if not 0.0 <= float(cfg.uptake_frac) <= 1.0:
        fail("uptake_frac", "must be within [0, 1]")
    if not 0.0 <= float(cfg.generator_load_frac) <= 1.0:
        fail("generator_load_frac", "must be within [0, 1]")
    for key in ("heating_points", "places_per_point", "diesel_l_per_kwh"):
        if getattr(cfg, key) is not None and not float(getattr(cfg, key)) >= 0:
            fail(key, "must be >= 0")
    kw = [float(x) for x in cfg.generator_class_kw]
    share = [float(x) for x in cfg.generator_class_share]
    if not kw or any(not (math.isfinite(x) and x > 0) for x in kw):
        fail("generator_class_kw", "needs at least one rating > 0")
    if len(share) != len(kw) or any(not 0.0 <= x <= 1.0 for x in share) or abs(sum(share) - 1.0) > 1e-6:
        fail("generator_class_share", "needs one share in [0, 1] per generator class, summing to 1")
    by_district = getattr(cfg, "heating_points_by_district", None)
    if by_district is not None and any(not float(v) >= 0 for v in dict(by_district).values()):
        fail("heating_points_by_district", "every district's number of points must be >= 0")
    unknown = sorted(set(map(str, dict(by_district or {}))) - set(district_names or []))
    if district_names is not None and unknown:  # on main a ValueError traceback once the run had begun
        raise ConfigError(f"people.heating_points_by_district.{unknown[0]}: unknown district; valid: "
                          f"{', '.join(district_names)}")
    if cfg.generator_rule not in GENERATOR_RULES:
        fail("generator_rule", f"must be one of {', '.join(GENERATOR_RULES)}")
    check_plausible("people", cfg, PLAUSIBLE)
