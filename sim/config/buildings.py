"""Schema of the ``buildings`` config group: archetype variation, heat inputs and gains.

Sources are tagged as in ``reference/calibration.md``: [H] official or consistent, [M] one source or
derived, [L] assumption (a sweep parameter, not a fact). The archetypes themselves (envelopes, U-values,
capacities) live in :mod:`sim.archetypes` with their sources; ``docs/archetypes.md`` lists them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sim.config.checks import Plausible, check_plausible
from sim.errors import ConfigError


@dataclass
class BuildingsConfig:
    """Within-archetype variation and the heat inputs of building groups."""

    description: str = ""
    ua_multiplier: float = 1.0  # scales every heat-loss coefficient (sensitivity) [1]
    ua_cv: float = (
        0.15  # variation of heat loss between groups (floor position, renovation), assumption [L] [1]
    )
    mass_participation_frac: float = 1.0  # share of the archetypes' long-term mass that takes part [1]
    # Cool-down time of the mass inventory: the diffusion length sqrt(a t) reached in t sets how much of
    # each layer takes part (sim/archetypes.py); outages of interest last days [M] [h]
    mass_time_scale_h: float = 72.0
    # Normal operation (district heat and own boilers). DSTU B A.3.2-12:2009 / DBN: 20-22 degC in living rooms
    indoor_setpoint_c: float = 21.0  # indoor temperature in normal operation [degC]
    heating_limit_c: float = (
        8.0  # district heating off above this outdoor temperature (heating-season rule) [degC]
    )
    design_outdoor_c: float = -22.0  # Kyiv design outdoor temperature, DSTU-N B V.1.1-27:2010 [degC]
    radiator_excess_k: float = 62.5  # mean radiator over room temperature at design, 95/70 degC graph [K]
    radiator_exponent: float = 1.3  # radiator characteristic exponent, EN 442-2 typical [1]
    radiant_frac: float = 0.3  # share of radiator heat that goes to the mass node (radiative part) [L] [1]
    boiler_kw: float = 24.0  # own gas boiler per house (per flat with own boiler), typical size [M] [kW]
    # Heat in flats without central heat (calibration: not published; sweep parameters)
    heater_share_frac: float = 0.3  # households with an electric heater they use in unheated flats [L] [1]
    heater_kw: float = 1.5  # electric heater power per household [kW]
    gas_stove_share_frac: float = 0.25  # households with a gas cooker heating with it when cold [L] [1]
    gas_stove_kw: float = 1.0  # heat from a gas stove used for heating [L] [kW]
    # Stoves and heaters come on as the flat gets cold: none at supplement_start_c, all at supplement_full_c [L]
    supplement_start_c: float = 19.0  # [degC]
    supplement_full_c: float = 15.0  # [degC]
    # Ventilation (sim/ventilation.py): residents seal windows and vents of a cold flat [L]
    sealing_frac: float = 0.3  # share of the air change removed when fully sealed [1]
    sealing_start_c: float = 18.0  # sealing begins below this indoor temperature [degC]
    sealing_full_c: float = 12.0  # sealing complete at and below this indoor temperature [degC]
    variable_ventilation: bool = True  # stack/wind-driven air change; false: constant reference rate [-]
    # Solar gains (sim/solar.py): shading of windows by neighbours, balconies and curtains (ISO 13790 11.4.4) [L]
    window_shading_frac: float = 0.6  # share of the unshaded solar gain that enters [1]
    solar_absorptance: float = 0.6  # of opaque outer surfaces (mid-coloured render, concrete) [1]
    # Internal gains
    person_gain_w: float = 70.0  # sensible heat of a seated person, ASHRAE Fundamentals ch. 18 [M] [W]
    appliance_w_per_m2: float = 3.0  # appliance and lighting gains while powered [L] [W/m2]
    # The temperature the exposure counts: "operative" (mean of air and mean radiant, what people feel,
    # ISO 7730 / EN 16798-1) or "air"; docs/decisions.md [-]
    exposure_temperature: str = "operative"
    trajectories: bool = False  # keep full per-group trajectories (large) [-]


#: Plausible ranges (:class:`sim.config.checks.Plausible`): outside them a value is meaningless or a typo.
PLAUSIBLE: dict[str, Plausible] = {
    "ua_multiplier": Plausible(0.1, 5.0, "1", "a factor on the archetypes' heat loss"),
    "ua_cv": Plausible(0.0, 1.0, "1", "a coefficient of variation between groups"),
    # beyond ~6 weeks the diffusion length sqrt(a t) of concrete (~1.6 m) exceeds every wall and slab: all
    # of the mass takes part and a longer time changes nothing (sim/archetypes.py)
    "mass_time_scale_h": Plausible(1.0, 1000.0, "h", "the cool-down time of the building mass"),
    # living rooms 20-22 degC (DSTU B A.3.2-12, DBN), EN 16798-1 categories 16-25 degC in winter
    "indoor_setpoint_c": Plausible(10.0, 30.0, "degC", "an indoor setpoint of a heated home"),
    # heating-season rules: Ukraine +8 degC (3 days' mean), elsewhere 10-15 degC; below -20 the heat would
    # stay off through most of a winter
    "heating_limit_c": Plausible(-20.0, 20.0, "degC", "the outdoor temperature above which district heat is off"),
    # EN 12831-1 / national annexes: design outdoor temperatures from about -50 degC (Yakutsk, SP 131) to
    # above 0 degC (southern Europe)
    "design_outdoor_c": Plausible(-60.0, 10.0, "degC", "a design outdoor temperature, EN 12831"),
    # mean radiator excess over the room: ~12 K floor heating 35/30, 30 K for 55/45, 62.5 K for 95/70, ~90 K
    # for the Soviet 150/70 graph
    "radiator_excess_k": Plausible(5.0, 100.0, "K", "the mean radiator excess over the room at design"),
    # EN 442-2: 1.0-1.1 floor heating, 1.2-1.4 radiators, up to ~1.5 convectors
    "radiator_exponent": Plausible(1.0, 2.0, "1", "a radiator exponent, EN 442-2"),
    # own gas boilers: 10-35 kW for a flat or a house, ~100 kW a large house
    "boiler_kw": Plausible(0.0, 100.0, "kW", "an own boiler of a flat or a house"),
    # a flat's supply: 16-25 A at 230 V (3.7-5.8 kW), three-phase ~10-15 kW; heaters are 1-3 kW
    "heater_kw": Plausible(0.0, 10.0, "kW", "electric heating of one household"),
    # a household cooker: burners of 1-3 kW, ~8 kW with all four burners and the oven on
    "gas_stove_kw": Plausible(0.0, 10.0, "kW", "heat from one household's gas cooker"),
    "supplement_start_c": Plausible(0.0, 30.0, "degC", "an indoor temperature"),
    "supplement_full_c": Plausible(0.0, 30.0, "degC", "an indoor temperature"),
    "sealing_start_c": Plausible(0.0, 30.0, "degC", "an indoor temperature"),
    "sealing_full_c": Plausible(0.0, 30.0, "degC", "an indoor temperature"),
    # sensible heat of a person: ~70 W seated, ~200 W in heavy work (ASHRAE Fundamentals ch. 18)
    "person_gain_w": Plausible(0.0, 200.0, "W", "the sensible heat of one person"),
    # residential internal gains 2-5 W/m2 (ISO 13790, EN 16798-1); offices 10-20
    "appliance_w_per_m2": Plausible(0.0, 20.0, "W/m2", "appliance and lighting gains per floor area"),
}


def validate_buildings_config(cfg: Any) -> None:
    """Check a buildings config (dataclass or DictConfig); raise :class:`ConfigError` naming the key.

    Parameters
    ----------
    cfg : BuildingsConfig or omegaconf.DictConfig
        The ``buildings`` group.
    """

    def fail(key: str, why: str) -> None:
        raise ConfigError(f"buildings.{key}: {why} (got {getattr(cfg, key)!r})")

    for key in (
        "ua_multiplier", "indoor_setpoint_c", "heating_limit_c", "design_outdoor_c", "radiator_excess_k",
        "radiator_exponent", "boiler_kw", "heater_kw", "gas_stove_kw", "person_gain_w", "appliance_w_per_m2",
        "ua_cv", "mass_participation_frac", "radiant_frac", "heater_share_frac", "gas_stove_share_frac",
        "mass_time_scale_h", "supplement_start_c", "supplement_full_c", "sealing_frac", "sealing_start_c",
        "sealing_full_c", "window_shading_frac", "solar_absorptance",
    ):  # fmt: skip
        if not math.isfinite(float(getattr(cfg, key))):
            fail(key, "must be a finite number")
    for key in ("ua_multiplier", "radiator_excess_k", "radiator_exponent", "mass_time_scale_h"):
        if not float(getattr(cfg, key)) > 0:
            fail(key, "must be > 0")
    for key in ("ua_cv", "boiler_kw", "heater_kw", "gas_stove_kw", "person_gain_w", "appliance_w_per_m2"):
        if not float(getattr(cfg, key)) >= 0:
            fail(key, "must be >= 0")
    for key in ("mass_participation_frac", "radiant_frac", "heater_share_frac", "gas_stove_share_frac",
                "window_shading_frac", "solar_absorptance"):  # fmt: skip
        if not 0.0 <= float(getattr(cfg, key)) <= 1.0:
            fail(key, "must be within [0, 1]")
    if not 0.0 <= float(cfg.sealing_frac) < 1.0:
        fail("sealing_frac", "must be within [0, 1)")
    if not float(cfg.supplement_full_c) < float(cfg.supplement_start_c):
        fail("supplement_full_c", "must be below supplement_start_c")
    if not float(cfg.sealing_full_c) < float(cfg.sealing_start_c):
        fail("sealing_full_c", "must be below sealing_start_c")
    if str(getattr(cfg, "exposure_temperature", "operative")) not in ("operative", "air"):
        fail("exposure_temperature", "must be 'operative' or 'air'")
    if not float(cfg.design_outdoor_c) < float(cfg.indoor_setpoint_c):
        fail("design_outdoor_c", "must be below indoor_setpoint_c")
    check_plausible("buildings", cfg, PLAUSIBLE)
