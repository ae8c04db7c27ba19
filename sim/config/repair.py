"""Schema of the ``repair`` config group: crews, spares, drain and refill, freezing, mobile units.

Defaults are Kyiv in late January 2026 (``reference/calibration.md`` B1-B7, E7) where a figure exists; the
rest are assumptions [L] (sweep parameters). The refill rate is fitted to the B3 restoration curve and the
frost tolerance of stopped systems to the Alchevsk disaster of January 2006 (``docs/grid_model.md``).
:func:`validate_repair_config` checks the values (called by :func:`sim.config.validate.validate`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sim.config.checks import Plausible, check_plausible
from sim.errors import ConfigError


@dataclass
class RepairConfig:
    """Repair crews by trade, transformers, emergency outages, heat-network drain, refill and freezing."""

    description: str = ""
    # crews
    power_crews: int = 120  # power crews (B6: 166 by day, 74 at night, mean ~120) [crews]
    power_crews_per_job: int = 10  # crews that work together on one damaged grid node or CHP [crews]
    heat_crews: int = 60  # heat-network crews: boiler-house repairs and the base refill teams [crews]
    heat_crews_per_job: int = 5  # crews per team (a boiler-house repair or refilling one building group) [crews]
    crew_multiplier: float = 1.0  # scales both crew counts (repair_capacity sweeps) [1]
    repair_time_multiplier: float = 1.0  # scales every repair duration drawn by the threat model [1]
    # large transformers and their workarounds (B5)
    transformer_spares: int = 4  # large transformers to hand (B5: four 750 kV substations restored in 13 days) [units]
    transformer_lead_days: float = 21.0  # a spare moved from the national reserve (B5: 3 weeks; new: ~6 months) [d]
    mobile_transformers: int = 4  # mobile/substitute 110 kV transformer units (B5) [L] [units]
    mobile_transformer_install_h: float = 72.0  # moving and connecting a mobile unit [L] [h]
    reswitch_h: float = 12.0  # re-switching a dark substation's feeders to neighbours (B5) [L] [h]
    reswitch_frac: float = 0.5  # share of its feeders that neighbouring substations can take [L] [1]
    # drain decisions (E7): drain when expected outage x frost exceeds what the stopped system can stand
    drain_delay_h: float = 4.0  # operator's delay from the decision to drain to the start of draining (E7) [h]
    drain_threshold_c: float = 0.0  # stopped systems are drained only below this outdoor temperature (E7) [degC]
    drain_safety_frac: float = 0.5  # drain if expected frost exposure >= this share of the tolerance [L] [1]
    drain_forecast_h: float = 72.0  # how far ahead the operator reads the temperature forecast [h]
    drain_buildings_per_h: float = 1500.0  # buildings drained per hour city-wide (building staff) [L] [1/h]
    # freezing: a stopped, filled system accumulates frost exposure (degree-hours below 0 degC)
    freeze_k_h: float = 400.0  # median exposure a stopped building system stands (~a day at -17 degC) [L] [K h]
    freeze_cv: float = 0.3  # variation of that tolerance between building groups [L] [1]
    frozen_team_days_per_building: float = 12.0  # contractor team-days to restore one frozen building [d]
    frozen_crews: int = 40  # contractor teams for frozen systems at the start [L] [teams]
    frozen_crews_mobilized: int = 300  # teams sent from elsewhere (Alchevsk 2006: >3,000 repairmen) [teams]
    frozen_mobilize_days: float = 5.0  # days until the mobilized teams arrive [L] [d]
    frozen_mobilize_buildings: float = 50.0  # frozen buildings that trigger the mobilization [L] [buildings]
    frozen_mains_repair_days: float = 14.0  # restoring frozen heat mains [L] [d]
    # refill and restart of drained buildings (B2, B3)
    restart_h_per_building: float = 1.5  # crew-hours to refill and restart one drained building (B2; fit to B3) [h]
    restart_cv: float = 0.3  # variation of restart work between building groups [1]
    refill_extra_teams_per_kbuilding: float = 6.0  # refill teams added per 1,000 buildings waiting (staff) [L] [1]
    refill_max_teams: int = 48  # most refill teams at once [L] [teams]
    restart_fault_prob: float = 0.05  # a refilled group has local faults (air locks, leaks) [L] [1]
    restart_fault_h: float = 24.0  # median extra time such a group waits (Pareto tail, shape 1.5) [L] [h]
    # heat sources
    boost_max_frac: float = 1.4  # most heat a source sends after a restart, relative to normal [L] [1]
    boost_h: float = 24.0  # hours after heat returns during which the source boosts where it can [L] [h]
    replan_h: float = 6.0  # the heat dispatcher re-plans supply against the 24-h forecast every ... [L] [h]
    mobile_boilers: int = 51  # mobile boiler houses in Kyiv (B6) [units]
    mobile_boilers_housing_frac: float = 0.2  # share of them for apartment blocks (rest: hospitals, schools) [L] [1]
    mobile_boiler_mw: float = 1.0  # heat of one mobile boiler house [L] [MW]
    mobile_deploy_h: float = 12.0  # hours to bring and connect one [L] [h]
    mobile_min_outage_h: float = 72.0  # deployed where the source is expected to stay down at least ... [L] [h]
    # emergency outages (C3)
    emergency_outage_h: float = 12.0  # emergency outages replace schedules after a major strike (C3) [h]
    emergency_min_hits: int = 3  # node hits in a wave that make it a major strike (C3) [-]
    emergency_extra_queues: float = 2.0  # queues off beyond the deficit during emergency outages (C3) [-]
    emergency_max_queues: int = 4  # emergency outages switch off at most this many queues (A3) [-]


#: Integer keys (counts).
INT_KEYS = ("power_crews", "heat_crews", "transformer_spares", "emergency_min_hits", "emergency_max_queues",
            "mobile_transformers", "frozen_crews", "frozen_crews_mobilized", "refill_max_teams", "mobile_boilers")
#: Shares in [0, 1].
FRAC_KEYS = ("reswitch_frac", "drain_safety_frac", "restart_fault_prob", "mobile_boilers_housing_frac")
#: Everything else: finite and >= 0.
NONNEG_KEYS = ("crew_multiplier", "repair_time_multiplier", "transformer_lead_days", "mobile_transformer_install_h",
               "reswitch_h", "drain_delay_h", "drain_forecast_h", "drain_buildings_per_h", "freeze_k_h",
               "freeze_cv", "frozen_team_days_per_building", "frozen_mobilize_days", "frozen_mobilize_buildings",
               "frozen_mains_repair_days", "restart_h_per_building", "restart_cv",
               "refill_extra_teams_per_kbuilding", "restart_fault_h", "boost_h", "mobile_boiler_mw",
               "mobile_deploy_h", "mobile_min_outage_h", "emergency_outage_h", "emergency_extra_queues")
#: Every number the DES reads (:data:`sim.des.params.KEYS` lists the same keys).
KEYS = (*INT_KEYS, *FRAC_KEYS, *NONNEG_KEYS, "power_crews_per_job", "heat_crews_per_job", "drain_threshold_c",
        "boost_max_frac", "replan_h")


_YEAR_H = 366.0 * 24.0  # the longest run (horizon_days at most 366) [h]
#: Plausible ranges (:class:`sim.config.checks.Plausible`): outside them a value is meaningless or a typo.
#: Crew counts: Kyiv has ~120-166 power crews (B6); Alchevsk 2006 mobilized >3,000 repairmen (teams of
#: several people), so a city's teams number hundreds to a few thousand.
PLAUSIBLE: dict[str, Plausible] = {
    "power_crews": Plausible(0.0, 5_000.0, "crews", "power crews of one city"),
    "heat_crews": Plausible(0.0, 5_000.0, "crews", "heat-network crews of one city"),
    "power_crews_per_job": Plausible(1.0, 1_000.0, "crews", "crews on one job"),
    "heat_crews_per_job": Plausible(1.0, 1_000.0, "crews", "crews on one job"),
    "crew_multiplier": Plausible(0.0, 20.0, "1", "a factor on the crew counts"),
    "repair_time_multiplier": Plausible(0.0, 20.0, "1", "a factor on the repair times"),
    "transformer_spares": Plausible(0.0, 1_000.0, "units", "large transformers to hand"),
    # a spare from the reserve: ~3 weeks (B5); a new large transformer: 6-12 months, up to ~2 years
    "transformer_lead_days": Plausible(0.0, 730.0, "d", "the lead time of a large transformer"),
    "mobile_transformers": Plausible(0.0, 1_000.0, "units", "mobile transformer units"),
    "mobile_transformer_install_h": Plausible(0.0, 720.0, "h", "a month at most"),
    "reswitch_h": Plausible(0.0, 720.0, "h", "a month at most"),
    # E7: stopped systems are drained within hours; after a week in frost they have frozen long before
    "drain_delay_h": Plausible(0.0, 168.0, "h", "the delay before draining, a week at most"),
    # draining protects against frost: a threshold above +10 degC or below -30 degC means nothing
    "drain_threshold_c": Plausible(-30.0, 10.0, "degC", "an outdoor temperature that calls for draining"),
    # ECMWF's extended-range ensemble reaches 46 days; no temperature forecast reaches further
    "drain_forecast_h": Plausible(0.0, 1_104.0, "h", "the reach of a temperature forecast, 46 days"),
    "drain_buildings_per_h": Plausible(0.0, 100_000.0, "1/h", "buildings drained per hour in a city"),
    # ~a day at -17 degC (400 K h); 10,000 K h is three weeks at -20 degC
    "freeze_k_h": Plausible(0.0, 10_000.0, "K h", "the frost a stopped, filled system stands"),
    "freeze_cv": Plausible(0.0, 2.0, "1", "a coefficient of variation"),
    "frozen_team_days_per_building": Plausible(0.0, 366.0, "d", "team-days for one building"),
    "frozen_crews": Plausible(0.0, 10_000.0, "teams", "contractor teams of a city"),
    "frozen_crews_mobilized": Plausible(0.0, 10_000.0, "teams", "teams sent from elsewhere"),
    "frozen_mobilize_days": Plausible(0.0, 366.0, "d", "a time within the longest run"),
    "frozen_mobilize_buildings": Plausible(0.0, 1_000_000.0, "buildings", "buildings in a city"),
    "frozen_mains_repair_days": Plausible(0.0, 366.0, "d", "a time within the longest run"),
    "restart_h_per_building": Plausible(0.0, 100.0, "h", "crew-hours to refill one building"),
    "restart_cv": Plausible(0.0, 2.0, "1", "a coefficient of variation"),
    "refill_extra_teams_per_kbuilding": Plausible(0.0, 1_000.0, "1", "teams per 1,000 buildings"),
    "refill_max_teams": Plausible(0.0, 10_000.0, "teams", "refill teams of a city"),
    "restart_fault_h": Plausible(0.0, 720.0, "h", "a month at most"),
    # a source restarting sends at most about twice its normal heat (boilers' overload margin)
    "boost_max_frac": Plausible(1.0, 3.0, "1", "the heat of a source after a restart over its normal"),
    "boost_h": Plausible(0.0, 720.0, "h", "a month at most"),
    "replan_h": Plausible(0.0, 168.0, "h", "the dispatcher re-plans at least weekly"),
    "mobile_boilers": Plausible(0.0, 10_000.0, "units", "mobile boiler houses of a city"),
    # mobile (containerized) boiler houses: 0.1-5 MW, the largest ~20 MW
    "mobile_boiler_mw": Plausible(0.0, 50.0, "MW", "the heat of one mobile boiler house"),
    "mobile_deploy_h": Plausible(0.0, 720.0, "h", "a month at most"),
    "mobile_min_outage_h": Plausible(0.0, _YEAR_H, "h", "a time within the longest run"),
    "emergency_outage_h": Plausible(0.0, 720.0, "h", "a month at most"),
    "emergency_min_hits": Plausible(0.0, 1_000.0, "hits", "node hits in one wave"),
    "emergency_extra_queues": Plausible(0.0, 24.0, "queues", "outage queues"),
    "emergency_max_queues": Plausible(0.0, 24.0, "queues", "outage queues"),
}


def _get(cfg: Any, key: str) -> Any:
    """A config value from a dataclass instance, a DictConfig or a dict."""
    return cfg[key] if isinstance(cfg, dict) or hasattr(cfg, "__getitem__") else getattr(cfg, key)


def validate_repair_config(cfg: Any) -> None:
    """Check a ``repair`` config (dataclass, DictConfig or dict); raise :class:`ConfigError` naming the key.

    :func:`sim.des.params.repair_params` reads the same keys as plain numbers for the DES.
    """
    p: dict[str, float] = {}
    for k in KEYS:
        try:
            p[k] = float(_get(cfg, k))
        except (KeyError, AttributeError, TypeError, ValueError):
            raise ConfigError(f"repair.{k}: missing or not a number") from None
        if not math.isfinite(p[k]):
            raise ConfigError(f"repair.{k} must be finite, got {p[k]:g}")
    for k in INT_KEYS:
        if p[k] < 0 or p[k] != int(p[k]):
            raise ConfigError(f"repair.{k} must be an integer >= 0, got {p[k]:g}")
    for k in FRAC_KEYS:
        if not 0.0 <= p[k] <= 1.0:
            raise ConfigError(f"repair.{k} must be in [0, 1], got {p[k]:g}")
    for k in NONNEG_KEYS:
        if p[k] < 0:
            raise ConfigError(f"repair.{k} must be >= 0, got {p[k]:g}")
    for k in ("power_crews_per_job", "heat_crews_per_job", "boost_max_frac"):
        if p[k] < 1:
            raise ConfigError(f"repair.{k} must be >= 1, got {p[k]:g}")
    for k in ("crew_multiplier", "drain_buildings_per_h", "replan_h", "frozen_team_days_per_building"):
        if p[k] <= 0:
            raise ConfigError(f"repair.{k} must be > 0, got {p[k]:g}")
    check_plausible("repair", p, PLAUSIBLE)
