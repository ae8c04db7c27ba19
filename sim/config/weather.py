"""Schema of the ``weather`` config group: synthetic cold-snap ensembles or a file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class WeatherConfig:
    """Outdoor temperature forcing; ``kind`` selects the generator (``cold_snap``) or a file (``file``)."""

    kind: str = "cold_snap"
    description: str = ""
    # cold_snap
    min_temperature_c: float = -25.0  # lowest daily minimum of the spell (ensemble median) [degC]
    baseline_temperature_c: float = -7.6  # daily mean outside the spell [degC]
    spell_start_day: float = 2.0  # day (since start) at which the spell begins to deepen [d]
    spell_onset_days: float = 2.0  # days from baseline to the coldest point [d]
    spell_plateau_days: float = 3.0  # days at the coldest level [d]
    spell_decay_days: float = 4.0  # days back to baseline [d]
    diurnal_range_c: float = 6.0  # mean daily maximum minus minimum in a cold spell [degC]
    day_to_day_sd_c: float = 2.5  # standard deviation of daily-mean anomalies [degC]
    day_to_day_autocorr: float = 0.7  # lag-1 autocorrelation of daily-mean anomalies [1]
    spread_initial_c: float = 1.0  # ensemble spread of the daily mean at lead 0 [degC]
    spread_growth_c_per_day: float = 0.5  # growth of the ensemble spread per day of lead time [degC/d]
    spread_max_c: float = 6.0  # spread saturates at the climatological day-to-day variability [degC]
    # file
    path: str | None = None  # CSV or NetCDF file with outdoor temperature (kind=file) [-]
