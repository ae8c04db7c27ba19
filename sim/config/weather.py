"""Schema of the ``weather`` config group: synthetic cold-snap ensembles or a file.

Figures marked "GHCN" are derived from the GHCN-Daily record of Kyiv, station UPM00033345
(calibration F5), by ``docs/scripts/derive_weather_figures.py``; see ``docs/weather.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class WeatherConfig:
    """Outdoor temperature forcing; ``kind`` selects the generator (``cold_snap``) or a file (``file``)."""

    kind: str = "cold_snap"
    description: str = ""
    # --- cold_snap (sim.weather.cold_snap) ---
    # Ensemble-median daily minimum on the coldest days of the spell; calibration F3 (Kyiv nights
    # -20..-25 degC forecast for 1-3 Feb 2026). [degC]
    min_temperature_c: float = -25.0
    # Daily mean outside the spell: January 2026 mean, calibration F2. [degC]
    baseline_temperature_c: float = -7.6
    # Day (since the run start) at which the spell begins to deepen; -1 puts the coldest days on
    # 1-3 Feb for a start on 29 Jan (calibration F3). [d]
    spell_start_day: float = -1.0
    # Spell shape: median of raised-cosine trapezoids fitted to the 40 coldest independent DJF spells
    # 1961-2020 (onset 4.2, plateau 2.4, decay 4.3 d), rounded to 0.5 d; derived from GHCN
    # UPM00033345, see docs/weather.md. [d]
    spell_onset_days: float = 4.0
    spell_plateau_days: float = 2.5
    spell_decay_days: float = 4.5
    # Diurnal range TMAX - TMIN on DJF days with daily mean <= -10 degC, 1961-2020: mean 7.1, SD 2.8;
    # derived from GHCN UPM00033345, see docs/weather.md. [degC]
    diurnal_range_c: float = 7.1
    diurnal_range_sd_c: float = 2.8
    # Local hours of the daily minimum and maximum (typical winter cycle; not in daily data). [h]
    diurnal_min_hour: float = 6.0
    diurnal_max_hour: float = 14.5
    # DJF daily-mean anomalies (from the smoothed 1991-2020 daily climatology, each winter's mean
    # removed): SD 5.0 degC, lag-1 autocorrelation 0.84; derived from GHCN UPM00033345, see
    # docs/weather.md. The ensemble spread saturates at day_to_day_sd_c. [degC], [1]
    day_to_day_sd_c: float = 5.0
    day_to_day_autocorr: float = 0.84
    # Ensemble spread of daily means at lead 0 and its initial growth: assumption [L], typical of
    # medium-range ensemble forecasts of 2 m temperature (about 1 degC at day 0-1, 3 degC at day 5). [degC], [degC/d]
    spread_initial_c: float = 1.0
    spread_growth_c_per_day: float = 0.5
    # --- the sky (sim.sky, sim.solar): site of the sun and the synthetic cloudiness and wind ---
    # Kyiv (city centre), ~170 m a.s.l.; the sun's clock is the run's (city.utc_offset_h) [deg], [m]
    latitude_deg: float = 50.45
    longitude_deg: float = 30.52
    altitude_m: float = 170.0
    # Ground reflectance: partly snow-covered urban ground in a cold spell, between bare ground 0.2 and
    # fresh snow 0.8 [L]. [1]
    ground_albedo: float = 0.4
    # Clear-sky index (GHI over clear sky) outside the spell (overcast winter days) and on its plateau
    # (cold anticyclone), and its change per K of a realization's anomaly; see sim/sky.py [L]. [1], [1/K]
    sky_clear_index_base: float = 0.45
    sky_clear_index_spell: float = 0.85
    sky_clear_index_per_k: float = 0.02
    # Wind speed outside the spell (mean of the cold months in Kyiv [M]) and on its plateau (calm [L]). [m/s]
    wind_base_m_per_s: float = 3.5
    wind_spell_m_per_s: float = 2.0
    # --- file (sim.weather.load_file) ---
    path: str | None = None  # CSV or NetCDF file with outdoor temperature (kind=file) [-]
    max_gap_h: float | None = None  # largest accepted interval between file times; None: the model step [h]
    # --- bias correction of a file forecast (sim.bias_correction, docs/weather.md) ---
    bias_correction: str = "none"  # none | quantile_mapping [-]
    bias_model_climatology: str | None = None  # the forecast system's hindcasts/reforecasts (like path) [-]
    bias_station_file: str | None = None  # a GHCN-Daily file; unset, the Kyiv record beside the repository (F5) [-]
    bias_reference_years: list[int] = field(default_factory=lambda: [1991, 2020])  # station years, the WMO normal period as in calibration F1 [-]
    bias_window_days: float = 15.0  # half-width of the calendar window of the quantiles [d]
