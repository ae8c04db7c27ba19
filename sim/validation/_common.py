"""Tolerances of the validation tests and the config composition they share (:func:`sim.config.load.compose_config`)."""

from __future__ import annotations

from sim.config.load import compose_config
from sim.resources import config_dir

__all__ = ["CONFIGS", "TOLERANCES", "compose_config"]

#: Tolerances of the validation tests (the tests and the validation report read them from here).
TOLERANCES: dict[str, float] = {
    "erlang_c_se": 3.0,  # |mean of replications - Erlang C| < 3 standard errors
    "erlang_c_rel": 0.10,  # ... and within 10 %
    "thermal_rtol": 1e-9,  # model vs closed form: |model - exact| <= rtol + rtol |exact| (round-off)
    "energy_balance_rel": 1e-9,  # residual / (|stored| + |supplied| + |lost|) per step
    "e5_old_house_c": 4.0,  # E5: 21 -> 4 degC in 48 h at -12 degC ...
    "e5_old_house_abs_k": 3.0,  # ... accepted within +- 3 K
    "e5_insulated_min_c": 14.0,  # E5: 15-17 degC, accepted 14-18 degC
    "e5_insulated_max_c": 18.0,
    "energies_60h_min_c": 15.0,  # Energies 18(15):4022: above 15 degC for 60 h (checked at -5 degC)
    "restoration_peak_rel": 0.20,  # B3 peak within +-20 %
    "restoration_point_rel": 0.35,  # B3 later points within +-35 %
    "freeze_restore_min_h": 7 * 24,  # a frozen system takes weeks (E7), so more than one
    "drained_restore_max_h": 3 * 24,  # B2: a drained one ~2 days after the source returns
    "alchevsk_mains_rel": 0.25,  # Alchevsk 2006: mains froze after "more than six hours" at about -28 degC
    "between_waves_blocks": 1500,  # A3/B3: back to ~1,200 within 3-4 days of each wave ("~1,500" in issue 14)
    "between_waves_share_min": 0.5,  # ... for most waves (more than half of those with 96 quiet hours after)
    "hours_without_power_min": 8.0,  # C1, C2: 8-16 h a day without power on average
    "hours_without_power_max": 16.0,
    "whole_city_dark_max_frac": 0.02,  # the whole city (>= 95 % of people) dark in under 2 % of hours
    "weekly_power_slope_max": 0.025,  # eight weeks: the weekly share without power rises < 0.025 a week
    "b4_blocks_rel": 0.10,  # B4: ~1,126 buildings stay out (mobile boilers may heat a few)
}

CONFIGS = config_dir()


