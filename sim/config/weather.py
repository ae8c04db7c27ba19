"""Schema of the ``weather`` config group: synthetic cold-snap ensembles or a file.

Figures marked "GHCN" are derived from the GHCN-Daily record of Kyiv, station UPM00033345
(calibration F5), by ``docs/scripts/derive_weather_figures.py``; see ``docs/weather.md``. :func:`validate_weather_config`
checks the values (called by :func:`sim.config.validate.validate`).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, cast

from omegaconf import DictConfig, OmegaConf

from sim.config.checks import Plausible, check_plausible
from sim.errors import ConfigError


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


#: Values of ``weather.kind`` (``sim.weather.KINDS``; tests/unit/test_config_groups.py checks both agree).
KINDS = ("cold_snap", "file")
#: Values of ``weather.bias_correction`` (``sim.bias_correction.METHODS``).
BIAS_METHODS = ("none", "quantile_mapping")
#: The cold-snap keys and their defaults where a config object lacks one (the schema's defaults;
#: ``sim.weather._COLD_SNAP_KEYS`` holds the same for library callers, tests/unit/test_config_groups.py
#: checks both agree).
COLD_SNAP_KEYS: dict[str, float] = {
    f.name: float(cast("float", f.default))
    for f in dataclasses.fields(WeatherConfig)
    if f.name.startswith(("min_temperature", "baseline_temperature", "spell_", "diurnal_", "day_to_day_", "spread_"))
}
_SITE_DEFAULTS = {"latitude_deg": 50.45, "longitude_deg": 30.52, "altitude_m": 170.0, "ground_albedo": 0.2}
_SKY_DEFAULTS = {"sky_clear_index_base": 0.45, "sky_clear_index_spell": 0.85, "sky_clear_index_per_k": 0.02,
                 "wind_base_m_per_s": 3.5, "wind_spell_m_per_s": 2.0}


#: Plausible ranges (:class:`sim.config.checks.Plausible`), beyond the ranges checked below: outside them a
#: value is meaningless or a typo. The cold-snap keys are checked when weather=cold_snap.
PLAUSIBLE: dict[str, Plausible] = {
    # winter daily means: the coldest January mean of an inhabited place is about -46 degC (Oymyakon);
    # above +20 degC no building is heated
    "baseline_temperature_c": Plausible(-50.0, 20.0, "degC", "a winter daily mean"),
    # days since the run start: no run is longer than 366 days
    "spell_start_day": Plausible(-366.0, 366.0, "d", "a day within a year of the run start"),
    "spell_onset_days": Plausible(0.0, 366.0, "d", "a part of a cold spell"),
    "spell_plateau_days": Plausible(0.0, 366.0, "d", "a part of a cold spell"),
    "spell_decay_days": Plausible(0.0, 366.0, "d", "a part of a cold spell"),
    "diurnal_range_sd_c": Plausible(0.0, 20.0, "degC", "the spread of the diurnal range"),
    # ensemble spread grows by ~0.5 degC a day in medium-range forecasts of 2 m temperature
    "spread_growth_c_per_day": Plausible(0.0, 5.0, "degC/d", "the growth of the ensemble spread"),
    # the Dead Sea shore (-430 m) to the highest towns (~5,100 m)
    "altitude_m": Plausible(-500.0, 6_000.0, "m", "the altitude of a city"),
    "sky_clear_index_per_k": Plausible(-0.2, 0.2, "1/K", "the change of the clear-sky index per K"),
    # a daily mean wind of 30 m/s is a hurricane (Beaufort 11)
    "wind_base_m_per_s": Plausible(0.0, 30.0, "m/s", "a mean wind speed"),
    "wind_spell_m_per_s": Plausible(0.0, 30.0, "m/s", "a mean wind speed"),
}
_SITE_AND_SKY = ("altitude_m", "sky_clear_index_per_k", "wind_base_m_per_s", "wind_spell_m_per_s")


def _get(cfg: Any, key: str, default: Any) -> Any:
    """A key of a dataclass or DictConfig; ``default`` where absent or None; ConfigError where ``???``."""
    if isinstance(cfg, DictConfig) and key in list(cfg.keys()) and OmegaConf.is_missing(cfg, key):  # "in cfg" is False for ???
        raise ConfigError(f"weather.{key}: required, but no value is set (???)")
    value = getattr(cfg, key, default)
    if value == "???":
        raise ConfigError(f"weather.{key}: required, but no value is set (???)")
    return default if value is None else value


def _numbers(cfg: Any, defaults: dict[str, float]) -> dict[str, float]:
    out = {}
    for key, default in defaults.items():
        v = _get(cfg, key, default)
        try:
            out[key] = float(v)
        except (TypeError, ValueError):
            raise ConfigError(f"weather.{key}: expected a number, got {v!r}") from None
    return out


def _check_cold_snap(cfg: Any) -> None:
    p = _numbers(cfg, COLD_SNAP_KEYS)
    for key, value in p.items():
        if not math.isfinite(value):
            raise ConfigError(f"weather.{key}: must be finite, got {value!r}")

    def need(ok: bool, key: str, rule: str) -> None:
        if not ok:
            raise ConfigError(f"weather.{key}: must be {rule}, got {p[key]:g}")

    need(-70.0 <= p["min_temperature_c"] <= 50.0, "min_temperature_c", "in -70..50 degC")
    need(-70.0 <= p["baseline_temperature_c"] <= 50.0, "baseline_temperature_c", "in -70..50 degC")
    for key in ("spell_onset_days", "spell_plateau_days", "spell_decay_days", "diurnal_range_sd_c"):
        need(p[key] >= 0.0, key, ">= 0")
    need(0.0 <= p["diurnal_range_c"] <= 30.0, "diurnal_range_c", "in 0..30 degC")
    need(0.0 <= p["diurnal_min_hour"] < 24.0, "diurnal_min_hour", "in [0, 24) h")
    need(0.0 <= p["diurnal_max_hour"] < 24.0, "diurnal_max_hour", "in [0, 24) h")
    need(
        p["diurnal_max_hour"] != p["diurnal_min_hour"], "diurnal_max_hour", "different from diurnal_min_hour"
    )
    need(0.0 <= p["day_to_day_sd_c"] <= 20.0, "day_to_day_sd_c", "in 0..20 degC")
    need(0.0 <= p["day_to_day_autocorr"] < 1.0, "day_to_day_autocorr", "in [0, 1)")
    need(0.0 <= p["spread_initial_c"] <= 20.0, "spread_initial_c", "in 0..20 degC")
    need(p["spread_growth_c_per_day"] >= 0.0, "spread_growth_c_per_day", ">= 0")
    check_plausible("weather", p, {k: b for k, b in PLAUSIBLE.items() if k not in _SITE_AND_SKY})


def _check_site_and_sky(cfg: Any) -> None:
    """The sun's site and the synthetic sky (``sim.solar.Site``, ``sim.sky.SkyRule`` hold the same rules)."""
    site = _numbers(cfg, _SITE_DEFAULTS)
    if not (-90.0 <= site["latitude_deg"] <= 90.0 and -180.0 <= site["longitude_deg"] <= 360.0):
        raise ConfigError("weather: Site: latitude within [-90, 90] and longitude within [-180, 360] degrees")
    if not 0.0 <= site["ground_albedo"] <= 1.0:
        raise ConfigError("weather: Site: albedo must be within [0, 1]")
    sky = _numbers(cfg, _SKY_DEFAULTS)
    for key, name in (("sky_clear_index_base", "k_base"), ("sky_clear_index_spell", "k_spell")):
        if not 0.0 <= sky[key] <= 1.0:
            raise ConfigError(f"weather: SkyRule.{name} must be within [0, 1]")
    if sky["wind_base_m_per_s"] < 0 or sky["wind_spell_m_per_s"] < 0:
        raise ConfigError("weather: SkyRule: wind speeds must be >= 0")
    check_plausible("weather", {**site, **sky}, {k: PLAUSIBLE[k] for k in _SITE_AND_SKY})


def validate_forecast_file_config(cfg: Any) -> None:
    """Check the bias-correction keys of the ``weather`` group; raise :class:`ConfigError` naming the key."""
    method = getattr(cfg, "bias_correction", "none")
    if method not in BIAS_METHODS:
        raise ConfigError(f"weather.bias_correction={method}: must be one of: {', '.join(BIAS_METHODS)}")
    if method == "none":
        return
    if cfg.kind != "file":
        raise ConfigError(
            f"weather.bias_correction={method}: applies to forecasts read from a file (weather=file); "
            f"weather={cfg.kind} is derived from the station record already"
        )
    if not cfg.bias_model_climatology:
        raise ConfigError(
            "weather.bias_model_climatology: quantile_mapping needs the forecast system's own climatology "
            "(its hindcasts or reforecasts, a CSV/NetCDF/GRIB file like weather.path); without it the "
            "mapping would erase the forecast (docs/weather.md)"
        )
    years = list(cfg.bias_reference_years)
    if len(years) != 2 or int(years[0]) > int(years[1]):
        raise ConfigError(f"weather.bias_reference_years={years}: give [first, last] calendar years, first <= last")
    window = float(cfg.bias_window_days)
    if not 1.0 <= window <= 91.0:
        raise ConfigError(f"weather.bias_window_days={window:g}: must be between 1 and 91 days")


def ignored_path_warning(cfg: Any) -> str | None:
    """The one-line warning for a ``weather.path`` that the run does not read (``weather`` is not ``file``),
    or None. A warning, not an error: a sweep ``weather=cold_snap,file weather.path=...`` gives every job the
    same path. :func:`sim.chain.run_scenario_full` issues it once per run.

    >>> ignored_path_warning(WeatherConfig(path="forecast.csv"))
    'weather.path is ignored: weather=cold_snap does not read a file; add weather=file'
    >>> ignored_path_warning(WeatherConfig(kind="file", path="forecast.csv")) is None
    True
    """
    kind = str(_get(cfg, "kind", "cold_snap"))
    missing = isinstance(cfg, DictConfig) and "path" in list(cfg.keys()) and OmegaConf.is_missing(cfg, "path")
    path = None if missing else getattr(cfg, "path", None)
    if kind == "file" or path is None or str(path) in ("", "???"):
        return None
    return f"weather.path is ignored: weather={kind} does not read a file; add weather=file"


def validate_weather_config(cfg: Any, dt_minutes: float | None = None) -> None:
    """Check a ``weather`` config (dataclass or DictConfig); raise :class:`ConfigError` naming the key.

    Parameters
    ----------
    cfg : WeatherConfig or omegaconf.DictConfig
        The ``weather`` group.
    dt_minutes : float, optional
        The run's step (``dt_minutes``): an EPW file has hourly records, so a coarser step is refused.

    The columns, times and values of a weather file are checked when it is read (:mod:`sim.weather_file`):
    they are run-time data.
    """
    kind = str(_get(cfg, "kind", "cold_snap"))
    if kind not in KINDS:
        raise ConfigError(f"weather.kind: unknown value {kind!r}, expected one of {', '.join(KINDS)}")
    if kind == "cold_snap":
        _check_cold_snap(cfg)
    else:
        path = None if isinstance(cfg, DictConfig) and OmegaConf.is_missing(cfg, "path") else cfg.path
        if not path or str(path) == "???":
            raise ConfigError("weather.path: weather=file needs weather.path=<CSV or NetCDF file>")
        if str(path).lower().endswith(".epw") and dt_minutes is not None and float(dt_minutes) > 60.0 + 1e-6:
            raise ConfigError("dt_minutes: EPW weather needs steps of at most 60 minutes")
    _check_site_and_sky(cfg)
    validate_forecast_file_config(cfg)
