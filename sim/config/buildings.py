"""Schema of the ``buildings`` config group: archetype variation, heat inputs and gains.

Sources are tagged as in ``reference/calibration.md``: [H] official or consistent, [M] one source or
derived, [L] assumption (a sweep parameter, not a fact). The archetypes themselves (envelopes, U-values,
capacities) live in :mod:`sim.archetypes` with their sources; ``docs/archetypes.md`` lists them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

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
