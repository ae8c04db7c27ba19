"""Schema of the ``buildings`` config group: archetype variation, heat inputs and gains."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class BuildingsConfig:
    """Within-archetype variation and the heat inputs of building groups."""

    description: str = ""
    ua_multiplier: float = 1.0  # scales every heat-loss coefficient (sensitivity) [1]
    ua_cv: float = 0.15  # within-archetype variation of heat loss (floor position, renovation) [1]
    mass_participation_frac: float = 1.0  # share of the archetype's long-term mass that takes part [1]
    indoor_setpoint_c: float = 21.0  # indoor temperature in normal district-heating operation [degC]
    heating_limit_c: float = 8.0  # outdoor temperature above which heating is off [degC]
    heater_share_frac: float = 0.3  # households with an electric heater they use in unheated flats [1]
    heater_kw: float = 1.5  # electric heater power per household [kW]
    gas_stove_share_frac: float = 0.25  # households heating with a gas stove when cold [1]
    gas_stove_kw: float = 1.0  # heat from a gas stove used for heating [kW]
    person_gain_w: float = 70.0  # sensible heat from a person at home [W]
    appliance_w_per_m2: float = 2.0  # appliance and lighting gains while powered [W/m2]
    trajectories: bool = False  # keep full per-group trajectories (large) [-]
